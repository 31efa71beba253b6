// SPDX-License-Identifier: MIT
/* cxl/interleave.c: encodings, one-set translations, and routing through a decoder tree. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "lib/bits.h"
#include "cxl/interleave.h"
#include "unit/support/ref_interleave.h"
#include "unit/support/rng.h"

static const unsigned all_ways[] = { 1, 2, 3, 4, 6, 8, 12, 16 };
static const unsigned all_grans[] = { 256, 512, 1024, 2048, 4096, 8192, 16384 };

/* Fixed seed: the same addresses on every run. */
static struct test_rng rng_state = { 0x9e3779b97f4a7c15ULL };

static uint64_t rng(void)
{
	return test_rng_next(&rng_state);
}

static struct ileave mk(uint64_t base, unsigned ways, unsigned gran)
{
	struct ileave il = { .base = base, .ways = ways, .granularity = gran, .arith = ILEAVE_MODULO };

	return il;
}

/*
 * Plausible XORMAPs for a set: map i owns position bit i, also folds in a
 * higher position bit (like the Driver Writer's Guide map 0x2020900 folds in
 * bit 11) and a spread of upper address bits.
 */
static struct ileave mk_xor(uint64_t base, unsigned ways, unsigned gran)
{
	struct ileave il = mk(base, ways, gran);
	unsigned g = __builtin_ctz(gran), k = ileave_xormaps_needed(ways);

	il.arith = ILEAVE_XOR;
	il.nr_xormaps = k;
	for (unsigned i = 0; i < k; i++) {
		uint64_t map = BIT_ULL(g + i) | (0x0101010101ULL << (g + 8 + i));

		if (i + 1 < k)
			map |= BIT_ULL(g + k - 1);
		il.xormaps[i] = map & (BIT_ULL(ILEAVE_HPA_BITS) - 1);
	}
	return il;
}

static void test_encodings(void **state)
{
	for (unsigned i = 0; i < ARRAY_SIZE(all_ways); i++) {
		int e = ileave_ways_to_eniw(all_ways[i]);

		assert_true(e >= 0);
		assert_int_equal(ileave_eniw_to_ways(e), all_ways[i]);
	}
	assert_int_equal(ileave_ways_to_eniw(1), 0);
	assert_int_equal(ileave_ways_to_eniw(16), 4);
	assert_int_equal(ileave_ways_to_eniw(3), 8);
	assert_int_equal(ileave_ways_to_eniw(6), 9);
	assert_int_equal(ileave_ways_to_eniw(12), 10);
	for (unsigned w = 0; w <= 32; w++)
		if (w != 1 && w != 2 && w != 3 && w != 4 && w != 6 && w != 8 && w != 12 && w != 16)
			assert_int_equal(ileave_ways_to_eniw(w), -1);
	for (unsigned e = 5; e <= 7; e++)
		assert_int_equal(ileave_eniw_to_ways(e), -1);
	assert_int_equal(ileave_eniw_to_ways(11), -1);
	assert_int_equal(ileave_eniw_to_ways(0xff), -1);

	for (unsigned ig = 0; ig <= 6; ig++) {
		assert_int_equal(ileave_ig_to_gran(ig), 256 << ig);
		assert_int_equal(ileave_gran_to_ig(256 << ig), ig);
	}
	assert_int_equal(ileave_ig_to_gran(7), -1);
	assert_int_equal(ileave_gran_to_ig(0), -1);
	assert_int_equal(ileave_gran_to_ig(128), -1);
	assert_int_equal(ileave_gran_to_ig(768), -1);
	assert_int_equal(ileave_gran_to_ig(32768), -1);

	assert_int_equal(ileave_xormaps_needed(1), 0);
	assert_int_equal(ileave_xormaps_needed(3), 0);
	assert_int_equal(ileave_xormaps_needed(6), 1);
	assert_int_equal(ileave_xormaps_needed(12), 2);
	assert_int_equal(ileave_xormaps_needed(16), 4);
	assert_int_equal(ileave_xormaps_needed(5), 0);
}

static void test_check(void **state)
{
	struct ileave il = mk(0x290000000ULL, 4, 256);

	assert_int_equal(ileave_check(&il), ILEAVE_OK);
	il.ways = 5;
	assert_int_equal(ileave_check(&il), ILEAVE_BAD_WAYS);
	il = mk(0, 4, 300);
	assert_int_equal(ileave_check(&il), ILEAVE_BAD_GRANULARITY);
	il = mk(0, 4, 32768);
	assert_int_equal(ileave_check(&il), ILEAVE_BAD_GRANULARITY);
	/* A 4-way 256 B set needs its base on a 1 KiB boundary. */
	il = mk(0x200, 4, 256);
	assert_int_equal(ileave_check(&il), ILEAVE_BAD_BASE);
	il = mk(0x400, 4, 256);
	assert_int_equal(ileave_check(&il), ILEAVE_OK);
	il = mk(BIT_ULL(52), 1, 256);
	assert_int_equal(ileave_check(&il), ILEAVE_BAD_BASE);

	il = mk_xor(0, 8, 256);
	assert_int_equal(ileave_check(&il), ILEAVE_OK);
	il.nr_xormaps = 4; /* more maps than position bits */
	il.xormaps[3] = BIT_ULL(11);
	assert_int_equal(ileave_check(&il), ILEAVE_BAD_XORMAP);
	il = mk_xor(0, 8, 256);
	il.xormaps[1] = 0x4041000; /* lowest bit 12, must be 9 */
	assert_int_equal(ileave_check(&il), ILEAVE_BAD_XORMAP);
	il = mk_xor(0, 8, 256);
	il.xormaps[2] = 0;
	assert_int_equal(ileave_check(&il), ILEAVE_BAD_XORMAP);
	il = mk_xor(0, 2, 256);
	il.xormaps[0] |= BIT_ULL(52);
	assert_int_equal(ileave_check(&il), ILEAVE_BAD_XORMAP);
	il = mk_xor(0, 2, 256);
	il.arith = 7;
	assert_int_equal(ileave_check(&il), ILEAVE_BAD_XORMAP);
	/* Fewer maps than position bits is a region wider than its XOR window. */
	il = mk_xor(0, 8, 256);
	il.nr_xormaps = 2;
	assert_int_equal(ileave_check(&il), ILEAVE_OK);
	assert_string_equal(ileave_error_name(ILEAVE_BAD_XORMAP), "bad_xormap");
	assert_string_equal(ileave_error_name(ILEAVE_OK), "ok");
}

