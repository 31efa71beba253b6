/* SPDX-License-Identifier: MIT */
/*
 * CXL host bridges in AML: Device() objects whose _HID or _CID is "ACPI0016",
 * with integer _UID and _BBN. Not an AML interpreter: a bounds-checked byte
 * scan that understands Device scopes, package lengths and Name() of integer
 * constants, which is how firmware describes these (ACPI 6.5 §20.2).
 */
#ifndef CXLVAL_DSDT_H
#define CXLVAL_DSDT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define AML_MAX_HOST_BRIDGES 32

struct aml_host_bridge {
	uint64_t uid, bbn;
	bool has_uid, has_bbn;
	uint32_t offset; /* of the Device op in the table */
};

/* Scans one DSDT/SSDT image (header included); appends to out[*count]. */
void aml_find_cxl_host_bridges(const uint8_t *table, size_t len, struct aml_host_bridge *out, unsigned *count,
			       unsigned cap);

#endif
