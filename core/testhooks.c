// SPDX-License-Identifier: MIT
/*
 * Test hooks, in one place: with CXLVAL_TEST_HOOKS (make testhooks-efi) the
 * config key fault_test makes the run fail on purpose where the exception,
 * CPU and misrouting tests need it. In every other build they do nothing.
 */
#include "core/config.h"
#include "core/log.h"
#include "core/run.h"

void testhook_fault(const struct run *run, bool in_touch)
{
#ifdef CXLVAL_TEST_HOOKS
	volatile uint64_t *unmapped = (volatile uint64_t *)0x7ffffffff000ULL;   /* canonical, above any RAM */
	volatile uint64_t *noncanonical = (volatile uint64_t *)0x8000000000000000ULL;

	if (in_touch != (run->fault_test == FAULT_PF_IN_TOUCH) || run->fault_test == FAULT_NONE ||
	    run->fault_test > FAULT_PF_IN_TOUCH) /* the others are not exceptions */
		return;
	log_printf(LOG_WARN, "fault_test", "raising fault %d on purpose (test build)", run->fault_test);
	switch (run->fault_test) {
	case FAULT_UD: __asm__ volatile("ud2"); break;
	case FAULT_PF: case FAULT_PF_IN_TOUCH: (void)*unmapped; break;
	case FAULT_GP: (void)*noncanonical; break;
	default: break;
	}
#else
	(void)run;
	(void)in_touch;
#endif
}

/* A machine that stops dead (no exception, no handler): what the log files hold is what the checkpoints wrote. */
void testhook_hang(const struct run *run)
{
#ifdef CXLVAL_TEST_HOOKS
	if (run->fault_test != FAULT_HANG_IN_TOUCH)
		return;
	log_printf(LOG_WARN, "fault_test", "hanging for good on purpose (test build)");
	for (;;)
		__asm__ volatile("pause");
#else
	(void)run;
#endif
}

bool testhook_ap_hang(const struct run *run)
{
	return run->fault_test == FAULT_AP_HANG;
}

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
