// SPDX-License-Identifier: MIT
/*
 * Phase "touch" drives the touch engine for one region here: the probes on this CPU, then the
 * sweep split over the CPUs the config allows, each on its own slice, their
 * results merged. Logs what was done, how fast, and which CPU did not come
 * back. With bench = yes (destructive only) the same range is then filled
 * and read with a plain rep stosq loop, alternating with the engine, so the
 * engine's speed can be judged against the machine's in one run.
 */
#include "core/log.h"
#include "core/progress.h"
#include "core/run.h"
#include "lib/fmt.h"
#include "lib/platform.h"
#include "touch/touch.h"

#define SAVE_AREA_BYTES (2ULL << 20) /* restore: saved data of one round, all CPUs */
#define MIB (1ULL << 20)
#define NS_PER_US 1000ULL
/* A CPU gets this long: a floor, plus its slice at a rate far below any real machine or TCG. */
#define CPU_TIMEOUT_FLOOR_US (10ULL * 1000 * 1000)
#define CPU_TIMEOUT_HANG_TEST_US (3ULL * 1000 * 1000) /* fault_test = ap_hang: do not wait 10 s */
#define CPU_SLOWEST_MIB_PER_S 2ULL /* TCG with vCPUs contending: 4 MiB/s seen */
#define PASSES_PER_BYTE 4 /* save, fill, check, restore */


static uint64_t mib_per_s(uint64_t bytes, uint64_t ns)
{
	return ns ? bytes * 1000000000ULL / ns / MIB : 0;
}

/* Console and serial only: the log files get the result, not a line per 10 %. CPU 0 speaks for all. */
static void progress(void *ctx, uint64_t done, uint64_t total)
{
	struct progress *p = ctx;
	char line[128];

	plat_watchdog_kick();
	if (!p->total)
		progress_start(p, p->what, total / MIB, MIB, plat_timer_ns());
	if (progress_step(p, done / MIB, plat_timer_ns(), line, sizeof(line)))
		log_progress(line);
}

static unsigned cpus_to_use(const struct run *run)
{
	unsigned have = plat_cpu_count(), want = run->cpus ? run->cpus : have;

	if (want > have)
		want = have;
	return want > RUN_TOUCH_MAX_CPUS ? RUN_TOUCH_MAX_CPUS : want;
}

static void log_method(struct run *run)
{
	struct log_event ev;

	if (run->touch.method_logged)
		return;
	run->touch.method_logged = true;
	log_begin(&ev, LOG_INFO, "touch.method");
	log_str(&ev, "store", plat_store_method());
	log_u64(&ev, "cpus_present", plat_cpu_count());
	log_u64(&ev, "cpus_used", cpus_to_use(run));
	log_end(&ev);
}

static void run_probes(struct run *run, unsigned r, const struct touch_plan *tp, struct touch_result *res)
{
	size_t n = touch_probe_offsets(tp, run->touch.probes);
	bool back = false;
	struct log_event ev;
	uint64_t ns;

	for (size_t i = 0; i < n; i++)
		run->touch.probes[i] += tp->region_base;
	touch_probe_worker(tp, &run->touch.workers[0], run->touch.probes, n, run->touch.save_area, SAVE_AREA_BYTES);
	ns = touch_run_workers(run->touch.workers, 1, CPU_TIMEOUT_FLOOR_US, &back, res);
	log_begin(&ev, LOG_INFO, "touch.probes");
	log_msg(&ev, "region%u: %zu probe lines: every position, every address bit set alone and all below it", r, n);
	log_u64(&ev, "touches", n);
	log_u64(&ev, "us", ns / NS_PER_US);
	log_end(&ev);
}

static void log_worker(unsigned r, unsigned cpu, const struct touch_worker *w, bool back)
{
	struct log_event ev;

	log_begin(&ev, back ? LOG_INFO : LOG_ERROR, back ? "touch.cpu" : "touch.cpu_late");
	if (!back)
		log_msg(&ev, "region%u: cpu%u did not come back in time; its slice is not verified", r, cpu);
	log_u64(&ev, "cpu", cpu);
	log_hex(&ev, "slice_start", w->lo);
	log_hex(&ev, "slice_end", w->hi - 1);
	log_u64(&ev, "bytes", back ? w->bytes : 0);
	log_u64(&ev, "busy_us", back ? w->busy_ns / NS_PER_US : 0);
	log_u64(&ev, "mib_per_s", back ? mib_per_s(2 * w->bytes, w->busy_ns) : 0);
	log_end(&ev);
}

