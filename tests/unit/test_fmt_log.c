// SPDX-License-Identifier: MIT
/* lib/fmt.c against the host libc's snprintf, and the two log forms. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "lib/diag.h"
#include "lib/fmt.h"
#include "core/log.h"

#define CHECK_FMT(...)                                                   \
	do {                                                             \
		char a[128], b[128];                                     \
		int na = fmt_snprintf(a, sizeof(a), __VA_ARGS__);        \
		int nb = snprintf(b, sizeof(b), __VA_ARGS__);            \
		assert_string_equal(a, b);                               \
		assert_int_equal(na, nb);                                \
	} while (0)

static void test_fmt_matches_libc(void **state)
{
	CHECK_FMT("plain");
	CHECK_FMT("%d %i %u", -42, 7, 3000000000u);
	CHECK_FMT("%x %X %08x %-6x|", 0xbeefu, 0xbeefu, 0x12u, 0xau);
	CHECK_FMT("%llx %llu %lld", 0xffffffffffffffffULL, 18446744073709551615ULL, (long long)INT64_MIN);
	CHECK_FMT("%zu %lu", (size_t)12345, 99ul);
	CHECK_FMT("%s|%10s|%-10s|%.3s|%.*s", "abc", "right", "left", "truncate", 2, "xyz");
	CHECK_FMT("%c%c %% %5d|%-5d|%05d", 'o', 'k', 42, 42, -42);
	CHECK_FMT("%.4x %hhu %hd", 0x1u, (unsigned char)255, (short)-3);
	CHECK_FMT("%p", (void *)0x1234);
}

static void test_fmt_truncates_and_reports_length(void **state)
{
	char b[8];

	assert_int_equal(fmt_snprintf(b, sizeof(b), "0123456789"), 10);
	assert_string_equal(b, "0123456");
	assert_int_equal(fmt_snprintf(NULL, 0, "%d", 12345), 5);
}

static char captured_text[4096], captured_json[4096];

static void cap_write(void *ctx, const char *line, size_t len)
{
	strncat((char *)ctx, line, len);
}

static void setup_capture(void)
{
	struct log_sink t = { LOG_SINK_TEXT, LOG_INFO, cap_write, NULL, captured_text, true };
	struct log_sink j = { LOG_SINK_JSON, LOG_DEBUG, cap_write, NULL, captured_json, false };

	captured_text[0] = captured_json[0] = '\0';
	log_init();
	log_add_sink(&t);
	log_add_sink(&j);
}

static void test_log_text_and_json(void **state)
{
	struct log_event ev;

	setup_capture();
	log_set_phase("acpi");
	log_begin(&ev, LOG_INFO, "cedt.cfmws");
	log_u64(&ev, "index", 0);
	log_hex(&ev, "base", 0x290000000ULL);
	log_str(&ev, "arith", "modulo");
	log_str(&ev, "note", "has \"quotes\" and spaces");
	log_bool(&ev, "valid", true);
	log_msg(&ev, "window %d", 0);
	log_end(&ev);
	assert_string_equal(captured_text, "acpi: cedt.cfmws: window 0 index=0 base=0x290000000 arith=modulo "
					   "note=\"has \"quotes\" and spaces\" valid=yes\n");
	assert_string_equal(captured_json,
			    "{\"level\":\"info\",\"phase\":\"acpi\",\"event\":\"cedt.cfmws\",\"msg\":\"window 0\","
			    "\"index\":0,\"base\":\"0x290000000\",\"arith\":\"modulo\","
			    "\"note\":\"has \\\"quotes\\\" and spaces\",\"valid\":true}\n");
	assert_int_equal(log_count(LOG_INFO), 1);
}

static uint64_t fake_ns;

static uint64_t fake_clock(void)
{
	return fake_ns;
}

/* Leaving a phase logs its time (debug, in the phase that ended); staying in it logs nothing. */
static void test_phase_time_on_every_change(void **state)
{
	setup_capture();
	fake_ns = 0;
	log_set_clock(fake_clock);
	fake_ns = 2500000; /* 2.5 ms */
	log_set_phase("boot");
	assert_string_equal(captured_json, "");
	log_set_phase("touch");
	assert_non_null(strstr(captured_json, "\"phase\":\"boot\",\"event\":\"phase.time\",\"us\":2500,\"ms\":2"));
	assert_string_equal(captured_text, ""); /* debug: the files only */
	fake_ns = 4000000;
	log_set_phase("restore");
	assert_non_null(strstr(captured_json, "\"phase\":\"touch\",\"event\":\"phase.time\",\"us\":1500,"));
	log_set_clock(NULL);
}

static void test_log_levels_filter_and_mark(void **state)
{
	setup_capture();
	log_printf(LOG_DEBUG, "noise", "only json");
	log_printf(LOG_ERROR, "bad", "x=%d", 1);
	assert_string_equal(captured_text, "boot: ERROR bad: x=1\n");
	assert_non_null(strstr(captured_json, "\"event\":\"noise\""));
	assert_int_equal(log_count(LOG_ERROR), 1);
}

