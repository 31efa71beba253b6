// SPDX-License-Identifier: MIT
#include "core/smbios.h"

#include <string.h>

/* DSP0134 §6.1.2: every structure starts type, length, handle. */
#define SMBIOS_HDR_TYPE 0
#define SMBIOS_HDR_LENGTH 1
#define SMBIOS_HDR_SIZE 4
#define SMBIOS_TYPE_END 127

/* The string-number fields we report: which structure type, which offset, which output. */
struct smbios_field {
	uint8_t type, offset;
	size_t out; /* offsetof in struct smbios_identity */
};

#define ID(f) offsetof(struct smbios_identity, f)
static const struct smbios_field fields[] = {
	{ 0, 0x04, ID(bios_vendor) },  { 0, 0x05, ID(bios_version) },	 { 0, 0x08, ID(bios_date) },
	{ 1, 0x04, ID(sys_vendor) },   { 1, 0x05, ID(product_name) },	 { 1, 0x06, ID(product_version) },
	{ 2, 0x04, ID(board_vendor) }, { 2, 0x05, ID(board_name) },	 { 2, 0x06, ID(board_version) },
};

static uint8_t sum(const uint8_t *p, size_t n)
{
	uint8_t s = 0;

	while (n--)
		s = (uint8_t)(s + *p++);
	return s;
}

static uint64_t le(const uint8_t *p, unsigned n)
{
	uint64_t v = 0;

	while (n--)
		v = v << 8 | p[n];
	return v;
}

bool smbios_entry_point(const uint8_t *ep, size_t len, struct smbios_table_loc *loc, struct diag_sink *sink)
{
	bool v3 = len >= 5 && !memcmp(ep, "_SM3_", 5);
	size_t need = v3 ? SMBIOS3_EP_LENGTH : SMBIOS2_EP_LENGTH;

	if (!v3 && (len < 4 || memcmp(ep, "_SM_", 4))) {
		diag_report(sink, DIAG_ERROR, "SMBIOS", DIAG_NO_INDEX, NULL, "Anchor", 0, "smbios.anchor",
			    "entry point has neither _SM3_ nor _SM_ anchor");
		return false;
	}
	if (len < need || ep[v3 ? 6 : 5] < need || ep[v3 ? 6 : 5] > len) {
		diag_report(sink, DIAG_ERROR, "SMBIOS", DIAG_NO_INDEX, NULL, "Length", v3 ? 6 : 5, "smbios.length",
			    "entry point length %u is not %zu", len > 6 ? ep[v3 ? 6 : 5] : 0, need);
		return false;
	}
	if (sum(ep, ep[v3 ? 6 : 5])) {
		diag_report(sink, DIAG_ERROR, "SMBIOS", DIAG_NO_INDEX, NULL, "Checksum", v3 ? 5 : 4, "smbios.checksum",
			    "entry point checksum does not sum to zero");
		return false;
	}
	loc->major = ep[v3 ? 7 : 6];
	loc->minor = ep[v3 ? 8 : 7];
	loc->addr = v3 ? le(ep + SMBIOS3_EP_TABLE_ADDR, 8) : le(ep + SMBIOS2_EP_TABLE_ADDR, 4);
	loc->length = (uint32_t)(v3 ? le(ep + SMBIOS3_EP_TABLE_MAX, 4) : le(ep + SMBIOS2_EP_TABLE_LEN, 2));
	return true;
}

/* String n (1-based) of the set starting at p, bounded by end; empty when absent. */
static void copy_string(const uint8_t *p, const uint8_t *end, uint8_t n, char *out)
{
	size_t k = 0;

	out[0] = '\0';
	for (uint8_t i = 1; n && i < n && p < end; i++) {
		while (p < end && *p)
			p++;
		p++;
	}
	if (!n || p >= end)
		return;
	for (; p < end && *p && k < SMBIOS_STR_MAX - 1; p++)
		out[k++] = *p >= 0x20 && *p < 0x7f ? (char)*p : '?'; /* reports stay ASCII */
	out[k] = '\0';
}

/* The end of a structure's string set (the double NUL), or NULL when it runs past the table. */
static const uint8_t *strings_end(const uint8_t *p, const uint8_t *end)
{
	for (; p + 1 < end; p++)
		if (!p[0] && !p[1])
			return p + 2;
	return NULL;
}

void smbios_identity(const uint8_t *table, size_t len, struct smbios_identity *id, struct diag_sink *sink)
{
	const uint8_t *p = table, *end = table + len;

	memset(id, 0, sizeof(*id));
	while (p + SMBIOS_HDR_SIZE <= end) {
		uint8_t type = p[SMBIOS_HDR_TYPE], slen = p[SMBIOS_HDR_LENGTH];
		const uint8_t *strings = p + slen, *next;

		if (slen < SMBIOS_HDR_SIZE || strings > end || !(next = strings_end(strings, end))) {
			diag_report(sink, DIAG_ERROR, "SMBIOS", (int)id->structures, NULL, "Length", (uint32_t)(p - table),
				    "smbios.structure", "structure type %u length %u runs past the table", type, slen);
			return;
		}
		for (unsigned i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
			if (fields[i].type == type && fields[i].offset < slen)
				copy_string(strings, next, p[fields[i].offset], (char *)id + fields[i].out);
		id->structures++;
		if (type == SMBIOS_TYPE_END)
			return;
		p = next;
	}
}
