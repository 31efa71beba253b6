// SPDX-License-Identifier: MIT
/*
 * The address map and the conflict report: every shape once (table-driven),
 * the Linux verdict for each firmware class, and random maps checked against
 * a brute-force oracle.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "lib/firmware.h"
#include "mm/addrmap.h"
#include "unit/support/rng.h"
#include "mm/conflict.h"

#define M (1ULL << 20)
#define G (1ULL << 30)
#define WIN (0x290000000ULL)

static struct map_range storage[20000];
static struct addrmap map;
static struct conflict_report rep;

static void fresh(void)
{
	addrmap_init(&map, storage, sizeof(storage) / sizeof(storage[0]));
}

static void fw(uint64_t start, uint64_t size, uint32_t type, uint64_t attr, int index)
{
	assert_true(addrmap_add_span(&map, MAP_FIRMWARE, start, size, type, attr, index));
}

static void window(uint64_t start, uint64_t size, int index)
{
	assert_true(addrmap_add_span(&map, MAP_WINDOW, start, size, 0, 0, index));
}

struct shape_case {
	const char *name;
	uint64_t fw_start, fw_size;
	uint32_t type;
	uint64_t attr;
	enum conflict_shape shape;
	uint64_t bytes;
	enum linux_verdict verdict;
};

static const struct shape_case shapes[] = {
	{ "all of the window, soft reserved", WIN, 4 * G, FW_MEM_CONVENTIONAL, FW_MEM_ATTR_SP, SHAPE_EXACT, 4 * G,
	  LV_HMEM_DEFERRED },
	{ "head, RAM", WIN, 256 * M, FW_MEM_CONVENTIONAL, 0, SHAPE_FW_INSIDE_WINDOW, 256 * M,
	  LV_REGION_BLOCKED_BY_SYSTEM_RAM },
	{ "tail, reserved", WIN + 4 * G - 256 * M, 256 * M, FW_MEM_RESERVED, 0, SHAPE_FW_INSIDE_WINDOW, 256 * M,
	  LV_RESERVED_NESTED },
	{ "middle, persistent", WIN + G, 512 * M, FW_MEM_PERSISTENT, 0, SHAPE_FW_INSIDE_WINDOW, 512 * M,
	  LV_PMEM_CLAIMS_WINDOW },
	{ "merged with RAM below", WIN - 256 * M, 512 * M, FW_MEM_CONVENTIONAL, 0, SHAPE_PARTIAL_HEAD, 256 * M,
	  LV_INSERT_RESOURCE_EBUSY },
	{ "runs past the tail, reserved", WIN + 4 * G - 256 * M, 512 * M, FW_MEM_RESERVED, 0, SHAPE_PARTIAL_TAIL,
	  256 * M, LV_EXPAND_TO_FIT_GROWS_WINDOW },
	{ "window inside soft reserved", WIN - G, 6 * G, FW_MEM_CONVENTIONAL, FW_MEM_ATTR_SP,
	  SHAPE_WINDOW_INSIDE_FW, 4 * G, LV_HMEM_PARTIAL_KEPT },
	{ "boot services data counts as RAM", WIN, 4 * G, FW_MEM_BOOT_DATA, 0, SHAPE_EXACT, 4 * G,
	  LV_REGION_BLOCKED_BY_SYSTEM_RAM },
};

static void test_each_shape(void **state)
{
	for (size_t i = 0; i < sizeof(shapes) / sizeof(shapes[0]); i++) {
		const struct shape_case *c = &shapes[i];
		const struct conflict *k;

		fresh();
		fw(0, 2 * G, FW_MEM_CONVENTIONAL, 0, 0); /* RAM far below: not a conflict */
		fw(c->fw_start, c->fw_size, c->type, c->attr, 7);
		window(WIN, 4 * G, 0);
		conflicts_find(&map, &rep);
		if (rep.count != 1)
			fail_msg("%s: %u conflicts", c->name, rep.count);
		k = &rep.c[0];
		if (k->shape != c->shape || k->bytes != c->bytes || k->verdict != c->verdict || k->fw_index != 7)
			fail_msg("%s: shape %s bytes 0x%llx verdict %s", c->name, conflict_shape_name(k->shape),
				 (unsigned long long)k->bytes, linux_verdict_name(k->verdict));
		assert_int_equal(k->overlap_last - k->overlap_start + 1, c->bytes);
	}
}

