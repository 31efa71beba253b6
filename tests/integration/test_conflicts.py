"""Issue 5: cxlval names exactly the firmware ranges the injector put over the windows.

fwfault (tests/fwfault) adds ranges to the firmware's memory map before
cxlval starts. Each case lists the injected ranges and, written out by hand,
the conflicts that must be reported: target, shape, firmware class, bytes,
Linux verdict. Nothing else may be reported.
"""
import pytest

import cxltopo
from conftest import named

M, G = 1 << 20, 1 << 30
W0 = 0x290000000  # QEMU (7.2 and 10) puts window 0 here with -m 2G,maxmem=4G; asserted below
W1 = W0 + 4 * G
REGION = 512 * M  # default topology: 2 devices x 256 MiB


def inject(*ranges):
    return "".join(f"{kind} {base:#x} {size:#x}\n" for kind, base, size in ranges)


def merged(ranges):
    """The injected ranges as firmware's map holds them: adjacent ones of one kind become one."""
    out = []
    for kind, base, size in sorted(ranges, key=lambda x: x[1]):
        if out and out[-1][0] == kind and out[-1][1] + out[-1][2] == base:
            out[-1] = (kind, out[-1][1], out[-1][2] + size)
        else:
            out.append((kind, base, size))
    return out


CASES = {
    "all_soft_reserved": ("default", [("soft_reserved", W0, 4 * G)], [
        ("window", 0, "exact", "soft_reserved", 4 * G, "hmem_deferred"),
        ("region", 0, "window_inside_fw", "soft_reserved", REGION, "hmem_partial_kept")]),
    "head_conventional": ("default", [("conventional", W0, 256 * M)], [
        ("window", 0, "fw_inside_window", "system_ram", 256 * M, "region_blocked_by_system_ram"),
        ("region", 0, "fw_inside_window", "system_ram", 256 * M, "region_blocked_by_system_ram")]),
    "tail_reserved": ("default", [("reserved", W0 + 4 * G - 256 * M, 256 * M)], [
        ("window", 0, "fw_inside_window", "reserved", 256 * M, "reserved_nested")]),
    "middle_persistent": ("default", [("persistent", W0 + G, 256 * M)], [
        ("window", 0, "fw_inside_window", "persistent", 256 * M, "pmem_claims_window")]),
    "merged_with_ram_below": ("default", [("conventional", W0 - 128 * M, 128 * M), ("conventional", W0, 128 * M)], [
        ("window", 0, "partial_head", "system_ram", 128 * M, "insert_resource_ebusy"),
        ("region", 0, "partial_head", "system_ram", 128 * M, "insert_resource_ebusy")]),
    "spanning_two_windows": ("two_windows", [("reserved", W1 - 256 * M, 512 * M)], [
        ("window", 0, "partial_tail", "reserved", 256 * M, "next_window_dropped"),
        ("window", 1, "partial_head", "reserved", 256 * M, "next_window_dropped")]),
    "none": ("default", [], []),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_injected_conflicts_are_reported_exactly(boot, case):
    topo_name, ranges, want = CASES[case]
    r = boot(cxltopo.get(topo_name), fwfault=inject(*ranges))
    ev = r.events()
    windows = named(ev, "cedt.cfmws")
    assert int(windows[0]["resource"], 16) == W0, "QEMU placed window 0 elsewhere: update W0"
    assert r.status == (2 if want else 0), f"status {r.status}\n{r.serial[-2500:]}"

    # The injected ranges are in the memory map cxlval read (merged ones as one descriptor).
    mem = named(ev, "memmap.entry")
    for kind, base, size in ranges:
        assert any(int(e["start"], 16) <= base and base + size - 1 <= int(e["end"], 16) for e in mem), (kind, hex(base))

    got = sorted((c["target"], c["target_index"], c["shape"], c["fw_class"], c["bytes"], c["linux"])
                 for c in named(ev, "conflict"))
    assert got == sorted(want)
    for c in named(ev, "conflict"):
        lo, hi = int(c["overlap_start"], 16), int(c["overlap_end"], 16)
        assert hi - lo + 1 == c["bytes"]
        # Inside one injected range (the merged case: inside the two as firmware merged them).
        assert any(base <= lo and hi <= base + size - 1 for _, base, size in merged(ranges)), c
        assert c["cost"] and c["fix"]
    # Non-destructive: a region under firmware-owned memory is not touched; any other region is.
    skipped = {x["region"] for x in named(ev, "touch.skipped")}
    touched = {x["region"] for x in named(ev, "touch.result")}
    if [w for w in want if w[0] == "region"]:
        assert skipped == {"region0"} and not touched
    else:
        assert touched == {"region0"} and not skipped
