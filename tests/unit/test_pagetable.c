// SPDX-License-Identifier: MIT
/*
 * The page-table builder over a synthetic firmware map in a simulated
 * physical memory: firmware's tables are written by hand here (2 MiB pages
 * for the low 4 GiB with the PCI hole UC, 1 GiB pages for 4-8 GiB, no CXL
 * window), cxlval's tables are built on top and checked by walking them:
 * translations, page sizes, PAT bits, firmware's tables untouched, and tags
 * written through the window via the tables' translation.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "mm/memtype.h"
#include "mm/pagetable.h"
#include "unit/support/rng.h"

#define M (1ULL << 20)
#define G (1ULL << 30)
#define WIN 0x290000000ULL
#define FRAMES 256
#define TABLE_BASE 0x7000000ULL /* where the simulated table frames live */

/* Simulated physical memory for page tables: FRAMES frames from TABLE_BASE. */
static uint64_t frames[FRAMES][PT_ENTRIES] __attribute__((aligned(4096)));
static unsigned next_frame, frame_limit;

static uint64_t alloc_frame(void *ctx)
{
	return next_frame < frame_limit ? TABLE_BASE + PT_TABLE_SIZE * next_frame++ : 0;
}

static uint64_t *table_at(void *ctx, uint64_t phys)
{
	assert_true(phys >= TABLE_BASE && phys < TABLE_BASE + FRAMES * PT_TABLE_SIZE && !(phys & 0xfff));
	return frames[(phys - TABLE_BASE) / PT_TABLE_SIZE];
}

static uint64_t read64(void *ctx, uint64_t phys)
{
	return table_at(ctx, phys & ~0xfffULL)[(phys & 0xfff) / 8];
}

static const struct pt_ops ops = { alloc_frame, table_at, NULL };
static struct pt_builder b;
static uint64_t fw_root;
static uint64_t fw_copy[16][PT_ENTRIES];
static unsigned fw_frames;

static void reset(unsigned limit)
{
	memset(frames, 0, sizeof(frames));
	next_frame = 0;
	frame_limit = limit;
}

/*
 * Firmware's map, the way OVMF's DxeIpl lays it out without 1 GiB pages:
 * 0-4 GiB in 2 MiB pages (3-4 GiB UC through PCD|PWT = PAT 3), 4-8 GiB in
 * 1 GiB pages, the 1 GiB page at 5 GiB with the PAT bit (index 4).
 */
static void firmware_tables(void)
{
	uint64_t pml4, pdpt;

	reset(FRAMES);
	pml4 = alloc_frame(NULL);
	pdpt = alloc_frame(NULL);
	table_at(NULL, pml4)[0] = pdpt | PTE_P | PTE_RW;
	for (unsigned g = 0; g < 4; g++) {
		uint64_t pd = alloc_frame(NULL);

		table_at(NULL, pdpt)[g] = pd | PTE_P | PTE_RW;
		for (unsigned i = 0; i < PT_ENTRIES; i++)
			table_at(NULL, pd)[i] = ((uint64_t)g * G + i * 2 * M) | PTE_P | PTE_RW | PTE_PS |
						(g == 3 ? PTE_PCD | PTE_PWT : 0);
	}
	for (unsigned g = 4; g < 8; g++)
		table_at(NULL, pdpt)[g] = (uint64_t)g * G | PTE_P | PTE_RW | PTE_PS | (g == 5 ? PTE_PAT_LARGE : 0);
	fw_root = pml4;
	fw_frames = next_frame;
	memcpy(fw_copy, frames, sizeof(uint64_t) * PT_ENTRIES * fw_frames);
}

static void check_leaf(uint64_t root, unsigned levels, uint64_t va, unsigned level, unsigned pat_index)
{
	struct pt_leaf l;

	pt_translate(read64, NULL, root, levels, va, &l);
	assert_true(l.present);
	assert_int_equal(l.phys, va);
	assert_int_equal(l.level, level);
	assert_int_equal(l.pat_index, pat_index);
	assert_true(l.writable);
}

static void check_absent(uint64_t root, unsigned levels, uint64_t va)
{
	struct pt_leaf l;

	pt_translate(read64, NULL, root, levels, va, &l);
	assert_false(l.present);
}

