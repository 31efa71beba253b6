"""Issue 9 (every CPU): the sweep runs on every processor, each on its own slice.

With -smp 4 cxlval must start four workers through the UEFI MP Services
protocol, log each one's slice, and the memory-backend files must show every
line of every slice at the device and DPA the modulo math predicts (so no
slice was skipped or written by a CPU that went astray). cpus = 1 on the
same machine gives the same verdict and the same number of touches.
"""
import cxltopo
import groundtruth
from conftest import named

# 1 MiB per CPU: the product's late-CPU deadline is 10 s plus the slice at 2 MiB/s, some 100 times
# what a slice takes here, so a CPU is only late when it really never finished.
QUICK = 4 << 20
LINE = 64


def boot_default(boot, cfg):
    r = boot(cxltopo.get("default", smp=4),
             extra_files={"cxlval/cxlval.cfg": b"destructive = yes\nquick_mib = 4\n" + cfg})
    assert r.status == 0, f"status {r.status}; serial tail:\n{r.serial[-3000:]}"
    return r, r.events()


def test_four_workers_each_write_their_slice_and_one_cpu_agrees(boot):
    r, ev = boot_default(boot, b"")
    assert "thread=multi" in " ".join(r.qemu_args) and "-smp 4" in " ".join(r.qemu_args)
    method = named(ev, "touch.method")[0]
    assert method["cpus_present"] == 4 and method["cpus_used"] == 4
    cpus = named(ev, "touch.cpu")
    assert [c["cpu"] for c in cpus] == [0, 1, 2, 3] and not named(ev, "touch.cpu_late")
    base = int(named(ev, "region.plan")[0]["resource"], 16)
    starts = [int(c["slice_start"], 16) for c in cpus]
    ends = [int(c["slice_end"], 16) + 1 for c in cpus]
    assert starts[0] == base and ends[-1] == base + QUICK and starts[1:] == ends[:-1]
    assert all(c["bytes"] == e - s for c, s, e in zip(cpus, starts, ends))
    sweep = named(ev, "touch.sweep")[0]
    assert sweep["workers"] == 4 and sweep["bytes"] == QUICK

    # The fixture compared every byte of both files with the prediction; here, slice by slice.
    (region,) = groundtruth.regions(r.topology, [base])
    seed = named(ev, "touch.result")[0]["seed"]
    found = {dev.id: groundtruth.find_tags(r.backing(dev.id), seed) for dev in region.devices}
    for s, e in zip(starts, ends):
        missing = []
        for hpa in range(s, e, LINE):
            dev, _, dpa = region.where(hpa - base)
            if found[dev.id].get(dpa) != hpa:
                missing.append(hpa)
        assert not missing, f"slice {s:#x}-{e:#x}: {len(missing)} lines not at their DPA, first {missing[0]:#x}"

    # The same machine with cpus = 1: one worker, the same touches and verdict.
    ev4 = ev
    r1, ev1 = boot_default(boot, b"cpus = 1\n")
    assert named(ev1, "config")[0]["cpus"] == 1
    assert len(named(ev1, "touch.cpu")) == 1 and named(ev1, "touch.method")[0]["cpus_used"] == 1
    res4, res1 = named(ev4, "touch.result")[0], named(ev1, "touch.result")[0]
    for k in ("touched", "pass", "unrouted", "aliased", "corrupted"):
        assert res4[k] == res1[k], k
    assert named(ev4, "cxlval.end")[0]["verdict"] == named(ev1, "cxlval.end")[0]["verdict"] == "pass"


TESTHOOKS_EFI = __import__("conftest").ROOT / "build" / "testhooks" / "cxlval.efi"


def test_a_cpu_that_never_comes_back_is_reported_not_waited_for(boot):
    """Test-hooks build: fault_test = ap_hang keeps CPU 1 in its first step forever."""
    assert TESTHOOKS_EFI.exists(), "run through 'make integration' (it builds the test-hooks image)"
    r = boot(cxltopo.get("default", smp=2), efi=TESTHOOKS_EFI,
             extra_files={"cxlval/cxlval.cfg": b"destructive = yes\nfault_test = ap_hang\n"})
    assert r.status == 4, r.serial[-3000:]  # part of the region went unverified: no pass
    ev = r.events()
    late = named(ev, "touch.cpu_late")
    assert len(late) == 1 and late[0]["cpu"] == 1 and late[0]["level"] == "error"
    sweep = named(ev, "touch.sweep")[0]
    assert sweep["us"] >= sweep["timeout_us"]  # waited for the deadline (and QEMU's limit: not forever)
    cpu0 = named(ev, "touch.cpu")[0]
    assert cpu0["cpu"] == 0 and cpu0["bytes"] == sweep["bytes"] > 0  # only CPU 0's slice counts
    assert named(ev, "cxlval.end")
