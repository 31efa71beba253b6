/* SPDX-License-Identifier: MIT */
/*
 * ACPI root tables: RSDP -> XSDT (or RSDT) -> the list of every table.
 * ACPI 6.5 §5.2.5 (RSDP), §5.2.6 (header), §5.2.8 (XSDT).
 * Physical memory is reached through an accessor so the host tests can hand
 * in a fake physical address space.
 */
#ifndef CXLVAL_ACPI_H
#define CXLVAL_ACPI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/diag.h"
#include "lib/le.h"

struct acpi_mem {
	/* A pointer to [phys, phys+len), or NULL when that is not readable. */
	const void *(*map)(void *ctx, uint64_t phys, uint64_t len);
	void *ctx;
};

/* ACPI 6.5 §5.2.6 system description table header */
#define ACPI_HDR_SIGNATURE 0
#define ACPI_HDR_LENGTH 4
#define ACPI_HDR_REVISION 8
#define ACPI_HDR_CHECKSUM 9
#define ACPI_HDR_OEM_ID 10
#define ACPI_HDR_OEM_TABLE_ID 16
#define ACPI_HDR_SIZE 36

/* ACPI 6.5 §5.2.5.3 RSDP */
#define RSDP_CHECKSUM_LEN 20
#define RSDP_REVISION 15
#define RSDP_RSDT_ADDR 16
#define RSDP_LENGTH 20
#define RSDP_XSDT_ADDR 24
#define RSDP_EXT_CHECKSUM 32
#define RSDP_V2_SIZE 36
#define RSDP_MAX_LENGTH 4096 /* sanity bound, not a spec limit */

/* ACPI 6.5 §5.2.9 FADT: the DSDT is found here, not in the XSDT */
#define FADT_DSDT 40
#define FADT_X_DSDT 140

#define ACPI_MAX_TABLES 128

struct acpi_table_info {
	char signature[5];
	uint64_t phys;
	uint32_t length;
	uint8_t revision;
	bool checksum_ok;
	char oem_id[7];
	char oem_table_id[9];
};

struct acpi_rsdp_info {
	uint64_t phys;
	uint8_t revision;
	char oem_id[7];
	uint64_t root_phys; /* XSDT, or RSDT for revision 0 */
	bool root_is_xsdt;
	bool checksum_ok, ext_checksum_ok;
};

struct acpi_tables {
	struct acpi_rsdp_info rsdp;
	struct acpi_table_info root; /* the XSDT/RSDT itself */
	size_t count;
	struct acpi_table_info table[ACPI_MAX_TABLES];
};

bool acpi_checksum_ok(const void *p, size_t len);

/* Reads the RSDP and the root table and lists every table. Returns 0, or -1 when there is no usable root. */
int acpi_read_tables(const struct acpi_mem *mem, uint64_t rsdp_phys, struct acpi_tables *out,
		     struct diag_sink *sink);

/* The nth (0-based) table with this signature, or NULL. */
const struct acpi_table_info *acpi_find(const struct acpi_tables *t, const char *signature, unsigned nth);

#endif