static void test_firmware_walk_reports_the_missing_window(void **state)
{
	struct pt_summary s;
	char sizes[16];

	firmware_tables();
	pt_summarize(read64, NULL, fw_root, 4, WIN, WIN + 4 * G - 1, &s);
	assert_int_equal(s.mapped, 0);
	assert_int_equal(s.unmapped, 4 * G);
	assert_int_equal(s.first_unmapped, WIN);
	pt_summarize(read64, NULL, fw_root, 4, 0, (1ULL << 48) - 1, &s);
	assert_int_equal(s.mapped, 8 * G);
	assert_int_equal(s.last_mapped, 8 * G - 1);
	assert_int_equal(s.leaves, 4 * 512 + 4);
	assert_int_equal(s.pat_indices, 1U << 0 | 1U << 3 | 1U << 4);
	assert_true(s.identity && s.writable);
	pt_page_sizes_format(s.page_sizes, sizes, sizeof(sizes));
	assert_string_equal(sizes, "2M,1G");
}

/* Firmware's map kept, the window added with 2 MiB pages (no 1 GiB pages on this CPU). */
static void test_window_added_firmware_map_kept(void **state)
{
	struct pt_summary s;
	struct test_rng rng = { 0x7067 };

	firmware_tables();
	assert_int_equal(pt_init(&b, &ops, 4, PT_LEVEL_2M, PAT_POWER_ON, fw_root), 0);
	assert_int_equal(pt_map(&b, WIN, 4 * G, MT_WB), 0);
	assert_false(b.failed);
	/* Firmware's tables are not written: the builder cloned what it changed. */
	assert_memory_equal(fw_copy, frames, sizeof(uint64_t) * PT_ENTRIES * fw_frames);
	assert_int_equal(b.leaves[PT_LEVEL_2M], 2048);
	assert_int_equal(b.leaves[PT_LEVEL_1G], 0);
	pt_summarize(read64, NULL, b.root, 4, WIN, WIN + 4 * G - 1, &s);
	assert_int_equal(s.mapped, 4 * G);
	assert_int_equal(s.page_sizes, 1U << PT_LEVEL_2M);
	assert_int_equal(s.pat_indices, 1U << 0);
	assert_true(s.identity && s.writable);
	check_absent(b.root, 4, WIN - 4096);
	check_absent(b.root, 4, WIN + 4 * G);
	/* Every firmware translation is the same under our tables. */
	for (int i = 0; i < 5000; i++) {
		uint64_t va = test_rng_next(&rng) % (8 * G);
		struct pt_leaf fw, ours;

		pt_translate(read64, NULL, fw_root, 4, va, &fw);
		pt_translate(read64, NULL, b.root, 4, va, &ours);
		assert_true(fw.present && ours.present);
		assert_int_equal(fw.entry, ours.entry);
		assert_int_equal(fw.level, ours.level);
	}
}

static void test_one_gib_pages_where_aligned(void **state)
{
	struct pt_summary s;

	firmware_tables();
	assert_int_equal(pt_init(&b, &ops, 4, PT_LEVEL_1G, PAT_POWER_ON, fw_root), 0);
	assert_int_equal(pt_map(&b, WIN, 4 * G, MT_WB), 0);
	/* 10.25 GiB .. 11: 2 MiB; 11 .. 14: 1 GiB; 14 .. 14.25: 2 MiB. */
	check_leaf(b.root, 4, WIN, PT_LEVEL_2M, 0);
	check_leaf(b.root, 4, 11 * G, PT_LEVEL_1G, 0);
	check_leaf(b.root, 4, 13 * G + 12345, PT_LEVEL_1G, 0);
	check_leaf(b.root, 4, 14 * G, PT_LEVEL_2M, 0);
	assert_int_equal(b.leaves[PT_LEVEL_1G], 3);
	assert_int_equal(b.leaves[PT_LEVEL_2M], 512);
	pt_summarize(read64, NULL, b.root, 4, WIN, WIN + 4 * G - 1, &s);
	assert_int_equal(s.page_sizes, 1U << PT_LEVEL_2M | 1U << PT_LEVEL_1G);
}

