// SPDX-License-Identifier: MIT
/*
 * CXL interleave math (docs/interleave.md). Notation used below:
 *   g = log2(granularity), k = log2 of the power-of-2 factor of ways,
 *   mod3 = ways is 3, 6 or 12, chunk = address >> g.
 * A position is chunk mod ways, written as the low k chunk bits plus
 * ((chunk >> k) mod 3) << k; with XOR arithmetic, XORMAP i replaces bit i.
 */
#include "cxl/interleave.h"

#include <stddef.h>

#include "acpi/cedt.h"
#include "lib/bits.h"

#define ILEAVE_ENIW_3 8 /* 3 ways; 9 and 10 are 6 and 12 */

/* HDM decoder IW (CXL 3.1 §8.2.4.20.7) is the CFMWS ENIW encoding: one table, in the CEDT parser. */
int ileave_eniw_to_ways(unsigned eniw)
{
	unsigned ways = cfmws_eniw_to_ways(eniw);

	return ways ? (int)ways : -1;
}

int ileave_ways_to_eniw(unsigned ways)
{
	for (unsigned e = 0; e <= CFMWS_MAX_ENIW; e++)
		if (ways && cfmws_eniw_to_ways(e) == ways)
			return (int)e;
	return -1;
}

int ileave_gran_to_ig(unsigned granularity)
{
	if (granularity < ILEAVE_MIN_GRAN || granularity > ILEAVE_MAX_GRAN ||
	    (granularity & (granularity - 1)))
		return -1;
	return __builtin_ctz(granularity) - 8;
}

int ileave_ig_to_gran(unsigned ig)
{
	if (ig > 6)
		return -1;
	return ILEAVE_MIN_GRAN << ig;
}

/*
 * §8.2.4.20.13 (Decoder Protection): a decoder of eIW < 8 picks its target
 * with HPA bits [eIG + 8 + eIW - 1 : eIG + 8]; eIW 9 and 10 (6, 12 ways) use
 * eIW - 8 such bits and a modulo 3 of the bits above; 1 and 3 ways use none.
 */
uint64_t ileave_selector_bits(unsigned eniw, unsigned ig)
{
	unsigned n = eniw >= ILEAVE_ENIW_3 ? eniw - ILEAVE_ENIW_3 : eniw;

	return n ? GENMASK_ULL(ig + 8 + n - 1, ig + 8) : 0;
}

unsigned ileave_xormaps_needed(unsigned ways)
{
	return ileave_ways_valid(ways) ? (unsigned)__builtin_ctz(ways) : 0;
}

static unsigned parity64(uint64_t v)
{
	v ^= v >> 32;
	v ^= v >> 16;
	v ^= v >> 8;
	v ^= v >> 4;
	v ^= v >> 2;
	v ^= v >> 1;
	return v & 1;
}

static unsigned gran_shift(const struct ileave *il)
{
	return __builtin_ctz(il->granularity);
}

static unsigned pow2_shift(const struct ileave *il)
{
	return __builtin_ctz(il->ways);
}

static bool is_mod3(const struct ileave *il)
{
	return il->ways % 3 == 0;
}

static bool xormap_ok(uint64_t map, unsigned bit)
{
	return map && map < BIT_ULL(ILEAVE_HPA_BITS) && (unsigned)__builtin_ctzll(map) == bit;
}

enum ileave_error ileave_check(const struct ileave *il)
{
	if (!ileave_ways_valid(il->ways))
		return ILEAVE_BAD_WAYS;
	if (ileave_gran_to_ig(il->granularity) < 0)
		return ILEAVE_BAD_GRANULARITY;
	/* Every block of `ways` chunks must start on a 2^k chunk boundary. */
	if (!IS_ALIGNED(il->base, (uint64_t)il->granularity << pow2_shift(il)) ||
	    il->base >= BIT_ULL(ILEAVE_HPA_BITS))
		return ILEAVE_BAD_BASE;
	if (il->arith == ILEAVE_MODULO)
		return ILEAVE_OK;
	if (il->arith != ILEAVE_XOR || il->nr_xormaps > pow2_shift(il))
		return ILEAVE_BAD_XORMAP;
	/*
	 * Map i must own position bit i and hold no lower position bit, so the
	 * position bits can be solved top-down (and Linux's bit-replacing
	 * cxl_xor_hpa_to_spa agrees with the spec's XORALLBITS).
	 */
	for (unsigned i = 0; i < il->nr_xormaps; i++)
		if (!xormap_ok(il->xormaps[i], gran_shift(il) + i))
			return ILEAVE_BAD_XORMAP;
	return ILEAVE_OK;
}

const char *ileave_error_name(enum ileave_error e)
{
	switch (e) {
	case ILEAVE_OK: return "ok";
	case ILEAVE_BAD_WAYS: return "bad_ways";
	case ILEAVE_BAD_GRANULARITY: return "bad_granularity";
	case ILEAVE_BAD_XORMAP: return "bad_xormap";
	case ILEAVE_BAD_BASE: return "bad_base";
	}
	return "unknown";
}

unsigned ileave_hpa_to_pos(const struct ileave *il, uint64_t hpa_offset)
{
	uint64_t hpa = il->base + hpa_offset;
	uint64_t chunk = hpa >> gran_shift(il);
	unsigned k = pow2_shift(il);
	uint64_t pos = chunk & (BIT_ULL(k) - 1);

	if (il->arith == ILEAVE_XOR)
		for (unsigned i = 0; i < il->nr_xormaps; i++)
			pos = (pos & ~BIT_ULL(i)) | (uint64_t)parity64(hpa & il->xormaps[i]) << i;
	if (is_mod3(il))
		pos |= ((chunk >> k) % 3) << k;
	return pos;
}

