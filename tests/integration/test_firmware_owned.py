"""Issue 14: regions the BIOS built, audited and verified without writing a decoder.

fwfault (tests/fwfault) commits the decoders before cxlval starts, the way a
BIOS does (DESIGN.md §5b: endpoints first, host bridge last; control 0x210 is
2-way, 256 B, Commit; 0x310 adds Lock On Commit) and types the range in the
memory map. Everything checked comes from this file's own definition of what
fwfault wrote and from the memory-backend files: the registers at the end of
the run must be exactly those values, and the misrouted lines those the wrong
target list aliases. Every run here is non-destructive, so the boot fixture
fills each backing file with its own pattern first and requires it byte for
byte afterwards (conftest.py, groundtruth.assert_patterns_intact).
"""
import cxltopo
from conftest import named
from groundtruth import route

MiB = 1 << 20
W0 = 0x290000000  # window 0 of the default topology under OVMF (test_paging, test_report)
REGION = 512 * MiB  # 2 x 256 MiB devices, 2-way at 256 B
COMMITTED = 0x400


def bios(targets=0x0100, lock=False, endpoints=True, typing="soft_reserved"):
    """fwfault lines: both endpoint decoders 0, then host bridge UID 12 (0xc) decoder 0."""
    ctrl = 0x310 if lock else 0x210
    lines = [f"ep {n} 0 {W0:#x} {REGION:#x} {ctrl:#x} 0" for n in (range(2) if endpoints else ())]
    lines.append(f"hb c 0 {W0:#x} {REGION:#x} {ctrl:#x} {targets:#x}")
    if typing:
        lines.append(f"{typing} {W0:#x} {REGION:#x}")
    expected = [(W0, REGION, ctrl | COMMITTED, 0)] * (2 if endpoints else 0) + [(W0, REGION, ctrl | COMMITTED, targets)]
    return "\n".join(lines) + "\n", sorted(expected)


def verdict(ev, window=0):
    v = [e for e in named(ev, "window.verdict") if e["window"] == window]
    assert len(v) == 1, v
    return v[0]


def firmware_registers_at_end(ev):
    return sorted((int(e["resource"], 16), int(e["size"], 16), int(e["control"], 16), int(e["target_list"], 16))
                  for e in named(ev, "decoder.readback") if e["firmware"])


def test_correct_firmware_region_is_verified_without_a_decoder_write(boot):
    text, expected = bios(lock=True)
    r = boot(cxltopo.get("default"), fwfault=text)
    assert r.status == 0, r.serial[-3000:]
    assert "control 0x310 written, reads 0x710" in r.serial, "fwfault could not commit the BIOS region"
    ev = r.events()
    assert int(named(ev, "cedt.cfmws")[0]["resource"], 16) == W0
    v = verdict(ev)
    assert (v["status"], v["owner"], v["region"], v["reason"]) == ("verified_firmware", "firmware", "region0", "")
    # Zero decoder writes: every register firmware committed reads, at the end, what fwfault wrote.
    assert firmware_registers_at_end(ev) == expected
    rb = named(ev, "decoders.readback")[0]
    assert rb["changed"] == 0 and rb["firmware_changed"] == 0
    assert not named(ev, "region.committed") and not named(ev, "crosscheck.result")
    res = named(ev, "touch.result")[0]
    assert res["pass"] == res["touched"] > 1000 and res["restored"] and res["restore_mismatch"] == 0
    # SP exactly over firmware's region is what Linux expects: consistent, not a conflict.
    assert named(ev, "fwregion.memmap")[0]["typing"] == "soft_reserved"
    assert not named(ev, "conflict")


def test_wrong_host_bridge_target_list_is_caught(boot):
    text, expected = bios(targets=0x0000)  # both positions to root port 0: mem1 is never reached
    r = boot(cxltopo.get("default"), fwfault=text)
    assert r.status == 1, r.serial[-3000:]
    ev = r.events()
    assert any(f.get("rule") == "fwregion.target_duplicate" for f in named(ev, "finding"))
    failures = named(ev, "touch.failure")
    assert failures and all(f["outcome"] == "aliased" for f in failures)
    for f in failures:
        # By the test's model: position 1 lines land on mem0 at the DPA of the position-0 line beside them.
        hpa, alias = int(f["hpa"], 16), int(f["alias_hpa"], 16)
        pos, dpa = route(hpa, W0, 2, 256)
        assert (f["expected_memdev"], int(f["expected_dpa"], 16)) == (f"mem{pos}", dpa)
        apos, adpa = route(alias, W0, 2, 256)
        assert abs(hpa - alias) == 256 and adpa == dpa and apos != pos
        assert (f["alias_memdev"], int(f["alias_dpa"], 16)) == (f"mem{apos}", adpa)
    v = verdict(ev)
    assert (v["status"], v["owner"], v["reason"]) == ("failed", "firmware", "misrouted")
    assert firmware_registers_at_end(ev) == expected


def test_host_bridge_committed_alone_is_a_finding(boot):
    text, expected = bios(endpoints=False, typing=None)
    r = boot(cxltopo.get("default"), fwfault=text)
    assert r.status not in (0, None), r.serial[-3000:]
    ev = r.events()
    hb_only = [f for f in named(ev, "finding") if f.get("rule") == "fwregion.hb_only"]
    assert hb_only and "control 0x610" in hb_only[0]["msg"] and "0x0000000000000100" in hb_only[0]["msg"]
    v = verdict(ev)
    assert (v["status"], v["owner"], v["reason"]) == ("not_verified", "firmware", "firmware_region_incomplete")
    assert firmware_registers_at_end(ev) == expected
    assert not named(ev, "touch.result")


def test_program_never_writes_nothing_and_is_not_verified(boot):
    topo = cxltopo.get("default")
    r = boot(topo, extra_files={"cxlval/cxlval.cfg": b"program = never\n"}, clean=False)
    assert r.status == 6, r.serial[-3000:]
    ev = r.events()
    assert named(ev, "config")[0]["program"] == "never"
    rb = named(ev, "decoders.readback")[0]
    # QEMU 10: 4 HDM decoders at the host bridge and at each device (DESIGN.md §5b).
    assert rb["decoders"] == 4 * (len(topo.host_bridges) + len(topo.devices)) and rb["changed"] == 0
    assert not named(ev, "region.committed") and not named(ev, "touch.result")
    v = verdict(ev)
    assert (v["status"], v["owner"], v["reason"]) == ("not_verified", "none", "program_never")
    assert named(ev, "cxlval.end")[0]["verdict"] == "not_verified"


def test_crosscheck_firmware_puts_firmware_registers_back(boot):
    text, expected = bios(lock=False)
    r = boot(cxltopo.get("default"), fwfault=text,
             extra_files={"cxlval/cxlval.cfg": b"crosscheck_firmware = yes\n"})
    assert r.status == 0, r.serial[-3000:]
    ev = r.events()
    x = named(ev, "crosscheck.result")[0]
    assert x["status"] == "done" and x["checked"] > 256 and x["mismatched"] == 0
    assert named(ev, "fwregion.put_back")[0]["registers_differ"] == 0
    assert verdict(ev)["status"] == "verified_firmware"
    # Uncommitted for the cross-check, then firmware's own values: exactly what fwfault wrote.
    assert firmware_registers_at_end(ev) == expected
