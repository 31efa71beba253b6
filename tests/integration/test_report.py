"""Issues 7 and 17: report.json, cxl-list.json and report.html say what QEMU and the injector did.

One boot of the default topology with SMBIOS strings given to QEMU and 128 MiB
of conventional memory injected at the start of window 0 (fwfault), so the
report has a platform, a region, decoders and a conflict to show. Expected
values come from the topology definition (tools/cxltopo.py) and the window
QEMU places at 0x290000000, never from cxlval's log.
"""
import html.parser
import json
import re
import shutil
import subprocess

import jsonschema
import pytest

import cxltopo
import qemu_run
from conftest import BOOT_LIMIT, ROOT

SCHEMA = ROOT / "docs" / "report.schema.json"
CXL_LIST_SCHEMA = ROOT / "docs" / "cxl-list.schema.json"
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


def test_windows_have_a_verdict_each(run, report):
    """windows[] comes from the window.verdict events: one per CFMWS window, in CEDT order."""
    topo = run.topology
    assert [w["window"] for w in report["windows"]] == list(range(len(topo.windows)))
    w0 = report["windows"][0]
    assert (int(w0["resource"], 16), int(w0["size"], 16)) == (W0, topo.windows[0].size)
    # The injected RAM keeps a non-destructive run from touching region0: window 0 cannot be verified.
    assert w0["status"] in ("not_verified", "failed")


def test_cxl_list_twin_names_region0_as_the_topology_defines_it(run):
    data = run.run_file("cxl-list.json")
    assert data, "cxlval wrote no cxl-list.json"
    listing = json.loads(data)
    jsonschema.validate(listing, json.loads(CXL_LIST_SCHEMA.read_text()))
    topo = run.topology
    window = topo.windows[0]
    kinds = {k: v for container in listing for k, v in container.items()}
    (root,) = kinds["root decoders"]
    assert (root["decoder"], root["resource"], root["size"]) == ("decoder0.0", W0, window.size)
    assert root["interleave_ways"] == len(window.targets) and root["nr_targets"] == len(window.targets)
    (region,) = root["regions:decoder0.0"]
    assert region["region"] == "region0"
    assert region["resource"] == W0 and type(region["resource"]) is int
    assert region["interleave_ways"] == 2 == len(topo.devices) and type(region["interleave_ways"]) is int
    assert region["interleave_granularity"] == window.granularity
    assert region["size"] == sum(d.size for d in topo.devices)
    assert region["decode_state"] == "commit"
    assert sorted(m["position"] for m in region["mappings"]) == [0, 1]
    assert sorted(m["memdev"] for m in region["mappings"]) == ["mem0", "mem1"]
    endpoints = kinds["endpoints"]
    assert len(endpoints) == len(topo.devices)
    for e in endpoints:
        (d,) = e[f"decoders:{e['endpoint']}"]
        assert (d["resource"], d["size"], d["interleave_ways"], d["region"]) == (W0, region["size"], 2, "region0")
        assert d["dpa_size"] == topo.devices[0].size and d["mode"] == "pmem"
    (hb,) = kinds["port decoders"]
    assert hb["nr_targets"] == len(topo.root_ports) and [t["position"] for t in hb["targets"]] == [0, 1]


class Cells(html.parser.HTMLParser):
    """The text of every <td> and <th>."""
    def __init__(self):
        super().__init__()
        self.cells, self.depth = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in ("td", "th"):
            self.depth += 1
            self.cells.append("")

    def handle_endtag(self, tag):
        if tag in ("td", "th"):
            self.depth -= 1

    def handle_data(self, data):
        if self.depth:
            self.cells[-1] += data


def event_names():
    """Every event name (and rule id) docs/log.md spells in backquotes: word.word."""
    names = set(re.findall(r"`([a-z]+\.[a-z_]+)`", (ROOT / "docs" / "log.md").read_text()))
    assert {"touch.cpu", "touch.method", "paging.firmware", "paging.cxlval", "cedt.cfmws"} <= names
    return names


