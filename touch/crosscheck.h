/* SPDX-License-Identifier: MIT */
/*
 * The per-device cross-check. Reading a tag back through the region proves
 * only that the mapping is consistent: swapped targets or a decoder that
 * ignores its granularity can read back perfectly. So after tags are written
 * through the region, the region's decoders are uncommitted and each device
 * is mapped alone (1-way below its host bridge, only the platform's window
 * interleave above), and every sampled tag is looked for at the device and
 * DPA the interleave math predicts. Original data goes back as it is read.
 * Hardware that cannot uncommit (QEMU 7.2) skips it, and says so.
 */
#ifndef CXLVAL_CROSSCHECK_H
#define CXLVAL_CROSSCHECK_H

#include <stdbool.h>
#include <stdint.h>

#include "cxl/hdm.h"
#include "cxl/planner.h"

#define XCHECK_MAX_SAMPLES 2048
#define XCHECK_MAX_FAILURES 16

struct xcheck_failure {
	uint64_t hpa;		/* the HPA whose tag was looked for */
	int16_t expected_endpoint; /* topology endpoint index */
	uint64_t expected_dpa;
	uint64_t observed;	/* what that device holds at that DPA */
	bool observed_is_tag;	/* observed is a tag of this run ... */
	uint64_t observed_hpa;	/* ... written through this HPA */
};

enum xcheck_status { XCHECK_DONE, XCHECK_SKIPPED_NO_UNCOMMIT, XCHECK_FAILED_TO_MAP };

struct xcheck_result {
	enum xcheck_status status;
	uint64_t checked, mismatched;
	unsigned nr_failures;
	struct xcheck_failure failures[XCHECK_MAX_FAILURES];
};

/*
 * Cross-checks a committed region on the given sample offsets (from the
 * region base); leaves the region committed again afterwards. restore puts
 * the original data back under every tag. Returns 0, -1 when the region could
 * not be put back (reported through the driver's sink).
 */
int xcheck_region(struct hdm_driver *drv, const struct region_plan *plan, const uint64_t *offsets,
		  unsigned nr_offsets, uint8_t seed, bool restore, struct xcheck_result *res);

const char *xcheck_status_name(enum xcheck_status s);

#endif
