#!/usr/bin/python3
"""Every #include "..." points down the house, and no header includes itself around.

Floors, bottom up (a room may include its own floor's files and any floor below):
    lib/                  freestanding base: bits, fmt, diag, status, names, le, platform seam, libc shim
    acpi/   mm/           tables; address map, memory types, page tables (neither includes the other)
    cxl/                  topology, discovery, planner, HDM driver
    touch/                the touch engine and the per-device cross-check
    core/                 orchestration: one file per phase, config, log, report
    boot/                 UEFI entry and the platform seam on real hardware
tests/ and tools/ may include anything. <efi...> headers are for boot/ only.

With --objects DIR (the UEFI build's object tree) calls are checked the same
way, from nm: a function or variable one room uses must be defined in a room it
may include, and files call each other without a circle. The platform seam
(plat_* in lib/platform.h) counts as lib/: boot/ and tests/sim/ implement it.

Usage: tools/check-layers.py [--objects DIR] [ROOT]. Prints every violation and exits 1 if there is any.
"""
import argparse
import pathlib
import re
import subprocess
import sys

ALLOWED = {
    "lib": {"lib"},
    "acpi": {"lib", "acpi"},
    "mm": {"lib", "mm"},
    "cxl": {"lib", "acpi", "mm", "cxl"},
    "touch": {"lib", "acpi", "mm", "cxl", "touch"},
    "core": {"lib", "acpi", "mm", "cxl", "touch", "core"},
    "boot": {"lib", "acpi", "mm", "cxl", "touch", "core", "boot"},
}
INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]')


def sources(root):
    for room in ALLOWED:
        for p in sorted((root / room).rglob("*")):
            if p.suffix in (".c", ".h"):
                yield room, p


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--objects", help="object tree of a build of every room (build/efi)")
    ap.add_argument("root", nargs="?", default=str(pathlib.Path(__file__).resolve().parent.parent))
    args = ap.parse_args()
    root = pathlib.Path(args.root)
    errors = []
    graph = {}
    for room, path in sources(root):
        rel = path.relative_to(root).as_posix()
        graph.setdefault(rel, [])
        for n, line in enumerate(path.read_text(errors="replace").splitlines(), 1):
            m = INCLUDE.match(line)
            if not m:
                continue
            kind, target = m.groups()
            if kind == "<":
                if target.startswith("efi") and room != "boot":
                    errors.append(f"{rel}:{n}: includes <{target}>: EFI headers belong to boot/ only")
                continue
            to = target.split("/", 1)[0]
            if "/" not in target or to not in ALLOWED:
                errors.append(f'{rel}:{n}: includes "{target}": not a path from the root of a room')
                continue
            if to not in ALLOWED[room]:
                errors.append(f'{rel}:{n}: {room}/ includes "{target}": {to}/ is not below {room}/ '
                              f"(allowed: {', '.join(sorted(ALLOWED[room]))})")
            graph[rel].append(target)
    errors += cycles(graph, "include")
    checked = "every include"
    if args.objects:
        errors += check_calls(root, pathlib.Path(args.objects))
        checked = "every include and call"
    for e in errors:
        print(f"check-layers: {e}")
    if errors:
        print(f"check-layers: {len(errors)} problem(s); the floors are listed in tools/check-layers.py")
        return 1
    print(f"check-layers: {len(graph)} files, {checked} points down, no circle")
    return 0


def nm(obj):
    out = subprocess.run(["nm", "--defined-only", str(obj)], capture_output=True, text=True, check=True).stdout
    defined = {ln.split()[-1] for ln in out.splitlines() if len(ln.split()) == 3 and ln.split()[1] in "TDBRCV"}
    out = subprocess.run(["nm", "--undefined-only", str(obj)], capture_output=True, text=True, check=True).stdout
    return defined, {ln.split()[-1] for ln in out.splitlines() if ln.split()}


def check_calls(root, objdir):
    """Calls between rooms from the objects' symbol tables; file-level call circles."""
    seam = set(re.findall(r"\b(plat_\w+)\s*\(", (root / "lib/platform.h").read_text()))
    objs = {}
    for room, path in sources(root):
        if path.suffix == ".c":
            obj = objdir / path.relative_to(root).with_suffix(".o")
            if obj.exists():
                objs[path.relative_to(root).as_posix()] = nm(obj)
    if not objs:
        return [f"no objects under {objdir}: build them first (make efi)"]
    owner = {sym: src for src, (defined, _) in objs.items() for sym in defined}
    errors, graph = [], {src: [] for src in objs}
    for src, (_, used) in sorted(objs.items()):
        room = src.split("/", 1)[0]
        for sym in sorted(used):
            if sym in seam or sym not in owner:
                continue  # the platform seam, or libgnuefi / the compiler's runtime
            to = owner[sym]
            if to.split("/", 1)[0] not in ALLOWED[room]:
                errors.append(f"{src}: uses {sym} from {to}: {to.split('/', 1)[0]}/ is not below {room}/")
            if to != src and to not in graph[src]:
                graph[src].append(to)
    return errors + cycles(graph, "call")


def cycles(graph, what):
    """Circles among our files (depth-first search; one report per circle found)."""
    state, found, stack = {}, [], []

    def visit(f):
        state[f] = 1
        stack.append(f)
        for g in graph.get(f, []):
            if state.get(g) == 1:
                found.append(f"{what} circle: " + " -> ".join(stack[stack.index(g):] + [g]))
            elif g in graph and not state.get(g):
                visit(g)
        stack.pop()
        state[f] = 2

    for f in sorted(graph):
        if not state.get(f):
            visit(f)
    return found


if __name__ == "__main__":
    sys.exit(main())
