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
	log_str(&ev, "cost", "hmem defers the range");
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
	assert_non_null(strstr(t.p, "<div class=map id=addrmap>\n<svg class=maprow"));
	assert_non_null(strstr(t.p, "<rect class=\"window\""));
	assert_non_null(strstr(t.p, "<rect class=\"conflict\""));
	assert_non_null(strstr(t.p, "<rect class=\"soft\"")); /* EFI_MEMORY_SP drawn as soft reserved */
	assert_non_null(strstr(t.p, ">0x290000000</text>"));
	assert_non_null(strstr(t.p, "class=\"verdict fail\">Firmware conflict"));
	assert_non_null(strstr(t.p, "hmem defers the range")); /* the words; the id stays in the JSON */
	assert_null(strstr(t.p, "hmem_deferred"));
	free(t.p);
}

/* ---- a synthetic run as the log writes it: the default topology, region0 committed ---- */

static const char *const run_lines[] = {
	"{\"level\":\"info\",\"phase\":\"acpi\",\"event\":\"cedt.cfmws\",\"index\":1,\"resource\":\"0x290000000\","
	"\"size\":\"0x100000000\",\"interleave_ways\":1,\"interleave_granularity\":256,\"arithmetic\":\"modulo\","
	"\"restrictions\":\"0xe\",\"qtg_id\":0,\"targets\":\"12\",\"valid\":true}",
	"{\"level\":\"info\",\"phase\":\"acpi\",\"event\":\"cedt.cfmws\",\"index\":2,\"resource\":\"0x390000000\","
	"\"size\":\"0x10000000\",\"interleave_ways\":1,\"interleave_granularity\":256,\"arithmetic\":\"modulo\","
	"\"restrictions\":\"0xe\",\"qtg_id\":0,\"targets\":\"12\",\"valid\":true}",
	"{\"level\":\"info\",\"phase\":\"topology\",\"event\":\"topology.port\",\"port\":\"port1\",\"type\":\"host_bridge\","
	"\"uid\":12,\"component_registers\":\"0x280000000\",\"nr_decoders\":4,\"nr_targets\":8}",
	"{\"level\":\"info\",\"phase\":\"topology\",\"event\":\"topology.dport\",\"msg\":\"0000:0c:00.0\",\"port\":\"port1\","
	"\"port_number\":0}",
	"{\"level\":\"info\",\"phase\":\"topology\",\"event\":\"topology.dport\",\"msg\":\"0000:0c:01.0\",\"port\":\"port1\","
	"\"port_number\":1}",
	"{\"level\":\"info\",\"phase\":\"topology\",\"event\":\"topology.endpoint\",\"msg\":\"0000:0d:00.0\","
	"\"endpoint\":\"endpoint2\",\"memdev\":\"mem0\",\"ram_size\":0,\"pmem_size\":268435456}",
	"{\"level\":\"info\",\"phase\":\"topology\",\"event\":\"topology.endpoint\",\"msg\":\"0000:0e:00.0\","
	"\"endpoint\":\"endpoint3\",\"memdev\":\"mem1\",\"ram_size\":0,\"pmem_size\":268435456}",
	"{\"level\":\"info\",\"phase\":\"topology\",\"event\":\"topology.decoder\",\"decoder\":\"decoder1.0\","
	"\"resource\":\"0x0\",\"size\":\"0x0\",\"control\":\"0x0\",\"committed\":false,\"locked\":false}",
	"{\"level\":\"info\",\"phase\":\"topology\",\"event\":\"topology.decoder\",\"decoder\":\"decoder1.1\","
	"\"resource\":\"0x390000000\",\"size\":\"0x10000000\",\"control\":\"0x612\",\"committed\":true,\"locked\":false}",
	"{\"level\":\"info\",\"phase\":\"topology\",\"event\":\"topology.decoder\",\"decoder\":\"decoder2.0\","
	"\"resource\":\"0x0\",\"size\":\"0x0\",\"control\":\"0x0\",\"committed\":false,\"locked\":false}",
	"{\"level\":\"info\",\"phase\":\"topology\",\"event\":\"topology.decoder\",\"decoder\":\"decoder3.0\","
	"\"resource\":\"0x0\",\"size\":\"0x0\",\"control\":\"0x0\",\"committed\":false,\"locked\":false}",
	"{\"level\":\"info\",\"phase\":\"plan\",\"event\":\"region.plan\",\"msg\":\"region0\",\"window\":0,"
	"\"region\":\"region0\",\"resource\":\"0x290000000\",\"size\":\"0x20000000\",\"interleave_ways\":2,"
	"\"interleave_granularity\":256,\"mode\":\"pmem\"}",
	"{\"level\":\"warn\",\"phase\":\"plan\",\"event\":\"region.plan\",\"msg\":\"window 1 cannot be used: no decoder "
	"is free at port1\",\"window\":1,\"reason\":\"no_free_decoder\"}",
	"{\"level\":\"info\",\"phase\":\"plan\",\"event\":\"region.decoder\",\"region\":\"region0\",\"decoder\":\"decoder2.0\","
	"\"resource\":\"0x290000000\",\"size\":\"0x20000000\",\"interleave_ways\":2,\"interleave_granularity\":256,"
	"\"position\":0,\"dpa_resource\":\"0x0\",\"dpa_size\":\"0x10000000\",\"dpa_skip\":\"0x0\"}",
	"{\"level\":\"info\",\"phase\":\"plan\",\"event\":\"region.decoder\",\"region\":\"region0\",\"decoder\":\"decoder3.0\","
	"\"resource\":\"0x290000000\",\"size\":\"0x20000000\",\"interleave_ways\":2,\"interleave_granularity\":256,"
	"\"position\":1,\"dpa_resource\":\"0x0\",\"dpa_size\":\"0x10000000\",\"dpa_skip\":\"0x0\"}",
	"{\"level\":\"info\",\"phase\":\"plan\",\"event\":\"region.decoder\",\"region\":\"region0\",\"decoder\":\"decoder1.0\","
	"\"resource\":\"0x290000000\",\"size\":\"0x20000000\",\"interleave_ways\":2,\"interleave_granularity\":256,"
	"\"targets\":\"0,1\"}",
	"{\"level\":\"info\",\"phase\":\"program\",\"event\":\"region.committed\",\"msg\":\"region0: 3 decoders committed\"}",
	"{\"level\":\"info\",\"phase\":\"paging\",\"event\":\"paging.firmware\",\"levels\":4,\"page_sizes\":\"4K,2M\"}",
	"{\"level\":\"info\",\"phase\":\"paging\",\"event\":\"paging.window\",\"window\":0,\"tables\":\"firmware\","
	"\"mapped\":true,\"unmapped_bytes\":\"0x0\",\"memtype\":\"wb\"}",
	"{\"level\":\"info\",\"phase\":\"touch\",\"event\":\"touch.method\",\"store\":\"movnti+sfence\",\"cpus_used\":2}",
	"{\"level\":\"info\",\"phase\":\"touch\",\"event\":\"touch.cpu\",\"cpu\":1,\"slice_start\":\"0x290200000\","
	"\"slice_end\":\"0x2903fffff\",\"bytes\":2097152,\"mib_per_s\":2}",
	"{\"level\":\"info\",\"phase\":\"touch\",\"event\":\"touch.probes\",\"msg\":\"region0: 87 probe lines\",\"touches\":87}",
	"{\"level\":\"info\",\"phase\":\"touch\",\"event\":\"touch.result\",\"msg\":\"region0 PASS\",\"region\":\"region0\","
	"\"touched\":65623,\"pass\":65623,\"unrouted\":0,\"aliased\":0,\"corrupted\":0,\"restored\":true}",
	"{\"level\":\"warn\",\"phase\":\"touch\",\"event\":\"crosscheck.result\",\"msg\":\"region0: skipped\","
	"\"region\":\"region0\",\"status\":\"skipped_no_uncommit\",\"checked\":0,\"mismatched\":0}",
	"{\"level\":\"warn\",\"phase\":\"restore\",\"event\":\"restore.done\",\"msg\":\"2 decoder changes undone; 1 decoders "
	"stayed committed (hardware refused), 0 registers differ from firmware's values\"}",
	"{\"level\":\"warn\",\"phase\":\"restore\",\"event\":\"finding\",\"msg\":\"HDM HDM decoder field Control: decoder1.0 "
	"stays committed after clearing Commit (control 0x400): left as is\",\"severity\":\"warning\","
	"\"rule\":\"hdm.uncommit_refused\",\"table\":\"HDM\",\"structure\":\"HDM decoder\",\"field\":\"Control\"}",
	"{\"level\":\"error\",\"phase\":\"acpi\",\"event\":\"finding\",\"msg\":\"CEDT[3] CFMWS field ENIW at offset 0x5c: "
	"value 5 is not a valid encoding\",\"severity\":\"error\",\"rule\":\"cfmws.eniw\",\"table\":\"CEDT\",\"index\":3,"
	"\"structure\":\"CFMWS\",\"field\":\"ENIW\",\"offset\":\"0x5c\"}",
};

