// SPDX-License-Identifier: MIT
#include "cxl/discover.h"

#include <string.h>

#include "cxl/mbox.h"
#include "cxl/pci.h"
#include "cxl/pci_regs.h"
#include "cxl/regs.h"
#include "lib/platform.h"

#define MAX_CAP_ARRAY 32

void cxl_windows_from_cedt(struct cxl_topology *t, const struct cedt *cedt)
{
	for (unsigned i = 0; i < cedt->nr_cfmws; i++) {
		const struct cedt_cfmws *c = &cedt->cfmws[i];
		const struct cedt_cxims *x = cedt_cxims_for(cedt, c);
		struct cxl_window w;

		if (!c->at.valid)
			continue;
		memset(&w, 0, sizeof(w));
		w.base = c->base;
		w.size = c->size;
		w.ways = c->ways;
		w.granularity = (unsigned)c->granularity;
		w.arith = c->arithmetic == CFMWS_ARITH_XOR ? ILEAVE_XOR : ILEAVE_MODULO;
		if (x) {
			w.nr_xormaps = x->nr_xormaps < ILEAVE_MAX_XORMAPS ? x->nr_xormaps : ILEAVE_MAX_XORMAPS;
			memcpy(w.xormaps, x->xormap, w.nr_xormaps * sizeof(w.xormaps[0]));
		}
		w.restrictions = c->restrictions;
		w.allow_type3 = c->restrictions & CFMWS_RESTRICT_TYPE3;
		w.allow_volatile = c->restrictions & CFMWS_RESTRICT_VOLATILE;
		w.allow_persistent = c->restrictions & CFMWS_RESTRICT_PMEM;
		w.fixed_config = c->restrictions & CFMWS_RESTRICT_FIXED;
		for (unsigned k = 0; k < c->nr_targets && k < ILEAVE_MAX_WAYS; k++)
			w.target_uid[k] = c->target_uid[k];
		w.cedt_index = c->at.index;
		cxl_topo_add_window(t, &w);
	}
}

uint64_t cxl_find_hdm(uint64_t component_base)
{
	uint64_t cm = component_base + CXL_CM_OFFSET;
	uint32_t hdr = plat_mmio_read32(cm);
	unsigned n = FIELD_GET(CXL_CM_CAP_HDR_ARRAY_SIZE, hdr);

	if (FIELD_GET(CXL_CM_CAP_HDR_ID, hdr) != CXL_CM_CAP_ID_ARRAY || hdr == ~0U)
		return 0;
	for (unsigned i = 1; i <= n && i < MAX_CAP_ARRAY; i++) {
		uint32_t e = plat_mmio_read32(cm + 4 * i);
		uint32_t ptr = FIELD_GET(CXL_CM_CAP_ENTRY_PTR, e);

		/* A pointer off a dword boundary is broken hardware: following it means unaligned MMIO. */
		if (FIELD_GET(CXL_CM_CAP_ENTRY_ID, e) == CXL_CM_CAP_ID_HDM && ptr && IS_ALIGNED(ptr, sizeof(uint32_t)))
			return cm + ptr;
	}
	return 0;
}

