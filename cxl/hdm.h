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

/*
 * Cache coherence around every decoder change (docs/platform-rules.md): lines
 * cached under one mapping must not be read, or written back, under the
 * next one. Before a change the HPA range it remaps is written back and
 * invalidated: line by line (clflushopt) up to HDM_FLUSH_RANGE_MAX bytes,
 * beyond that wbinvd on every CPU, which costs about the same whatever the
 * range (a pass over the caches, tens of MiB on a server) while clflushopt
 * costs per line. The driver does it; the caller learns of each through
 * on_flush (the log), never from pure code directly.
 */
#define HDM_FLUSH_RANGE_MAX (64ULL << 20)

enum hdm_flush_when { HDM_BEFORE_COMMIT, HDM_BEFORE_UNCOMMIT, HDM_BEFORE_RECOMMIT, HDM_BEFORE_RESTORE };

struct hdm_flush {
	enum hdm_flush_when when;
	bool all;	     /* wbinvd on every CPU, else the range line by line */
	unsigned cpus;	     /* all: how many CPUs did it */
	uint64_t hpa, bytes; /* the range whose mapping changes */
	uint64_t ns;
};

typedef void (*hdm_flush_fn)(void *ctx, const struct hdm_flush *f);

const char *hdm_flush_when_name(enum hdm_flush_when w);

struct hdm_change {
	uint64_t regs; /* the decoder's register block */
	uint16_t port_id;
	uint8_t index;
	uint64_t hpa_base, hpa_size; /* what we programmed: the range to flush before undoing it */
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
	hdm_flush_fn on_flush; /* optional: told of every cache flush, after it */
	void *flush_ctx;
	unsigned nr_flushes;
};

void hdm_driver_init(struct hdm_driver *drv, const struct cxl_topology *topo, const struct cxl_hw *hw,
		     struct diag_sink *sink, uint32_t timeout_ms);

/* Programs and commits every decoder of a plan; 0, or -1 at the first decoder that fails (reported). */
int hdm_commit_region(struct hdm_driver *drv, const struct region_plan *plan);

/* The same for any list of decoders, in list order. */
int hdm_commit_decoders(struct hdm_driver *drv, const struct plan_decoder *d, unsigned n);

/* Commits a region again after hdm_uncommit_decoders (the cross-check); the flush says before_recommit. */
int hdm_recommit_region(struct hdm_driver *drv, const struct region_plan *plan);

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

/*
 * Undoes everything, newest first; returns how many decoders stayed committed (hardware refused).
 * A commit that fails with Error Not Committed is undone at once (Commit cleared, the registers
 * as found): that decoder index is free again and not in this list.
 */
unsigned hdm_restore(struct hdm_driver *drv);

#endif
