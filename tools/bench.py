#!/usr/bin/python3
"""make bench: the touch engine's speed in QEMU, and the pure logic's on the host, in one table.

First boots the default topology three times with the shipped defaults on one
CPU (no config file: quick mode, non-destructive) and prints each phase's time
(phase.time), cxlval's own run (cxlval.start to cxlval.end) and QEMU's start
to exit, with the median of the three.

Then boots (TCG, OVMF) with a bench config on the ESP (destructive = yes, bench = yes):
  default topology, quick mode, every CPU   - quick-mode touches and time
  default topology, full mode, cpus = 1     - engine vs raw rep stosq fill + read, same range, same run
  default topology, full mode, every CPU    - per-CPU and total throughput
  big topology (4 x 1 GiB, -smp 4), quick   - boot-to-report time on a bigger machine
Everything is read back from each run's log.jsonl (touch.*, bench.*, phase.time
events). Each boot's work directory (backing files included) is on tmpfs
(/dev/shm) and removed afterwards: on a disk, the host's first touch of a
page and its writeback of dirty pages cost more than the guest's stores and
would decide the numbers. Then the host benchmark binaries run: the pure
logic (bench_host) and the engine's own loops over host DRAM (bench_dram).
"""
import argparse
import pathlib
import statistics
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import cxltopo  # noqa: E402
import qemu_run  # noqa: E402

RUNS = [  # label, topology, smp, config
    ("default quick, all CPUs", "default", 2, "mode = quick\nquick_mib = 16\n"),
    ("default full, 1 CPU", "default", 2, "mode = full\ncpus = 1\n"),
    ("default full, all CPUs", "default", 2, "mode = full\n"),
    ("big quick, all CPUs", "big", 4, "mode = quick\nquick_mib = 16\n"),
]


def named(events, name):
    return [e for e in events if e.get("event") == name]


DEFAULT_BOOTS = 3  # shipped defaults, 1 CPU: the medians the README quotes


def boot(topo_name, smp, cfg, timeout, keep):
    topo = cxltopo.get(topo_name, smp=smp)
    files = {} if cfg is None else {"cxlval/cxlval.cfg": ("destructive = yes\nbench = yes\n" + cfg).encode()}
    workdir = pathlib.Path(tempfile.mkdtemp(prefix=f"cxlval-bench-{topo_name}-", dir="/dev/shm"))
    try:
        r = qemu_run.run(topo, workdir=workdir, timeout=timeout, extra_files=files)
        keep.mkdir(parents=True, exist_ok=True)
        (keep / f"{workdir.name}.serial.txt").write_text(r.serial)
        if r.timed_out or r.status is None:
            raise SystemExit(f"bench: {topo_name} did not finish (timed out: {r.timed_out}); serial in {keep}")
        return r, r.events()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def summarize(label, r, ev):
    probes = named(ev, "touch.probes")
    sweep = named(ev, "touch.sweep")
    cpus = named(ev, "touch.cpu")
    raw = named(ev, "bench.raw")
    phases = phase_times(ev)
    end = named(ev, "cxlval.end")[0]
    return {
        "label": label, "verdict": end["verdict"], "cxlval_ms": end["t_ms"], "qemu_s": r.elapsed,
        "probes": sum(p["touches"] for p in probes), "probe_ms": sum(p["us"] for p in probes) / 1000,
        "sweep_touches": sum(s["touches"] for s in sweep), "sweep_ms": sum(s["us"] for s in sweep) / 1000,
        "sweep_mib_s": sweep[0]["mib_per_s"] if sweep else 0, "workers": sweep[0]["workers"] if sweep else 0,
        "cpu_mib_s": [c["mib_per_s"] for c in cpus],
        "raw_mib_s": raw[0]["mib_per_s"] if raw else None,
        "eng1_mib_s": raw[0]["touch_mib_per_s"] if raw else None,
        "ratio": raw[0]["ratio_permille"] / 1000 if raw else None,
        "touch_ms": phases.get("touch", 0), "phases": phases,
        "method": named(ev, "touch.method")[0]["store"] if named(ev, "touch.method") else "",
    }


def phase_times(ev):
    """phase -> ms, a phase entered more than once summed; own = cxlval.start to cxlval.end."""
    phases = {}
    for p in named(ev, "phase.time"):
        phases[p["phase"]] = phases.get(p["phase"], 0) + p["us"] / 1000
    phases["own run"] = named(ev, "cxlval.end")[0]["t_ms"] - named(ev, "cxlval.start")[0]["t_ms"]
    return phases


