"""Issue 7: the shell command line overrides cxlval.cfg, and verbosity filters console and serial only.

fwfault starts cxlval the way the UEFI shell does, with LoadOptions
"cxlval.efi <words>", so this is the path a user's command line takes.
"""
import cxltopo
from conftest import named


def test_command_line_overrides_the_file_and_mistakes_are_named(boot):
    cfg = b"quick_mib = 16\nverbosity = info\ntimeout_ms = 50\n"
    r = boot(cxltopo.get("default"), fwfault="args quick_mib=2 verbosity=warn bogus=1\n",
             extra_files={"cxlval/cxlval.cfg": cfg})
    ev = r.events()
    assert r.status == 0, r.serial[-2000:]  # a config mistake is the operator's, not the firmware's
    (c,) = named(ev, "config")
    assert c["from_file"] and c["from_command_line"]
    assert c["quick_mib"] == 2 and c["verbosity"] == "warn"  # the command line wins
    assert c["timeout_ms"] == 50  # the file still applies where the command line is silent
    bad = [f for f in named(ev, "finding") if f["table"] == "command line"]
    assert [(f["rule"], f["index"]) for f in bad] == [("config.unknown_key", 3)], bad
    # verbosity=warn: info events are in the log file but not on the console (which OVMF sends to serial)
    assert "cedt.cfmws" in r.run_file("log.txt").decode() and "cedt.cfmws" not in r.serial
    assert "config.unknown_key" in r.serial


def test_bad_values_in_the_file_keep_the_defaults(boot):
    cfg = b"mode = fast\nwatchdog_s = 5\nserial_baud = 1234\n"
    r = boot(cxltopo.get("default"), extra_files={"cxlval/cxlval.cfg": cfg})
    ev = r.events()
    assert r.status == 0, r.serial[-2000:]
    (c,) = named(ev, "config")
    assert (c["mode"], c["watchdog_s"], c["serial_baud"]) == ("quick", 600, 115200)
    got = sorted((f["field"], f["index"]) for f in named(ev, "finding") if f["table"] == "cxlval.cfg")
    assert got == [("mode", 1), ("serial_baud", 3), ("watchdog_s", 2)]
