"""The harness itself: status decoding, timeouts that kill QEMU, the ESP image."""
import subprocess

import cxltopo
import qemu_run


def test_status_decoding():
    assert qemu_run.decode_status(1) == 0
    assert qemu_run.decode_status(7) == 3
    assert qemu_run.decode_status(0) is None  # QEMU quit some other way
    assert qemu_run.decode_status(-9) is None


def test_topology_arguments_are_consistent():
    """The QEMU arguments say what the topology says, in QEMU 10's syntax: every partition its own
    backend (volatile-memdev= / memdev=), a label area with a persistent partition only, and every
    window in one -M option."""
    for name, topo in cxltopo.TOPOLOGIES.items():
        args = topo.qemu_device_args("/w")
        text = " ".join(args)
        devices = {a.split("id=")[-1]: a for a in args if a.startswith("cxl-type3,")}
        assert sorted(devices) == sorted(d.id for d in topo.devices), name
        for d in topo.devices:
            dev = devices[d.id]
            assert (f"memdev={d.id}-mem" in dev.split(",")) == bool(d.size), (name, dev)
            assert (f"volatile-memdev={d.id}-vmem" in dev) == bool(d.volatile), (name, dev)
            assert (f"lsa={d.id}-lsa" in dev) == bool(d.size), (name, dev)
            for mode, size in d.partitions():
                assert f"mem-path=/w/{d.id}.{'mem' if mode == 'pmem' else 'vmem'},size={size}" in text
        assert text.count("pxb-cxl") == len(topo.host_bridges)
        fmw = [args[i + 1] for i, a in enumerate(args) if a == "-M"]
        assert len(fmw) == (1 if topo.windows else 0), (name, fmw)  # two -M cxl-fmw options: QEMU refuses
        for w_i, w in enumerate(topo.windows):
            for t_i, t in enumerate(w.targets):
                assert f"cxl-fmw.{w_i}.targets.{t_i}={t}" in fmw[0].split(",")
            assert f"cxl-fmw.{w_i}.size={w.size >> 20}M" in fmw[0].split(",")


def test_region_order_follows_the_tree():
    """Interleave positions from the tree, written out by hand for the composed cases."""
    order = {name: [[d.id for d in cxltopo.TOPOLOGIES[name].region_devices(w)]
                    for w in range(len(cxltopo.TOPOLOGIES[name].windows))]
             for name in ("default", "two_hb_4", "switch4", "three_hb", "two_windows", "both_partitions",
                          "three_hb_x2")}
    assert order == {
        "default": [["mem0", "mem1"]],
        "two_hb_4": [["mem0", "mem2", "mem1", "mem3"]],  # window picks the host bridge, then its root port
        "switch4": [["mem0", "mem1", "mem2", "mem3"]],
        "three_hb": [["mem0", "mem1", "mem2"]],
        "two_windows": [["mem0", "mem1"], []],  # the first region takes all the capacity
        "both_partitions": [["mem0", "mem1"], ["mem0", "mem1"]],
        # granule c: host bridge c mod 3, its root port c mod 2 (mem 2h + port)
        "three_hb_x2": [["mem0", "mem3", "mem4", "mem1", "mem2", "mem5"]],
    }


def test_route_known_answers():
    """groundtruth.route against values worked out by hand (DESIGN.md 5: QEMU's 2-way examples)."""
    from groundtruth import route
    base = 0x290000000
    assert route(base + 0x1000, base, 2, 256) == (0, 0x800)
    assert route(base + 0x1100, base, 2, 256) == (1, 0x800)
    assert route(base + 0x2000, base, 2, 256) == (0, 0x1000)
    assert route(base + 0x5000, base, 2, 8192) == (0, 0x3000)
    # 3-way: the position counts granules of the HPA, 0x290000000 / 256 = 0x2900000 = 2 (mod 3).
    assert route(base, base, 3, 256) == (2, 0)
    assert route(base + 0x100, base, 3, 256) == (0, 0)
    assert route(base + 0x300, base, 3, 256) == (2, 0x100)
    assert route(base + 0x3ff, base, 3, 256) == (2, 0x1ff)


def test_image_roundtrip(tmp_path):
    img = tmp_path / "x.img"
    qemu_run.make_image(img, {"a/b/c.txt": b"hello", "cxlval/cxlval.cfg": b"mode = quick\n"})
    assert qemu_run.read_image_file(img, "a/b/c.txt") == b"hello"
    assert qemu_run.read_image_file(img, "missing.txt") is None
    out = subprocess.run(["sgdisk", "-v", str(img)], capture_output=True, text=True).stdout
    assert "No problems found" in out


def test_timeout_kills_qemu(tmp_path):
    # No BOOTX64.EFI on the image: OVMF ends in its shell and waits forever.
    img = tmp_path / "empty.img"
    qemu_run.make_image(img, {})
    r = qemu_run.run("single", workdir=tmp_path / "w", timeout=8, image=img)
    assert r.timed_out and r.status is None
    left = subprocess.run(["pgrep", "-f", str(tmp_path)], capture_output=True, text=True).stdout
    assert not left.strip(), f"QEMU left running: {left}"