struct kat {
	uint64_t hpa_offset;
	unsigned pos;
	uint64_t dpa;
};

static void check_kat(const struct ileave *il, const struct kat *k, size_t n)
{
	assert_int_equal(ileave_check(il), ILEAVE_OK);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(ileave_hpa_to_pos(il, k[i].hpa_offset), k[i].pos);
		assert_int_equal(ileave_hpa_to_dpa(il, k[i].hpa_offset), k[i].dpa);
		assert_int_equal(ileave_dpa_to_hpa(il, k[i].pos, k[i].dpa), k[i].hpa_offset);
	}
}

/* ../shared/DESIGN.md §5: observed in QEMU 7.2 (backing-file offset = DPA). */
static void test_qemu_known_answers(void **state)
{
	static const struct kat two_way_256[] = {
		{ 0x1000, 0, 0x800 }, { 0x1100, 1, 0x800 }, { 0x2000, 0, 0x1000 },
	};
	static const struct kat across_hb_8k[] = {
		{ 0x1000, 0, 0x1000 }, { 0x3000, 1, 0x1000 }, { 0x5000, 0, 0x3000 },
	};
	struct ileave il = mk(0x290000000ULL, 2, 256);

	check_kat(&il, two_way_256, ARRAY_SIZE(two_way_256));
	il = mk(0x290000000ULL, 2, 8192);
	check_kat(&il, across_hb_8k, ARRAY_SIZE(across_hb_8k));
}

/*
 * Vectors from pmem/ndctl test/cxl-translate.sh, fed by that script to the
 * kernel's tools/testing/cxl cxl_translate module (cxl_calculate_hpa_offset,
 * cxl_calculate_dpa_offset, cxl_calculate_position, cxl_do_xormap_calc).
 * The XOR tables are the examples of the CXL Driver Writer's Guide 2.13.24.1
 * and 25.1. Fields: dpa pos region_eiw region_eig hb_ways math expected_hpa.
 * Region base is 0. All XOR vectors use one CXIMS: the maps below, of which
 * the first log2(power-of-2 part of hb_ways) apply.
 */
struct linux_vec {
	uint64_t dpa;
	unsigned pos, eiw, eig, hb_ways, xor;
	uint64_t hpa;
};

static const uint64_t guide_xormaps[] = { 0x2020900, 0x4041200, 0x1010400, 0x800 };

