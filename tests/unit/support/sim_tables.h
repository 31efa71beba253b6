/* SPDX-License-Identifier: MIT */
/* The CEDT and MCFG firmware would publish for a simulated fabric; the same windows route in the sim. */
#ifndef CXLVAL_TEST_SIM_TABLES_H
#define CXLVAL_TEST_SIM_TABLES_H

#include <stdint.h>

#include "acpi/cedt.h"
#include "acpi/mcfg.h"

#define SIM_TABLES_CHBCR 0x800000000ULL /* host bridge i's CHBCR: + i x 64 KiB, in uids[] order */

/* A modulo window at 256 B granularity over ways host bridges. */
struct sim_window_desc {
	uint64_t base, size;
	uint8_t eniw;
	unsigned ways;
	uint32_t uids[2];
};

/* Parses both into cedt and mcfg (the test fails on a parse error). */
void sim_tables_publish(struct cedt *cedt, struct mcfg *mcfg, const uint32_t *uids, unsigned nr_hb,
			const struct sim_window_desc *w, unsigned nr_w);

#endif
