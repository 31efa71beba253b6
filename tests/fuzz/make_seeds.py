#!/usr/bin/python3
"""Writes the seed corpus (tests/fuzz/corpus/NAME/): small valid and broken inputs per fuzzer."""
import pathlib
import struct
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / "tools"))
from acpi_build import chbs, cfmws, cxims, table  # noqa: E402

OUT = pathlib.Path(__file__).resolve().parent / "corpus"

# fuzz_component: 4 KiB config space of one function, then the memory behind its BAR0 (FUZZ_BAR).
# Register offsets and fields as in cxl/pci_regs.h and cxl/regs.h.
FUZZ_BAR = 0xFE000000
PCI_CAP_LIST = 1 << 20
PCI_BAR_64 = 2 << 1
PCI_CAP_ID_EXP, PCI_EXP_TYPE_ENDPOINT = 0x10, 0x0
PCI_EXT_CAP_ID_DVSEC, CXL_DVSEC_VENDOR, CXL_DVSEC_REG_LOCATOR = 0x23, 0x1E98, 8
REGLOC_COMPONENT, REGLOC_MEMDEV = 1, 3
CM_OFFSET, CM_CAP_ARRAY, CM_CAP_RAS, CM_CAP_HDM = 0x1000, 1, 2, 5
HDM_CTRL_LOCK, HDM_CTRL_COMMITTED = 1 << 8, 1 << 10
COMPONENT_BYTES = CM_OFFSET + 0x1000 + 0x10 + 0x20 * 30  # room for the largest pointer and 30 decoders


def put32(buf, off, value):
    buf[off:off + 4] = struct.pack("<I", value & 0xFFFFFFFF)


def config_space(regloc_entries, bir=0, bar=FUZZ_BAR):
    """A type-3 endpoint: PCIe capability, a 64-bit BAR, a Register Locator DVSEC at 0x100."""
    c = bytearray(0x1000)
    put32(c, 0x00, 0x0D938086)
    put32(c, 0x04, PCI_CAP_LIST)
    put32(c, 0x08, 0x05021000)
    put32(c, 0x10 + 4 * bir, bar | PCI_BAR_64)
    put32(c, 0x34, 0x40)
    put32(c, 0x40, PCI_CAP_ID_EXP | PCI_EXP_TYPE_ENDPOINT << 20)
    put32(c, 0x100, PCI_EXT_CAP_ID_DVSEC | 1 << 16)
    put32(c, 0x104, CXL_DVSEC_VENDOR | (0x0C + 8 * len(regloc_entries)) << 20)
    put32(c, 0x108, CXL_DVSEC_REG_LOCATOR)
    for i, (bir, block, offset) in enumerate(regloc_entries):
        put32(c, 0x10C + 8 * i, bir | block << 8 | (offset & 0xFFFF0000))
        put32(c, 0x110 + 8 * i, offset >> 32)
    return c


def component_block(hdm_ptr, cap, decoders):
    """Capability array (RAS, HDM), the HDM capability with global enable, decoders (base, size, ctrl, lo, hi)."""
    b = bytearray(b"\0" * COMPONENT_BYTES)
    put32(b, CM_OFFSET, CM_CAP_ARRAY | 1 << 16 | 1 << 20 | 2 << 24)
    put32(b, CM_OFFSET + 4, CM_CAP_RAS | 1 << 16 | 0x14 << 20)
    put32(b, CM_OFFSET + 8, CM_CAP_HDM | 1 << 16 | hdm_ptr << 20)
    hdm = CM_OFFSET + hdm_ptr
    put32(b, hdm, cap)
    put32(b, hdm + 4, 1 << 1)
    for m, (base, size, ctrl, lo, hi) in enumerate(decoders):
        r = hdm + 0x10 + 0x20 * m
        for off, value in ((0, base), (4, base >> 32), (8, size), (0xC, size >> 32), (0x10, ctrl), (0x14, lo),
                           (0x18, hi)):
            put32(b, r + off, value)
    return b


