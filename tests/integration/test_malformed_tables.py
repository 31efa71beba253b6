"""Issue 6: malformed CEDTs, each reported precisely, the valid parts still used.

The machine has no CXL of its own (-M q35 without cxl=on, so QEMU builds no
CEDT); the test builds the only CEDT and passes it with -acpitable. Every
table holds a valid CHBS (index 0, offset 36) and a valid window (index 1,
offset 68), then one broken structure at index 2, offset 108.
"""
import pytest

import cxltopo
from acpi_build import cfmws, chbs, table
from conftest import named

G = 1 << 30
GOOD = chbs(12, 0x7F0000000) + cfmws(0x400000000, 4 * G, 0, 0, 0, [12])
AT = 108  # the broken structure


def st_header(type_, length):
    return bytes([type_, 0]) + length.to_bytes(2, "little")


CASES = {
    # name: (broken structure bytes, rule, structure, field, offset in the table, status)
    "cfmws_short_length": (cfmws(0x600000000, G, 0, 0, 0, []), "cedt.st_too_short", "CFMWS", "Length", AT + 2, 3),
    "bad_eniw": (cfmws(0x600000000, G, 5, 0, 0, [12]), "cfmws.eniw", "CFMWS", "ENIW", AT + 24, 3),
    "unaligned_base": (cfmws(0x600001000, G, 0, 0, 0, [12]), "cfmws.base_align", "CFMWS", "Base HPA", AT + 8, 3),
    "target_without_chbs": (cfmws(0x600000000, G, 0, 0, 0, [99]), "cfmws.target_without_chbs", "CFMWS",
                            "Interleave Target List", AT + 36, 3),
    "chbs_zero_base": (chbs(13, 0), "chbs.base_zero", "CHBS", "Base", AT + 16, 3),
    "cfmws_overlapping": (cfmws(0x400000000 + G, G, 0, 0, 0, [12]), "cfmws.overlap", "CFMWS", "Base HPA", AT + 8, 3),
    "structure_length_zero": (st_header(1, 0) + b"\0" * 36, "cedt.st_len_zero", "CFMWS", "Length", AT + 2, 3),
    "structure_past_end": (st_header(0, 200) + b"\0" * 28, "cedt.st_past_end", "CHBS", "Length", AT + 2, 3),
}


def boot_with_cedt(boot, tmp_path, body):
    path = tmp_path / "cedt.bin"
    path.write_bytes(table(b"CEDT", body))
    return boot(cxltopo.get("no_cxl"), extra_args=["-acpitable", f"file={path}"])


@pytest.mark.parametrize("case", sorted(CASES))
def test_malformed_cedt_is_reported_precisely(boot, tmp_path, case):
    broken, rule, structure, field, offset, status = CASES[case]
    r = boot_with_cedt(boot, tmp_path, GOOD + broken)
    assert r.status == status, f"status {r.status}\n{r.serial[-2500:]}"
    ev = r.events()
    findings = [f for f in named(ev, "finding") if f.get("rule") == rule]
    assert len(findings) == 1, [f.get("rule") for f in named(ev, "finding")]
    f = findings[0]
    assert (f["table"], f["index"], f["structure"], f["field"], int(f["offset"], 16)) == \
        ("CEDT", 2, structure, field, offset)
    assert f"CEDT[2] {structure} field {field} at offset {offset:#x}" in f["msg"]
    # What was valid is still used: the CHBS and the first window, planned (no devices here).
    assert [c["valid"] for c in named(ev, "cedt.chbs")][0] is True
    windows = named(ev, "cedt.cfmws")
    assert windows[0]["valid"] is True and int(windows[0]["resource"], 16) == 0x400000000
    assert all(not w["valid"] for w in windows[1:])
    plans = named(ev, "region.plan")
    assert [p["window"] for p in plans] == [0] and plans[0]["reason"] == "no_endpoints"


def test_window_over_ram_is_a_conflict(boot, tmp_path):
    r = boot_with_cedt(boot, tmp_path, GOOD + cfmws(0x0, 256 << 20, 0, 0, 0, [12]))
    assert r.status == 2, r.serial[-2500:]
    conflicts = [c for c in named(r.events(), "conflict") if c["target"] == "window" and c["target_index"] == 1]
    assert conflicts and {c["fw_class"] for c in conflicts} >= {"system_ram"}
    assert all(int(c["overlap_end"], 16) <= 0x0FFFFFFF for c in conflicts)
