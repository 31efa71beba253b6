// SPDX-License-Identifier: MIT
/* The report: fields read back from log lines, which events it keeps, JSON sections, HTML escaping and the map. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/log.h"
#include "core/report.h"

static char events[1 << 16];
static struct report rep;

struct text {
	char *p;
	size_t len;
};

static void to_text(void *ctx, const char *s, size_t len)
{
	struct text *t = ctx;

	t->p = realloc(t->p, t->len + len + 1);
	memcpy(t->p + t->len, s, len);
	t->len += len;
	t->p[t->len] = '\0';
}

static void test_fields_read_back(void **state)
{
	const char *line = "{\"t_ms\":3,\"level\":\"info\",\"event\":\"x\",\"msg\":\"say \\\"event\\\": \\u003c\","
			   "\"size\":4096,\"ok\":true,\"name\":\"event\"}";
	char v[64];

	assert_true(report_field(line, strlen(line), "event", v, sizeof(v)));
	assert_string_equal(v, "x");
	assert_true(report_field(line, strlen(line), "msg", v, sizeof(v)));
	assert_string_equal(v, "say \"event\": <");
	assert_true(report_field(line, strlen(line), "size", v, sizeof(v)));
	assert_string_equal(v, "4096");
	assert_true(report_field(line, strlen(line), "ok", v, sizeof(v)));
	assert_string_equal(v, "true");
	assert_true(report_field(line, strlen(line), "name", v, sizeof(v)));
	assert_string_equal(v, "event"); /* a value equal to a key name is not a key */
	assert_false(report_field(line, strlen(line), "absent", v, sizeof(v)));
	assert_false(report_field("{\"a\":\"unterminated", 17, "a", v, sizeof(v)));
	assert_true(report_field(line, strlen(line), "msg", v, 5)); /* cut, still terminated */
	assert_string_equal(v, "say ");
}

static void log_window(uint64_t base, uint64_t size)
{
	struct log_event ev;

	log_begin(&ev, LOG_INFO, "cedt.cfmws");
	log_u64(&ev, "index", 0);
	log_hex(&ev, "resource", base);
	log_hex(&ev, "size", size);
	log_end(&ev);
}

static void setup_run(size_t cap)
{
	struct log_event ev;

	log_init();
	report_init(&rep, events, cap);
	rep.run_name = "0007";
	assert_int_equal(report_attach_log(&rep), 0);
	log_begin(&ev, LOG_INFO, "platform.identity");
	log_str(&ev, "sys_vendor", "<script>alert(1)</script>");
	log_end(&ev);
	log_begin(&ev, LOG_INFO, "memmap.entry");
	log_hex(&ev, "start", 0x0);
	log_hex(&ev, "end", 0x9ffff);
	log_u64(&ev, "type_id", 7);
	log_hex(&ev, "attr", 0xf);
	log_end(&ev);
	log_begin(&ev, LOG_INFO, "memmap.entry");
	log_hex(&ev, "start", 0x290000000);
	log_hex(&ev, "end", 0x297ffffff);
	log_u64(&ev, "type_id", 7);
	log_hex(&ev, "attr", 0x4000f);
	log_end(&ev);
	log_printf(LOG_INFO, "map.built", "not in the report");
	log_window(0x290000000, 0x100000000);
	log_begin(&ev, LOG_WARN, "conflict");
	log_u64(&ev, "id", 0);
	log_hex(&ev, "overlap_start", 0x290000000);
	log_hex(&ev, "overlap_end", 0x297ffffff);
	log_str(&ev, "linux", "hmem_deferred");
	log_end(&ev);
	log_begin(&ev, LOG_ERROR, "cxlval.end");
	log_str(&ev, "verdict", "firmware_conflict");
	log_u64(&ev, "status", 2);
	log_end(&ev);
}

static void test_keeps_report_events_by_section(void **state)
{
	struct text t = { 0 };
	size_t len;
	unsigned s;

	setup_run(sizeof(events));
	assert_int_equal(rep.count, 6); /* map.built is not a report event */
	for (s = 0; strcmp(report_section_name(s), "memmap"); s++)
		;
	assert_non_null(report_section_event(&rep, s, 1, &len));
	assert_null(report_section_event(&rep, s, 2, &len));
	report_write_json(&rep, to_text, &t);
	assert_non_null(strstr(t.p, "{\"schema\": \"cxlval-report\", \"schema_version\": 1, \"run\": \"0007\""));
	assert_non_null(strstr(t.p, "\n\"verdict\": {"));
	assert_non_null(strstr(t.p, "\n\"touch\": []"));
	assert_non_null(strstr(t.p, "\n\"crosscheck\": []"));
	for (s = 0; s < report_section_count(); s++) {
		char key[48];

		snprintf(key, sizeof(key), "\n\"%s\": ", report_section_name(s));
		assert_non_null(strstr(t.p, key));
	}
	free(t.p);
}

static void test_full_buffer_is_counted_not_overrun(void **state)
{
	struct text t = { 0 };
	uint32_t len[8];
	unsigned n, kept = 0, dropped = 0, used = 0;

	/* The six events' sizes, from a run with room for all; then, in order, what fits in 300 bytes is kept. */
	setup_run(sizeof(events));
	n = rep.count;
	assert_int_equal(n, 6);
	for (unsigned i = 0; i < n; i++)
		len[i] = rep.ev[i].len;
	for (unsigned i = 0; i < n; i++) {
		if (used + len[i] > 300) {
			dropped++;
			continue;
		}
		used += len[i];
		kept++;
	}
	assert_true(dropped > 0 && kept > 0); /* the case is worth testing: some fit, some do not */
	setup_run(300);
	assert_int_equal(rep.dropped, dropped);
	assert_int_equal(rep.count, kept);
	assert_int_equal(rep.used, used);
	report_write_json(&rep, to_text, &t);
	assert_non_null(strstr(t.p, "\"events_dropped\": "));
	free(t.p);
}

static void test_html_escapes_and_draws_the_map(void **state)
{
	struct text t = { 0 };

	setup_run(sizeof(events));
	report_write_html(&rep, to_text, &t);
	assert_null(strstr(t.p, "<script>"));
	assert_non_null(strstr(t.p, "&lt;script&gt;alert(1)&lt;/script&gt;"));
	assert_non_null(strstr(t.p, "<svg id=addrmap"));
	assert_non_null(strstr(t.p, "<rect class=\"window\""));
	assert_non_null(strstr(t.p, "<rect class=\"conflict\""));
	assert_non_null(strstr(t.p, "<rect class=\"soft\"")); /* EFI_MEMORY_SP drawn as soft reserved */
	assert_non_null(strstr(t.p, ">0x290000000</text>"));
	assert_non_null(strstr(t.p, "class=\"verdict fail\">firmware_conflict"));
	assert_non_null(strstr(t.p, "hmem_deferred"));
	free(t.p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fields_read_back),
		cmocka_unit_test(test_keeps_report_events_by_section),
		cmocka_unit_test(test_full_buffer_is_counted_not_overrun),
		cmocka_unit_test(test_html_escapes_and_draws_the_map),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
