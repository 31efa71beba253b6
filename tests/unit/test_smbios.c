// SPDX-License-Identifier: MIT
/* SMBIOS identity: entry points (3.x and 2.x), strings by number, broken structures named. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/smbios.h"

static struct diag last;
static unsigned nr_findings;

static void record(void *ctx, const struct diag *d)
{
	last = *d;
	nr_findings++;
}

static struct diag_sink sink = { record, NULL, { 0 } };

/* Appends a structure: header, formatted bytes after it, then the strings and the double NUL. */
static size_t put(uint8_t *t, size_t at, uint8_t type, const uint8_t *fmt, uint8_t fmt_len, const char *strings,
		  size_t strings_len)
{
	t[at] = type;
	t[at + 1] = (uint8_t)(4 + fmt_len);
	t[at + 2] = (uint8_t)at;
	t[at + 3] = 0;
	if (fmt_len)
		memcpy(t + at + 4, fmt, fmt_len);
	at += 4 + fmt_len;
	memcpy(t + at, strings, strings_len);
	return at + strings_len;
}

/* A string literal's own NUL ends the last string: together they make the set's double NUL. */
#define STRINGS(lit) lit, sizeof(lit)

static size_t build(uint8_t *t)
{
	static const uint8_t bios[] = { 1, 2, 0, 0, 3 };	  /* vendor 1, version 2, date 3 (offset 8) */
	static const uint8_t sys[] = { 1, 2, 0, 0 };		  /* manufacturer 1, product 2, version 0 */
	static const uint8_t board[] = { 2, 1, 3 };
	size_t n = 0;

	n = put(t, n, 0, bios, sizeof(bios), STRINGS("EDK II\0" "1.0-cxl\0" "02/02/2022\0"));
	n = put(t, n, 1, sys, sizeof(sys), STRINGS("ACME\0" "CXL Box\0"));
	n = put(t, n, 3, NULL, 0, STRINGS("\0"));	  /* a chassis with no strings */
	n = put(t, n, 2, board, sizeof(board), STRINGS("B1\0" "Vendor\xff\0" "rev A\0"));
	n = put(t, n, 127, NULL, 0, STRINGS("\0"));
	return n;
}

static void test_identity_from_types_0_1_2(void **state)
{
	uint8_t t[256] = { 0 };
	size_t n = build(t);
	struct smbios_identity id;

	nr_findings = 0;
	smbios_identity(t, n + 20, &id, &sink); /* stops at type 127, not at the end of the buffer */
	assert_int_equal(nr_findings, 0);
	assert_int_equal(id.structures, 5);
	assert_string_equal(id.bios_vendor, "EDK II");
	assert_string_equal(id.bios_version, "1.0-cxl");
	assert_string_equal(id.bios_date, "02/02/2022");
	assert_string_equal(id.sys_vendor, "ACME");
	assert_string_equal(id.product_name, "CXL Box");
	assert_string_equal(id.product_version, ""); /* string number 0: none */
	assert_string_equal(id.board_vendor, "Vendor?");
	assert_string_equal(id.board_name, "B1");
	assert_string_equal(id.board_version, "rev A");
}

static void test_truncated_tables_are_named_and_what_came_before_kept(void **state)
{
	uint8_t t[256] = { 0 };
	size_t n = build(t);
	struct smbios_identity id;

	nr_findings = 0;
	smbios_identity(t, 40, &id, &sink); /* cuts the type-1 strings */
	assert_int_equal(nr_findings, 1);
	assert_string_equal(last.rule, "smbios.structure");
	assert_int_equal(last.index, 1);
	assert_int_equal(last.offset, 4 + 5 + sizeof("EDK II\0" "1.0-cxl\0" "02/02/2022\0"));
	assert_string_equal(id.bios_vendor, "EDK II");
	assert_string_equal(id.sys_vendor, "");
	t[1] = 2; /* a header shorter than a header */
	smbios_identity(t, n, &id, &sink);
	assert_int_equal(nr_findings, 2);
	assert_int_equal(last.index, 0);
}

static void fix_checksum(uint8_t *ep, uint8_t len, unsigned at)
{
	uint8_t s = 0;

	ep[at] = 0;
	for (unsigned i = 0; i < len; i++)
		s = (uint8_t)(s + ep[i]);
	ep[at] = (uint8_t)-s;
}

static void test_entry_points(void **state)
{
	uint8_t v3[SMBIOS3_EP_LENGTH] = { '_', 'S', 'M', '3', '_', 0, SMBIOS3_EP_LENGTH, 3, 7 };
	uint8_t v2[SMBIOS2_EP_LENGTH] = { '_', 'S', 'M', '_', 0, SMBIOS2_EP_LENGTH, 2, 8 };
	struct smbios_table_loc loc;

	v3[SMBIOS3_EP_TABLE_MAX] = 0x34;
	v3[SMBIOS3_EP_TABLE_MAX + 1] = 0x12;
	v3[SMBIOS3_EP_TABLE_ADDR + 4] = 0x01; /* above 4 GiB */
	fix_checksum(v3, sizeof(v3), 5);
	nr_findings = 0;
	assert_true(smbios_entry_point(v3, sizeof(v3), &loc, &sink));
	assert_int_equal(loc.addr, 0x100000000ULL);
	assert_int_equal(loc.length, 0x1234);
	assert_int_equal(loc.major, 3);
	v2[SMBIOS2_EP_TABLE_LEN] = 0x80;
	v2[SMBIOS2_EP_TABLE_ADDR + 2] = 0x0f;
	fix_checksum(v2, sizeof(v2), 4);
	assert_true(smbios_entry_point(v2, sizeof(v2), &loc, &sink));
	assert_int_equal(loc.addr, 0xf0000);
	assert_int_equal(loc.length, 0x80);
	v3[20] ^= 1;
	assert_false(smbios_entry_point(v3, sizeof(v3), &loc, &sink));
	assert_string_equal(last.rule, "smbios.checksum");
	assert_false(smbios_entry_point((const uint8_t *)"_XX_", 4, &loc, &sink));
	assert_string_equal(last.rule, "smbios.anchor");
	assert_false(smbios_entry_point(v3, 10, &loc, &sink));
	assert_string_equal(last.rule, "smbios.length");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_identity_from_types_0_1_2),
		cmocka_unit_test(test_truncated_tables_are_named_and_what_came_before_kept),
		cmocka_unit_test(test_entry_points),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
