/* SPDX-License-Identifier: MIT */
/*
 * SMBIOS (DMTF DSP0134 3.7): only what names the machine in a report - BIOS
 * (type 0), system (type 1) and baseboard (type 2). Pure C over bytes: the
 * caller maps the entry point and the structure table.
 */
#ifndef CXLVAL_SMBIOS_H
#define CXLVAL_SMBIOS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/diag.h"

#define SMBIOS_STR_MAX 64

/* DSP0134 §5.2: the 64-bit ("_SM3_") and 32-bit ("_SM_") entry points. */
#define SMBIOS3_EP_LENGTH 24
#define SMBIOS3_EP_TABLE_MAX 12 /* u32 */
#define SMBIOS3_EP_TABLE_ADDR 16 /* u64 */
#define SMBIOS2_EP_LENGTH 31
#define SMBIOS2_EP_TABLE_LEN 22 /* u16 */
#define SMBIOS2_EP_TABLE_ADDR 24 /* u32 */

/* Where the structure table is, from an entry point; false (and a finding) when the entry point is bad. */
struct smbios_table_loc {
	uint64_t addr;
	uint32_t length; /* maximum size for 3.x */
	uint8_t major, minor;
};
bool smbios_entry_point(const uint8_t *ep, size_t len, struct smbios_table_loc *loc, struct diag_sink *sink);

struct smbios_identity {
	char bios_vendor[SMBIOS_STR_MAX], bios_version[SMBIOS_STR_MAX], bios_date[SMBIOS_STR_MAX];
	char sys_vendor[SMBIOS_STR_MAX], product_name[SMBIOS_STR_MAX], product_version[SMBIOS_STR_MAX];
	char board_vendor[SMBIOS_STR_MAX], board_name[SMBIOS_STR_MAX], board_version[SMBIOS_STR_MAX];
	unsigned structures;
};

/* Walks the structure table; strings that are missing stay empty. Names a broken structure and stops there. */
void smbios_identity(const uint8_t *table, size_t len, struct smbios_identity *id, struct diag_sink *sink);

#endif
