// SPDX-License-Identifier: MIT
/* Phase "program": the decoders of one planned region programmed and committed, bottom up. */
#include "core/log.h"
#include "core/run.h"
#include "cxl/hdm.h"

bool phase_program(struct run *run, unsigned w)
{
	const struct region_plan *p = &run->plans[w];
	unsigned r = run_region_id(run, w);

	log_set_phase("program");
	testhook_before_commit(run, &run->plans[w]);
	if (hdm_commit_region(&run->drv, p)) {
		run->routing_failed = true;
		return false;
	}
	log_printf(LOG_INFO, "region.committed", "region%u: %u decoders committed", r, p->nr_decoders);
	addrmap_add_span(&run->map, MAP_REGION, p->hpa_base, p->size, 0, 0, (int)r);
	paging_region(run, r, p->hpa_base, p->size);
	return true;
}
