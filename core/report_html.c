// SPDX-License-Identifier: MIT
/*
 * report.html: one self-contained page (no scripts, no external assets) for
 * a vendor's bug report: verdict, platform, the physical address map as an
 * inline SVG, topology, regions, conflicts and findings. Tables are data:
 * each is a section of the report and a list of (field, heading) columns.
 */
#include <stdarg.h>
#include <string.h>

#include "core/report.h"
#include "lib/firmware.h"
#include "lib/fmt.h"

struct out {
	report_write_fn write;
	void *ctx;
};

static void put(const struct out *o, const char *s)
{
	o->write(o->ctx, s, strlen(s));
}

static void putf(const struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void putf(const struct out *o, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = fmt_vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n > 0)
		o->write(o->ctx, buf, strlen(buf));
}

/* Text from firmware and devices goes through here: nothing it holds can become markup. */
static void put_text(const struct out *o, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '<': put(o, "&lt;"); break;
		case '>': put(o, "&gt;"); break;
		case '&': put(o, "&amp;"); break;
		case '"': put(o, "&quot;"); break;
		case '\'': put(o, "&#39;"); break;
		default: o->write(o->ctx, s, 1);
		}
	}
}

/* ---- tables ---------------------------------------------------------------- */

struct column {
	const char *key, *heading;
};

#define END_COLUMNS { NULL, NULL }

static void table(const struct out *o, const struct report *r, const char *section, const struct column *cols)
{
	char v[REPORT_VALUE_MAX];
	unsigned rows = report_count(r, section);

	if (!rows) {
		put(o, "<p class=none>none</p>\n");
		return;
	}
	put(o, "<table><tr>");
	for (const struct column *c = cols; c->key; c++)
		putf(o, "<th>%s</th>", c->heading);
	put(o, "</tr>\n");
	for (unsigned i = 0; i < rows; i++) {
		char level[16];

		report_get(r, section, i, "level", level);
		putf(o, "<tr class=\"%s\">", !strcmp(level, "error") ? "bad" : !strcmp(level, "warn") ? "warn" : "ok");
		for (const struct column *c = cols; c->key; c++) {
			report_get(r, section, i, c->key, v);
			put(o, "<td>");
			put_text(o, v);
			put(o, "</td>");
		}
		put(o, "</tr>\n");
	}
	put(o, "</table>\n");
}

static const struct column platform_cols[] = {
	{ "sys_vendor", "system vendor" }, { "product_name", "product" }, { "product_version", "version" },
	{ "board_vendor", "board vendor" }, { "board_name", "board" }, { "bios_vendor", "BIOS vendor" },
	{ "bios_version", "BIOS version" }, { "bios_date", "BIOS date" }, { "smbios_version", "SMBIOS" }, END_COLUMNS
};
static const struct column phase_cols[] = { { "phase", "phase" }, { "ms", "ms" }, END_COLUMNS };
static const struct column chbs_cols[] = { { "index", "#" }, { "uid", "UID" }, { "cxl_version", "CXL" },
					   { "base", "base" }, { "length", "length" }, { "valid", "valid" },
					   END_COLUMNS };
static const struct column cfmws_cols[] = {
	{ "index", "#" }, { "resource", "resource" }, { "size", "size" }, { "interleave_ways", "ways" },
	{ "interleave_granularity", "granularity" }, { "arithmetic", "arithmetic" }, { "restrictions", "restrictions" },
	{ "targets", "targets" }, { "valid", "valid" }, END_COLUMNS
};
static const struct column port_cols[] = { { "port", "port" }, { "type", "type" }, { "uid", "UID" },
					   { "component_registers", "component registers" },
					   { "nr_decoders", "decoders" }, { "nr_targets", "targets" }, END_COLUMNS };
static const struct column endpoint_cols[] = { { "endpoint", "endpoint" }, { "memdev", "memdev" },
					       { "ram_size", "ram_size" }, { "pmem_size", "pmem_size" },
					       { "component_registers", "component registers" }, END_COLUMNS };
static const struct column fw_decoder_cols[] = { { "decoder", "decoder" }, { "resource", "resource" },
						 { "size", "size" }, { "committed", "committed" },
						 { "locked", "locked" }, { "control", "control" }, END_COLUMNS };
static const struct column memtype_cols[] = { { "window", "window" }, { "region", "region" },
					      { "resource", "resource" }, { "size", "size" }, { "memtype", "memory type" },
					      { "sources", "pieces (cause)" }, END_COLUMNS };
