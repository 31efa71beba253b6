// SPDX-License-Identifier: MIT
/* The AML scan for ACPI0016 host bridges, on hand-assembled AML. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "acpi/dsdt.h"
#include "unit/support/cedt_build.h"

static void put_bytes(struct tbuf *t, const void *p, size_t n)
{
	memcpy(t->b + t->len, p, n);
	t->len += n;
}

/* Device(name) { body } with a one-byte PkgLength. */
static void device(struct tbuf *t, const char *name, const uint8_t *body, size_t n)
{
	tb_put8(t, 0x5b);
	tb_put8(t, 0x82);
	tb_put8(t, (uint8_t)(1 + 4 + n));
	put_bytes(t, name, 4);
	put_bytes(t, body, n);
}

static void test_finds_cxl_host_bridges_only(void **state)
{
	static const uint8_t cxl[] = { 0x08, '_', 'H', 'I', 'D', 0x0d, 'A', 'C', 'P', 'I', '0', '0', '1', '6', 0,
				       0x08, '_', 'U', 'I', 'D', 0x0a, 7,
				       0x08, '_', 'B', 'B', 'N', 0x0b, 0x28, 0x00 };
	static const uint8_t pci[] = { 0x08, '_', 'H', 'I', 'D', 0x0d, 'P', 'N', 'P', '0', 'A', '0', '8', 0,
				       0x08, '_', 'U', 'I', 'D', 0x01 };
	static struct tbuf t;
	struct aml_host_bridge hb[4];
	unsigned n = 0;

	tb_header(&t, "DSDT");
	device(&t, "PCI0", pci, sizeof(pci));
	device(&t, "CXL0", cxl, sizeof(cxl));
	tb_finish(&t);
	aml_find_cxl_host_bridges(t.b, t.len, hb, &n, 4);
	assert_int_equal(n, 1);
	assert_true(hb[0].has_uid && hb[0].has_bbn);
	assert_int_equal(hb[0].uid, 7);
	assert_int_equal(hb[0].bbn, 0x28);

	/*
	 * Every truncation: no crash, and no bridge: CXL0's package (PkgLength
	 * 35 after its Device op at 36 + 27 = 63) ends at byte 100, the end of
	 * the table, so every cut leaves it incomplete.
	 */
	assert_int_equal(t.len, 63 + 2 + 35);
	for (size_t cut = 0; cut < t.len; cut++) {
		n = 0;
		aml_find_cxl_host_bridges(t.b, cut, hb, &n, 4);
		assert_int_equal(n, 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_finds_cxl_host_bridges_only),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
