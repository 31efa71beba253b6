// SPDX-License-Identifier: MIT
/*
 * MTRR decoding by the rules of Intel SDM Vol. 3A §12.11.4.1: fixed ranges
 * rule below 1 MiB when enabled; elsewhere the variable MTRRs that match an
 * address decide (UC wins, WT beats WB, anything else mixed is undefined);
 * where none matches, the default type applies; MTRRs disabled means UC.
 */
#include "mm/memtype.h"

#include "lib/fmt.h"

uint32_t mtrr_fixed_msr(unsigned slot)
{
	if (slot == 0)
		return MSR_MTRR_FIX64K_00000;
	if (slot <= 2)
		return MSR_MTRR_FIX16K_80000 + slot - 1;
	return MSR_MTRR_FIX4K_C0000 + slot - 3;
}

unsigned mtrr_var_count(const struct mtrr_state *s)
{
	unsigned n = (unsigned)FIELD_GET(MTRRCAP_VCNT, s->cap);

	return n < MTRR_MAX_VAR ? n : MTRR_MAX_VAR;
}

static uint64_t phys_max(const struct mtrr_state *s)
{
	unsigned bits = s->phys_bits >= 36 && s->phys_bits <= 52 ? s->phys_bits : 36;

	return (1ULL << bits) - 1;
}

/* The mask bits that take part in matching: 12 .. MAXPHYADDR-1. */
static uint64_t var_mask_bits(const struct mtrr_state *s, unsigned n)
{
	return s->mask[n] & MTRR_PHYS_ADDR & phys_max(s);
}

static bool var_valid(const struct mtrr_state *s, unsigned n)
{
	return n < mtrr_var_count(s) && (s->mask[n] & MTRR_PHYSMASK_VALID);
}

/* Contiguous: every bit from the lowest set one up to MAXPHYADDR-1 is set (SDM §12.11.3 expects this). */
static bool mask_contiguous(const struct mtrr_state *s, uint64_t m)
{
	return m == 0 || m == (phys_max(s) & ~((1ULL << __builtin_ctzll(m)) - 1));
}

bool mtrr_var_range(const struct mtrr_state *s, unsigned n, uint64_t *start, uint64_t *last)
{
	uint64_t m = var_mask_bits(s, n);

	if (!var_valid(s, n) || !mask_contiguous(s, m))
		return false;
	*start = s->base[n] & m;
	*last = *start | (~m & phys_max(s));
	return true;
}

uint32_t mtrr_irregular(const struct mtrr_state *s)
{
	uint32_t bad = 0;

	for (unsigned n = 0; n < mtrr_var_count(s); n++)
		if (var_valid(s, n) && !mask_contiguous(s, var_mask_bits(s, n)))
			bad |= 1U << n;
	return bad;
}

/* §12.11.4.1: the type when several variable MTRRs match. */
static uint8_t overlap_type(const struct mtrr_state *s, uint32_t set)
{
	uint32_t seen = 0; /* bit t: type t matched */

	for (unsigned n = 0; n < MTRR_MAX_VAR; n++)
		if (set & (1U << n))
			seen |= 1U << FIELD_GET(MTRR_PHYSBASE_TYPE, s->base[n]);
	if (seen & (1U << MT_UC))
		return MT_UC;
	if (seen == ((1U << MT_WT) | (1U << MT_WB)))
		return MT_WT;
	if (seen && !(seen & (seen - 1))) /* exactly one type */
		return (uint8_t)__builtin_ctz(seen);
	return MT_UNDEFINED;
}

struct pieces {
	struct memtype_piece *out;
	size_t cap, n;
};

