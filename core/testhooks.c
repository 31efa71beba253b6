// SPDX-License-Identifier: MIT
/*
 * Test hooks that make cxlval itself do the wrong thing, so the integration
 * tests can show the checks that must catch it do (fault_test, test builds
 * only; every other build compiles them to nothing).
 */
#include "core/config.h"
#include "core/log.h"
#include "core/run.h"
#include "cxl/planner.h"

/* swap_targets: the first port decoder that interleaves gets its first two targets swapped. */
void testhook_before_commit(const struct run *run, struct region_plan *p)
{
#ifdef CXLVAL_TEST_HOOKS
	if (run->fault_test != FAULT_SWAP_TARGETS)
		return;
	for (unsigned i = 0; i < p->nr_decoders; i++) {
		struct plan_decoder *d = &p->decoders[i];
		uint8_t t = d->targets[0];

		if (d->is_endpoint || d->nr_targets < 2)
			continue;
		d->targets[0] = d->targets[1];
		d->targets[1] = t;
		log_printf(LOG_WARN, "fault_test", "decoder%u.%u: targets %u and %u swapped on purpose (test build)",
			   d->port_id, d->index, d->targets[1], d->targets[0]);
		return;
	}
#else
	(void)run;
	(void)p;
#endif
}

/* restore_skew: how far past its place the sweep restores each line's data. */
uint64_t testhook_restore_skew(const struct run *run, uint64_t granule)
{
#ifdef CXLVAL_TEST_HOOKS
	return run->fault_test == FAULT_RESTORE_SKEW ? granule : 0;
#else
	(void)run;
	(void)granule;
	return 0;
#endif
}
