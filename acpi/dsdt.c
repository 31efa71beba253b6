// SPDX-License-Identifier: MIT
#include "acpi/dsdt.h"

#include <string.h>

#include "acpi/acpi.h"

#define AML_NAME_OP 0x08
#define AML_EXT_OP 0x5b
#define AML_DEVICE_OP 0x82
#define AML_ZERO 0x00
#define AML_ONE 0x01
#define AML_BYTE 0x0a
#define AML_WORD 0x0b
#define AML_DWORD 0x0c
#define AML_STRING 0x0d
#define AML_QWORD 0x0e

/* ACPI 6.5 §20.2.4 PkgLength: returns the length and how many bytes encoded it, 0 if it runs off the end. */
static size_t pkg_length(const uint8_t *p, size_t avail, size_t *bytes)
{
	size_t extra, len;

	if (!avail)
		return 0;
	extra = p[0] >> 6;
	if (extra + 1 > avail)
		return 0;
	len = extra ? (size_t)(p[0] & 0x0f) : (size_t)(p[0] & 0x3f);
	for (size_t i = 1; i <= extra; i++)
		len |= (size_t)p[i] << (4 + 8 * (i - 1));
	*bytes = extra + 1;
	return len;
}

/* An integer constant at p; false when it is something else (a method, an expression). */
static bool integer_at(const uint8_t *p, const uint8_t *end, uint64_t *v)
{
	static const unsigned width[] = { [AML_BYTE] = 1, [AML_WORD] = 2, [AML_DWORD] = 4, [AML_QWORD] = 8 };

	if (p >= end)
		return false;
	if (*p == AML_ZERO || *p == AML_ONE) {
		*v = *p;
		return true;
	}
	if (*p != AML_BYTE && *p != AML_WORD && *p != AML_DWORD && *p != AML_QWORD)
		return false;
	if ((size_t)(end - p) < 1 + width[*p])
		return false;
	*v = 0;
	for (unsigned i = 0; i < width[*p]; i++)
		*v |= (uint64_t)p[1 + i] << (8 * i);
	return true;
}

/* Name(seg, ...) directly at p: returns the data after the name, or NULL. */
static const uint8_t *name_data(const uint8_t *p, const uint8_t *end, const char *seg)
{
	if (end - p < 6 || p[0] != AML_NAME_OP || memcmp(p + 1, seg, 4))
		return NULL;
	return p + 5;
}

static bool is_cxl_id(const uint8_t *d, const uint8_t *end)
{
	return end - d >= 10 && d[0] == AML_STRING && !memcmp(d + 1, "ACPI0016", 9);
}

/* Looks at the Names inside one Device body, not descending into nested Devices. */
static void scan_device(const uint8_t *body, const uint8_t *end, struct aml_host_bridge *hb, bool *is_cxl)
{
	for (const uint8_t *p = body; p < end; p++) {
		const uint8_t *d;

		if (p + 1 < end && p[0] == AML_EXT_OP && p[1] == AML_DEVICE_OP) {
			size_t nb, len = pkg_length(p + 2, (size_t)(end - p - 2), &nb);

			if (!len || (size_t)(end - p - 2) < len)
				return;
			p += 1 + len; /* skip the nested device */
			continue;
		}
		if ((d = name_data(p, end, "_HID")) || (d = name_data(p, end, "_CID")))
			*is_cxl |= is_cxl_id(d, end);
		else if ((d = name_data(p, end, "_UID")))
			hb->has_uid = integer_at(d, end, &hb->uid);
		else if ((d = name_data(p, end, "_BBN")))
			hb->has_bbn = integer_at(d, end, &hb->bbn);
	}
}

void aml_find_cxl_host_bridges(const uint8_t *table, size_t len, struct aml_host_bridge *out, unsigned *count,
			       unsigned cap)
{
	const uint8_t *end = table + len;

	if (len < ACPI_HDR_SIZE)
		return;
	for (const uint8_t *p = table + ACPI_HDR_SIZE; p + 2 < end && *count < cap; p++) {
		struct aml_host_bridge hb = { 0 };
		size_t nb, plen;
		bool is_cxl = false;

		if (p[0] != AML_EXT_OP || p[1] != AML_DEVICE_OP)
			continue;
		plen = pkg_length(p + 2, (size_t)(end - p - 2), &nb);
		if (!plen || plen > (size_t)(end - p - 2))
			continue;
		/* Body: after PkgLength and the 4-byte NameSeg (longer name paths are rare here). */
		scan_device(p + 2 + nb + 4, p + 2 + plen, &hb, &is_cxl);
		if (is_cxl) {
			hb.offset = (uint32_t)(p - table);
			out[(*count)++] = hb;
		}
	}
}