/* The issue 14 contract (BRIEF.md): one window.verdict per CFMWS window at the end of the CXL phases. */
static const char *const verdict_lines[] = {
	"{\"level\":\"info\",\"phase\":\"restore\",\"event\":\"window.verdict\",\"msg\":\"every probe and swept line "
	"reached the device the interleave math predicts\",\"window\":0,\"resource\":\"0x290000000\",\"size\":\"0x100000000\","
	"\"status\":\"verified_programmed\",\"reason\":\"\",\"owner\":\"cxlval\",\"region\":\"region0\"}",
	"{\"level\":\"warn\",\"phase\":\"restore\",\"event\":\"window.verdict\",\"msg\":\"no decoder was free at the host "
	"bridge\",\"window\":1,\"resource\":\"0x390000000\",\"size\":\"0x10000000\",\"status\":\"not_verified\","
	"\"reason\":\"no_free_decoder\",\"owner\":\"none\"}",
};

static void load(const char *const *lines, size_t n, bool verdicts)
{
	log_init();
	report_init(&rep, events, sizeof(events));
	rep.run_name = "0003";
	for (size_t i = 0; i < n; i++)
		report_collect(&rep, lines[i], strlen(lines[i]));
	for (size_t i = 0; verdicts && i < sizeof(verdict_lines) / sizeof(verdict_lines[0]); i++)
		report_collect(&rep, verdict_lines[i], strlen(verdict_lines[i]));
}

