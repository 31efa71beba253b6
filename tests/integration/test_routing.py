"""Issue 4: every touched granule reached the device and DPA the interleave math predicts.

The test knows the topology it gave QEMU; it predicts with its own modulo
math (groundtruth.py), reads the memory-backend files and compares. cxlval's
log is used only for the region's base, size and seed.
"""
import pytest

import cxltopo
from conftest import named
from groundtruth import find_tags, line_tags_whole, modulo_route, probe_offsets

QUICK = 16 << 20
LINE = 64
# topology -> (region ways, granularity, device ids in interleave position order)
EXPECT = {
    "single": (1, 256, ["mem0"]),
    "default": (2, 256, ["mem0", "mem1"]),
    "two_hb": (2, 8192, ["mem0", "mem1"]),
    "switch": (2, 256, ["mem0", "mem1"]),
    "two_windows": (2, 256, ["mem0", "mem1"]),
}


def destructive_run(boot, name):
    r = boot(cxltopo.get(name), extra_files={"cxlval/cxlval.cfg": b"destructive = yes\nquick_mib = 16\n"})
    assert r.status == 0, f"status {r.status}; serial tail:\n{r.serial[-3000:]}"
    return r, r.events()


@pytest.mark.parametrize("name", sorted(EXPECT))
def test_every_granule_reaches_the_predicted_dpa(boot, name):
    ways, gran, order = EXPECT[name]
    r, ev = destructive_run(boot, name)
    plan = [p for p in named(ev, "region.plan") if "resource" in p]
    assert len(plan) == 1, named(ev, "region.plan")
    base, size = int(plan[0]["resource"], 16), int(plan[0]["size"], 16)
    topo_dev = {d.id: d for d in r.topology.devices}
    if len(r.topology.windows) == 1:
        assert size == len(order) * topo_dev[order[0]].size  # the whole capacity, interleaved
    result = named(ev, "touch.result")[0]
    assert result["pass"] == result["touched"] and not result["restored"]
    seed = result["seed"]

    probes, sweep = probe_offsets(size, gran, ways), set(range(0, QUICK, LINE))
    assert result["touched"] == len(probes) + len(sweep)  # the probes are their own batch: overlaps count twice
    assert named(ev, "touch.probes")[0]["touches"] == len(probes)
    expected = {}
    for off in probes | sweep:
        pos, dpa = modulo_route(off, ways, gran)
        expected[(order[pos], dpa)] = base + off
    found = {}
    for dev in order:
        for dpa, hpa in find_tags(r.workdir / f"{dev}.mem", seed).items():
            found[(dev, dpa)] = hpa
    missing = {k: v for k, v in expected.items() if k not in found}
    wrong = {k: (found[k], v) for k, v in expected.items() if k in found and found[k] != v}
    extra = {k: v for k, v in found.items() if k not in expected}
    assert not missing, f"{len(missing)} tags never reached their device/DPA, e.g. {list(missing.items())[:3]}"
    assert not wrong, f"{len(wrong)} DPAs hold another HPA's tag (found, expected): {list(wrong.items())[:3]}"
    assert not extra, f"{len(extra)} tags landed where no write should go: {list(extra.items())[:3]}"
    for dev in order:  # every qword of a touched line holds its tag, not just the first
        dpas = [dpa for (d, dpa) in expected if d == dev]
        assert not line_tags_whole(r.workdir / f"{dev}.mem", seed, dpas[:4096])


def test_two_windows_on_two_host_bridges_each_route(boot):
    """Case (e): two windows, two regions, each checked against its own device's backing file."""
    r, ev = destructive_run(boot, "two_windows_two_hb")
    plans = [p for p in named(ev, "region.plan") if "resource" in p]
    windows = named(ev, "cedt.cfmws")
    assert len(plans) == 2 and len(windows) == 2
    results = named(ev, "touch.result")
    assert len(results) == 2 and all(x["pass"] == x["touched"] for x in results)
    for plan, result, window in zip(plans, results, windows):
        base, size = int(plan["resource"], 16), int(plan["size"], 16)
        assert base == int(window["resource"], 16) and size == 256 << 20
        dev = "mem0" if window["targets"] == "12" else "mem1"  # QEMU: window 0 -> cxl.1 (12), 1 -> cxl.2
        expected = {off: base + off for off in probe_offsets(size, 256, 1) | set(range(0, QUICK, LINE))}
        found = find_tags(r.workdir / f"{dev}.mem", result["seed"])
        assert found == expected, f"{dev}: {len(set(expected) - set(found))} missing, " \
                                  f"{len(set(found) - set(expected))} unexpected"


def test_second_window_on_one_decoder_hardware_gets_a_reason(boot):
    """QEMU 7.2 gives every component one HDM decoder: the second window cannot get a region.
    cxlval must say so with a reason and still verify the first (the multi-decoder case is
    covered by the host planner tests)."""
    r, ev = destructive_run(boot, "two_windows")
    plans = named(ev, "region.plan")
    assert len(plans) == 2
    assert "resource" in plans[0] and int(plans[0]["resource"], 16) == int(named(ev, "cedt.cfmws")[0]["resource"], 16)
    assert plans[1]["reason"] == "no_free_decoder"
    assert len(named(ev, "touch.result")) == 1


def test_non_destructive_run_leaves_device_data_as_it_was(boot, tmp_path):
    pattern = bytes((i * 37 + 11) & 0xFF for i in range(4096))

    def fill(device, path):
        with open(path, "r+b") as f:
            for off in range(0, 32 << 20, 4096):
                f.seek(off)
                f.write(pattern)

    r = boot(cxltopo.get("default"), fill=fill)
    assert r.status == 0, r.serial[-3000:]
    ev = r.events()
    result = named(ev, "touch.result")[0]
    # DEVICE_PRIVATE done right: scratch memory came from the allocator and lies outside every window.
    scratch = named(ev, "scratch.alloc")
    assert scratch and all(int(a["resource"], 16) for a in scratch)
    for a in scratch:
        lo, hi = int(a["resource"], 16), int(a["resource"], 16) + int(a["size"], 16) - 1
        for w in named(ev, "cedt.cfmws"):
            wlo = int(w["resource"], 16)
            assert hi < wlo or lo > wlo + int(w["size"], 16) - 1
    assert result["restored"] and result["restore_mismatch"] == 0 and result["touched"] > 60000
    for dev in ("mem0", "mem1"):
        with open(r.workdir / f"{dev}.mem", "rb") as f:
            for off in range(0, 32 << 20, 4096):
                assert f.read(4096) == pattern, f"{dev} changed at DPA {off:#x}"
        assert not find_tags(r.workdir / f"{dev}.mem", result["seed"])
