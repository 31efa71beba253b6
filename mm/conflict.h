/* SPDX-License-Identifier: MIT */
/*
 * Firmware ranges that conflict with CXL windows and the regions cxlval
 * programmed: the shape of each intersection, and what Linux would do with
 * it (the model and its kernel functions are in docs/conflicts.md).
 */
#ifndef CXLVAL_CONFLICT_H
#define CXLVAL_CONFLICT_H

#include <stdbool.h>
#include <stdint.h>

#include "mm/addrmap.h"

enum conflict_shape {
	SHAPE_EXACT,		 /* firmware range == window */
	SHAPE_FW_INSIDE_WINDOW,	 /* firmware range strictly within the window */
	SHAPE_WINDOW_INSIDE_FW,	 /* the window strictly within the firmware range */
	SHAPE_PARTIAL_HEAD,	 /* firmware range covers the window's head and starts below it */
	SHAPE_PARTIAL_TAIL,	 /* firmware range covers the window's tail and ends above it */
	SHAPE_COUNT
};

/* What kind of memory firmware says it is, as Linux sees it. */
enum fw_class {
	FW_CLASS_RAM,		/* conventional, loader, boot services: System RAM */
	FW_CLASS_SOFT_RESERVED, /* conventional + EFI_MEMORY_SP: Soft Reserved, for hmem/dax */
	FW_CLASS_PERSISTENT,	/* EfiPersistentMemory: legacy pmem (nd_e820) */
	FW_CLASS_RESERVED,	/* reserved, runtime, ACPI, MMIO, unusable ... */
	FW_CLASS_COUNT
};

enum linux_verdict {
	LV_REGION_BLOCKED_BY_SYSTEM_RAM,
	LV_INSERT_RESOURCE_EBUSY,
	LV_HMEM_DEFERRED,
	LV_HMEM_PARTIAL_KEPT,
	LV_PMEM_CLAIMS_WINDOW,
	LV_RESERVED_NESTED,
	LV_EXPAND_TO_FIT_GROWS_WINDOW,
	LV_NEXT_WINDOW_DROPPED,
	LV_COUNT
};

struct conflict {
	enum map_source target; /* MAP_WINDOW or MAP_REGION */
	int target_index;
	uint64_t target_start, target_last;
	int fw_index; /* memory-map descriptor index */
	uint32_t fw_type;
	uint64_t fw_attr;
	enum fw_class fw_class;
	uint64_t fw_start, fw_last;
	uint64_t overlap_start, overlap_last;
	uint64_t bytes;
	enum conflict_shape shape;
	unsigned fw_windows;	  /* how many windows this firmware range intersects (>1: spans windows) */
	unsigned window_fw_ranges; /* how many firmware ranges intersect this window (>1: several/merged) */
	enum linux_verdict verdict;
};

#define CONFLICT_MAX 64

struct conflict_report {
	unsigned count;
	bool overflow;
	struct conflict c[CONFLICT_MAX];
};

/*
 * Every (firmware range, window) and (firmware range, region) intersection in
 * the map, in address order. Firmware ranges of every type count: a window
 * reprogrammed by cxlval must not be claimed by firmware at all.
 */
void conflicts_find(const struct addrmap *m, struct conflict_report *out);

enum fw_class fw_class_of(uint32_t type, uint64_t attr);
enum conflict_shape conflict_shape_of(uint64_t fw_start, uint64_t fw_last, uint64_t t_start, uint64_t t_last);

const char *conflict_shape_name(enum conflict_shape s);
const char *fw_class_name(enum fw_class c);
const char *linux_verdict_name(enum linux_verdict v);
/* What the verdict costs the user, and what the vendor should change: sentences for the report. */
const char *linux_verdict_cost(enum linux_verdict v);
const char *linux_verdict_fix(enum linux_verdict v);

#endif