/* The summary by translating each page from the root (the definition) against pt_summarize's one descent. */
static void reference_summary(uint64_t root, uint64_t a, uint64_t last, struct pt_summary *s)
{
	memset(s, 0, sizeof(*s));
	s->identity = s->writable = true;
	for (;;) {
		struct pt_leaf l;
		uint64_t end;

		pt_translate(read64, NULL, root, 4, a, &l);
		end = l.va + l.size - 1 < last ? l.va + l.size - 1 : last;
		if (!l.present) {
			s->first_unmapped = s->unmapped ? s->first_unmapped : a;
			s->unmapped += end - a + 1;
		} else {
			s->mapped += end - a + 1;
			s->last_mapped = end;
			s->page_sizes |= (uint8_t)(1U << l.level);
			s->pat_indices |= (uint8_t)(1U << l.pat_index);
			s->identity &= l.phys == a;
			s->writable &= l.writable;
			s->leaves++;
		}
		if (end == last)
			return;
		a = end + 1;
	}
}

static void test_summary_matches_page_by_page_walk(void **state)
{
	struct test_rng rng = { 0x5a11 };

	firmware_tables();
	assert_int_equal(pt_init(&b, &ops, 4, PT_LEVEL_1G, PAT_POWER_ON, fw_root), 0);
	assert_int_equal(pt_map(&b, WIN, 4 * G, MT_WB), 0);
	assert_int_equal(pt_map(&b, 5 * G + 0x201000, 0x2000, MT_UC), 0);
	table_at(NULL, fw_root)[0] &= ~PTE_RW; /* read-only above: writable must come down the walk */
	for (int i = 0; i < 2000; i++) {
		uint64_t root = i & 1 ? b.root : fw_root, span = i % 3 ? 16 * G : 2 * M;
		uint64_t a = test_rng_next(&rng) % span, last = a + test_rng_next(&rng) % span;
		struct pt_summary got, want;

		pt_summarize(read64, NULL, root, 4, a, last, &got);
		reference_summary(root, a, last, &want);
		assert_memory_equal(&got, &want, sizeof(got));
	}
}

/* UC on request, 4 KiB where alignment demands, large pages split with their PAT bit carried down. */
static void test_uc_inside_large_pages(void **state)
{
	firmware_tables();
	assert_int_equal(pt_init(&b, &ops, 4, PT_LEVEL_1G, PAT_POWER_ON, fw_root), 0);
	assert_int_equal(pt_map(&b, 5 * G + 0x201000, 0x2000, MT_UC), 0);
	check_leaf(b.root, 4, 5 * G + 0x201000, PT_LEVEL_4K, 3);
	check_leaf(b.root, 4, 5 * G + 0x202000, PT_LEVEL_4K, 3);
	check_leaf(b.root, 4, 5 * G + 0x200000, PT_LEVEL_4K, 4); /* firmware's PAT index 4, now in bit 7 */
	check_leaf(b.root, 4, 5 * G + 0x203000, PT_LEVEL_4K, 4);
	check_leaf(b.root, 4, 5 * G, PT_LEVEL_2M, 4);
	check_leaf(b.root, 4, 6 * G - 2 * M, PT_LEVEL_2M, 4);
	check_leaf(b.root, 4, 4 * G, PT_LEVEL_1G, 0);
	check_leaf(b.root, 4, 3 * G + 2 * M, PT_LEVEL_2M, 3);
	assert_memory_equal(fw_copy, frames, sizeof(uint64_t) * PT_ENTRIES * fw_frames);
	/* WC needs a PAT entry: the power-on PAT has none. */
	assert_int_equal(pt_map(&b, WIN, 2 * M, MT_WC), -1);
}

static void test_five_levels_from_scratch(void **state)
{
	uint64_t high = 1ULL << 50;

	reset(FRAMES);
	assert_int_equal(pt_init(&b, &ops, 5, PT_LEVEL_1G, PAT_POWER_ON, 0), 0);
	assert_int_equal(pt_map(&b, high, G + 4096, MT_WB), 0);
	check_leaf(b.root, 5, high, PT_LEVEL_1G, 0);
	check_leaf(b.root, 5, high + G, PT_LEVEL_4K, 0);
	check_absent(b.root, 5, high + G + 4096);
	check_absent(b.root, 5, 0);
	check_absent(b.root, 4, high); /* walked as 4-level it means something else */
}

