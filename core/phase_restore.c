// SPDX-License-Identifier: MIT
/* Phase "restore": every decoder cxlval changed put back as firmware left it (also after a CPU exception). */
#include "core/log.h"
#include "core/run.h"
#include "cxl/hdm.h"

void phase_restore(struct run *run)
{
	struct hdm_driver *drv = &run->drv;
	unsigned stuck;

	log_set_phase("restore");
	if (!run->restore_decoders)
		return;
	stuck = hdm_restore(drv);
	log_printf(stuck || drv->not_restored ? LOG_WARN : LOG_INFO, "restore.done",
		   "%u decoder changes undone; %u decoders stayed committed (hardware refused), "
		   "%u registers differ from firmware's values", drv->nr_changes - stuck, stuck, drv->not_restored);
}

/*
 * A fault may come from anywhere, decoder MMIO included; if restoring faults
 * again the handler gives up (it does not re-enter), so trying is safe.
 */
void phase_restore_on_fault(struct run *run)
{
	touch_on_fault(run); /* data first: it goes back through the decoders */
	if (run->drv_ready && run->drv.nr_changes)
		phase_restore(run);
}
