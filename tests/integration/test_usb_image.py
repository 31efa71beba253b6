"""Issue 7 (part): the 'make image' output boots as a USB stick with no shell, and runs never overwrite each other."""
import shutil

import cxltopo
from conftest import ROOT, named

IMAGE = ROOT / "build" / "cxlval.img"


def test_make_image_boots_from_usb_and_keeps_every_run(boot, tmp_path):
    assert IMAGE.exists(), "run through 'make integration' (it runs 'make image')"
    stick = tmp_path / "stick.img"
    shutil.copy(IMAGE, stick)

    first = boot(cxltopo.get("single"), image=stick, usb=True)
    assert first.status == 0, first.serial[-2000:]
    assert "Shell>" not in first.serial  # firmware booted cxlval itself, no shell, no startup.nsh
    assert first.runs() == ["0001"]
    first_files = {name: first.run_file(name) for name in ("log.txt", "log.jsonl", "report.json", "report.html",
                                                        "cxl-list.json")}
    assert all(first_files.values()), [n for n, v in first_files.items() if not v]
    ev = first.events()
    cfg = named(ev, "config")[0]
    assert cfg["from_file"] is True and cfg["mode"] == "quick" and cfg["errors"] == 0
    assert named(ev, "results")[0]["msg"].endswith("\\cxlval\\runs\\0001\\")

    second = boot(cxltopo.get("single"), image=stick, usb=True)
    assert second.status == 0
    assert second.runs() == ["0001", "0002"]
    for name, data in first_files.items():  # the first run's results are untouched
        assert second.run_file(name, "0001") == data, name
    assert b'"run": "0002"' in second.run_file("report.json")
    assert named(second.events(), "cxlval.end")[0]["verdict"] == "pass"