static const struct column paging_cols[] = { { "event", "tables" }, { "window", "window" }, { "tables", "whose" },
					     { "mapped", "mapped" }, { "unmapped_bytes", "unmapped bytes" },
					     { "page_sizes", "page sizes" }, { "memtype", "memory type" },
					     { "levels", "levels" }, END_COLUMNS };
static const struct column region_cols[] = { { "window", "window" }, { "region", "region" },
					     { "resource", "resource" }, { "size", "size" },
					     { "interleave_ways", "ways" }, { "interleave_granularity", "granularity" },
					     { "reason", "not possible because" }, { "msg", "detail" }, END_COLUMNS };
static const struct column region_decoder_cols[] = {
	{ "region", "region" }, { "decoder", "decoder" }, { "resource", "resource" }, { "size", "size" },
	{ "interleave_ways", "ways" }, { "interleave_granularity", "granularity" }, { "targets", "targets" },
	{ "position", "position" }, { "dpa_resource", "DPA" }, { "dpa_size", "DPA size" }, END_COLUMNS
};
static const struct column touch_cols[] = { { "region", "region" }, { "msg", "result" }, { "touched", "touched" },
					    { "pass", "pass" }, { "unrouted", "unrouted" }, { "aliased", "aliased" },
					    { "corrupted", "corrupted" }, { "restored", "restored" }, END_COLUMNS };
static const struct column touch_failure_cols[] = {
	{ "region", "region" }, { "outcome", "outcome" }, { "hpa", "HPA" }, { "expected_memdev", "expected memdev" },
	{ "expected_dpa", "expected DPA" }, { "alias_memdev", "alias memdev" }, { "alias_dpa", "alias DPA" }, END_COLUMNS
};
static const struct column worker_cols[] = { { "event", "event" }, { "cpu", "CPU" }, { "slice_start", "slice start" },
					     { "slice_end", "slice end" }, { "bytes", "bytes" }, { "mib_per_s", "MiB/s" },
					     { "store", "store method" }, { "cpus_used", "CPUs used" }, { "msg", "detail" },
					     END_COLUMNS };
static const struct column speed_cols[] = { { "event", "event" }, { "msg", "what" }, { "touches", "touches" },
					    { "bytes", "bytes" }, { "us", "us" }, { "mib_per_s", "MiB/s" },
					    { "ratio_permille", "raw/engine time, per mille" }, END_COLUMNS };
static const struct column xcheck_cols[] = { { "region", "region" }, { "status", "status" },
					     { "checked", "checked" }, { "mismatched", "mismatched" },
					     { "msg", "detail" }, END_COLUMNS };
static const struct column restore_cols[] = { { "msg", "what was undone" }, END_COLUMNS };
static const struct column conflict_cols[] = {
	{ "id", "#" }, { "target", "target" }, { "target_index", "index" }, { "shape", "shape" },
	{ "fw_type", "firmware type" }, { "fw_start", "firmware start" }, { "fw_end", "firmware end" },
	{ "overlap_start", "overlap start" }, { "overlap_end", "overlap end" }, { "bytes", "bytes" },
	{ "linux", "Linux would" }, { "cost", "cost" }, { "fix", "vendor fix" }, END_COLUMNS
};
static const struct column finding_cols[] = { { "severity", "severity" }, { "rule", "rule" },
					      { "table", "table" }, { "index", "index" }, { "field", "field" },
					      { "offset", "offset" }, { "msg", "what" }, END_COLUMNS };
static const struct column memmap_cols[] = { { "index", "#" }, { "type", "type" }, { "start", "start" },
					     { "end", "end" }, { "pages", "pages" }, { "attr", "attributes" },
					     END_COLUMNS };

struct table_spec {
	const char *title, *section;
	const struct column *cols;
};

/* The page after the map, in reading order. */
static const struct table_spec tables[] = {
	{ "Firmware conflicts", "conflicts", conflict_cols },
	{ "Findings", "findings", finding_cols },
	{ "Regions", "regions", region_cols },
	{ "Decoders programmed", "region_decoders", region_decoder_cols },
	{ "Touch results", "touch", touch_cols },
	{ "Touch failures", "touch_failures", touch_failure_cols },
	{ "CPUs", "touch_workers", worker_cols },
	{ "Touch speed", "touch_speed", speed_cols },
	{ "Cross-check", "crosscheck", xcheck_cols },
	{ "Memory types (MTRR)", "memtypes", memtype_cols },
	{ "Page tables", "paging", paging_cols },
	{ "Restore", "restore", restore_cols },
	{ "CFMWS windows", "cfmws", cfmws_cols },
	{ "Host bridges (CHBS)", "chbs", chbs_cols },
	{ "Ports", "ports", port_cols },
	{ "Memory devices", "endpoints", endpoint_cols },
	{ "Decoders as firmware left them", "firmware_decoders", fw_decoder_cols },
	{ "Phase timings", "phases", phase_cols },
};

