// SPDX-License-Identifier: MIT
/*
 * Scratch memory for page tables and the touch engine's save area: the pages
 * firmware allocated to cxlval, handed out frame by frame, never over a
 * window, region, MMIO or a range firmware kept. The pool is given at the end
 * of phase "map", once the address map exists.
 */
#include "core/log.h"
#include "core/run.h"

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
void scratch_give(struct run *run)
{
	const struct fw_facts *f = run->facts;
	struct owned_check own = { 0 };
	struct log_event ev;
	uint64_t given;

	frame_alloc_init(&run->scratch, run->scratch_pool, run->scratch_free, RUN_SCRATCH_EXTENTS);
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
