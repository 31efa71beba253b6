// SPDX-License-Identifier: MIT
/*
 * The summary table printed at the end of a run, for whoever watches the
 * console or a BMC's serial-over-LAN: plain ASCII, no control sequences,
 * built from the same report data as report.json.
 */
#include <stdarg.h>
#include <string.h>

#include "core/report.h"
#include "lib/fmt.h"

#define RULE "+--------------+--------------------------------------------------------------+\n"

static void row(report_write_fn write, void *ctx, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void row(report_write_fn write, void *ctx, const char *name, const char *fmt, ...)
{
	char value[128], line[160];
	va_list ap;

	va_start(ap, fmt);
	fmt_vsnprintf(value, sizeof(value), fmt, ap);
	va_end(ap);
	fmt_snprintf(line, sizeof(line), "| %-12s | %-60.60s |\n", name, value);
	write(ctx, line, strlen(line));
}

/* How many events of a section have field key equal to value. */
static unsigned count_where(const struct report *r, const char *section, const char *key, const char *value)
{
	char v[REPORT_VALUE_MAX];
	unsigned n = 0;

	for (unsigned i = 0; report_get(r, section, i, key, v); i++)
		n += !strcmp(v, value);
	return n;
}

static void regions_row(const struct report *r, report_write_fn write, void *ctx)
{
	unsigned planned = 0, not_possible = 0;
	unsigned touched = count_where(r, "touch", "event", "touch.result"), failed = count_where(r, "touch", "level", "error");
	char v[REPORT_VALUE_MAX];

	for (unsigned i = 0; report_get(r, "regions", i, "region", v); i++) {
		planned += v[0] != '\0';
		not_possible += v[0] == '\0';
	}
	row(write, ctx, "regions", "%u planned, %u not possible; %u touched: %u PASS, %u FAIL", planned, not_possible,
	    touched, touched - failed, failed);
}

/* One row per CFMWS window from its window.verdict; without one, say so instead of guessing. */
static void window_rows(const struct report *r, report_write_fn write, void *ctx)
{
	char status[REPORT_VALUE_MAX], window[REPORT_VALUE_MAX], region[REPORT_VALUE_MAX], reason[REPORT_VALUE_MAX];
	char name[16];

	if (!report_count(r, "windows") && report_count(r, "cfmws")) {
		row(write, ctx, "per window", "no per-window verdict in this run's log");
		return;
	}
	for (unsigned i = 0; report_get(r, "windows", i, "status", status); i++) {
		report_get(r, "windows", i, "window", window);
		report_get(r, "windows", i, "region", region);
		report_get(r, "windows", i, "reason", reason);
		fmt_snprintf(name, sizeof(name), "window %s", window);
		row(write, ctx, name, "%s%s%s%s%s%s", status, region[0] ? " (" : "", region, region[0] ? ")" : "",
		    reason[0] ? ": " : "", reason);
	}
}

void report_write_summary(const struct report *r, report_write_fn write, void *ctx)
{
	char a[REPORT_VALUE_MAX], b[REPORT_VALUE_MAX], c[REPORT_VALUE_MAX];
	bool ended;

	write(ctx, RULE, strlen(RULE));
	report_get(r, "platform", 0, "sys_vendor", a);
	report_get(r, "platform", 0, "product_name", b);
	report_get(r, "platform", 0, "bios_version", c);
	row(write, ctx, "platform", "%s %s, BIOS %s", a[0] ? a : "?", b[0] ? b : "?", c[0] ? c : "?");
	row(write, ctx, "windows", "%u CFMWS, %u host bridges, %u memory devices", report_count(r, "cfmws"),
	    report_count(r, "chbs"), report_count(r, "endpoints"));
	window_rows(r, write, ctx);
	regions_row(r, write, ctx);
	row(write, ctx, "conflicts", "%u firmware ranges intersect windows or regions", report_count(r, "conflicts"));
	row(write, ctx, "findings", "%u errors, %u warnings in firmware tables and config",
	    count_where(r, "findings", "severity", "error") + count_where(r, "findings", "severity", "fatal"),
	    count_where(r, "findings", "severity", "warning"));
	ended = report_get(r, "verdict", 0, "verdict", a);
	report_get(r, "verdict", 0, "status", b);
	row(write, ctx, "verdict", "%s (exit status %s)", ended ? a : "run did not finish", ended ? b : "-");
	row(write, ctx, "results", "\\cxlval\\runs\\%s\\ report.html report.json cxl-list.json",
	    r->run_name ? r->run_name : "?");
	write(ctx, RULE, strlen(RULE));
}
