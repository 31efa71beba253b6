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
    id: str
    bus: str  # root port or switch downstream port id
    size: int = 256 * MiB


@dataclass
class Window:
    targets: list  # host bridge ids, in interleave order
    size: int = 4 * GiB
    granularity: int = 256


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
        for i, d in enumerate(self.devices):
            mem, lsa = backing_paths(workdir, d)
            args += ["-object", f"memory-backend-file,id={d.id}-mem,share=on,mem-path={mem},size={d.size}",
                     "-object", f"memory-backend-file,id={d.id}-lsa,share=on,mem-path={lsa},size={MiB}"]
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
            args += ["-device", f"cxl-type3,bus={d.bus},memdev={d.id}-mem,lsa={d.id}-lsa,id={d.id}"]
        fmw = []
        for w_i, w in enumerate(self.windows):
            fmw += [f"cxl-fmw.{w_i}.targets.{t_i}={t}" for t_i, t in enumerate(w.targets)]
            fmw.append(f"cxl-fmw.{w_i}.size={w.size // GiB}G")
            if w.granularity != 256:
                fmw.append(f"cxl-fmw.{w_i}.interleave-granularity={w.granularity // 1024}k")
        if fmw:
            args += ["-M", ",".join(fmw)]
        return args

    def expected_chbs(self):
        """uid -> facts every CHBS must have (the base is QEMU's choice)."""
        return {bus_nr: {"cxl_version": 1, "length": 0x10000} for _, bus_nr in self.host_bridges}

    def expected_cfmws(self):
        """Per window, in QEMU's order: what the CFMWS must say."""
        uid = dict(self.host_bridges)
        return [{"size": w.size, "interleave_ways": len(w.targets), "interleave_granularity": w.granularity,
                 "targets": [uid[t] for t in w.targets], "restrictions": 0xF, "arithmetic": "modulo"}
                for w in self.windows]


def backing_paths(workdir, device):
    return f"{workdir}/{device.id}.mem", f"{workdir}/{device.id}.lsa"


def _one_hb(name, nr_rp, windows=None):
    rps = [(f"rp{i}", "cxl.1", i) for i in range(nr_rp)]
    return Topology(name, [("cxl.1", 12)], rps,
                    [Device(f"mem{i}", f"rp{i}") for i in range(nr_rp)],
                    windows or [Window(["cxl.1"])])


TOPOLOGIES = {
    "default": _one_hb("default", 2),
    "single": _one_hb("single", 1),
    "two_windows": _one_hb("two_windows", 2, [Window(["cxl.1"]), Window(["cxl.1"])]),
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