#define LOAD_RUN(verdicts) load(run_lines, sizeof(run_lines) / sizeof(run_lines[0]), verdicts)

static char *write_with(void (*writer)(const struct report *, report_write_fn, void *))
{
	struct text t = { 0 };

	writer(&rep, to_text, &t);
	return t.p;
}

/* The text between <li class="window and </li>, one per call, or NULL. */
static const char *next_window_line(const char *p, char *out, size_t cap)
{
	const char *s = strstr(p, "<li class=\"window "), *e = s ? strstr(s, "</li>") : NULL;

	if (!e)
		return NULL;
	snprintf(out, cap, "%.*s", (int)(e - s), s);
	return e;
}

static void test_window_verdicts_in_json_and_html(void **state)
{
	char line[1024];
	char *json, *html;
	const char *p;

	LOAD_RUN(true);
	json = write_with(report_write_json);
	assert_non_null(strstr(json, "\n\"windows\": [\n  {"));
	assert_non_null(strstr(json, "\"status\":\"verified_programmed\""));
	assert_non_null(strstr(json, "\"status\":\"not_verified\",\"reason\":\"no_free_decoder\""));
	html = write_with(report_write_html);
	/* The verdict comes before anything else the page says about windows. */
	assert_true(strstr(html, "<ul id=windows>") < strstr(html, "What to fix"));
	p = next_window_line(html, line, sizeof(line));
	assert_non_null(p);
	assert_non_null(strstr(line, "data-status=\"verified_programmed\""));
	assert_non_null(strstr(line, "<b>Window 0</b> at 0x290000000, 4 GiB"));
	assert_non_null(strstr(line, "verified by cxlval's programming</b> (region0): every touched line reached the "
				     "device and device address its decoders say."));
	p = next_window_line(p, line, sizeof(line));
	assert_non_null(p);
	assert_non_null(strstr(line, "class=\"window warn\""));
	assert_non_null(strstr(line, "<b>Window 1</b> at 0x390000000, 256 MiB: <b>not verified</b>: no free decoder."));
	assert_null(next_window_line(p, line, sizeof(line))); /* one line per window */
	free(json);
	free(html);
}