static void test_range_spanning_two_windows(void **state)
{
	fresh();
	window(WIN, 4 * G, 0);
	window(WIN + 4 * G, 4 * G, 1);
	fw(WIN + 3 * G, 2 * G, FW_MEM_RESERVED, 0, 3);
	conflicts_find(&map, &rep);
	assert_int_equal(rep.count, 2);
	for (int i = 0; i < 2; i++) {
		assert_int_equal(rep.c[i].fw_windows, 2);
		assert_int_equal(rep.c[i].verdict, LV_NEXT_WINDOW_DROPPED);
		assert_int_equal(rep.c[i].bytes, G);
	}
	assert_int_equal(rep.c[0].shape, SHAPE_PARTIAL_TAIL);
	assert_int_equal(rep.c[1].shape, SHAPE_PARTIAL_HEAD);
}

static void test_window_covering_several_ranges(void **state)
{
	fresh();
	window(WIN, 4 * G, 0);
	fw(WIN, G, FW_MEM_CONVENTIONAL, FW_MEM_ATTR_SP, 1);
	fw(WIN + G, G, FW_MEM_CONVENTIONAL, 0, 2);
	fw(WIN + 3 * G, G, FW_MEM_RESERVED, 0, 3);
	conflicts_find(&map, &rep);
	assert_int_equal(rep.count, 3);
	for (int i = 0; i < 3; i++)
		assert_int_equal(rep.c[i].window_fw_ranges, 3);
	assert_int_equal(rep.c[0].fw_index, 1);
	assert_int_equal(rep.c[2].fw_index, 3);
}

static void test_no_conflict_and_regions(void **state)
{
	fresh();
	fw(0, 2 * G, FW_MEM_CONVENTIONAL, 0, 0);
	fw(WIN - 256 * M, 256 * M, FW_MEM_RESERVED, 0, 1); /* adjacent below: touches, does not overlap */
	window(WIN, 4 * G, 0);
	conflicts_find(&map, &rep);
	assert_int_equal(rep.count, 0);
	fw(WIN + 16 * M, 4096, FW_MEM_RESERVED, 0, 2);
	assert_true(addrmap_add_span(&map, MAP_REGION, WIN, 512 * M, 0, 0, 0));
	conflicts_find(&map, &rep);
	assert_int_equal(rep.count, 2); /* against the window and against the region */
	assert_int_equal(rep.c[0].target == MAP_WINDOW ? rep.c[1].target : rep.c[0].target, MAP_REGION);
}

static void test_top_of_address_space_and_gaps(void **state)
{
	size_t n;

	fresh();
	assert_true(addrmap_add_span(&map, MAP_FIRMWARE, 0xfffffffffffff000ULL, 0x1000, 0, 0, 0));
	assert_false(addrmap_add_span(&map, MAP_FIRMWARE, 0xfffffffffffff000ULL, 0x2000, 0, 0, 0)); /* wraps */
	assert_false(addrmap_add_span(&map, MAP_FIRMWARE, 5, 0, 0, 0, 0));
	fw(0x1000, 0x1000, 0, 0, 1);
	fw(0x3000, 0x1000, 0, 0, 2);
	n = addrmap_gaps(&map, 0, ~0ULL, MAP_BIT(MAP_FIRMWARE), NULL, NULL);
	assert_int_equal(n, 3); /* [0,0xfff] [0x2000,0x2fff] [0x4000, top-0x1000) */
	assert_int_equal(addrmap_overlaps(&map, ~0ULL, ~0ULL, MAP_BIT(MAP_FIRMWARE), NULL, NULL), 1);
}

static struct test_rng rng = { 0x9e3779b97f4a7c15ULL };

static uint64_t rnd(void)
{
	return test_rng_next(&rng);
}

