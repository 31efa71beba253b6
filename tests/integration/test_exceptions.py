"""Issue 6: a CPU exception in the middle of a run leaves its register dump in the log file on the stick.

Uses the test-hooks build (make testhooks-efi), whose config key fault_test raises
an exception on purpose after the ACPI phase.
"""
import json
import re

import pytest

import cxltopo
from conftest import ROOT, named

TESTHOOKS_EFI = ROOT / "build" / "testhooks" / "cxlval.efi"
VECTORS = {"ud": (6, "#UD"), "pf": (14, "#PF"), "gp": (13, "#GP")}
SERIAL_EVENT = re.compile(r"^\[\s*[\d.]+\] (\w+): (?:WARNING |ERROR )?([\w.]+)", re.M)


def assert_nothing_lost_before_the_fault(r, ev):
    """The log files are written in buffered pieces; a fault must not lose what was said before it.

    The serial console is written line by line as it happens (it does not buffer): every event it
    showed before the exception must be in log.jsonl, in the same order, and the last one is the
    fault_test warning logged immediately before the fault (buffered, not flushed, when it hit).
    """
    names = [e["event"] for e in ev]
    first_exc = names.index("exception")
    assert names[first_exc - 1] == "fault_test", names[first_exc - 3:first_exc + 1]
    on_serial = SERIAL_EVENT.findall(r.serial.replace("\r", ""))
    serial_exc = on_serial.index((ev[first_exc]["phase"], "exception"))
    in_file = [(e["phase"], e["event"]) for e in ev[:first_exc] if e["level"] != "debug"]
    assert on_serial[:serial_exc] == in_file and in_file, (on_serial[:serial_exc], in_file)


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
    assert_nothing_lost_before_the_fault(r, ev)
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
    assert_nothing_lost_before_the_fault(r, ev)
    restores = [i for i, n in enumerate(names) if n == "restore.done"]
    assert restores and restores[0] > first_exc, "no decoder restore after the fault"
    assert "decoder changes undone" in ev[restores[0]]["msg"]


def test_a_dead_stop_at_the_first_touch_keeps_everything_said_before_it(boot):
    """No exception, no handler: the boot CPU stops for good where the first touch would start, and QEMU is
    killed (as a hung machine is power-cycled). The log files hold what the checkpoints wrote: every event the
    serial console showed before the stop, the touch phase's first events included."""
    r = boot(cxltopo.get("default"), efi=TESTHOOKS_EFI,
             extra_files={"cxlval/cxlval.cfg": b"fault_test = hang_in_touch\n"}, stop_on="hanging for good")
    assert r.status is None and "hanging for good" in r.serial, r.serial[-2000:]
    on_serial = SERIAL_EVENT.findall(r.serial.replace("\r", ""))
    stop = on_serial.index(("touch", "fault_test"))
    in_file = [(e["phase"], e["event"]) for e in r.events() if e["level"] != "debug"]
    assert ("touch", "touch.method") in on_serial[:stop]
    assert in_file[:stop] == on_serial[:stop], (in_file, on_serial[:stop])
