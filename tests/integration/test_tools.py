"""tools/compare-cxl-list.py and tools/compare-runs.py on captured inputs (no QEMU).

tests/tools/README.md says where each input comes from: report.json of two
real runs of the default topology (with and without an injected conflict),
the cxl-list.json cxlval wrote in one of them, and a `cxl list -RDET` output
written by hand in cxl-cli's shape. Variants (per-window verdicts, findings,
cxl list -u values) are made here from those files, so each test says what
it changed.
"""
import copy
import json
import subprocess
import sys

import jsonschema
import pytest

from conftest import ROOT

DATA = ROOT / "tests" / "tools"
CXLVAL_LIST = DATA / "cxl-list" / "cxlval.json"
LINUX_LIST = DATA / "cxl-list" / "linux.json"
BEFORE, AFTER = DATA / "runs" / "before", DATA / "runs" / "after"


def tool(name, *args):
    r = subprocess.run([sys.executable, str(ROOT / "tools" / name), *map(str, args)], capture_output=True, text=True,
                       timeout=60)
    return r.returncode, r.stdout.splitlines(), r.stderr


def write(path, data):
    path.write_text(json.dumps(data, indent=1))
    return path


# ---- compare-cxl-list.py ------------------------------------------------------

def test_cxl_list_pair_differences():
    rc, out, _ = tool("compare-cxl-list.py", "--common", CXLVAL_LIST, LINUX_LIST)
    assert rc == 1
    assert out == ["decoder decoder1.0: interleave_granularity A 256, B 4096 (0x1000)",
                   "decoder decoder2.0: interleave_granularity A 256, B 4096 (0x1000)",
                   "decoder decoder3.0: interleave_granularity A 256, B 4096 (0x1000)",
                   "region region0: interleave_granularity A 256, B 4096 (0x1000)"]
    rc, out, _ = tool("compare-cxl-list.py", CXLVAL_LIST, LINUX_LIST)
    assert rc == 1
    # Without --common, what only Linux prints is listed too, per object and per target position.
    assert 'endpoint endpoint2: only in B: depth=2, parent_dport="0000:0c:00.0"' in out
    assert 'decoder decoder0.0: targets position 0: only in B: alias="pci0000:0c", target="ACPI0016:00"' in out


def test_cxl_list_same_file_agrees():
    rc, out, _ = tool("compare-cxl-list.py", CXLVAL_LIST, CXLVAL_LIST)
    assert (rc, out) == (0, ["A and B agree: 7 objects"])


def test_cxl_list_hex_strings_equal_integers_and_order_does_not_matter(tmp_path):
    human = json.loads(CXLVAL_LIST.read_text())
    region = human[1]["root decoders"][0]["regions:decoder0.0"][0]
    region["resource"] = hex(region["resource"])  # cxl list -u prints "0x290000000"
    region["mappings"].reverse()
    rc, out, _ = tool("compare-cxl-list.py", CXLVAL_LIST, write(tmp_path / "u.json", human))
    assert (rc, out) == (0, ["A and B agree: 7 objects"])
    region["size"] = "512.00 MiB (536.87 MB)"
    rc, out, _ = tool("compare-cxl-list.py", CXLVAL_LIST, write(tmp_path / "u.json", human))
    assert rc == 1 and out == ['region region0: size not comparable (a rounded size from cxl list -u): '
                               'A 536870912 (0x20000000), B "512.00 MiB (536.87 MB)"']


def test_cxl_list_missing_objects_and_unreadable_input(tmp_path):
    linux = json.loads(LINUX_LIST.read_text())
    del linux[1]["root decoders"][0]["regions:decoder0.0"]
    linux[0]["endpoints"].pop()
    rc, out, _ = tool("compare-cxl-list.py", "--common", CXLVAL_LIST, write(tmp_path / "l.json", linux))
    assert rc == 1
    assert "only in A: region region0" in out and "only in A: endpoint endpoint3" in out
    assert "only in A: decoder decoder3.0" in out  # it was nested in the missing endpoint
    (tmp_path / "bad.json").write_text("[{")
    rc, out, err = tool("compare-cxl-list.py", CXLVAL_LIST, tmp_path / "bad.json")
    assert rc == 2 and "compare-cxl-list:" in err


