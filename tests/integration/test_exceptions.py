"""Issue 6: a CPU exception in the middle of a run leaves its register dump in the log file on the stick.

Uses the test-hooks build (make testhooks-efi), whose config key fault_test raises
an exception on purpose after the ACPI phase.
"""
import json

import pytest

import cxltopo
from conftest import ROOT, named

TESTHOOKS_EFI = ROOT / "build" / "testhooks" / "cxlval.efi"
VECTORS = {"ud": (6, "#UD"), "pf": (14, "#PF"), "gp": (13, "#GP")}


@pytest.mark.parametrize("fault", sorted(VECTORS))
def test_fault_leaves_register_dump_on_the_stick(boot, fault):
    assert TESTHOOKS_EFI.exists(), "run through 'make integration' (it builds the test-hooks image)"
    r = boot(cxltopo.get("single"), efi=TESTHOOKS_EFI,
             extra_files={"cxlval/cxlval.cfg": f"fault_test = {fault}\n".encode()})
    assert r.status == 5, f"status {r.status}\n{r.serial[-2000:]}"
    ev = r.events()  # from the image, after QEMU exited
    vector, name = VECTORS[fault]
    exc = named(ev, "exception")
    assert len(exc) == 1 and exc[0]["vector"] == vector and name in exc[0]["msg"]
    assert exc[0]["phase"] == "acpi" and int(exc[0]["rip"], 16)
    if fault == "pf":
        assert int(exc[0]["cr2"], 16) == 0x7FFFFFFFF000
    regs = named(ev, "exception.registers")
    assert regs and all(k in regs[0] for k in ("rax", "rbx", "rbp", "r15"))
    txt = r.run_file("log.txt").decode()
    assert "ERROR exception" in txt and "ERROR exception.registers" in txt
    # The report is still written, and says the run did not finish.
    report = json.loads(r.run_file("report.json"))
    assert report["verdict"] is None and report["platform"]["event"] == "platform.identity"
    assert b"run did not finish" in r.run_file("report.html")


def test_fault_test_is_refused_in_release_builds(boot):
    r = boot(cxltopo.get("single"), extra_files={"cxlval/cxlval.cfg": b"fault_test = ud\n"})
    assert r.status == 0
    bad = [f for f in named(r.events(), "finding") if f.get("rule") == "config.bad_value"]
    assert bad and "only available in test builds" in bad[0]["msg"]


def test_fault_after_commit_restores_decoders_before_leaving(boot):
    """A fault with decoders committed: the handler puts them back (as far as QEMU allows) and says so."""
    r = boot(cxltopo.get("default"), efi=TESTHOOKS_EFI,
             extra_files={"cxlval/cxlval.cfg": b"fault_test = pf_in_touch\n"})
    assert r.status == 5, f"status {r.status}\n{r.serial[-2000:]}"
    ev = r.events()
    names = [e["event"] for e in ev]
    assert "region.committed" in names
    first_exc = names.index("exception")
    assert ev[first_exc]["phase"] == "touch"
    restores = [i for i, n in enumerate(names) if n == "restore.done"]
    assert restores and restores[0] > first_exc, "no decoder restore after the fault"
    assert "decoder changes undone" in ev[restores[0]]["msg"]
