"""Ground truth: the topology definition (tools/cxltopo.py) and the memory-backend files.

cxlval writes into every qword of each touched 64-byte line a tag naming the
line's HPA: 0xC7 in the top byte, the run's seed in the next, HPA >> 6 below.
A backing file's offset is the DPA within its partition. So the files tell,
for every tag, which device and DPA the write of that HPA hit; and what the
tests predict comes from the topology alone, with the modulo math written
here (never from cxlval's log, which supplies only a region's seed).

Before a non-destructive run every partition's file is filled with a pattern
unique per (device, partition, qword); afterwards every file must hold
exactly that pattern again, so data put back on the wrong device, or one
granule off, shows. A destructive run starts from zeroed files; afterwards
each file must be zero everywhere except the lines the interleave math
gives its tags, each holding its tag in all eight qwords.
"""
import errno
import functools
import os
import struct
from dataclasses import dataclass

import cxltopo

TAG_MAGIC = 0xC7
LINE = 64
LINE_SHIFT = 6
PATTERN_MARK = 0x3C  # top byte of every pattern qword: never a tag's 0xC7


def data_extents(path):
    """(start, end) of the parts of a sparse file that hold data."""
    fd = os.open(path, os.O_RDONLY)
    try:
        size = os.fstat(fd).st_size
        off = 0
        while off < size:
            try:
                start = os.lseek(fd, off, os.SEEK_DATA)
            except OSError as e:
                if e.errno == errno.ENXIO:  # SEEK_DATA's answer for "no data from here to the end"
                    return
                raise
            end = os.lseek(fd, start, os.SEEK_HOLE)
            yield start, end
            off = end
    finally:
        os.close(fd)


def tag(hpa, seed):
    return TAG_MAGIC << 56 | seed << 48 | hpa >> LINE_SHIFT


def find_tags(path, seed):
    """{file offset: hpa} for every line of the file whose first qword is a tag of this run."""
    tags = {}
    with open(path, "rb") as f:
        for start, end in data_extents(path):
            start -= start % LINE
            f.seek(start)
            data = f.read(end - start)
            for off in range(0, len(data) - 7, LINE):
                (v,) = struct.unpack_from("<Q", data, off)
                if v >> 56 == TAG_MAGIC and (v >> 48) & 0xFF == seed:
                    tags[start + off] = (v & 0xFFFFFFFFFFFF) << LINE_SHIFT
    return tags


