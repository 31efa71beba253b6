// SPDX-License-Identifier: MIT
/*
 * The frame allocator: unit cases, then 1,000 random maps and random
 * alloc/free sequences checked against the invariants: nothing handed out
 * twice, nothing outside what was given, nothing over a forbidden range,
 * freeing everything restores the pool, and coalescing restores the largest block.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "mm/addrmap.h"
#include "unit/support/rng.h"
#include "mm/frame_alloc.h"

#define K4 4096ULL
#define M (1ULL << 20)

static struct extent pool[512], freel[512];
static struct map_range ranges[512];
static struct frame_alloc fa;
static struct addrmap map;

static void test_basic_alloc_free_coalesce(void **state)
{
	struct frame_stats st;
	uint64_t a, b, c;

	frame_alloc_init(&fa, pool, freel, 512);
	assert_int_equal(frame_alloc_give(&fa, 16 * M + 100, 4 * M, NULL, 0), 4 * M - K4); /* partial frames dropped */
	a = frame_alloc(&fa, K4, K4);
	b = frame_alloc(&fa, 3 * K4, 2 * M);
	c = frame_alloc(&fa, 1, K4);
	assert_int_equal(a, 16 * M + K4);
	assert_int_equal(b % (2 * M), 0);
	assert_true(c && c != a && c != b);
	assert_int_equal(frame_alloc(&fa, 64 * M, K4), 0);
	assert_int_equal(frame_alloc(&fa, K4, 3 * K4), 0); /* not a power of two */
	assert_int_equal(frame_free(&fa, b, 3 * K4), 0);
	assert_int_equal(frame_free(&fa, b, 3 * K4), -1); /* double free */
	assert_int_equal(frame_free(&fa, 1 * M, K4), -1);  /* never given */
	assert_int_equal(frame_free(&fa, a + 1, K4), -1);  /* unaligned */
	assert_int_equal(frame_free(&fa, a, K4), 0);
	assert_int_equal(frame_free(&fa, c, K4), 0);
	frame_alloc_stats(&fa, &st);
	assert_int_equal(st.free, st.total);
	assert_int_equal(st.largest_free, st.total);
	assert_int_equal(st.allocations, 0);
}

static void test_never_over_a_window_or_firmware_range(void **state)
{
	struct frame_stats st;

	addrmap_init(&map, ranges, 512);
	addrmap_add_span(&map, MAP_WINDOW, 8 * M, 4 * M, 0, 0, 0);
	addrmap_add_span(&map, MAP_FIRMWARE, 20 * M, M, 0, 0, 0);
	addrmap_add_span(&map, MAP_SELF, 2 * M, M, 0, 0, 0); /* not forbidden below */
	frame_alloc_init(&fa, pool, freel, 512);
	assert_int_equal(frame_alloc_give(&fa, 0, 32 * M, &map, MAP_BIT(MAP_WINDOW) | MAP_BIT(MAP_FIRMWARE)),
			 27 * M);
	frame_alloc_stats(&fa, &st);
	assert_int_equal(st.largest_free, 11 * M); /* [21 MiB, 32 MiB) */
	for (uint64_t a; (a = frame_alloc(&fa, M, M));)
		assert_false(ranges_intersect(a, a + M - 1, 8 * M, 12 * M - 1) ||
			     ranges_intersect(a, a + M - 1, 20 * M, 21 * M - 1));
}

static struct test_rng rng = { 0x243f6a8885a308d3ULL };

static uint64_t rnd(void)
{
	return test_rng_next(&rng);
}

struct live {
	uint64_t addr, size;
};

static void test_random_maps_keep_invariants(void **state)
{
	static struct live live[256];

	for (int round = 0; round < 1000; round++) {
		uint64_t seed = rng.state, given = 0;
		struct frame_stats before, after;
		size_t nlive = 0, nforbid = 1 + rnd() % 20;

		addrmap_init(&map, ranges, 512);
		for (size_t i = 0; i < nforbid; i++)
			addrmap_add_span(&map, rnd() % 2 ? MAP_WINDOW : MAP_FIRMWARE, (rnd() % 1024) * K4 * 16,
					 (1 + rnd() % 64) * K4, 0, 0, (int)i);
		frame_alloc_init(&fa, pool, freel, 512);
		for (int g = 0; g < 3; g++)
			given += frame_alloc_give(&fa, (uint64_t)g * 64 * M + rnd() % (16 * M), (1 + rnd() % 32) * M,
						  &map, MAP_BIT(MAP_WINDOW) | MAP_BIT(MAP_FIRMWARE));
		frame_alloc_stats(&fa, &before);
		assert_int_equal(before.total, given);
		for (int op = 0; op < 300; op++) {
			if (nlive < 256 && rnd() % 3) {
				uint64_t size = (1 + rnd() % 16) * K4, align = K4 << (rnd() % 6);
				uint64_t a = frame_alloc(&fa, size, align);

				if (!a)
					continue;
				if (a % align)
					fail_msg("seed 0x%llx: misaligned", (unsigned long long)seed);
				if (addrmap_overlaps(&map, a, a + size - 1, MAP_BIT(MAP_WINDOW) | MAP_BIT(MAP_FIRMWARE),
						     NULL, NULL))
					fail_msg("seed 0x%llx: 0x%llx over a forbidden range", (unsigned long long)seed,
						 (unsigned long long)a);
				for (size_t j = 0; j < nlive; j++)
					if (ranges_intersect(a, a + size - 1, live[j].addr,
							     live[j].addr + live[j].size - 1))
						fail_msg("seed 0x%llx: 0x%llx handed out twice", (unsigned long long)seed,
							 (unsigned long long)a);
				live[nlive++] = (struct live){ a, size };
			} else if (nlive) {
				size_t j = rnd() % nlive;

				assert_int_equal(frame_free(&fa, live[j].addr, live[j].size), 0);
				live[j] = live[--nlive];
			}
		}
		while (nlive) {
			nlive--;
			assert_int_equal(frame_free(&fa, live[nlive].addr, live[nlive].size), 0);
		}
		frame_alloc_stats(&fa, &after);
		if (after.free != before.total || after.largest_free != before.largest_free || after.allocations)
			fail_msg("seed 0x%llx: free 0x%llx of 0x%llx after freeing everything", (unsigned long long)seed,
				 (unsigned long long)after.free, (unsigned long long)before.total);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_basic_alloc_free_coalesce),
		cmocka_unit_test(test_never_over_a_window_or_firmware_range),
		cmocka_unit_test(test_random_maps_keep_invariants),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
