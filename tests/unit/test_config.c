// SPDX-License-Identifier: MIT
/* cxlval.cfg: every key's good values, a bad value for every key, and the syntax rules. */
#include <setjmp.h>
#include <stdbool.h>
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
	assert_int_equal(c.quick_mib, 4);
	assert_int_equal(c.timeout_ms, 20);
	assert_int_equal(c.windows, ~0U);
	assert_int_equal(c.cpus, 0);
	assert_false(c.bench);
	assert_int_equal(c.program, PROGRAM_AUTO);
	assert_false(c.crosscheck_firmware);
	c = parse("cpus = 4\nbench = yes\nprogram = never\ncrosscheck_firmware = yes\n");
	assert_int_equal(seen.n, 0);
	assert_int_equal(c.program, PROGRAM_NEVER);
	assert_true(c.crosscheck_firmware);
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
	c = parse("verbosity = debug\non_exit = shutdown\nserial = off\nserial_port = com2\nserial_baud = 9600\n"
		  "watchdog_s = 86400\n");
	assert_int_equal(seen.n, 0);
	assert_int_equal(c.verbosity, 0);
	assert_int_equal(c.on_exit, ON_EXIT_SHUTDOWN);
	assert_int_equal(c.serial, SERIAL_OFF);
	assert_int_equal(c.serial_port, 0x2f8);
	assert_int_equal(c.serial_baud, 9600);
	assert_int_equal(c.watchdog_s, 86400);
	assert_string_equal(config_choice_name("on_exit", c.on_exit), "shutdown");
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
	{ "verbosity = loud\n", "verbosity", "debug, info, warn or error", 12 },
	{ "on_exit = halt\n", "on_exit", "return, reset or shutdown", 10 },
	{ "serial = maybe\n", "serial", "auto, on or off", 9 },
	{ "serial_port = 0x3f8\n", "serial_port", "com1, com2, com3 or com4", 14 },
	{ "serial_baud = 115201\n", "serial_baud", "9600, 19200, 38400, 57600 or 115200", 14 },
	{ "watchdog_s = 10\n", "watchdog_s", "from 30 to 86400", 13 },
	{ "cpus = 1025\n", "cpus", "from 0 to 1024", 7 },
	{ "cpus = -1\n", "cpus", "from 0 to 1024", 7 },
	{ "bench = sometimes\n", "bench", "yes or no", 8 },
	{ "program = sometimes\n", "program", "auto, never or always", 10 },
	{ "crosscheck_firmware = please\n", "crosscheck_firmware", "yes or no", 22 },
};

/* A key added to the table without a bad-value case here fails this test. */
static void test_every_key_has_a_bad_value_case(void **state)
{
	for (unsigned i = 0; config_key_name(i); i++) {
		bool covered = false;

		for (size_t j = 0; j < sizeof(bad_values) / sizeof(bad_values[0]); j++)
			covered |= !strcmp(bad_values[j].key, config_key_name(i));
		if (!covered)
			fail_msg("config key '%s' has no bad-value case", config_key_name(i));
	}
}

static void cmdline(const char *ascii, char *out, size_t cap, size_t *n)
{
	uint16_t opts[128];
	size_t len = strlen(ascii);

	for (size_t i = 0; i <= len; i++)
		opts[i] = (uint16_t)(unsigned char)ascii[i];
	*n = config_cmdline_lines(opts, (len + 1) * 2, out, cap);
}

static void test_command_line_words_become_lines(void **state)
{
	char out[64];
	size_t n;
	uint16_t binary[] = { 1, 0, 0x4c42, 0 };

	cmdline("  fs0:\\cxlval.efi  mode=full\twindows=0,1 ", out, sizeof(out), &n);
	assert_string_equal(out, "mode=full\nwindows=0,1\n");
	assert_int_equal(n, strlen(out));
	cmdline("cxlval.efi", out, sizeof(out), &n);
	assert_int_equal(n, 0);
	assert_int_equal(config_cmdline_lines(binary, sizeof(binary), out, sizeof(out)), 0);
	/* 16 bytes: 14 of the long word, its newline, the NUL; the rest of the word and the next are cut. */
	cmdline("x aaaaaaaaaaaaaaaaaaaaaaaaaa bbbbbbbbbbbbbbbbbbbb", out, 16, &n);
	assert_string_equal(out, "aaaaaaaaaaaaaa\n");
	assert_int_equal(n, 15);
}

/* The command line is parsed after the file, so its values win. */
static void test_command_line_overrides_the_file(void **state)
{
	char lines[64];
	size_t n;
	struct cxlval_config c = parse("mode = quick\ndestructive = no\n");

	cmdline("cxlval.efi mode=full", lines, sizeof(lines), &n);
	config_parse(&c, lines, n, "command line", NULL);
	assert_int_equal(c.mode, CONFIG_FULL);
	assert_false(c.destructive);
}

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
		cmocka_unit_test(test_every_key_has_a_bad_value_case),
		cmocka_unit_test(test_command_line_words_become_lines),
		cmocka_unit_test(test_command_line_overrides_the_file),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
