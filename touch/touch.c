// SPDX-License-Identifier: MIT
#include "touch/touch.h"

#include <string.h>

#include "lib/platform.h"

#define PAGE_BYTES 4096ULL
#define MAX_STEP_WORKERS 64

const char *touch_outcome_name(enum touch_outcome o)
{
	static const char *const names[TOUCH_OUTCOMES] = { "pass", "unrouted", "aliased", "corrupted" };

	return o < TOUCH_OUTCOMES ? names[o] : "unknown";
}

bool touch_plan_valid(const struct touch_plan *p)
{
	return p->granule >= 256 && !(p->granule & (p->granule - 1)) && p->ways >= 1 && p->ways <= 16 &&
	       p->region_size >= p->granule && !(p->region_base % TOUCH_LINE) &&
	       p->region_base + p->region_size > p->region_base;
}

static void insert_sorted(uint64_t *v, size_t *n, uint64_t x)
{
	size_t i = *n;

	for (size_t j = 0; j < *n; j++)
		if (v[j] == x)
			return;
	while (i > 0 && v[i - 1] > x) {
		v[i] = v[i - 1];
		i--;
	}
	v[i] = x;
	(*n)++;
}

static void add_probe(const struct touch_plan *plan, uint64_t *v, size_t *n, uint64_t off)
{
	if (off < plan->region_size)
		insert_sorted(v, n, off);
}

size_t touch_probe_offsets(const struct touch_plan *plan, uint64_t offsets[TOUCH_MAX_PROBES])
{
	size_t n = 0;

	if (!touch_plan_valid(plan))
		return 0;
	for (unsigned k = 0; k < plan->ways; k++) {
		uint64_t start = k * plan->granule;

		/* Every position (device), and the last line of its granule: the bits inside the granule. */
		add_probe(plan, offsets, &n, start);
		add_probe(plan, offsets, &n, start + plan->granule - TOUCH_LINE);
		/* Walking one (2^b) and all ones below it (2^b - line): each address bit alone, set and clear. */
		for (uint64_t bit = TOUCH_LINE; bit && bit < plan->region_size; bit <<= 1) {
			add_probe(plan, offsets, &n, start + bit);
			add_probe(plan, offsets, &n, start + bit - TOUCH_LINE);
		}
	}
	return n;
}

uint64_t touch_sweep_bytes(const struct touch_plan *plan)
{
	uint64_t bytes = plan->sweep_bytes < plan->region_size ? plan->sweep_bytes : plan->region_size;

	return touch_plan_valid(plan) ? bytes & ~(TOUCH_LINE - 1) : 0;
}

static void record(struct touch_result *res, enum touch_outcome o, uint64_t hpa, uint64_t expected,
		   uint64_t observed, uint64_t alias_hpa)
{
	res->count[o]++;
	if (o == TOUCH_PASS || res->nr_failures >= TOUCH_MAX_FAILURES)
		return;
	res->failures[res->nr_failures++] = (struct touch_failure){ o, hpa, expected, observed, alias_hpa };
}

static void classify(struct touch_result *res, uint64_t line, uint64_t observed, uint8_t seed)
{
	uint64_t expected = touch_tag(line, seed), other;

	if (observed == 0 || observed == ~0ULL)
		record(res, TOUCH_UNROUTED, line, expected, observed, 0);
	else if (touch_tag_hpa(observed, seed, &other) && other != line)
		record(res, TOUCH_ALIASED, line, expected, observed, other);
	else
		record(res, TOUCH_CORRUPTED, line, expected, observed, 0);
}

/* Compares a block; a line with any wrong qword fails once, by the first wrong value in it. */
static void check_span(struct touch_result *res, uint64_t hpa, uint64_t len, uint8_t seed)
{
	uint64_t off = 0;

	while (off < len) {
		uint64_t observed, bad = plat_check_lines(hpa + off, len - off, touch_tag(hpa + off, seed), &observed);
		uint64_t good_lines = bad / TOUCH_LINE;

		res->count[TOUCH_PASS] += good_lines;
		off += good_lines * TOUCH_LINE;
		if (off >= len)
			break;
		classify(res, hpa + off, observed, seed);
		off += TOUCH_LINE;
	}
	res->touched += len / TOUCH_LINE;
}

