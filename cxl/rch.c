// SPDX-License-Identifier: MIT
#include "cxl/rch.h"

#include <string.h>

#include "lib/platform.h"
#include "cxl/dvsec.h"
#include "cxl/pci.h"
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

static bool targets(const struct cxl_window *w, uint32_t uid)
{
	for (unsigned k = 0; k < w->ways && k < ILEAVE_MAX_WAYS; k++)
		if (w->target_uid[k] == uid)
			return true;
	return false;
}

static bool in_rch_window(const struct cxl_topology *t, uint32_t uid, const struct cxl_range_reg *r)
{
	for (unsigned w = 0; w < t->nr_windows; w++) {
		const struct cxl_window *win = &t->windows[w];

		if (targets(win, uid) && r->base >= win->base && r->size <= win->size &&
		    r->base - win->base <= win->size - r->size)
			return true;
	}
	return false;
}

bool cxl_rch_attach_rciep(struct cxl_topology *t, const struct bridge_map *bridges, struct cxl_bdf bdf, uint64_t cfg,
			  struct diag_sink *sink)
{
	struct cxl_endpoint dev;
	struct cxl_rch *rch;
	uint32_t uid = 0;
	uint16_t dvsec;
	int i;

	if (cxl_host_bridge_uid(bridges, bdf.seg, bdf.bus, &uid) == HB_NONE || (i = cxl_topo_find_rch(t, uid)) < 0 ||
	    t->rch[i].has_rciep)
		return false;
	rch = &t->rch[i];
	rch->has_rciep = true;
	rch->rciep = bdf;
	dvsec = pci_find_dvsec(cfg, CXL_DVSEC_VENDOR, CXL_DVSEC_PCIE_DEVICE);
	if (!dvsec)
		return true;
	memset(&dev, 0, sizeof(dev));
	cxl_dvsec_read(cfg, dvsec, &dev);
	rch->mem_enable = dev.mem_enable;
	for (unsigned k = 0; k < 2; k++) {
		rch->rr[k] = dev.rr[k];
		rch->rr_in_window[k] = dev.rr[k].valid && dev.rr[k].size && in_rch_window(t, uid, &dev.rr[k]);
		if (rch->mem_enable && dev.rr[k].valid && dev.rr[k].size && !rch->rr_in_window[k])
			diag_report(sink, DIAG_WARN, "PCI", DIAG_NO_INDEX, "RCD", "DVSEC Range", DIAG_NO_OFFSET,
				    "rch.range_outside_window",
				    "RCD %04x:%02x:%02x.%x of RCH UID %u: range %u [0x%llx, +0x%llx) is enabled but lies in "
				    "no CFMWS window that targets the host", bdf.seg, bdf.bus, bdf.dev, bdf.fn, uid, k + 1,
				    (unsigned long long)dev.rr[k].base, (unsigned long long)dev.rr[k].size);
	}
	return true;
}