static const struct linux_vec linux_vectors[] = {
	/* Sample_4R_4H: modulo and XOR give the same HPAs for DPA 0, 256, 2048. */
	{ 0, 0, 2, 0, 4, 0, 0 }, { 0, 1, 2, 0, 4, 0, 256 }, { 0, 2, 2, 0, 4, 0, 512 },
	{ 0, 3, 2, 0, 4, 0, 768 }, { 0, 0, 2, 0, 4, 1, 0 }, { 0, 3, 2, 0, 4, 1, 768 },
	{ 256, 0, 2, 0, 4, 0, 1024 }, { 256, 3, 2, 0, 4, 1, 1792 },
	{ 2048, 0, 2, 0, 4, 0, 8192 }, { 2048, 1, 2, 0, 4, 1, 8448 },
	{ 2048, 2, 2, 0, 4, 0, 8704 }, { 2048, 3, 2, 0, 4, 1, 8960 },
	/* Sample_12R_12H, modulo. */
	{ 0, 0, 10, 0, 12, 0, 0 }, { 0, 5, 10, 0, 12, 0, 1280 }, { 0, 8, 10, 0, 12, 0, 2048 },
	{ 0, 11, 10, 0, 12, 0, 2816 }, { 512, 0, 10, 0, 12, 0, 6144 },
	{ 512, 7, 10, 0, 12, 0, 7936 }, { 512, 8, 10, 0, 12, 0, 8192 },
	{ 512, 11, 10, 0, 12, 0, 8960 },
	/* Sample_12R_12H, XOR. */
	{ 0, 8, 10, 0, 12, 1, 2304 }, { 0, 9, 10, 0, 12, 1, 2048 }, { 0, 10, 10, 0, 12, 1, 2816 },
	{ 0, 11, 10, 0, 12, 1, 2560 }, { 512, 0, 10, 0, 12, 1, 6912 },
	{ 512, 1, 10, 0, 12, 1, 6656 }, { 512, 2, 10, 0, 12, 1, 6400 },
	{ 512, 3, 10, 0, 12, 1, 6144 }, { 512, 4, 10, 0, 12, 1, 7936 },
	{ 512, 7, 10, 0, 12, 1, 7168 }, { 512, 8, 10, 0, 12, 1, 8192 },
	{ 512, 11, 10, 0, 12, 1, 8960 },
	/* XOR_Table_4R_4H */
	{ 248, 0, 2, 0, 4, 1, 248 }, { 16, 1, 2, 0, 4, 1, 272 }, { 16, 2, 2, 0, 4, 1, 528 },
	{ 32, 3, 2, 0, 4, 1, 800 }, { 288, 0, 2, 0, 4, 1, 1056 }, { 288, 1, 2, 0, 4, 1, 1312 },
	{ 288, 2, 2, 0, 4, 1, 1568 }, { 288, 3, 2, 0, 4, 1, 1824 }, { 544, 1, 2, 0, 4, 1, 2080 },
	{ 544, 0, 2, 0, 4, 1, 2336 }, { 544, 3, 2, 0, 4, 1, 2592 }, { 1040, 2, 2, 0, 4, 1, 4112 },
	{ 1568, 3, 2, 0, 4, 1, 6176 }, { 32784, 1, 2, 0, 4, 1, 131088 },
	{ 65552, 2, 2, 0, 4, 1, 262160 }, { 98336, 3, 2, 0, 4, 1, 393248 },
	{ 98328, 2, 2, 0, 4, 1, 393496 }, { 98352, 2, 2, 0, 4, 1, 393520 },
	{ 443953523, 0, 2, 0, 4, 1, 1775813747 },
	/* XOR_Table_8R_4H: 8-way region below a 4-way XOR window. */
	{ 248, 0, 3, 0, 4, 1, 248 }, { 16, 1, 3, 0, 4, 1, 272 }, { 16, 2, 3, 0, 4, 1, 528 },
	{ 32, 3, 3, 0, 4, 1, 800 }, { 272, 1, 3, 0, 4, 1, 2064 }, { 528, 2, 3, 0, 4, 1, 4112 },
	{ 800, 3, 3, 0, 4, 1, 6176 }, { 16400, 1, 3, 0, 4, 1, 131088 },
	{ 32784, 2, 3, 0, 4, 1, 262160 }, { 49184, 3, 3, 0, 4, 1, 393248 },
	{ 49176, 2, 3, 0, 4, 1, 393496 }, { 49200, 2, 3, 0, 4, 1, 393520 },
	{ 116520373, 3, 3, 0, 4, 1, 932162229 }, { 244690459, 5, 3, 0, 4, 1, 1957525275 },
	{ 292862215, 5, 3, 0, 4, 1, 2342899463 }, { 30721158, 4, 3, 0, 4, 1, 245769350 },
	{ 246386959, 4, 3, 0, 4, 1, 1971096847 }, { 72701249, 5, 3, 0, 4, 1, 581610561 },
	{ 529382429, 5, 3, 0, 4, 1, 4235060509 }, { 191132300, 2, 3, 0, 4, 1, 1529057420 },
	{ 18589081, 1, 3, 0, 4, 1, 148712089 }, { 344295715, 7, 3, 0, 4, 1, 2754367011 },
	/* XOR_Table_12R_12H */
	{ 224, 0, 10, 0, 12, 1, 224 }, { 16, 1, 10, 0, 12, 1, 272 }, { 16, 2, 10, 0, 12, 1, 528 },
	{ 32, 3, 10, 0, 12, 1, 800 }, { 32, 4, 10, 0, 12, 1, 1056 }, { 32, 5, 10, 0, 12, 1, 1312 },
	{ 32, 6, 10, 0, 12, 1, 1568 }, { 32, 7, 10, 0, 12, 1, 1824 }, { 32, 9, 10, 0, 12, 1, 2080 },
	{ 32, 8, 10, 0, 12, 1, 2336 }, { 32, 11, 10, 0, 12, 1, 2592 },
	{ 32, 10, 10, 0, 12, 1, 2848 }, { 288, 0, 10, 0, 12, 1, 3360 },
	{ 299017087, 7, 10, 0, 12, 1, 3588205439 }, { 329210435, 0, 10, 0, 12, 1, 3950524995 },
	{ 151050637, 11, 10, 0, 12, 1, 1812608653 }, { 145169214, 2, 10, 0, 12, 1, 1742030654 },
	{ 328998732, 10, 10, 0, 12, 1, 3947985996 }, { 159252439, 3, 10, 0, 12, 1, 1911027415 },
	{ 342098916, 5, 10, 0, 12, 1, 4105186020 }, { 97970344, 8, 10, 0, 12, 1, 1175645096 },
	{ 214995572, 8, 10, 0, 12, 1, 2579948404 }, { 101289661, 7, 10, 0, 12, 1, 1215475645 },
	{ 40424079, 7, 10, 0, 12, 1, 485088911 }, { 231458716, 7, 10, 0, 12, 1, 2777503900 },
};

/* Expect_Fail_Table of the same script: each must fail at least one direction. */
static const struct linux_vec linux_fail_vectors[] = {
	{ 544, 3, 2, 0, 4, 1, 2080 }, { 544, 2, 2, 0, 4, 1, 2336 }, { 544, 1, 2, 0, 4, 1, 2592 },
	{ 272, 1, 2, 0, 4, 1, 2064 }, { 528, 2, 1, 0, 4, 1, 4112 }, { 32, 4, 10, 0, 12, 1, 1156 },
	{ 32, 5, 10, 0, 12, 1, 1112 }, { 32, 6, 10, 0, 12, 1, 1168 }, { 32, 7, 10, 0, 12, 1, 1124 },
};

static struct ileave linux_set(const struct linux_vec *v)
{
	struct ileave il = mk(0, ileave_eniw_to_ways(v->eiw), ileave_ig_to_gran(v->eig));

