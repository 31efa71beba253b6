// SPDX-License-Identifier: MIT
#include "cxl/rch.h"

#include "lib/platform.h"
#include "cxl/pci_regs.h"
#include "cxl/regs.h"

int cxl_rch_add(struct cxl_topology *t, uint32_t uid, uint64_t rcrb, int cedt_index)
{
	struct cxl_rch *r;
	uint32_t lo;

	if (t->nr_rch >= CXL_MAX_RCH) {
		t->overflow = true;
		return -1;
	}
	r = &t->rch[t->nr_rch];
	r->uid = uid;
	r->rcrb = rcrb;
	r->cedt_index = cedt_index;
	r->component_base = 0;
	r->dport_id = rcrb ? plat_mmio_read32(rcrb + CXL_RCRB_ID) : ~0U;
	/* Absent, or MEMBAR0 off or not a 64-bit memory BAR: no component registers to name. */
	if (r->dport_id && r->dport_id != ~0U &&
	    (plat_mmio_read32(rcrb + CXL_RCRB_COMMAND) & PCI_COMMAND_MEMORY)) {
		lo = plat_mmio_read32(rcrb + CXL_RCRB_MEMBAR0_LOW);
		if (!(lo & PCI_BAR_IO) && FIELD_GET(PCI_BAR_TYPE, lo) == PCI_BAR_TYPE_64)
			r->component_base = (uint64_t)plat_mmio_read32(rcrb + CXL_RCRB_MEMBAR0_HIGH) << 32 |
					    (lo & PCI_BAR_MEM_MASK);
	}
	return (int)t->nr_rch++;
}
