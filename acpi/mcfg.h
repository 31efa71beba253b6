/* SPDX-License-Identifier: MIT */
/* MCFG: where PCIe ECAM lives (PCI Firmware Specification 3.3 §4.1.2). */
#ifndef CXLVAL_MCFG_H
#define CXLVAL_MCFG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/diag.h"

#define MCFG_ENTRIES 44 /* 36-byte header + 8 reserved */
#define MCFG_ENTRY_SIZE 16
#define MCFG_E_BASE 0
#define MCFG_E_SEGMENT 8
#define MCFG_E_START_BUS 10
#define MCFG_E_END_BUS 11
#define MCFG_ECAM_ALIGN (1ULL << 20)
#define MCFG_MAX_ENTRIES 16

struct mcfg_entry {
	int index;
	uint32_t offset;
	uint64_t base;
	uint16_t segment;
	uint8_t start_bus, end_bus;
	bool valid;
};

struct mcfg {
	unsigned count;
	struct mcfg_entry entry[MCFG_MAX_ENTRIES];
};

int mcfg_parse(const void *table, size_t len, struct mcfg *out, struct diag_sink *sink);

/* ECAM address of a config register; false if no valid entry covers seg/bus. */
bool mcfg_ecam_address(const struct mcfg *m, uint16_t seg, uint8_t bus, uint8_t dev, uint8_t fn, uint16_t off,
		       uint64_t *addr);

/* The ECAM range an entry decodes: 1 MiB per bus, starting at base + start_bus MiB. */
static inline uint64_t mcfg_entry_start(const struct mcfg_entry *e)
{
	return e->base + ((uint64_t)e->start_bus << 20);
}

static inline uint64_t mcfg_entry_size(const struct mcfg_entry *e)
{
	return ((uint64_t)e->end_bus - e->start_bus + 1) << 20;
}

#endif
