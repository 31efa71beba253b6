import pathlib
import re
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
sys.path.insert(0, str(ROOT / "tests" / "integration"))

import cxltopo  # noqa: E402
import groundtruth  # noqa: E402
import qemu_run  # noqa: E402

# QEMU 10 is the oracle: it uncommits decoders (so the per-device cross-check runs), has four HDM
# decoders per component, volatile partitions and 3/6-way at endpoints. 7.2's answers differ.
QEMU_MIN = (10, 0)
# Boots measured with the load average near 4 (build/boot-times.txt): 6-14 s each, xHCI boots 11-12 s,
# the console test's sweep 18 s; in a full run at load 11 none took over 33 s. 120 s is 5x and more.
BOOT_LIMIT = 120


def qemu_version():
    out = subprocess.run(["qemu-system-x86_64", "--version"], capture_output=True, text=True).stdout
    m = re.search(r"version (\d+)\.(\d+)\.(\d+)", out)
    return out.splitlines()[0] if out else "qemu-system-x86_64 not found", \
        tuple(int(x) for x in m.groups()) if m else (0, 0, 0)


def pytest_report_header(config):
    return f"QEMU: {qemu_version()[0]}"


def pytest_configure(config):
    line, version = qemu_version()
    if version[:2] < QEMU_MIN:
        pytest.exit(f"the integration tests need QEMU >= {QEMU_MIN[0]}.{QEMU_MIN[1]} (found: {line}); "
                    f"tools/install-deps.sh installs it from bookworm-backports", returncode=3)


@pytest.fixture(scope="session")
def efi():
    path = ROOT / "build" / "cxlval.efi"
    assert path.exists(), "build/cxlval.efi is missing: run the tests through 'make integration'"
    return path


def config_of(kw):
    return kw.get("extra_files", {}).get("cxlval/cxlval.cfg", b"").decode()


def config_value(cfg, key, default):
    m = re.search(rf"^\s*{key}\s*=\s*(\S+)", cfg, re.M)
    return m.group(1) if m else default


@pytest.fixture
def boot(efi, tmp_path, request):
    """boot(topology, **kw) -> RunResult; every run has its own work dir and a wall-clock limit.

    Non-destructive runs start from a pattern unique to every device qword and must leave every
    backing file exactly as it was. A clean run (no injected fault, no broken table) must in
    addition have cross-checked every window's region and, if destructive, left exactly the
    predicted tags (check_clean). clean=None decides from the arguments."""
    booted = []

    def _boot(topo, timeout=BOOT_LIMIT, efi=efi, clean=None, **kw):
        if isinstance(topo, str):
            topo = cxltopo.get(topo)
        workdir = tmp_path / "run"
        n = 1
        while workdir.exists():  # a test may boot twice
            n += 1
            workdir = tmp_path / f"run{n}"
        cfg = config_of(kw)
        destructive = config_value(cfg, "destructive", "no") == "yes"
        ours = not destructive and "fill" not in kw
        if ours:
            kw["fill"] = groundtruth.fill_unique(topo)
        booted.append((workdir, topo))
        r = qemu_run.run(topo, efi, workdir=workdir, timeout=timeout, **kw)
        with open(ROOT / "build" / "boot-times.txt", "a") as f:  # what each case takes, for the limits
            f.write(f"{r.elapsed:6.1f} s  limit {timeout} s  {request.node.nodeid}\n")
        assert not r.timed_out, f"QEMU ran past {timeout} s and was killed; how far it got:\n{r.progress()}"
        if ours:
            groundtruth.assert_patterns_intact(r.workdir, topo)
        ev = r.events() if r.runs() else []
        skipped = [x for x in named(ev, "crosscheck.result") if x["status"] != "done"]
        assert not skipped, f"QEMU >= 10 uncommits decoders: the cross-check must run: {skipped}"
        if clean is None:
            clean = (kw.get("fwfault") is None and "fault_test" not in cfg and bool(topo.windows)
                     and not any(str(a).startswith("file=") for a in kw.get("extra_args", ())))
        if clean:
            check_clean(r, ev, cfg)
        return r
    yield _boot
    # The backing files are written whole (hundreds of MiB per device) and pytest keeps its last three
    # sessions: drop them once the test has read them, or a few runs fill the disk. Logs and images stay.
    for workdir, topo in booted:
        for _, _, path, _ in cxltopo.backing_files(workdir, topo):
            pathlib.Path(path).unlink(missing_ok=True)


def quick_bytes(cfg):
    return 1 << 62 if config_value(cfg, "mode", "quick") == "full" else int(config_value(cfg, "quick_mib", 4)) << 20


def check_clean(r, ev, cfg):
    """A clean topology: every window has its region, touched and cross-checked in full, every
    decoder change undone; counts come from the topology and the config, not from cxlval."""
    assert r.status == 0, f"status {r.status} on a clean topology; serial tail:\n{r.serial[-3000:]}"
    topo = r.topology
    bases = [int(w["resource"], 16) for w in named(ev, "cedt.cfmws")]
    regions = groundtruth.regions(topo, bases)
    plans = {p["window"]: p for p in named(ev, "region.plan") if "resource" in p}
    results = {x["region"]: x for x in named(ev, "touch.result")}
    checks = {x["region"]: x for x in named(ev, "crosscheck.result")}
    expected = {}
    for g in regions:
        p = plans.get(g.window)
        assert p, f"window {g.window} got no region: {named(ev, 'region.plan')}"
        assert (int(p["resource"], 16), int(p["size"], 16), p["interleave_ways"], p["interleave_granularity"],
                p["mode"]) == (g.base, g.size, g.ways, g.gran, g.mode), p
        res, x = results[p["region"]], checks[p["region"]]
        probes, sweep = g.touched_offsets(quick_bytes(cfg))
        assert res["touched"] == res["pass"] == len(probes) + len(sweep), res
        assert (x["status"], x["mismatched"], x["checked"]) == \
            ("done", 0, len(groundtruth.crosscheck_samples(g.size, g.gran, g.ways))), x
        for k, v in groundtruth.expected_tags(g, res["seed"], probes | sweep).items():
            expected.setdefault(k, {}).update(v)
    assert sorted(plans) == [g.window for g in regions], f"regions where the topology has none: {plans}"
    # One verdict per CFMWS window: verified by cxlval where the topology gives a region, else not verified.
    verdicts = {v["window"]: v for v in named(ev, "window.verdict")}
    assert sorted(verdicts) == list(range(len(bases))), verdicts
    for w, v in verdicts.items():
        want = ("verified_programmed", "cxlval") if w in plans else ("not_verified", "none")
        assert (v["status"], v["owner"]) == want, v
    (done,) = named(ev, "restore.done")
    assert " 0 decoders stayed committed" in done["msg"] and " 0 registers differ" in done["msg"], done
    if config_value(cfg, "destructive", "no") == "yes":
        groundtruth.assert_tags_exactly(r.workdir, topo, expected)


def named(events, name):
    return [e for e in events if e.get("event") == name]