	if (v->xor) {
		il.arith = ILEAVE_XOR;
		il.nr_xormaps = ileave_xormaps_needed(v->hb_ways);
		memcpy(il.xormaps, guide_xormaps, sizeof(guide_xormaps));
	}
	return il;
}

static bool linux_vec_holds(const struct linux_vec *v)
{
	struct ileave il = linux_set(v);

	if (ileave_check(&il) != ILEAVE_OK || v->pos >= il.ways)
		return false;
	return ileave_dpa_to_hpa(&il, v->pos, v->dpa) == v->hpa &&
	       ileave_hpa_to_dpa(&il, v->hpa) == v->dpa && ileave_hpa_to_pos(&il, v->hpa) == v->pos;
}

static void test_linux_vectors(void **state)
{
	for (size_t i = 0; i < ARRAY_SIZE(linux_vectors); i++)
		if (!linux_vec_holds(&linux_vectors[i]))
			fail_msg("vector %zu (dpa %llu pos %u) does not hold", i,
				 (unsigned long long)linux_vectors[i].dpa, linux_vectors[i].pos);
	for (size_t i = 0; i < ARRAY_SIZE(linux_fail_vectors); i++)
		assert_false(linux_vec_holds(&linux_fail_vectors[i]));
}

/* Bases: one 3-aligned in granules, one that is not (0x290000000 / 256 = 2 mod 3). */
static const uint64_t bases[] = { 0, 0x290000000ULL };

static void round_trip_one(const struct ileave *il)
{
	for (int i = 0; i < 10000; i++) {
		uint64_t off = rng() & (BIT_ULL(44) - 1);
		unsigned pos = ileave_hpa_to_pos(il, off);
		uint64_t dpa = ileave_hpa_to_dpa(il, off);

		assert_true(pos < il->ways);
		assert_true(dpa <= off);
		if (ileave_dpa_to_hpa(il, pos, dpa) != off)
			fail_msg("ways %u gran %u arith %d base %#llx: %#llx -> (%u, %#llx) -> %#llx",
				 il->ways, il->granularity, il->arith, (unsigned long long)il->base,
				 (unsigned long long)off, pos, (unsigned long long)dpa,
				 (unsigned long long)ileave_dpa_to_hpa(il, pos, dpa));
		/* And the other way round, from a random device address. */
		pos = rng() % il->ways;
		dpa = rng() & (BIT_ULL(38) - 1);
		off = ileave_dpa_to_hpa(il, pos, dpa);
		assert_int_equal(ileave_hpa_to_pos(il, off), pos);
		assert_int_equal(ileave_hpa_to_dpa(il, off), dpa);
	}
}

static void test_round_trip_all_combinations(void **state)
{
	for (size_t b = 0; b < ARRAY_SIZE(bases); b++)
		for (size_t w = 0; w < ARRAY_SIZE(all_ways); w++)
			for (size_t g = 0; g < ARRAY_SIZE(all_grans); g++) {
				struct ileave mod = mk(bases[b], all_ways[w], all_grans[g]);
				struct ileave xor = mk_xor(bases[b], all_ways[w], all_grans[g]);

				assert_int_equal(ileave_check(&mod), ILEAVE_OK);
				assert_int_equal(ileave_check(&xor), ILEAVE_OK);
				round_trip_one(&mod);
				round_trip_one(&xor);
			}
}

/*
 * On a prefix of ways x ROWS granules every position receives exactly ROWS
 * granules and they land on DPA rows 0..ROWS-1 once each: no two HPAs share
 * a (pos, DPA) and nothing is left out. The prefix is taken at offset 0 and
 * at a high offset where the XOR maps see set address bits.
 */
#define ROWS 48

static void bijection_one(const struct ileave *il, uint64_t start_row)
{
	uint8_t seen[ILEAVE_MAX_WAYS][ROWS];
	uint64_t g = il->granularity, start = start_row * il->ways * g;

	memset(seen, 0, sizeof(seen));
	for (uint64_t c = 0; c < (uint64_t)il->ways * ROWS; c++) {
		uint64_t off = start + c * g + (c * 64) % g;
		unsigned pos = ileave_hpa_to_pos(il, off);
		uint64_t row = ileave_hpa_to_dpa(il, off) / g - start_row;

		assert_true(pos < il->ways);
		assert_true(row < ROWS);
		assert_int_equal(seen[pos][row], 0);
		seen[pos][row] = 1;
		/* Every byte of a granule goes to the same place. */
		assert_int_equal(ileave_hpa_to_pos(il, off | (g - 1)), pos);
		assert_int_equal(ileave_hpa_to_pos(il, off & ~(g - 1)), pos);
	}
}

static void test_bijection_on_prefix(void **state)
{
	for (size_t b = 0; b < ARRAY_SIZE(bases); b++)
		for (size_t w = 0; w < ARRAY_SIZE(all_ways); w++)
			for (size_t g = 0; g < ARRAY_SIZE(all_grans); g++) {
				struct ileave mod = mk(bases[b], all_ways[w], all_grans[g]);
				struct ileave xor = mk_xor(bases[b], all_ways[w], all_grans[g]);
				uint64_t high_row = 0x5a5a5ULL << 10;

				bijection_one(&mod, 0);
				bijection_one(&xor, 0);
				bijection_one(&mod, high_row);
				bijection_one(&xor, high_row);
			}
}

