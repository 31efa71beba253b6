// SPDX-License-Identifier: MIT
/*
 * MTRR/PAT decoding: synthetic MTRR sets (OVMF-like, overlaps, disabled,
 * fixed ranges, a UC window) and 2,000 random sets checked address by address
 * against the SDM's matching rule written out directly.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "mm/memtype.h"
#include "unit/support/rng.h"

#define M (1ULL << 20)
#define G (1ULL << 30)
#define WIN 0x290000000ULL
#define ENABLED (MTRR_DEF_TYPE_E | MTRR_DEF_TYPE_FE)
#define ALL8(t) (0x0101010101010101ULL * (t))

static struct memtype_piece p[128];

static struct mtrr_state base_state(uint8_t def)
{
	struct mtrr_state s;

	memset(&s, 0, sizeof(s));
	s.supported = true;
	s.phys_bits = 40;
	s.cap = 8 | MTRRCAP_FIX | MTRRCAP_WC;
	s.def_type = ENABLED | def;
	for (unsigned i = 0; i < MTRR_NR_FIXED; i++)
		s.fixed[i] = ALL8(MT_WB);
	s.pat = PAT_POWER_ON;
	return s;
}

/* A variable MTRR over [start, start+size), size a power of two, start aligned to it. */
static void set_var(struct mtrr_state *s, unsigned n, uint64_t start, uint64_t size, uint8_t type)
{
	s->base[n] = start | type;
	s->mask[n] = (~(size - 1) & ((1ULL << s->phys_bits) - 1) & MTRR_PHYS_ADDR) | MTRR_PHYSMASK_VALID;
}

static void check_piece(unsigned i, uint64_t start, uint64_t last, uint8_t type, const char *source)
{
	char name[64];

	memtype_source_format(&p[i], name, sizeof(name));
	assert_int_equal(p[i].start, start);
	assert_int_equal(p[i].last, last);
	assert_string_equal(memtype_name(p[i].type), memtype_name(type));
	assert_string_equal(name, source);
}

static void test_disabled_is_uc(void **state)
{
	struct mtrr_state s = base_state(MT_WB);

	s.def_type &= ~MTRR_DEF_TYPE_E;
	assert_int_equal(memtype_decode(&s, 0, 8 * G - 1, p, 64), 1);
	check_piece(0, 0, 8 * G - 1, MT_UC, "MTRRs disabled");
	s.supported = false;
	assert_int_equal(memtype_decode(&s, WIN, WIN + 4 * G - 1, p, 64), 1);
	check_piece(0, WIN, WIN + 4 * G - 1, MT_WB, "no MTRRs");
}

/* What OVMF programs (PlatformPei MemDetect.c): default WB, 640K-1M UC, the 32-bit PCI hole UC. */
static void test_ovmf_like(void **state)
{
	struct mtrr_state s = base_state(MT_WB);

	s.fixed[2] = ALL8(MT_UC); /* 0xA0000 .. 0xBFFFF */
	for (unsigned i = 3; i < MTRR_NR_FIXED; i++)
		s.fixed[i] = ALL8(MT_UC);
	set_var(&s, 0, 2 * G, 2 * G, MT_UC);
	assert_int_equal(memtype_decode(&s, 0, 12 * G - 1, p, 64), 5);
	check_piece(0, 0, 0x9ffff, MT_WB, "fixed 0x0");
	check_piece(1, 0xa0000, 0xfffff, MT_UC, "fixed 0xA0000");
	check_piece(2, M, 2 * G - 1, MT_WB, "default type");
	check_piece(3, 2 * G, 4 * G - 1, MT_UC, "variable MTRR 0");
	check_piece(4, 4 * G, 12 * G - 1, MT_WB, "default type");
	/* The window itself: one WB piece from the default type, no finding. */
	assert_int_equal(memtype_decode(&s, WIN, WIN + 4 * G - 1, p, 64), 1);
	check_piece(0, WIN, WIN + 4 * G - 1, MT_WB, "default type");
}

static void test_fixed_entries_name_their_start(void **state)
{
	struct mtrr_state s = base_state(MT_WB);

	s.fixed[5] = 0x0606060600000606ULL; /* 0xD0000..0xD7FFF: 4K entries, 2 and 3 UC */
	assert_int_equal(memtype_decode(&s, 0xd1000, 0xd7fff, p, 64), 3);
	check_piece(0, 0xd1000, 0xd1fff, MT_WB, "fixed 0xD1000");
	check_piece(1, 0xd2000, 0xd3fff, MT_UC, "fixed 0xD2000");
	check_piece(2, 0xd4000, 0xd7fff, MT_WB, "fixed 0xD4000");
	/* Fixed ranges off: the same bytes follow the variable MTRRs and the default type. */
	s.def_type &= ~MTRR_DEF_TYPE_FE;
	assert_int_equal(memtype_decode(&s, 0, 2 * M - 1, p, 64), 1);
	check_piece(0, 0, 2 * M - 1, MT_WB, "default type");
	assert_int_equal(mtrr_fixed_msr(0), 0x250);
	assert_int_equal(mtrr_fixed_msr(2), 0x259);
	assert_int_equal(mtrr_fixed_msr(10), 0x26f);
}

