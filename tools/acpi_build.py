"""Builds ACPI tables byte by byte (Debian 12's iasl does not know the CEDT).

Used by the fuzz seed generator and the malformed-table integration tests.
Offsets follow CXL 3.1 §9.18 (see acpi/cedt.h).
"""
import struct


def table(sig, body, revision=1):
    """36-byte ACPI header + body; byte 9 makes all bytes sum to 0."""
    data = bytearray(sig + struct.pack("<IBB", 36 + len(body), revision, 0) + b"CXLVALUNITTEST" + b"\0" * 12 + body)
    data[9] = (-sum(data)) & 0xFF
    return bytes(data)


def chbs(uid, base, version=1, length=0x10000):
    return struct.pack("<BBHIII", 0, 0, 32, uid, version, 0) + struct.pack("<QQ", base, length)


def cfmws(base, size, eniw, arith, hbig, targets, restrictions=0xF, length=None):
    length = 36 + 4 * len(targets) if length is None else length
    return (struct.pack("<BBHIQQBBHIHH", 1, 0, length, 0, base, size, eniw, arith, 0, hbig, restrictions, 0)
            + b"".join(struct.pack("<I", t) for t in targets))


def cxims(hbig, maps):
    return struct.pack("<BBHHBB", 2, 0, 8 + 8 * len(maps), 0, hbig, len(maps)) + b"".join(
        struct.pack("<Q", m) for m in maps)
