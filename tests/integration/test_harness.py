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
    for name, topo in cxltopo.TOPOLOGIES.items():
        args = topo.qemu_device_args("/w")
        text = " ".join(args)
        for d in topo.devices:
            assert f"memdev={d.id}-mem" in text and f"mem-path=/w/{d.id}.mem" in text
        assert text.count("pxb-cxl") == len(topo.host_bridges)
        assert len(topo.expected_cfmws()) == len(topo.windows)


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