static void read_decoder(uint64_t hdm, unsigned m, bool endpoint, struct cxl_decoder *d)
{
	uint64_t r = hdm + CXL_HDM_DECODER(m);
	int ways, gran;

	d->base = (uint64_t)plat_mmio_read32(r + CXL_HDM_BASE_HIGH) << 32 |
		  (plat_mmio_read32(r + CXL_HDM_BASE_LOW) & CXL_HDM_ADDR_LOW_MASK);
	d->size = (uint64_t)plat_mmio_read32(r + CXL_HDM_SIZE_HIGH) << 32 |
		  (plat_mmio_read32(r + CXL_HDM_SIZE_LOW) & CXL_HDM_ADDR_LOW_MASK);
	d->ctrl = plat_mmio_read32(r + CXL_HDM_CTRL);
	d->target_lo = plat_mmio_read32(r + CXL_HDM_TARGET_LOW);
	d->target_hi = plat_mmio_read32(r + CXL_HDM_TARGET_HIGH);
	ways = ileave_eniw_to_ways(FIELD_GET(CXL_HDM_CTRL_IW, d->ctrl));
	gran = ileave_ig_to_gran(FIELD_GET(CXL_HDM_CTRL_IG, d->ctrl));
	d->ways = ways > 0 ? (unsigned)ways : 0;
	d->granularity = gran > 0 ? (unsigned)gran : 0;
	d->committed = d->ctrl & CXL_HDM_CTRL_COMMITTED;
	d->locked = d->committed && (d->ctrl & CXL_HDM_CTRL_LOCK_ON_COMMIT);
	d->owned_by_firmware = d->committed;
	if (endpoint) {
		d->dpa_skip = (uint64_t)d->target_hi << 32 | (d->target_lo & CXL_HDM_DPA_SKIP_LOW_MASK);
	} else {
		for (unsigned k = 0; k < CXL_MAX_PORT_TARGETS; k++)
			d->targets[k] = (uint8_t)((k < 4 ? d->target_lo >> (8 * k) : d->target_hi >> (8 * (k - 4))));
	}
}

uint64_t cxl_read_hdm(struct cxl_topology *t, uint64_t component_base, struct cxl_hdm *hdm, bool endpoint,
		      uint32_t *global_saved)
{
	uint64_t regs = component_base ? cxl_find_hdm(component_base) : 0;

	memset(hdm, 0, sizeof(*hdm));
	if (!regs)
		return 0;
	hdm->present = true;
	hdm->cap = plat_mmio_read32(regs + CXL_HDM_CAP);
	hdm->nr_decoders = (uint8_t)cxl_hdm_decoder_count(hdm->cap);
	hdm->nr_targets = (uint8_t)FIELD_GET(CXL_HDM_CAP_TARGET_COUNT, hdm->cap);
	hdm->iw_3_6_12 = hdm->cap & CXL_HDM_CAP_3_6_12_WAY;
	hdm->iw_16 = hdm->cap & CXL_HDM_CAP_16_WAY;
	hdm->ileave_bits_missing = ~cxl_hdm_interleave_bits(hdm->cap);
	*global_saved = plat_mmio_read32(regs + CXL_HDM_GLOBAL_CTRL);
	if (cxl_topo_alloc_decoders(t, hdm, hdm->nr_decoders))
		return regs;
	uint64_t dpa_end = 0;

	for (unsigned m = 0; m < hdm->nr_decoders; m++) {
		struct cxl_decoder *d = &t->decoders[hdm->first_decoder + m];

		read_decoder(regs, m, endpoint, d);
		/*
		 * Committed endpoint decoders claim DPA one after another, each after its skip.
		 * Garbage skip or size must not wrap past 2^64: that would make claimed DPA look free.
		 */
		if (endpoint && d->committed && d->ways) {
			if (__builtin_add_overflow(dpa_end, d->dpa_skip, &d->dpa_base))
				d->dpa_base = UINT64_MAX;
			d->dpa_size = d->size / d->ways;
			if (d->dpa_size > UINT64_MAX - d->dpa_base)
				d->dpa_size = UINT64_MAX - d->dpa_base;
			dpa_end = d->dpa_base + d->dpa_size;
		}
	}
	return regs;
}

/* The function of one of these types whose secondary bus is bus, as modelled. */
static const struct cxl_found *bridge_above(const struct cxl_hw *hw, uint8_t bus, uint8_t type_a, uint8_t type_b)
{
	const struct cxl_found *found = hw->found;

	for (unsigned i = 0; i < hw->nr_found; i++)
		if (found[i].model >= 0 && found[i].secondary == bus &&
		    (found[i].type == type_a || found[i].type == type_b))
			return &found[i];
	return NULL;
}

static uint8_t port_number(uint64_t cfg)
{
	uint16_t exp = pci_find_cap(cfg, PCI_CAP_ID_EXP);

	return exp ? (uint8_t)FIELD_GET(PCI_EXP_LNKCAP_PN, pci_read32(cfg, exp + PCI_EXP_LNKCAP)) : 0;
}

