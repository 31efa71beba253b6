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
        cfg = kw.get("extra_files", {}).get("cxlval/cxlval.cfg", b"")
        if b"destructive = yes" not in cfg and "fill" not in kw:
            assert_devices_untouched(r)
        return r
    return _boot


def assert_devices_untouched(r):
    """Nothing lost: after a non-destructive run every device's memory is as it was (all zero here)."""
    from groundtruth import data_extents
    for d in r.topology.devices:
        path = r.workdir / f"{d.id}.mem"
        with open(path, "rb") as f:
            for start, end in data_extents(path):
                f.seek(start)
                data = f.read(end - start)
                changed = len(data) - len(data.lstrip(b"\0"))
                assert changed == len(data), f"{d.id}: bytes changed at DPA {start + changed:#x} in a non-destructive run"


def named(events, name):
    return [e for e in events if e.get("event") == name]