# fuzz_planner reads its input a byte at a time, in the order of these helpers (see tests/fuzz/fuzz_planner.c).
HDM_3_6_12, HDM_16, DEC_COMMITTED, DEC_LOCKED = 1 << 2, 1 << 3, 0xC0, 1 << 5
WIN_XOR = 1 << 0
WAYS_INDEX = {1: 0, 2: 1, 4: 2, 8: 3, 16: 4, 3: 5, 6: 6, 12: 7}
FIRST_WINDOW_GIB = 8  # a committed decoder's base byte counts GiB from 8 GiB below the first window


def hdm(decoders=1, caps=HDM_3_6_12 | HDM_16, targets=8, committed=None):
    """committed: {index: (base GiB from FIRST_WINDOW_GIB below the first window, size in 256 MiB, locked)}."""
    out = bytes([(decoders - 1) | caps, targets])
    for m in range(decoders):
        if m in (committed or {}):
            base, size, locked = committed[m]
            out += bytes([DEC_COMMITTED | (DEC_LOCKED if locked else 0) | base, size])
        else:
            out += b"\0"
    return out


def dports(children, first=0):
    """children: None (empty dport), bytes from endpoint() or switch()."""
    out = bytes([len(children) - 1, first])
    for c in children:
        out += b"\0" if c is None else c
    return out


def endpoint(volatile_256m=0, persistent_256m=4, **kw):
    return bytes([1, 0, volatile_256m | persistent_256m << 4]) + hdm(**kw)


def switch(children, **kw):
    return bytes([3]) + hdm(**kw) + dports(children)


def host_bridges(*hbs):
    """hbs: (hdm bytes, dports bytes) per host bridge."""
    return bytes([len(hbs) - 1]) + b"".join(h + d for h, d in hbs)


def window(ways, gran_shift=0, size_units=4, first_target=0, xormaps=None):
    """size_units: 256 MiB x ways each (1..4); xormaps: the high byte of each XOR map."""
    out = bytes([WIN_XOR if xormaps else 0, first_target, 0, WAYS_INDEX[ways], gran_shift, 0, size_units - 1])
    return out + bytes(xormaps or [])


def windows(*ws, reverse=False):
    return bytes([len(ws) - 1, int(reverse)]) + b"".join(ws)


# fuzz_mailbox: timeout byte, k, k scripted dwords for the mailbox's control/command/status reads, then the
# device register block. QEMU's layout: 3 capabilities, the mailbox at 0x88 with a 2 KiB payload.
MBOX_OFF, MBOX_PAYLOAD_SHIFT = 0x88, 11
OP_IDENTIFY, OP_GPI = 0x4000, 0x4100


def device_block(ctrl=0, rc=0, length=0x43, payload=b"", shift=MBOX_PAYLOAD_SHIFT, mbox_len=None,
                 mbox_off=MBOX_OFF):
    """Capabilities array (status, primary mailbox, memdev), mailbox registers and the start of its payload."""
    b = bytearray(MBOX_OFF + 0x20 + 0x80)
    put32(b, 0, 1 << 16)
    put32(b, 4, 3)
    for i, (cap_id, off, ln) in enumerate(((1, 0x80, 8), (2, mbox_off, mbox_len or 0x20 + (1 << shift)),
                                           (0x4000, 0x2000, 8))):
        put32(b, 0x10 + 0x10 * i, cap_id | 1 << 16)
        put32(b, 0x14 + 0x10 * i, off)
        put32(b, 0x18 + 0x10 * i, ln)
    put32(b, MBOX_OFF, shift)
    put32(b, MBOX_OFF + 4, ctrl)
    put32(b, MBOX_OFF + 8, OP_IDENTIFY | (length & 0xFFFF) << 16)
    put32(b, MBOX_OFF + 0xC, length >> 16)
    put32(b, MBOX_OFF + 0x14, rc)
    b[MBOX_OFF + 0x20:MBOX_OFF + 0x20 + len(payload)] = payload
    return b


def identify(total, vol, pers, align, active=(0, 0)):
    """Identify's capacities; its first 16 bytes double as Get Partition Info's active capacities."""
    return struct.pack("<QQ", *active) + struct.pack("<QQQQ", total, vol, pers, align) + b"\0" * 0x13


def mailbox(block, script=(), timeout=1):
    return bytes([timeout, len(script)]) + b"".join(struct.pack("<I", v & 0xFFFFFFFF) for v in script) + bytes(block)


