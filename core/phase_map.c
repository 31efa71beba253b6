// SPDX-License-Identifier: MIT
/*
 * Phase "map": one address map of everything firmware and hardware
 * described, and the report of firmware ranges in conflict with the
 * windows and regions cxlval reprograms.
 */
#include "core/log.h"
#include "core/run.h"
#include "mm/conflict.h"

#define MAP_CAPACITY 4096

static struct map_range storage[MAP_CAPACITY];
static struct extent scratch_pool[64], scratch_free[64];

#define SCRATCH_FORBIDDEN (MAP_BIT(MAP_WINDOW) | MAP_BIT(MAP_REGION) | MAP_BIT(MAP_ECAM) | MAP_BIT(MAP_CHBS) | \
			   MAP_BIT(MAP_BAR))

struct owned_check {
	uint64_t covered;
};

static void count_loader_data(void *ctx, const struct map_range *r)
{
	if (r->type == FW_MEM_LOADER_DATA)
		((struct owned_check *)ctx)->covered += r->last - r->start + 1;
}

/* The scratch pages must be ours by firmware's own word: LoaderData in its memory map. */
static void give_scratch(struct run *run)
{
	const struct fw_facts *f = run->facts;
	struct owned_check own = { 0 };
	struct log_event ev;
	uint64_t given;

	frame_alloc_init(&run->scratch, scratch_pool, scratch_free, 64);
	if (!f->scratch_size)
		return;
	addrmap_overlaps(&run->map, f->scratch_base, f->scratch_base + f->scratch_size - 1, MAP_BIT(MAP_FIRMWARE),
			 count_loader_data, &own);
	if (own.covered < f->scratch_size) {
		log_printf(LOG_ERROR, "scratch.not_ours", "scratch pages 0x%llx+0x%llx are not LoaderData in the "
			   "memory map; not used", (unsigned long long)f->scratch_base,
			   (unsigned long long)f->scratch_size);
		return;
	}
	given = frame_alloc_give(&run->scratch, f->scratch_base, f->scratch_size, &run->map, SCRATCH_FORBIDDEN);
	log_begin(&ev, given == f->scratch_size ? LOG_INFO : LOG_WARN, "scratch.pool");
	log_hex(&ev, "resource", f->scratch_base);
	log_hex(&ev, "size", f->scratch_size);
	log_hex(&ev, "usable", given);
	log_end(&ev);
}

void *scratch_alloc(struct run *run, uint64_t size, const char *what)
{
	uint64_t a = frame_alloc(&run->scratch, size, FRAME_SIZE);
	struct log_event ev;

	log_begin(&ev, a ? LOG_INFO : LOG_ERROR, "scratch.alloc");
	log_str(&ev, "for", what);
	log_hex(&ev, "resource", a);
	log_hex(&ev, "size", size);
	log_end(&ev);
	return a ? (void *)(uintptr_t)a : NULL;
}
static struct conflict_report report;

void phase_map_build(struct run *run)
{
	struct addrmap *m = &run->map;
	const struct fw_facts *f = run->facts;

	log_set_phase("map");
	addrmap_init(m, storage, MAP_CAPACITY);
	for (size_t i = 0; i < f->memmap_count; i++)
		addrmap_add_span(m, MAP_FIRMWARE, f->memmap[i].phys, f->memmap[i].pages * FW_PAGE_SIZE,
				 f->memmap[i].type, f->memmap[i].attr, (int)i);
	for (unsigned i = 0; run->have_mcfg && i < run->mcfg.count; i++)
		if (run->mcfg.entry[i].valid)
			addrmap_add_span(m, MAP_ECAM, mcfg_entry_start(&run->mcfg.entry[i]),
					 mcfg_entry_size(&run->mcfg.entry[i]), 0, 0, (int)i);
	for (unsigned i = 0; run->have_cedt && i < run->cedt.nr_chbs; i++)
		if (run->cedt.chbs[i].at.valid)
			addrmap_add_span(m, MAP_CHBS, run->cedt.chbs[i].base, run->cedt.chbs[i].length, 0, 0, (int)i);
	for (unsigned i = 0, w = 0; run->have_cedt && i < run->cedt.nr_cfmws; i++)
		if (run->cedt.cfmws[i].at.valid)
			addrmap_add_span(m, MAP_WINDOW, run->cedt.cfmws[i].base, run->cedt.cfmws[i].size, 0, 0, (int)w++);
	addrmap_add_span(m, MAP_SELF, f->image_base, f->image_size, 0, 0, 0);
	if (m->overflow)
		log_printf(LOG_ERROR, "map.overflow", "more than %d ranges: the map is incomplete", MAP_CAPACITY);
	addrmap_index(m);
	log_printf(LOG_INFO, "map.built", "%zu ranges", m->count);
	give_scratch(run);
}

