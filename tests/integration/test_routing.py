"""Issue 4 / 12: every touched line reached the device and DPA the interleave math predicts.

The test knows the topology it gave QEMU (tools/cxltopo.py: which devices, in
which interleave position, which partition); groundtruth.py predicts with its
own modulo math and compares whole backing files: in a destructive run every
predicted line holds its tag in all eight qwords and every other byte stays
zero; in a non-destructive run every file holds exactly the unique pattern it
was filled with. cxlval's log gives only each region's seed. The boot fixture
(conftest.check_clean) does the comparison and the exact counts for every
clean run; the tests here add what is particular to each topology.
"""
import pytest

import cxltopo
import groundtruth
from conftest import named

DESTRUCTIVE = b"destructive = yes\nquick_mib = 16\n"
CLEAN = ["single", "default", "two_hb", "switch", "two_windows", "two_windows_two_hb", "volatile",
         "both_partitions", "three_hb", "six_hb", "three_hb_x2", "switch4", "two_hb_4"]


def destructive_run(boot, name):
    r = boot(cxltopo.get(name), extra_files={"cxlval/cxlval.cfg": DESTRUCTIVE})
    return r, r.events()


def regions_of(r, ev):
    return groundtruth.regions(r.topology, [int(w["resource"], 16) for w in named(ev, "cedt.cfmws")])


@pytest.mark.parametrize("name", CLEAN)
def test_every_line_reaches_the_predicted_dpa(boot, name):
    """check_clean compared every byte of every backing file with the prediction; here: the prediction
    is not empty, and each device got the lines of its own interleave position."""
    r, ev = destructive_run(boot, name)
    regions = regions_of(r, ev)
    assert len(regions) == len([w for w in r.topology.windows if w.mode])
    if name in ("three_hb", "six_hb", "three_hb_x2"):  # not vacuous: the window's base is not at position 0 (HPA mod 3)
        assert regions[0].where(0)[0] is not regions[0].devices[0]
    for g in regions:
        seed = named(ev, "touch.result")[regions.index(g)]["seed"]
        for dev in g.devices:
            tags = groundtruth.find_tags(r.backing(dev.id, g.mode), seed)
            assert tags, f"{dev.id} holds no tag of region{g.window}"
            # The device's first line is the first line of its position's first granule.
            assert tags[0] == g.first_hpa(dev), (dev.id, hex(tags[0]))


def test_two_windows_on_one_host_bridge_second_has_no_capacity_left(boot):
    """Four decoders per component (QEMU 10): the second window is refused for capacity, not for
    want of a decoder; the first region takes both devices whole."""
    r, ev = destructive_run(boot, "two_windows")
    plans = named(ev, "region.plan")
    assert len(plans) == 2 and "resource" in plans[0]
    assert plans[1]["reason"] == "insufficient_capacity", plans[1]


def test_both_partitions_two_regions_two_decoders_per_component(boot):
    """RAM region in window 0, PMEM region in window 1 at the higher HPA, each component's decoders
    0 then 1; the PMEM region's endpoint decoders start after the volatile partition."""
    r, ev = destructive_run(boot, "both_partitions")
    plans = [p for p in named(ev, "region.plan") if "resource" in p]
    assert [p["mode"] for p in plans] == ["ram", "pmem"]
    assert int(plans[0]["resource"], 16) < int(plans[1]["resource"], 16)
    decoders = named(ev, "region.decoder")
    topo = r.topology
    vsize = topo.devices[0].volatile
    for region, index in (("region0", "0"), ("region1", "1")):
        mine = [d for d in decoders if d["region"] == region]
        assert len(mine) == 1 + len(topo.devices)  # the host bridge and every endpoint
        assert {d["decoder"].split(".")[1] for d in mine} == {index}
        dpa = {int(d["dpa_resource"], 16) for d in mine if "dpa_resource" in d}
        assert dpa == ({0} if region == "region0" else {vsize})


def test_two_windows_on_two_host_bridges_each_route(boot):
    """Each window's one host bridge and its one device: the topology says which device is behind it."""
    r, ev = destructive_run(boot, "two_windows_two_hb")
    for g in regions_of(r, ev):
        (dev,) = g.devices
        assert dev.bus == {"cxl.1": "rp0", "cxl.2": "rp1"}[r.topology.windows[g.window].targets[0]]


def test_non_destructive_run_leaves_device_data_as_it_was(boot):
    """Every device filled with its own pattern (unique per device and qword, whole file); the fixture
    compares every byte after the run. Here: the scratch memory was outside every window, the run
    restored its data, and the counts are the topology's."""
    r = boot(cxltopo.get("default"))
    assert r.status == 0, r.serial[-3000:]
    ev = r.events()
    scratch = named(ev, "scratch.alloc")
    assert scratch and all(int(a["resource"], 16) for a in scratch)
    for a in scratch:
        lo, hi = int(a["resource"], 16), int(a["resource"], 16) + int(a["size"], 16) - 1
        for w in named(ev, "cedt.cfmws"):
            wlo = int(w["resource"], 16)
            assert hi < wlo or lo > wlo + int(w["size"], 16) - 1
    (g,) = regions_of(r, ev)
    probes, sweep = g.touched_offsets(4 << 20)  # quick_mib's default
    result = named(ev, "touch.result")[0]
    assert result["restored"] and result["restore_mismatch"] == 0
    assert result["touched"] == len(probes) + len(sweep)
