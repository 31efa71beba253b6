"""Issue 9: memory types (MTRR/PAT) of the windows, firmware's page tables, and cxlval's own.

Ground truth comes from the firmware and from what the test asks of it:
- OVMF 202211's PlatformPei (MemDetect.c) enables the MTRRs with default type WB
  and makes the 32-bit PCI hole UC with a variable MTRR: with -m 2G low RAM ends
  at 2 GiB, so [0x80000000, 0xFFFFFFFF] is UC, and the CXL window at
  0x290000000 (QEMU 7.2 with -m 2G,maxmem=4G) is WB by the default type.
- fwfault's "uncached" line adds the first 256 MiB of the window to the GCD as
  MMIO and sets EFI_MEMORY_UC; OVMF's CpuDxe programs a variable MTRR for it.
- fwfault's "unmapped" line adds the window as MMIO and sets EFI_MEMORY_RP;
  OVMF's CpuDxe clears the present bit of those pages in firmware's tables, so
  any access to the window under firmware's CR3 would page-fault.
- The test-hooks build logs CR3, IDTR, RFLAGS.IF and PAT (event cpu.state) as
  firmware handed them over and as cxlval hands them back.
"""
import cxltopo
from conftest import ROOT, named

W0 = 0x290000000
MiB = 1 << 20
TESTHOOKS_EFI = ROOT / "build" / "testhooks" / "cxlval.efi"


def one(events, name, **match):
    found = [e for e in named(events, name) if all(e.get(k) == v for k, v in match.items())]
    assert len(found) == 1, f"{name} {match}: {len(found)} events"
    return found[0]


def memtype_findings(events):
    return [f for f in named(events, "finding") if f.get("rule", "").startswith("memtype.")]


def test_window_is_write_back_by_ovmf_default_and_runs_on_our_tables(boot):
    r = boot(cxltopo.get("single"))
    assert r.status == 0, r.serial[-2000:]
    ev = r.events()
    assert int(named(ev, "cedt.cfmws")[0]["resource"], 16) == W0, "QEMU placed the window elsewhere: update W0"
    mtrr = one(ev, "memtype.mtrr")
    assert mtrr["enabled"] and mtrr["default_type"] == "wb"
    hole = [v for v in named(ev, "memtype.variable") if v["start"] == "0x80000000" and v["end"] == "0xffffffff"]
    assert hole and hole[0]["type"] == "uc", "OVMF's UC MTRR over the 32-bit PCI hole is missing"
    win = one(ev, "memtype.window", window=0)
    assert (win["memtype"], win["pieces"]) == ("wb", 1) and "(default type)" in win["sources"]
    assert not memtype_findings(ev)
    # Firmware maps the window (OVMF maps its whole 40-bit space); ours map it with WB through PAT index 0.
    fw = one(ev, "paging.window", window=0, tables="firmware")
    ours = one(ev, "paging.window", window=0, tables="cxlval")
    for p in (fw, ours):
        assert p["mapped"] and p["identity"] and p["writable"] and p["memtype"] == "wb"
    built = one(ev, "paging.cxlval")
    assert built["levels"] in (4, 5) and built["tables"] >= 2
    # The CXL phases ran on our tables, everything after on firmware's again.
    switches = named(ev, "paging.switch")
    assert [s["tables"] for s in switches] == ["cxlval", "firmware"]
    assert switches[0]["cr3"] == built["root"] and switches[1]["cr3"] == one(ev, "paging.firmware")["cr3"]
    phases = {p["phase"]: p["tables"] for p in named(ev, "paging.phase")}
    assert phases["program"] == phases["touch"] == "cxlval" and phases["conflicts"] == "firmware"
    assert one(ev, "touch.result")["pass"] > 0


def test_one_gib_pages_where_the_cpu_has_them(boot):
    # -cpu qemu64,pdpe1gb sets CPUID.80000001H:EDX.Page1GB. The window 0x290000000-0x38fffffff holds
    # three aligned GiB (0x2c0000000, 0x300000000, 0x340000000); the rest, 768 + 256 MiB, is 512 x 2 MiB.
    r = boot(cxltopo.get("single"), extra_args=["-cpu", "qemu64,pdpe1gb"])
    assert r.status == 0, r.serial[-2000:]
    ev = r.events()
    built = one(ev, "paging.cxlval")
    assert (built["leaves_1g"], built["leaves_2m"], built["leaves_4k"]) == (3, 512, 0)
    assert one(ev, "paging.window", window=0, tables="cxlval")["page_sizes"] == "2M,1G"
    res = one(ev, "touch.result")
    assert res["pass"] == res["touched"] > 0