/* The spec's per-way formulas, written out independently of the implementation. */
static void test_position_formulas(void **state)
{
	for (int i = 0; i < 20000; i++) {
		uint64_t hpa = (rng() & (BIT_ULL(48) - 1)) & ~0xffULL;
		uint64_t c = hpa >> 8;
		struct ileave il6 = mk(0, 6, 256), il12 = mk(0, 12, 256), il3 = mk(0, 3, 256);
		struct ileave x4 = mk(0, 4, 256);

		/* 6-way: HPA[8] + 2 * (HPA[51:9] mod 3); 12-way: HPA[9:8] + 4 * (HPA[51:10] mod 3). */
		assert_int_equal(ileave_hpa_to_pos(&il6, hpa), (c & 1) + 2 * ((c >> 1) % 3));
		assert_int_equal(ileave_hpa_to_pos(&il12, hpa), (c & 3) + 4 * ((c >> 2) % 3));
		assert_int_equal(ileave_hpa_to_pos(&il3, hpa), c % 3);
		assert_int_equal(ileave_hpa_to_dpa(&il6, hpa), (c / 6) << 8);
		assert_int_equal(ileave_hpa_to_dpa(&il12, hpa), (c / 12) << 8);
		/* XOR: bit i of the position is XORALLBITS(HPA & XORMAP[i]). */
		x4.arith = ILEAVE_XOR;
		x4.nr_xormaps = 2;
		x4.xormaps[0] = guide_xormaps[0];
		x4.xormaps[1] = guide_xormaps[1];
		assert_int_equal(ileave_hpa_to_pos(&x4, hpa),
				 __builtin_parityll(hpa & guide_xormaps[0]) |
					 __builtin_parityll(hpa & guide_xormaps[1]) << 1);
		assert_int_equal(ileave_hpa_to_dpa(&x4, hpa), (c >> 2) << 8);
	}
}

/*
 * 3/6/12 ways at non-zero bases, granularities 256 B to 16 KiB: HPA offset ->
 * (position, DPA offset), computed from the spec's formulas (position =
 * HPA[g+k-1:g] + 2^k * (HPA[51:g+k] mod 3) on the absolute HPA; DPA offset =
 * (HPAOffset[51:g+k] / 3) : HPAOffset[g-1:0]) by hand, with a few lines of
 * Python that share nothing with either C implementation. Per set: the first
 * three granules, the last byte of the first row, a granule in row 5, and one
 * far offset. By eye: 0x290000000 is chunk 0x2900000 = 2 mod 3 at 256 B, so
 * offset 0 of a 3-way set is position 2 and offset 0x100 position 0, both DPA 0.
 */
struct nz_kat {
	uint64_t base;
	unsigned ways, gran;
	uint64_t off;
	unsigned pos;
	uint64_t dpa;
};

static const struct nz_kat mod3_vectors[] = {
	{ 0x290000000ULL, 3, 256, 0x0, 2, 0x0 }, { 0x290000000ULL, 3, 256, 0x100, 0, 0x0 },
	{ 0x290000000ULL, 3, 256, 0x240, 1, 0x40 }, { 0x290000000ULL, 3, 256, 0x2f8, 1, 0xf8 },
	{ 0x290000000ULL, 3, 256, 0x1218, 2, 0x618 }, { 0x290000000ULL, 3, 256, 0x2797d76d8, 2, 0xd329d2d8 },
	{ 0x290000000ULL, 3, 4096, 0x0, 2, 0x0 }, { 0x290000000ULL, 3, 4096, 0x1000, 0, 0x0 },
	{ 0x290000000ULL, 3, 4096, 0x2040, 1, 0x40 }, { 0x290000000ULL, 3, 4096, 0x2ff8, 1, 0xff8 },
	{ 0x290000000ULL, 3, 4096, 0x12018, 2, 0x6018 }, { 0x290000000ULL, 3, 4096, 0x2aa99e078, 2, 0xe388a078 },
	{ 0x450000000ULL, 3, 16384, 0x0, 0, 0x0 }, { 0x450000000ULL, 3, 16384, 0x4000, 1, 0x0 },
	{ 0x450000000ULL, 3, 16384, 0x8040, 2, 0x40 }, { 0x450000000ULL, 3, 16384, 0xbff8, 2, 0x3ff8 },
	{ 0x450000000ULL, 3, 16384, 0x48018, 0, 0x18018 }, { 0x450000000ULL, 3, 16384, 0x3248174e0, 1, 0x10c2b34e0 },
	{ 0x1000000000ULL, 6, 512, 0x0, 2, 0x0 }, { 0x1000000000ULL, 6, 512, 0x200, 3, 0x0 },
	{ 0x1000000000ULL, 6, 512, 0x440, 4, 0x40 }, { 0x1000000000ULL, 6, 512, 0xbf8, 1, 0x1f8 },
	{ 0x1000000000ULL, 6, 512, 0x4218, 5, 0xa18 }, { 0x1000000000ULL, 6, 512, 0x35fefe910, 0, 0x8ffd5110 },
	{ 0x330000000ULL, 6, 2048, 0x0, 0, 0x0 }, { 0x330000000ULL, 6, 2048, 0x800, 1, 0x0 },
	{ 0x330000000ULL, 6, 2048, 0x1040, 2, 0x40 }, { 0x330000000ULL, 6, 2048, 0x2ff8, 5, 0x7f8 },
	{ 0x330000000ULL, 6, 2048, 0x10818, 3, 0x2818 }, { 0x330000000ULL, 6, 2048, 0x3cf72f858, 1, 0xa2932858 },
	{ 0x290000000ULL, 6, 8192, 0x0, 4, 0x0 }, { 0x290000000ULL, 6, 8192, 0x2000, 5, 0x0 },
	{ 0x290000000ULL, 6, 8192, 0x4040, 0, 0x40 }, { 0x290000000ULL, 6, 8192, 0xbff8, 3, 0x1ff8 },
	{ 0x290000000ULL, 6, 8192, 0x42018, 1, 0xa018 }, { 0x290000000ULL, 6, 8192, 0x199f916b0, 0, 0x445436b0 },
	{ 0x450000000ULL, 12, 256, 0x0, 0, 0x0 }, { 0x450000000ULL, 12, 256, 0x100, 1, 0x0 },
	{ 0x450000000ULL, 12, 256, 0x240, 2, 0x40 }, { 0x450000000ULL, 12, 256, 0xbf8, 11, 0xf8 },
	{ 0x450000000ULL, 12, 256, 0x3f18, 3, 0x518 }, { 0x450000000ULL, 12, 256, 0x8ee58b00, 3, 0xbe87600 },
	{ 0x1230000000ULL, 12, 1024, 0x0, 0, 0x0 }, { 0x1230000000ULL, 12, 1024, 0x400, 1, 0x0 },
	{ 0x1230000000ULL, 12, 1024, 0x840, 2, 0x40 }, { 0x1230000000ULL, 12, 1024, 0x2ff8, 11, 0x3f8 },
	{ 0x1230000000ULL, 12, 1024, 0xfc18, 3, 0x1418 }, { 0x1230000000ULL, 12, 1024, 0x270a76e48, 11, 0x340df248 },
	{ 0x290000000ULL, 12, 16384, 0x0, 8, 0x0 }, { 0x290000000ULL, 12, 16384, 0x4000, 9, 0x0 },
	{ 0x290000000ULL, 12, 16384, 0x8040, 10, 0x40 }, { 0x290000000ULL, 12, 16384, 0x2fff8, 7, 0x3ff8 },
	{ 0x290000000ULL, 12, 16384, 0xfc018, 11, 0x14018 }, { 0x290000000ULL, 12, 16384, 0x2298a59f8, 1, 0x2e20d9f8 },
};

