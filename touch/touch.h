/* SPDX-License-Identifier: MIT */
/*
 * The touch engine: fill lines of a programmed region with tags, read them
 * back, classify what came back, and put the original data back.
 *
 * A tag names the 64-byte line that wrote it (and the run's seed), so a read
 * that returns another line's tag says exactly which address aliases which.
 * Every qword of a touched line holds the line's tag: the hot loops are
 * plain block fills and compares (plat_fill_lines / plat_check_lines).
 *
 * What is touched (docs/touch.md has the reasoning):
 *   probes - one line at the start and at the end of the first granule of
 *            every interleave position, and for every address bit k below
 *            the region size the lines at 2^k and 2^k - 64, again from every
 *            position's first granule: every device, position and bit with a
 *            few hundred touches;
 *   sweep  - every line of the first sweep_bytes (quick_mib; all of it in
 *            full mode), split into one slice per CPU.
 * Read-back alone cannot prove the device and DPA (a wrong but consistent
 * interleave reads back fine); that proof is the per-device cross-check in
 * cxl/ and, in QEMU, the memory-backend files.
 */
#ifndef CXLVAL_TOUCH_H
#define CXLVAL_TOUCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TOUCH_LINE 64ULL	/* the unit a tag names: one cache line */
#define TOUCH_LINE_SHIFT 6
#define TAG_MAGIC 0xc7ULL
#define TAG_MAGIC_SHIFT 56
#define TAG_SEED_SHIFT 48
#define TAG_LINE_MASK 0xffffffffffffULL /* HPA >> 6 in 48 bits: up to 16 PiB */

static inline uint64_t touch_tag(uint64_t hpa, uint8_t seed)
{
	return TAG_MAGIC << TAG_MAGIC_SHIFT | (uint64_t)seed << TAG_SEED_SHIFT |
	       ((hpa >> TOUCH_LINE_SHIFT) & TAG_LINE_MASK);
}

/* The line HPA that wrote tag, or false if it is not one of this run's tags. */
static inline bool touch_tag_hpa(uint64_t tag, uint8_t seed, uint64_t *hpa)
{
	if (tag >> TAG_MAGIC_SHIFT != TAG_MAGIC || ((tag >> TAG_SEED_SHIFT) & 0xff) != seed)
		return false;
	*hpa = (tag & TAG_LINE_MASK) << TOUCH_LINE_SHIFT;
	return true;
}

enum touch_outcome {
	TOUCH_PASS,
	TOUCH_UNROUTED,	 /* read 0 or all ones: the write went nowhere */
	TOUCH_ALIASED,	 /* read another line's tag: two HPAs reach one location */
	TOUCH_CORRUPTED, /* read something that is not a tag of this run */
	TOUCH_OUTCOMES
};

const char *touch_outcome_name(enum touch_outcome o);

struct touch_failure {
	enum touch_outcome outcome;
	uint64_t hpa; /* the line */
	uint64_t expected, observed;
	uint64_t alias_hpa; /* TOUCH_ALIASED: the line whose tag was read */
};

#define TOUCH_MAX_FAILURES 16

/* Counts are in lines. */
struct touch_result {
	uint64_t touched;
	uint64_t count[TOUCH_OUTCOMES];
	uint64_t restore_mismatch; /* qwords whose original data could not be put back */
	unsigned nr_failures;	   /* recorded in failures[], the first TOUCH_MAX_FAILURES */
	struct touch_failure failures[TOUCH_MAX_FAILURES];
};

struct touch_plan {
	uint64_t window_base, window_size; /* the CFMWS the region lives in (for the log) */
	uint64_t region_base, region_size; /* what is programmed and may be touched */
	uint64_t granule;		   /* region interleave granularity in bytes */
	unsigned ways;			   /* region interleave ways */
	uint64_t sweep_bytes;		   /* every line from region_base; ~0: the whole region */
	bool restore;			   /* save and restore the data under every tag */
	uint8_t seed;
};