/* The mailbox knows the partitions; DVSEC range 1 (read before) is the fallback. */
static void read_capacity(struct cxl_hw *hw, const struct cxl_found *f, int idx, struct cxl_endpoint *ep,
			  struct diag_sink *sink)
{
	struct cxl_mbox mb;
	struct cxl_capacity cap;
	enum mbox_error e;
	uint16_t rc = 0;

	e = cxl_mbox_find(pci_regloc_find(f->cfg, CXL_REGLOC_BLOCK_MEMDEV), &mb);
	if (!e)
		e = cxl_mbox_capacity(&mb, CXL_MBOX_TIMEOUT_MS, &cap, &rc);
	if (e) {
		diag_report(sink, DIAG_WARN, "mailbox", DIAG_NO_INDEX, "memdev", NULL, DIAG_NO_OFFSET, "mbox.capacity",
			    "%02x:%02x.%x: Identify/Get Partition Info failed (%s, return code 0x%x); capacity from "
			    "the DVSEC range registers", f->bdf.bus, f->bdf.dev, f->bdf.fn, mbox_error_name(e), rc);
		return;
	}
	ep->volatile_bytes = cap.active_volatile;
	ep->persistent_bytes = cap.active_persistent;
	hw->ep_capacity_from_mailbox[idx] = true;
}

static void add_endpoint(struct cxl_topology *t, struct cxl_hw *hw, const struct cxl_found *f, int dport,
			 struct diag_sink *sink)
{
	int idx = cxl_topo_add_endpoint(t, dport, f->bdf, pci_regloc_find(f->cfg, CXL_REGLOC_BLOCK_COMPONENT));
	struct cxl_endpoint *ep;
	uint16_t dvsec;

	if (idx < 0)
		return;
	ep = &t->endpoints[idx];
	ep->type3 = (pci_read32(f->cfg, PCI_CLASS_REVISION) >> 8) == PCI_CLASS_CXL_MEMDEV;
	hw->ep_cfg[idx] = f->cfg;
	dvsec = pci_find_dvsec(f->cfg, CXL_DVSEC_VENDOR, CXL_DVSEC_PCIE_DEVICE);
	hw->ep_dvsec[idx] = dvsec;
	if (dvsec) {
		uint32_t lo = pci_read32(f->cfg, dvsec + CXL_DVSEC_RANGE_SIZE_LOW(0));

		hw->ep_dvsec_ctrl_saved[idx] = pci_read16(f->cfg, dvsec + CXL_DVSEC_CTRL);
		/* Capacity from DVSEC range 1 until the mailbox is read; QEMU backs it with pmem. */
		if (lo & CXL_DVSEC_MEM_INFO_VALID)
			ep->persistent_bytes = (uint64_t)pci_read32(f->cfg, dvsec + CXL_DVSEC_RANGE_SIZE_HIGH(0)) << 32 |
					       (lo & CXL_DVSEC_MEM_SIZE_LOW);
	}
	read_capacity(hw, f, idx, ep, sink);
	hw->ep_hdm[idx] = cxl_read_hdm(t, ep->component_base, &ep->hdm, true, &hw->ep_global_saved[idx]);
}

/* The UID of the host bridge whose root bus is bus: _BBN from the namespace, else UID = bus (QEMU). */
static uint32_t host_bridge_uid_for_bus(const struct cxl_hw *hw, uint8_t bus)
{
	for (unsigned i = 0; i < hw->nr_aml; i++)
		if (hw->aml[i].has_uid && hw->aml[i].has_bbn && hw->aml[i].bbn == bus)
			return (uint32_t)hw->aml[i].uid;
	return bus;
}