# Runs in the page (a copy: report.html itself has no scripts) and writes what it measured into the DOM.
MEASURE = """<script>addEventListener('load', () => {
  const root = document.documentElement, rows = [...document.querySelectorAll('#addrmap svg')];
  const m = {page: root.scrollWidth, view: root.clientWidth, rows: rows.length,
             right: Math.max(...rows.map(s => s.getBoundingClientRect().right)),
             scale: Math.min(...rows.map(s => s.getBoundingClientRect().width / s.viewBox.baseVal.width))};
  const pre = document.createElement('pre'); pre.id = 'measured'; pre.textContent = JSON.stringify(m);
  document.body.appendChild(pre);
});</script>"""


def chromium(args, page, timeout=90):
    base = [CHROMIUM, "--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars"]
    got = subprocess.run(base + args + [page.as_uri()], capture_output=True, text=True, timeout=timeout)
    assert got.returncode == 0, f"chromium {' '.join(args)} exited {got.returncode}: {got.stderr[-2000:]}"
    return got.stdout


def test_report_html_renders_in_headless_chromium(run, report, tmp_path):
    assert CHROMIUM, "chromium is missing: 'make deps' installs it"
    page = tmp_path / "report.html"
    page.write_bytes(run.run_file("report.html"))
    dom = chromium(["--window-size=1280,1100", "--dump-dom"], page)
    assert 'id="addrmap"' in dom and 'class="conflict"' in dom and 'class="window"' in dom
    assert "ACME Labs" in dom and "Firmware conflict" in dom
    # The verdict first: one line per CFMWS window, before what to fix, saying what report.json says.
    lines = re.findall(r'<li class="window [a-z]+" data-status="([a-z_]+)">(.*?)</li>', dom)
    assert len(lines) == len(run.topology.windows) and dom.index('id="windows"') < dom.index('id="fixes"')
    status, text = lines[0]
    assert f"at {W0:#x}, 4 GiB" in text
    assert status == report["windows"][0]["status"] and "no per-window verdict" not in text
    # What to fix names the injected range, its size and what Linux does with it.
    fixes = dom[dom.index('id="fixes"'):]
    assert f"Conventional {W0:#x}-{W0 + INJECTED[1] - 1:#x}" in fixes and "128 MiB in window 0" in fixes
    # Words, not event names, in every table cell.
    cells = Cells()
    cells.feed(dom)
    names = event_names()
    assert len(cells.cells) > 100
    leaks = [c for c in cells.cells for n in names if re.search(rf"\b{re.escape(n)}\b", c)]
    assert not leaks, f"event names in table cells: {leaks[:5]}"
    # The address map fits the viewport at 1280 px and at 800 px: it wraps and scales, nothing is cut.
    measured = tmp_path / "measured.html"
    measured.write_text(page.read_text().replace("</body>", MEASURE + "</body>"))
    for width in (1280, 800):
        out = chromium([f"--window-size={width},1000", "--virtual-time-budget=5000", "--dump-dom"], measured)
        found = re.search(r'<pre id="measured">(.*?)</pre>', out)
        assert found, f"the measuring script did not run at {width} px"
        m = json.loads(found.group(1))
        assert m["rows"] >= 1 and m["right"] <= m["view"] <= width, (width, m)
        assert m["page"] <= m["view"], f"the page scrolls sideways at {width} px: {m}"
        if width == 1280:  # wide enough for every row at full size: map text stays as large as the page's
            assert m["scale"] > 0.95, m
    shot = tmp_path / "report.png"
    chromium(["--window-size=1280,1100", f"--screenshot={shot}"], page)
    from PIL import Image
    img = Image.open(shot).convert("RGB")
    assert img.size == (1280, 1100)
    colours = img.getcolors(maxcolors=1 << 20)
    assert colours and len(colours) > 50, "the page rendered as a few flat colours"
    # The verdict badge and the map's window and conflict colours are on screen, not only in the DOM.
    present = {c for _, c in colours}
    for name, rgb in {"fail badge": (0xbb, 0x22, 0x22), "window": (0x9e, 0xc5, 0xff), "conflict": (0xee, 0x33, 0x33)}.items():
        assert rgb in present, f"{name} colour {rgb} not in the screenshot"
    shutil.copy(shot, ROOT / "build" / "report-example.png")
