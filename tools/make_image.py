#!/usr/bin/python3
"""make image: a GPT disk image with one FAT32 EFI system partition, ready for a USB stick.

\\EFI\\BOOT\\BOOTX64.EFI is cxlval itself (firmware boots it from removable
media with no shell), \\cxlval\\cxlval.cfg the default configuration, and
\\cxlval\\runs\\ receives one folder per run. Built with sgdisk and mtools: no
root, no loop mounts.
"""
import argparse
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import qemu_run  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parent.parent


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--efi", default=str(ROOT / "build" / "cxlval.efi"))
    ap.add_argument("--out", default=str(ROOT / "build" / "cxlval.img"))
    ap.add_argument("--size-mib", type=int, default=64)
    a = ap.parse_args()
    qemu_run.make_image(a.out, {"EFI/BOOT/BOOTX64.EFI": a.efi,
                                "cxlval/cxlval.cfg": str(ROOT / "tools" / "cxlval.cfg"),
                                "cxlval/runs/README.TXT": b"cxlval writes one folder per run here.\r\n"},
                        size_mib=a.size_mib)
    print(f"image: {a.out} ({a.size_mib} MiB); write it with: sudo dd if={a.out} of=/dev/sdX bs=4M conv=fsync")
    return 0


if __name__ == "__main__":
    sys.exit(main())
