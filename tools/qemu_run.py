#!/usr/bin/python3
"""Boot cxlval in QEMU + OVMF on a CXL topology, with a hard wall-clock limit.

The boot medium is a GPT disk image with one FAT32 EFI system partition
(built with sgdisk and mtools: no root, no loop mounts). cxlval is
\\EFI\\BOOT\\BOOTX64.EFI, so OVMF starts it with no shell. Results are read
back from the image with mtools after QEMU exits. (QEMU's vvfat directory
backend was tried first; it lost the guest's last writes when QEMU exited
through isa-debug-exit.)

Library: run(topology, efi) -> RunResult. CLI: qemu_run.py --topology default.
"""
import argparse
import json
import os
import pathlib
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import cxltopo  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parent.parent
OVMF_CODE = "/usr/share/OVMF/OVMF_CODE_4M.fd"
OVMF_VARS = "/usr/share/OVMF/OVMF_VARS_4M.fd"
PART_OFFSET = "@@1M"  # mtools: the partition starts at 1 MiB
IMAGE_MIB = 64

STATUS_NAMES = {0: "pass", 1: "routing_failure", 2: "firmware_conflict", 3: "bad_firmware_tables",
                4: "tool_error", 5: "exception", 6: "not_verified"}


def _check(cmd):
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def make_image(img, files, size_mib=IMAGE_MIB):
    """GPT disk with one FAT32 ESP holding files {dos path: host path or bytes}."""
    img = str(img)
    with open(img, "wb") as f:
        f.truncate(size_mib << 20)
    # (sgdisk -q silently writes nothing; so no -q.) The FAT ends where the partition ends,
    # before the backup GPT: 2048 + sectors - 1 = last sector of the partition.
    _check(["sgdisk", "-o", "-n", "1:2048:0", "-t", "1:ef00", "-c", "1:CXLVAL", img])
    last = int(subprocess.run(["sgdisk", "-i", "1", img], check=True, capture_output=True, text=True)
               .stdout.split("Last sector: ")[1].split()[0])
    _check(["mformat", "-i", img + PART_OFFSET, "-F", "-T", str(last - 2048 + 1), "-v", "CXLVAL", "::"])
    made = set()
    for dos, src in sorted(files.items()):
        parts = dos.strip("/").split("/")
        for i in range(1, len(parts)):
            d = "/".join(parts[:i])
            if d not in made:
                _check(["mmd", "-D", "s", "-i", img + PART_OFFSET, "::/" + d])
                made.add(d)
        if isinstance(src, (bytes, str)) and not os.path.exists(str(src)):
            with tempfile.NamedTemporaryFile(delete=False) as t:
                t.write(src if isinstance(src, bytes) else src.encode())
            src = t.name
        _check(["mcopy", "-o", "-i", img + PART_OFFSET, str(src), "::/" + dos.strip("/")])
    for d in ("cxlval",):
        if d not in made:
            _check(["mmd", "-D", "s", "-i", img + PART_OFFSET, "::/" + d])


