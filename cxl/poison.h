/* SPDX-License-Identifier: MIT */
/*
 * Poison: what a device says it cannot return (Get Poison List, CXL 3.1
 * §8.2.9.9.4.1; Linux cxl_mem_get_poison) and its media state (Get Health
 * Info, §8.2.9.9.3.1). Reading a poisoned line on real hardware raises a
 * machine check, so the touch engine leaves every poisoned line alone: the
 * plan turns each poisoned DPA into the HPAs that reach it.
 */
#ifndef CXLVAL_POISON_H
#define CXLVAL_POISON_H

#include <stddef.h>
#include <stdint.h>

#include "lib/diag.h"
#include "cxl/mbox.h"
#include "cxl/planner.h"
#include "cxl/topology.h"

/* Get Poison List over the device's whole DPA range into ep->poison (as many as fit). */
void cxl_poison_read(const struct cxl_mbox *mb, struct cxl_endpoint *ep, struct diag_sink *sink);

/*
 * Get Health Info into ep->health_*; a device whose media status says "not
 * ready" is not media_ready. A device without the command keeps health_read false.
 */
void cxl_health_read(const struct cxl_mbox *mb, struct cxl_endpoint *ep);

/*
 * The 64-byte lines of a planned region whose DPA is poisoned, as sorted HPAs
 * without duplicates; returns how many (at most cap; *more when some did not fit).
 */
size_t cxl_poison_hpa_lines(const struct cxl_topology *t, const struct region_plan *p, uint64_t *lines, size_t cap,
			    bool *more);

#endif
