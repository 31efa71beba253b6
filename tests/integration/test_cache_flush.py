"""Issue 15: cache coherence around every decoder change, in QEMU.

TCG models no CPU cache, so a missing flush cannot corrupt anything here
(the simulator's cache model proves that part: tests/unit/test_platform_rules.c);
what QEMU shows is that the real firmware build does the flushes, in order,
over the region the plan programs, on every CPU the topology gives it, and
that the devices are left exactly as they were (the boot fixture reads the
memory-backend files).
"""
import cxltopo
from conftest import named

METHODS = {"clflushopt", "clflush", "wbinvd_all_cpus"}


def index_of(events, name, start=0, **fields):
    for i in range(start, len(events)):
        e = events[i]
        if e.get("event") == name and all(e.get(k) == v for k, v in fields.items()):
            return i
    return None


def test_flush_before_first_commit_and_between_touch_and_restore(boot):
    topo = cxltopo.get("default")
    r = boot(topo)
    assert r.status == 0, f"status {r.status}; serial tail:\n{r.serial[-3000:]}"
    ev = r.events()
    flushes = named(ev, "cache.flush")
    assert flushes, "no cache.flush event"
    for f in flushes:
        assert f["method"] in METHODS, f
        assert f["bytes"] > 0 and isinstance(f["us"], int), f
        if f["method"] == "wbinvd_all_cpus":
            assert f["cpus"] == topo.smp, f  # every vCPU QEMU was given

    plan = [p for p in named(ev, "region.plan") if "resource" in p]
    assert len(plan) == 1
    base, size = int(plan[0]["resource"], 16), int(plan[0]["size"], 16)
    assert size == sum(d.size for d in topo.devices)  # both devices of the topology, interleaved

    first_commit = index_of(ev, "region.committed")
    flush = index_of(ev, "cache.flush", when="before_commit")
    assert first_commit is not None and flush is not None and flush < first_commit
    f = ev[flush]
    assert int(f["resource"], 16) <= base and int(f["resource"], 16) + f["bytes"] >= base + size

    touched = index_of(ev, "touch.result")
    restored = index_of(ev, "restore.done")
    assert touched is not None and restored is not None and touched < restored
    between = [e["when"] for e in ev[touched:restored] if e.get("event") == "cache.flush"]
    # The cross-check uncommits, maps each device alone and commits the region again; then the restore.
    for when in ("before_uncommit", "before_recommit", "before_restore"):
        assert when in between, between
    assert between[-1] == "before_restore"
    assert named(ev, "crosscheck.result")[0]["status"] == "done"