static void test_without_window_verdicts_nothing_is_invented(void **state)
{
	char line[1024];
	char *html, *json;
	const char *p;

	LOAD_RUN(false);
	json = write_with(report_write_json);
	assert_non_null(strstr(json, "\n\"windows\": []"));
	html = write_with(report_write_html);
	assert_non_null(strstr(html, "class=\"verdict fail\">The run did not finish</span>")); /* no cxlval.end */
	p = html;
	for (int w = 0; w < 2; w++) {
		p = next_window_line(p, line, sizeof(line));
		assert_non_null(p);
		assert_non_null(strstr(line, "no per-window verdict"));
		assert_null(strstr(line, "verified"));
	}
	assert_null(next_window_line(p, line, sizeof(line)));
	free(json);
	free(html);
}

/* True when some <td> or <th> of html holds word.word (an event name or rule id, docs/log.md). */
static bool cell_has_dotted_name(const char *html, char *found, size_t cap)
{
	for (const char *c = html; (c = strstr(c, "<t")); c++) {
		const char *end;

		if ((c[2] != 'd' && c[2] != 'h') || (c[3] != '>' && c[3] != ' '))
			continue; /* <title>, <table>, <tr> */
		if (!(c = strchr(c, '>')) || !(end = strstr(c, "</t")))
			return false;
		for (const char *p = c; p < end; p++) {
			const char *q = p;

			if (p > c && ((p[-1] >= 'a' && p[-1] <= 'z') || p[-1] == '_'))
				continue;
			while (q < end && *q >= 'a' && *q <= 'z')
				q++;
			if (q == p || q + 1 >= end || *q != '.' || !(q[1] >= 'a' && q[1] <= 'z'))
				continue;
			snprintf(found, cap, "%.*s", (int)(end - c), c);
			return true;
		}
	}
	return false;
}

static void test_html_cells_are_words_not_event_names(void **state)
{
	char found[512] = "";
	char *html;

	LOAD_RUN(true);
	html = write_with(report_write_html);
	assert_false(cell_has_dotted_name(html, found, sizeof(found)));
	assert_non_null(strstr(html, "<td>Firmware page tables</td>"));
	assert_non_null(strstr(html, "<td>Window 0 in firmware&#39;s tables</td>"));
	assert_non_null(strstr(html, "<td>Store method</td>"));
	assert_non_null(strstr(html, "<td>CPU 1 slice</td>"));
	assert_non_null(strstr(html, "<td>Probe lines</td><td>region0: 87 probe lines</td>"));
	/* Sentences without repeated words: the structure already says HDM. */
	assert_null(strstr(html, "HDM HDM"));
	assert_non_null(strstr(html, "HDM decoder, field Control"));
	assert_non_null(strstr(html, "CEDT structure 3 (CFMWS), field ENIW at offset 0x5c"));
	/* The regions table says region0 once per row, and why window 1 has none. */
	assert_non_null(strstr(html, "<tr class=\"ok\"><td>0</td><td>region0</td><td>0x290000000</td><td>512 MiB</td>"));
	assert_non_null(strstr(html, "<td>no decoder is free at port1</td>"));
	assert_null(strstr(html, "<td>region0</td><td>region0</td>"));
	free(html);
	/* The check itself finds an event name in a cell. */
	assert_true(cell_has_dotted_name("<table><tr><td>touch.cpu</td></tr>", found, sizeof(found)));
	assert_false(cell_has_dotted_name("<table><tr><td>decoder1.0 at 0x5c</td></tr>", found, sizeof(found)));
}