def seeds():
    yield "cedt", "qemu_default", table(b"CEDT", chbs(12, 0x280000000) + cfmws(0x290000000, 4 << 30, 0, 0, 0, [12]))
    yield "cedt", "two_hb_xor", table(b"CEDT", chbs(12, 0x280000000) + chbs(222, 0x280010000)
                                      + cfmws(0x290000000, 4 << 30, 1, 1, 5, [12, 222]) + cxims(5, [0x2000]))
    yield "cedt", "zero_length", table(b"CEDT", chbs(12, 0x280000000) + b"\x01\x00\x00\x00")
    # Two valid windows back to back: one changed byte makes them overlap (fuzz_cedt's overlap invariant).
    yield "cedt", "two_windows", table(b"CEDT", chbs(12, 0x280000000) + chbs(13, 0x280010000)
                                       + cfmws(0x290000000, 4 << 30, 0, 0, 0, [12])
                                       + cfmws(0x390000000, 4 << 30, 1, 0, 2, [12, 13]))
    yield "mcfg", "qemu", table(b"MCFG", b"\0" * 8 + struct.pack("<QHBBI", 0xB0000000, 0, 0, 255, 0))
    # Two segment-0 entries with adjacent bus ranges, and a second segment.
    yield "mcfg", "split_buses", table(b"MCFG", b"\0" * 8 + struct.pack("<QHBBI", 0xB0000000, 0, 0, 127, 0)
                                       + struct.pack("<QHBBI", 0xC0000000, 0, 128, 255, 0)
                                       + struct.pack("<QHBBI", 0xD0000000, 1, 16, 31, 0))
    rsdp = bytearray(b"RSD PTR " + b"\0" + b"CXLVAL" + bytes([2]) + struct.pack("<I", 0) + struct.pack("<I", 36)
                     + struct.pack("<Q", 0x1000 + 64) + b"\0" * 4)
    rsdp[8] = (-sum(rsdp[:20])) & 0xFF
    rsdp[32] = (-sum(rsdp)) & 0xFF
    blob = bytes(rsdp) + b"\0" * (64 - len(rsdp))
    blob += table(b"XSDT", struct.pack("<Q", 0x1000 + 64 + 44))
    blob += table(b"CEDT", chbs(12, 0x280000000))
    yield "acpi_root", "rsdp_xsdt_cedt", blob
    body = b"\x08_HID\x0dACPI0016\x00\x08_UID\x0a\x0c\x08_BBN\x0a\x0c"
    yield "aml", "cxl_host_bridge", table(b"DSDT", b"\x5b\x82" + bytes([5 + len(body)]) + b"CXL0" + body)
    yield "config", "all_keys", (b"mode = full\ndestructive = no # comment\nrestore_decoders = yes\n"
                                 b"quick_mib = 16\ntimeout_ms = 20\nwindows = 0,2-4\n")
    locator = [(0, REGLOC_COMPONENT, 0), (0, REGLOC_MEMDEV, 0x10000)]
    # QEMU's type-3 device: HDM capability at +0x1110, value 0x310 (1 decoder, 1 target), nothing committed.
    yield "component", "qemu_type3", bytes(config_space(locator) + component_block(0x110, 0x310, [(0, 0, 0, 0, 0)]))
    # Four decoders, two committed by firmware (the second locked, after a 256 MiB DPA skip), 3/6/12-way capable.
    committed = [(0x290000000, 1 << 30, HDM_CTRL_COMMITTED, 0, 0),
                 (0x2D0000000, 1 << 29, HDM_CTRL_COMMITTED | HDM_CTRL_LOCK | 0x12, 0x10000000, 0),
                 (0, 0, 0, 0, 0), (0, 0, 0, 0, 0)]
    yield "component", "firmware_committed", bytes(config_space(locator)
                                                  + component_block(0x200, 0x2 | 1 << 4 | 1 << 11, committed))
    # The block behind BAR2 at an offset that lands on FUZZ_BAR; a port's capability (1 decoder, 8 targets).
    yield "component", "offset_locator", bytes(config_space([(2, REGLOC_COMPONENT, 0x20000)], 2, FUZZ_BAR - 0x20000)
                                               + component_block(0x110, 0x380, [(0, 0, 0, 0, 0)]))
    yield "component", "gone", b"\xff" * 0x1000
    # Identify: 4 GiB persistent; doorbell clear; a second read of control busy once (scripted), then clear.
    yield "mailbox", "qemu_good", mailbox(device_block(payload=identify(16, 0, 16, 0)))
    yield "mailbox", "busy_then_ready", mailbox(device_block(payload=identify(16, 0, 16, 0)), [0, 1, 1, 0])
    # Partitionable: 8 GiB, 1 GiB each fixed, 256 MiB alignment; the block's payload answers both commands.
    yield "mailbox", "partitioned", mailbox(device_block(payload=identify(32, 4, 4, 1, active=(20, 12))))
    yield "mailbox", "busy_forever", mailbox(device_block(ctrl=1, payload=identify(16, 0, 16, 0)), timeout=3)
    yield "mailbox", "error_status", mailbox(device_block(rc=3, payload=identify(16, 0, 16, 0)))
    yield "mailbox", "oversized_length", mailbox(device_block(length=0x1FFFFF, payload=identify(16, 0, 16, 0)))
    # Regressions, each accepted before the checks in cxl/mbox.c: 2^40 + 16 units (wrapped to 4 GiB in bytes),
    # a 2 GiB payload size, a mailbox off an 8-byte boundary, a payload past the capability's length,
    # active capacities larger than the total.
    good = identify(16, 0, 16, 0)
    yield "mailbox", "regress_capacity_wrap", mailbox(device_block(payload=identify((1 << 40) + 16, 0, 16, 0)))
    yield "mailbox", "regress_payload_2g", mailbox(device_block(shift=31, payload=good))
    yield "mailbox", "regress_unaligned_offset", mailbox(device_block(payload=good, mbox_off=MBOX_OFF + 2))
    yield "mailbox", "regress_payload_past_length", mailbox(device_block(payload=good, mbox_len=0x60))
    yield "mailbox", "regress_active_past_total", mailbox(device_block(payload=identify(32, 4, 4, 1, active=(40, 12))))
    yield "mailbox", "gone", b"\x01\x00" + b"\xff" * 0x100
    yield "planner", "qemu_one_device", (host_bridges((hdm(), dports([endpoint(persistent_256m=1)])))
                                         + windows(window(1)))
    yield "planner", "two_hb_switch_xor", (
        host_bridges((hdm(), dports([switch([endpoint(), endpoint()], decoders=2)])),
                     (hdm(), dports([endpoint(), endpoint()])))
        + windows(window(2, gran_shift=4, xormaps=[0x12])))
    four = dports([endpoint(), endpoint(), endpoint(), endpoint()])
    yield "planner", "twelve_way", host_bridges((hdm(), four), (hdm(), four), (hdm(), four)) + windows(window(3))
    # Firmware committed (and locked) decoders below the first window; two windows share the device.
    yield "planner", "firmware_locked", (
        host_bridges((hdm(decoders=4, committed={0: (FIRST_WINDOW_GIB - 2, 1, True)}),
                      dports([endpoint(volatile_256m=2, decoders=4, committed={0: (FIRST_WINDOW_GIB - 2, 1, False)})])))
        + windows(window(1, size_units=1), window(1), reverse=True))
    deep = endpoint()
    for _ in range(4):
        deep = switch([deep, endpoint()])
    yield "planner", "deep_switches", host_bridges((hdm(), dports([deep]))) + windows(window(1))
    yield "config", "every_key", (b"mode = quick\nwindows = all\ndestructive = yes\nrestore_decoders = no\n"
                                  b"quick_mib = 65536\ntimeout_ms = 10000\nverbosity = debug\non_exit = shutdown\n"
                                  b"serial = on\nserial_port = com4\nserial_baud = 9600\nwatchdog_s = 30\n"
                                  b"cpus = 1024\nbench = yes\nfault_test = ud\n")
    yield "config", "bad", b"\xef\xbb\xbfmode = fast\r\n= x\nwindows = 9-3\nquick_mib = 99999999999\n"


if __name__ == "__main__":
    for name, seed, data in seeds():
        (OUT / name).mkdir(parents=True, exist_ok=True)
        (OUT / name / seed).write_bytes(data)