/*
 * XOR windows at non-zero bases whose maps reach above bit 28, so the base
 * itself changes the parity (0x130000000 & 0x220000200 has one bit set):
 * position bit i = XORALLBITS(HPA & XORMAP[i]), plus the mod-3 term for 6 and
 * 12 ways; the DPA offset is the modulo one. Computed as above.
 */
struct xor_kat {
	uint64_t base;
	unsigned ways, gran;
	uint64_t maps[3];
	uint64_t off;
	unsigned pos;
	uint64_t dpa;
};

static const struct xor_kat xor_vectors[] = {
	{ 0x130000000ULL, 4, 256, { 0x110000100, 0x220000200 }, 0x0, 2, 0x0 },
	{ 0x130000000ULL, 4, 256, { 0x110000100, 0x220000200 }, 0x100, 3, 0x0 },
	{ 0x130000000ULL, 4, 256, { 0x110000100, 0x220000200 }, 0x240, 0, 0x40 },
	{ 0x130000000ULL, 4, 256, { 0x110000100, 0x220000200 }, 0x3f8, 1, 0xf8 },
	{ 0x130000000ULL, 4, 256, { 0x110000100, 0x220000200 }, 0x1d28, 3, 0x728 },
	{ 0x130000000ULL, 4, 256, { 0x110000100, 0x220000200 }, 0x1e7edd860, 2, 0x79fb7660 },
	{ 0x130000000ULL, 12, 1024, { 0x110000400, 0x220000800 }, 0x0, 6, 0x0 },
	{ 0x130000000ULL, 12, 1024, { 0x110000400, 0x220000800 }, 0x400, 7, 0x0 },
	{ 0x130000000ULL, 12, 1024, { 0x110000400, 0x220000800 }, 0x840, 4, 0x40 },
	{ 0x130000000ULL, 12, 1024, { 0x110000400, 0x220000800 }, 0x2ff8, 1, 0x3f8 },
	{ 0x130000000ULL, 12, 1024, { 0x110000400, 0x220000800 }, 0x15428, 7, 0x1c28 },
	{ 0x130000000ULL, 12, 1024, { 0x110000400, 0x220000800 }, 0x1d19e3220, 3, 0x26cd2e20 },
	{ 0x3d0000000ULL, 8, 4096, { 0x10001000, 0x220002000, 0x440004000 }, 0x0, 7, 0x0 },
	{ 0x3d0000000ULL, 8, 4096, { 0x10001000, 0x220002000, 0x440004000 }, 0x1000, 6, 0x0 },
	{ 0x3d0000000ULL, 8, 4096, { 0x10001000, 0x220002000, 0x440004000 }, 0x2040, 5, 0x40 },
	{ 0x3d0000000ULL, 8, 4096, { 0x10001000, 0x220002000, 0x440004000 }, 0x7ff8, 0, 0xff8 },
	{ 0x3d0000000ULL, 8, 4096, { 0x10001000, 0x220002000, 0x440004000 }, 0x39028, 6, 0x7028 },
	{ 0x3d0000000ULL, 8, 4096, { 0x10001000, 0x220002000, 0x440004000 }, 0xd7a7bf58, 5, 0x1af4ff58 },
	{ 0x3d0000000ULL, 6, 256, { 0x1f0000100 }, 0x0, 4, 0x0 },
	{ 0x3d0000000ULL, 6, 256, { 0x1f0000100 }, 0x100, 5, 0x0 },
	{ 0x3d0000000ULL, 6, 256, { 0x1f0000100 }, 0x240, 0, 0x40 },
	{ 0x3d0000000ULL, 6, 256, { 0x1f0000100 }, 0x5f8, 3, 0xf8 },
	{ 0x3d0000000ULL, 6, 256, { 0x1f0000100 }, 0x2b28, 5, 0x728 },
	{ 0x3d0000000ULL, 6, 256, { 0x1f0000100 }, 0x18248f800, 3, 0x40617e00 },
};

