"""Issue 3: cxlval's view of the firmware matches what the QEMU command line built.

Ground truth is the topology definition that produced the QEMU arguments,
never a stored copy of cxlval's output.
"""
import pytest

import cxltopo
from conftest import named

GiB = 1 << 30
RAM_TYPES = {"LoaderCode", "LoaderData", "BootServicesCode", "BootServicesData", "RuntimeServicesCode",
             "RuntimeServicesData", "Conventional", "ACPIReclaim", "ACPINVS"}


def size_of(spec):
    return int(spec[:-1]) * GiB if spec.endswith("G") else int(spec)


CASES = [("default", {}), ("two_hb", {}), ("switch", {}), ("two_windows", {"memory": "3G", "maxmem": "5G"}),
         ("three_hb", {}), ("both_partitions", {})]


@pytest.mark.parametrize("name,overrides", CASES, ids=[c[0] for c in CASES])
def test_firmware_facts_match_qemu_arguments(boot, name, overrides):
    topo = cxltopo.get(name, **overrides)
    r = boot(topo)
    assert r.status == 0, f"status {r.status}; serial tail:\n{r.serial[-3000:]}"
    ev = r.events()
    assert ev[-1]["event"] == "cxlval.end" and ev[-1]["verdict"] == "pass"

    # Memory map: the RAM QEMU was given (-m) is what firmware reports, give or take holes.
    mem = named(ev, "memmap.entry")
    assert mem, "no memory map"
    ram = sum(e["pages"] * 4096 for e in mem if e["type"] in RAM_TYPES)
    assert size_of(topo.memory) - 64 * (1 << 20) <= ram <= size_of(topo.memory)
    spans = sorted((int(e["start"], 16), int(e["end"], 16)) for e in mem)
    assert all(a[1] < b[0] for a, b in zip(spans, spans[1:])), "memory map descriptors overlap"

    # Every table's checksum holds; the ones a q35 CXL machine must have are there.
    tables = named(ev, "acpi.table")
    sigs = [t["signature"] for t in tables]
    for sig in ("FACP", "APIC", "MCFG", "CEDT", "DSDT"):
        assert sig in sigs
    assert all(t["checksum_ok"] for t in tables)
    acpi_findings = [f for f in named(ev, "finding") if f["phase"] == "acpi"]
    assert not acpi_findings, acpi_findings

    # CHBS: one per pxb-cxl, matched by UID (QEMU lists them in any order).
    chbs = {c["uid"]: c for c in named(ev, "cedt.chbs")}
    want = topo.expected_chbs()
    assert set(chbs) == set(want)
    for uid, facts in want.items():
        assert chbs[uid]["cxl_version"] == facts["cxl_version"]
        assert int(chbs[uid]["length"], 16) == facts["length"]
        base = int(chbs[uid]["base"], 16)
        assert base and base % 0x10000 == 0
        assert chbs[uid]["valid"]

    # CFMWS: one per fixed memory window, in QEMU's order.
    got = named(ev, "cedt.cfmws")
    want = topo.expected_cfmws()
    assert len(got) == len(want)
    ram_top = max(end for start, end in spans if any(
        e["type"] in RAM_TYPES and int(e["start"], 16) == start for e in mem))
    prev_end = 0
    for g, w in zip(got, want):
        base, size = int(g["resource"], 16), int(g["size"], 16)
        assert size == w["size"]
        assert g["interleave_ways"] == w["interleave_ways"]
        assert g["interleave_granularity"] == w["interleave_granularity"]
        assert [int(t) for t in g["targets"].split(",")] == w["targets"]
        assert int(g["restrictions"], 16) == w["restrictions"]
        assert g["arithmetic"] == w["arithmetic"] and g["valid"]
        assert base % (256 << 20) == 0 and base > ram_top and base >= prev_end
        prev_end = base + size

    # MCFG: the ECAM it names is the reserved range in the memory map (two firmware sources agree).
    mcfg = named(ev, "mcfg.entry")
    assert len(mcfg) == 1 and mcfg[0]["valid"]
    ecam = int(mcfg[0]["base"], 16)
    ecam_end = ecam + ((mcfg[0]["end_bus"] + 1) << 20) - 1
    assert any(e["type"] == "Reserved" and int(e["start"], 16) <= ecam and int(e["end"], 16) >= ecam_end
               for e in mem)

    # The text log on the stick says the same as the serial console.
    txt = r.run_file("log.txt").decode()
    assert "cxlval.end verdict=pass" in txt and "cedt.cfmws" in txt


def test_platform_identity_comes_from_smbios(boot):
    """The strings QEMU was told to put in SMBIOS are the ones cxlval reports."""
    r = boot(cxltopo.get("default"), extra_args=[
        "-smbios", "type=0,vendor=TestBIOS,version=9.9.cxl",
        "-smbios", "type=1,manufacturer=ACME Labs,product=CXL Box 9000,version=B2"])
    assert r.status == 0, f"status {r.status}; serial tail:\n{r.serial[-3000:]}"
    (p,) = named(r.events(), "platform.identity")
    assert p["smbios"] and p["smbios_version"] != "none"
    assert (p["bios_vendor"], p["bios_version"]) == ("TestBIOS", "9.9.cxl")
    assert (p["sys_vendor"], p["product_name"], p["product_version"]) == ("ACME Labs", "CXL Box 9000", "B2")
