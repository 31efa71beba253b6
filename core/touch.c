// SPDX-License-Identifier: MIT
#include "core/touch.h"

#include <string.h>

#include "core/platform.h"

const char *touch_outcome_name(enum touch_outcome o)
{
	static const char *const names[TOUCH_OUTCOMES] = { "pass", "unrouted", "aliased", "corrupted" };

	return o < TOUCH_OUTCOMES ? names[o] : "unknown";
}

static bool plan_valid(const struct touch_plan *p)
{
	return p->granule >= 256 && !(p->granule & (p->granule - 1)) && p->ways >= 1 && p->ways <= 16 &&
	       p->region_size >= p->granule && p->region_base + p->region_size > p->region_base;
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

size_t touch_walk_offsets(const struct touch_plan *plan, uint64_t offsets[TOUCH_MAX_WALK])
{
	size_t n = 0;

	if (!plan_valid(plan))
		return 0;
	offsets[n++] = 0;
	/* From 256 B up: bits below the granularity are address bits too (a decoder that ignores IG). */
	for (uint64_t bit = 256; bit && bit < plan->region_size; bit <<= 1)
		for (unsigned k = 0; k < plan->ways; k++) {
			uint64_t off = bit + k * plan->granule;

			if (off < plan->region_size)
				insert_sorted(offsets, &n, off);
		}
	return n;
}

uint64_t touch_sweep_count(const struct touch_plan *plan)
{
	uint64_t bytes = plan->sweep_bytes < plan->region_size ? plan->sweep_bytes : plan->region_size;

	return plan_valid(plan) ? bytes / plan->granule : 0;
}

static void record(struct touch_result *res, enum touch_outcome o, uint64_t hpa, uint64_t expected,
		   uint64_t observed, uint64_t alias_hpa)
{
	res->count[o]++;
	if (o == TOUCH_PASS || res->nr_failures >= TOUCH_MAX_FAILURES)
		return;
	res->failures[res->nr_failures++] = (struct touch_failure){ o, hpa, expected, observed, alias_hpa };
}

static void classify(struct touch_result *res, uint64_t hpa, uint64_t observed, uint8_t seed)
{
	uint64_t expected = touch_tag(hpa, seed), other;

	if (observed == expected)
		record(res, TOUCH_PASS, hpa, expected, observed, 0);
	else if (observed == 0 || observed == ~0ULL)
		record(res, TOUCH_UNROUTED, hpa, expected, observed, 0);
	else if (touch_tag_hpa(observed, seed, &other))
		record(res, TOUCH_ALIASED, hpa, expected, observed, other);
	else
		record(res, TOUCH_CORRUPTED, hpa, expected, observed, 0);
}

/* addr[i] are the HPAs, saved[i] their data before we wrote. All writes precede all reads. */
static void run_batch(const struct touch_plan *plan, const uint64_t *addr, uint64_t *saved, size_t n,
		      struct touch_result *res)
{
	if (plan->restore)
		for (size_t i = 0; i < n; i++)
			saved[i] = plat_mem_read64(addr[i]);
	for (size_t i = 0; i < n; i++)
		plat_mem_write64(addr[i], touch_tag(addr[i], plan->seed));
	for (size_t i = 0; i < n; i++)
		plat_cache_flush(addr[i], sizeof(uint64_t));
	for (size_t i = 0; i < n; i++)
		classify(res, addr[i], plat_mem_read64(addr[i]), plan->seed);
	res->touched += n;
	if (!plan->restore)
		return;
	/* Backwards: where two addresses alias, the data saved first is written last. */
	for (size_t i = n; i-- > 0;)
		plat_mem_write64(addr[i], saved[i]);
	for (size_t i = 0; i < n; i++) {
		plat_cache_flush(addr[i], sizeof(uint64_t));
		if (plat_mem_read64(addr[i]) != saved[i])
			res->restore_mismatch++;
	}
}

int touch_run(const struct touch_plan *plan, uint64_t *scratch, size_t scratch_entries,
	      struct touch_result *res, touch_progress_fn progress, void *ctx)
{
	uint64_t *addr = scratch, *saved = scratch + scratch_entries;
	uint64_t sweep = touch_sweep_count(plan), done = 0, total;
	size_t n;

	memset(res, 0, sizeof(*res));
	if (!plan_valid(plan) || scratch_entries < TOUCH_MAX_WALK)
		return -1;
	n = touch_walk_offsets(plan, addr);
	total = n + sweep;
	for (size_t i = 0; i < n; i++)
		addr[i] += plan->region_base;
	run_batch(plan, addr, saved, n, res);
	done += n;
	if (progress)
		progress(ctx, done, total);
	for (uint64_t g = 0; g < sweep; g += n) {
		n = (size_t)(sweep - g < scratch_entries ? sweep - g : scratch_entries);
		for (size_t i = 0; i < n; i++)
			addr[i] = plan->region_base + (g + i) * plan->granule;
		run_batch(plan, addr, saved, n, res);
		done += n;
		if (progress)
			progress(ctx, done, total);
	}
	return 0;
}