def route(hpa, base, ways, gran):
    """(position, offset on the device) of an HPA in a modulo-interleaved region at base.

    The position counts granules of the HPA itself, the device offset granules from the base
    (CXL 3.1 8.2.4.20.13: the modulo-3 selection takes the HPA's own bits, the DPA HPA - base).
    With a power-of-2 ways the base is a multiple of ways x granularity and the two agree; a
    3/6/12-way region need not start at position 0 (QEMU routes the same way)."""
    off = hpa - base
    return (hpa // gran) % ways, (off // (gran * ways)) * gran + off % gran


def probe_offsets(size, gran, ways, line=LINE):
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


def crosscheck_samples(size, gran, ways):
    """What the per-device cross-check reads (cxl/crosscheck.c): the probes and the first 256 granules."""
    return probe_offsets(size, gran, ways) | {g * gran for g in range(256) if g * gran < size}


@dataclass
class Region:
    """A window's region as the topology defines it: every device's whole partition of the window's mode."""
    window: int
    base: int
    size: int
    ways: int
    gran: int
    devices: list  # cxltopo.Device in position order
    mode: str

    def touched_offsets(self, quick_bytes):
        """(probes, sweep): the region offsets one quick run touches (docs/touch.md)."""
        sweep = set(range(0, min(quick_bytes, self.size) & ~(LINE - 1), LINE))
        return probe_offsets(self.size, self.gran, self.ways), sweep

    def where(self, offset):
        """(device, partition mode, file offset) an offset of the region must reach."""
        pos, dev_off = route(self.base + offset, self.base, self.ways, self.gran)
        return self.devices[pos], self.mode, dev_off

    def first_hpa(self, device):
        """The HPA whose line lands at the device's DPA 0 (the first granule of its position)."""
        return next(self.base + k * self.gran for k in range(self.ways)
                    if self.where(k * self.gran)[0] is device)


def regions(topo, window_bases):
    """One Region per window that can hold one, from the topology; window_bases: each window's HPA
    (QEMU's choice)."""
    out = []
    for w_i, (w, base) in enumerate(zip(topo.windows, window_bases)):
        devs = topo.region_devices(w_i)
        if not devs:
            continue
        part = dict(devs[0].partitions())[w.mode]
        out.append(Region(w_i, base, part * len(devs), len(devs), w.granularity, devs, w.mode))
    return out


# --- whole-file ground truth ---------------------------------------------------------------

def _ident(topo, device, mode):
    return [(d.id, m) for d, m, _, _ in cxltopo.backing_files("", topo)].index((device.id, mode))


@functools.lru_cache(maxsize=2)
def _index_qwords(size):
    """size bytes of qwords 0, 1, 2, ... in their low 32 bits, PATTERN_MARK in the top byte."""
    chunk = 1 << 20
    n = chunk // 8
    one = int.from_bytes(struct.pack("<Q", 1) * n, "little")
    first = int.from_bytes(b"".join(struct.pack("<Q", PATTERN_MARK << 56 | i) for i in range(n)), "little")
    out = bytearray(size)
    for c in range(0, size, chunk):
        out[c:c + chunk] = (first + one * (c // 8)).to_bytes(chunk, "little")
    return bytes(out)


def pattern(topo, device, mode, size):
    """The fill of one partition: qword i holds i, the partition's number in byte 6, 0x3C in byte 7."""
    buf = bytearray(_index_qwords(size))
    buf[6::8] = bytes([_ident(topo, device, mode) + 1]) * (size // 8)
    return buf


def fill_unique(topo):
    """A qemu_run fill function: every partition gets its own pattern, written whole."""
    def fill(device, mode, path):
        size = os.path.getsize(path)
        fd = os.open(path, os.O_WRONLY)
        try:
            os.pwrite(fd, pattern(topo, device, mode, size), 0)
        finally:
            os.close(fd)
    return fill


def differences(path, want, limit=4):
    """The first few qwords where the file differs from want: [(offset, got, want)]; [] when equal."""
    with open(path, "rb") as f:
        got = f.read()
    if got == want:
        return []
    if len(got) != len(want):
        return [(min(len(got), len(want)), len(got), len(want))]
    out = []
    chunk = 1 << 16
    for c in range(0, len(want), chunk):
        if got[c:c + chunk] == want[c:c + chunk]:
            continue
        for q in range(c, c + chunk, 8):
            if got[q:q + 8] != want[q:q + 8]:
                out.append((q, struct.unpack_from("<Q", got, q)[0], struct.unpack_from("<Q", want, q)[0]))
                if len(out) == limit:
                    return out
    return out


def describe(diffs):
    return ", ".join(f"offset {o:#x}: {g:#018x} instead of {w:#018x}" for o, g, w in diffs)


def assert_patterns_intact(workdir, topo):
    """After a non-destructive run: every partition's file holds exactly its own pattern."""
    for d, mode, path, size in cxltopo.backing_files(workdir, topo):
        diffs = differences(path, pattern(topo, d, mode, size))
        assert not diffs, f"{d.id} {mode}: data changed in a non-destructive run: {describe(diffs)}"


def assert_tags_exactly(workdir, topo, expected):
    """After a destructive run from zeroed files: expected {(device id, mode): {file offset: tag value}};
    every listed line holds its tag in all eight qwords, every other byte of every file is zero."""
    for d, mode, path, size in cxltopo.backing_files(workdir, topo):
        want = bytearray(size)
        for off, value in expected.get((d.id, mode), {}).items():
            want[off:off + LINE] = struct.pack("<Q", value) * 8
        diffs = differences(path, want)
        assert not diffs, f"{d.id} {mode}: the file is not what the interleave math predicts: {describe(diffs)}"


def expected_tags(region, seed, offsets):
    """{(device id, mode): {file offset: tag}} of the given region offsets."""
    out = {}
    for off in offsets:
        dev, mode, at = region.where(off)
        out.setdefault((dev.id, mode), {})[at] = tag(region.base + off, seed)
    return out
