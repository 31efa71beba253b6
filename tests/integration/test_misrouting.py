"""Issue 12: failures made on purpose are caught end to end, and the backing files agree.

The test-hooks build (make testhooks-efi) takes config key fault_test:
- swap_targets: after the plan, just before commit, the first two targets of
  the first port decoder that interleaves (the host bridge of the default
  topology) are swapped. Every line then goes to the other device, at the
  right DPA; it still reads back its own tag (writes and reads take the same
  wrong path), so only the per-device cross-check can see it, and the run
  must end routing_failure (1) naming the lines.
- restore_skew: the touch engine puts each line's saved data back one
  granule further on. cxlval's own read-back of the restore agrees with what
  it wrote, so only the whole-file comparison sees the damage.
"""
import pytest

import cxltopo
import groundtruth
from conftest import ROOT, named

TESTHOOKS_EFI = ROOT / "build" / "testhooks" / "cxlval.efi"


def boot_hooked(boot, fault, destructive, **kw):
    assert TESTHOOKS_EFI.exists(), "run through 'make integration' (it builds the test-hooks image)"
    cfg = f"fault_test = {fault}\n" + ("destructive = yes\n" if destructive else "")
    r = boot(cxltopo.get("default"), efi=TESTHOOKS_EFI, clean=False,
             extra_files={"cxlval/cxlval.cfg": cfg.encode()}, **kw)
    ev = r.events()
    (region,) = groundtruth.regions(r.topology, [int(w["resource"], 16) for w in named(ev, "cedt.cfmws")])
    return r, ev, region


def swapped(region):
    """The same region with the host bridge's two targets swapped: what the hook makes the hardware do."""
    return groundtruth.Region(region.window, region.base, region.size, region.ways, region.gran,
                              region.devices[::-1], region.mode)


def test_swapped_targets_are_caught_by_the_cross_check_alone(boot):
    r, ev, region = boot_hooked(boot, "swap_targets", destructive=True)
    assert r.status == 1, f"status {r.status}; serial tail:\n{r.serial[-3000:]}"
    assert named(ev, "cxlval.end")[0]["verdict"] == "routing_failure"
    (hook,) = named(ev, "fault_test")  # the hook did its work, once
    assert "targets 0 and 1 swapped" in hook["msg"]
    # Read-back cannot see it: every line reads its own tag back.
    (res,) = named(ev, "touch.result")
    probes, sweep = region.touched_offsets(4 << 20)
    assert res["touched"] == res["pass"] == len(probes) + len(sweep) and not named(ev, "touch.failure")
    # The cross-check sees every sample on the wrong device.
    (x,) = named(ev, "crosscheck.result")
    samples = groundtruth.crosscheck_samples(region.size, region.gran, region.ways)
    assert (x["status"], x["checked"], x["mismatched"]) == ("done", len(samples), len(samples)), x
    failures = named(ev, "crosscheck.failure")
    assert failures
    # The files: every tag sits where the swapped routing puts it, all eight qwords, nothing else.
    bad = swapped(region)
    groundtruth.assert_tags_exactly(r.workdir, r.topology,
                                    groundtruth.expected_tags(bad, res["seed"], probes | sweep))
    # Each named line: expected where the plan puts it; its tag is in the other device's file there.
    for f in failures:
        hpa = int(f["hpa"], 16) - 8  # the cross-check samples qword 1 of the line
        dev, _, dpa = region.where(hpa - region.base)
        assert int(f["expected_dpa"], 16) == dpa + 8, f
        other, _, at = bad.where(hpa - region.base)
        assert other is not dev and at == dpa
        assert groundtruth.find_tags(r.backing(other.id), res["seed"])[dpa] == hpa


def test_swapped_targets_lose_no_data(boot):
    """Non-destructive: the same misrouting, and every device still holds exactly its own data."""
    r, ev, region = boot_hooked(boot, "swap_targets", destructive=False)
    assert r.status == 1, f"status {r.status}; serial tail:\n{r.serial[-3000:]}"
    (x,) = named(ev, "crosscheck.result")
    assert x["status"] == "done" and x["mismatched"] == x["checked"] > 0
    # (the boot fixture compared every byte of both files with their patterns)


def test_a_restore_one_granule_off_fails_the_whole_file_check(boot):
    topo = cxltopo.get("default")
    r, ev, region = boot_hooked(boot, "restore_skew", destructive=False, fill=groundtruth.fill_unique(topo))
    (res,) = named(ev, "touch.result")
    assert res["restored"] and res["restore_mismatch"] == 0  # cxlval cannot tell
    with pytest.raises(AssertionError, match="data changed in a non-destructive run"):
        groundtruth.assert_patterns_intact(r.workdir, r.topology)
