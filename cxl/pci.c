// SPDX-License-Identifier: MIT
#include "cxl/pci.h"

#include "cxl/pci_regs.h"
#include "cxl/regs.h"
#include "lib/platform.h"

#define MAX_CAP_WALK 64

uint32_t pci_read32(uint64_t cfg, uint16_t off)
{
	return plat_mmio_read32(cfg + (off & 0xffc));
}

void pci_write32(uint64_t cfg, uint16_t off, uint32_t v)
{
	plat_mmio_write32(cfg + (off & 0xffc), v);
}

uint16_t pci_read16(uint64_t cfg, uint16_t off)
{
	return (uint16_t)(pci_read32(cfg, off) >> (8 * (off & 2)));
}

uint16_t pci_find_cap(uint64_t cfg, uint8_t id)
{
	uint8_t ptr;

	if (!(pci_read32(cfg, PCI_COMMAND) & PCI_STATUS_CAP_LIST))
		return 0;
	ptr = (uint8_t)pci_read32(cfg, PCI_CAP_PTR) & 0xfc;
	for (int n = 0; n < MAX_CAP_WALK && ptr >= 0x40; n++) {
		uint32_t hdr = pci_read32(cfg, ptr);

		if ((hdr & 0xff) == id)
			return ptr;
		ptr = (uint8_t)(hdr >> 8) & 0xfc;
	}
	return 0;
}

uint16_t pci_find_dvsec(uint64_t cfg, uint16_t vendor, uint16_t id)
{
	uint16_t off = PCI_EXT_CAP_START;

	for (int n = 0; n < MAX_CAP_WALK && off >= PCI_EXT_CAP_START && off < PCI_CFG_SPACE_SIZE; n++) {
		uint32_t hdr = pci_read32(cfg, off);

		if (hdr == 0 || hdr == ~0U)
			return 0;
		if (FIELD_GET(PCI_EXT_CAP_ID, hdr) == PCI_EXT_CAP_ID_DVSEC &&
		    FIELD_GET(PCI_DVSEC_VENDOR, pci_read32(cfg, off + PCI_DVSEC_HEADER1)) == vendor &&
		    FIELD_GET(PCI_DVSEC_ID, pci_read32(cfg, off + PCI_DVSEC_HEADER2)) == id)
			return off;
		off = (uint16_t)FIELD_GET(PCI_EXT_CAP_NEXT, hdr) & 0xffc;
	}
	return 0;
}

uint64_t pci_bar(uint64_t cfg, unsigned bir)
{
	uint32_t lo;
	uint64_t addr;

	if (bir > 5)
		return 0;
	lo = pci_read32(cfg, (uint16_t)(PCI_BAR0 + 4 * bir));
	if (lo & PCI_BAR_IO)
		return 0;
	addr = lo & PCI_BAR_MEM_MASK;
	if (FIELD_GET(PCI_BAR_TYPE, lo) == PCI_BAR_TYPE_64) {
		if (bir == 5)
			return 0;
		addr |= (uint64_t)pci_read32(cfg, (uint16_t)(PCI_BAR0 + 4 * bir + 4)) << 32;
	}
	return addr;
}

uint64_t pci_regloc_find(uint64_t cfg, uint8_t block_id)
{
	uint16_t dvsec = pci_find_dvsec(cfg, CXL_DVSEC_VENDOR, CXL_DVSEC_REG_LOCATOR);
	uint32_t len;

	if (!dvsec)
		return 0;
	len = FIELD_GET(PCI_DVSEC_LENGTH, pci_read32(cfg, dvsec + PCI_DVSEC_HEADER1));
	/* Entries past the end of config space would wrap the 16-bit offset back to its start. */
	for (uint32_t e = CXL_REGLOC_FIRST; e + 8 <= len && dvsec + e + 8 <= PCI_CFG_SPACE_SIZE; e += 8) {
		uint32_t lo = pci_read32(cfg, (uint16_t)(dvsec + e));
		uint32_t hi = pci_read32(cfg, (uint16_t)(dvsec + e + 4));
		uint64_t bar;

		if (FIELD_GET(CXL_REGLOC_BLOCK_ID, lo) != block_id)
			continue;
		bar = pci_bar(cfg, FIELD_GET(CXL_REGLOC_BIR, lo));
		return bar ? bar + ((uint64_t)hi << 32 | (lo & CXL_REGLOC_OFFSET_LOW)) : 0;
	}
	return 0;
}