static void test_what_to_fix_by_severity_and_notes_apart(void **state)
{
	char *html, *fixes, *notes;

	LOAD_RUN(true);
	html = write_with(report_write_html);
	fixes = strstr(html, "<table id=fixes>");
	notes = strstr(html, "<ul id=notes>");
	assert_non_null(fixes);
	assert_non_null(notes);
	/* The CEDT error is a thing to fix, with what Linux does and the fix; the decoder that stayed committed is a note. */
	assert_non_null(strstr(fixes, "<td>Error</td><td>CEDT structure 3 (CFMWS), field ENIW at offset 0x5c</td>"
				      "<td>value 5 is not a valid encoding</td><td>Linux checks every window"));
	assert_true(strstr(fixes, "stays committed") > notes);
	assert_non_null(strstr(notes, "<li class=note><b>Note</b> (HDM decoder, field Control): decoder1.0 stays committed"));
	assert_non_null(strstr(html, "<tr class=\"note\"><td>warning</td>"));
	assert_non_null(strstr(html, "<tr class=\"note\"><td>region0</td><td>skipped: a decoder could not be uncommitted</td>"));
	assert_non_null(strstr(html, "<tr class=\"note\"><td>2 decoder changes undone; 1 decoders stayed committed"));
	free(html);
}

/* Logged in the order a run logs them; the page lists them worst first. */
static const char *const trouble_lines[] = {
	"{\"level\":\"warn\",\"phase\":\"paging\",\"event\":\"finding\",\"msg\":\"MTRR[0] window: window 0 [0x290000000-"
	"0x38fffffff] has memory types uc by the MTRRs\",\"severity\":\"warning\",\"rule\":\"memtype.window_uc\","
	"\"table\":\"MTRR\",\"index\":0,\"structure\":\"window\"}",
	"{\"level\":\"error\",\"phase\":\"boot\",\"event\":\"finding\",\"msg\":\"command line[2]: unknown key 'mdoe'\","
	"\"severity\":\"error\",\"rule\":\"config.unknown_key\",\"table\":\"command line\",\"index\":2}",
	"{\"level\":\"error\",\"phase\":\"touch\",\"event\":\"touch.cpu_late\",\"cpu\":1,\"slice_start\":\"0x290200000\","
	"\"slice_end\":\"0x2903fffff\"}",
	"{\"level\":\"error\",\"phase\":\"touch\",\"event\":\"touch.result\",\"msg\":\"region0 FAIL\",\"region\":\"region0\","
	"\"touched\":87,\"pass\":80,\"unrouted\":7,\"aliased\":0,\"corrupted\":0}",
	"{\"level\":\"warn\",\"phase\":\"conflicts\",\"event\":\"conflict\",\"id\":0,\"target\":\"window\",\"target_index\":0,"
	"\"memmap_index\":130,\"fw_type\":\"Reserved\",\"fw_start\":\"0x290000000\",\"fw_end\":\"0x297ffffff\","
	"\"bytes\":134217728,\"shape\":\"partial_head\",\"cost\":\"Linux cannot\",\"fix\":\"Do not\"}",
	"{\"level\":\"warn\",\"phase\":\"conflicts\",\"event\":\"conflict\",\"id\":1,\"target\":\"region\",\"target_index\":0,"
	"\"memmap_index\":130,\"fw_type\":\"Reserved\",\"fw_start\":\"0x290000000\",\"fw_end\":\"0x297ffffff\","
	"\"bytes\":134217728,\"shape\":\"partial_head\",\"cost\":\"Linux cannot\",\"fix\":\"Do not\"}",
};