/* Appends a piece, merging it into the previous one when nothing but the address differs. */
static void emit(struct pieces *ps, const struct memtype_piece *p)
{
	struct memtype_piece *prev = ps->n && ps->n <= ps->cap ? &ps->out[ps->n - 1] : NULL;

	if (prev && prev->last + 1 == p->start && prev->type == p->type && prev->source == p->source &&
	    prev->var_mask == p->var_mask) {
		prev->last = p->last;
		return;
	}
	if (ps->n < ps->cap)
		ps->out[ps->n] = *p;
	ps->n++;
}

/* The fixed-range entry holding a (< 1 MiB): its slot in fixed[], byte within it, first byte and size. */
static void fixed_entry(uint64_t a, unsigned *slot, unsigned *byte, uint64_t *base, uint64_t *size)
{
	if (a < 0x80000) {
		*slot = 0, *size = 0x10000, *base = ALIGN_DOWN(a, 0x10000), *byte = (unsigned)(a >> 16);
	} else if (a < 0xc0000) {
		*slot = 1 + (unsigned)((a - 0x80000) >> 17), *size = 0x4000, *base = ALIGN_DOWN(a, 0x4000);
		*byte = (unsigned)((a - 0x80000) >> 14) & 7;
	} else {
		*slot = 3 + (unsigned)((a - 0xc0000) >> 15), *size = 0x1000, *base = ALIGN_DOWN(a, 0x1000);
		*byte = (unsigned)((a - 0xc0000) >> 12) & 7;
	}
}

static bool fixed_active(const struct mtrr_state *s)
{
	return (s->cap & MTRRCAP_FIX) && (s->def_type & MTRR_DEF_TYPE_FE);
}

/* One piece from a (below 1 MiB, fixed ranges on); returns its last byte. */
static uint64_t fixed_piece(const struct mtrr_state *s, uint64_t a, uint64_t last, struct pieces *ps)
{
	unsigned slot, byte;
	uint64_t base, size;
	struct memtype_piece p = { a, 0, 0, MTS_FIXED, 0, 0 };

	fixed_entry(a, &slot, &byte, &base, &size);
	p.last = base + size - 1 < last ? base + size - 1 : last;
	p.type = (uint8_t)(s->fixed[slot] >> (8 * byte));
	p.fixed_base = base;
	emit(ps, &p);
	return p.last;
}

/* One piece from a by the variable MTRRs (or the default type); returns its last byte. */
static uint64_t variable_piece(const struct mtrr_state *s, uint64_t a, uint64_t last, struct pieces *ps)
{
	struct memtype_piece p = { a, last, 0, MTS_DEFAULT, 0, 0 };
	uint64_t r0, r1;

	if (fixed_active(s) && last >= MTRR_FIXED_LIMIT && a < MTRR_FIXED_LIMIT)
		p.last = MTRR_FIXED_LIMIT - 1;
	for (unsigned n = 0; n < mtrr_var_count(s); n++) {
		if (!mtrr_var_range(s, n, &r0, &r1))
			continue;
		if (r0 > a && r0 - 1 < p.last)
			p.last = r0 - 1; /* the set of matching MTRRs changes where one begins ... */
		if (r0 <= a && a <= r1) {
			p.var_mask |= 1U << n;
			if (r1 < p.last)
				p.last = r1; /* ... or ends */
		}
	}
	if (p.var_mask) {
		p.source = MTS_VARIABLE;
		p.type = overlap_type(s, p.var_mask);
	} else {
		p.type = (uint8_t)FIELD_GET(MTRR_DEF_TYPE_TYPE, s->def_type);
	}
	emit(ps, &p);
	return p.last;
}

size_t memtype_decode(const struct mtrr_state *s, uint64_t start, uint64_t last, struct memtype_piece *out,
		      size_t cap)
{
	struct pieces ps = { out, cap, 0 };
	uint64_t a = start, end;

	if (last < start)
		return 0;
	if (!s->supported || !(s->def_type & MTRR_DEF_TYPE_E)) {
		struct memtype_piece p = { start, last, s->supported ? MT_UC : MT_WB,
					   s->supported ? MTS_DISABLED : MTS_NO_MTRRS, 0, 0 };

		emit(&ps, &p);
		return ps.n;
	}
	for (;;) {
		end = a < MTRR_FIXED_LIMIT && fixed_active(s) ? fixed_piece(s, a, last, &ps)
							       : variable_piece(s, a, last, &ps);
		if (end >= last)
			return ps.n;
		a = end + 1;
	}
}

