/* SPDX-License-Identifier: MIT */
/*
 * The register layout the simulator presents, written from the specs for the
 * simulator alone: it must not share cxl/regs.h or cxl/pci_regs.h, so that a
 * field cxlval reads from the wrong bits reads garbage here instead of
 * agreeing with itself. Values are spelled out as plain numbers; each group
 * names its section. tests/unit/test_regs_layout.c checks cxlval's own
 * accessors against hand-decoded values from the same sections.
 */
#ifndef CXLVAL_SIM_REGS_H
#define CXLVAL_SIM_REGS_H

/* PCIe Base 6.0 §7.5.1: type 0/1 configuration header (dword offsets, bits within the dword) */
#define CFG_ID 0x00		/* vendor [15:0], device [31:16] */
#define CFG_CMD_STATUS 0x04	/* command [15:0], status [31:16] */
#define CFG_CMD_MEMORY 0x2	/* command bit 1: memory space enable */
#define CFG_STATUS_CAPLIST 0x100000 /* status bit 4: capabilities list */
#define CFG_CLASS_REV 0x08	/* revision [7:0], class code [31:8] */
#define CFG_HEADER_DW 0x0c	/* header type in [22:16] */
#define CFG_HEADER_SHIFT 16
#define CFG_BAR0 0x10
#define CFG_BAR_MEM64 0x4	/* BAR type [2:1] = 10b */
#define CFG_BUSES 0x18		/* type 1: primary [7:0], secondary [15:8], subordinate [23:16] */
#define CFG_CAP_PTR 0x34
/* §7.5.3 PCI Express capability */
#define CAP_ID_PCIE 0x10
#define PCIE_TYPE_SHIFT 20	/* device/port type, flags [7:4] = dword bits [23:20] */
#define PCIE_TYPE_ENDPOINT 0x0
#define PCIE_TYPE_ROOT_PORT 0x4
#define PCIE_TYPE_UPSTREAM 0x5
#define PCIE_TYPE_DOWNSTREAM 0x6
#define PCIE_LINK_CAP 0x0c	/* port number [31:24] */
#define PCIE_PORT_SHIFT 24
/* §7.9.6 DVSEC: extended capability header, then header 1 (vendor, rev, length), header 2 (id) */
#define EXT_CAP_DVSEC 0x23
#define EXT_CAP_VERSION_SHIFT 16
#define EXT_CAP_NEXT_SHIFT 20
#define DVSEC_HDR1 0x04
#define DVSEC_HDR2 0x08
#define DVSEC_LENGTH_SHIFT 20
#define CLASS_CXL_MEMORY 0x050210 /* memory controller / CXL / CXL.mem */

/* CXL 3.1 §8.1.1: DVSEC vendor of the consortium; §8.1.3, §8.1.9 DVSEC ids */
#define DVSEC_VENDOR_CXL 0x1e98
#define DVSEC_ID_CXL_DEVICE 0
#define DVSEC_ID_REG_LOCATOR 8
/* §8.1.3.2 DVSEC CXL Control: Mem_Enable is bit 2 */
#define DEVICE_DVSEC_CONTROL 0x0c
#define DEVICE_DVSEC_MEM_ENABLE 0x4
/* §8.1.3.8 range 1 size high/low; low: Memory_Info_Valid bit 0, Memory_Active bit 1, size [31:28] */
#define DEVICE_DVSEC_RANGE1_SIZE_HI 0x18
#define DEVICE_DVSEC_RANGE1_SIZE_LO 0x1c
#define RANGE_INFO_VALID 0x1
#define RANGE_ACTIVE 0x2
#define RANGE_SIZE_LO_BITS 0xf0000000u
/* §8.1.9 register locator: entries of two dwords from +0x0c; BIR [2:0], block id [15:8], offset [31:16] */
#define REGLOC_ENTRY0 0x0c
#define REGLOC_ENTRY_SIZE 8
#define REGLOC_BLOCK_SHIFT 8
#define REGLOC_BLOCK_COMPONENT 1
#define REGLOC_BLOCK_MEMDEV 3