/* §12.11.4.1: UC wins over anything, WT over WB; the matching MTRRs are named. */
static void test_overlap_precedence(void **state)
{
	struct mtrr_state s = base_state(MT_UC);

	set_var(&s, 0, 0, 4 * G, MT_WB);
	set_var(&s, 1, 0xe0000000, 256 * M, MT_UC);
	set_var(&s, 2, 2 * G, G, MT_WT);
	assert_int_equal(memtype_decode(&s, 2 * G - 4096, 5 * G - 1, p, 64), 6);
	check_piece(0, 2 * G - 4096, 2 * G - 1, MT_WB, "variable MTRR 0");
	check_piece(1, 2 * G, 3 * G - 1, MT_WT, "variable MTRRs 0,2");
	check_piece(2, 3 * G, 0xdfffffff, MT_WB, "variable MTRR 0");
	check_piece(3, 0xe0000000, 0xefffffff, MT_UC, "variable MTRRs 0,1");
	check_piece(4, 0xf0000000, 4 * G - 1, MT_WB, "variable MTRR 0");
	check_piece(5, 4 * G, 5 * G - 1, MT_UC, "default type");
}

static void test_incompatible_overlap_is_undefined(void **state)
{
	struct mtrr_state s = base_state(MT_UC);

	set_var(&s, 3, WIN, 256 * M, MT_WC);
	set_var(&s, 4, WIN, 256 * M, MT_WB);
	assert_int_equal(memtype_decode(&s, WIN, WIN + 256 * M - 1, p, 64), 1);
	assert_int_equal(p[0].type, MT_UNDEFINED);
	check_piece(0, WIN, WIN + 256 * M - 1, MT_UNDEFINED, "variable MTRRs 3,4");
}

/* The window half WB by an MTRR, half UC by default: two pieces, the UC one named "default type". */
static void test_mixed_window(void **state)
{
	struct mtrr_state s = base_state(MT_UC);

	set_var(&s, 0, 8 * G, 4 * G, MT_WB); /* 0x200000000 .. 0x2FFFFFFFF */
	assert_int_equal(memtype_decode(&s, WIN, WIN + 4 * G - 1, p, 64), 2);
	check_piece(0, WIN, 0x2ffffffffULL, MT_WB, "variable MTRR 0");
	check_piece(1, 0x300000000ULL, WIN + 4 * G - 1, MT_UC, "default type");
}

static void test_invalid_and_irregular_mtrrs_are_ignored(void **state)
{
	struct mtrr_state s = base_state(MT_WB);
	uint64_t a, b;

	set_var(&s, 0, WIN, 4 * G, MT_UC);
	s.mask[0] &= ~MTRR_PHYSMASK_VALID;
	set_var(&s, 1, WIN, 4 * G, MT_UC);
	s.mask[1] ^= 1ULL << 35; /* a hole in the mask */
	set_var(&s, 9, WIN, 4 * G, MT_UC); /* beyond VCNT = 8 */
	assert_false(mtrr_var_range(&s, 0, &a, &b));
	assert_false(mtrr_var_range(&s, 1, &a, &b));
	assert_false(mtrr_var_range(&s, 9, &a, &b));
	assert_int_equal(mtrr_irregular(&s), 1U << 1);
	assert_int_equal(memtype_decode(&s, WIN, WIN + 4 * G - 1, p, 64), 1);
	check_piece(0, WIN, WIN + 4 * G - 1, MT_WB, "default type");
}

static void test_count_beyond_cap(void **state)
{
	struct mtrr_state s = base_state(MT_UC);

	s.def_type &= ~MTRR_DEF_TYPE_FE;
	for (unsigned n = 0; n < 8; n++)
		set_var(&s, n, (uint64_t)(2 * n) * G, G, MT_WB);
	assert_int_equal(memtype_decode(&s, 0, 16 * G - 1, p, 3), 16);
	check_piece(2, 2 * G, 3 * G - 1, MT_WB, "variable MTRR 1");
	/* Above the last MTRR the default type goes on to the top: merged with the UC piece before it. */
	assert_int_equal(memtype_decode(&s, 0, UINT64_MAX, p, 64), 16);
	check_piece(15, 15 * G, UINT64_MAX, MT_UC, "default type");
}

