#!/usr/bin/python3
"""Writes the seed corpus (tests/fuzz/corpus/NAME/): small valid and broken inputs per fuzzer."""
import pathlib
import struct
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / "tools"))
from acpi_build import chbs, cfmws, cxims, table  # noqa: E402

OUT = pathlib.Path(__file__).resolve().parent / "corpus"


def seeds():
    yield "cedt", "qemu_default", table(b"CEDT", chbs(12, 0x280000000) + cfmws(0x290000000, 4 << 30, 0, 0, 0, [12]))
    yield "cedt", "two_hb_xor", table(b"CEDT", chbs(12, 0x280000000) + chbs(222, 0x280010000)
                                      + cfmws(0x290000000, 4 << 30, 1, 1, 5, [12, 222]) + cxims(5, [0x2000]))
    yield "cedt", "zero_length", table(b"CEDT", chbs(12, 0x280000000) + b"\x01\x00\x00\x00")
    yield "mcfg", "qemu", table(b"MCFG", b"\0" * 8 + struct.pack("<QHBBI", 0xB0000000, 0, 0, 255, 0))
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
    yield "config", "bad", b"\xef\xbb\xbfmode = fast\r\n= x\nwindows = 9-3\nquick_mib = 99999999999\n"


if __name__ == "__main__":
    for name, seed, data in seeds():
        (OUT / name).mkdir(parents=True, exist_ok=True)
        (OUT / name / seed).write_bytes(data)