def read_image_file(img, dos):
    """A file's bytes from the image's ESP, or None when it is not there."""
    r = subprocess.run(["mcopy", "-n", "-i", str(img) + PART_OFFSET, "::/" + dos.strip("/"), "-"],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    return r.stdout if r.returncode == 0 else None


def list_dir(img, dos):
    """Names in a directory of the image's ESP, sorted; [] when it does not exist."""
    r = subprocess.run(["mdir", "-b", "-i", str(img) + PART_OFFSET, "::/" + dos.strip("/")],
                       stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    if r.returncode:
        return []
    return sorted(line.rstrip("/").split("/")[-1] for line in r.stdout.split() if line.strip())


@dataclass
class RunResult:
    topology: object
    workdir: pathlib.Path
    image: pathlib.Path
    returncode: int
    status: object  # cxlval's status, or None when QEMU did not exit through isa-debug-exit
    timed_out: bool
    elapsed: float
    serial: str
    qemu_args: list = field(default_factory=list)

    def file(self, dos):
        return read_image_file(self.image, dos)

    def runs(self):
        """The run folders on the image, oldest first (\\cxlval\\runs\\NNNN)."""
        return [n for n in list_dir(self.image, "cxlval/runs") if len(n) == 4 and n.isdigit()]

    def run_file(self, name, run=None):
        """A result file of one run (default: the newest)."""
        runs = self.runs()
        assert runs, "cxlval made no \\cxlval\\runs\\NNNN folder"
        return self.file(f"cxlval/runs/{run or runs[-1]}/{name}")

    def events(self, run=None):
        data = self.run_file("log.jsonl", run)
        assert data is not None, "cxlval wrote no log.jsonl"
        out = []
        for n, line in enumerate(data.decode().splitlines(), 1):
            try:
                out.append(json.loads(line))
            except json.JSONDecodeError as e:
                raise AssertionError(f"log.jsonl line {n} is not JSON ({e}): {line!r}")
        return out

    def progress(self, events=8, serial_chars=2000):
        """How far a run got (for a timeout): the last events of its log on the image, the serial tail."""
        lines = []
        try:
            runs = self.runs()
            data = self.file(f"cxlval/runs/{runs[-1]}/log.jsonl") if runs else None
        except (OSError, subprocess.SubprocessError) as e:
            data, lines = None, [f"(log not readable: {e})"]
        if data:
            tail = data.decode(errors="replace").splitlines()[-events:]
            lines.append(f"last {len(tail)} events of \\cxlval\\runs\\{runs[-1]}\\log.jsonl:")
            lines += ["  " + t[:300] for t in tail]
        elif not lines:
            lines.append("cxlval left no log on the image (it did not start, or wrote nothing yet)")
        lines.append(f"serial tail ({self.elapsed:.0f} s after QEMU started):")
        lines.append(self.serial[-serial_chars:])
        return "\n".join(lines)

    def backing(self, device_id, mode="pmem"):
        return pathlib.Path(cxltopo.backing_path(self.workdir, self.topology_device(device_id), mode))

    def topology_device(self, device_id):
        return next(d for d in self.topology.devices if d.id == device_id)


def decode_status(rc):
    """isa-debug-exit makes QEMU exit with (v << 1) | 1."""
    return rc >> 1 if rc > 0 and rc & 1 else None


def qemu_command(topo, workdir, image, vars_fd, extra_args=(), usb=False):
    drive = (["-device", "qemu-xhci,id=xhci", "-drive", f"if=none,id=stick,format=raw,file={image}",
              "-device", "usb-storage,bus=xhci.0,drive=stick,removable=on"] if usb else
             ["-drive", f"file={image},format=raw,if=ide"])
    # thread=multi: one host thread per vCPU, so cxlval's workers really run at the same time.
    return (["qemu-system-x86_64", "-accel", "tcg,thread=multi", "-M", "q35,cxl=on" if topo.cxl else "q35",
             "-m", f"{topo.memory},maxmem={topo.maxmem},slots=4", "-smp", str(topo.smp),
             "-drive", f"if=pflash,format=raw,readonly=on,file={OVMF_CODE}",
             "-drive", f"if=pflash,format=raw,file={vars_fd}"] + drive +
            ["-net", "none", "-display", "none", "-serial", "stdio", "-monitor", "none",
             "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04"] +
            topo.qemu_device_args(workdir) + list(extra_args))


def prepare_backing(topo, workdir, fill=None):
    """Sparse backing files; fill(device, mode, path) may write an initial pattern into a partition's."""
    for d, mode, path, size in cxltopo.backing_files(workdir, topo):
        with open(path, "wb") as f:
            f.truncate(size)
        if fill:
            fill(d, mode, path)
    for d in topo.devices:
        if d.size:
            with open(cxltopo.lsa_path(workdir, d), "wb") as f:
                f.truncate(cxltopo.MiB)


FWFAULT = ROOT / "build" / "fwfault.efi"


def run(topo, efi=ROOT / "build" / "cxlval.efi", workdir=None, timeout=120, stream=False,
        extra_files=None, extra_args=(), usb=False, fill=None, image=None, fwfault=None, stop_on=None):
    """fwfault: text of \\cxlval\\fwfault.txt; then the fault injector boots first and starts cxlval.

    stop_on: QEMU is killed as soon as the serial console shows this text (a machine that stopped dead:
    the image keeps only what the guest had written; status None, not timed out)."""
    if isinstance(topo, str):
        topo = cxltopo.get(topo)
    workdir = pathlib.Path(workdir or tempfile.mkdtemp(prefix=f"cxlval-{topo.name}-",
                                                       dir=ROOT / "build"))
    workdir.mkdir(parents=True, exist_ok=True)
    if image is None:
        image = workdir / "esp.img"
        files = {"EFI/BOOT/BOOTX64.EFI": str(efi)}
        if fwfault is not None:
            files = {"EFI/BOOT/BOOTX64.EFI": str(FWFAULT), "cxlval/cxlval.efi": str(efi),
                     "cxlval/fwfault.txt": fwfault.encode()}
        files.update(extra_files or {})
        make_image(image, files)
    vars_fd = workdir / "OVMF_VARS.fd"
    shutil.copy(OVMF_VARS, vars_fd)
    prepare_backing(topo, workdir, fill)
    args = qemu_command(topo, workdir, image, vars_fd, extra_args, usb)
    (workdir / "qemu-args.txt").write_text(" ".join(args) + "\n")
    serial = []
    seen = threading.Event()
    start = time.monotonic()
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                            start_new_session=True)

    def pump():
        for raw in iter(proc.stdout.readline, b""):
            line = raw.decode(errors="replace")
            serial.append(line)
            if stop_on and stop_on in line:
                seen.set()
            if stream:
                sys.stdout.write(line.replace("\r", ""))
                sys.stdout.flush()

    reader = threading.Thread(target=pump, daemon=True)
    reader.start()
    timed_out = False
    try:
        while proc.poll() is None and not seen.is_set():
            if time.monotonic() - start > timeout:
                timed_out = True
                break
            seen.wait(0.1)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    reader.join(5)
    text = "".join(serial)
    (workdir / "serial.txt").write_text(text)
    rc = proc.returncode
    return RunResult(topo, workdir, image, rc, None if timed_out else decode_status(rc), timed_out,
                     time.monotonic() - start, text, args)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--topology", default="default", choices=sorted(cxltopo.TOPOLOGIES))
    ap.add_argument("--efi", default=str(ROOT / "build" / "cxlval.efi"))
    ap.add_argument("--timeout", type=float, default=90)
    ap.add_argument("--smp", type=int, help="vCPUs (default: the topology's)")
    ap.add_argument("--config", help="a cxlval.cfg to put on the boot volume")
    ap.add_argument("--usb", action="store_true", help="boot from a USB mass-storage stick instead of IDE")
    ap.add_argument("--list", action="store_true", help="list topologies and exit")
    a = ap.parse_args()
    if a.list:
        for name, t in sorted(cxltopo.TOPOLOGIES.items()):
            print(f"{name}: {len(t.host_bridges)} host bridge(s), {len(t.devices)} device(s), "
                  f"{len(t.windows)} window(s)")
        return 0
    print(f"qemu_run: booting topology '{a.topology}' (TCG, limit {a.timeout:.0f} s)", file=sys.stderr)
    topo = cxltopo.get(a.topology, **({"smp": a.smp} if a.smp else {}))
    files = {"cxlval/cxlval.cfg": pathlib.Path(a.config).read_bytes()} if a.config else None
    r = run(topo, a.efi, timeout=a.timeout, stream=True, usb=a.usb, extra_files=files)
    print(f"\nqemu_run: results in {r.workdir} (ESP image {r.image.name}, \\cxlval\\runs\\ on it; serial.txt; "
          f"qemu-args.txt)",
          file=sys.stderr)
    if r.timed_out:
        print(f"qemu_run: TIMEOUT: QEMU still running after {a.timeout:.0f} s; killed; how far it got:\n"
              f"{r.progress()}", file=sys.stderr)
        return 124
    if r.status is None:
        print(f"qemu_run: QEMU exited with {r.returncode}, not through isa-debug-exit: cxlval did not finish",
              file=sys.stderr)
        return 125
    print(f"qemu_run: cxlval status {r.status} ({STATUS_NAMES.get(r.status, '?')}) after {r.elapsed:.1f} s",
          file=sys.stderr)
    return r.status


if __name__ == "__main__":
    sys.exit(main())
