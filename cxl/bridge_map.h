/* SPDX-License-Identifier: MIT */
/*
 * Which host bridge (CHBS UID) a root port at segment:bus belongs to. In
 * order of trust: the root bridges firmware's PCI stack reports
 * (EFI_PCI_ROOT_BRIDGE_IO_PROTOCOL: segment, bus range, ACPI _UID); the
 * namespace's constant _BBN/_UID (segment 0 only: the scan reads no _SEG);
 * with neither, QEMU's convention UID = root bus on segment 0. When root
 * bridges are known and none covers the port, the answer is "none": the
 * port is refused, never guessed.
 */
#ifndef CXLVAL_BRIDGE_MAP_H
#define CXLVAL_BRIDGE_MAP_H

#include <stdint.h>

#include "acpi/dsdt.h"
#include "lib/firmware.h"

enum hb_source { HB_FROM_ROOT_BRIDGE, HB_FROM_AML, HB_FROM_BUS_NUMBER, HB_NONE };

struct bridge_map {
	const struct fw_root_bridge *rb;
	unsigned nr_rb;
	const struct aml_host_bridge *aml;
	unsigned nr_aml;
};

enum hb_source cxl_host_bridge_uid(const struct bridge_map *m, uint16_t segment, uint8_t bus, uint32_t *uid);
const char *hb_source_name(enum hb_source s);

#endif