static void check_nz(const struct ileave *il, uint64_t off, unsigned pos, uint64_t dpa, size_t row)
{
	struct ref_set ref = { .ways = il->ways, .granularity = il->granularity, .xor_arith = il->arith == ILEAVE_XOR };

	memcpy(ref.xormap, il->xormaps, sizeof(ref.xormap));
	if (ileave_check(il) != ILEAVE_OK || ileave_hpa_to_pos(il, off) != pos || ileave_hpa_to_dpa(il, off) != dpa ||
	    ileave_dpa_to_hpa(il, pos, dpa) != off)
		fail_msg("row %zu: base %#llx %u ways x %u B offset %#llx: cxlval says (%u, %#llx), by hand (%u, %#llx)",
			 row, (unsigned long long)il->base, il->ways, il->granularity, (unsigned long long)off,
			 ileave_hpa_to_pos(il, off), (unsigned long long)ileave_hpa_to_dpa(il, off), pos,
			 (unsigned long long)dpa);
	/* The test oracle's reference must give the same answers. */
	assert_int_equal(ref_target(&ref, il->base + off), pos);
	assert_int_equal(ref_dpa_offset(il->ways, il->granularity, off), dpa);
}

static void test_nonzero_base_known_answers(void **state)
{
	for (size_t i = 0; i < ARRAY_SIZE(mod3_vectors); i++) {
		const struct nz_kat *v = &mod3_vectors[i];
		struct ileave il = mk(v->base, v->ways, v->gran);

		check_nz(&il, v->off, v->pos, v->dpa, i);
	}
	for (size_t i = 0; i < ARRAY_SIZE(xor_vectors); i++) {
		const struct xor_kat *v = &xor_vectors[i];
		struct ileave il = mk(v->base, v->ways, v->gran);

		il.arith = ILEAVE_XOR;
		il.nr_xormaps = ileave_xormaps_needed(v->ways);
		memcpy(il.xormaps, v->maps, sizeof(v->maps));
		check_nz(&il, v->off, v->pos, v->dpa, i);
	}
}

/* Position selection uses the absolute HPA: a 3-way set at 0x290000000 does not start at 0. */
static void test_mod3_unaligned_base(void **state)
{
	struct ileave il = mk(0x290000000ULL, 3, 256);
	unsigned first = (0x290000000ULL >> 8) % 3;

	assert_int_equal(first, 2);
	assert_int_equal(ileave_hpa_to_pos(&il, 0), 2);
	assert_int_equal(ileave_hpa_to_pos(&il, 0x100), 0);
	assert_int_equal(ileave_hpa_to_pos(&il, 0x200), 1);
	/* All three granules of the first row land on DPA row 0. */
	assert_int_equal(ileave_hpa_to_dpa(&il, 0x0), 0);
	assert_int_equal(ileave_hpa_to_dpa(&il, 0x200), 0);
	assert_int_equal(ileave_hpa_to_dpa(&il, 0x300), 0x100);
	assert_int_equal(ileave_dpa_to_hpa(&il, 0, 0), 0x100);
	assert_int_equal(ileave_dpa_to_hpa(&il, 1, 0x10), 0x210);
	assert_int_equal(ileave_dpa_to_hpa(&il, 0, 0x100), 0x400);
}

/* ---- routing through a decoder tree ---- */

static void add_node(struct ileave_route *r, struct ileave il, uint64_t size, int endpoint,
		     uint64_t dpa_base)
{
	assert_true(ileave_route_add(r, &il, size, endpoint, dpa_base) >= 0);
}

#define WBASE 0x290000000ULL
#define SZ_512M (2 * SZ_256M)

/* QEMU "across host bridges at 8 KiB": root 2-way, each host bridge 1-way, endpoints 2-way. */
static void build_across_hb(struct ileave_route *r, uint64_t dpa_base)
{
	memset(r, 0, sizeof(*r));
	add_node(r, mk(WBASE, 2, 8192), 4 * SZ_1G, -1, 0);
	add_node(r, mk(WBASE, 1, 16384), SZ_512M, -1, 0);
	add_node(r, mk(WBASE, 1, 16384), SZ_512M, -1, 0);
	add_node(r, mk(WBASE, 2, 8192), SZ_512M, 0, dpa_base);
	add_node(r, mk(WBASE, 2, 8192), SZ_512M, 1, dpa_base);
	r->node[0].target[0] = 1;
	r->node[0].target[1] = 2;
	r->node[1].target[0] = 3;
	r->node[2].target[0] = 4;
}

static void test_route_known_answers(void **state)
{
	static const struct {
		uint64_t off;
		unsigned ep;
		uint64_t dpa;
	} kat[] = { { 0x1000, 0, 0x1000 }, { 0x3000, 1, 0x1000 }, { 0x5000, 0, 0x3000 } };
	struct ileave_route r;
	unsigned ep;
	uint64_t dpa, hpa;

	build_across_hb(&r, 0);
	for (size_t i = 0; i < ARRAY_SIZE(kat); i++) {
		assert_int_equal(ileave_route_hpa(&r, WBASE + kat[i].off, &ep, &dpa), ROUTE_OK);
		assert_int_equal(ep, kat[i].ep);
		assert_int_equal(dpa, kat[i].dpa);
		assert_int_equal(ileave_route_dpa(&r, kat[i].ep, kat[i].dpa, &hpa), ROUTE_OK);
		assert_int_equal(hpa, WBASE + kat[i].off);
	}
	/* A decoder's DPA base shifts every answer by the same amount. */
	build_across_hb(&r, SZ_256M);
	assert_int_equal(ileave_route_hpa(&r, WBASE + 0x3000, &ep, &dpa), ROUTE_OK);
	assert_int_equal(dpa, SZ_256M + 0x1000);
	assert_int_equal(ileave_route_dpa(&r, 1, SZ_256M + 0x1000, &hpa), ROUTE_OK);
	assert_int_equal(hpa, WBASE + 0x3000);
	assert_int_equal(ileave_route_dpa(&r, 1, 0x1000, &hpa), ROUTE_DPA_RANGE);
}

