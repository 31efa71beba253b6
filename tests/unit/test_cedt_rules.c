// SPDX-License-Identifier: MIT
/*
 * CEDT rules, one broken at a time (tests as data: one row per rule).
 * The baseline is two host bridges (UID 12 and 222) and two windows:
 * window A 1-way on 12, window B 2-way across 12 and 222 at 8 KiB.
 * Each row breaks one thing and says which finding must appear, where
 * (structure index, field, absolute byte offset) and which windows stay usable.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "acpi/acpi.h"
#include "acpi/cedt.h"
#include "unit/support/cedt_build.h"

#define GiB (1ULL << 30)
#define MiB (1ULL << 20)

/* Offsets of the baseline's structures, filled by build(). */
struct layout {
	size_t chbs12, chbs222, win_a, win_b, extra;
};

struct knobs {
	uint64_t a_base, a_size, b_base, b_size, chbs222_base, chbs222_len;
	uint8_t a_eniw, b_eniw, b_arith;
	uint32_t a_hbig, a_target, chbs222_uid, chbs222_version;
	unsigned b_targets;
	int add_cxims;	 /* XORMAPs in a CXIMS for HBIG 5, -1 for none */
	int extra_kind;	 /* 0 none, 1 zero-length structure, 2 structure past the end, 3 short CFMWS */
	int corrupt_sum; /* break the checksum */
	size_t cut;	 /* hand the parser only this many bytes (0 = all) */
};

static struct knobs baseline(void)
{
	return (struct knobs){ .a_base = 0x290000000ULL, .a_size = 4 * GiB, .b_base = 0x390000000ULL,
			       .b_size = 4 * GiB, .chbs222_base = 0x280010000ULL, .chbs222_len = 0x10000,
			       .a_eniw = 0, .b_eniw = 1, .b_arith = 0, .a_hbig = 0, .a_target = 12,
			       .chbs222_uid = 222, .chbs222_version = 1, .b_targets = 2, .add_cxims = -1 };
}

static struct tbuf tb;
static struct cedt cedt;
static struct layout at;

struct seen {
	int n;
	struct diag d[32];
};
static struct seen seen;

static void record(void *ctx, const struct diag *d)
{
	if (seen.n < 32)
		seen.d[seen.n++] = *d;
}

static size_t parse(const struct knobs *k)
{
	const uint32_t b_targets[] = { 12, 222 };
	struct diag_sink sink = { record, NULL, { 0 } };

	tb_header(&tb, "CEDT");
	at.chbs12 = tb_chbs(&tb, 12, 1, 0x280000000ULL, 0x10000);
	at.chbs222 = tb_chbs(&tb, k->chbs222_uid, k->chbs222_version, k->chbs222_base, k->chbs222_len);
	at.win_a = tb_cfmws(&tb, k->a_base, k->a_size, k->a_eniw, 0, k->a_hbig, 0xf, 1, &k->a_target);
	at.win_b = tb_cfmws(&tb, k->b_base, k->b_size, k->b_eniw, k->b_arith, 5, 0xf, k->b_targets, b_targets);
	if (k->add_cxims >= 0) {
		const uint64_t maps[4] = { 0x4000 | 0x1000000, 0x8000, 0x10000, 0x20000 };

		tb_cxims(&tb, 5, (unsigned)k->add_cxims, maps);
	}
	at.extra = tb.len;
	if (k->extra_kind == 1) {
		tb_put8(&tb, 0);
		tb_put8(&tb, 0);
		tb_put16(&tb, 0);
		tb_chbs(&tb, 7, 1, 0x280020000ULL, 0x10000); /* never reached */
	} else if (k->extra_kind == 2) {
		tb_chbs(&tb, 7, 1, 0x280020000ULL, 0x10000);
		tb_set16(&tb, at.extra + 2, 200);
	} else if (k->extra_kind == 3) {
		tb_cfmws(&tb, 0x590000000ULL, GiB, 0, 0, 0, 0xf, 0, NULL);
	}
	tb_finish(&tb);
	if (k->corrupt_sum)
		tb.b[9] ^= 0x55;
	memset(&seen, 0, sizeof(seen));
	assert_int_equal(cedt_parse(tb.b, k->cut ? k->cut : tb.len, &cedt, &sink), 0);
	return tb.len;
}

static const struct diag *find_rule(const char *rule)
{
	for (int i = 0; i < seen.n; i++)
		if (!strcmp(seen.d[i].rule, rule))
			return &seen.d[i];
	return NULL;
}

