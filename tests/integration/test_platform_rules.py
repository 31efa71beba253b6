"""Issue 15: platform rules QEMU's default machine does not exercise (docs/platform-rules.md).

Ground truth is what the test hands QEMU: the CEDT it builds byte by byte,
the poison it injects through QMP, and the memory-backend files.
"""
import json

import cxltopo
import groundtruth
from acpi_build import AMD_CXL_ATL_GUID, cfmws, chbs, prmt, table
from conftest import ROOT, named, quick_bytes

G = 1 << 30
RCRB = 0x7F0000000


def test_rch_only_host_bridge_refuses_its_window(boot, tmp_path):
    # A CXL 1.1 host: CHBS version 0, an 8 KiB RCRB; the window's only target is it.
    path = tmp_path / "cedt.bin"
    path.write_bytes(table(b"CEDT", chbs(7, RCRB, version=0, length=0x2000) + cfmws(0x400000000, 4 * G, 0, 0, 0, [7])))
    r = boot(cxltopo.get("no_cxl"), extra_args=["-acpitable", f"file={path}"])
    ev = r.events()
    plans = named(ev, "region.plan")
    assert [p["window"] for p in plans] == [0], r.serial[-2500:]
    assert plans[0]["reason"] == "rch_host_bridge", plans[0]
    assert "UID 7" in plans[0]["msg"] and f"RCRB {RCRB:#x}" in plans[0]["msg"] and "CHBS" in plans[0]["msg"]
    rch = named(ev, "topology.rch")
    assert len(rch) == 1 and rch[0]["uid"] == 7 and int(rch[0]["rcrb"], 16) == RCRB
    assert not named(ev, "region.committed")
    assert r.status in (0, 6), f"status {r.status}\n{r.serial[-2500:]}"  # 6: not_verified once issue 14 lands


POISON = {"mem0": (0x1000, 64), "mem1": (0x2000, 128)}  # DPA, bytes: in the first MiB every device gets touched
CFG = "destructive = yes\n"  # the tags stay: the backing files show exactly which lines cxlval wrote


def test_poisoned_dpa_is_listed_and_never_touched(boot):
    # Poison injected through QMP before firmware runs. Ground truth from the topology: every line the
    # run touches carries its predicted tag on its predicted device, except the poisoned ones, which stay 0.
    topo = cxltopo.get("default")
    cmds = [("cxl-inject-poison", {"path": f"/machine/peripheral/{dev}", "start": dpa, "length": n})
            for dev, (dpa, n) in POISON.items()]
    r = boot(topo, qmp=cmds, clean=False, extra_files={"cxlval/cxlval.cfg": CFG.encode()})
    ev = r.events()
    assert r.status == 0, f"status {r.status}\n{r.serial[-2500:]}"
    found = sorted((int(p["dpa"], 16), int(p["length"], 16)) for p in named(ev, "poison.found"))
    assert found == sorted(POISON.values()), found
    report = json.loads(r.run_file("report.json"))
    assert sorted((int(p["dpa"], 16), int(p["length"], 16)) for p in report["poison"]
                  if p["event"] == "poison.found") == found
    html = r.run_file("report.html").decode()
    table = html[html.index("Poisoned device addresses"):]
    assert all(f">{dpa:#x}<" in table[:4000] for dpa, _ in POISON.values()), table[:2000]
    # Host-bridge identity came from the root bridge protocol: each pxb-cxl is a root bridge whose _UID and
    # first bus are its bus_nr, and the root ports below it joined that host bridge.
    bridges = {(b["uid"], int(b["bus_start"], 16)) for b in named(ev, "firmware.root_bridge") if "uid" in b}
    assert {(bus_nr, bus_nr) for _, bus_nr in topo.host_bridges} <= bridges, bridges
    assert len(named(ev, "topology.dport")) == len(topo.root_ports)

    (g,) = groundtruth.regions(topo, [int(w["resource"], 16) for w in named(ev, "cedt.cfmws")])
    poisoned = {(dev, dpa + k) for dev, (dpa, n) in POISON.items() for k in range(0, n, 64)}
    probes, sweep = g.touched_offsets(quick_bytes(CFG))
    hit = {off for off in probes | sweep if (g.where(off)[0].id, g.where(off)[2]) in poisoned}
    assert len(hit) == len(poisoned)  # every poisoned line lies where this run touches
    (res,) = named(ev, "touch.result")
    assert res["skipped_poison"] == len(probes & hit) + len(sweep & hit), res
    assert res["touched"] == res["pass"] == len(probes - hit) + len(sweep - hit), res
    (skipped,) = named(ev, "touch.poison_skipped")
    assert skipped["lines"] == len(hit) and skipped["complete"] is True
    assert int(skipped["first_hpa"], 16) == g.base + min(hit)
    groundtruth.assert_tags_exactly(r.workdir, topo, groundtruth.expected_tags(g, res["seed"], (probes | sweep) - hit))


def test_machine_check_in_touch_logs_banks_restores_and_ends_as_exception(boot):
    # The test-hooks build raises int 18 after the region is committed: the #MC path, end to end.
    # (QEMU raises no #MC on a poisoned read, so the banks hold nothing; the host test fills them.)
    efi = ROOT / "build" / "testhooks" / "cxlval.efi"
    assert efi.exists(), "run through 'make integration' (it builds the test-hooks image)"
    r = boot(cxltopo.get("default"), efi=efi, extra_files={"cxlval/cxlval.cfg": b"fault_test = mc_in_touch\n"})
    assert r.status == 5, f"status {r.status}\n{r.serial[-2500:]}"
    ev = r.events()
    names = [e["event"] for e in ev]
    exc = names.index("exception")
    assert ev[exc]["vector"] == 18 and "#MC" in ev[exc]["msg"] and ev[exc]["phase"] == "touch"
    mce = named(ev, "mce")
    assert len(mce) == 1 and mce[0]["banks"] >= 1 and mce[0]["valid"] == 0, mce
    assert names.index("mce") > exc
    restores = [i for i, n in enumerate(names) if n == "restore.done"]
    assert restores and restores[0] > names.index("mce"), "no decoder restore after the machine check"


def test_prmt_address_translation_means_normalized_and_nothing_is_programmed(boot, tmp_path):
    # AMD's PRM handler for CXL address translation in a PRMT: the platform uses normalized addresses.
    path = tmp_path / "prmt.bin"
    path.write_bytes(table(b"PRMT", prmt([b"\x11" * 16, AMD_CXL_ATL_GUID])))
    r = boot(cxltopo.get("default"), extra_args=["-acpitable", f"file={path}"])
    ev = r.events()
    found = [f for f in named(ev, "finding") if f.get("rule") == "platform.normalized_addressing"]
    assert len(found) == 1 and found[0]["severity"] == "warning" and "EE41B397" in found[0]["msg"], found
    plans = named(ev, "region.plan")
    assert plans and all(p.get("reason") == "normalized_addressing" for p in plans), plans
    assert not named(ev, "region.committed") and not named(ev, "touch.result")
    assert r.status in (0, 6), f"status {r.status}\n{r.serial[-2500:]}"  # a warning, not bad tables
