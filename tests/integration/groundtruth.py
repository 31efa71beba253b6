"""Ground truth from the memory-backend files: which device address each write reached.

cxlval writes, at the start of each touched granule, an 8-byte tag naming the
HPA: 0xC7 in the top byte, the run's seed in the next, HPA >> 8 below. A
backing file's offset is the device physical address (DPA). So reading the
files tells, for every tag, which device and DPA the write of that HPA hit.
"""
import os
import struct

TAG_MAGIC = 0xC7
STRIDE = 256  # the smallest granule: every tag starts at a multiple of it


def data_extents(path):
    """(start, end) of the parts of a sparse file that hold data."""
    fd = os.open(path, os.O_RDONLY)
    try:
        size = os.fstat(fd).st_size
        off = 0
        while off < size:
            try:
                start = os.lseek(fd, off, os.SEEK_DATA)
            except OSError:
                return
            end = os.lseek(fd, start, os.SEEK_HOLE)
            yield start, end
            off = end
    finally:
        os.close(fd)


def find_tags(path, seed):
    """{dpa: hpa} for every tag of this run in the file."""
    tags = {}
    with open(path, "rb") as f:
        for start, end in data_extents(path):
            f.seek(start)
            data = f.read(end - start)
            base = start - start % STRIDE
            for off in range(base - start if base < start else 0, len(data) - 7, STRIDE):
                if off < 0:
                    continue
                (v,) = struct.unpack_from("<Q", data, off)
                if v >> 56 == TAG_MAGIC and (v >> 48) & 0xFF == seed:
                    tags[start + off] = (v & 0xFFFFFFFFFFFF) << 8
    return tags


def modulo_route(offset, ways, gran):
    """(position, DPA) of a region offset for power-of-2 modulo interleave (CXL 3.1 §8.2.4.20)."""
    return (offset // gran) % ways, (offset // (gran * ways)) * gran + offset % gran


def walk_offsets(size, gran, ways):
    """The address-bit walk cxlval documents: 0, and 2^b + k*gran for every bit b from 8 (256 B) up."""
    offs = {0}
    bit = 256
    while bit < size:
        offs.update(bit + k * gran for k in range(ways) if bit + k * gran < size)
        bit <<= 1
    return offs
