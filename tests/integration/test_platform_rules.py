"""Issue 15: platform rules QEMU's default machine does not exercise (docs/platform-rules.md).

Ground truth is what the test hands QEMU: the CEDT it builds byte by byte,
the poison it injects through QMP, and the memory-backend files.
"""
import cxltopo
from acpi_build import cfmws, chbs, table
from conftest import named

G = 1 << 30
RCRB = 0x7F0000000


def test_rch_only_host_bridge_refuses_its_window(boot, tmp_path):
    # A CXL 1.1 host: CHBS version 0, an 8 KiB RCRB; the window's only target is it.
    path = tmp_path / "cedt.bin"
    path.write_bytes(table(b"CEDT", chbs(7, RCRB, version=0, length=0x2000) + cfmws(0x400000000, 4 * G, 0, 0, 0, [7])))
    r = boot(cxltopo.get("no_cxl"), extra_args=["-acpitable", f"file={path}"])
    ev = r.events()
    plans = named(ev, "region.plan")
    assert [p["window"] for p in plans] == [0], r.serial[-2500:]
    assert plans[0]["reason"] == "rch_host_bridge", plans[0]
    assert "UID 7" in plans[0]["msg"] and f"RCRB {RCRB:#x}" in plans[0]["msg"] and "CHBS" in plans[0]["msg"]
    rch = named(ev, "topology.rch")
    assert len(rch) == 1 and rch[0]["uid"] == 7 and int(rch[0]["rcrb"], 16) == RCRB
    assert not named(ev, "region.committed")
    assert r.status in (0, 6), f"status {r.status}\n{r.serial[-2500:]}"  # 6: not_verified once issue 14 lands
