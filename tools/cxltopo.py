"""CXL topologies for QEMU as data: the QEMU arguments and the ground truth.

A topology says which host bridges, root ports, switches, type-3 devices and
fixed memory windows QEMU builds. From the same definition come the QEMU
command line and what firmware must then report (CHBS per host bridge, CFMWS
per window), so the tests never compare cxlval against its own output.
"""
from dataclasses import dataclass, field

MiB = 1 << 20
GiB = 1 << 30


@dataclass
class Device:
    """A type-3 device. Its DPA space is the volatile partition (volatile-memdev=), then the
    persistent one (memdev=, with a label area); each partition is one backing file."""
    id: str
    bus: str  # root port or switch downstream port id
    size: int = 256 * MiB  # persistent partition; 0: none
    volatile: int = 0  # volatile partition; 0: none

    def partitions(self):
        """(mode, size) in DPA order, as QEMU lays them out (cxl_type3: volatile first)."""
        return [(m, s) for m, s in (("ram", self.volatile), ("pmem", self.size)) if s]


@dataclass
class Window:
    targets: list  # host bridge ids, in interleave order
    size: int = 4 * GiB
    granularity: int = 256
    mode: str = "pmem"  # the partition a region in this window is meant to use: "ram", "pmem";
    # None: no region can fit (the devices' capacity is all taken by earlier windows)


