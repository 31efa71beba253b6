/* SPDX-License-Identifier: MIT */
/*
 * The touch engine: write a tag into granules of a programmed region, read
 * everything back, classify what came back, and put the original data back.
 *
 * A tag names the HPA that wrote it (and the run's seed), so a read that
 * returns another granule's tag says exactly which address aliases which.
 * Which granules: every granule of the first sweep_bytes of the region, plus
 * an address-bit walk over the whole region (offset 2^b from 256 B up, and
 * 2^b + k*granule for every interleave position k) - aliasing of any address
 * bit shows up there with a few dozen touches instead of a full sweep.
 * Read-back alone cannot prove the device and DPA (a wrong but consistent
 * interleave reads back fine); that proof is the per-device cross-check in
 * cxl/ and, in QEMU, the memory-backend files.
 */
#ifndef CXLVAL_TOUCH_H
#define CXLVAL_TOUCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TAG_MAGIC 0xc7ULL

static inline uint64_t touch_tag(uint64_t hpa, uint8_t seed)
{
	return TAG_MAGIC << 56 | (uint64_t)seed << 48 | ((hpa >> 8) & 0xffffffffffffULL);
}

/* The HPA (granule-aligned to 256 B) that wrote tag, or false if it is not one of this run's tags. */
static inline bool touch_tag_hpa(uint64_t tag, uint8_t seed, uint64_t *hpa)
{
	if (tag >> 56 != TAG_MAGIC || ((tag >> 48) & 0xff) != seed)
		return false;
	*hpa = (tag & 0xffffffffffffULL) << 8;
	return true;
}

enum touch_outcome {
	TOUCH_PASS,
	TOUCH_UNROUTED,	 /* read 0 or all ones: the write went nowhere */
	TOUCH_ALIASED,	 /* read another granule's tag: two HPAs reach one location */
	TOUCH_CORRUPTED, /* read something that is not a tag of this run */
	TOUCH_OUTCOMES
};

const char *touch_outcome_name(enum touch_outcome o);

struct touch_failure {
	enum touch_outcome outcome;
	uint64_t hpa;
	uint64_t expected, observed;
	uint64_t alias_hpa; /* TOUCH_ALIASED: the HPA whose tag was read */
};

#define TOUCH_MAX_FAILURES 16

struct touch_result {
	uint64_t touched;
	uint64_t count[TOUCH_OUTCOMES];
	uint64_t restore_mismatch; /* lines whose original data could not be put back */
	unsigned nr_failures;	   /* recorded in failures[], the first TOUCH_MAX_FAILURES */
	struct touch_failure failures[TOUCH_MAX_FAILURES];
};

struct touch_plan {
	uint64_t window_base, window_size; /* for the address-bit walk */
	uint64_t region_base, region_size; /* what is programmed and may be touched */
	uint64_t granule;		   /* region interleave granularity in bytes */
	unsigned ways;			   /* region interleave ways */
	uint64_t sweep_bytes;		   /* granule-by-granule from region_base */
	bool restore;			   /* save and restore the data under every tag */
	uint8_t seed;
};

/* Called between batches; done and total count touches. */
typedef void (*touch_progress_fn)(void *ctx, uint64_t done, uint64_t total);

#define TOUCH_MAX_WALK (56 * 16 + 1)

/*
 * The address-bit walk: offset 0, and 2^b + k*granule for every bit b from
 * 8 (256 B) up and every position k < ways, inside the region; sorted,
 * no duplicates. Returns how many (at most TOUCH_MAX_WALK).
 */
size_t touch_walk_offsets(const struct touch_plan *plan, uint64_t offsets[TOUCH_MAX_WALK]);

/* Granules in the sweep: min(sweep_bytes, region_size) / granule. */
uint64_t touch_sweep_count(const struct touch_plan *plan);

/*
 * Runs the walk as one batch, then the sweep in batches of at most
 * scratch_entries; scratch holds 2 * scratch_entries u64 (address and saved
 * data), at least TOUCH_MAX_WALK entries. Aliasing is caught within a batch,
 * which is why the walk - where high address bits alias - is one batch.
 * Returns 0, or -1 when the plan or the scratch is not usable.
 */
int touch_run(const struct touch_plan *plan, uint64_t *scratch, size_t scratch_entries,
	      struct touch_result *res, touch_progress_fn progress, void *ctx);

#endif