static void test_random_maps_match_brute_force(void **state)
{
	static struct map_range all[400];

	for (int round = 0; round < 1000; round++) {
		uint64_t seed = rng.state;
		size_t n = 1 + rnd() % 300;

		fresh();
		for (size_t i = 0; i < n; i++) {
			uint64_t start = (rnd() % 4096) << 20, size = (1 + rnd() % 2048) << 20;

			all[i] = (struct map_range){ start, start + size - 1, rnd() % 5 ? MAP_FIRMWARE : MAP_WINDOW,
						     (uint32_t)(rnd() % 15), rnd() % 2 ? FW_MEM_ATTR_SP : 0, (int)i, 0 };
			assert_true(addrmap_add(&map, &all[i]));
		}
		for (size_t i = 1; i < map.count; i++)
			assert_true(map.r[i - 1].start <= map.r[i].start);
		for (int q = 0; q < 20; q++) {
			uint64_t a = (rnd() % 6000) << 20, b = a + (rnd() % 3000 << 20);
			size_t want = 0;

			for (size_t i = 0; i < n; i++)
				want += all[i].source == MAP_FIRMWARE && ranges_intersect(all[i].start, all[i].last, a, b);
			if (addrmap_overlaps(&map, a, b, MAP_BIT(MAP_FIRMWARE), NULL, NULL) != want)
				fail_msg("seed 0x%llx: overlap count for [0x%llx, 0x%llx]", (unsigned long long)seed,
					 (unsigned long long)a, (unsigned long long)b);
			addrmap_index(&map); /* the indexed query must agree, in the same order */
			if (addrmap_overlaps(&map, a, b, MAP_BIT(MAP_FIRMWARE), NULL, NULL) != want)
				fail_msg("seed 0x%llx: indexed overlap count for [0x%llx, 0x%llx]",
					 (unsigned long long)seed, (unsigned long long)a, (unsigned long long)b);
			map.indexed = false;
		}
		{
			static struct conflict_report indexed;

			addrmap_index(&map); /* the same conflicts, in the same order, through the index */
			conflicts_find(&map, &indexed);
			conflicts_find(&map, &rep);
			map.indexed = false;
			conflicts_find(&map, &rep);
			if (memcmp(&indexed, &rep, sizeof(rep)))
				fail_msg("seed 0x%llx: indexed and scanned conflicts differ", (unsigned long long)seed);
		}
		{
			size_t want = 0;

			for (size_t i = 0; i < n; i++)
				for (size_t j = 0; j < n; j++)
					want += all[i].source == MAP_FIRMWARE && all[j].source == MAP_WINDOW &&
						ranges_intersect(all[i].start, all[i].last, all[j].start, all[j].last);
			if ((rep.overflow ? CONFLICT_MAX : rep.count) != (want > CONFLICT_MAX ? CONFLICT_MAX : want))
				fail_msg("seed 0x%llx: %u conflicts, brute force %zu", (unsigned long long)seed,
					 rep.count, want);
		}
		for (unsigned i = 0; i < rep.count; i++) {
			const struct conflict *c = &rep.c[i];

			assert_true(c->overlap_start >= c->fw_start && c->overlap_last <= c->fw_last);
			assert_true(c->overlap_start >= c->target_start && c->overlap_last <= c->target_last);
			assert_int_equal(c->shape, conflict_shape_of(c->fw_start, c->fw_last, c->target_start,
								      c->target_last));
		}
	}
}

static void test_names_are_stable(void **state)
{
	assert_string_equal(conflict_shape_name(SHAPE_PARTIAL_HEAD), "partial_head");
	assert_string_equal(fw_class_name(FW_CLASS_SOFT_RESERVED), "soft_reserved");
	assert_string_equal(linux_verdict_name(LV_INSERT_RESOURCE_EBUSY), "insert_resource_ebusy");
	for (int v = 0; v < LV_COUNT; v++)
		assert_true(strlen(linux_verdict_cost(v)) > 40 && strlen(linux_verdict_fix(v)) > 40);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_each_shape),
		cmocka_unit_test(test_range_spanning_two_windows),
		cmocka_unit_test(test_window_covering_several_ranges),
		cmocka_unit_test(test_no_conflict_and_regions),
		cmocka_unit_test(test_top_of_address_space_and_gaps),
		cmocka_unit_test(test_random_maps_match_brute_force),
		cmocka_unit_test(test_names_are_stable),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
