/* SPDX-License-Identifier: MIT */
/*
 * CXL 1.1 hosts: a CHBS of CXL version 0 names a Restricted CXL Host whose
 * downstream port is an 8 KiB RCRB, not a PCIe root port (CXL 3.1 §8.2.1.1,
 * §9.11.8; Linux __rcrb_to_component). cxlval reads it and never writes it;
 * windows that target such a host are refused with reason rch_host_bridge.
 */
#ifndef CXLVAL_RCH_H
#define CXLVAL_RCH_H

#include "cxl/bridge_map.h"
#include "cxl/topology.h"
#include "lib/diag.h"

/* Adds the RCH and reads its RCRB (id, MEMBAR0) read-only. Returns its index or -1. */
int cxl_rch_add(struct cxl_topology *t, uint32_t uid, uint64_t rcrb, int cedt_index);

/*
 * A root-complex-integrated endpoint with the CXL device DVSEC: the RCD of
 * the RCH whose root bus holds it (bridges names the host). Its DVSEC ranges
 * are read (never written) and checked against the windows that target the
 * host: a range firmware enabled outside all of them is finding
 * rch.range_outside_window. false when no RCH claims it.
 */
bool cxl_rch_attach_rciep(struct cxl_topology *t, const struct bridge_map *bridges, struct cxl_bdf bdf, uint64_t cfg,
			  struct diag_sink *sink);

#endif