def test_captured_cxl_list_follows_its_schema():
    schema = json.loads((ROOT / "docs" / "cxl-list.schema.json").read_text())
    data = json.loads(CXLVAL_LIST.read_text())
    jsonschema.validate(data, schema)
    jsonschema.validate(json.loads(LINUX_LIST.read_text())[1:], schema)  # Linux's decoders fit it too
    broken = copy.deepcopy(data)
    broken[1]["root decoders"][0]["regions:decoder0.0"][0]["interleave_ways"] = "2"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, schema)


# ---- compare-runs.py ------------------------------------------------------------

def test_runs_pair_conflicts_fixed_and_new():
    rc, out, _ = tool("compare-runs.py", BEFORE, AFTER)
    assert rc == 0
    assert out[0] == "verdict: A firmware_conflict (exit status 2), B pass (exit status 0)"
    assert "  no per-window verdict in A and B: windows not compared" in out
    assert "findings: 0 new, 0 fixed" in out
    assert "conflicts: 0 new, 2 fixed" in out
    assert ("  fixed: window 0: Conventional 0x290000000-0x297ffffff (134217728 bytes fw_inside_window): "
            "region_blocked_by_system_ram") in out
    rc, out, _ = tool("compare-runs.py", AFTER / "report.json", BEFORE / "report.json")
    assert rc == 1  # B has new conflicts
    assert "conflicts: 2 new, 0 fixed" in out


def window(i, status, reason="", region=None):
    """A window.verdict event as the BRIEF contract (issue 14) defines it."""
    w = {"level": "info", "phase": "restore", "event": "window.verdict", "msg": "", "window": i,
         "resource": hex(0x290000000 + (i << 32)), "size": "0x100000000", "status": status, "reason": reason,
         "owner": "cxlval" if region else "none"}
    if region:
        w["region"] = region
    return w


def run_with(tmp_path, name, base, windows=(), findings=()):
    report = json.loads((base / "report.json").read_text())
    report["windows"] = list(windows)
    report["findings"] = report["findings"] + list(findings)
    folder = tmp_path / name
    folder.mkdir()
    write(folder / "report.json", report)
    return folder


FINDING = {"level": "error", "phase": "acpi", "event": "finding", "severity": "error", "rule": "cfmws.eniw",
           "table": "CEDT", "index": 1, "structure": "CFMWS", "field": "ENIW", "offset": "0x2c",
           "msg": "CEDT[1] CFMWS field ENIW at offset 0x2c: value 5 is not a valid encoding"}


def test_runs_window_verdict_changes_and_findings(tmp_path):
    a = run_with(tmp_path, "a", AFTER, [window(0, "verified_programmed", region="region0"),
                                        window(1, "not_verified", "no_free_decoder")], [FINDING])
    b = run_with(tmp_path, "b", AFTER, [window(0, "failed", "routing", region="region0"),
                                        window(1, "not_verified", "no_free_decoder")])
    rc, out, _ = tool("compare-runs.py", a, b)
    assert rc == 1  # window 0 got worse
    assert "  window 0 at 0x290000000: verified_programmed (region0) -> failed (region0): routing" in out
    assert not any("window 1" in line for line in out)  # unchanged windows are not listed
    assert "findings: 0 new, 1 fixed" in out
    assert "  fixed: error cfmws.eniw: CEDT[1] CFMWS field ENIW at offset 0x2c: value 5 is not a valid encoding" in out
    rc, out, _ = tool("compare-runs.py", b, a)
    assert rc == 1  # the finding is new in B, even though window 0 got better
    assert "  window 0 at 0x290000000: failed (region0): routing -> verified_programmed (region0)" in out
    assert "findings: 1 new, 0 fixed" in out


def test_runs_without_verdict_on_one_side_and_bad_input(tmp_path):
    a = run_with(tmp_path, "a", AFTER, [window(0, "verified_programmed", region="region0")])
    rc, out, _ = tool("compare-runs.py", a, AFTER)
    assert rc == 0 and "  no per-window verdict in B: windows not compared" in out
    (tmp_path / "x").mkdir()
    rc, out, err = tool("compare-runs.py", a, tmp_path / "x")
    assert rc == 2 and "compare-runs:" in err