@dataclass
class Topology:
    name: str
    host_bridges: list  # (id, bus_nr)
    root_ports: list  # (id, host bridge id, port number)
    devices: list
    windows: list
    switches: list = field(default_factory=list)  # (upstream id, root port id, [(dsp id, port)])
    memory: str = "2G"
    maxmem: str = "4G"
    smp: int = 2  # cxlval touches memory on every CPU: more than one by default
    cxl: bool = True  # -M q35,cxl=on; off: QEMU builds no CEDT of its own

    def qemu_device_args(self, workdir):
        args = []
        for d in self.devices:
            for mode, size in d.partitions():
                path, dev_id = backing_path(workdir, d, mode), f"{d.id}-{MEMDEV[mode][1]}"
                args += ["-object", f"memory-backend-file,id={dev_id},share=on,mem-path={path},size={size}"]
            if d.size:  # QEMU wants a label area with a persistent partition only
                args += ["-object", f"memory-backend-file,id={d.id}-lsa,share=on,"
                                    f"mem-path={lsa_path(workdir, d)},size={MiB}"]
        for hb, bus_nr in self.host_bridges:
            args += ["-device", f"pxb-cxl,bus_nr={bus_nr},bus=pcie.0,id={hb}"]
        slot = 2
        for rp, hb, port in self.root_ports:
            args += ["-device", f"cxl-rp,port={port},bus={hb},id={rp},chassis=0,slot={slot}"]
            slot += 1
        for usp, rp, dsps in self.switches:
            args += ["-device", f"cxl-upstream,bus={rp},id={usp}"]
            for dsp, port in dsps:
                args += ["-device", f"cxl-downstream,port={port},bus={usp},id={dsp},chassis=0,slot={slot}"]
                slot += 1
        for d in self.devices:
            mems = [f"{MEMDEV[m][0]}={d.id}-{MEMDEV[m][1]}" for m, _ in d.partitions()]
            lsa = [f"lsa={d.id}-lsa"] if d.size else []
            args += ["-device", ",".join([f"cxl-type3,bus={d.bus}"] + mems + lsa + [f"id={d.id}"])]
        fmw = []
        for w_i, w in enumerate(self.windows):
            fmw += [f"cxl-fmw.{w_i}.targets.{t_i}={t}" for t_i, t in enumerate(w.targets)]
            fmw.append(f"cxl-fmw.{w_i}.size={w.size // MiB}M")
            if w.granularity != 256:
                g = w.granularity
                fmw.append(f"cxl-fmw.{w_i}.interleave-granularity={f'{g // 1024}k' if g >= 1024 else g}")
        if fmw:  # QEMU >= 8 takes every window in one -M option, never one option per window
            args += ["-M", ",".join(fmw)]
        return args

    def region_devices(self, w_i):
        """The devices of window w_i's region in interleave position order, from the tree alone.

        Position c is the granule count of an HPA (modulo the region's ways). The window picks its
        host bridge as c mod its ways; every level below picks among its children (in port-number
        order: a decoder's target list as cxlval's planner and Linux write it) as (c / m) mod its
        ways, where m is the product of the power-of-2 parts of the ways above. Under a power-of-2
        window that is the next address bits; under a 3-way window a 2-way host bridge takes the
        same granule count (c mod 2 and c mod 3 give c mod 6). Only devices with the partition the
        window is meant for take part."""
        w = self.windows[w_i]
        if w.mode is None:
            return []

        def children(port):
            rps = sorted((p, rp) for rp, hb, p in self.root_ports if hb == port)
            dsps = [sorted((p, dsp) for dsp, p in ds) for usp, rp, ds in self.switches if rp == port]
            return [k for _, k in rps] or [k for _, k in (dsps[0] if dsps else [])]

        def count(port):
            kids = children(port)
            return sum(count(k) for k in kids) if kids else \
                len([d for d in self.devices if d.bus == port and w.mode in dict(d.partitions())])

        def device_at(c):
            ports, m = w.targets, 1
            while ports:
                port = ports[(c // m) % len(ports)]
                m *= len(ports) & -len(ports)
                ports = children(port)
            return next(d for d in self.devices if d.bus == port and w.mode in dict(d.partitions()))

        return [device_at(c) for c in range(sum(count(hb) for hb in w.targets))]

    def expected_chbs(self):
        """uid -> facts every CHBS must have (the base is QEMU's choice)."""
        return {bus_nr: {"cxl_version": 1, "length": 0x10000} for _, bus_nr in self.host_bridges}

    def expected_cfmws(self):
        """Per window, in QEMU's order: what the CFMWS must say."""
        uid = dict(self.host_bridges)
        return [{"size": w.size, "interleave_ways": len(w.targets), "interleave_granularity": w.granularity,
                 "targets": [uid[t] for t in w.targets], "restrictions": 0xF, "arithmetic": "modulo"}
                for w in self.windows]


MEMDEV = {"pmem": ("memdev", "mem"), "ram": ("volatile-memdev", "vmem")}  # mode -> (QEMU property, suffix)


def backing_path(workdir, device, mode="pmem"):
    """The memory-backend file of one partition: its offset is the DPA within that partition."""
    return f"{workdir}/{device.id}.{MEMDEV[mode][1]}"


def lsa_path(workdir, device):
    return f"{workdir}/{device.id}.lsa"


def backing_files(workdir, topo):
    """[(device, mode, path, size)] of every partition of every device."""
    return [(d, m, backing_path(workdir, d, m), s) for d in topo.devices for m, s in d.partitions()]


def _one_hb(name, nr_rp, windows=None):
    rps = [(f"rp{i}", "cxl.1", i) for i in range(nr_rp)]
    return Topology(name, [("cxl.1", 12)], rps,
                    [Device(f"mem{i}", f"rp{i}") for i in range(nr_rp)],
                    windows or [Window(["cxl.1"])])


TOPOLOGIES = {
    "default": _one_hb("default", 2),
    "single": _one_hb("single", 1),
    # Two windows over the same two devices: the first region takes all of their capacity.
    "two_windows": _one_hb("two_windows", 2, [Window(["cxl.1"]), Window(["cxl.1"], mode=None)]),
    "two_hb": Topology("two_hb", [("cxl.1", 12), ("cxl.2", 222)],
                       [("rp0", "cxl.1", 0), ("rp1", "cxl.2", 0)],
                       [Device("mem0", "rp0"), Device("mem1", "rp1")],
                       [Window(["cxl.1", "cxl.2"], granularity=8192)]),
    # Two windows, each on its own host bridge: QEMU's one decoder per component suffices.
    "two_windows_two_hb": Topology("two_windows_two_hb", [("cxl.1", 12), ("cxl.2", 222)],
                                   [("rp0", "cxl.1", 0), ("rp1", "cxl.2", 0)],
                                   [Device("mem0", "rp0"), Device("mem1", "rp1")],
                                   [Window(["cxl.1"]), Window(["cxl.2"])]),
    # make bench: 4 devices x 1 GiB, 4-way at the host bridge, one 4 GiB region.
    "big": Topology("big", [("cxl.1", 12)], [(f"rp{i}", "cxl.1", i) for i in range(4)],
                    [Device(f"mem{i}", f"rp{i}", size=1 << 30) for i in range(4)], [Window(["cxl.1"])],
                    memory="2G", maxmem="8G", smp=4),
    "no_cxl": Topology("no_cxl", [], [], [], [], cxl=False),
    # Volatile devices (QEMU >= 8: volatile-memdev=, no label area): a RAM region, 2-way.
    "volatile": Topology("volatile", [("cxl.1", 12)], [("rp0", "cxl.1", 0), ("rp1", "cxl.1", 1)],
                         [Device(f"mem{i}", f"rp{i}", size=0, volatile=256 * MiB) for i in range(2)],
                         [Window(["cxl.1"], size=GiB, mode="ram")]),
    # Both partitions on every device and a window for each: two regions (RAM, then PMEM at the
    # higher HPA), so every component programs two of its four HDM decoders.
    "both_partitions": Topology("both_partitions", [("cxl.1", 12)], [("rp0", "cxl.1", 0), ("rp1", "cxl.1", 1)],
                                [Device(f"mem{i}", f"rp{i}", size=256 * MiB, volatile=256 * MiB)
                                 for i in range(2)],
                                [Window(["cxl.1"], size=GiB, mode="ram"), Window(["cxl.1"], size=GiB)]),
    # 3-way across three host bridges: QEMU 10 decodes 3/6/12-way at endpoints only, so each host
    # bridge has one root port (1-way) and the window does the modulo-3 selection.
    "three_hb": Topology("three_hb", [("cxl.1", 12), ("cxl.2", 100), ("cxl.3", 200)],
                         [("rp0", "cxl.1", 0), ("rp1", "cxl.2", 0), ("rp2", "cxl.3", 0)],
                         [Device(f"mem{i}", f"rp{i}", size=0, volatile=256 * MiB) for i in range(3)],
                         [Window(["cxl.1", "cxl.2", "cxl.3"], size=3 * GiB, mode="ram")]),
    # 6-way at the window: six host bridges of one device each.
    "six_hb": Topology("six_hb", [(f"cxl.{i + 1}", 12 + 40 * i) for i in range(6)],
                       [(f"rp{i}", f"cxl.{i + 1}", 0) for i in range(6)],
                       [Device(f"mem{i}", f"rp{i}", size=0, volatile=256 * MiB) for i in range(6)],
                       [Window([f"cxl.{i + 1}" for i in range(6)], size=3 * GiB, mode="ram")]),
    # 6-way as 3 x 2: three host bridges of two root ports each under a 3-way window. The host
    # bridges decode 2-way on the window's granule count (c mod 2 beside the window's c mod 3);
    # QEMU's host bridge takes no 3/6-way, so the 3-way part must be the window's.
    "three_hb_x2": Topology("three_hb_x2", [("cxl.1", 12), ("cxl.2", 100), ("cxl.3", 200)],
                            [(f"rp{2 * h + i}", f"cxl.{h + 1}", i) for h in range(3) for i in range(2)],
                            [Device(f"mem{i}", f"rp{i}", size=0, volatile=256 * MiB) for i in range(6)],
                            [Window(["cxl.1", "cxl.2", "cxl.3"], size=3 * GiB, granularity=512, mode="ram")]),
    # A switch with four devices: the upstream port interleaves 4-way.
    "switch4": Topology("switch4", [("cxl.1", 12)], [("rp0", "cxl.1", 0)],
                        [Device(f"mem{i}", f"swport{i}") for i in range(4)], [Window(["cxl.1"], size=GiB)],
                        switches=[("us0", "rp0", [(f"swport{i}", i) for i in range(4)])]),
    # Two host bridges with two devices each: the window 2-way, each host bridge 2-way, a 4-way region.
    "two_hb_4": Topology("two_hb_4", [("cxl.1", 12), ("cxl.2", 222)],
                         [("rp0", "cxl.1", 0), ("rp1", "cxl.1", 1), ("rp2", "cxl.2", 0), ("rp3", "cxl.2", 1)],
                         [Device(f"mem{i}", f"rp{i}") for i in range(4)],
                         [Window(["cxl.1", "cxl.2"], size=2 * GiB)]),
    "switch": Topology("switch", [("cxl.1", 12)], [("rp0", "cxl.1", 0)],
                       [Device("mem0", "swport0"), Device("mem1", "swport1")],
                       [Window(["cxl.1"])],
                       switches=[("us0", "rp0", [("swport0", 0), ("swport1", 1)])]),
}


def get(name, **overrides):
    import copy
    topo = copy.deepcopy(TOPOLOGIES[name])
    for k, v in overrides.items():
        setattr(topo, k, v)
    return topo