uint64_t ileave_hpa_to_dpa(const struct ileave *il, uint64_t hpa_offset)
{
	unsigned g = gran_shift(il);
	uint64_t row = hpa_offset >> g >> pow2_shift(il);

	if (is_mod3(il))
		row /= 3;
	return row << g | (hpa_offset & (il->granularity - 1));
}

/* Choose the XOR-produced position bits of hpa so that they yield pos. */
static uint64_t solve_xor_bits(const struct ileave *il, unsigned pos, uint64_t hpa)
{
	unsigned g = gran_shift(il);

	/* Map i holds only position bits >= i: solve from the top down. */
	for (unsigned i = il->nr_xormaps; i-- > 0;) {
		uint64_t own = BIT_ULL(g + i);
		uint64_t bit = ((pos >> i) & 1) ^ parity64(hpa & il->xormaps[i] & ~own);

		hpa = (hpa & ~own) | (bit ? own : 0);
	}
	return hpa;
}

uint64_t ileave_dpa_to_hpa(const struct ileave *il, unsigned pos, uint64_t dpa_offset)
{
	unsigned g = gran_shift(il), k = pow2_shift(il);
	uint64_t row = dpa_offset >> g;
	/* The row's `ways` chunks start here; base alignment makes this a multiple of 2^k. */
	uint64_t first = (il->base >> g) + row * il->ways;
	uint64_t chunk = first + (pos & (BIT_ULL(k) - 1));
	uint64_t hpa;

	if (is_mod3(il))
		chunk += (uint64_t)(((pos >> k) + 3 - (first >> k) % 3) % 3) << k;
	hpa = chunk << g | (dpa_offset & (il->granularity - 1));
	if (il->arith == ILEAVE_XOR)
		hpa = solve_xor_bits(il, pos, hpa);
	return hpa - il->base;
}

const char *ileave_route_error_name(enum ileave_route_error e)
{
	switch (e) {
	case ROUTE_OK: return "ok";
	case ROUTE_UNDECODED: return "undecoded";
	case ROUTE_NO_TARGET: return "no_target";
	case ROUTE_TOO_DEEP: return "too_deep";
	case ROUTE_NO_ENDPOINT: return "no_endpoint";
	case ROUTE_DPA_RANGE: return "dpa_range";
	case ROUTE_UNREACHABLE: return "unreachable";
	case ROUTE_ALIASED: return "aliased";
	}
	return "unknown";
}

int ileave_route_add(struct ileave_route *r, const struct ileave *il, uint64_t size, int endpoint,
		     uint64_t dpa_base)
{
	struct ileave_node *n;

	if (r->nr_nodes >= ILEAVE_ROUTE_MAX_NODES)
		return -1;
	n = &r->node[r->nr_nodes];
	n->il = *il;
	n->size = size;
	n->endpoint = endpoint;
	n->dpa_base = dpa_base;
	for (unsigned i = 0; i < ILEAVE_MAX_WAYS; i++)
		n->target[i] = -1;
	return r->nr_nodes++;
}

static bool node_decodes(const struct ileave_node *n, uint64_t hpa)
{
	return hpa >= n->il.base && hpa - n->il.base < n->size;
}

enum ileave_route_error ileave_route_hpa(const struct ileave_route *r, uint64_t hpa,
					 unsigned *endpoint, uint64_t *dpa)
{
	const struct ileave_node *n = r->node;

	if (!r->nr_nodes)
		return ROUTE_NO_TARGET;
	for (unsigned depth = 0; depth < ILEAVE_ROUTE_MAX_DEPTH; depth++) {
		int t;

		if (!node_decodes(n, hpa))
			return ROUTE_UNDECODED;
		if (n->endpoint >= 0) {
			*endpoint = n->endpoint;
			*dpa = n->dpa_base + ileave_hpa_to_dpa(&n->il, hpa - n->il.base);
			return ROUTE_OK;
		}
		t = n->target[ileave_hpa_to_pos(&n->il, hpa - n->il.base)];
		if (t < 0 || (unsigned)t >= r->nr_nodes)
			return ROUTE_NO_TARGET;
		n = &r->node[t];
	}
	return ROUTE_TOO_DEEP;
}

static const struct ileave_node *find_leaf(const struct ileave_route *r, unsigned endpoint)
{
	for (unsigned i = 0; i < r->nr_nodes; i++)
		if (r->node[i].endpoint == (int)endpoint)
			return &r->node[i];
	return NULL;
}

enum ileave_route_error ileave_route_dpa(const struct ileave_route *r, unsigned endpoint,
					 uint64_t dpa, uint64_t *hpa)
{
	const struct ileave_node *leaf = find_leaf(r, endpoint);
	uint64_t dpa_offset;
	bool found = false;

	if (!leaf)
		return ROUTE_NO_ENDPOINT;
	dpa_offset = dpa - leaf->dpa_base;
	if (dpa < leaf->dpa_base || dpa_offset >= leaf->size / leaf->il.ways)
		return ROUTE_DPA_RANGE;
	/* The endpoint decoder maps exactly these `ways` HPAs to dpa_offset. */
	for (unsigned pos = 0; pos < leaf->il.ways; pos++) {
		uint64_t cand = leaf->il.base + ileave_dpa_to_hpa(&leaf->il, pos, dpa_offset);
		unsigned got_ep;
		uint64_t got_dpa;

		if (ileave_route_hpa(r, cand, &got_ep, &got_dpa) != ROUTE_OK ||
		    got_ep != endpoint || got_dpa != dpa)
			continue;
		if (found)
			return ROUTE_ALIASED;
		*hpa = cand;
		found = true;
	}
	return found ? ROUTE_OK : ROUTE_UNREACHABLE;
}