/* Bytes a round covers: one save buffer's worth with restore, everything without. */
static uint64_t round_bytes(const struct touch_worker *w)
{
	uint64_t all = w->lines ? w->nr_lines * TOUCH_LINE : w->hi - w->lo;

	if (!w->plan->restore || !all)
		return all;
	return w->save_bytes < all ? w->save_bytes & ~(TOUCH_LINE - 1) : all;
}

unsigned touch_worker_steps(const struct touch_worker *w)
{
	uint64_t all = w->lines ? w->nr_lines * TOUCH_LINE : w->hi - w->lo, per = round_bytes(w);

	if (!all || !per)
		return 0;
	return (unsigned)((all + per - 1) / per) * TOUCH_STEP_KINDS;
}

/* The i-th block of round r: a probe line or a piece of the range; false past the round's end. */
static bool block(const struct touch_worker *w, unsigned r, uint64_t i, uint64_t *hpa, uint64_t *len)
{
	uint64_t per = round_bytes(w), first = r * per;

	if (w->lines) {
		uint64_t k = first / TOUCH_LINE + i;

		if (i >= per / TOUCH_LINE || k >= w->nr_lines)
			return false;
		*hpa = w->lines[k];
		*len = TOUCH_LINE;
		return true;
	}
	/* Ranges go in progress-sized pieces so worker 0 can report without slowing the loops. */
	first += i * TOUCH_PROGRESS_BYTES;
	if (first >= (uint64_t)(r + 1) * per || w->lo + first >= w->hi)
		return false;
	*hpa = w->lo + first;
	*len = TOUCH_PROGRESS_BYTES;
	if (*len > (uint64_t)(r + 1) * per - first)
		*len = (uint64_t)(r + 1) * per - first;
	if (*len > w->hi - *hpa)
		*len = w->hi - *hpa;
	return true;
}

/* Range pieces are at most TOUCH_PROGRESS_BYTES: one call per piece, none per probe line. */
static void report(struct touch_worker *w, uint64_t len)
{
	w->done_bytes += len;
	if (w->progress && !w->lines)
		w->progress(w->ctx, w->done_bytes, w->progress_total);
}

static void step_save(struct touch_worker *w, unsigned r)
{
	uint64_t hpa, len, at = 0;

	for (uint64_t i = 0; block(w, r, i, &hpa, &len); i++, at += len)
		plat_save(w->save + at, hpa, len);
	w->saved_round = r;
	w->round_saved = true;
}

static uint64_t restore_round(struct touch_worker *w, unsigned r, uint64_t *bytes)
{
	uint64_t hpa, len, at = 0, mismatch = 0;

	for (uint64_t i = 0; block(w, r, i, &hpa, &len); i++, at += len) {
#ifdef CXLVAL_TEST_HOOKS
		hpa += w->restore_skew_for_test;
#endif
		mismatch += plat_restore(hpa, w->save + at, len);
	}
	w->round_saved = false;
	if (bytes)
		*bytes = at;
	return mismatch;
}

uint64_t touch_worker_undo(struct touch_worker *w)
{
	uint64_t bytes = 0;

	if (w->round_saved && w->plan && w->plan->restore)
		restore_round(w, w->saved_round, &bytes);
	return bytes;
}

static void step_fill(struct touch_worker *w, unsigned r)
{
	uint64_t hpa, len;

	for (uint64_t i = 0; block(w, r, i, &hpa, &len); i++) {
		plat_fill_lines(hpa, len, touch_tag(hpa, w->plan->seed));
		w->bytes += len;
		report(w, len);
	}
}