static void test_out_of_frames_and_bad_requests(void **state)
{
	firmware_tables();
	frame_limit = next_frame + 2;
	assert_int_equal(pt_init(&b, &ops, 4, PT_LEVEL_2M, PAT_POWER_ON, fw_root), 0);
	assert_int_equal(pt_map(&b, WIN, 4 * G, MT_WB), -1); /* needs 1 + 4 tables */
	assert_true(b.failed);
	firmware_tables();
	assert_int_equal(pt_init(&b, &ops, 4, PT_LEVEL_2M, PAT_POWER_ON, fw_root), 0);
	assert_int_equal(pt_map(&b, WIN + 1, 4096, MT_WB), -1);
	assert_int_equal(pt_map(&b, WIN, 0, MT_WB), -1);
}

static void test_pat_choice_keeps_firmware_entries(void **state)
{
	uint64_t pat;

	/* Power-on PAT, firmware uses 0 and 3: WC goes into 6 (UC-, unused), nothing else changes. */
	assert_true(pt_pat_choose(PAT_POWER_ON, 1U << 0 | 1U << 3, &pat));
	assert_int_equal(pat, (PAT_POWER_ON & ~(0xffULL << 48)) | (uint64_t)MT_WC << 48);
	assert_int_equal(pt_pat_index(pat, MT_WC), 6);
	assert_int_equal(pt_pat_index(pat, MT_UC), 3);
	/* Linux's PAT already has WB, WC, UC: kept as it is. */
	assert_true(pt_pat_choose(0x0007010600070106ULL, 0xff, &pat));
	assert_int_equal(pat, 0x0007010600070106ULL);
	/* Every entry in use and no WC: refused. */
	assert_false(pt_pat_choose(PAT_POWER_ON, 0xff, &pat));
}

/* A simulated MMU over the tables: writes land in "physical memory" only where a writable translation exists. */
static uint8_t window_ram[M];

static bool mmu_write64(uint64_t root, uint64_t va, uint64_t v)
{
	struct pt_leaf l;

	pt_translate(read64, NULL, root, 4, va, &l);
	if (!l.present || !l.writable)
		return false;
	assert_true(l.phys >= WIN && l.phys + 8 <= WIN + sizeof(window_ram));
	memcpy(&window_ram[l.phys - WIN], &v, 8);
	return true;
}

static void test_touch_through_the_window(void **state)
{
	unsigned faults = 0;

	firmware_tables();
	for (uint64_t off = 0; off < sizeof(window_ram); off += 256)
		faults += !mmu_write64(fw_root, WIN + off, 0);
	assert_int_equal(faults, sizeof(window_ram) / 256); /* under firmware's tables every touch faults */
	assert_int_equal(pt_init(&b, &ops, 4, PT_LEVEL_2M, PAT_POWER_ON, fw_root), 0);
	assert_int_equal(pt_map(&b, WIN, 4 * G, MT_WB), 0);
	for (uint64_t off = 0; off < sizeof(window_ram); off += 256)
		assert_true(mmu_write64(b.root, WIN + off, WIN + off));
	for (uint64_t off = 0; off < sizeof(window_ram); off += 256) {
		uint64_t tag;

		memcpy(&tag, &window_ram[off], 8);
		assert_int_equal(tag, WIN + off);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_firmware_walk_reports_the_missing_window),
		cmocka_unit_test(test_window_added_firmware_map_kept),
		cmocka_unit_test(test_one_gib_pages_where_aligned),
		cmocka_unit_test(test_uc_inside_large_pages),
		cmocka_unit_test(test_summary_matches_page_by_page_walk),
		cmocka_unit_test(test_five_levels_from_scratch),
		cmocka_unit_test(test_out_of_frames_and_bad_requests),
		cmocka_unit_test(test_pat_choice_keeps_firmware_entries),
		cmocka_unit_test(test_touch_through_the_window),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
