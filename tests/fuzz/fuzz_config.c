// SPDX-License-Identifier: MIT
/*
 * libFuzzer: the config file parser on arbitrary text, and the same bytes as
 * a UEFI shell command line. After the parse, whatever the input:
 *  - every value is one the README's configuration table allows (the ranges
 *    are written out here, not taken from config.c's key table);
 *  - the parse is deterministic: a second run from the defaults agrees;
 *  - every finding names a rule and an offset inside the text;
 *  - the command-line conversion stays inside its buffer and NUL-terminates.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/config.h"
#include "fuzz/fuzz_invariant.h"

static bool one_of(unsigned v, const unsigned *set, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (v == set[i])
			return true;
	return false;
}

#define IN_RANGE(field, lo, hi) \
	FUZZ_REQUIRE(c->field >= (lo) && c->field <= (hi), #field " = %u, allowed %u-%u", (unsigned)c->field, \
		     (unsigned)(lo), (unsigned)(hi))

static void check_ranges(const struct cxlval_config *c)
{
	static const unsigned ports[] = { 0x3f8, 0x2f8, 0x3e8, 0x2e8 }; /* com1..com4 */
	static const unsigned bauds[] = { 9600, 19200, 38400, 57600, 115200 };

	IN_RANGE(mode, 0, 1);		  /* quick, full */
	IN_RANGE(quick_mib, 1, 65536);
	IN_RANGE(timeout_ms, 1, 10000);
	FUZZ_REQUIRE(c->windows != 0, "windows = 0 selects nothing");
	IN_RANGE(verbosity, 0, 3);	  /* debug, info, warn, error */
	IN_RANGE(on_exit, 0, 2);	  /* return, reset, shutdown */
	IN_RANGE(serial, 0, 2);		  /* auto, on, off */
	FUZZ_REQUIRE(one_of(c->serial_port, ports, 4), "serial_port = 0x%x", c->serial_port);
	FUZZ_REQUIRE(one_of(c->serial_baud, bauds, 5), "serial_baud = %u", c->serial_baud);
	IN_RANGE(watchdog_s, 30, 86400);
	IN_RANGE(cpus, 0, 1024);
#ifdef CXLVAL_TEST_HOOKS
	IN_RANGE(fault_test, 0, 5);
#else
	FUZZ_REQUIRE(c->fault_test == 0, "fault_test = %u in a build without test hooks", c->fault_test);
#endif
}

/* Field by field: padding bytes are not part of the configuration. */
static bool same(const struct cxlval_config *a, const struct cxlval_config *b)
{
	return a->mode == b->mode && a->destructive == b->destructive && a->restore_decoders == b->restore_decoders &&
	       a->quick_mib == b->quick_mib && a->timeout_ms == b->timeout_ms && a->windows == b->windows &&
	       a->verbosity == b->verbosity && a->on_exit == b->on_exit && a->serial == b->serial &&
	       a->serial_port == b->serial_port && a->serial_baud == b->serial_baud && a->watchdog_s == b->watchdog_s &&
	       a->cpus == b->cpus && a->bench == b->bench && a->fault_test == b->fault_test;
}

static void check_cmdline(const uint8_t *data, size_t size)
{
	char out[512];
	size_t n;

	memset(out, 0x5a, sizeof(out));
	n = config_cmdline_lines((const uint16_t *)(const void *)data, size & ~(size_t)1, out, sizeof(out) - 8);
	FUZZ_REQUIRE(n < sizeof(out) - 8 && (n ? strlen(out) == n : 1), "command line: %zu bytes written", n);
	for (size_t i = 0; i < n; i++)
		FUZZ_REQUIRE(out[i] == '\n' || (out[i] >= 0x20 && out[i] <= 0x7e), "command line: byte 0x%02x in a line",
			     (unsigned char)out[i]);
	for (size_t i = sizeof(out) - 8; i < sizeof(out); i++)
		FUZZ_REQUIRE(out[i] == 0x5a, "command line: wrote past its buffer");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cxlval_config cfg, again;
	struct fuzz_findings f = { size, true, true, false, 0 };
	struct diag_sink sink = fuzz_sink(&f);

	config_defaults(&cfg);
	check_ranges(&cfg);
	config_parse(&cfg, (const char *)data, size, "fuzz", &sink);
	check_ranges(&cfg);
	config_defaults(&again);
	config_parse(&again, (const char *)data, size, "fuzz", NULL);
	FUZZ_REQUIRE(same(&cfg, &again), "two parses of the same text disagree");
	if (size % 2 == 0 && size >= 2 && !((uintptr_t)data & 1))
		check_cmdline(data, size);
	return 0;
}