/* ---- the address map ----------------------------------------------------- */

enum lane { LANE_FW, LANE_WINDOW, LANE_REGION, LANE_CONFLICT, LANES };
static const char *const lane_names[LANES] = { "firmware map", "CFMWS windows", "regions", "conflicts" };

#define SVG_MAX_RANGES 512
#define SVG_LABEL 40

struct svg_range {
	uint64_t start, end; /* end exclusive */
	enum lane lane;
	const char *cls;
	char label[SVG_LABEL];
};

struct svg_map {
	struct svg_range r[SVG_MAX_RANGES];
	unsigned n;
	uint64_t bound[2 * SVG_MAX_RANGES];
	unsigned nb;
};

/* What a vendor needs to tell memory-map entries apart at a glance. */
static const char *fw_class(uint32_t type, uint64_t attr)
{
	if (attr & FW_MEM_ATTR_SP)
		return "soft";
	switch (type) {
	case FW_MEM_CONVENTIONAL: case FW_MEM_LOADER_CODE: case FW_MEM_LOADER_DATA:
	case FW_MEM_BOOT_CODE: case FW_MEM_BOOT_DATA: return "ram";
	case FW_MEM_RUNTIME_CODE: case FW_MEM_RUNTIME_DATA: return "runtime";
	case FW_MEM_ACPI_RECLAIM: case FW_MEM_ACPI_NVS: return "acpi";
	case FW_MEM_MMIO: case FW_MEM_MMIO_PORT: return "mmio";
	case FW_MEM_PERSISTENT: return "pmem";
	default: return "reserved";
	}
}

static void add_range(struct svg_map *m, enum lane lane, uint64_t start, uint64_t end, const char *cls,
		      const char *label)
{
	struct svg_range *prev = m->n ? &m->r[m->n - 1] : NULL;

	if (end <= start)
		return;
	/* Neighbouring firmware entries of one kind are one block on the map; the table lists each. */
	if (prev && lane == LANE_FW && prev->lane == LANE_FW && prev->end == start && !strcmp(prev->cls, cls)) {
		prev->end = end;
		return;
	}
	if (m->n >= SVG_MAX_RANGES)
		return;
	m->r[m->n] = (struct svg_range){ start, end, lane, cls, "" };
	fmt_snprintf(m->r[m->n].label, SVG_LABEL, "%s", label);
	m->n++;
}

static void collect_map(const struct report *r, struct svg_map *m)
{
	char a[REPORT_VALUE_MAX], b[REPORT_VALUE_MAX], c[REPORT_VALUE_MAX], label[SVG_LABEL];

	for (unsigned i = 0; report_get(r, "memmap", i, "start", a); i++) {
		report_get(r, "memmap", i, "end", b);
		report_get(r, "memmap", i, "type_id", c);
		report_get(r, "memmap", i, "attr", label);
		add_range(m, LANE_FW, report_u64(a), report_u64(b) + 1, fw_class((uint32_t)report_u64(c), report_u64(label)),
			  fw_class((uint32_t)report_u64(c), report_u64(label)));
	}
	/* Numbered like the conflicts' target_index: among the valid windows, in CEDT order. */
	for (unsigned i = 0, w = 0; report_get(r, "cfmws", i, "resource", a); i++) {
		report_get(r, "cfmws", i, "size", b);
		report_get(r, "cfmws", i, "valid", c);
		if (strcmp(c, "true"))
			continue;
		fmt_snprintf(label, sizeof(label), "window %u", w++);
		add_range(m, LANE_WINDOW, report_u64(a), report_u64(a) + report_u64(b), "window", label);
	}
	for (unsigned i = 0; report_get(r, "regions", i, "resource", a); i++) {
		report_get(r, "regions", i, "size", b);
		report_get(r, "regions", i, "region", c);
		add_range(m, LANE_REGION, report_u64(a), report_u64(a) + report_u64(b), "region", c);
	}
	for (unsigned i = 0; report_get(r, "conflicts", i, "overlap_start", a); i++) {
		report_get(r, "conflicts", i, "overlap_end", b);
		report_get(r, "conflicts", i, "id", c);
		fmt_snprintf(label, sizeof(label), "conflict %s", c);
		add_range(m, LANE_CONFLICT, report_u64(a), report_u64(b) + 1, "conflict", label);
	}
}