static void test_what_to_fix_worst_first(void **state)
{
	static const char *const order[] = {
		"<td>Routing failure</td><td>HDM decoders of region0 (Decoders programmed, below)</td><td>of 87 lines touched, "
		"7 unrouted, 0 aliased, 0 corrupted</td>",
		"<td>Firmware conflict</td><td>UEFI memory map entry 130: Reserved 0x290000000-0x297ffffff</td><td>128 MiB in "
		"window 0 (the firmware range lies over the start of the window); also in region0</td><td>Linux cannot</td>",
		"<td>Error</td><td>command line, line 2</td><td>unknown key &#39;mdoe&#39;</td><td>Not a platform problem",
		"<td>Tool error</td><td>CPU 1</td>",
		"<td>Warning</td><td>MTRR, window 0</td><td>window 0 [0x290000000-0x38fffffff] has memory types uc by the "
		"MTRRs</td><td>Linux maps",
	};
	const char *at;
	char *html;

	load(trouble_lines, sizeof(trouble_lines) / sizeof(trouble_lines[0]), false);
	html = write_with(report_write_html);
	at = strstr(html, "<table id=fixes>");
	for (unsigned i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		const char *next = strstr(html, order[i]);

		assert_non_null(next);
		assert_true(next > at);
		at = next;
	}
	assert_null(strstr(at + 1, "Firmware conflict</td>")); /* one row per firmware range */
	{
		char found[512];

		assert_false(cell_has_dotted_name(html, found, sizeof(found)));
	}
	free(html);
}

static void test_cxl_list_twin(void **state)
{
	char *j;

	LOAD_RUN(true);
	j = write_with(report_write_cxl_list);
	/* cxl list -RDET: kinds in containers, regions under their root decoder, integers for numbers. */
	assert_non_null(strstr(j, "[\n  {\n    \"endpoints\":[\n      {\n        \"endpoint\":\"endpoint2\",\n"
				  "        \"host\":\"mem0\",\n        \"decoders_committed\":1,\n"
				  "        \"decoders:endpoint2\":[\n          {\n            \"decoder\":\"decoder2.0\",\n"
				  "            \"resource\":11005853696,\n            \"size\":536870912,\n"
				  "            \"interleave_ways\":2,\n            \"interleave_granularity\":256,\n"
				  "            \"region\":\"region0\",\n            \"dpa_resource\":0,\n"
				  "            \"dpa_size\":268435456,\n            \"mode\":\"pmem\"\n          }\n        ]"));
	assert_non_null(strstr(j, "\"root decoders\":[\n      {\n        \"decoder\":\"decoder0.0\",\n"
				  "        \"resource\":11005853696,\n        \"size\":4294967296,\n"
				  "        \"interleave_ways\":1,\n        \"max_available_extent\":3758096384,\n"
				  "        \"pmem_capable\":true,\n        \"volatile_capable\":true,\n"));
	assert_non_null(strstr(j, "\"regions:decoder0.0\":[\n          {\n            \"region\":\"region0\",\n"
				  "            \"resource\":11005853696,\n            \"size\":536870912,\n"
				  "            \"type\":\"pmem\",\n            \"interleave_ways\":2,\n"
				  "            \"interleave_granularity\":256,\n            \"decode_state\":\"commit\",\n"
				  "            \"mappings\":[\n              {\n                \"position\":0,\n"
				  "                \"memdev\":\"mem0\",\n                \"decoder\":\"decoder2.0\"\n"));
	assert_non_null(strstr(j, "\"decoder\":\"decoder1.0\",\n        \"resource\":11005853696,\n"
				  "        \"size\":536870912,\n        \"interleave_ways\":2,\n"
				  "        \"interleave_granularity\":256,\n        \"region\":\"region0\",\n"
				  "        \"nr_targets\":2,\n        \"targets\":[\n          {\n"
				  "            \"target\":\"0000:0c:00.0\",\n            \"position\":0,\n"
				  "            \"id\":0\n          },"));
	/* A decoder firmware left committed (and cxlval did not reprogram) is listed as firmware left it: 2-way, 4 KiB. */
	assert_non_null(strstr(j, "\"decoder\":\"decoder1.1\",\n        \"resource\":15300820992,\n"
				  "        \"size\":268435456,\n        \"interleave_ways\":2,\n"
				  "        \"interleave_granularity\":1024\n"));
	/* Window 1 has no region: the root decoder has no regions array, and its whole size is free. */
	assert_non_null(strstr(j, "\"decoder\":\"decoder0.1\",\n        \"resource\":15300820992,\n"
				  "        \"size\":268435456,\n        \"interleave_ways\":1,\n"
				  "        \"max_available_extent\":268435456,"));
	assert_null(strstr(j, "regions:decoder0.1"));
	free(j);
}

