// SPDX-License-Identifier: MIT
/*
 * Phase "map": one address map of everything firmware and hardware
 * described; phase "conflicts" (phase_conflicts.c) reads it at the end.
 */
#include "core/log.h"
#include "core/run.h"

void phase_map(struct run *run)
{
	struct addrmap *m = &run->map;
	const struct fw_facts *f = run->facts;

	log_set_phase("map");
	addrmap_init(m, run->map_storage, RUN_MAP_CAPACITY);
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
	for (unsigned w = 0; w < run->topo.nr_windows; w++)
		addrmap_add_span(m, MAP_WINDOW, run->topo.windows[w].base, run->topo.windows[w].size, 0, 0, (int)w);
	addrmap_add_span(m, MAP_SELF, f->image_base, f->image_size, 0, 0, 0);
	if (m->overflow)
		log_printf(LOG_ERROR, "map.overflow", "more than %d ranges: the map is incomplete", RUN_MAP_CAPACITY);
	addrmap_index(m);
	log_printf(LOG_INFO, "map.built", "%zu ranges", m->count);
	scratch_give(run);
}

/* Firmware handed these bytes to the OS (or to itself): we may not write them unless told to. */
bool map_firmware_owned(const struct run *run, uint64_t start, uint64_t size)
{
	return addrmap_overlaps(&run->map, start, start + size - 1, MAP_BIT(MAP_FIRMWARE), NULL, NULL) != 0;
}

