/* SPDX-License-Identifier: MIT */
/*
 * The PCIe DVSEC for CXL devices (CXL 3.1 §8.1.3) read whole: capability,
 * control, both range registers. A device firmware left decoding through
 * its range registers (CXL 1.1 style: Mem_Enable set, a valid range, HDM
 * Decoder Enable clear) belongs to firmware: Linux keeps it that way
 * (cxl_dvsec_rr_decode, cxl_hdm_decode_init: "legacy range registers
 * configuration prevents HDM operation"), and so does cxlval.
 */
#ifndef CXLVAL_DVSEC_H
#define CXLVAL_DVSEC_H

#include <stdint.h>

#include "cxl/topology.h"

/* Longest wait for Memory_Active, as Linux's media_ready_timeout (60 s). */
#define CXL_MEDIA_READY_MAX_MS 60000U
/* Memory_Info_Valid must be set within 1 s of reset (§8.1.3.8.2; Linux cxl_dvsec_mem_range_valid). */
#define CXL_MEM_INFO_VALID_MS 1000U

/*
 * Reads capability, control and the ranges into ep, waiting (bounded) for
 * Memory_Info_Valid and then Memory_Active of every range the device has
 * (Linux cxl_await_media_ready); ep->media_ready says whether it came.
 */
void cxl_dvsec_read(uint64_t cfg, uint16_t dvsec, struct cxl_endpoint *ep);

/* After the HDM global control is known: does firmware decode it through its range registers? */
bool cxl_dvsec_rr_decoding(const struct cxl_endpoint *ep, bool hdm_present, uint32_t hdm_global);

/*
 * Capacity from the ranges when the mailbox cannot tell: DPA runs from range
 * 1 into range 2; volatile media first, and from the first range that is not
 * plainly volatile (non-volatile, "see CDAT", reserved) on, persistent, the
 * reading that keeps data safe.
 */
void cxl_dvsec_capacity(const struct cxl_endpoint *ep, uint64_t *volatile_bytes, uint64_t *persistent_bytes);

#endif
