// SPDX-License-Identifier: MIT
/* cxlval.cfg: every key's good values, a bad value for every key, and the syntax rules. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/config.h"

struct seen {
	int n;
	struct diag d[8];
	char msg[8][160];
};
static struct seen seen;

static void record(void *ctx, const struct diag *d)
{
	if (seen.n < 8) {
		seen.d[seen.n] = *d;
		memcpy(seen.msg[seen.n], d->message, sizeof(seen.msg[0]));
		seen.n++;
	}
}

static struct cxlval_config parse(const char *text)
{
	struct diag_sink sink = { record, NULL, { 0 } };
	struct cxlval_config cfg;

	memset(&seen, 0, sizeof(seen));
	config_defaults(&cfg);
	config_parse(&cfg, text, strlen(text), "cxlval.cfg", &sink);
	return cfg;
}

static void test_defaults_and_good_values(void **state)
{
	struct cxlval_config c = parse("");

	assert_int_equal(c.mode, CONFIG_QUICK);
	assert_false(c.destructive);
	assert_true(c.restore_decoders);
	assert_int_equal(c.quick_mib, 16);
	assert_int_equal(c.timeout_ms, 20);
	assert_int_equal(c.windows, ~0U);
	assert_int_equal(c.cpus, 0);
	assert_false(c.bench);
	c = parse("cpus = 4\nbench = yes\n");
	assert_int_equal(seen.n, 0);
	assert_int_equal(c.cpus, 4);
	assert_true(c.bench);
	c = parse("\xef\xbb\xbf# comment\r\nMODE = Full ; trailing\r\n  destructive=yes\nrestore_decoders = off\n"
		  "quick_mib = 65536\ntimeout_ms=1\nwindows = 0, 2-4\n\n");
	assert_int_equal(seen.n, 0);
	assert_int_equal(c.mode, CONFIG_FULL);
	assert_true(c.destructive);
	assert_false(c.restore_decoders);
	assert_int_equal(c.quick_mib, 65536);
	assert_int_equal(c.timeout_ms, 1);
	assert_int_equal(c.windows, 0x1d);
}

struct bad_case {
	const char *text, *key, *allowed;
	uint32_t value_offset;
};

static const struct bad_case bad_values[] = {
	{ "mode = fast\n", "mode", "quick or full", 7 },
	{ "destructive = maybe\n", "destructive", "yes or no", 14 },
	{ "restore_decoders = 2\n", "restore_decoders", "yes or no", 19 },
	{ "quick_mib = 0\n", "quick_mib", "from 1 to 65536", 12 },
	{ "quick_mib = 12x\n", "quick_mib", "from 1 to 65536", 12 },
	{ "timeout_ms = 99999999999999999999\n", "timeout_ms", "from 1 to 10000", 13 },
	{ "windows = 5-2\n", "windows", "0-31", 10 },
	{ "windows = 32\n", "windows", "0-31", 10 },
	{ "windows = 1,\n", "windows", "0-31", 10 },
	{ "fault_test = ud\n", "fault_test", "only available in test builds", 13 },
	{ "cpus = 1025\n", "cpus", "from 0 to 1024", 7 },
	{ "cpus = -1\n", "cpus", "from 0 to 1024", 7 },
	{ "bench = sometimes\n", "bench", "yes or no", 8 },
};

static void test_every_key_rejects_a_bad_value(void **state)
{
	for (size_t i = 0; i < sizeof(bad_values) / sizeof(bad_values[0]); i++) {
		const struct bad_case *c = &bad_values[i];
		struct cxlval_config d, got = parse(c->text);

		config_defaults(&d);
		if (seen.n != 1 || strcmp(seen.d[0].rule, "config.bad_value") || strcmp(seen.d[0].field, c->key) ||
		    seen.d[0].index != 1 || seen.d[0].offset != c->value_offset || !strstr(seen.msg[0], c->allowed))
			fail_msg("'%s': %d findings, first %s field %s offset %u: %s", c->text, seen.n,
				 seen.n ? seen.d[0].rule : "-", seen.n ? seen.d[0].field : "-",
				 seen.n ? seen.d[0].offset : 0, seen.n ? seen.msg[0] : "");
		assert_memory_equal(&got, &d, sizeof(d)); /* the default stays */
	}
}

static void test_syntax_errors_and_the_rest_still_applies(void **state)
{
	char longline[400];
	struct cxlval_config c;

	c = parse("bogus = 1\nno equals sign\nmode = full\n");
	assert_int_equal(seen.n, 2);
	assert_string_equal(seen.d[0].rule, "config.unknown_key");
	assert_string_equal(seen.d[1].rule, "config.syntax");
	assert_int_equal(seen.d[1].index, 2);
	assert_int_equal(c.mode, CONFIG_FULL);
	memset(longline, 'a', sizeof(longline) - 1);
	longline[sizeof(longline) - 1] = '\0';
	c = parse(longline);
	assert_string_equal(seen.d[0].rule, "config.too_long");
	c = parse("mode = full\x01\n");
	assert_string_equal(seen.d[0].rule, "config.syntax");
	assert_int_equal(c.mode, CONFIG_QUICK);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults_and_good_values),
		cmocka_unit_test(test_every_key_rejects_a_bad_value),
		cmocka_unit_test(test_syntax_errors_and_the_rest_still_applies),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
