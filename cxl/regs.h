/* SPDX-License-Identifier: MIT */
/*
 * CXL registers cxlval uses, each field defined once, with its CXL 3.1
 * section. Names follow Linux drivers/cxl/cxl.h and cxlpci.h where they exist.
 * Component registers are accessed 32 bits at a time only.
 */
#ifndef CXLVAL_CXL_REGS_H
#define CXLVAL_CXL_REGS_H

#include "lib/bits.h"

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
#define CXL_HDM_CAP_DECODER_COUNT GENMASK(3, 0) /* see cxl_hdm_decoder_count() */
#define CXL_HDM_CAP_TARGET_COUNT GENMASK(7, 4)
#define CXL_HDM_CAP_INTERLEAVE_11_8 BIT(8)  /* A11to8 Interleave Capable */
#define CXL_HDM_CAP_INTERLEAVE_14_12 BIT(9) /* A14to12 Interleave Capable */
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
#define CXL_HDM_DPA_SKIP_LOW_MASK GENMASK(31, 28) /* endpoints: bits [27:0] of DPA Skip Low are reserved */
#define CXL_HDM_ADDR_LOW_MASK GENMASK(31, 28)
#define CXL_HDM_CTRL_IG GENMASK(3, 0)
#define CXL_HDM_CTRL_IW GENMASK(7, 4)
#define CXL_HDM_CTRL_LOCK_ON_COMMIT BIT(8)
#define CXL_HDM_CTRL_COMMIT BIT(9)
#define CXL_HDM_CTRL_COMMITTED BIT(10)
#define CXL_HDM_CTRL_COMMIT_ERROR BIT(11)
#define CXL_HDM_CTRL_TYPE BIT(12) /* 1: host-only coherent (type 3) */

/* §8.2.8 device registers (register locator block 3): capabilities array, then headers */
#define CXLDEV_CAP_ARRAY_ID GENMASK(15, 0)	/* dword 0 */
#define CXLDEV_CAP_ARRAY_COUNT GENMASK(15, 0) /* dword 1: bits [47:32] */
#define CXLDEV_CAP_HDR(i) (0x10 + 0x10 * (i))
#define CXLDEV_CAP_HDR_ID GENMASK(15, 0)
#define CXLDEV_CAP_HDR_OFFSET 4 /* dword 1: offset from the block start */
#define CXLDEV_CAP_HDR_LENGTH 8 /* dword 2: length of the capability's registers */
#define CXLDEV_CAP_ID_MAILBOX 2
/* §8.2.8.4 mailbox registers (offsets from the mailbox) */
#define CXLDEV_MBOX_CAPS 0x00
#define CXLDEV_MBOX_CAP_PAYLOAD_SIZE GENMASK(4, 0) /* 2^n bytes */
#define CXLDEV_MBOX_PAYLOAD_MIN_SHIFT 8 /* 256 B .. 1 MiB */
#define CXLDEV_MBOX_PAYLOAD_MAX_SHIFT 20
#define CXLDEV_MBOX_CTRL 0x04
#define CXLDEV_MBOX_CTRL_DOORBELL BIT(0)
#define CXLDEV_MBOX_CMD 0x08 /* opcode [15:0], payload length [36:16]: two dwords */
#define CXLDEV_MBOX_CMD_OPCODE GENMASK(15, 0)
#define CXLDEV_MBOX_CMD_LEN_LOW GENMASK(31, 16)
#define CXLDEV_MBOX_CMD_LEN_HIGH GENMASK(4, 0) /* bits [36:32], in the second dword */
#define CXLDEV_MBOX_STATUS_HIGH 0x14 /* return code [47:32] = bits [15:0] of this dword */
#define CXLDEV_MBOX_PAYLOAD 0x20
/* §8.2.9.9.1.1 Identify Memory Device, §8.2.9.9.2.1 Get Partition Info: capacities in 256 MiB units */
#define CXL_MBOX_OP_IDENTIFY 0x4000
#define CXL_MBOX_OP_GET_PARTITION_INFO 0x4100
#define CXL_IDENTIFY_TOTAL 0x10
#define CXL_IDENTIFY_VOLATILE_ONLY 0x18
#define CXL_IDENTIFY_PERSISTENT_ONLY 0x20
#define CXL_IDENTIFY_PARTITION_ALIGN 0x28
#define CXL_GPI_ACTIVE_VOLATILE 0x00
#define CXL_GPI_ACTIVE_PERSISTENT 0x08
#define CXL_CAPACITY_UNIT (256ULL << 20)
#define CXL_MBOX_TIMEOUT_MS 2000

/* Commit takes at most 10 ms by the spec; Linux waits 20. */
#define CXL_HDM_COMMIT_TIMEOUT_MS 20

/*
 * §8.2.4.20.1 Decoder Count: 0 -> 1, 1h..8h -> 2n, 9h..Ch -> 20, 24, 28, 32
 * (Linux cxl_hdm_decoder_count); Dh..Fh are reserved: no usable decoder.
 */
#define CXL_HDM_DECODER_COUNT_LINEAR_MAX 8
#define CXL_HDM_DECODER_COUNT_MAX_ENC 0xc

static inline unsigned cxl_hdm_decoder_count(uint32_t cap)
{
	unsigned n = FIELD_GET(CXL_HDM_CAP_DECODER_COUNT, cap);

	if (!n)
		return 1;
	if (n <= CXL_HDM_DECODER_COUNT_LINEAR_MAX)
		return 2 * n;
	return n <= CXL_HDM_DECODER_COUNT_MAX_ENC ? (n - 4) * 4 : 0;
}

/*
 * HPA bits a component can interleave on (§8.2.4.20.1): 11:8 with A11to8,
 * 14:12 with A14to12. No capability bit covers bits 15 and up, which every
 * decoder's address compare already spans: taken as usable (Linux
 * check_interleave_cap knows only 14:8 and refuses them; see
 * docs/platform-rules.md).
 */
static inline uint64_t cxl_hdm_interleave_bits(uint32_t cap)
{
	uint64_t bits = GENMASK_ULL(63, 15);

	if (cap & CXL_HDM_CAP_INTERLEAVE_11_8)
		bits |= GENMASK_ULL(11, 8);
	if (cap & CXL_HDM_CAP_INTERLEAVE_14_12)
		bits |= GENMASK_ULL(14, 12);
	return bits;
}

#endif