bool touch_plan_valid(const struct touch_plan *plan);

/* Per position: start and end line of its first granule, then 2 lines per address bit. */
#define TOUCH_MAX_BITS 58
#define TOUCH_MAX_PROBES (16 * (2 + 2 * TOUCH_MAX_BITS))

/* Probe offsets (from region_base), sorted, no duplicates; returns how many. */
size_t touch_probe_offsets(const struct touch_plan *plan, uint64_t offsets[TOUCH_MAX_PROBES]);

/* Bytes in the sweep: min(sweep_bytes, region_size), whole lines. */
uint64_t touch_sweep_bytes(const struct touch_plan *plan);

/* Called by worker 0 only (the CPU that may log) every TOUCH_PROGRESS_BYTES. */
typedef void (*touch_progress_fn)(void *ctx, uint64_t done, uint64_t total);
#define TOUCH_PROGRESS_BYTES (64ULL << 20)

/*
 * One CPU's share. A worker touches either a list of single lines (probes)
 * or a contiguous range; with restore it goes in rounds of save_bytes. It
 * runs on any CPU: it calls only the plat_ block operations and the timer,
 * never the log or firmware, and writes only into its own struct.
 */
struct touch_worker {
	const struct touch_plan *plan;
	const uint64_t *lines; /* probe HPAs, or NULL for the range */
	size_t nr_lines;
	uint64_t lo, hi;       /* range [lo, hi) */
	uint8_t *save;	       /* restore: room for one round */
	uint64_t save_bytes;
	touch_progress_fn progress;
	void *ctx;
	uint64_t progress_total;
	bool hang_for_test; /* test builds: never return from the first step, as a hung CPU would */
	uint64_t restore_skew_for_test; /* test builds: restore this many bytes past where the data was */
	bool round_saved;   /* save holds round saved_round, whose lines may carry tags now */
	unsigned saved_round;
	/* results */
	struct touch_result res;
	uint64_t bytes;	  /* filled (and checked) */
	uint64_t busy_ns; /* time in fill and check */
	uint64_t done_bytes;
};

/* Steps run in lock step on every worker: rounds x (save, fill, check+restore). */
enum touch_step_kind { TOUCH_SAVE, TOUCH_FILL, TOUCH_CHECK, TOUCH_STEP_KINDS };

unsigned touch_worker_steps(const struct touch_worker *w);
void touch_worker_step(void *worker, unsigned step);

/*
 * After a CPU exception on this worker's CPU: put back the data of the round
 * it had saved and not yet restored. Returns the bytes put back (0: none was
 * open). Only for the worker of the CPU that handles the fault: another CPU
 * may still be running its steps, and restores its own rounds as it goes.
 */
uint64_t touch_worker_undo(struct touch_worker *w);

/* Adds a worker's counts and failures (as many as fit) to a total. */
void touch_merge(struct touch_result *into, const struct touch_result *from);

/*
 * Splits the sweep of plan into n slices, whole pages each (the last gets
 * the rest); save (restore only) is split evenly. Returns how many workers
 * got work (fewer than n when the sweep is small).
 */
unsigned touch_split(const struct touch_plan *plan, struct touch_worker *w, unsigned n, uint8_t *save,
		     uint64_t save_bytes);

/* One worker over the probe lines (HPAs). */
void touch_probe_worker(const struct touch_plan *plan, struct touch_worker *w, const uint64_t *lines, size_t n,
			uint8_t *save, uint64_t save_bytes);

/*
 * Runs workers w[0..n) on n CPUs at once (w[0] on this one) through
 * plat_run_steps; a CPU that is not back within timeout_us is left out of
 * the merged result and came_back[i] is false. Returns the wall time in ns.
 */
uint64_t touch_run_workers(struct touch_worker *w, unsigned n, uint64_t timeout_us, bool *came_back,
			   struct touch_result *merged);

#endif
