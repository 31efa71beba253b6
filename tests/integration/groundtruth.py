"""Ground truth from the memory-backend files: which device address each write reached.

cxlval writes into every qword of each touched 64-byte line a tag naming the
line's HPA: 0xC7 in the top byte, the run's seed in the next, HPA >> 6 below.
A backing file's offset is the device physical address (DPA). So reading the
files tells, for every tag, which device and DPA the write of that HPA hit.
"""
import os
import struct

TAG_MAGIC = 0xC7
STRIDE = 64  # a line: every tagged line starts at a multiple of it
LINE_SHIFT = 6


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
                    tags[start + off] = (v & 0xFFFFFFFFFFFF) << LINE_SHIFT
    return tags


def modulo_route(offset, ways, gran):
    """(position, DPA) of a region offset for power-of-2 modulo interleave (CXL 3.1 §8.2.4.20)."""
    return (offset // gran) % ways, (offset // (gran * ways)) * gran + offset % gran


def probe_offsets(size, gran, ways, line=1 << LINE_SHIFT):
    """The probes docs/touch.md describes: from every position's first granule, its first and last
    line, and for every address bit b from 6 (64 B) up the lines at 2^b and 2^b - 64."""
    offs = set()
    for k in range(ways):
        start = k * gran
        offs.update({start, start + gran - line})
        bit = line
        while bit < size:
            offs.update({start + bit, start + bit - line})
            bit <<= 1
    return {o for o in offs if o < size}


def line_tags_whole(path, seed, dpas):
    """The DPAs among dpas whose 64-byte line does not hold its tag in every qword. Qword 1 is
    left out: the per-device cross-check writes its own tag beside the touch tag."""
    bad = []
    with open(path, "rb") as f:
        for dpa in sorted(dpas):
            f.seek(dpa)
            q = struct.unpack("<8Q", f.read(64))
            if len({q[0]} | set(q[2:])) != 1:
                bad.append(dpa)
    return bad
