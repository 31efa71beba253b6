// SPDX-License-Identifier: MIT
/* Stable names for enums that appear in logs and reports. */
#include "lib/firmware.h"
#include "lib/status.h"

const char *fw_mem_type_name(uint32_t type)
{
	/* UEFI spec names without the Efi prefix, as memory-map dumps show them. */
	static const char *const names[FW_MEM_TYPE_COUNT] = {
		"Reserved",	     "LoaderCode",	 "LoaderData",	"BootServicesCode",
		"BootServicesData",  "RuntimeServicesCode", "RuntimeServicesData", "Conventional",
		"Unusable",	     "ACPIReclaim",	 "ACPINVS",	"MMIO",
		"MMIOPortSpace",     "PalCode",		 "Persistent",	"Unaccepted",
	};

	return type < FW_MEM_TYPE_COUNT ? names[type] : "Unknown";
}

const char *cxlval_status_name(enum cxlval_status s)
{
	switch (s) {
	case CXLVAL_PASS: return "pass";
	case CXLVAL_ROUTING_FAILURE: return "routing_failure";
	case CXLVAL_FIRMWARE_CONFLICT: return "firmware_conflict";
	case CXLVAL_BAD_FIRMWARE_TABLES: return "bad_firmware_tables";
	case CXLVAL_TOOL_ERROR: return "tool_error";
	case CXLVAL_NOT_VERIFIED: return "not_verified";
	case CXLVAL_EXCEPTION: return "exception";
	}
	return "unknown";
}