def test_uc_mtrr_over_the_window_is_a_finding(boot):
    r = boot(cxltopo.get("single"), fwfault=f"uncached {W0:#x} {256 * MiB:#x}\n")
    assert r.status == 0, r.serial[-2000:]  # a warning, not a failure
    assert "fwfault: uncached 0x290000000 size 0x10000000: status 0x0" in r.serial
    ev = r.events()
    mine = [v for v in named(ev, "memtype.variable")
            if int(v["start"], 16) == W0 and int(v["end"], 16) == W0 + 256 * MiB - 1]
    assert len(mine) == 1 and mine[0]["type"] == "uc", "CpuDxe did not program the MTRR fwfault asked for"
    src = f"variable MTRR {mine[0]['index']}"
    win = one(ev, "memtype.window", window=0)
    assert (win["memtype"], win["types"], win["pieces"]) == ("mixed", "uc,wb", 2)
    assert win["sources"] == (f"uc 0x290000000-0x29fffffff ({src}); wb 0x2a0000000-0x38fffffff (default type)")
    f = memtype_findings(ev)
    assert len(f) == 1 and f[0]["rule"] == "memtype.window_uc" and f[0]["severity"] == "warning"
    # The region cxlval programs is the first 256 MiB: all UC, and still routed correctly.
    region = one(ev, "memtype.region", region="region0")
    assert region["memtype"] == "uc" and src in region["sources"]
    assert one(ev, "paging.window", window=0, tables="cxlval")["memtype"] == "uc,wb"
    res = one(ev, "touch.result")
    assert res["pass"] == res["touched"] > 0


def test_window_firmware_left_unmapped_is_touched_through_our_tables(boot):
    # quick_mib = 1: half a MiB per CPU, some hundred times less than the late-CPU deadline (10 s and
    # more) allows, so "late" means the AP faulted, never that this host was busy.
    r = boot(cxltopo.get("single"), fwfault=f"unmapped {W0:#x} {4 << 30:#x}\n",
             extra_files={"cxlval/cxlval.cfg": b"quick_mib = 1\n"})
    assert r.status == 0, r.serial[-2000:]
    assert "fwfault: unmapped 0x290000000 size 0x100000000: status 0x0" in r.serial
    ev = r.events()
    fw = one(ev, "paging.window", window=0, tables="firmware")
    assert not fw["mapped"] and fw["mapped_bytes"] == "0x0" and fw["first_unmapped"] == hex(W0)
    assert fw["memtype"] == "unmapped"
    ours = one(ev, "paging.window", window=0, tables="cxlval")
    assert ours["mapped"] and ours["identity"] and ours["memtype"] == "wb"
    # Every granule read back its tag: the touches went through our mapping (firmware's would fault).
    assert {p["phase"]: p["tables"] for p in named(ev, "paging.phase")}["touch"] == "cxlval"
    res = one(ev, "touch.result")
    assert res["pass"] == res["touched"] > 0
    # The APs too: each loaded our tables for its slice (on firmware's it would fault and never come back).
    cpus = named(ev, "touch.cpu")
    assert len(cpus) >= 2 and all(c["bytes"] > 0 for c in cpus) and not named(ev, "touch.cpu_late")


def test_cpu_state_is_handed_back_as_firmware_left_it(boot):
    assert TESTHOOKS_EFI.exists(), "run through 'make integration' (it builds the test-hooks image)"
    r = boot(cxltopo.get("single"), efi=TESTHOOKS_EFI)
    assert r.status == 0, r.serial[-2000:]
    ev = r.events()
    start, end = one(ev, "cpu.state", when="start"), one(ev, "cpu.state", when="end")
    for k in ("cr3", "idtr_base", "idtr_limit", "interrupts", "pat"):
        assert start[k] == end[k], f"{k}: {start[k]} at start, {end[k]} at the end"
    # Not vacuous: CR3 and the PAT really were ours in between.
    ours = one(ev, "paging.switch", tables="cxlval")
    assert ours["cr3"] != start["cr3"] and ours["pat"] != start["pat"]
    assert one(ev, "paging.cxlval")["pat_changed"]