/* §8.2.3: 64 KiB component register block, CXL.cachemem registers at +4 KiB */
#define COMPONENT_BLOCK 0x10000ULL
#define CACHEMEM_AT 0x1000
/* §8.2.4: capability header: id [15:0], version [19:16], array size [31:24] / pointer [31:20] */
#define CM_CAP_ID_ARRAY 1
#define CM_CAP_ID_HDM 5
#define CM_CAP_VERSION_SHIFT 16
#define CM_CAP_ARRAY_SIZE_SHIFT 24
#define CM_CAP_POINTER_SHIFT 20

/* §8.2.4.20 HDM Decoder Capability structure */
#define HDM_CAPABILITY 0x00	/* decoder count [3:0] (0 -> 1, n -> 2n), target count [7:4] */
#define HDM_CAP_TARGETS_SHIFT 4
#define HDM_CAP_INTERLEAVE_11_8 0x100 /* bit 8: address bits 11:8 select targets */
#define HDM_CAP_INTERLEAVE_14_12 0x200 /* bit 9: address bits 14:12 */
#define HDM_CAP_3_6_12_WAY 0x800 /* bit 11 */
#define HDM_CAP_16_WAY 0x1000	 /* bit 12 */
#define HDM_GLOBAL_CONTROL 0x04
#define HDM_DECODE_ENABLE 0x2	/* bit 1 */
#define HDM_DECODER0 0x10
#define HDM_DECODER_STRIDE 0x20
/* Registers of decoder n, as dword indices from HDM_DECODER0 + n * stride. */
enum hdm_reg { HDM_BASE_LO, HDM_BASE_HI, HDM_SIZE_LO, HDM_SIZE_HI, HDM_CONTROL, HDM_TARGET_LO, HDM_TARGET_HI };
#define HDM_ADDR_LO_BITS 0xf0000000u /* base / size low: address bits [31:28] */
/* Decoder control: IG [3:0], IW [7:4], then single bits 8..12 */
#define HDM_CTRL_IG 0xfu
#define HDM_CTRL_IW 0xf0u
#define HDM_CTRL_IW_SHIFT 4
#define HDM_CTRL_LOCK_ON_COMMIT 0x100u
#define HDM_CTRL_COMMIT 0x200u
#define HDM_CTRL_COMMITTED 0x400u
#define HDM_CTRL_ERR_NOT_COMMITTED 0x800u

/* §8.2.8 memory device registers: capabilities array, headers of 16 bytes from +0x10 */
#define DEV_CAP_ARRAY 0x00	/* id [15:0], version [23:16] */
#define DEV_CAP_COUNT 0x04	/* count [15:0] of the second dword */
#define DEV_CAP_HEADER0 0x10
#define DEV_CAP_HEADER_OFFSET 4 /* dword 1: offset of the capability from the block */
#define DEV_CAP_HEADER_LENGTH 8 /* dword 2: its length */
#define DEV_CAP_ID_MAILBOX 2
/* §8.2.8.4 mailbox */
#define MBOX_CAPS 0x00
#define MBOX_CONTROL 0x04
#define MBOX_DOORBELL 0x1
#define MBOX_COMMAND 0x08	/* opcode [15:0], payload length [36:16] */
#define MBOX_LENGTH_SHIFT 16
#define MBOX_STATUS_HI 0x14	/* return code in bits [47:32] of the status */
#define MBOX_PAYLOAD 0x20
/* §8.2.9.9.1.1 Identify Memory Device: capacities in 256 MiB units */
#define OPCODE_IDENTIFY 0x4000
#define IDENTIFY_TOTAL_CAPACITY 0x10
#define IDENTIFY_PERSISTENT_ONLY 0x20
#define CAPACITY_UNIT (256ULL << 20)

#endif