static void add_bound(struct svg_map *m, uint64_t v)
{
	unsigned i = 0;

	while (i < m->nb && m->bound[i] < v)
		i++;
	if (i < m->nb && m->bound[i] == v)
		return;
	memmove(&m->bound[i + 1], &m->bound[i], (m->nb - i) * sizeof(m->bound[0]));
	m->bound[i] = v;
	m->nb++;
}

/* Segment widths grow with log2 of their size: a 4 KiB gap stays visible next to a 4 GiB window. */
static unsigned seg_width(uint64_t size)
{
	unsigned log2 = 0;

	while (log2 < 63 && (size >> (log2 + 1)))
		log2++;
	return log2 <= 12 ? 10 : 10 + (log2 - 12) * 4;
}

#define SVG_LEFT 130
#define SVG_LANE_H 34
#define SVG_TOP 10
#define SVG_AXIS_H 110

static unsigned bound_x(const struct svg_map *m, uint64_t v)
{
	unsigned x = SVG_LEFT;

	for (unsigned i = 0; i + 1 < m->nb && m->bound[i] < v; i++)
		x += seg_width(m->bound[i + 1] - m->bound[i]);
	return x;
}

static void svg_ranges(const struct out *o, const struct svg_map *m)
{
	for (unsigned i = 0; i < m->n; i++) {
		const struct svg_range *g = &m->r[i];
		unsigned x0 = bound_x(m, g->start), x1 = bound_x(m, g->end);
		unsigned y = SVG_TOP + g->lane * SVG_LANE_H;

		putf(o, "<g><rect class=\"%s\" x=\"%u\" y=\"%u\" width=\"%u\" height=\"%u\"/>", g->cls, x0, y + 4,
		     x1 - x0, SVG_LANE_H - 8);
		put(o, "<title>");
		put_text(o, g->label);
		putf(o, " 0x%llx-0x%llx (%llu KiB)</title>", (unsigned long long)g->start,
		     (unsigned long long)g->end - 1, (unsigned long long)((g->end - g->start) >> 10));
		if (x1 - x0 >= 8 * strlen(g->label) + 6) {
			putf(o, "<text x=\"%u\" y=\"%u\">", (x0 + x1) / 2, y + SVG_LANE_H / 2 + 4);
			put_text(o, g->label);
			put(o, "</text>");
		}
		put(o, "</g>\n");
	}
}

static void svg_axis(const struct out *o, const struct svg_map *m, unsigned width)
{
	unsigned axis_y = SVG_TOP + LANES * SVG_LANE_H, last_label = 0;

	putf(o, "<line class=axis x1=\"%u\" y1=\"%u\" x2=\"%u\" y2=\"%u\"/>\n", SVG_LEFT, axis_y, width - 10, axis_y);
	for (unsigned i = 0; i < m->nb; i++) {
		unsigned x = bound_x(m, m->bound[i]);

		putf(o, "<line class=tick x1=\"%u\" y1=\"%u\" x2=\"%u\" y2=\"%u\"/>", x, SVG_TOP, x, axis_y + 4);
		if (i && x - last_label < 14)
			continue; /* labels closer than a line of text would overlap */
		last_label = x;
		/* Slanted down and to the left, ending at the tick: never over the lanes. */
		putf(o, "<text class=addr text-anchor=end transform=\"translate(%u,%u) rotate(-50)\">0x%llx</text>\n",
		     x + 3, axis_y + 10, (unsigned long long)m->bound[i]);
	}
	for (unsigned l = 0; l < LANES; l++)
		putf(o, "<text class=lane x=\"4\" y=\"%u\">%s</text>\n", SVG_TOP + l * SVG_LANE_H + SVG_LANE_H / 2 + 4,
		     lane_names[l]);
}

static void svg_legend(const struct out *o)
{
	static const char *const classes[][2] = {
		{ "ram", "RAM (conventional, boot, loader)" }, { "runtime", "runtime services" }, { "acpi", "ACPI" },
		{ "mmio", "MMIO" }, { "reserved", "reserved" }, { "soft", "soft reserved (EFI_MEMORY_SP)" },
		{ "pmem", "persistent" }, { "window", "CFMWS window" }, { "region", "region cxlval programmed" },
		{ "conflict", "conflict" },
	};

	put(o, "<p class=legend>");
	for (unsigned i = 0; i < sizeof(classes) / sizeof(classes[0]); i++)
		putf(o, "<svg width=\"14\" height=\"14\"><rect class=\"%s\" width=\"14\" height=\"14\"/></svg> %s &nbsp; ",
		     classes[i][0], classes[i][1]);
	put(o, "</p>\n");
}

