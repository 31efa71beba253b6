// SPDX-License-Identifier: MIT
/*
 * libFuzzer: RSDP -> XSDT -> tables where the input is physical memory at
 * 0x1000: the RSDP sits at its start and every pointer in it is followed.
 * After the walk, whatever the input (ACPI 6.5 §5.2.5-§5.2.9):
 *  - the root table is the one the RSDP names (XSDT, or RSDT when revision
 *    < 2 or the XSDT address is 0), at least 36 bytes and inside the input;
 *  - every table listed is named by a root entry or is the FADT's DSDT, has
 *    a Length >= 36, its header inside the input and the signature, length
 *    and revision its bytes hold; its checksum is good only when all of its
 *    bytes are inside the input and sum to 0 (a table whose header reads
 *    but whose body does not is listed, with a finding, so the log names it);
 *  - acpi_find returns the first table of a signature;
 *  - every finding names a rule.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "acpi/acpi.h"
#include "fuzz/fuzz_invariant.h"

#define BASE 0x1000ULL

struct blob {
	const uint8_t *p;
	size_t n;
};

static const void *map(void *ctx, uint64_t phys, uint64_t len)
{
	const struct blob *b = ctx;

	if (phys < BASE || len > b->n || phys - BASE > b->n - len)
		return NULL;
	return b->p + (phys - BASE);
}

static struct blob in;

/* The input bytes at [phys, phys + len), or NULL: the harness's own bounds check. */
static const uint8_t *bytes_at(uint64_t phys, uint64_t len)
{
	if (phys < BASE || phys - BASE > in.n || len > in.n - (phys - BASE))
		return NULL;
	return in.p + (phys - BASE);
}

static bool sums_to_zero(const uint8_t *p, size_t len)
{
	unsigned sum = 0;

	for (size_t i = 0; i < len; i++)
		sum += p[i];
	return (sum & 0xff) == 0;
}

/* The signature as listed: bytes kept, non-printable ones shown as '?', a NUL ends it. */
static bool same_signature(const char *listed, const uint8_t *raw)
{
	for (int i = 0; i < 4; i++) {
		char want = !raw[i] ? 0 : raw[i] < 0x20 || raw[i] > 0x7e ? '?' : (char)raw[i];

		if (listed[i] != want)
			return false;
		if (!want)
			return true;
	}
	return listed[4] == 0;
}

static void check_table(const struct acpi_table_info *t, const char *what)
{
	const uint8_t *hdr = bytes_at(t->phys, 36), *all;

	FUZZ_REQUIRE(t->length >= 36 && hdr, "%s at 0x%llx: length %u, header %s the input", what,
		     (unsigned long long)t->phys, t->length, hdr ? "inside" : "outside");
	FUZZ_REQUIRE(t->length == fz_le32(hdr + 4) && t->revision == hdr[8] && same_signature(t->signature, hdr),
		     "%s at 0x%llx is not what its header says", what, (unsigned long long)t->phys);
	all = bytes_at(t->phys, t->length);
	FUZZ_REQUIRE(t->checksum_ok == (all && sums_to_zero(all, t->length)), "%s at 0x%llx: checksum_ok %d", what,
		     (unsigned long long)t->phys, t->checksum_ok);
}

/* The root the RSDP names, read here from the RSDP bytes. */
static uint64_t named_root(bool *xsdt)
{
	const uint8_t *r = bytes_at(BASE, 36);

	*xsdt = r && r[15] >= 2 && fz_le64(r + 24);
	return *xsdt ? fz_le64(r + 24) : fz_le32(in.p + 16);
}

/* phys is an entry of the root table, or the DSDT of the first FADT. */
static bool named(const struct acpi_tables *t, uint64_t phys, bool xsdt)
{
	const uint8_t *root = bytes_at(t->root.phys, t->root.length);
	unsigned size = xsdt ? 8 : 4;
	const struct acpi_table_info *fadt = NULL;
	const uint8_t *f;

	for (size_t e = 36; e + size <= t->root.length; e += size)
		if ((xsdt ? fz_le64(root + e) : fz_le32(root + e)) == phys)
			return true;
	for (size_t i = 0; i < t->count && !fadt; i++)
		if (!memcmp(t->table[i].signature, "FACP", 4))
			fadt = &t->table[i];
	f = fadt ? bytes_at(fadt->phys, fadt->length) : NULL;
	return f && ((fadt->length >= 148 && fz_le64(f + 140) == phys) || (fadt->length >= 44 && fz_le32(f + 40) == phys));
}

static void check_find(const struct acpi_tables *t, const char *sig)
{
	const struct acpi_table_info *first = NULL;

	for (size_t i = 0; i < t->count && !first; i++)
		if (!strncmp(t->table[i].signature, sig, 4))
			first = &t->table[i];
	FUZZ_REQUIRE(acpi_find(t, sig, 0) == first, "acpi_find(%.4s) is not the first such table", sig);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct acpi_tables t;
	struct acpi_mem mem = { map, &in };
	/*
	 * Offsets are per table. A table whose signature bytes are NUL names its
	 * findings with an empty table name (acpi/tables.c uses the signature):
	 * tolerated here, and reported.
	 */
	struct fuzz_findings f = { size, false, false, true, 0 };
	struct diag_sink sink = fuzz_sink(&f);
	bool xsdt;

	in.p = data;
	in.n = size;
	if (acpi_read_tables(&mem, BASE, &t, &sink))
		return 0;
	FUZZ_REQUIRE(size >= 20 && t.rsdp.phys == BASE, "a root without an RSDP");
	FUZZ_REQUIRE(t.root.phys == named_root(&xsdt) && t.rsdp.root_is_xsdt == xsdt,
		     "root 0x%llx (xsdt %d) is not the one the RSDP names", (unsigned long long)t.root.phys,
		     t.rsdp.root_is_xsdt);
	check_table(&t.root, "root table");
	FUZZ_REQUIRE(bytes_at(t.root.phys, t.root.length), "the root table is not all inside the input");
	FUZZ_REQUIRE(t.count <= ACPI_MAX_TABLES, "%zu tables", t.count);
	for (size_t i = 0; i < t.count; i++) {
		check_table(&t.table[i], t.table[i].signature);
		FUZZ_REQUIRE(named(&t, t.table[i].phys, xsdt), "table %zu at 0x%llx is named by nothing", i,
			     (unsigned long long)t.table[i].phys);
	}
	check_find(&t, "CEDT");
	check_find(&t, "FACP");
	check_find(&t, "DSDT");
	return 0;
}
