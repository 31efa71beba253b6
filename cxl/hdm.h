/* SPDX-License-Identifier: MIT */
/*
 * The HDM decoder driver: programs and commits what the planner decided,
 * in the order it decided (endpoints first, host bridges last), and puts
 * every register it changed back at the end. A decoder that is committed
 * or locked when we get to it is never written.
 */
#ifndef CXLVAL_HDM_H
#define CXLVAL_HDM_H

#include <stdbool.h>
#include <stdint.h>

#include "cxl/discover.h"
#include "cxl/planner.h"
#include "lib/diag.h"

#define HDM_MAX_CHANGES 128

struct hdm_change {
	uint64_t regs; /* the decoder's register block */
	uint16_t port_id;
	uint8_t index;
	uint32_t saved[7]; /* base lo/hi, size lo/hi, ctrl, target/skip lo/hi, as found */
};

struct hdm_driver {
	const struct cxl_topology *topo;
	const struct cxl_hw *hw;
	struct diag_sink *sink;
	uint32_t timeout_ms;
	unsigned nr_changes;
	struct hdm_change changes[HDM_MAX_CHANGES];
	bool port_enabled[CXL_MAX_PORTS], ep_enabled[CXL_MAX_ENDPOINTS], ep_mem_enabled[CXL_MAX_ENDPOINTS];
	unsigned not_restored; /* registers that read back different after restore */
};

void hdm_driver_init(struct hdm_driver *drv, const struct cxl_topology *topo, const struct cxl_hw *hw,
		     struct diag_sink *sink, uint32_t timeout_ms);

/* Programs and commits every decoder of a plan; 0, or -1 at the first decoder that fails (reported). */
int hdm_commit_region(struct hdm_driver *drv, const struct region_plan *plan);

/* The same for any list of decoders, in list order. */
int hdm_commit_decoders(struct hdm_driver *drv, const struct plan_decoder *d, unsigned n);

/*
 * Uncommits decoders this driver committed, last first, and clears them.
 * -1 at the first one hardware keeps committed (the rest are left as they are).
 */
int hdm_uncommit_decoders(struct hdm_driver *drv, const struct plan_decoder *d, unsigned n);

/*
 * Puts one decoder back exactly as it was found (found[7]: base lo/hi, size
 * lo/hi, control, target/skip lo/hi as read by discovery): uncommit if
 * needed, write the six, then the control (committing when it was
 * committed), and read all seven back. Returns how many registers differ
 * afterwards (0: exactly back); not recorded as a change.
 */
unsigned hdm_put_back(struct hdm_driver *drv, const struct plan_decoder *d, const uint32_t found[7]);

/* Undoes everything, newest first; returns how many decoders stayed committed (hardware refused). */
unsigned hdm_restore(struct hdm_driver *drv);

#endif