/*
 * A 3-way window over host bridges that each interleave 2 ways (region 6):
 * the host bridge selects on HPA bit 8 (granularity 256 x 3/3), the window on
 * chunk mod 3. Every HPA must come back from its (endpoint, DPA).
 */
static void test_route_mod3_two_levels(void **state)
{
	struct ileave_route r;
	uint8_t seen[6][64];

	memset(&r, 0, sizeof(r));
	add_node(&r, mk(WBASE, 3, 256), 3 * SZ_1G, -1, 0);
	for (int hb = 0; hb < 3; hb++) {
		add_node(&r, mk(WBASE, 2, 256), 3 * SZ_512M, -1, 0);
		r.node[0].target[hb] = r.nr_nodes - 1;
	}
	for (int ep = 0; ep < 6; ep++) {
		add_node(&r, mk(WBASE, 6, 256), 3 * SZ_512M, ep, 0);
		r.node[1 + ep / 2].target[ep % 2] = r.nr_nodes - 1;
	}
	memset(seen, 0, sizeof(seen));
	for (uint64_t off = 0; off < 6 * 64 * 256; off += 256) {
		unsigned ep;
		uint64_t dpa, hpa;

		assert_int_equal(ileave_route_hpa(&r, WBASE + off, &ep, &dpa), ROUTE_OK);
		assert_true(dpa / 256 < 64);
		assert_int_equal(seen[ep][dpa / 256], 0);
		seen[ep][dpa / 256] = 1;
		assert_int_equal(ileave_route_dpa(&r, ep, dpa + 0x42, &hpa), ROUTE_OK);
		assert_int_equal(hpa, WBASE + off + 0x42);
	}
}

static void test_route_errors(void **state)
{
	struct ileave_route r;
	unsigned ep;
	uint64_t dpa, hpa;

	memset(&r, 0, sizeof(r));
	assert_int_equal(ileave_route_hpa(&r, WBASE, &ep, &dpa), ROUTE_NO_TARGET);

	build_across_hb(&r, 0);
	assert_int_equal(ileave_route_hpa(&r, WBASE - 1, &ep, &dpa), ROUTE_UNDECODED);
	assert_int_equal(ileave_route_hpa(&r, WBASE + 4 * SZ_1G, &ep, &dpa), ROUTE_UNDECODED);
	/* Inside the window but past the host bridge decoders. */
	assert_int_equal(ileave_route_hpa(&r, WBASE + SZ_1G, &ep, &dpa), ROUTE_UNDECODED);
	assert_int_equal(ileave_route_dpa(&r, 7, 0, &hpa), ROUTE_NO_ENDPOINT);
	assert_int_equal(ileave_route_dpa(&r, 0, SZ_256M, &hpa), ROUTE_DPA_RANGE);

	/* Host bridge 1 lost its target: position 1 goes nowhere, endpoint 1 is unreachable. */
	r.node[2].target[0] = -1;
	assert_int_equal(ileave_route_hpa(&r, WBASE + 0x2000, &ep, &dpa), ROUTE_NO_TARGET);
	assert_int_equal(ileave_route_dpa(&r, 1, 0, &hpa), ROUTE_UNREACHABLE);
	r.node[2].target[0] = 99;
	assert_int_equal(ileave_route_hpa(&r, WBASE + 0x2000, &ep, &dpa), ROUTE_NO_TARGET);

	/* Both host bridges send to endpoint 0: two HPAs per DPA. */
	r.node[2].target[0] = 3;
	assert_int_equal(ileave_route_dpa(&r, 0, 0, &hpa), ROUTE_ALIASED);

	/* A loop. */
	r.node[2].target[0] = 2;
	assert_int_equal(ileave_route_hpa(&r, WBASE + 0x2000, &ep, &dpa), ROUTE_TOO_DEEP);

	/* The node array reports when it is full. */
	{
		struct ileave il = mk(0, 1, 256);

		while (r.nr_nodes < ILEAVE_ROUTE_MAX_NODES)
			add_node(&r, il, SZ_256M, -1, 0);
		assert_int_equal(ileave_route_add(&r, &il, SZ_256M, -1, 0), -1);
	}

	assert_string_equal(ileave_route_error_name(ROUTE_ALIASED), "aliased");
	assert_string_equal(ileave_route_error_name(ROUTE_OK), "ok");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_encodings),
		cmocka_unit_test(test_check),
		cmocka_unit_test(test_qemu_known_answers),
		cmocka_unit_test(test_linux_vectors),
		cmocka_unit_test(test_round_trip_all_combinations),
		cmocka_unit_test(test_bijection_on_prefix),
		cmocka_unit_test(test_position_formulas),
		cmocka_unit_test(test_mod3_unaligned_base),
		cmocka_unit_test(test_nonzero_base_known_answers),
		cmocka_unit_test(test_route_known_answers),
		cmocka_unit_test(test_route_mod3_two_levels),
		cmocka_unit_test(test_route_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
