/* SPDX-License-Identifier: MIT */
/*
 * Firmware's regions: what the BIOS built before cxlval started, read back
 * from the HDM decoders as discovery found them (committed, locked or not),
 * and audited the way Linux audits them when it assembles "auto" regions
 * (drivers/cxl/core/hdm.c init_hdm_decoder; core/region.c
 * cxl_region_attach_auto, cxl_calc_interleave_pos, cxl_port_setup_targets).
 *
 * A region is the set of committed endpoint decoders that decode the same
 * HPA range. Its ways and granularity are the endpoints' (as in Linux); each
 * endpoint's position is found by following one address per position from
 * the CFMWS down through the decoders as committed, exactly as hardware
 * routes it. Every rule broken is a finding (table "HDM", rule ids
 * "fwregion.*", docs/firmware.md) with the register values that break it.
 *
 * The result carries, per region, a struct region_plan the touch engine
 * uses as its expectation: the positions firmware's decoders imply (where
 * they imply none, the endpoints left over take the positions left over, so
 * a misrouted region is touched against a sensible expectation and its
 * aliased lines are named). Pure: reads the topology, writes findings.
 */
#ifndef CXLVAL_FWREGION_H
#define CXLVAL_FWREGION_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/diag.h"
#include "cxl/planner.h"
#include "cxl/topology.h"

#define FWREGION_MAX 16

struct fwregion {
	int window;	     /* topo->windows[] index; -1: inside no single window */
	uint64_t base, size; /* HPA */
	unsigned ways, granularity;
	bool has_endpoints;  /* false: a port decoder committed with no endpoint decoder below */
	bool locked;	     /* a decoder of the region is locked (Lock On Commit) */
	bool touchable;	     /* every position reaches an endpoint decoder of the region: safe to touch */
	unsigned errors;     /* error findings about this region */
	struct region_plan plan; /* the expectation (reason PLAN_OK when touchable) */
};

struct fwregions {
	unsigned nr;
	bool overflow;
	struct fwregion r[FWREGION_MAX];
};

/*
 * Reconstructs and audits every firmware region of topo; findings go to
 * sink (may be NULL). Returns the number of error findings.
 */
unsigned fwregion_reconstruct(const struct cxl_topology *topo, struct fwregions *out, struct diag_sink *sink);

/* The firmware region in window w that a verdict speaks for (the first one), or NULL. */
const struct fwregion *fwregion_in_window(const struct fwregions *fr, unsigned w);

#endif