static void test_baseline_is_clean(void **state)
{
	struct knobs k = baseline();

	parse(&k);
	for (int i = 0; i < seen.n; i++)
		fail_msg("unexpected finding %s: %s", seen.d[i].rule, seen.d[i].message);
	assert_int_equal(cedt.nr_chbs, 2);
	assert_int_equal(cedt.nr_cfmws, 2);
	assert_true(cedt.checksum_ok);
	assert_true(cedt.cfmws[0].at.valid && cedt.cfmws[1].at.valid);
	assert_int_equal(cedt.cfmws[1].ways, 2);
	assert_int_equal(cedt.cfmws[1].granularity, 8192);
	assert_int_equal(cedt.cfmws[1].target_uid[1], 222);
	assert_int_equal(cedt.cfmws[0].base, 0x290000000ULL);
	assert_int_equal(cedt.cfmws[0].at.index, 2);
	assert_non_null(cedt_chbs_by_uid(&cedt, 222));
	assert_null(cedt_chbs_by_uid(&cedt, 13));
}

enum which { WIN_A = 1, WIN_B = 2, CHBS222 = 3, EXTRA = 4, HEADER = 5 };

struct rule_case {
	const char *name;
	void (*breaks)(struct knobs *k);
	const char *rule;
	enum diag_severity severity;
	enum which where; /* the structure the finding is about */
	const char *field;
	size_t field_offset; /* within that structure */
	bool a_valid, b_valid;
};

static void base_unaligned(struct knobs *k) { k->a_base += 16 * MiB; }
static void size_unaligned(struct knobs *k) { k->a_size += MiB; }
static void size_not_ways_multiple(struct knobs *k) { k->b_size = 768 * MiB; }
static void bad_eniw(struct knobs *k) { k->a_eniw = 5; }
static void bad_hbig(struct knobs *k) { k->a_hbig = 7; }
static void length_not_ways(struct knobs *k) { k->b_targets = 1; }
static void target_without_chbs(struct knobs *k) { k->a_target = 99; }
static void xor_without_cxims(struct knobs *k) { k->b_arith = 1; }
static void xor_wrong_maps(struct knobs *k) { k->b_arith = 1; k->add_cxims = 2; }
static void chbs_zero_base(struct knobs *k) { k->chbs222_base = 0; }
static void chbs_bad_version(struct knobs *k) { k->chbs222_version = 2; }
static void chbs_bad_length(struct knobs *k) { k->chbs222_len = 0x2000; }
static void chbs_duplicate_uid(struct knobs *k) { k->chbs222_uid = 12; }
static void windows_overlap(struct knobs *k) { k->b_base = k->a_base + GiB; }
static void window_wraps(struct knobs *k) { k->b_base = 0xfffffffff0000000ULL; k->b_size = 2 * GiB; }
static void zero_length_structure(struct knobs *k) { k->extra_kind = 1; }
static void structure_past_end(struct knobs *k) { k->extra_kind = 2; }
static void short_cfmws(struct knobs *k) { k->extra_kind = 3; }
static void bad_checksum(struct knobs *k) { k->corrupt_sum = 1; }

static const struct rule_case rule_cases[] = {
	{ "unaligned base", base_unaligned, "cfmws.base_align", DIAG_ERROR, WIN_A, "Base HPA", 8, false, true },
	{ "unaligned size", size_unaligned, "cfmws.size_align", DIAG_ERROR, WIN_A, "Window Size", 16, false, true },
	{ "size not 256 MiB x ways", size_not_ways_multiple, "cfmws.size_ways", DIAG_ERROR, WIN_B, "Window Size",
	  16, true, false },
	{ "bad ENIW", bad_eniw, "cfmws.eniw", DIAG_ERROR, WIN_A, "ENIW", 24, false, true },
	{ "bad HBIG", bad_hbig, "cfmws.hbig", DIAG_ERROR, WIN_A, "HBIG", 28, false, true },
	{ "length not 36 + 4 x ways", length_not_ways, "cfmws.length", DIAG_ERROR, WIN_B, "Length", 2, true,
	  false },
	{ "target UID without CHBS", target_without_chbs, "cfmws.target_without_chbs", DIAG_ERROR, WIN_A,
	  "Interleave Target List", 36, false, true },
	{ "XOR window without CXIMS", xor_without_cxims, "cfmws.xor_without_cxims", DIAG_ERROR, WIN_B,
	  "Interleave Arithmetic", 25, true, false },
	{ "XOR window, CXIMS with wrong map count", xor_wrong_maps, "cfmws.xor_maps", DIAG_ERROR, WIN_B,
	  "Interleave Arithmetic", 25, true, false },
	{ "CHBS with zero base", chbs_zero_base, "chbs.base_zero", DIAG_ERROR, CHBS222, "Base", 16, true, false },
	{ "CHBS version 2", chbs_bad_version, "chbs.version", DIAG_ERROR, CHBS222, "CXL Version", 8, true, false },
	{ "CHBCR with RCRB length", chbs_bad_length, "chbs.length", DIAG_ERROR, CHBS222, "Length", 24, true, false },
	{ "duplicate CHBS UID", chbs_duplicate_uid, "chbs.duplicate_uid", DIAG_ERROR, CHBS222, "UID", 4, true,
	  false },
	{ "two windows overlap", windows_overlap, "cfmws.overlap", DIAG_ERROR, WIN_B, "Base HPA", 8, true, false },
	{ "window wraps past 2^64", window_wraps, "cfmws.overflow", DIAG_ERROR, WIN_B, "Window Size", 16, true,
	  false },
	{ "structure length 0", zero_length_structure, "cedt.st_len_zero", DIAG_FATAL, EXTRA, "Length", 2, true,
	  true },
	{ "structure runs past the table", structure_past_end, "cedt.st_past_end", DIAG_ERROR, EXTRA, "Length", 2,
	  true, true },
	{ "CFMWS shorter than its minimum", short_cfmws, "cedt.st_too_short", DIAG_ERROR, EXTRA, "Length", 2, true,
	  true },
	{ "bad table checksum", bad_checksum, "cedt.checksum", DIAG_ERROR, HEADER, "Checksum", 9, true, true },
};

