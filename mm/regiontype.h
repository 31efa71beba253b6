/* SPDX-License-Identifier: MIT */
/*
 * How firmware's memory map types a region firmware committed, and what
 * Linux does with it. A BIOS that commits a region and describes exactly it
 * as soft-reserved (EFI_MEMORY_SP) did what Linux's cxl/hmem path expects:
 * that is consistent, not a conflict. Conventional memory without SP is
 * onlined as System RAM (a choice, with a cost); reserved and persistent
 * ranges keep it from the CXL driver; a range that cuts the region, spans
 * two windows or has a boundary off 256 MiB inside it is the conflict the
 * window model (mm/conflict.h) describes. docs/firmware.md has the table.
 */
#ifndef CXLVAL_REGIONTYPE_H
#define CXLVAL_REGIONTYPE_H

#include <stdint.h>

#include "mm/addrmap.h"

/* MAP_FWREGION type: the region is typed by ranges that lie within it and tile it (RT_SOFT_RESERVED .. RT_RESERVED). */
#define REGION_TYPED 1

enum region_typing {
	RT_SOFT_RESERVED, /* SP ranges exactly cover it: consistent */
	RT_SYSTEM_RAM,	  /* conventional without SP exactly covers it */
	RT_PERSISTENT,	  /* EfiPersistentMemory exactly covers it */
	RT_RESERVED,	  /* reserved (or other non-RAM types) exactly cover it */
	RT_ABSENT,	  /* the memory map does not describe it */
	RT_CUT,		  /* a range crosses the region's boundary */
	RT_SPANS_WINDOWS, /* a range over it spans two CFMWS windows */
	RT_MISALIGNED,	  /* a range boundary inside it is not 256 MiB aligned */
	RT_MIXED,	  /* several kinds, or only part of it described */
	RT_COUNT
};

struct region_typing_result {
	enum region_typing typing;
	unsigned nr_ranges;	    /* firmware ranges that intersect the region */
	int fw_index;		    /* the first (or offending) one: memory-map descriptor index, -1 none */
	uint64_t fw_start, fw_last; /* its bounds */
	uint32_t fw_type;
	uint64_t fw_attr;
};

/* The typing of [base, base + size) in m (firmware ranges and windows must be in it). */
enum region_typing region_typing_of(const struct addrmap *m, uint64_t base, uint64_t size,
				    struct region_typing_result *out);

const char *region_typing_name(enum region_typing t);
/* What Linux does with a region typed so: a sentence for the log and report. */
const char *region_typing_linux(enum region_typing t);
/* 0 consistent, 1 a choice worth a warning, 2 an error the vendor must fix. */
int region_typing_severity(enum region_typing t);

#endif
