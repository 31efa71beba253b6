/* SPDX-License-Identifier: MIT */
/* PCI configuration space, as far as CXL discovery needs it (PCIe Base 6.0 §7). */
#ifndef CXLVAL_PCI_REGS_H
#define CXLVAL_PCI_REGS_H

#include "lib/bits.h"

#define PCI_VENDOR_DEVICE 0x00
#define PCI_COMMAND 0x04
#define PCI_COMMAND_MEMORY BIT(1)
#define PCI_CLASS_REVISION 0x08 /* class code [31:8] */
#define PCI_HEADER_TYPE 0x0c	/* byte 2 of this dword: [22:16] type, bit 23 multi-function */
#define PCI_HEADER_TYPE_MASK GENMASK(22, 16)
#define PCI_HEADER_MULTIFUNCTION BIT(23)
#define PCI_BAR0 0x10
#define PCI_BAR_IO BIT(0)
#define PCI_BAR_TYPE GENMASK(2, 1)
#define PCI_BAR_TYPE_64 2
#define PCI_BAR_MEM_MASK GENMASK(31, 4)
#define PCI_BUS_NUMBERS 0x18 /* type 1: primary [7:0], secondary [15:8], subordinate [23:16] */
#define PCI_SECONDARY_BUS GENMASK(15, 8)
#define PCI_SUBORDINATE_BUS GENMASK(23, 16)
#define PCI_CAP_PTR 0x34
#define PCI_STATUS_CAP_LIST BIT(20) /* in the command/status dword */

#define PCI_CAP_ID_EXP 0x10
#define PCI_EXP_FLAGS 0x00 /* device/port type [23:20] of the dword at the cap */
#define PCI_EXP_TYPE GENMASK(23, 20)
#define PCI_EXP_TYPE_ENDPOINT 0x0
#define PCI_EXP_TYPE_ROOT_PORT 0x4
#define PCI_EXP_TYPE_UPSTREAM 0x5
#define PCI_EXP_TYPE_DOWNSTREAM 0x6
#define PCI_EXP_TYPE_RC_END 0x9
#define PCI_EXP_LNKCAP 0x0c
#define PCI_EXP_LNKCAP_PN GENMASK(31, 24) /* port number: what HDM target lists hold */

#define PCI_EXT_CAP_START 0x100
#define PCI_CFG_SPACE_SIZE 0x1000 /* PCIe extended configuration space per function */
#define PCI_EXT_CAP_ID GENMASK(15, 0)
#define PCI_EXT_CAP_NEXT GENMASK(31, 20)
#define PCI_EXT_CAP_ID_DVSEC 0x23
#define PCI_DVSEC_HEADER1 0x4 /* vendor [15:0], revision [19:16], length [31:20] */
#define PCI_DVSEC_VENDOR GENMASK(15, 0)
#define PCI_DVSEC_LENGTH GENMASK(31, 20)
#define PCI_DVSEC_HEADER2 0x8 /* DVSEC id [15:0] */
#define PCI_DVSEC_ID GENMASK(15, 0)

#define PCI_CLASS_CXL_MEMDEV 0x050210 /* memory controller, CXL, CXL.mem device */

#endif