static size_t offset_of(enum which w)
{
	switch (w) {
	case WIN_A: return at.win_a;
	case WIN_B: return at.win_b;
	case CHBS222: return at.chbs222;
	case EXTRA: return at.extra;
	case HEADER: return 0;
	}
	return 0;
}

static void test_each_rule_broken_once(void **state)
{
	for (size_t i = 0; i < sizeof(rule_cases) / sizeof(rule_cases[0]); i++) {
		const struct rule_case *c = &rule_cases[i];
		struct knobs k = baseline();
		const struct diag *d;

		c->breaks(&k);
		parse(&k);
		d = find_rule(c->rule);
		if (!d)
			fail_msg("%s: no finding %s (%d findings, first %s)", c->name, c->rule, seen.n,
				 seen.n ? seen.d[0].rule : "-");
		if (d->severity != c->severity || strcmp(d->field, c->field) ||
		    d->offset != offset_of(c->where) + c->field_offset || strcmp(d->table, "CEDT"))
			fail_msg("%s: %s reported as severity %d field %s offset 0x%x, want %d %s 0x%zx", c->name,
				 c->rule, d->severity, d->field, d->offset, c->severity, c->field,
				 offset_of(c->where) + c->field_offset);
		if (c->where != HEADER && d->index != (int)((c->where == EXTRA) ? 4 + (k.add_cxims >= 0)
							       : c->where == CHBS222 ? 1 : c->where + 1))
			fail_msg("%s: structure index %d", c->name, d->index);
		if (cedt.cfmws[0].at.valid != c->a_valid || cedt.cfmws[1].at.valid != c->b_valid)
			fail_msg("%s: window validity A=%d B=%d, want A=%d B=%d", c->name, cedt.cfmws[0].at.valid,
				 cedt.cfmws[1].at.valid, c->a_valid, c->b_valid);
	}
}

static void test_zero_length_stops_walk_keeps_earlier(void **state)
{
	struct knobs k = baseline();

	k.extra_kind = 1;
	parse(&k);
	assert_true(cedt.truncated);
	assert_int_equal(cedt.nr_chbs, 2); /* the CHBS after the zero-length one is never read */
	assert_true(cedt.cfmws[0].at.valid);
}

static void test_truncated_table_walks_what_is_readable(void **state)
{
	struct knobs k = baseline();
	size_t full = parse(&k);

	k.cut = full - 10;
	parse(&k);
	assert_non_null(find_rule("cedt.length"));
	assert_non_null(find_rule("cedt.st_past_end"));
	assert_int_equal(cedt.nr_cfmws, 1);
	assert_true(cedt.cfmws[0].at.valid);
}

static void test_xor_with_cxims_and_multiples_of_three(void **state)
{
	struct knobs k = baseline();
	const struct diag *d;

	k.b_arith = 1;
	k.add_cxims = 1;
	parse(&k);
	assert_true(cedt.cfmws[1].at.valid);
	assert_non_null(cedt_cxims_for(&cedt, &cedt.cfmws[1]));
	assert_int_equal(cedt.cxims[0].xormap[0], 0x1004000ULL);

	/* 3-way modulo needs 3 targets; with two listed the length rule fires. */
	k = baseline();
	k.b_eniw = 8;
	k.b_size = 3 * GiB;
	parse(&k);
	d = find_rule("cfmws.length");
	assert_non_null(d);
	assert_int_equal(cedt.cfmws[1].ways, 3);
}

static void test_not_a_cedt(void **state)
{
	struct diag_sink sink = { record, NULL, { 0 } };

	tb_header(&tb, "APIC");
	tb_finish(&tb);
	memset(&seen, 0, sizeof(seen));
	assert_int_equal(cedt_parse(tb.b, tb.len, &cedt, &sink), -1);
	assert_non_null(find_rule("cedt.signature"));
	assert_int_equal(cedt_parse(tb.b, 10, &cedt, &sink), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_baseline_is_clean),
		cmocka_unit_test(test_each_rule_broken_once),
		cmocka_unit_test(test_zero_length_stops_walk_keeps_earlier),
		cmocka_unit_test(test_truncated_table_walks_what_is_readable),
		cmocka_unit_test(test_xor_with_cxims_and_multiples_of_three),
		cmocka_unit_test(test_not_a_cedt),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