uint8_t pat_entry(uint64_t pat, unsigned index)
{
	return (uint8_t)((pat >> (8 * (index & 7))) & PAT_ENTRY_TYPE);
}

/* SDM Vol. 3A Table 12-7, rows MTRR type, columns PAT type. Reserved encodings stay 0 and are caught below. */
static const uint8_t combined[8][8] = {
	[MT_UC] = { [MT_UC] = MT_UC, [MT_UC_MINUS] = MT_UC, [MT_WC] = MT_WC, [MT_WT] = MT_UC, [MT_WB] = MT_UC,
		    [MT_WP] = MT_UC },
	[MT_WC] = { [MT_UC] = MT_UC, [MT_UC_MINUS] = MT_WC, [MT_WC] = MT_WC, [MT_WT] = MT_UC, [MT_WB] = MT_WC,
		    [MT_WP] = MT_UC },
	[MT_WT] = { [MT_UC] = MT_UC, [MT_UC_MINUS] = MT_UC, [MT_WC] = MT_WC, [MT_WT] = MT_WT, [MT_WB] = MT_WT,
		    [MT_WP] = MT_WP },
	[MT_WP] = { [MT_UC] = MT_UC, [MT_UC_MINUS] = MT_WC, [MT_WC] = MT_WC, [MT_WT] = MT_WT, [MT_WB] = MT_WP,
		    [MT_WP] = MT_WP },
	[MT_WB] = { [MT_UC] = MT_UC, [MT_UC_MINUS] = MT_UC, [MT_WC] = MT_WC, [MT_WT] = MT_WT, [MT_WB] = MT_WB,
		    [MT_WP] = MT_WP },
};

static bool valid_type(uint8_t t, bool pat)
{
	return t == MT_UC || t == MT_WC || t == MT_WT || t == MT_WP || t == MT_WB || (pat && t == MT_UC_MINUS);
}

uint8_t memtype_combine(uint8_t mtrr, uint8_t pat)
{
	if (!valid_type(mtrr, false) || !valid_type(pat, true))
		return MT_UNDEFINED;
	return combined[mtrr][pat];
}

const char *memtype_name(uint8_t type)
{
	switch (type) {
	case MT_UC: return "uc";
	case MT_WC: return "wc";
	case MT_WT: return "wt";
	case MT_WP: return "wp";
	case MT_WB: return "wb";
	case MT_UC_MINUS: return "uc-";
	default: return "undefined";
	}
}

int memtype_source_format(const struct memtype_piece *p, char *buf, size_t cap)
{
	int n = 0;

	switch (p->source) {
	case MTS_NO_MTRRS: return fmt_snprintf(buf, cap, "no MTRRs");
	case MTS_DISABLED: return fmt_snprintf(buf, cap, "MTRRs disabled");
	case MTS_DEFAULT: return fmt_snprintf(buf, cap, "default type");
	case MTS_FIXED: return fmt_snprintf(buf, cap, "fixed 0x%llX", (unsigned long long)p->fixed_base);
	case MTS_VARIABLE: break;
	}
	n = fmt_snprintf(buf, cap, (p->var_mask & (p->var_mask - 1)) ? "variable MTRRs " : "variable MTRR ");
	for (unsigned i = 0, first = 1; i < MTRR_MAX_VAR && (size_t)n < cap; i++)
		if (p->var_mask & (1U << i)) {
			n += fmt_snprintf(buf + n, cap - (size_t)n, first ? "%u" : ",%u", i);
			first = 0;
		}
	return n;
}