/* Parents are modelled before children because buses below a bridge are numbered after it. */
static void add_function(struct cxl_topology *t, struct cxl_hw *hw, struct cxl_found *f, struct diag_sink *sink)
{
	const struct cxl_found *up;
	int idx;

	switch (f->type) {
	case PCI_EXP_TYPE_ROOT_PORT:
		idx = cxl_topo_find_host_bridge(t, host_bridge_uid_for_bus(hw, f->bdf.bus));
		if (idx < 0) {
			diag_report(sink, DIAG_WARN, "PCI", DIAG_NO_INDEX, "root port", NULL, DIAG_NO_OFFSET,
				    "topo.root_port_orphan",
				    "CXL root port %02x:%02x.%x: no CHBS host bridge with UID %u (_BBN or bus number)",
				    f->bdf.bus, f->bdf.dev, f->bdf.fn, host_bridge_uid_for_bus(hw, f->bdf.bus));
			return;
		}
		f->model = (int16_t)cxl_topo_add_dport(t, idx, port_number(f->cfg), f->bdf);
		break;
	case PCI_EXP_TYPE_UPSTREAM:
		up = bridge_above(hw, f->bdf.bus, PCI_EXP_TYPE_ROOT_PORT, PCI_EXP_TYPE_DOWNSTREAM);
		if (!up)
			return;
		f->model = (int16_t)cxl_topo_add_switch(t, up->model, f->bdf,
							pci_regloc_find(f->cfg, CXL_REGLOC_BLOCK_COMPONENT));
		if (f->model >= 0)
			hw->port_hdm[f->model] = cxl_read_hdm(t, t->ports[f->model].component_base,
							      &t->ports[f->model].hdm, false,
							      &hw->port_global_saved[f->model]);
		break;
	case PCI_EXP_TYPE_DOWNSTREAM:
		up = bridge_above(hw, f->bdf.bus, PCI_EXP_TYPE_UPSTREAM, PCI_EXP_TYPE_UPSTREAM);
		if (up)
			f->model = (int16_t)cxl_topo_add_dport(t, up->model, port_number(f->cfg), f->bdf);
		break;
	case PCI_EXP_TYPE_ENDPOINT:
	case PCI_EXP_TYPE_RC_END:
		up = bridge_above(hw, f->bdf.bus, PCI_EXP_TYPE_ROOT_PORT, PCI_EXP_TYPE_DOWNSTREAM);
		if (up)
			add_endpoint(t, hw, f, up->model, sink);
		break;
	}
}

/* A function that carries any CXL DVSEC is part of the CXL hierarchy. */
static void probe(struct cxl_hw *hw, uint64_t cfg, struct cxl_bdf bdf)
{
	uint16_t exp;
	struct cxl_found *f;

	if (hw->nr_found >= CXL_MAX_FOUND || !(pci_find_dvsec(cfg, CXL_DVSEC_VENDOR, CXL_DVSEC_REG_LOCATOR) ||
					pci_find_dvsec(cfg, CXL_DVSEC_VENDOR, CXL_DVSEC_PCIE_DEVICE) ||
					pci_find_dvsec(cfg, CXL_DVSEC_VENDOR, CXL_DVSEC_PORT_EXTENSIONS)))
		return;
	exp = pci_find_cap(cfg, PCI_CAP_ID_EXP);
	if (!exp)
		return;
	f = &hw->found[hw->nr_found++];
	f->bdf = bdf;
	f->cfg = cfg;
	f->type = (uint8_t)FIELD_GET(PCI_EXP_TYPE, pci_read32(cfg, exp + PCI_EXP_FLAGS));
	f->secondary = FIELD_GET(PCI_HEADER_TYPE_MASK, pci_read32(cfg, PCI_HEADER_TYPE)) == 1
			       ? (uint8_t)FIELD_GET(PCI_SECONDARY_BUS, pci_read32(cfg, PCI_BUS_NUMBERS))
			       : 0;
	f->model = -1;
}

