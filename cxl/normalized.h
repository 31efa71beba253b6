/* SPDX-License-Identifier: MIT */
/*
 * Normalized addressing (AMD Zen5; Linux Documentation/driver-api/cxl/
 * conventions/cxl-atl.rst): endpoint decoders hold device-relative
 * addresses that only the platform's PRM handler translates to HPAs. Such
 * decoders are not misprogrammed, and a platform using them is never
 * reprogrammed (plan reason normalized_addressing).
 */
#ifndef CXLVAL_NORMALIZED_H
#define CXLVAL_NORMALIZED_H

#include "lib/diag.h"
#include "cxl/topology.h"

/*
 * A committed endpoint decoder whose range lies outside every CFMWS window
 * means normalized addressing: sets t->normalized_addressing and reports it
 * (rule platform.normalized_addressing, a warning). No windows: no verdict.
 */
void cxl_detect_normalized(struct cxl_topology *t, struct diag_sink *sink);

#endif
