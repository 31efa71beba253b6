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

Usage: tools/check-layers.py [ROOT]. Prints every violation and exits 1 if there is any.
"""
import pathlib
import re
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
    root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else pathlib.Path(__file__).resolve().parent.parent)
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
    errors += cycles(graph)
    for e in errors:
        print(f"check-layers: {e}")
    if errors:
        print(f"check-layers: {len(errors)} problem(s); the floors are listed in tools/check-layers.py")
        return 1
    print(f"check-layers: {len(graph)} files, every include points down, no include circle")
    return 0


def cycles(graph):
    """Include circles among our files (depth-first search; one report per circle found)."""
    state, found, stack = {}, [], []

    def visit(f):
        state[f] = 1
        stack.append(f)
        for g in graph.get(f, []):
            if state.get(g) == 1:
                found.append("include circle: " + " -> ".join(stack[stack.index(g):] + [g]))
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
