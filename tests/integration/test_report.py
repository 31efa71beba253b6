"""Issue 7: report.json follows its schema and says what QEMU and the injector did; report.html renders.

One boot of the default topology with SMBIOS strings given to QEMU and 128 MiB
of conventional memory injected at the start of window 0 (fwfault), so the
report has a platform, a region, decoders and a conflict to show.
"""
import json
import shutil
import subprocess

import jsonschema
import pytest

import cxltopo
import qemu_run
from conftest import BOOT_LIMIT, ROOT

SCHEMA = ROOT / "docs" / "report.schema.json"
W0, M = 0x290000000, 1 << 20
INJECTED = (W0, 128 * M)
SMBIOS = ("ACME Labs", "CXL Box 9000", "B2")
CHROMIUM = shutil.which("chromium")


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    topo = cxltopo.get("default")
    r = qemu_run.run(topo, workdir=tmp_path_factory.mktemp("report"), timeout=BOOT_LIMIT,
                     fwfault=f"conventional {INJECTED[0]:#x} {INJECTED[1]:#x}\n",
                     extra_args=["-smbios", "type=1,manufacturer={},product={},version={}".format(*SMBIOS)])
    assert not r.timed_out, r.progress()
    return r


@pytest.fixture(scope="module")
def report(run):
    data = run.run_file("report.json")
    assert data, "cxlval wrote no report.json"
    return json.loads(data)


def test_report_json_validates_against_the_schema(report):
    schema = json.loads(SCHEMA.read_text())
    jsonschema.validate(report, schema)
    broken = dict(report, conflicts=[{k: v for k, v in c.items() if k != "linux"} for c in report["conflicts"]])
    with pytest.raises(jsonschema.ValidationError):  # the schema really checks the items
        jsonschema.validate(broken, schema)


def test_report_json_matches_qemu_and_the_injector(run, report):
    topo = run.topology
    assert report["verdict"]["status"] == run.status == 2  # isa-debug-exit carried the same status
    assert report["run"] == run.runs()[-1]
    p = report["platform"]
    assert (p["sys_vendor"], p["product_name"], p["product_version"]) == SMBIOS
    (w,) = report["cfmws"]
    assert (int(w["resource"], 16), int(w["size"], 16)) == (W0, topo.windows[0].size)
    assert sorted(e["ram_size"] + e["pmem_size"] for e in report["endpoints"]) == sorted(d.size for d in topo.devices)
    (region,) = [g for g in report["regions"] if "region" in g]
    assert int(region["size"], 16) == sum(d.size for d in topo.devices)
    assert {d["region"] for d in report["region_decoders"]} == {region["region"]}
    assert len(report["region_decoders"]) == 1 + len(topo.devices)  # host bridge + every endpoint
    window_conflicts = [c for c in report["conflicts"] if c["target"] == "window"]
    assert [(int(c["overlap_start"], 16), c["bytes"]) for c in window_conflicts] == [INJECTED]
    mem = [e for e in report["memmap"] if int(e["start"], 16) <= W0 <= int(e["end"], 16)]
    assert mem and mem[0]["type"] == "Conventional"


def test_report_html_renders_in_headless_chromium(run, tmp_path):
    assert CHROMIUM, "chromium is missing: 'make deps' installs it"
    page = tmp_path / "report.html"
    page.write_bytes(run.run_file("report.html"))
    shot = tmp_path / "report.png"
    base = [CHROMIUM, "--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
            "--window-size=1400,1100"]
    got = subprocess.run(base + ["--dump-dom", page.as_uri()], capture_output=True, text=True, timeout=90)
    assert got.returncode == 0, f"chromium --dump-dom exited {got.returncode}: {got.stderr[-2000:]}"
    dom = got.stdout
    assert '<svg id="addrmap"' in dom and 'class="conflict"' in dom and 'class="window"' in dom
    assert "ACME Labs" in dom and "firmware_conflict" in dom
    got = subprocess.run(base + [f"--screenshot={shot}", page.as_uri()], capture_output=True, text=True, timeout=90)
    assert got.returncode == 0, f"chromium --screenshot exited {got.returncode}: {got.stderr[-2000:]}"
    from PIL import Image
    img = Image.open(shot).convert("RGB")
    assert img.size == (1400, 1100)
    colours = img.getcolors(maxcolors=1 << 20)
    assert colours and len(colours) > 50, "the page rendered as a few flat colours"
    # The verdict badge and the map's window and conflict colours are on screen, not only in the DOM.
    present = {c for _, c in colours}
    for name, rgb in {"fail badge": (0xbb, 0x22, 0x22), "window": (0x9e, 0xc5, 0xff), "conflict": (0xee, 0x33, 0x33)}.items():
        assert rgb in present, f"{name} colour {rgb} not in the screenshot"
    shutil.copy(shot, ROOT / "build" / "report-example.png")