static void run_sweep(unsigned r, struct run *run, const struct touch_plan *tp, struct touch_result *res)
{
	unsigned n = touch_split(tp, run->touch.workers, cpus_to_use(run), run->touch.save_area, SAVE_AREA_BYTES);
	uint64_t slice = n ? run->touch.workers[0].hi - run->touch.workers[0].lo : 0, bytes = 0, ns;
	bool hang = testhook_ap_hang(run) && n > 1;
	uint64_t timeout = (hang ? CPU_TIMEOUT_HANG_TEST_US : CPU_TIMEOUT_FLOOR_US) +
			   slice * PASSES_PER_BYTE / CPU_SLOWEST_MIB_PER_S / MIB * 1000000;
	bool back[RUN_TOUCH_MAX_CPUS];
	struct log_event ev;

	if (!n)
		return;
	progress_start(&run->touch.sweep_progress, "", 0, MIB, 0);
	fmt_snprintf(run->touch.sweep_progress.what, sizeof(run->touch.sweep_progress.what), "region%u sweep, MiB", r);
	run->touch.workers[0].progress = progress;
	run->touch.workers[0].ctx = &run->touch.sweep_progress;
	run->touch.workers[0].progress_total = 2 * slice;
	if (hang)
		run->touch.workers[1].hang_for_test = true;
	for (unsigned i = 0; i < n; i++)
		run->touch.workers[i].restore_skew_for_test = testhook_restore_skew(run, tp->granule);
	ns = touch_run_workers(run->touch.workers, n, timeout, back, res);
	for (unsigned i = 0; i < n; i++) {
		log_worker(r, i, &run->touch.workers[i], back[i]);
		bytes += back[i] ? run->touch.workers[i].bytes : 0;
		run->cpus_late += !back[i];
	}
	log_begin(&ev, LOG_INFO, "touch.sweep");
	log_msg(&ev, "region%u: %u workers", r, n);
	log_u64(&ev, "workers", n);
	log_u64(&ev, "bytes", bytes);
	log_u64(&ev, "touches", bytes / TOUCH_LINE);
	log_u64(&ev, "us", ns / NS_PER_US);
	log_u64(&ev, "mib_per_s", mib_per_s(2 * bytes, ns)); /* every byte written and read once */
	log_u64(&ev, "timeout_us", timeout);
	log_end(&ev);
}

#define BENCH_CHUNK_BYTES (16ULL << 20)

/* The engine alone on this CPU over one chunk: the same worker steps the sweep runs. */
static uint64_t time_engine(const struct touch_plan *tp, uint64_t hpa, uint64_t len, uint64_t *bad)
{
	struct touch_plan chunk = *tp;
	struct touch_worker w;
	uint64_t t0;

	chunk.region_base = hpa;
	chunk.region_size = chunk.sweep_bytes = len;
	chunk.restore = false;
	touch_split(&chunk, &w, 1, NULL, 0);
	t0 = plat_timer_ns();
	touch_worker_step(&w, TOUCH_FILL);
	touch_worker_step(&w, TOUCH_CHECK);
	t0 = plat_timer_ns() - t0;
	*bad += w.res.touched - w.res.count[TOUCH_PASS];
	return t0;
}

static uint64_t time_raw(uint64_t hpa, uint64_t len)
{
	uint64_t t0 = plat_timer_ns();

	plat_raw_fill_read(hpa, len);
	return plat_timer_ns() - t0;
}

/*
 * The machine's own speed against the engine's, on one CPU, over the sweep
 * range: a rep stosq fill + plain read of a 16 MiB chunk, then the engine's
 * fill + check of the same chunk, chunk after chunk. Alternating at this
 * grain gives both the same conditions (neighbours on a shared host, the
 * pages already touched by the sweep). Destructive only: nothing is saved.
 */
static void bench_raw(unsigned r, const struct run *run, const struct touch_plan *tp)
{
	uint64_t bytes = touch_sweep_bytes(tp), raw = 0, engine = 0, bad = 0;
	struct log_event ev;

	if (!run->destructive) {
		log_printf(LOG_WARN, "bench.skipped", "region%u: bench = yes needs destructive = yes (the raw fill "
						      "does not save data)", r);
		return;
	}
	for (uint64_t off = 0; off < bytes; off += BENCH_CHUNK_BYTES) {
		uint64_t len = bytes - off < BENCH_CHUNK_BYTES ? bytes - off : BENCH_CHUNK_BYTES;

		raw += time_raw(tp->region_base + off, len);
		engine += time_engine(tp, tp->region_base + off, len, &bad);
	}
	log_begin(&ev, bad ? LOG_ERROR : LOG_INFO, "bench.raw");
	log_msg(&ev, "region%u: rep stosq fill + read vs the engine, one CPU, alternating 16 MiB chunks", r);
	log_u64(&ev, "bytes", bytes);
	log_u64(&ev, "us", raw / NS_PER_US);
	log_u64(&ev, "mib_per_s", mib_per_s(2 * bytes, raw));
	log_u64(&ev, "touch_us", engine / NS_PER_US);
	log_u64(&ev, "touch_mib_per_s", mib_per_s(2 * bytes, engine));
	log_u64(&ev, "ratio_permille", engine ? raw * 1000 / engine : 0);
	log_u64(&ev, "touch_failed_lines", bad); /* the sweep's verdict stands; this is only reported */
	log_end(&ev);
}

/* The boot CPU's worker is the one the fault handler can speak for (see touch_worker_undo). */
void touch_on_fault(struct run *run)
{
	uint64_t bytes = touch_worker_undo(&run->touch.workers[0]);

	if (bytes)
		log_printf(LOG_WARN, "touch.undone", "a CPU exception interrupted a touch round: %llu bytes of saved "
			   "data put back by the boot CPU", (unsigned long long)bytes);
}

int touch_execute(struct run *run, unsigned r, const struct touch_plan *tp, struct touch_result *res)
{
	struct touch_result sweep = { 0 };

	if (!touch_plan_valid(tp))
		return -1;
	if (tp->restore && !run->touch.save_area && !(run->touch.save_area = scratch_alloc(run, SAVE_AREA_BYTES, "touch")))
		return -1;
	log_method(run);
	log_flush(); /* checkpoint: the first touch of the region may hang a machine whose routing is wrong */
	testhook_hang(run);
	run_probes(run, r, tp, res);
	run_sweep(r, run, tp, &sweep);
	touch_merge(res, &sweep);
	if (run->bench)
		bench_raw(r, run, tp);
	return 0;
}
