/* SPDX-License-Identifier: MIT */
/*
 * The frame allocator. It hands out only what it was given: a pool of 4 KiB
 * frames built from ranges the caller owns (cxlval's own UEFI allocations
 * for scratch memory, or a programmed region for touch tests), minus every
 * range the address map says belongs to someone else. Scratch memory thus
 * never lands in a CXL window, a region, MMIO or anything firmware kept -
 * the DEVICE_PRIVATE placement problem done right. Storage is the caller's.
 */
#ifndef CXLVAL_FRAME_ALLOC_H
#define CXLVAL_FRAME_ALLOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mm/addrmap.h"

#define FRAME_SIZE 4096ULL

struct extent {
	uint64_t start, last; /* inclusive, frame aligned */
};

struct frame_stats {
	uint64_t total, free, largest_free;
	uint64_t allocations; /* live */
};

struct frame_alloc {
	struct extent *pool, *free; /* sorted, disjoint */
	size_t nr_pool, nr_free, cap;
	uint64_t allocations;
	bool overflow;
};

void frame_alloc_init(struct frame_alloc *fa, struct extent *pool_storage, struct extent *free_storage,
		      size_t cap);

/*
 * Adds [start, start+size) to the pool, minus whatever intersects a range of
 * the forbidden sources in map (map may be NULL). Partial frames at the edges
 * are dropped. Returns the bytes added.
 */
uint64_t frame_alloc_give(struct frame_alloc *fa, uint64_t start, uint64_t size, const struct addrmap *map,
			  uint32_t forbidden_sources);

/* First fit; align is a power of two >= FRAME_SIZE. Returns the address, or 0 when nothing fits. */
uint64_t frame_alloc(struct frame_alloc *fa, uint64_t size, uint64_t align);

/* Returns -1 (and changes nothing) for anything not allocated from this pool, or already free. */
int frame_free(struct frame_alloc *fa, uint64_t addr, uint64_t size);

void frame_alloc_stats(const struct frame_alloc *fa, struct frame_stats *st);

#endif
