/* SPDX-License-Identifier: MIT */
/*
 * The platform rules in the CXL phases (docs/platform-rules.md): CXL 1.1
 * hosts and range-register devices as found, poison records, and the lines
 * a region's touch must leave alone.
 */
#ifndef CXLVAL_PHASE_PLATFORM_H
#define CXLVAL_PHASE_PLATFORM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/firmware.h"
#include "core/run.h"
#include "cxl/planner.h"
#include "cxl/topology.h"

/* Acpi phase: a PRMT with AMD's CXL address translation handler sets run->prm_address_translation. */
void scan_prmt(struct run *run);

/* firmware.root_bridge per EFI_PCI_ROOT_BRIDGE_IO_PROTOCOL instance. */
void log_root_bridges(const struct fw_facts *f);

/* topology.rch per RCH, topology.range_register per valid DVSEC range, poison.found per record. */
void log_platform_facts(const struct cxl_topology *t);

/*
 * The sorted HPAs of region r's poisoned lines into run->touch.poison_lines;
 * logs touch.poison_skipped. false when the list is incomplete (the device
 * lost records, or more lines than fit): then the region must not be touched.
 */
bool poison_skip_lines(struct run *run, unsigned r, const struct region_plan *p);

/* Drops cross-check offsets whose line is poisoned; returns the new count. */
unsigned poison_filter_offsets(const struct region_plan *p, uint64_t *offs, unsigned n, const uint64_t *lines,
			       size_t nr_lines);

#endif