static void address_map(const struct out *o, const struct report *r)
{
	static struct svg_map m; /* too big for a UEFI stack */
	unsigned width, height = SVG_TOP + LANES * SVG_LANE_H + SVG_AXIS_H;

	memset(&m, 0, sizeof(m));
	collect_map(r, &m);
	for (unsigned i = 0; i < m.n; i++) {
		add_bound(&m, m.r[i].start);
		add_bound(&m, m.r[i].end);
	}
	width = m.nb ? bound_x(&m, m.bound[m.nb - 1]) + 60 : SVG_LEFT + 60;
	put(o, "<h2>Physical address map</h2>\n<p>Not to scale: each stretch between two boundaries is as wide as "
	       "the logarithm of its size, so small ranges stay visible. Hover for exact ranges.</p>\n");
	putf(o, "<div class=map><svg id=addrmap xmlns=\"http://www.w3.org/2000/svg\" width=\"%u\" height=\"%u\" "
		"viewBox=\"0 0 %u %u\">\n", width, height, width, height);
	svg_ranges(o, &m);
	svg_axis(o, &m, width);
	put(o, "</svg></div>\n");
	svg_legend(o);
}

/* ---- page ---------------------------------------------------------------- */

static const char style[] =
	"<style>body{font:14px/1.4 sans-serif;margin:20px;color:#222}h1{margin:0 0 8px}"
	"table{border-collapse:collapse;margin:6px 0 18px}td,th{border:1px solid #ccc;padding:3px 7px;"
	"text-align:left;font-family:monospace;font-size:13px;max-width:32em;vertical-align:top}th{background:#eee;font-family:sans-serif}"
	"tr.bad td{background:#fdd}tr.warn td{background:#fff4d6}.verdict{display:inline-block;padding:6px 14px;"
	"border-radius:4px;font-weight:bold;color:#fff}.pass{background:#2a7d2a}.fail{background:#b22}"
	".map{overflow-x:auto;border:1px solid #ccc}svg text{font:12px sans-serif}svg text.addr{font:11px monospace}"
	"rect.ram{fill:#8fbc8f}rect.runtime{fill:#b8a06a}rect.acpi{fill:#c9a0dc}rect.mmio{fill:#aaa}"
	"rect.reserved{fill:#777}rect.soft{fill:#f0c040}rect.pmem{fill:#6aa6d8}rect.window{fill:#9ec5ff;"
	"stroke:#246}rect.region{fill:#3d7bd9}rect.conflict{fill:#e33}line.axis{stroke:#000}"
	"line.tick{stroke:#ddd}.none{color:#888}</style>\n";

static void header(const struct out *o, const struct report *r)
{
	char verdict[REPORT_VALUE_MAX], status[REPORT_VALUE_MAX], version[REPORT_VALUE_MAX], errors[REPORT_VALUE_MAX], warnings[REPORT_VALUE_MAX];
	bool ended = report_get(r, "verdict", 0, "verdict", verdict);

	report_get(r, "verdict", 0, "status", status);
	report_get(r, "verdict", 0, "errors", errors);
	report_get(r, "verdict", 0, "warnings", warnings);
	report_get(r, "start", 0, "version", version);
	put(o, "<!DOCTYPE html>\n<html lang=en><head><meta charset=utf-8><title>cxlval report</title>\n");
	put(o, style);
	put(o, "</head><body>\n<h1>cxlval report</h1>\n");
	putf(o, "<p>cxlval %s, run %s. <span id=verdict class=\"verdict %s\">", version,
	     r->run_name ? r->run_name : "-", ended && !strcmp(verdict, "pass") ? "pass" : "fail");
	put_text(o, ended ? verdict : "run did not finish");
	putf(o, "</span> exit status %s, %s errors, %s warnings", ended ? status : "-", errors, warnings);
	if (r->dropped)
		putf(o, " &mdash; %u events did not fit in the report (the log has them all)", r->dropped);
	put(o, "</p>\n<h2>Platform</h2>\n");
	table(o, r, "platform", platform_cols);
}

void report_write_html(const struct report *r, report_write_fn write, void *ctx)
{
	const struct out o = { write, ctx };

	header(&o, r);
	address_map(&o, r);
	for (unsigned i = 0; i < sizeof(tables) / sizeof(tables[0]); i++) {
		putf(&o, "<h2>%s</h2>\n", tables[i].title);
		table(&o, r, tables[i].section, tables[i].cols);
	}
	put(&o, "<details><summary>UEFI memory map</summary>\n");
	table(&o, r, "memmap", memmap_cols);
	put(&o, "</details>\n</body></html>\n");
}
