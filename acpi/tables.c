// SPDX-License-Identifier: MIT
#include "acpi/acpi.h"

#include <string.h>

bool acpi_checksum_ok(const void *p, size_t len)
{
	const uint8_t *b = p;
	uint8_t sum = 0;

	while (len--)
		sum = (uint8_t)(sum + *b++);
	return sum == 0;
}

static void copy_id(char *dst, const uint8_t *src, size_t n)
{
	memcpy(dst, src, n);
	dst[n] = '\0';
	/* Table ids are space-padded and sometimes hold garbage: keep logs printable. */
	for (size_t i = 0; i < n; i++)
		if (dst[i] && (dst[i] < 0x20 || dst[i] > 0x7e))
			dst[i] = '?';
}

static int read_rsdp(const struct acpi_mem *mem, uint64_t phys, struct acpi_rsdp_info *r,
		     struct diag_sink *sink)
{
	const uint8_t *p = mem->map(mem->ctx, phys, RSDP_CHECKSUM_LEN);
	uint32_t len;

	memset(r, 0, sizeof(*r));
	r->phys = phys;
	if (!p) {
		diag_report(sink, DIAG_FATAL, "RSDP", DIAG_NO_INDEX, NULL, NULL, DIAG_NO_OFFSET, "rsdp.unmapped",
			    "RSDP at 0x%llx is not readable", (unsigned long long)phys);
		return -1;
	}
	if (memcmp(p, "RSD PTR ", 8)) {
		diag_report(sink, DIAG_FATAL, "RSDP", DIAG_NO_INDEX, NULL, "Signature", 0, "rsdp.signature",
			    "RSDP at 0x%llx has no \"RSD PTR \" signature", (unsigned long long)phys);
		return -1;
	}
	r->revision = p[RSDP_REVISION];
	copy_id(r->oem_id, p + 9, 6);
	r->checksum_ok = acpi_checksum_ok(p, RSDP_CHECKSUM_LEN);
	if (!r->checksum_ok)
		diag_report(sink, DIAG_ERROR, "RSDP", DIAG_NO_INDEX, NULL, "Checksum", 8, "rsdp.checksum",
			    "RSDP checksum over the first 20 bytes does not sum to 0");
	if (r->revision < 2) {
		diag_report(sink, DIAG_WARN, "RSDP", DIAG_NO_INDEX, NULL, "Revision", RSDP_REVISION,
			    "rsdp.revision", "RSDP revision %u has no XSDT; using the RSDT", r->revision);
		r->root_phys = get_le32(p + RSDP_RSDT_ADDR);
		return 0;
	}
	p = mem->map(mem->ctx, phys, RSDP_V2_SIZE);
	if (!p)
		return -1;
	len = get_le32(p + RSDP_LENGTH);
	if (len < RSDP_V2_SIZE || len > RSDP_MAX_LENGTH) {
		diag_report(sink, DIAG_ERROR, "RSDP", DIAG_NO_INDEX, NULL, "Length", RSDP_LENGTH, "rsdp.length",
			    "RSDP Length %u is not between %u and %u; checking 36 bytes", len, RSDP_V2_SIZE,
			    RSDP_MAX_LENGTH);
		len = RSDP_V2_SIZE;
	}
	p = mem->map(mem->ctx, phys, len);
	if (!p)
		return -1;
	r->ext_checksum_ok = acpi_checksum_ok(p, len);
	if (!r->ext_checksum_ok)
		diag_report(sink, DIAG_ERROR, "RSDP", DIAG_NO_INDEX, NULL, "Extended Checksum", RSDP_EXT_CHECKSUM,
			    "rsdp.ext_checksum", "RSDP extended checksum over %u bytes does not sum to 0", len);
	r->root_phys = get_le64(p + RSDP_XSDT_ADDR);
	r->root_is_xsdt = true;
	if (!r->root_phys) {
		diag_report(sink, DIAG_WARN, "RSDP", DIAG_NO_INDEX, NULL, "XsdtAddress", RSDP_XSDT_ADDR,
			    "rsdp.xsdt_zero", "XSDT address is 0; using the RSDT");
		r->root_phys = get_le32(p + RSDP_RSDT_ADDR);
		r->root_is_xsdt = false;
	}
	return 0;
}

/* Reads a table header and checks its length and checksum; NULL if it cannot be read at all. */
static const uint8_t *read_table(const struct acpi_mem *mem, uint64_t phys, struct acpi_table_info *t,
				 struct diag_sink *sink, int index)
{
	const uint8_t *p = mem->map(mem->ctx, phys, ACPI_HDR_SIZE);

