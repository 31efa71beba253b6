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
	log_printf(LOG_INFO, "map.built", "%zu ranges", m->count);
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
