#!/usr/bin/env python3
"""Print the differences between two `cxl list` JSON outputs.

Typical use: A is the cxl-list.json cxlval wrote in its run folder (what it
programmed or found committed), B is `cxl list -RDET` (or any subset such as
`cxl list -RD`) as Linux printed it after boot on the same machine:

    tools/compare-cxl-list.py runs/0001/cxl-list.json linux-cxl-list.json

Objects are matched by what cxl-cli names them (region0, decoder2.0,
endpoint2, mem0, port1, root0), wherever they are nested. Numbers compare as
numbers: 11005853696 equals "0x290000000" (cxl list -u prints hex strings).
Sizes that `cxl list -u` rounds ("512.00 MiB (536.87 MB)") cannot be compared
exactly: run cxl list without -u.

Exit status: 0 when the two agree, 1 when they differ, 2 on unreadable input.
"""
import argparse
import json
import re
import sys

# The field that names an object, in the order that decides (a decoder also has "region", a mapping "memdev").
IDENTITY = ("decoder", "endpoint", "region", "memdev", "port", "bus")
# Lists of objects of their own: flattened. Other lists (targets, mappings, dports) are values.
CONTAINERS = {"anon memdevs", "buses", "ports", "endpoints", "memdevs", "root decoders", "port decoders",
              "endpoint decoders", "regions", "decoders"}
HUMAN_SIZE = re.compile(r"^\d+(\.\d+)? [KMGTP]iB")


def identity(obj):
    for key in IDENTITY:
        if isinstance(obj.get(key), str):
            return f"{key} {obj[key]}"
    return None


def is_container(key):
    return key in CONTAINERS or key.split(":")[0] in CONTAINERS


def flatten(node, out, where="top level"):
    """Every named object in a cxl list output, by identity, without its child containers."""
    if isinstance(node, list):
        for item in node:
            flatten(item, out, where)
        return
    if not isinstance(node, dict):
        raise ValueError(f"{where}: expected an object or a list, got {type(node).__name__}")
    fields = {}
    for key, value in node.items():
        if is_container(key) and isinstance(value, list):
            flatten(value, out, key)
        else:
            fields[key] = value
    name = identity(fields)
    if name is None:
        if fields:  # a container object such as {"root decoders": [...]} leaves nothing behind
            raise ValueError(f"{where}: an object without a decoder/endpoint/region/memdev/port/bus name: {fields}")
        return
    if name in out:
        raise ValueError(f"{name} appears twice")
    out[name] = fields


def number(value):
    """11005853696 and "0x290000000" are the same number; other values stay as they are."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and re.fullmatch(r"0x[0-9a-fA-F]+", value):
        return int(value, 16)
    if isinstance(value, str) and re.fullmatch(r"\d+", value):
        return int(value)
    if isinstance(value, list):
        return [normal(v) if isinstance(v, dict) else number(v) for v in value]
    return value


def normal(obj):
    return {k: number(v) for k, v in obj.items()}


def show(value):
    if isinstance(value, int) and not isinstance(value, bool) and value >= 4096:
        return f"{value} ({value:#x})"
    return json.dumps(value, sort_keys=True)


def keyed(items):
    """A list of objects (targets, mappings) by position: their order in the output does not matter."""
    if isinstance(items, list) and items and all(isinstance(i, dict) and "position" in i for i in items):
        return {f"position {i['position']}": i for i in items}
    return None


def compare_fields(name, fa, fb, ignore, common_only, lines):
    only = {"A": [], "B": []}
    for key in sorted((fa.keys() | fb.keys()) - set(ignore)):
        if key not in fa or key not in fb:
            side, value = ("A", fa[key]) if key in fa else ("B", fb[key])
            only[side].append(f"{key}={show(value)}")
        elif keyed(fa[key]) is not None and keyed(fb[key]) is not None:
            ka, kb = keyed(fa[key]), keyed(fb[key])
            for pos in sorted(ka.keys() | kb.keys()):
                if pos not in ka or pos not in kb:
                    lines.append(f"{name}: {key} {pos} only in {'A' if pos in ka else 'B'}")
                else:
                    compare_fields(f"{name}: {key} {pos}", normal(ka[pos]), normal(kb[pos]), ignore, common_only,
                                   lines)
        elif any(isinstance(v, str) and HUMAN_SIZE.match(v) for v in (fa[key], fb[key])):
            lines.append(f"{name}: {key} not comparable (a rounded size from cxl list -u): "
                         f"A {show(fa[key])}, B {show(fb[key])}")
        elif fa[key] != fb[key]:
            lines.append(f"{name}: {key} A {show(fa[key])}, B {show(fb[key])}")
    for side in "AB":
        if only[side] and not common_only:
            lines.append(f"{name}: only in {side}: {', '.join(only[side])}")


def compare(a, b, ignore=(), common_only=False):
    """Lines that say how b differs from a."""
    lines = []
    for name in sorted(a.keys() - b.keys()):
        lines.append(f"only in A: {name}")
    for name in sorted(b.keys() - a.keys()):
        lines.append(f"only in B: {name}")
    for name in sorted(a.keys() & b.keys()):
        compare_fields(name, normal(a[name]), normal(b[name]), ignore, common_only, lines)
    return lines


def load(path):
    with open(path) as f:
        data = json.load(f)
    objects = {}
    flatten(data, objects)
    return objects


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("a", help="a cxl list JSON file (e.g. a run's cxl-list.json)")
    ap.add_argument("b", help="another (e.g. `cxl list -RDET` saved on the booted machine)")
    ap.add_argument("--ignore", action="append", default=[], metavar="FIELD",
                    help="a field not to compare (repeatable), e.g. --ignore qos_class")
    ap.add_argument("--common", action="store_true",
                    help="compare only the fields both print (cxlval leaves out depth, parent_dport and "
                         "target aliases, docs/report.md)")
    args = ap.parse_args(argv)
    try:
        a, b = load(args.a), load(args.b)
    except (OSError, ValueError) as e:  # json.JSONDecodeError is a ValueError
        print(f"compare-cxl-list: {e}", file=sys.stderr)
        return 2
    lines = compare(a, b, args.ignore, args.common)
    for line in lines:
        print(line)
    if not lines:
        print(f"A and B agree: {len(a)} objects")
    return 1 if lines else 0


if __name__ == "__main__":
    sys.exit(main())
