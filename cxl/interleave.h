/* SPDX-License-Identifier: MIT */
/*
 * CXL interleave math: which interleave position an HPA belongs to, which
 * device address (DPA) it lands on, and back - for one interleave set and for
 * a whole region described as a tree of decoders. Pure arithmetic, no state.
 * docs/interleave.md has the formulas and where each comes from.
 *
 * Two address views are used on purpose:
 *  - target selection (which position) looks at the absolute HPA, because
 *    that is what host bridge and switch decoders and the platform do. It
 *    matters for 3/6/12 ways: the window base is only 256 MiB aligned, which
 *    is not a multiple of 3 granules;
 *  - the device address is computed from the offset to the decoder base,
 *    as the endpoint decoder does (CXL 3.1 8.2.4.20.13, Device Decode Logic).
 */
#ifndef CXLVAL_INTERLEAVE_H
#define CXLVAL_INTERLEAVE_H

#include <stdbool.h>
#include <stdint.h>

#define ILEAVE_MAX_WAYS 16
#define ILEAVE_MAX_XORMAPS 4 /* log2(16): one map per power-of-2 position bit */
#define ILEAVE_MIN_GRAN 256U
#define ILEAVE_MAX_GRAN 16384U
#define ILEAVE_HPA_BITS 52 /* HDM decoders and XORMAPs cover HPA[51:0] */

/* CFMWS Interleave Arithmetic; HDM decoders below the root are always modulo. */
enum ileave_arith {
	ILEAVE_MODULO = 0,
	ILEAVE_XOR = 1,
};

/*
 * One interleave set: a CFMWS window, one HDM decoder, or a whole region.
 * xormaps are the CXIMS XORMAP list, used only with ILEAVE_XOR: map i
 * produces bit i of the position and must have its lowest set bit at
 * log2(granularity) + i. A region wider than its window's XOR part passes
 * fewer maps than position bits; the remaining bits are plain modulo bits.
 */
struct ileave {
	uint64_t base; /* HPA of offset 0 */
	unsigned ways; /* 1, 2, 4, 8, 16, 3, 6, 12 */
	unsigned granularity; /* bytes: 256 .. 16384, power of 2 */
	enum ileave_arith arith;
	unsigned nr_xormaps;
	uint64_t xormaps[ILEAVE_MAX_XORMAPS];
};

enum ileave_error {
	ILEAVE_OK,
	ILEAVE_BAD_WAYS,
	ILEAVE_BAD_GRANULARITY,
	ILEAVE_BAD_XORMAP,
	ILEAVE_BAD_BASE, /* not aligned to granularity x power-of-2 ways, or above 2^52 */
};

/* Encodings shared by CFMWS (ENIW, HBIG) and HDM decoder control (IW, IG). -1 if invalid. */
int ileave_ways_to_eniw(unsigned ways);
int ileave_eniw_to_ways(unsigned eniw);
int ileave_gran_to_ig(unsigned granularity);
int ileave_ig_to_gran(unsigned ig);
static inline bool ileave_ways_valid(unsigned ways)
{
	return ileave_ways_to_eniw(ways) >= 0;
}
/* The HPA bits a decoder with these IW and IG encodings selects its target with. */
uint64_t ileave_selector_bits(unsigned eniw, unsigned ig);
/* Number of XORMAPs a window of this many ways needs (CXIMS): log2 of its power-of-2 factor. */
unsigned ileave_xormaps_needed(unsigned ways);

enum ileave_error ileave_check(const struct ileave *il);
const char *ileave_error_name(enum ileave_error e);

/*
 * The three translations. il must pass ileave_check(); offsets are relative
 * to il->base and below 2^52. ileave_dpa_to_hpa() is the exact inverse of the
 * pair (hpa_to_pos, hpa_to_dpa): every (pos, dpa offset) has one HPA offset.
 */
unsigned ileave_hpa_to_pos(const struct ileave *il, uint64_t hpa_offset);
uint64_t ileave_hpa_to_dpa(const struct ileave *il, uint64_t hpa_offset);
uint64_t ileave_dpa_to_hpa(const struct ileave *il, unsigned pos, uint64_t dpa_offset);

/*
 * A region as a tree of decoders. Node 0 is the root (the CFMWS window);
 * interior nodes are host bridge and switch decoders whose target[i] is the
 * node reached through target i; leaves are endpoint decoders. Routing an
 * HPA walks the tree exactly as hardware does; the inverse tries the
 * il.ways candidate HPAs that the endpoint decoder maps to one DPA and keeps
 * the one that routes back to that endpoint.
 */
#define ILEAVE_ROUTE_MAX_NODES 96
#define ILEAVE_ROUTE_MAX_DEPTH 8

struct ileave_node {
	struct ileave il; /* il.base = HPA base of this decoder */
	uint64_t size; /* HPA bytes decoded */
	int16_t target[ILEAVE_MAX_WAYS]; /* interior: node per target, -1 = nothing there */
	int16_t endpoint; /* leaf: endpoint number (>= 0); interior: -1 */
	uint64_t dpa_base; /* leaf: DPA that the decoder's HPA base maps to */
};

struct ileave_route {
	unsigned nr_nodes;
	struct ileave_node node[ILEAVE_ROUTE_MAX_NODES];
};

enum ileave_route_error {
	ROUTE_OK,
	ROUTE_UNDECODED, /* HPA outside a decoder's range on the way down */
	ROUTE_NO_TARGET, /* a target entry leads nowhere */
	ROUTE_TOO_DEEP, /* more levels than ILEAVE_ROUTE_MAX_DEPTH: a loop */
	ROUTE_NO_ENDPOINT, /* no leaf for that endpoint number */
	ROUTE_DPA_RANGE, /* DPA outside the endpoint decoder's DPA range */
	ROUTE_UNREACHABLE, /* no HPA reaches that endpoint DPA */
	ROUTE_ALIASED, /* two HPAs reach the same endpoint DPA */
};

const char *ileave_route_error_name(enum ileave_route_error e);
/* Append a node with no targets yet (endpoint -1 for an interior node); its index, or -1 if full. */
int ileave_route_add(struct ileave_route *r, const struct ileave *il, uint64_t size, int endpoint,
		     uint64_t dpa_base);
enum ileave_route_error ileave_route_hpa(const struct ileave_route *r, uint64_t hpa,
					 unsigned *endpoint, uint64_t *dpa);
enum ileave_route_error ileave_route_dpa(const struct ileave_route *r, unsigned endpoint,
					 uint64_t dpa, uint64_t *hpa);

#endif
