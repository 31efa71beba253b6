// SPDX-License-Identifier: MIT
/*
 * Test hooks, in one place: with CXLVAL_TEST_HOOKS (make testhooks-efi) the
 * config key fault_test makes the run fail on purpose where the exception and
 * CPU tests need it. In every other build they do nothing.
 */
#include "core/config.h"
#include "core/log.h"
#include "core/run.h"

void testhook_fault(const struct run *run, bool in_touch)
{
#ifdef CXLVAL_TEST_HOOKS
	volatile uint64_t *unmapped = (volatile uint64_t *)0x7ffffffff000ULL;   /* canonical, above any RAM */
	volatile uint64_t *noncanonical = (volatile uint64_t *)0x8000000000000000ULL;

	if (in_touch != (run->fault_test == FAULT_PF_IN_TOUCH) || run->fault_test == FAULT_NONE)
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

bool testhook_ap_hang(const struct run *run)
{
	return run->fault_test == FAULT_AP_HANG;
}