def defaults_table(timeout, keep):
    boots = []
    for i in range(DEFAULT_BOOTS):
        print(f"bench: booting default, shipped defaults, 1 CPU ({i + 1}/{DEFAULT_BOOTS}) ...", file=sys.stderr,
              flush=True)
        r, ev = boot("default", 1, None, timeout, keep)
        if named(ev, "cxlval.end")[0]["verdict"] != "pass":
            raise SystemExit(f"bench: the default topology did not pass; serial in {keep}")
        t = phase_times(ev)
        t["QEMU start to exit"] = r.elapsed * 1000
        boots.append(t)
    print(f"default topology, shipped defaults (quick, quick_mib 4, non-destructive), -smp 1, {DEFAULT_BOOTS} boots "
          "(ms; targets: own run <= 1500, firmware <= 200, QEMU start to exit <= 6000):")
    print(f"{'phase':20} " + " ".join(f"{'boot ' + str(i + 1):>8}" for i in range(len(boots))) + f" {'median':>8}")
    for name in boots[0]:
        vals = [b.get(name, 0) for b in boots]
        print(f"{name:20} " + " ".join(f"{v:8.0f}" for v in vals) + f" {statistics.median(vals):8.0f}")
    print()


def print_table(rows):
    print(f"{'run':26} {'verdict':8} {'probes':>6} {'probe ms':>8} {'sweep lines':>11} {'sweep ms':>9} "
          f"{'MiB/s':>6} {'per CPU MiB/s':>16} {'1-CPU engine':>12} {'raw MiB/s':>9} {'ratio':>6} {'touch ms':>9} "
          f"{'cxlval ms':>9} {'boot-to-exit s':>14}")
    for x in rows:
        print(f"{x['label']:26} {x['verdict']:8} {x['probes']:6} {x['probe_ms']:8.0f} {x['sweep_touches']:11} "
              f"{x['sweep_ms']:9.0f} {x['sweep_mib_s']:6} {','.join(map(str, x['cpu_mib_s'])):>16} "
              f"{x['eng1_mib_s'] if x['eng1_mib_s'] is not None else '-':>12} "
              f"{x['raw_mib_s'] if x['raw_mib_s'] is not None else '-':>9} "
              f"{x['ratio'] if x['ratio'] is not None else '-':>6} {x['touch_ms']:9.0f} {x['cxlval_ms']:9} "
              f"{x['qemu_s']:14.1f}")
    print("MiB/s counts every byte written once and read once. raw MiB/s and ratio: one CPU, rep stosq fill + "
          "read vs the engine's fill + check, alternating 16 MiB chunks of the sweep range in the same run "
          "(ratio = raw time / engine time; >= 1: the engine is as fast).")
    if rows:
        print(f"store method: {rows[0]['method']}")
        print("phase times (ms), first run: " + ", ".join(f"{k} {v:.0f}" for k, v in rows[0]["phases"].items()))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--host-bench", help="the host benchmark binary (make bench-host builds it)")
    ap.add_argument("--dram-bench", help="the host DRAM benchmark of the engine's loops (make bench-host builds it)")
    ap.add_argument("--timeout", type=float, default=600)
    ap.add_argument("--only", help="runs whose label starts with one of these, separated by ';' (default all; "
                                   "'defaults' is the shipped-defaults table, 'none' boots nothing)")
    a = ap.parse_args()
    workroot = qemu_run.ROOT / "build" / "bench"
    workroot.mkdir(parents=True, exist_ok=True)
    if not a.only or "defaults" in a.only.split(";"):
        defaults_table(a.timeout, workroot)
    rows = []
    for label, topo, smp, cfg in RUNS:
        if a.only and not any(label.startswith(o) for o in a.only.split(";")):
            continue
        print(f"bench: booting {label} ...", file=sys.stderr, flush=True)
        r, ev = boot(topo, smp, cfg, a.timeout, workroot)  # serial logs stay in build/bench
        rows.append(summarize(label, r, ev))
    if rows:
        print_table(rows)
    for binary in (a.host_bench, a.dram_bench):
        if binary:
            print()
            sys.stdout.flush()
            subprocess.run([binary], check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
