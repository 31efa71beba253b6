/* SPDX-License-Identifier: MIT */
/*
 * Firmware facts captured at boot, in plain C types (no EFI headers) so the
 * pure layers can consume them on the host too.
 */
#ifndef CXLVAL_FIRMWARE_H
#define CXLVAL_FIRMWARE_H

#include <stdint.h>
#include <stddef.h>

/* UEFI 2.10 §7.2 EFI_MEMORY_TYPE values. */
enum fw_mem_type {
	FW_MEM_RESERVED = 0,
	FW_MEM_LOADER_CODE = 1,
	FW_MEM_LOADER_DATA = 2,
	FW_MEM_BOOT_CODE = 3,
	FW_MEM_BOOT_DATA = 4,
	FW_MEM_RUNTIME_CODE = 5,
	FW_MEM_RUNTIME_DATA = 6,
	FW_MEM_CONVENTIONAL = 7,
	FW_MEM_UNUSABLE = 8,
	FW_MEM_ACPI_RECLAIM = 9,
	FW_MEM_ACPI_NVS = 10,
	FW_MEM_MMIO = 11,
	FW_MEM_MMIO_PORT = 12,
	FW_MEM_PAL_CODE = 13,
	FW_MEM_PERSISTENT = 14,
	FW_MEM_UNACCEPTED = 15,
	FW_MEM_TYPE_COUNT
};

/* UEFI memory attribute bits we care about. */
#define FW_MEM_ATTR_UC 0x1ULL
#define FW_MEM_ATTR_WC 0x2ULL
#define FW_MEM_ATTR_WT 0x4ULL
#define FW_MEM_ATTR_WB 0x8ULL
#define FW_MEM_ATTR_NV 0x8000ULL
#define FW_MEM_ATTR_MORE_RELIABLE 0x10000ULL
#define FW_MEM_ATTR_RO 0x20000ULL
#define FW_MEM_ATTR_SP 0x40000ULL /* specific purpose = soft reserved */
#define FW_MEM_ATTR_RUNTIME 0x8000000000000000ULL

#define FW_PAGE_SIZE 4096ULL

struct fw_mem_desc {
	uint32_t type; /* enum fw_mem_type; unknown values kept as-is */
	uint64_t phys;
	uint64_t pages;
	uint64_t attr;
};

struct fw_facts {
	const struct fw_mem_desc *memmap;
	size_t memmap_count;
	uint64_t rsdp_phys; /* 0 if firmware gave none */
	uint64_t smbios_phys; /* SMBIOS 3.x (or else 2.x) entry point; 0 if none */
	uint64_t image_base, image_size; /* cxlval's own loaded image */
	uint64_t scratch_base, scratch_size; /* pages firmware allocated to cxlval (LoaderData) */
	const char *config_text; /* \cxlval\cxlval.cfg as read from the boot volume, or NULL */
	size_t config_len;
	char *report_buf; /* where the report keeps its events (report.h); NULL: no report */
	size_t report_cap;
	const char *run_name; /* this run's folder, "0001", or NULL */
	const char *cmdline_lines; /* the shell command line's key=value words, one per line, or NULL */
	size_t cmdline_len;
};

const char *fw_mem_type_name(uint32_t type);

#endif
