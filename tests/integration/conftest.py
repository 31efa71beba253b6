import pathlib
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
sys.path.insert(0, str(ROOT / "tests" / "integration"))

import qemu_run  # noqa: E402


@pytest.fixture(scope="session")
def efi():
    path = ROOT / "build" / "cxlval.efi"
    assert path.exists(), "build/cxlval.efi is missing: run the tests through 'make integration'"
    return path


@pytest.fixture
def boot(efi, tmp_path):
    """boot(topology, **kw) -> RunResult; every run has its own work dir and a wall-clock limit."""
    def _boot(topo, timeout=90, efi=efi, **kw):
        workdir = tmp_path / "run"
        n = 1
        while workdir.exists():  # a test may boot twice
            n += 1
            workdir = tmp_path / f"run{n}"
        r = qemu_run.run(topo, efi, workdir=workdir, timeout=timeout, **kw)
        assert not r.timed_out, f"QEMU ran past {timeout} s and was killed; serial tail:\n{r.serial[-2000:]}"
        return r
    return _boot


def named(events, name):
    return [e for e in events if e.get("event") == name]
