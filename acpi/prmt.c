// SPDX-License-Identifier: MIT
#include "acpi/prmt.h"

#include <string.h>

#include "lib/le.h"

const uint8_t prm_cxl_address_translation_guid[16] = { 0x97, 0xb3, 0x41, 0xee, 0xd4, 0x25, 0x2c, 0x45,
							 0xad, 0x54, 0x48, 0xc6, 0xe3, 0x48, 0x0b, 0x94 };

#define MAX_MODULES 256
#define MAX_HANDLERS 1024

static bool bad(struct diag_sink *sink, const char *structure, const char *field, size_t off, const char *rule,
		const char *what)
{
	diag_report(sink, DIAG_WARN, "PRMT", DIAG_NO_INDEX, structure, field, (uint32_t)off, rule,
		    "PRMT %s field %s at offset 0x%x: %s", structure, field, (unsigned)off, what);
	return false;
}

static bool module_has(const uint8_t *t, size_t len, size_t m, const uint8_t guid[16], struct diag_sink *sink)
{
	unsigned n = get_le16(t + m + PRMT_MODULE_HANDLER_COUNT);
	size_t h = m + get_le32(t + m + PRMT_MODULE_HANDLER_OFFSET);

	for (unsigned i = 0; i < n && i < MAX_HANDLERS; i++) {
		uint16_t hl;

		if (h < m || h > len || len - h < PRMT_HANDLER_MIN)
			return bad(sink, "Handler Info", "Handler Info Offset", m + PRMT_MODULE_HANDLER_OFFSET,
				   "prmt.handler_past_end", "a handler lies outside the table");
		if (!memcmp(t + h + PRMT_HANDLER_GUID, guid, 16))
			return true;
		hl = get_le16(t + h + PRMT_HANDLER_LENGTH);
		if (hl < PRMT_HANDLER_MIN)
			return bad(sink, "Handler Info", "Length", h + PRMT_HANDLER_LENGTH, "prmt.handler_length",
				   "shorter than its GUID");
		h += hl;
	}
	return false;
}

bool prmt_has_handler(const uint8_t *t, size_t len, const uint8_t guid[16], struct diag_sink *sink)
{
	size_t m;
	unsigned n;

	if (len < PRMT_MODULE_COUNT + 4)
		return bad(sink, "header", "Length", 4, "prmt.too_short", "too short for the PRMT header");
	m = get_le32(t + PRMT_MODULE_OFFSET);
	n = get_le32(t + PRMT_MODULE_COUNT);
	for (unsigned i = 0; i < n && i < MAX_MODULES; i++) {
		uint16_t ml;

		if (m < PRMT_MODULE_COUNT + 4 || m > len || len - m < PRMT_MODULE_MIN)
			return bad(sink, "Module Info", "Module Info Offset", PRMT_MODULE_OFFSET, "prmt.module_past_end",
				   "a module lies outside the table");
		if (module_has(t, len, m, guid, sink))
			return true;
		ml = get_le16(t + m + PRMT_MODULE_LENGTH);
		if (ml < PRMT_MODULE_MIN)
			return bad(sink, "Module Info", "Length", m + PRMT_MODULE_LENGTH, "prmt.module_length",
				   "shorter than a module header");
		m += ml;
	}
	return false;
}
