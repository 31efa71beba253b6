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


AMD_CXL_ATL_GUID = bytes([0x97, 0xB3, 0x41, 0xEE, 0xD4, 0x25, 0x2C, 0x45, 0xAD, 0x54, 0x48, 0xC6, 0xE3, 0x48, 0x0B, 0x94])


def prmt(handler_guids):
    """PRMT body (UEFI PRM spec; Linux drivers/acpi/prmt.c): one module holding a handler per GUID."""
    handlers = b"".join(struct.pack("<HH", 0, 44) + g + b"\0" * 24 for g in handler_guids)
    module = (struct.pack("<HH", 0, 38 + len(handlers)) + b"\x22" * 16
              + struct.pack("<HHHIQ", 1, 0, len(handler_guids), 38, 0) + handlers)
    return b"\x33" * 16 + struct.pack("<II", 60, 1) + module