static void test_cxl_list_uncommitted_region_is_reset(void **state)
{
	char *j;

	/* The same run without the region.committed line: Linux would see the decoders reset. */
	load(run_lines, 16, false);
	j = write_with(report_write_cxl_list);
	assert_non_null(strstr(j, "\"decode_state\":\"reset\""));
	/* Only committed decoders are listed at the endpoints. */
	assert_non_null(strstr(j, "\"host\":\"mem0\",\n        \"decoders_committed\":0\n      }"));
	free(j);
	/* Nothing at all: an empty list, as cxl list prints on a machine without CXL. */
	load(run_lines, 0, false);
	j = write_with(report_write_cxl_list);
	assert_string_equal(j, "[]\n");
	free(j);
}

static void test_summary_has_a_row_per_window(void **state)
{
	char *t;

	LOAD_RUN(true);
	t = write_with(report_write_summary);
	assert_non_null(strstr(t, "| window 0     | verified_programmed (region0)"));
	assert_non_null(strstr(t, "| window 1     | not_verified: no_free_decoder "));
	assert_non_null(strstr(t, "| regions      | 1 planned, 1 not possible; 1 touched: 1 PASS, 0 FAIL"));
	free(t);
	LOAD_RUN(false);
	t = write_with(report_write_summary);
	assert_non_null(strstr(t, "| per window   | no per-window verdict in this run's log"));
	assert_null(strstr(t, "verified"));
	free(t);
}

/* Many firmware ranges: the map wraps into rows, none wider than a row, every range still has its title. */
static void test_map_wraps_into_rows(void **state)
{
	char line[256], *html;
	const char *p;
	unsigned rows = 0, titles = 0;

	log_init();
	report_init(&rep, events, sizeof(events));
	for (unsigned i = 0; i < 60; i++) {
		snprintf(line, sizeof(line), "{\"level\":\"info\",\"event\":\"memmap.entry\",\"start\":\"0x%x\","
			 "\"end\":\"0x%x\",\"type_id\":%u,\"attr\":\"0xf\"}", i << 24, (i << 24) + (1 << 20) - 1, 7 + i % 2 * 4);
		report_collect(&rep, line, strlen(line));
	}
	html = write_with(report_write_html);
	for (p = html; (p = strstr(p, "<svg class=maprow")); p++) {
		unsigned w, h;

		assert_int_equal(sscanf(strstr(p, "viewBox=\"0 0 "), "viewBox=\"0 0 %u %u", &w, &h), 2);
		assert_true(w <= 110 + 1000 + 30 + 250);
		rows++;
	}
	assert_true(rows >= 3);
	for (p = html; (p = strstr(p, "<title>")); p++)
		titles++;
	assert_true(titles >= 60); /* neighbours of one kind merge; the other kind alternates: every range is a block */
	free(html);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fields_read_back),
		cmocka_unit_test(test_keeps_report_events_by_section),
		cmocka_unit_test(test_full_buffer_is_counted_not_overrun),
		cmocka_unit_test(test_html_escapes_and_draws_the_map),
		cmocka_unit_test(test_window_verdicts_in_json_and_html),
		cmocka_unit_test(test_without_window_verdicts_nothing_is_invented),
		cmocka_unit_test(test_html_cells_are_words_not_event_names),
		cmocka_unit_test(test_what_to_fix_by_severity_and_notes_apart),
		cmocka_unit_test(test_what_to_fix_worst_first),
		cmocka_unit_test(test_cxl_list_twin),
		cmocka_unit_test(test_cxl_list_uncommitted_region_is_reset),
		cmocka_unit_test(test_map_wraps_into_rows),
		cmocka_unit_test(test_summary_has_a_row_per_window),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
