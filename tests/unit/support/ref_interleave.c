// SPDX-License-Identifier: MIT
/*
 * The interleave rules of the spec, written as its tables state them
 * (ref_interleave.h). Field notation follows the spec: HPA[h:l] are bits h
 * down to l; IG and IW are the encoded granularity and ways; for 3/6/12 ways
 * IW is 8, 9 or 10 and IW - 8 position bits come from HPA bits directly.
 */
#include "unit/support/ref_interleave.h"

/* HPA[h:l] */
static uint64_t field(uint64_t v, unsigned h, unsigned l)
{
	uint64_t width = h - l + 1;

	if (h < l)
		return 0;
	return (v >> l) & (width >= 64 ? ~0ULL : (1ULL << width) - 1);
}

/* XORALLBITS: 1 when an odd number of bits are set. */
static unsigned xor_all_bits(uint64_t v)
{
	unsigned ones = 0;

	for (; v; v >>= 1)
		ones += v & 1;
	return ones & 1;
}

int ref_eniw(unsigned ways)
{
	switch (ways) {
	case 1: return 0;
	case 2: return 1;
	case 4: return 2;
	case 8: return 3;
	case 16: return 4;
	case 3: return 8;
	case 6: return 9;
	case 12: return 10;
	}
	return -1;
}

unsigned ref_ways(unsigned eniw)
{
	switch (eniw) {
	case 0: return 1;
	case 1: return 2;
	case 2: return 4;
	case 3: return 8;
	case 4: return 16;
	case 8: return 3;
	case 9: return 6;
	case 10: return 12;
	}
	return 0;
}

int ref_ig(unsigned granularity)
{
	for (int ig = 0; ig <= 6; ig++)
		if (granularity == 256U << ig)
			return ig;
	return -1;
}

bool ref_set_valid(unsigned ways, unsigned granularity)
{
	return ref_eniw(ways) >= 0 && ref_ig(granularity) >= 0;
}

/* Position bits taken from the address (power-of-2 part of the ways), and whether a mod-3 term follows. */
static unsigned pow2_bits(unsigned ways, bool *mod3)
{
	int iw = ref_eniw(ways);

	*mod3 = iw >= 8;
	return (unsigned)(*mod3 ? iw - 8 : iw);
}

unsigned ref_target(const struct ref_set *s, uint64_t hpa)
{
	unsigned g = 8 + (unsigned)ref_ig(s->granularity); /* lowest address bit that selects */
	bool mod3;
	unsigned k = pow2_bits(s->ways, &mod3);
	uint64_t target;

	if (s->xor_arith) {
		/* CXIMS: target bit i = XORALLBITS(HPA & XORMAP[i]). */
		target = 0;
		for (unsigned i = 0; i < k; i++)
			target |= (uint64_t)xor_all_bits(hpa & field(s->xormap[i], 51, 0)) << i;
	} else {
		/* Modulo: target = HPA[g+k-1:g] */
		target = field(hpa, g + k - 1, g);
	}
	/* 3/6/12: target += 2^k * (HPA[51:g+k] MOD 3) */
	if (mod3)
		target += (field(hpa, 51, g + k) % 3) << k;
	return (unsigned)target;
}

uint64_t ref_dpa_offset(unsigned ways, unsigned granularity, uint64_t hpa_offset)
{
	unsigned g = 8 + (unsigned)ref_ig(granularity);
	bool mod3;
	unsigned k = pow2_bits(ways, &mod3);
	/* DPAOffset[51:g] = HPAOffset[51:g+k] (/ 3 for 3/6/12); DPAOffset[g-1:0] = HPAOffset[g-1:0] */
	uint64_t row = field(hpa_offset, 51, g + k);

	if (mod3)
		row /= 3;
	return row << g | field(hpa_offset, g - 1, 0);
}
