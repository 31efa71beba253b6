/* SPDX-License-Identifier: MIT */
/*
 * The PRMT (Platform Runtime Mechanism table, UEFI PRM spec; Linux
 * drivers/acpi/prmt.c): modules of runtime handlers, each named by a GUID.
 * cxlval only asks whether one handler is there: AMD's CXL address
 * translation (Linux Documentation/driver-api/cxl/conventions/cxl-atl.rst),
 * whose presence means decoders hold normalized addresses.
 */
#ifndef CXLVAL_PRMT_H
#define CXLVAL_PRMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/diag.h"

#define PRMT_HEADER 36		/* the ACPI header; then Platform GUID, Module Info Offset, Count */
#define PRMT_MODULE_OFFSET 52
#define PRMT_MODULE_COUNT 56
#define PRMT_MODULE_MIN 38	/* revision, length, GUID, major, minor, handler count, offset, MMIO */
#define PRMT_MODULE_LENGTH 2
#define PRMT_MODULE_HANDLER_COUNT 24
#define PRMT_MODULE_HANDLER_OFFSET 26 /* from the module's start */
#define PRMT_HANDLER_MIN 20	/* revision, length, GUID (then addresses) */
#define PRMT_HANDLER_LENGTH 2
#define PRMT_HANDLER_GUID 4

/* EE41B397-25D4-452C-AD54-48C6E3480B94 as stored (mixed-endian) */
extern const uint8_t prm_cxl_address_translation_guid[16];

/*
 * true when a handler with this GUID is in the table. A malformed table is a
 * finding (rule prmt.*) naming the field and offset; what was readable counts.
 */
bool prmt_has_handler(const uint8_t *table, size_t len, const uint8_t guid[16], struct diag_sink *sink);

#endif