static void test_pat_combination(void **state)
{
	assert_int_equal(pat_entry(PAT_POWER_ON, 0), MT_WB);
	assert_int_equal(pat_entry(PAT_POWER_ON, 2), MT_UC_MINUS);
	assert_int_equal(pat_entry(PAT_POWER_ON, 7), MT_UC);
	assert_int_equal(memtype_combine(MT_WB, MT_WB), MT_WB);
	assert_int_equal(memtype_combine(MT_UC, MT_WB), MT_UC);
	assert_int_equal(memtype_combine(MT_UC, MT_WC), MT_WC);
	assert_int_equal(memtype_combine(MT_WB, MT_UC_MINUS), MT_UC);
	assert_int_equal(memtype_combine(MT_WC, MT_UC_MINUS), MT_WC);
	assert_int_equal(memtype_combine(MT_WC, MT_WB), MT_WC);
	assert_int_equal(memtype_combine(MT_WT, MT_WB), MT_WT);
	assert_int_equal(memtype_combine(MT_WP, MT_UC_MINUS), MT_WC);
	assert_int_equal(memtype_combine(MT_WP, MT_WB), MT_WP);
	assert_int_equal(memtype_combine(MT_WB, 2), MT_UNDEFINED);
	assert_int_equal(memtype_combine(MT_UC_MINUS, MT_WB), MT_UNDEFINED);
	assert_int_equal(memtype_combine(MT_UNDEFINED, MT_WB), MT_UNDEFINED);
}

/* The SDM's rule, address by address, with no ranges: (addr & mask) == (base & mask). */
static uint8_t oracle(const struct mtrr_state *s, uint64_t a)
{
	uint64_t pm = ((1ULL << s->phys_bits) - 1) & MTRR_PHYS_ADDR;
	uint32_t seen = 0;

	if (a < M && (s->def_type & MTRR_DEF_TYPE_FE)) {
		unsigned slot = a < 0x80000 ? 0 : a < 0xc0000 ? 1 + (unsigned)((a - 0x80000) / 0x20000)
							      : 3 + (unsigned)((a - 0xc0000) / 0x8000);
		uint64_t off = slot == 0 ? a / 0x10000 : slot < 3 ? (a - 0x80000) / 0x4000 % 8 : (a - 0xc0000) / 0x1000 % 8;

		return (uint8_t)(s->fixed[slot] >> (8 * off));
	}
	for (unsigned n = 0; n < 8; n++)
		if ((s->mask[n] & MTRR_PHYSMASK_VALID) && (a & s->mask[n] & pm) == (s->base[n] & s->mask[n] & pm))
			seen |= 1U << (s->base[n] & 0xff);
	if (!seen)
		return (uint8_t)(s->def_type & 0xff);
	if (seen & 1U << MT_UC)
		return MT_UC;
	if (seen == (1U << MT_WT | 1U << MT_WB))
		return MT_WT;
	return __builtin_popcount(seen) == 1 ? (uint8_t)__builtin_ctz(seen) : MT_UNDEFINED;
}

static void test_random_sets_against_oracle(void **state)
{
	static const uint8_t types[] = { MT_UC, MT_WC, MT_WT, MT_WP, MT_WB };
	struct test_rng rng = { 0x6d747272 };

	for (int iter = 0; iter < 2000; iter++) {
		struct mtrr_state s = base_state(types[test_rng_next(&rng) % 5]);
		uint64_t start, last, size;
		size_t n;

		s.phys_bits = 36;
		for (unsigned i = 0; i < MTRR_NR_FIXED; i++)
			s.fixed[i] = test_rng_next(&rng) & ALL8(MT_WB); /* types 0..6 incl. reserved: kept as read */
		for (unsigned k = 0; k < 8; k++) {
			if (test_rng_next(&rng) % 3 == 0)
				continue;
			size = 1ULL << (12 + test_rng_next(&rng) % 23);
			set_var(&s, k, ALIGN_DOWN(test_rng_next(&rng) % (8 * G), size), size, types[test_rng_next(&rng) % 5]);
		}
		if (iter % 7 == 0)
			s.def_type &= ~MTRR_DEF_TYPE_FE;
		start = test_rng_next(&rng) % (8 * G);
		last = start + test_rng_next(&rng) % (2 * G);
		n = memtype_decode(&s, start, last, p, 128);
		assert_true(n >= 1 && n <= 128);
		assert_int_equal(p[0].start, start);
		assert_int_equal(p[n - 1].last, last);
		for (size_t i = 0; i < n; i++) {
			uint64_t probe = p[i].start + test_rng_next(&rng) % (p[i].last - p[i].start + 1);

			if (i)
				assert_int_equal(p[i].start, p[i - 1].last + 1);
			assert_int_equal(p[i].type, oracle(&s, p[i].start));
			assert_int_equal(p[i].type, oracle(&s, p[i].last));
			assert_int_equal(p[i].type, oracle(&s, probe));
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_disabled_is_uc),
		cmocka_unit_test(test_ovmf_like),
		cmocka_unit_test(test_fixed_entries_name_their_start),
		cmocka_unit_test(test_overlap_precedence),
		cmocka_unit_test(test_incompatible_overlap_is_undefined),
		cmocka_unit_test(test_mixed_window),
		cmocka_unit_test(test_invalid_and_irregular_mtrrs_are_ignored),
		cmocka_unit_test(test_count_beyond_cap),
		cmocka_unit_test(test_pat_combination),
		cmocka_unit_test(test_random_sets_against_oracle),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
