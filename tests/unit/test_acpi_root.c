// SPDX-License-Identifier: MIT
/* RSDP -> XSDT -> tables over a fake physical address space, and MCFG. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "acpi/acpi.h"
#include "acpi/mcfg.h"
#include "unit/support/cedt_build.h"

#define PHYS_BASE 0x7f000000ULL
#define PHYS_SIZE 0x10000

static uint8_t phys[PHYS_SIZE];

static const void *fake_map(void *ctx, uint64_t addr, uint64_t len)
{
	if (addr < PHYS_BASE || len > PHYS_SIZE || addr - PHYS_BASE > PHYS_SIZE - len)
		return NULL;
	return phys + (addr - PHYS_BASE);
}

static const struct acpi_mem mem = { fake_map, NULL };

struct seen {
	int n;
	char rules[16][32];
};
static struct seen seen;

static void record(void *ctx, const struct diag *d)
{
	if (seen.n < 16)
		strncpy(seen.rules[seen.n++], d->rule, 31);
}

static bool saw(const char *rule)
{
	for (int i = 0; i < seen.n; i++)
		if (!strcmp(seen.rules[i], rule))
			return true;
	return false;
}

static void place(uint64_t addr, const struct tbuf *t)
{
	memcpy(phys + (addr - PHYS_BASE), t->b, t->len);
}

static uint8_t sum(const uint8_t *p, size_t n)
{
	uint8_t s = 0;

	while (n--)
		s = (uint8_t)(s + *p++);
	return s;
}

/* RSDP at +0, XSDT at +0x100 listing tables at +0x1000, +0x2000 and an unmapped address. */
static void build_machine(uint64_t third_entry)
{
	uint8_t *r = phys;
	struct tbuf t;

	memset(phys, 0, sizeof(phys));
	memcpy(r, "RSD PTR ", 8);
	memcpy(r + 9, "CXLVAL", 6);
	r[15] = 2;
	r[20] = 36;
	for (int i = 0; i < 8; i++)
		r[24 + i] = (uint8_t)((PHYS_BASE + 0x100) >> (8 * i));
	r[8] = (uint8_t)(0x100 - sum(r, 20));
	r[32] = (uint8_t)(0x100 - sum(r, 36));

	tb_header(&t, "XSDT");
	tb_put64(&t, PHYS_BASE + 0x1000);
	tb_put64(&t, PHYS_BASE + 0x2000);
	if (third_entry)
		tb_put64(&t, third_entry);
	tb_finish(&t);
	place(PHYS_BASE + 0x100, &t);

	tb_header(&t, "MCFG");
	tb_put64(&t, 0);
	tb_mcfg_entry(&t, 0xb0000000ULL, 0, 0, 255);
	tb_finish(&t);
	place(PHYS_BASE + 0x1000, &t);

	tb_header(&t, "CEDT");
	tb_chbs(&t, 12, 1, 0x280000000ULL, 0x10000);
	tb_finish(&t);
	place(PHYS_BASE + 0x2000, &t);
}

static int read_all(struct acpi_tables *out)
{
	struct diag_sink sink = { record, NULL, { 0 } };

	memset(&seen, 0, sizeof(seen));
	return acpi_read_tables(&mem, PHYS_BASE, out, &sink);
}

static void test_lists_every_table(void **state)
{
	static struct acpi_tables t;

	build_machine(0);
	assert_int_equal(read_all(&t), 0);
	assert_int_equal(seen.n, 0);
	assert_true(t.rsdp.checksum_ok && t.rsdp.ext_checksum_ok && t.rsdp.root_is_xsdt);
	assert_string_equal(t.root.signature, "XSDT");
	assert_int_equal(t.count, 2);
	assert_string_equal(acpi_find(&t, "MCFG", 0)->signature, "MCFG");
	assert_int_equal(acpi_find(&t, "CEDT", 0)->phys, PHYS_BASE + 0x2000);
	assert_true(acpi_find(&t, "CEDT", 0)->checksum_ok);
	assert_null(acpi_find(&t, "CEDT", 1));
}

static void test_unmapped_entry_and_bad_checksums(void **state)
{
	static struct acpi_tables t;

	build_machine(0xdead0000ULL);
	phys[0x2000 + 40] ^= 1; /* CEDT body changes, its checksum no longer holds */
	phys[8] ^= 1;		/* RSDP checksum */
	assert_int_equal(read_all(&t), 0);
	assert_true(saw("table.unmapped"));
	assert_true(saw("table.checksum"));
	assert_true(saw("rsdp.checksum"));
	assert_int_equal(t.count, 2);
	assert_false(acpi_find(&t, "CEDT", 0)->checksum_ok);
}

static void test_no_rsdp_signature(void **state)
{
	static struct acpi_tables t;

	build_machine(0);
	phys[0] = 'X';
	assert_int_equal(read_all(&t), -1);
	assert_true(saw("rsdp.signature"));
}

static void test_mcfg_rules_and_ecam_address(void **state)
{
	struct diag_sink sink = { record, NULL, { 0 } };
	struct mcfg m;
	struct tbuf t;
	uint64_t a;

	tb_header(&t, "MCFG");
	tb_put64(&t, 0);
	tb_mcfg_entry(&t, 0xb0000000ULL, 0, 0, 255);
	tb_mcfg_entry(&t, 0xc0080000ULL, 1, 0, 15); /* not 1 MiB aligned */
	tb_mcfg_entry(&t, 0xd0000000ULL, 0, 200, 210); /* overlaps entry 0 */
	tb_mcfg_entry(&t, 0xe0000000ULL, 2, 9, 3);     /* end below start */
	tb_finish(&t);
	memset(&seen, 0, sizeof(seen));
	assert_int_equal(mcfg_parse(t.b, t.len, &m, &sink), 0);
	assert_int_equal(m.count, 4);
	assert_true(m.entry[0].valid);
	assert_false(m.entry[1].valid || m.entry[2].valid || m.entry[3].valid);
	assert_true(saw("mcfg.base") && saw("mcfg.bus_overlap") && saw("mcfg.bus_range"));
	assert_true(mcfg_ecam_address(&m, 0, 12, 1, 2, 0x100, &a));
	assert_int_equal(a, 0xb0000000ULL + (12 << 20) + (1 << 15) + (2 << 12) + 0x100);
	assert_false(mcfg_ecam_address(&m, 1, 0, 0, 0, 0, &a));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lists_every_table),
		cmocka_unit_test(test_unmapped_entry_and_bad_checksums),
		cmocka_unit_test(test_no_rsdp_signature),
		cmocka_unit_test(test_mcfg_rules_and_ecam_address),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
