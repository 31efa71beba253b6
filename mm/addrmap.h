/* SPDX-License-Identifier: MIT */
/*
 * The physical address map: every range anybody described, with where it
 * came from, in one list ordered by start address. Ranges of different
 * sources overlap - that overlap is what cxlval reports. Ranges are
 * inclusive [start, last] so the top of the 64-bit space is representable.
 * Storage is the caller's; a full map says so instead of losing ranges.
 */
#ifndef CXLVAL_ADDRMAP_H
#define CXLVAL_ADDRMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum map_source {
	MAP_FIRMWARE, /* a UEFI memory-map descriptor: type and attributes */
	MAP_ECAM,     /* MCFG */
	MAP_CHBS,     /* a host bridge's component registers */
	MAP_BAR,      /* a PCI BAR found by the scan */
	MAP_WINDOW,   /* a CFMWS window */
	MAP_REGION,   /* a region cxlval programmed */
	MAP_SELF,     /* cxlval's image and buffers */
	MAP_FWREGION, /* a region firmware committed; type: 1 when the memory map types it consistently */
	MAP_SOURCES
};

#define MAP_BIT(s) (1U << (s))

struct map_range {
	uint64_t start, last;
	enum map_source source;
	uint32_t type; /* MAP_FIRMWARE: UEFI memory type */
	uint64_t attr; /* MAP_FIRMWARE: UEFI attributes */
	int index;     /* index within its source (descriptor, window, region ...) */
	uint64_t subtree_last; /* owned by the map: see addrmap_index() */
};

struct addrmap {
	struct map_range *r;
	size_t count, cap;
	uint64_t max_len; /* longest range: bounds the backward search for overlaps */
	bool overflow;
	bool indexed; /* subtree_last is valid: queries take O(log n + k) */
};

void addrmap_init(struct addrmap *m, struct map_range *storage, size_t cap);
/* Inserts in order; false (and overflow set) when the map is full or the range is empty/wraps. */
bool addrmap_add(struct addrmap *m, const struct map_range *r);
bool addrmap_add_span(struct addrmap *m, enum map_source src, uint64_t start, uint64_t size, uint32_t type,
		      uint64_t attr, int index);

/*
 * Builds the query index in O(n): the sorted array read as an implicit
 * balanced tree (the middle of each span is its root), each node knowing the
 * largest `last` below it, so a query skips every subtree that ends before
 * it. Without it (after any add) queries scan back by the longest range,
 * which is linear once a window is in the map.
 */
void addrmap_index(struct addrmap *m);

/* Calls fn for every range of the given sources that intersects [start, last], in order. Returns the count. */
typedef void (*addrmap_fn)(void *ctx, const struct map_range *r);
size_t addrmap_overlaps(const struct addrmap *m, uint64_t start, uint64_t last, uint32_t sources, addrmap_fn fn,
			void *ctx);

/* Calls fn for every gap in [start, last] that no range of the given sources covers. Returns the count. */
typedef void (*addrmap_gap_fn)(void *ctx, uint64_t start, uint64_t last);
size_t addrmap_gaps(const struct addrmap *m, uint64_t start, uint64_t last, uint32_t sources, addrmap_gap_fn fn,
		    void *ctx);

const char *map_source_name(enum map_source s);

static inline bool ranges_intersect(uint64_t a0, uint64_t a1, uint64_t b0, uint64_t b1)
{
	return a0 <= b1 && b0 <= a1;
}

#endif
