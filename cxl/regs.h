/* SPDX-License-Identifier: MIT */
/*
 * CXL registers cxlval uses, each field defined once, with its CXL 3.1
 * section. Names follow Linux drivers/cxl/cxl.h and cxlpci.h where they exist.
 * Component registers are accessed 32 bits at a time only.
 */
#ifndef CXLVAL_CXL_REGS_H
#define CXLVAL_CXL_REGS_H

#include "core/bits.h"

/* §8.1.1 DVSECs: vendor id of the CXL consortium */
#define CXL_DVSEC_VENDOR 0x1e98
#define CXL_DVSEC_PCIE_DEVICE 0 /* §8.1.3 */
#define CXL_DVSEC_PORT_EXTENSIONS 3 /* §8.1.5 */
#define CXL_DVSEC_FLEXBUS_PORT 7 /* §8.1.8 */
#define CXL_DVSEC_REG_LOCATOR 8 /* §8.1.9 */

/* §8.1.3 PCIe DVSEC for CXL devices (offsets from the DVSEC start) */
#define CXL_DVSEC_CAP 0x0a	   /* 16-bit, in the dword at 0x08 [31:16] */
#define CXL_DVSEC_CTRL 0x0c	   /* 16-bit control [15:0], status [31:16] */
#define CXL_DVSEC_MEM_ENABLE BIT(2)
#define CXL_DVSEC_RANGE_SIZE_HIGH(i) (0x18 + (i) * 0x10)
#define CXL_DVSEC_RANGE_SIZE_LOW(i) (0x1c + (i) * 0x10)
#define CXL_DVSEC_MEM_INFO_VALID BIT(0)
#define CXL_DVSEC_MEM_SIZE_LOW GENMASK(31, 28)

/* §8.1.9 Register Locator DVSEC: entries of two dwords from +0x0c */
#define CXL_REGLOC_FIRST 0x0c
#define CXL_REGLOC_BIR GENMASK(2, 0)
#define CXL_REGLOC_BLOCK_ID GENMASK(15, 8)
#define CXL_REGLOC_OFFSET_LOW GENMASK(31, 16) /* offset bits [31:16]; high dword holds [63:32] */
#define CXL_REGLOC_BLOCK_COMPONENT 1
#define CXL_REGLOC_BLOCK_VIRT 2
#define CXL_REGLOC_BLOCK_MEMDEV 3

/* §8.2.3 component register layout: a 64 KiB block, CXL.cache/CXL.mem registers at +4 KiB */
#define CXL_COMPONENT_BLOCK_SIZE 0x10000ULL
#define CXL_CM_OFFSET 0x1000
#define CXL_CM_CAP_HDR_ID GENMASK(15, 0)
#define CXL_CM_CAP_HDR_ARRAY_SIZE GENMASK(31, 24)
#define CXL_CM_CAP_ID_ARRAY 1
#define CXL_CM_CAP_ID_RAS 2
#define CXL_CM_CAP_ID_HDM 5
#define CXL_CM_CAP_ENTRY_ID GENMASK(15, 0)
#define CXL_CM_CAP_ENTRY_PTR GENMASK(31, 20)

/* §8.2.4.20 HDM Decoder Capability structure (offsets from its start) */
#define CXL_HDM_CAP 0x00
#define CXL_HDM_CAP_DECODER_COUNT GENMASK(3, 0) /* 0 -> 1, n -> 2n */
#define CXL_HDM_CAP_TARGET_COUNT GENMASK(7, 4)
#define CXL_HDM_CAP_INTERLEAVE_11_8 BIT(8)
#define CXL_HDM_CAP_INTERLEAVE_14_12 BIT(9)
#define CXL_HDM_CAP_3_6_12_WAY BIT(11)
#define CXL_HDM_CAP_16_WAY BIT(12)
#define CXL_HDM_GLOBAL_CTRL 0x04
#define CXL_HDM_GLOBAL_ENABLE BIT(1)
#define CXL_HDM_DECODER(n) (0x10 + 0x20 * (n))
#define CXL_HDM_BASE_LOW 0x00 /* bits [31:28] of the address */
#define CXL_HDM_BASE_HIGH 0x04
#define CXL_HDM_SIZE_LOW 0x08
#define CXL_HDM_SIZE_HIGH 0x0c
#define CXL_HDM_CTRL 0x10
#define CXL_HDM_TARGET_LOW 0x14 /* ports: target list; endpoints: DPA skip low */
#define CXL_HDM_TARGET_HIGH 0x18
#define CXL_HDM_ADDR_LOW_MASK GENMASK(31, 28)
#define CXL_HDM_CTRL_IG GENMASK(3, 0)
#define CXL_HDM_CTRL_IW GENMASK(7, 4)
#define CXL_HDM_CTRL_LOCK_ON_COMMIT BIT(8)
#define CXL_HDM_CTRL_COMMIT BIT(9)
#define CXL_HDM_CTRL_COMMITTED BIT(10)
#define CXL_HDM_CTRL_COMMIT_ERROR BIT(11)
#define CXL_HDM_CTRL_TYPE BIT(12) /* 1: host-only coherent (type 3) */

/* Commit takes at most 10 ms by the spec; Linux waits 20. */
#define CXL_HDM_COMMIT_TIMEOUT_MS 20

static inline unsigned cxl_hdm_decoder_count(uint32_t cap)
{
	unsigned n = FIELD_GET(CXL_HDM_CAP_DECODER_COUNT, cap);

	return n ? 2 * n : 1;
}

#endif
