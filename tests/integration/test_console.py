"""Issue 7: what an operator sees on the serial console (a BMC's serial-over-LAN): progress during a long
touch phase, a final summary table with the verdict, plain text only."""
import re

import cxltopo
from conftest import named


def test_progress_lines_and_summary_on_serial(boot):
    # One CPU sweeps 32 MiB, written and read: over a second under TCG (whose MMIO dispatch held a
    # vCPU to 26-53 MiB/s in make bench), so progress shows; the boot took 18 s at load average 5. The
    # lines are checked for what they say, not for how many came in how long.
    r = boot(cxltopo.get("single", smp=1), extra_files={"cxlval/cxlval.cfg": b"quick_mib = 32\n"})
    assert r.status == 0, r.serial[-2000:]
    progress = re.findall(r"region0 sweep, MiB +(\d+)%  (\d+)/(\d+)  [\d.]+ MiB/s", r.serial)
    # A line comes at most once a second, the 100 % line only after another: two once the sweep
    # takes over a second, which 64 MiB of MMIO passes does under TCG.
    assert len(progress) >= 2, r.serial[-3000:]
    pcts = [int(p[0]) for p in progress]
    assert pcts == sorted(pcts) and pcts[-1] == 100
    # CPU 0 speaks for all: its slice, written once and read once.
    cpu0 = [c for c in named(r.events(), "touch.cpu") if c["cpu"] == 0][0]
    slice_mib = (int(cpu0["slice_end"], 16) + 1 - int(cpu0["slice_start"], 16)) >> 20
    assert int(progress[-1][1]) == int(progress[-1][2]) == 2 * slice_mib
    assert "region0 sweep" not in r.run_file("log.txt").decode()  # progress is for people watching only

    table = [l for l in r.serial.splitlines() if l.startswith("| ")]
    rows = {l[2:14].strip(): l[17:].rstrip(" |") for l in table}
    assert rows["verdict"] == "pass (exit status 0)"
    assert rows["regions"].startswith("1 planned, 0 not possible; 1 touched: 1 PASS, 0 FAIL")
    assert rows["windows"].startswith("1 CFMWS, 1 host bridges, 1 memory devices")
    assert rows["results"].startswith(f"\\cxlval\\runs\\{r.runs()[-1]}\\")
    # Serial-over-LAN: no escape sequences from cxlval (OVMF's own start-up output comes before ours).
    ours = r.serial[r.serial.index("cxlval.start"):]
    assert "\x1b" not in ours