static void step_check(struct touch_worker *w, unsigned r)
{
	uint64_t hpa, len;

	for (uint64_t i = 0; block(w, r, i, &hpa, &len); i++) {
		check_span(&w->res, hpa, len, w->plan->seed);
		report(w, len);
	}
	/* Every save of this round came before every fill, so aliased lines all get the original back. */
	if (w->plan->restore)
		w->res.restore_mismatch += restore_round(w, r, NULL);
}

void touch_worker_step(void *worker, unsigned step)
{
	struct touch_worker *w = worker;
	unsigned r = step / TOUCH_STEP_KINDS;
	uint64_t t0;

	if (step >= touch_worker_steps(w))
		return;
#ifdef CXLVAL_TEST_HOOKS
	while (w->hang_for_test)
		__asm__ volatile("" : : : "memory"); /* a loop the compiler must keep */
#endif
	t0 = plat_timer_ns();
	switch (step % TOUCH_STEP_KINDS) {
	case TOUCH_SAVE:
		if (w->plan->restore)
			step_save(w, r);
		return;
	case TOUCH_FILL:
		step_fill(w, r);
		break;
	default:
		step_check(w, r);
		break;
	}
	w->busy_ns += plat_timer_ns() - t0;
}

void touch_merge(struct touch_result *into, const struct touch_result *from)
{
	into->touched += from->touched;
	for (int o = 0; o < TOUCH_OUTCOMES; o++)
		into->count[o] += from->count[o];
	into->restore_mismatch += from->restore_mismatch;
	for (unsigned i = 0; i < from->nr_failures && into->nr_failures < TOUCH_MAX_FAILURES; i++)
		into->failures[into->nr_failures++] = from->failures[i];
}

static void worker_init(struct touch_worker *w, const struct touch_plan *plan, uint8_t *save, uint64_t save_bytes)
{
	memset(w, 0, sizeof(*w));
	w->plan = plan;
	w->save = save;
	w->save_bytes = plan->restore ? save_bytes & ~(TOUCH_LINE - 1) : 0;
}

unsigned touch_split(const struct touch_plan *plan, struct touch_worker *w, unsigned n, uint8_t *save,
		     uint64_t save_bytes)
{
	uint64_t total = touch_sweep_bytes(plan), slice, at = plan->region_base;
	unsigned used = 0;

	if (!n)
		return 0;
	slice = (total / n + PAGE_BYTES - 1) & ~(PAGE_BYTES - 1);
	if (slice < PAGE_BYTES)
		slice = PAGE_BYTES;
	for (unsigned i = 0; i < n && at < plan->region_base + total; i++, used++) {
		worker_init(&w[i], plan, save ? save + i * (save_bytes / n) : NULL, save_bytes / n);
		w[i].lo = at;
		w[i].hi = i == n - 1 || plan->region_base + total - at < slice ? plan->region_base + total : at + slice;
		at = w[i].hi;
	}
	return used;
}

void touch_probe_worker(const struct touch_plan *plan, struct touch_worker *w, const uint64_t *lines, size_t n,
			uint8_t *save, uint64_t save_bytes)
{
	worker_init(w, plan, save, save_bytes);
	w->lines = lines;
	w->nr_lines = n;
}

uint64_t touch_run_workers(struct touch_worker *w, unsigned n, uint64_t timeout_us, bool *came_back,
			   struct touch_result *merged)
{
	void *args[MAX_STEP_WORKERS];
	unsigned steps = 0;
	uint64_t t0;

	if (n > MAX_STEP_WORKERS)
		n = MAX_STEP_WORKERS;
	for (unsigned i = 0; i < n; i++) {
		args[i] = &w[i];
		if (touch_worker_steps(&w[i]) > steps)
			steps = touch_worker_steps(&w[i]);
	}
	t0 = plat_timer_ns();
	plat_run_steps(touch_worker_step, args, n, steps, timeout_us, came_back);
	t0 = plat_timer_ns() - t0;
	memset(merged, 0, sizeof(*merged));
	for (unsigned i = 0; i < n; i++)
		if (came_back[i])
			touch_merge(merged, &w[i].res);
	return t0;
}