/* Every bus the MCFG covers: pxb-style host bridges hang off no bridge on bus 0. */
static void scan(struct cxl_hw *hw, const struct mcfg *mcfg)
{
	hw->nr_found = 0;
	for (unsigned e = 0; e < mcfg->count; e++) {
		const struct mcfg_entry *m = &mcfg->entry[e];

		if (!m->valid)
			continue;
		for (unsigned bus = m->start_bus; bus <= m->end_bus; bus++)
			for (uint8_t dev = 0; dev < 32; dev++)
				for (uint8_t fn = 0; fn < 8; fn++) {
					struct cxl_bdf bdf = { m->segment, (uint8_t)bus, dev, fn };
					uint64_t cfg;
					uint32_t id;

					if (!mcfg_ecam_address(mcfg, m->segment, (uint8_t)bus, dev, fn, 0, &cfg))
						break;
					id = pci_read32(cfg, PCI_VENDOR_DEVICE);
					if ((id & 0xffff) == 0xffff || (id & 0xffff) == 0) {
						if (fn == 0)
							break;
						continue;
					}
					probe(hw, cfg, bdf);
					if (fn == 0 && !(pci_read32(cfg, PCI_HEADER_TYPE) & PCI_HEADER_MULTIFUNCTION))
						break;
				}
	}
}

/*
 * A function whose Memory Space Enable is clear does not decode its BARs, and
 * a bridge with it clear forwards no memory requests below it: register reads
 * return all ones. Firmware may leave it so for devices it has no driver for
 * (PCIe Base 6.0 §7.5.1.1.3). Turned on for the run, put back by the restore.
 */
static void memory_space_enable(struct cxl_hw *hw, const struct cxl_found *f, struct diag_sink *sink)
{
	uint16_t cmd = pci_read16(f->cfg, PCI_COMMAND);

	if (cmd == 0xffff || (cmd & PCI_COMMAND_MEMORY) || hw->nr_mse >= CXL_MAX_MSE)
		return;
	hw->mse_cfg[hw->nr_mse] = f->cfg;
	hw->mse_saved[hw->nr_mse++] = cmd;
	/* The upper half is Status, write-1-to-clear: zeros leave it alone. */
	pci_write32(f->cfg, PCI_COMMAND, (uint32_t)(cmd | PCI_COMMAND_MEMORY));
	diag_report(sink, DIAG_INFO, "PCI", DIAG_NO_INDEX, "Command", "Memory Space Enable", PCI_COMMAND,
		    "pci.memory_enabled", "%04x:%02x:%02x.%x: Memory Space Enable was clear (Command 0x%04x): set "
		    "for the run, put back at the restore", f->bdf.seg, f->bdf.bus, f->bdf.dev, f->bdf.fn, cmd);
}

void cxl_discover_restore(const struct cxl_hw *hw)
{
	for (unsigned i = hw->nr_mse; i-- > 0;)
		pci_write32(hw->mse_cfg[i], PCI_COMMAND, hw->mse_saved[i]);
}

int cxl_discover(struct cxl_topology *t, struct cxl_hw *hw, const struct cedt *cedt, const struct mcfg *mcfg,
		 const struct aml_host_bridge *aml, unsigned nr_aml, struct diag_sink *sink)
{
	memset(hw, 0, sizeof(*hw));
	hw->aml = aml;
	hw->nr_aml = aml ? nr_aml : 0;
	for (unsigned i = 0; i < cedt->nr_chbs; i++) {
		const struct cedt_chbs *c = &cedt->chbs[i];
		int idx;

		if (!c->at.valid)
			continue;
		if (c->version != CHBS_VERSION_CHBCR) {
			diag_report(sink, DIAG_WARN, "CEDT", c->at.index, "CHBS", "CXL Version",
				    c->at.offset + CHBS_VERSION, "topo.rch_unsupported",
				    "host bridge UID %u is an RCH (CXL 1.1): not supported by cxlval", c->uid);
			continue;
		}
		idx = cxl_topo_add_host_bridge(t, c->uid, c->base);
		if (idx >= 0)
			hw->port_hdm[idx] = cxl_read_hdm(t, c->base, &t->ports[idx].hdm, false,
							 &hw->port_global_saved[idx]);
	}
	if (!mcfg->count)
		return t->nr_ports ? 0 : -1;
	scan(hw, mcfg);
	for (unsigned i = 0; i < hw->nr_found; i++)
		memory_space_enable(hw, &hw->found[i], sink);
	for (unsigned i = 0; i < hw->nr_found; i++)
		add_function(t, hw, &hw->found[i], sink);
	if (t->nr_ports)
		return 0;
	cxl_discover_restore(hw); /* nothing to use: no restore phase will follow */
	return -1;
}