/* Firmware handed these bytes to the OS (or to itself): we may not write them unless told to. */
bool map_firmware_owned(const struct run *run, uint64_t start, uint64_t size)
{
	return addrmap_overlaps(&run->map, start, start + size - 1, MAP_BIT(MAP_FIRMWARE), NULL, NULL) != 0;
}

static void log_conflict(unsigned n, const struct conflict *c)
{
	struct log_event ev;

	log_begin(&ev, LOG_WARN, "conflict");
	log_msg(&ev, "%s %s%d [0x%llx-0x%llx] and firmware %s range [0x%llx-0x%llx]: %s",
		conflict_shape_name(c->shape), c->target == MAP_WINDOW ? "window" : "region", c->target_index,
		(unsigned long long)c->target_start, (unsigned long long)c->target_last, fw_class_name(c->fw_class),
		(unsigned long long)c->fw_start, (unsigned long long)c->fw_last, linux_verdict_name(c->verdict));
	log_u64(&ev, "id", n);
	log_str(&ev, "target", c->target == MAP_WINDOW ? "window" : "region");
	log_i64(&ev, "target_index", c->target_index);
	log_hex(&ev, "target_start", c->target_start);
	log_hex(&ev, "target_end", c->target_last);
	log_i64(&ev, "memmap_index", c->fw_index);
	log_str(&ev, "fw_type", fw_mem_type_name(c->fw_type));
	log_hex(&ev, "fw_attr", c->fw_attr);
	log_str(&ev, "fw_class", fw_class_name(c->fw_class));
	log_hex(&ev, "fw_start", c->fw_start);
	log_hex(&ev, "fw_end", c->fw_last);
	log_hex(&ev, "overlap_start", c->overlap_start);
	log_hex(&ev, "overlap_end", c->overlap_last);
	log_u64(&ev, "bytes", c->bytes);
	log_str(&ev, "shape", conflict_shape_name(c->shape));
	log_u64(&ev, "fw_range_windows", c->fw_windows);
	log_u64(&ev, "window_fw_ranges", c->window_fw_ranges);
	log_str(&ev, "linux", linux_verdict_name(c->verdict));
	log_str(&ev, "cost", linux_verdict_cost(c->verdict));
	log_str(&ev, "fix", linux_verdict_fix(c->verdict));
	log_end(&ev);
}

void phase_map_report(struct run *run)
{
	log_set_phase("conflicts");
	addrmap_index(&run->map); /* regions were added since the map was built */
	conflicts_find(&run->map, &report);
	for (unsigned i = 0; i < report.count; i++)
		log_conflict(i, &report.c[i]);
	if (report.overflow)
		log_printf(LOG_ERROR, "conflict.overflow", "more than %d conflicts; the rest are not listed",
			   CONFLICT_MAX);
	log_printf(report.count ? LOG_WARN : LOG_INFO, "conflict.summary",
		   "%u firmware ranges in conflict with reprogrammed windows or regions", report.count);
	run->conflicts = report.count;
}