	memset(t, 0, sizeof(*t));
	t->phys = phys;
	if (!p) {
		diag_report(sink, DIAG_ERROR, "XSDT", index, NULL, "Entry", DIAG_NO_OFFSET, "table.unmapped",
			    "table at 0x%llx is not readable", (unsigned long long)phys);
		return NULL;
	}
	copy_id(t->signature, p, 4);
	t->length = get_le32(p + ACPI_HDR_LENGTH);
	t->revision = p[ACPI_HDR_REVISION];
	copy_id(t->oem_id, p + ACPI_HDR_OEM_ID, 6);
	copy_id(t->oem_table_id, p + ACPI_HDR_OEM_TABLE_ID, 8);
	if (t->length < ACPI_HDR_SIZE) {
		diag_report(sink, DIAG_ERROR, t->signature, DIAG_NO_INDEX, NULL, "Length", ACPI_HDR_LENGTH,
			    "table.length", "%s at 0x%llx: Length %u is shorter than the 36-byte header",
			    t->signature, (unsigned long long)phys, t->length);
		return NULL;
	}
	p = mem->map(mem->ctx, phys, t->length);
	if (!p) {
		diag_report(sink, DIAG_ERROR, t->signature, DIAG_NO_INDEX, NULL, "Length", ACPI_HDR_LENGTH,
			    "table.unmapped", "%s at 0x%llx: its %u bytes are not readable", t->signature,
			    (unsigned long long)phys, t->length);
		return NULL;
	}
	t->checksum_ok = acpi_checksum_ok(p, t->length);
	if (!t->checksum_ok)
		diag_report(sink, DIAG_ERROR, t->signature, DIAG_NO_INDEX, NULL, "Checksum", ACPI_HDR_CHECKSUM,
			    "table.checksum", "%s at 0x%llx: checksum over %u bytes does not sum to 0",
			    t->signature, (unsigned long long)phys, t->length);
	return p;
}

/* The DSDT hangs off the FADT (X_DSDT preferred over the 32-bit DSDT field). */
static void add_dsdt(const struct acpi_mem *mem, struct acpi_tables *out, struct diag_sink *sink)
{
	const struct acpi_table_info *fadt = acpi_find(out, "FACP", 0);
	const uint8_t *p;
	uint64_t dsdt = 0;

	if (!fadt || out->count >= ACPI_MAX_TABLES || !(p = mem->map(mem->ctx, fadt->phys, fadt->length)))
		return;
	if (fadt->length >= FADT_X_DSDT + 8)
		dsdt = get_le64(p + FADT_X_DSDT);
	if (!dsdt && fadt->length >= FADT_DSDT + 4)
		dsdt = get_le32(p + FADT_DSDT);
	if (dsdt && (read_table(mem, dsdt, &out->table[out->count], sink, DIAG_NO_INDEX) ||
		     out->table[out->count].length >= ACPI_HDR_SIZE))
		out->count++;
}

int acpi_read_tables(const struct acpi_mem *mem, uint64_t rsdp_phys, struct acpi_tables *out,
		     struct diag_sink *sink)
{
	const uint8_t *root;
	unsigned entry_size;
	size_t entries;

	memset(out, 0, sizeof(*out));
	if (read_rsdp(mem, rsdp_phys, &out->rsdp, sink))
		return -1;
	root = read_table(mem, out->rsdp.root_phys, &out->root, sink, DIAG_NO_INDEX);
	if (!root)
		return -1;
	entry_size = out->rsdp.root_is_xsdt ? 8 : 4;
	if (strcmp(out->root.signature, out->rsdp.root_is_xsdt ? "XSDT" : "RSDT"))
		diag_report(sink, DIAG_ERROR, out->root.signature, DIAG_NO_INDEX, NULL, "Signature", 0,
			    "root.signature", "the RSDP points at a \"%s\" table, not an %s", out->root.signature,
			    out->rsdp.root_is_xsdt ? "XSDT" : "RSDT");
	if ((out->root.length - ACPI_HDR_SIZE) % entry_size)
		diag_report(sink, DIAG_WARN, out->root.signature, DIAG_NO_INDEX, NULL, "Length", ACPI_HDR_LENGTH,
			    "root.length", "Length %u leaves a partial %u-byte entry; it is ignored",
			    out->root.length, entry_size);
	entries = (out->root.length - ACPI_HDR_SIZE) / entry_size;
	for (size_t i = 0; i < entries; i++) {
		const uint8_t *e = root + ACPI_HDR_SIZE + i * entry_size;
		uint64_t phys = entry_size == 8 ? get_le64(e) : get_le32(e);
		struct acpi_table_info *t = &out->table[out->count];

		if (out->count >= ACPI_MAX_TABLES) {
			diag_report(sink, DIAG_WARN, out->root.signature, (int)i, NULL, "Entry",
				    (uint32_t)(ACPI_HDR_SIZE + i * entry_size), "root.too_many",
				    "more than %d tables; the rest are not read", ACPI_MAX_TABLES);
			break;
		}
		if (read_table(mem, phys, t, sink, (int)i) || t->length >= ACPI_HDR_SIZE)
			out->count++;
	}
	add_dsdt(mem, out, sink);
	return 0;
}

const struct acpi_table_info *acpi_find(const struct acpi_tables *t, const char *signature, unsigned nth)
{
	for (size_t i = 0; i < t->count; i++)
		if (!strncmp(t->table[i].signature, signature, 4) && nth-- == 0)
			return &t->table[i];
	return NULL;
}
