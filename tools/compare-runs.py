#!/usr/bin/env python3
"""Two cxlval runs side by side: what changed from RUN_A to RUN_B.

RUN_A and RUN_B are run folders (\\cxlval\\runs\\NNNN copied off the stick,
each with its report.json), e.g. before and after a BIOS update:

    tools/compare-runs.py before/0003 after/0001

Prints the overall verdict of both, every CFMWS window whose verdict changed
(report.json "windows"; a run without per-window verdicts says so), new and
fixed findings, and new and fixed firmware conflicts. A finding is the same
in both runs when its rule and location (table, structure index, field,
offset) are; a conflict when its window or region and both ranges are.

Exit status: 0 when B has nothing new that is worse (no new finding or
conflict, no window that got worse), 1 when it has, 2 on unreadable input.
"""
import argparse
import json
import pathlib
import sys

# Worse to better, for "got worse" (docs/report.md, BRIEF window.verdict contract).
WINDOW_RANK = {"failed": 0, "not_verified": 1, "verified_firmware": 2, "verified_programmed": 2}


def load(folder):
    path = pathlib.Path(folder)
    if path.is_dir():
        path = path / "report.json"
    with open(path) as f:
        report = json.load(f)
    if report.get("schema") != "cxlval-report":
        raise ValueError(f"{path}: not a cxlval report.json")
    return report


def verdict(report):
    v = report.get("verdict")
    return f"{v['verdict']} (exit status {v['status']})" if v else "did not finish"


def window_label(w):
    return f"window {w['window']} at {w['resource']}"


def window_status(w):
    text = w["status"]
    if w.get("region"):
        text += f" ({w['region']})"
    if w.get("reason"):
        text += f": {w['reason']}"
    return text


def window_changes(a, b):
    wa = {w["window"]: w for w in a.get("windows") or []}
    wb = {w["window"]: w for w in b.get("windows") or []}
    lines, worse = [], False
    if not wa or not wb:
        missing = [name for name, w in (("A", wa), ("B", wb)) if not w]
        lines.append(f"no per-window verdict in {' and '.join(missing)}: windows not compared")
        return lines, worse
    for k in sorted(wa.keys() | wb.keys()):
        if k not in wb:
            lines.append(f"{window_label(wa[k])}: {window_status(wa[k])} -> gone")
        elif k not in wa:
            lines.append(f"{window_label(wb[k])}: new, {window_status(wb[k])}")
            worse |= WINDOW_RANK.get(wb[k]["status"], 0) < 2
        elif (wa[k]["status"], wa[k].get("reason")) != (wb[k]["status"], wb[k].get("reason")) or \
                wa[k]["resource"] != wb[k]["resource"]:
            lines.append(f"{window_label(wa[k])}: {window_status(wa[k])} -> {window_status(wb[k])}")
            worse |= WINDOW_RANK.get(wb[k]["status"], 0) < WINDOW_RANK.get(wa[k]["status"], 0)
    return lines, worse


def finding_key(f):
    return tuple(str(f.get(k, "")) for k in ("rule", "table", "index", "structure", "field", "offset"))


def conflict_key(c):
    return tuple(c.get(k) for k in ("target", "target_index", "fw_type", "fw_start", "fw_end",
                                    "overlap_start", "overlap_end"))


def conflict_text(c):
    return (f"{c['target']} {c['target_index']}: {c['fw_type']} {c['fw_start']}-{c['fw_end']} "
            f"({c['bytes']} bytes {c['shape']}): {c['linux']}")


def new_and_fixed(a, b, key, text):
    ka = {key(x): x for x in a}
    kb = {key(x): x for x in b}
    new = [text(kb[k]) for k in kb if k not in ka]
    fixed = [text(ka[k]) for k in ka if k not in kb]
    return new, fixed


def compare(a, b):
    """The lines to print and whether B is worse anywhere."""
    lines = [f"verdict: A {verdict(a)}, B {verdict(b)}"]
    wl, worse = window_changes(a, b)
    lines += ["windows:"] + [f"  {line}" for line in wl or ["no change"]]
    for title, section, key, text in (
            ("findings", "findings", finding_key, lambda f: f"{f.get('severity')} {f.get('rule')}: {f.get('msg', '')}"),
            ("conflicts", "conflicts", conflict_key, conflict_text)):
        new, fixed = new_and_fixed(a.get(section) or [], b.get(section) or [], key, text)
        worse |= bool(new)
        lines.append(f"{title}: {len(new)} new, {len(fixed)} fixed")
        lines += [f"  new: {t}" for t in new] + [f"  fixed: {t}" for t in fixed]
    return lines, worse


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("run_a", help="run folder (or its report.json): before")
    ap.add_argument("run_b", help="run folder (or its report.json): after")
    args = ap.parse_args(argv)
    try:
        a, b = load(args.run_a), load(args.run_b)
    except (OSError, ValueError, KeyError) as e:
        print(f"compare-runs: {e}", file=sys.stderr)
        return 2
    lines, worse = compare(a, b)
    print("\n".join(lines))
    return 1 if worse else 0


if __name__ == "__main__":
    sys.exit(main())