static void test_log_overlong_event_stays_one_json_object(void **state)
{
	struct log_event ev;
	char key[16];

	setup_capture();
	log_begin(&ev, LOG_INFO, "big");
	for (int i = 0; i < 400; i++) {
		snprintf(key, sizeof(key), "k%d", i);
		log_hex(&ev, key, 0xffffffffffffffffULL);
	}
	log_end(&ev);
	assert_non_null(strstr(captured_json, "\"truncated\":true}\n"));
	assert_ptr_equal(strchr(captured_json, '\n'), captured_json + strlen(captured_json) - 1);
	assert_ptr_equal(strchr(captured_text, '\n'), captured_text + strlen(captured_text) - 1);
}

/* A file sink that buffers: lines reach "the medium" only when flushed. */
static char pending[4096], medium[4096];

static void buf_write(void *ctx, const char *line, size_t len)
{
	strncat(pending, line, len);
}

static void buf_flush(void *ctx)
{
	strcat(medium, pending);
	pending[0] = '\0';
}

static void setup_buffered(void)
{
	struct log_sink f = { LOG_SINK_JSON, LOG_DEBUG, buf_write, buf_flush, NULL, false };

	pending[0] = medium[0] = '\0';
	log_init();
	log_add_sink(&f);
}

/* Events wait in the sink until a checkpoint: log_flush, a new phase, an error, or a second gone by. */
static void test_log_checkpoints_flush_buffered_sinks(void **state)
{
	setup_buffered();
	log_set_phase("acpi");
	assert_string_equal(medium, "");
	log_printf(LOG_INFO, "one", "a");
	log_printf(LOG_WARN, "two", "b");
	assert_string_equal(medium, "");
	assert_non_null(strstr(pending, "\"event\":\"two\""));
	log_flush();
	assert_non_null(strstr(medium, "\"event\":\"one\"") );
	assert_non_null(strstr(medium, "\"event\":\"two\""));
	assert_string_equal(pending, "");

	log_printf(LOG_INFO, "three", "c");
	log_set_phase("touch"); /* what the old phase said is out before the new one starts */
	assert_non_null(strstr(medium, "\"event\":\"three\""));
	log_set_phase("touch"); /* no change: no checkpoint */
	log_printf(LOG_INFO, "four", "d");
	assert_null(strstr(medium, "\"event\":\"four\""));
	log_printf(LOG_ERROR, "five", "e"); /* an error goes out at once, with what came before */
	assert_non_null(strstr(medium, "\"event\":\"four\""));
	assert_non_null(strstr(medium, "\"event\":\"five\""));

	fake_ns = 0;
	log_set_clock(fake_clock);
	log_flush();
	fake_ns = LOG_FLUSH_INTERVAL_NS - 1;
	log_printf(LOG_INFO, "six", "f");
	assert_null(strstr(medium, "\"event\":\"six\""));
	fake_ns = LOG_FLUSH_INTERVAL_NS;
	log_printf(LOG_INFO, "seven", "g");
	assert_non_null(strstr(medium, "\"event\":\"seven\""));
	log_set_clock(NULL);
}

struct recorded {
	struct diag last;
	int calls;
};

static void record(void *ctx, const struct diag *d)
{
	struct recorded *r = ctx;

	r->last = *d;
	r->calls++;
}

static void test_diag_counts_and_formats(void **state)
{
	struct recorded r = { 0 };
	struct diag_sink sink = { record, &r, { 0 } };

	diag_report(&sink, DIAG_ERROR, "CEDT", 3, "CFMWS", "ENIW", 0x5c, "cfmws.eniw", "value %u", 5u);
	diag_report(&sink, DIAG_WARN, "CEDT", 1, "CHBS", NULL, 0x30, "chbs.reserved", "x");
	diag_report(NULL, DIAG_FATAL, "CEDT", 0, NULL, NULL, 0, "r", "ignored");
	assert_int_equal(r.calls, 2);
	assert_int_equal(diag_errors(&sink), 1);
	assert_int_equal(sink.count[DIAG_WARN], 1);
	assert_string_equal(r.last.rule, "chbs.reserved");
	assert_string_equal(diag_severity_name(DIAG_ERROR), "error");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fmt_matches_libc),
		cmocka_unit_test(test_fmt_truncates_and_reports_length),
		cmocka_unit_test(test_log_text_and_json),
		cmocka_unit_test(test_phase_time_on_every_change),
		cmocka_unit_test(test_log_levels_filter_and_mark),
		cmocka_unit_test(test_log_overlong_event_stays_one_json_object),
		cmocka_unit_test(test_log_checkpoints_flush_buffered_sinks),
		cmocka_unit_test(test_diag_counts_and_formats),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
