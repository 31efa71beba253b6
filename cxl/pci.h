/* SPDX-License-Identifier: MIT */
/* PCI config space through ECAM, over the platform seam's 32-bit MMIO. */
#ifndef CXLVAL_PCI_H
#define CXLVAL_PCI_H

#include <stdbool.h>
#include <stdint.h>

#include "acpi/mcfg.h"

/* Config space of one function: its ECAM address (4 KiB). */
uint32_t pci_read32(uint64_t cfg, uint16_t off);
void pci_write32(uint64_t cfg, uint16_t off, uint32_t v);
uint16_t pci_read16(uint64_t cfg, uint16_t off);

/* Offset of a capability (legacy list) or 0. The walks are bounded: a looping list ends. */
uint16_t pci_find_cap(uint64_t cfg, uint8_t id);
/* Offset of a DVSEC with this vendor and id in the extended capabilities, or 0. */
uint16_t pci_find_dvsec(uint64_t cfg, uint16_t vendor, uint16_t id);
/* Memory BAR bir (64-bit BARs span two), or 0 if it is I/O, unassigned or out of range. */
uint64_t pci_bar(uint64_t cfg, unsigned bir);
/* The address of a register block named in the CXL Register Locator DVSEC, or 0. */
uint64_t pci_regloc_find(uint64_t cfg, uint8_t block_id);

#endif
