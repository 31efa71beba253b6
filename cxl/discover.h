/* SPDX-License-Identifier: MIT */
/*
 * Discovery: fill the topology model (cxl/topology.h) from the CEDT and a
 * scan of PCIe config space, and remember where each component's registers
 * are. Every decoder's registers, the HDM global control and Mem_Enable are
 * saved as found, so the driver can leave the machine as it was.
 */
#ifndef CXLVAL_DISCOVER_H
#define CXLVAL_DISCOVER_H

#include "acpi/cedt.h"
#include "acpi/dsdt.h"
#include "acpi/mcfg.h"
#include "cxl/topology.h"
#include "lib/diag.h"

/* A function of the config-space scan that carries a CXL DVSEC (discovery's working list). */
struct cxl_found {
	struct cxl_bdf bdf;
	uint64_t cfg;
	uint8_t type;	   /* PCIe device/port type */
	uint8_t secondary; /* bridges: the bus below */
	int16_t model;	   /* dports[] (root/downstream ports) or ports[] (upstream ports) index, or -1 */
};

#define CXL_MAX_FOUND 256

#define CXL_MAX_MSE (CXL_MAX_DPORTS + CXL_MAX_PORTS + CXL_MAX_ENDPOINTS)

/* Where the hardware behind the model is. 0 = absent. */
struct cxl_hw {
	uint64_t port_hdm[CXL_MAX_PORTS]; /* HDM decoder capability MMIO */
	uint64_t ep_hdm[CXL_MAX_ENDPOINTS];
	uint64_t ep_cfg[CXL_MAX_ENDPOINTS];	 /* ECAM of the endpoint function */
	uint16_t ep_dvsec[CXL_MAX_ENDPOINTS];	 /* its PCIe DVSEC for CXL devices */
	uint32_t port_global_saved[CXL_MAX_PORTS]; /* HDM global control as found */
	uint32_t ep_global_saved[CXL_MAX_ENDPOINTS];
	uint16_t ep_dvsec_ctrl_saved[CXL_MAX_ENDPOINTS];
	bool ep_capacity_from_mailbox[CXL_MAX_ENDPOINTS]; /* else from DVSEC range 1 */
	/* Functions whose PCI Memory Space Enable discovery set, and their Command register as found. */
	unsigned nr_mse;
	uint64_t mse_cfg[CXL_MAX_MSE];
	uint16_t mse_saved[CXL_MAX_MSE];
	/* discovery's working state */
	struct cxl_found found[CXL_MAX_FOUND];
	unsigned nr_found;
	const struct aml_host_bridge *aml;
	unsigned nr_aml;
};

/* The windows of the CEDT's valid CFMWS, with their CXIMS, as the planner wants them. */
void cxl_windows_from_cedt(struct cxl_topology *t, const struct cedt *cedt);

/*
 * Host bridges from valid CHBS, then everything below them from ECAM. Every
 * CXL port and endpoint found gets PCI Memory Space Enable before its BARs
 * are used (a finding, pci.memory_enabled, says which were off). A root
 * port belongs to the host bridge whose ACPI0016 _BBN is its bus (aml may be
 * NULL: then, as in QEMU, the host bridge whose UID is the bus number).
 * Returns 0, -1 if nothing usable.
 */
int cxl_discover(struct cxl_topology *t, struct cxl_hw *hw, const struct cedt *cedt, const struct mcfg *mcfg,
		 const struct aml_host_bridge *aml, unsigned nr_aml, struct diag_sink *sink);

/* Puts back the PCI Command registers discovery changed (Memory Space Enable). */
void cxl_discover_restore(const struct cxl_hw *hw);

/* The HDM decoder capability inside a component register block, or 0. */
uint64_t cxl_find_hdm(uint64_t component_base);

/*
 * Reads the HDM decoder capability of a component register block (0: none)
 * and every decoder as firmware left them into t->decoders; the HDM global
 * control as found goes to *global_saved. Endpoints decode DPA skip, ports
 * target lists. Returns the capability MMIO or 0. Public for the fuzzer.
 */
uint64_t cxl_read_hdm(struct cxl_topology *t, uint64_t component_base, struct cxl_hdm *hdm, bool endpoint,
		      uint32_t *global_saved);

#endif
