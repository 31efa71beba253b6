// SPDX-License-Identifier: MIT
/*
 * report.html: one self-contained page (no scripts, no external assets) for
 * a vendor's bug report, in the order a vendor reads it: the verdict (one
 * line per CFMWS window), what to fix (by severity: where, the value, what
 * Linux does with it, the fix), notes on what hardware did, the address map,
 * then the details. Every heading, row label and column is in words; the
 * log's event names and ids stay in report.json. Tables are data: a section
 * of the report and a list of columns, each with a format.
 */
#include <string.h>

#include "core/report_html.h"
#include "lib/fmt.h"

#define V REPORT_VALUE_MAX

static const char *get(const struct report *r, const char *section, unsigned i, const char *key, char *out)
{
	report_get(r, section, i, key, out);
	return out;
}

static bool is(const struct report *r, const char *section, unsigned i, const char *key, const char *value)
{
	char v[V];

	return !strcmp(get(r, section, i, key, v), value);
}

/* "region0 PASS" / "region0: firmware ..." -> "PASS" / "firmware ...": the region has its own column. */
static const char *without_region(const char *msg, const char *region)
{
	size_t n = strlen(region);

	if (n && !strncmp(msg, region, n) && (msg[n] == ' ' || msg[n] == ':')) {
		msg += n + 1;
		while (*msg == ' ')
			msg++;
	}
	return msg;
}

/* A finding's msg is "<where>: <what>" (diag_format); the table shows where from the fields. */
static const char *finding_what(const char *msg)
{
	const char *colon = strstr(msg, ": ");

	return colon ? colon + 2 : msg;
}

/* What a table's index counts: a CEDT structure, an MCFG or XSDT entry, a line of the configuration. */
static const char *index_word(const char *table, const char *rule)
{
	if (!strncmp(rule, "config.", 7))
		return "line";
	if (!strcmp(table, "MCFG") || !strcmp(table, "XSDT") || !strcmp(table, "RSDT"))
		return "entry";
	return "structure";
}

/*
 * Where a finding is, in words, each word once: "CEDT structure 3 (CFMWS),
 * field ENIW at offset 0x5c", "MTRR, window 0", "HDM decoder, field Control",
 * "command line line 2" never: "command line, line 2".
 */
static void finding_where(const struct report *r, unsigned i, char *out, size_t cap)
{
	char table[V], index[V], structure[V], field[V], offset[V], rule[V];
	bool named_item = false;
	size_t n;

	get(r, "findings", i, "table", table);
	get(r, "findings", i, "index", index);
	get(r, "findings", i, "structure", structure);
	get(r, "findings", i, "field", field);
	get(r, "findings", i, "offset", offset);
	get(r, "findings", i, "rule", rule);
	/* "HDM" + "HDM decoder": the structure already names the table. */
	n = (size_t)fmt_snprintf(out, cap, "%s", structure[0] && strstr(structure, table) ? "" : table);
	if (index[0] && structure[0] >= 'a' && structure[0] <= 'z') {
		/* A structure in words counts itself: "window 0". */
		n += (size_t)fmt_snprintf(out + n, n < cap ? cap - n : 0, "%s%s %s", n ? ", " : "", structure, index);
		named_item = true;
	} else if (index[0]) {
		n += (size_t)fmt_snprintf(out + n, n < cap ? cap - n : 0, "%s%s %s", !n ? "" : strchr(table, ' ') ? ", " : " ",
					  index_word(table, rule), index);
	}
	if (structure[0] && index[0] && !named_item)
		n += (size_t)fmt_snprintf(out + n, n < cap ? cap - n : 0, " (%s)", structure);
	else if (structure[0] && !named_item)
		n += (size_t)fmt_snprintf(out + n, n < cap ? cap - n : 0, "%s%s", n ? " " : "", structure);
	if (field[0])
		n += (size_t)fmt_snprintf(out + n, n < cap ? cap - n : 0, "%sfield %s", n ? ", " : "", field);
	if (offset[0])
		fmt_snprintf(out + n, n < cap ? cap - n : 0, " at offset %s", offset);
}

/* ---- row labels: an event's name as what it is for a person --------------- */

static void row_label(const struct report *r, const char *section, unsigned i, char *out, size_t cap)
{
	char ev[V], a[V], b[V];

	get(r, section, i, "event", ev);
	get(r, section, i, "window", a);
	get(r, section, i, "cpu", b);
	if (!strcmp(ev, "paging.firmware"))
		fmt_snprintf(out, cap, "Firmware page tables");
	else if (!strcmp(ev, "paging.cxlval"))
		fmt_snprintf(out, cap, "cxlval's page tables");
	else if (!strcmp(ev, "paging.window"))
		fmt_snprintf(out, cap, "Window %s in %s's tables", a, get(r, section, i, "tables", b));
	else if (!strcmp(ev, "touch.method"))
		fmt_snprintf(out, cap, "Store method");
	else if (!strcmp(ev, "touch.cpu"))
		fmt_snprintf(out, cap, "CPU %s slice", b);
	else if (!strcmp(ev, "touch.cpu_late"))
		fmt_snprintf(out, cap, "CPU %s did not finish", b);
	else if (!strcmp(ev, "touch.probes"))
		fmt_snprintf(out, cap, "Probe lines");
	else if (!strcmp(ev, "touch.sweep"))
		fmt_snprintf(out, cap, "Sweep");
	else if (!strcmp(ev, "bench.raw"))
		fmt_snprintf(out, cap, "Raw fill and read (rep stosq)");
	else if (!strcmp(ev, "touch.result"))
		fmt_snprintf(out, cap, "%s", is(r, section, i, "level", "error") ? "FAIL" : "pass");
	else if (!strcmp(ev, "touch.skipped"))
		fmt_snprintf(out, cap, "not touched");
	else if (!strcmp(ev, "acpi.root"))
		fmt_snprintf(out, cap, "root table");
	else
		fmt_snprintf(out, cap, "%s", "");
}

/* ---- tables ---------------------------------------------------------------- */

enum format {
	F_TEXT,   /* as logged */
	F_SIZE,   /* bytes (hex or decimal) -> "512 MiB" */
	F_WORDS,  /* a stable id -> words */
	F_MSG,    /* msg without the region name the row already shows */
	F_LABEL,  /* the row's event as words */
	F_RANGE,  /* key_start-key_end (key "" -> start-end) */
	F_WHY,    /* a region plan's reason sentence */
	F_WHERE,  /* a finding's location */
	F_WHAT,   /* a finding's sentence */
	F_RESTRICT, /* CFMWS Window Restrictions bits as words */
	F_TARGET, /* a conflict's window or region */
};

struct column {
	const char *key, *heading;
	enum format fmt;
};

#define END_COLUMNS { NULL, NULL, F_TEXT }

static void restrictions_words(uint64_t bits, char *out, size_t cap)
{
	static const char *const names[] = { "type 2", "type 3", "volatile", "persistent", "fixed" };
	size_t n = 0;

	out[0] = '\0';
	for (unsigned b = 0; b < 5; b++)
		if (bits & (1u << b))
			n += (size_t)fmt_snprintf(out + n, n < cap ? cap - n : 0, "%s%s", n ? ", " : "", names[b]);
}

static void conflict_target(const struct report *r, unsigned i, char *out, size_t cap);

static void cell(const struct out *o, const struct report *r, const char *section, unsigned i, const struct column *c)
{
	char v[V], w[V], k1[48], k2[48];

	get(r, section, i, c->key, v);
	switch (c->fmt) {
	case F_TEXT: html_text(o, v); break;
	case F_SIZE:
		if (v[0])
			report_size_words(report_u64(v), w, sizeof(w)), html_text(o, w);
		break;
	case F_WORDS: html_text(o, report_id_words(v, w, sizeof(w))); break;
	case F_MSG:
		get(r, section, i, "region", w);
		html_text(o, without_region(v, w));
		break;
	case F_LABEL:
		row_label(r, section, i, w, sizeof(w));
		html_text(o, w);
		break;
	case F_RANGE:
		fmt_snprintf(k1, sizeof(k1), "%s%sstart", c->key, c->key[0] ? "_" : "");
		fmt_snprintf(k2, sizeof(k2), "%s%send", c->key, c->key[0] ? "_" : "");
		if (get(r, section, i, k1, v)[0])
			html_putf(o, "%s&ndash;%s", v, get(r, section, i, k2, w));
		break;
	case F_WHY:
		get(r, section, i, "msg", v);
		if (get(r, section, i, "reason", w)[0])
			html_text(o, strstr(v, "cannot be used: ") ? strstr(v, "cannot be used: ") + 16 : v);
		break;
	case F_WHERE:
		finding_where(r, i, w, sizeof(w));
		html_text(o, w);
		break;
	case F_WHAT: html_text(o, finding_what(get(r, section, i, "msg", v))); break;
	case F_RESTRICT:
		restrictions_words(report_u64(v), w, sizeof(w));
		html_text(o, w);
		break;
	case F_TARGET:
		conflict_target(r, i, w, sizeof(w));
		html_text(o, w);
		break;
	}
}

/*
 * Rows about what hardware did rather than a defect: a finding whose rule is
 * a note, the cross-check skipped because a decoder stayed committed, and a
 * restore whose only trouble is such a decoder (every register as firmware
 * left it otherwise). Shown as notes, not warnings.
 */
static bool is_note(const struct report *r, const char *section, unsigned i)
{
	char v[V];

	if (!strcmp(section, "findings"))
		return report_rule_advice(get(r, section, i, "rule", v))->note;
	if (!strcmp(section, "crosscheck"))
		return !strcmp(get(r, section, i, "status", v), "skipped_no_uncommit");
	if (!strcmp(section, "restore"))
		return is(r, section, i, "level", "warn") && strstr(get(r, section, i, "msg", v), ", 0 registers differ");
	return false;
}

static void table(const struct out *o, const struct report *r, const char *section, const struct column *cols)
{
	unsigned rows = report_count(r, section);

	if (!rows) {
		html_put(o, "<p class=none>none</p>\n");
		return;
	}
	html_put(o, "<div class=scroll><table><tr>");
	for (const struct column *c = cols; c->key; c++)
		html_putf(o, "<th>%s</th>", c->heading);
	html_put(o, "</tr>\n");
	for (unsigned i = 0; i < rows; i++) {
		const char *cls = is_note(r, section, i) ? "note" : is(r, section, i, "level", "error") ? "bad"
				  : is(r, section, i, "level", "warn") ? "warn" : "ok";

		html_putf(o, "<tr class=\"%s\">", cls);
		for (const struct column *c = cols; c->key; c++) {
			html_put(o, "<td>");
			cell(o, r, section, i, c);
			html_put(o, "</td>");
		}
		html_put(o, "</tr>\n");
	}
	html_put(o, "</table></div>\n");
}

static const struct column platform_cols[] = {
	{ "sys_vendor", "System vendor", F_TEXT }, { "product_name", "Product", F_TEXT },
	{ "product_version", "Version", F_TEXT }, { "board_vendor", "Board vendor", F_TEXT },
	{ "board_name", "Board", F_TEXT }, { "bios_vendor", "BIOS vendor", F_TEXT },
	{ "bios_version", "BIOS version", F_TEXT }, { "bios_date", "BIOS date", F_TEXT },
	{ "smbios_version", "SMBIOS version", F_TEXT }, END_COLUMNS
};
static const struct column phase_cols[] = { { "phase", "Phase", F_TEXT }, { "ms", "Milliseconds", F_TEXT },
					    END_COLUMNS };
static const struct column chbs_cols[] = {
	{ "index", "CEDT structure", F_TEXT }, { "uid", "UID", F_TEXT }, { "cxl_version", "CXL version field", F_TEXT },
	{ "base", "Register base", F_TEXT }, { "length", "Length", F_SIZE }, { "valid", "Usable", F_WORDS }, END_COLUMNS
};
static const struct column cfmws_cols[] = {
	{ "index", "CEDT structure", F_TEXT }, { "resource", "Base", F_TEXT }, { "size", "Size", F_SIZE },
	{ "interleave_ways", "Ways", F_TEXT }, { "interleave_granularity", "Granularity (bytes)", F_TEXT },
	{ "arithmetic", "Arithmetic", F_TEXT }, { "restrictions", "Allowed memory", F_RESTRICT },
	{ "targets", "Host bridge UIDs", F_TEXT }, { "valid", "Usable", F_WORDS }, END_COLUMNS
};
static const struct column port_cols[] = {
	{ "port", "Port", F_TEXT }, { "type", "Kind", F_WORDS }, { "uid", "UID", F_TEXT },
	{ "component_registers", "Component registers", F_TEXT }, { "nr_decoders", "HDM decoders", F_TEXT },
	{ "nr_targets", "Targets per decoder", F_TEXT }, END_COLUMNS
};
static const struct column endpoint_cols[] = {
	{ "memdev", "Memory device", F_TEXT }, { "msg", "PCI address", F_TEXT }, { "endpoint", "Endpoint port", F_TEXT },
	{ "ram_size", "Volatile capacity", F_SIZE }, { "pmem_size", "Persistent capacity", F_SIZE },
	{ "component_registers", "Component registers", F_TEXT }, END_COLUMNS
};
static const struct column fw_decoder_cols[] = {
	{ "decoder", "Decoder", F_TEXT }, { "resource", "Base", F_TEXT }, { "size", "Size", F_SIZE },
	{ "committed", "Committed", F_WORDS }, { "locked", "Locked", F_WORDS }, { "control", "Control register", F_TEXT },
	END_COLUMNS
};
static const struct column memtype_cols[] = {
	{ "window", "Window", F_TEXT }, { "region", "Region", F_TEXT }, { "resource", "Base", F_TEXT },
	{ "size", "Size", F_SIZE }, { "memtype", "Memory type", F_WORDS }, { "sources", "Pieces (cause)", F_TEXT },
	END_COLUMNS
};
static const struct column paging_cols[] = {
	{ "event", "Page tables", F_LABEL }, { "mapped", "Every byte mapped", F_WORDS },
	{ "unmapped_bytes", "Unmapped", F_SIZE }, { "page_sizes", "Page sizes", F_TEXT },
	{ "memtype", "Memory type", F_WORDS }, { "levels", "Levels", F_TEXT }, END_COLUMNS
};
static const struct column region_cols[] = {
	{ "window", "Window", F_TEXT }, { "region", "Region", F_TEXT }, { "resource", "Base", F_TEXT },
	{ "size", "Size", F_SIZE }, { "interleave_ways", "Ways", F_TEXT },
	{ "interleave_granularity", "Granularity (bytes)", F_TEXT }, { "mode", "Memory", F_WORDS },
	{ "reason", "Why no region", F_WHY }, END_COLUMNS
};
static const struct column region_decoder_cols[] = {
	{ "region", "Region", F_TEXT }, { "decoder", "Decoder", F_TEXT }, { "resource", "Base", F_TEXT },
	{ "size", "Size", F_SIZE }, { "interleave_ways", "Ways", F_TEXT },
	{ "interleave_granularity", "Granularity (bytes)", F_TEXT }, { "targets", "Target ports", F_TEXT },
	{ "position", "Position", F_TEXT }, { "dpa_resource", "Device address", F_TEXT },
	{ "dpa_size", "Device bytes", F_SIZE }, END_COLUMNS
};
static const struct column touch_cols[] = {
	{ "region", "Region", F_TEXT }, { "event", "Result", F_LABEL }, { "touched", "Lines touched", F_TEXT },
	{ "pass", "Reached the predicted device", F_TEXT }, { "unrouted", "Unrouted", F_TEXT },
	{ "aliased", "Aliased", F_TEXT }, { "corrupted", "Corrupted", F_TEXT }, { "restored", "Data restored", F_WORDS },
	{ "msg", "Detail", F_MSG }, END_COLUMNS
};
static const struct column touch_failure_cols[] = {
	{ "region", "Region", F_TEXT }, { "outcome", "Outcome", F_WORDS }, { "hpa", "Host address", F_TEXT },
	{ "expected_memdev", "Expected device", F_TEXT }, { "expected_dpa", "Expected device address", F_TEXT },
	{ "alias_memdev", "Landed on device", F_TEXT }, { "alias_dpa", "Landed at device address", F_TEXT }, END_COLUMNS
};
static const struct column worker_cols[] = {
	{ "event", "What", F_LABEL }, { "slice", "Host addresses", F_RANGE }, { "bytes", "Bytes", F_SIZE },
	{ "mib_per_s", "MiB/s", F_TEXT }, { "store", "How stores reach the device", F_TEXT },
	{ "cpus_used", "CPUs used", F_TEXT }, END_COLUMNS
};
static const struct column speed_cols[] = {
	{ "event", "What", F_LABEL }, { "msg", "Detail", F_MSG }, { "touches", "Lines", F_TEXT },
	{ "bytes", "Bytes", F_SIZE }, { "us", "Microseconds", F_TEXT }, { "mib_per_s", "MiB/s", F_TEXT },
	{ "ratio_permille", "Raw time / engine time (per mille)", F_TEXT }, END_COLUMNS
};
static const struct column xcheck_cols[] = {
	{ "region", "Region", F_TEXT }, { "status", "Status", F_WORDS }, { "checked", "Lines checked", F_TEXT },
	{ "mismatched", "Mismatched", F_TEXT }, { "msg", "Detail", F_MSG }, END_COLUMNS
};
static const struct column restore_cols[] = { { "msg", "What was undone", F_TEXT }, END_COLUMNS };
static const struct column conflict_cols[] = {
	{ "id", "Conflict", F_TEXT }, { "target", "With", F_TARGET },
	{ "shape", "Firmware range lies", F_WORDS }, { "fw_type", "Firmware type", F_TEXT },
	{ "fw", "Firmware range", F_RANGE }, { "overlap", "Overlap", F_RANGE }, { "bytes", "Bytes", F_SIZE },
	{ "cost", "What Linux does", F_TEXT }, { "fix", "Fix", F_TEXT }, END_COLUMNS
};
static const struct column finding_cols[] = {
	{ "severity", "Severity", F_TEXT }, { "table", "Where", F_WHERE }, { "msg", "What", F_WHAT }, END_COLUMNS
};
static const struct column memmap_cols[] = {
	{ "index", "Entry", F_TEXT }, { "type", "Type", F_TEXT }, { "", "Range", F_RANGE }, { "pages", "Pages", F_TEXT },
	{ "attr", "Attributes", F_TEXT }, END_COLUMNS
};

struct table_spec {
	const char *title, *section;
	const struct column *cols;
};

/* The details after the map, in reading order. */
static const struct table_spec tables[] = {
	{ "Firmware conflicts", "conflicts", conflict_cols },
	{ "Findings", "findings", finding_cols },
	{ "Regions", "regions", region_cols },
	{ "Decoders programmed", "region_decoders", region_decoder_cols },
	{ "Touch results", "touch", touch_cols },
	{ "Touch failures", "touch_failures", touch_failure_cols },
	{ "CPUs", "touch_workers", worker_cols },
	{ "Touch speed", "touch_speed", speed_cols },
	{ "Cross-check through each device", "crosscheck", xcheck_cols },
	{ "Memory types (MTRR)", "memtypes", memtype_cols },
	{ "Page tables", "paging", paging_cols },
	{ "Decoders put back", "restore", restore_cols },
	{ "CFMWS windows (CEDT)", "cfmws", cfmws_cols },
	{ "Host bridges (CEDT CHBS)", "chbs", chbs_cols },
	{ "Ports", "ports", port_cols },
	{ "Memory devices", "endpoints", endpoint_cols },
	{ "Decoders as firmware left them", "firmware_decoders", fw_decoder_cols },
	{ "Phase timings", "phases", phase_cols },
};

/* ---- the verdict: overall, then one line per CFMWS window ------------------- */

static const char *const verdict_words[][3] = {
	{ "pass", "Pass", "everything checked passed" },
	{ "routing_failure", "Routing failure", "a line did not reach the device and address the interleave math predicts" },
	{ "firmware_conflict", "Firmware conflict", "firmware memory ranges conflict with CXL windows" },
	{ "bad_firmware_tables", "Bad firmware tables", "ACPI, CEDT or MCFG content violates the spec" },
	{ "tool_error", "Tool error", "cxlval could not do all of its job" },
	{ "exception", "CPU exception", "the run stopped on a CPU exception" },
	{ "not_verified", "Not verified", "a window could not be verified" },
};

static void overall(const struct out *o, const struct report *r)
{
	char verdict[V], status[V], errors[V], warnings[V];
	const char *word = NULL, *meaning = "";
	bool ended = report_get(r, "verdict", 0, "verdict", verdict);

	get(r, "verdict", 0, "status", status);
	get(r, "verdict", 0, "errors", errors);
	get(r, "verdict", 0, "warnings", warnings);
	for (unsigned i = 0; ended && i < sizeof(verdict_words) / sizeof(verdict_words[0]); i++)
		if (!strcmp(verdict, verdict_words[i][0]))
			word = verdict_words[i][1], meaning = verdict_words[i][2];
	html_putf(o, "<p id=overall><span id=verdict class=\"verdict %s\">", ended && !strcmp(verdict, "pass") ? "pass" : "fail");
	html_text(o, !ended ? "The run did not finish" : word ? word : verdict);
	if (ended)
		html_putf(o, "</span> exit status %s: %s; %s errors, %s warnings", status, meaning, errors, warnings);
	else
		html_put(o, "</span> the log has the CPU exception and its registers");
	if (r->dropped)
		html_putf(o, " &mdash; %u events did not fit in the report (the log has them all)", r->dropped);
	html_put(o, "</p>\n");
}

static const char *const window_status[][3] = {
	{ "verified_programmed", "ok", "verified by cxlval's programming" },
	{ "verified_firmware", "ok", "verified as firmware's region" },
	{ "failed", "bad", "failed" },
	{ "not_verified", "warn", "not verified" },
};

static void window_head(const struct out *o, const char *name, const char *base, const char *size)
{
	char w[V];

	report_size_words(report_u64(size), w, sizeof(w));
	html_putf(o, "<b>%s</b> at ", name);
	html_text(o, base);
	html_put(o, ", ");
	html_text(o, w);
	html_put(o, ": ");
}

/*
 * From the window.verdict events: status, region, and the reason in words
 * (the event's msg repeats the window and the status; it stays in the JSON).
 */
static void window_verdicts(const struct out *o, const struct report *r)
{
	char v[V], name[40], base[V], size[V], reason[V], region[V], words[V];

	for (unsigned i = 0; report_get(r, "windows", i, "status", v); i++) {
		const char *cls = "warn", *status = v;

		for (unsigned k = 0; k < sizeof(window_status) / sizeof(window_status[0]); k++)
			if (!strcmp(v, window_status[k][0]))
				cls = window_status[k][1], status = window_status[k][2];
		fmt_snprintf(name, sizeof(name), "Window %s", get(r, "windows", i, "window", base));
		html_putf(o, "<li class=\"window %s\" data-status=\"", cls);
		html_text(o, v);
		html_put(o, "\">");
		window_head(o, name, get(r, "windows", i, "resource", base), get(r, "windows", i, "size", size));
		html_put(o, "<b>");
		if (status == v)
			html_text(o, status); /* a status this page does not know, from the log */
		else
			html_put(o, status);
		html_put(o, "</b>");
		if (get(r, "windows", i, "region", region)[0]) {
			html_put(o, " (");
			html_text(o, region);
			html_put(o, ")");
		}
		if (get(r, "windows", i, "reason", reason)[0]) {
			html_put(o, ": ");
			html_text(o, report_id_words(reason, words, sizeof(words)));
		} else if (!strcmp(cls, "ok")) {
			html_put(o, ": every touched line reached the device and device address its decoders say");
		}
		html_put(o, ".</li>\n");
	}
}

/* No window.verdict in the log (an older cxlval or a run cut short): say so, per window, and invent nothing. */
static void no_window_verdicts(const struct out *o, const struct report *r)
{
	char v[V], base[V], size[V], name[48];

	for (unsigned i = 0, w = 0; report_get(r, "cfmws", i, "valid", v); i++) {
		bool valid = !strcmp(v, "true");

		if (valid)
			fmt_snprintf(name, sizeof(name), "Window %u", w++);
		else
			fmt_snprintf(name, sizeof(name), "CFMWS in CEDT structure %s", get(r, "cfmws", i, "index", base));
		html_put(o, "<li class=\"window none\" data-status=\"none\">");
		window_head(o, name, get(r, "cfmws", i, "resource", base), get(r, "cfmws", i, "size", size));
		html_put(o, valid ? "no per-window verdict: this run's log has none, so only the overall verdict above "
				    "speaks for it.</li>\n"
				  : "not usable (see What to fix); no per-window verdict.</li>\n");
	}
}

static void windows(const struct out *o, const struct report *r)
{
	html_put(o, "<h2>Verdict per CFMWS window</h2>\n<ul id=windows>\n");
	if (report_count(r, "windows"))
		window_verdicts(o, r);
	else if (report_count(r, "cfmws"))
		no_window_verdicts(o, r);
	else
		html_put(o, "<li class=\"window none\" data-status=\"none\">The CEDT lists no CFMWS window.</li>\n");
	html_put(o, "</ul>\n");
}

/* ---- what to fix, by severity ------------------------------------------------ */

enum rank { R_ROUTING, R_CONFLICT, R_ERROR, R_TOOL, R_WARNING, RANKS };
static const char *const rank_words[RANKS] = { "Routing failure", "Firmware conflict", "Error", "Tool error",
					       "Warning" };

static void fix_row(const struct out *o, enum rank rank, const char *where, const char *value, const char *on_linux,
		    const char *fix)
{
	html_putf(o, "<tr class=\"%s\"><td>%s</td><td>", rank == R_WARNING ? "warn" : "bad", rank_words[rank]);
	html_text(o, where);
	html_put(o, "</td><td>");
	html_text(o, value);
	html_put(o, "</td><td>");
	html_text(o, on_linux);
	html_put(o, "</td><td>");
	html_text(o, fix);
	html_put(o, "</td></tr>\n");
}

static unsigned routing_fixes(const struct out *o, const struct report *r)
{
	char region[V], value[V], a[V], b[V], c[V], d[V];
	unsigned n = 0;

	for (unsigned i = 0; report_get(r, "touch", i, "region", region); i++) {
		if (!is(r, "touch", i, "level", "error"))
			continue;
		fmt_snprintf(value, sizeof(value), "of %s lines touched, %s unrouted, %s aliased, %s corrupted",
			     get(r, "touch", i, "touched", a), get(r, "touch", i, "unrouted", b),
			     get(r, "touch", i, "aliased", c), get(r, "touch", i, "corrupted", d));
		fmt_snprintf(a, sizeof(a), "HDM decoders of %s (Decoders programmed, below)", region);
		fix_row(o, R_ROUTING, a, value,
			"Linux programs the same decoders: data would land on another device or address, or nowhere.",
			"Compare each decoder's ways, granularity and target list with the device positions; the Touch "
			"failures table names the lines.");
		n++;
	}
	for (unsigned i = 0; report_get(r, "crosscheck", i, "mismatched", a); i++) {
		if (!report_u64(a))
			continue;
		get(r, "crosscheck", i, "region", region);
		fmt_snprintf(value, sizeof(value), "%s lines read through one device's decoder do not match", a);
		fmt_snprintf(b, sizeof(b), "HDM decoders of %s", region);
		fix_row(o, R_ROUTING, b, value, "Linux would read other data than was written.",
			"Check the endpoint decoders' device address (DPA) ranges and skip values.");
		n++;
	}
	return n;
}

/* "window 0" or "region0": conflicts name their target by kind and index. */
static void conflict_target(const struct report *r, unsigned i, char *out, size_t cap)
{
	char kind[V], index[V];

	get(r, "conflicts", i, "target", kind);
	get(r, "conflicts", i, "target_index", index);
	fmt_snprintf(out, cap, "%s%s%s", kind, strcmp(kind, "region") ? " " : "", index);
}

/* A firmware range once, with every window and region it conflicts with. */
static unsigned conflict_fixes(const struct out *o, const struct report *r)
{
	char idx[V], other[V], where[V], value[V], type[V], start[V], end[V], size[V], shape[V], target[V];
	char cost[V], fix[V];
	unsigned n = 0;

	for (unsigned i = 0; report_get(r, "conflicts", i, "memmap_index", idx); i++) {
		size_t len;
		bool seen = false;

		for (unsigned k = 0; k < i && !seen; k++)
			seen = !strcmp(get(r, "conflicts", k, "memmap_index", other), idx);
		if (seen)
			continue;
		fmt_snprintf(where, sizeof(where), "UEFI memory map entry %s: %s %s-%s", idx,
			     get(r, "conflicts", i, "fw_type", type), get(r, "conflicts", i, "fw_start", start),
			     get(r, "conflicts", i, "fw_end", end));
		report_size_words(report_u64(get(r, "conflicts", i, "bytes", other)), size, sizeof(size));
		conflict_target(r, i, target, sizeof(target));
		get(r, "conflicts", i, "shape", other);
		len = (size_t)fmt_snprintf(value, sizeof(value), "%s in %s (the firmware range lies %s)", size, target,
					   report_id_words(other, shape, sizeof(shape)));
		for (unsigned k = i + 1; report_get(r, "conflicts", k, "memmap_index", other); k++) {
			if (strcmp(other, idx) || len >= sizeof(value))
				continue;
			conflict_target(r, k, target, sizeof(target));
			len += (size_t)fmt_snprintf(value + len, sizeof(value) - len, "; also in %s", target);
		}
		fix_row(o, R_CONFLICT, where, value, get(r, "conflicts", i, "cost", cost), get(r, "conflicts", i, "fix", fix));
		n++;
	}
	return n;
}

static unsigned finding_fixes(const struct out *o, const struct report *r, bool errors)
{
	char sev[V], rule[V], where[V], msg[V];
	unsigned n = 0;

	for (unsigned i = 0; report_get(r, "findings", i, "severity", sev); i++) {
		const struct advice *a = report_rule_advice(get(r, "findings", i, "rule", rule));
		bool error = !strcmp(sev, "error") || !strcmp(sev, "fatal");

		if (a->note || error != errors || (!error && strcmp(sev, "warning")))
			continue;
		finding_where(r, i, where, sizeof(where));
		fix_row(o, errors ? R_ERROR : R_WARNING, where, finding_what(get(r, "findings", i, "msg", msg)), a->on_linux,
			a->fix);
		n++;
	}
	return n;
}

static unsigned tool_fixes(const struct out *o, const struct report *r)
{
	char ev[V], cpu[V], where[V], value[V], a[V], b[V];
	unsigned n = 0;

	for (unsigned i = 0; report_get(r, "touch_workers", i, "event", ev); i++) {
		if (strcmp(ev, "touch.cpu_late"))
			continue;
		fmt_snprintf(where, sizeof(where), "CPU %s", get(r, "touch_workers", i, "cpu", cpu));
		fmt_snprintf(value, sizeof(value), "did not finish its slice %s-%s in time",
			     get(r, "touch_workers", i, "slice_start", a), get(r, "touch_workers", i, "slice_end", b));
		fix_row(o, R_TOOL, where, value, "Not a Linux matter: that slice of the region went unverified.",
			"Run again with cpus = 1 to verify the whole region on one CPU; a CPU that hangs on CXL memory is "
			"worth a platform bug.");
		n++;
	}
	return n;
}

static unsigned fixes(const struct out *o, const struct report *r)
{
	unsigned n = routing_fixes(o, r);

	n += conflict_fixes(o, r);
	n += finding_fixes(o, r, true);
	n += tool_fixes(o, r);
	return n + finding_fixes(o, r, false);
}

static void discard(void *ctx, const char *text, size_t len)
{
}

static void what_to_fix(const struct out *o, const struct report *r)
{
	const struct out counting = { discard, NULL };

	html_put(o, "<h2>What to fix</h2>\n");
	if (!fixes(&counting, r)) {
		html_put(o, "<p class=none id=fixes>Nothing: no routing failure, conflict, finding or tool error.</p>\n");
		return;
	}
	html_put(o, "<div class=scroll><table id=fixes><tr><th>Severity</th><th>Where (table field or register)</th>"
		    "<th>Value</th><th>What Linux does with it</th><th>Fix</th></tr>\n");
	fixes(o, r);
	html_put(o, "</table></div>\n");
}

/* What hardware did that is not a defect to fix (e.g. a decoder that stayed committed after an uncommit). */
static void notes(const struct out *o, const struct report *r)
{
	char sev[V], rule[V], where[V], msg[V];
	unsigned n = 0;

	for (unsigned i = 0; report_get(r, "findings", i, "severity", sev); i++) {
		const struct advice *a = report_rule_advice(get(r, "findings", i, "rule", rule));

		if (!a->note)
			continue;
		if (!n++)
			html_put(o, "<h2>Notes</h2>\n<ul id=notes>\n");
		finding_where(r, i, where, sizeof(where));
		html_put(o, "<li class=note><b>Note</b> (");
		html_text(o, where);
		html_put(o, "): ");
		html_text(o, finding_what(get(r, "findings", i, "msg", msg)));
		html_put(o, ". ");
		html_text(o, a->fix);
		html_put(o, " ");
		html_text(o, a->on_linux);
		html_put(o, "</li>\n");
	}
	if (n)
		html_put(o, "</ul>\n");
}

/* ---- page ---------------------------------------------------------------- */

static const char style[] =
	"<style>body{font:14px/1.4 sans-serif;margin:20px;color:#222}h1{margin:0 0 8px}"
	"table{border-collapse:collapse;margin:6px 0 18px}td,th{border:1px solid #ccc;padding:3px 7px;"
	"text-align:left;font-family:monospace;font-size:13px;max-width:32em;vertical-align:top}td{overflow-wrap:break-word}"
	"th{background:#eee;font-family:sans-serif}#fixes td{font-family:sans-serif}"
	"tr.bad td{background:#fdd}tr.warn td{background:#fff4d6}tr.note td{background:#e8f0fa}"
	".verdict{display:inline-block;padding:6px 14px;border-radius:4px;font-weight:bold;color:#fff}"
	".pass{background:#2a7d2a}.fail{background:#b22}"
	"#windows{list-style:none;padding:0}li.window{padding:4px 10px;margin:3px 0;border-left:6px solid #999}"
	"li.window.ok{border-color:#2a7d2a;background:#eef7ee}li.window.bad{border-color:#b22;background:#fdd}"
	"li.window.warn{border-color:#d90;background:#fff4d6}li.window.none{background:#f3f3f3}"
	"#notes{padding:0}li.note{background:#e8f0fa;padding:3px 8px;margin:3px 0;list-style:none}"
	".scroll{max-width:100%;overflow-x:auto}.map{border:1px solid #ccc;padding:4px}"
	"svg.maprow{display:block;width:100%;height:auto;margin-bottom:6px}"
	"svg text{font:12px sans-serif}svg text.addr{font:11px monospace}.legend span{white-space:nowrap;margin-right:12px}"
	"rect.ram{fill:#8fbc8f}rect.runtime{fill:#b8a06a}rect.acpi{fill:#c9a0dc}rect.mmio{fill:#aaa}"
	"rect.reserved{fill:#777}rect.soft{fill:#f0c040}rect.pmem{fill:#6aa6d8}rect.window{fill:#9ec5ff;"
	"stroke:#246}rect.region{fill:#3d7bd9}rect.conflict{fill:#e33}line.axis{stroke:#000}"
	"line.tick{stroke:#ddd}.none{color:#888}</style>\n";

static void header(const struct out *o, const struct report *r)
{
	char version[V], vendor[V], product[V], bios[V];

	get(r, "start", 0, "version", version);
	get(r, "platform", 0, "sys_vendor", vendor);
	get(r, "platform", 0, "product_name", product);
	get(r, "platform", 0, "bios_version", bios);
	html_put(o, "<!DOCTYPE html>\n<html lang=en><head><meta charset=utf-8>"
		    "<meta name=viewport content=\"width=device-width\"><title>cxlval report</title>\n");
	html_put(o, style);
	html_put(o, "</head><body>\n<h1>cxlval report</h1>\n<p>cxlval ");
	html_text(o, version);
	html_putf(o, ", run %s, on ", r->run_name ? r->run_name : "-");
	html_text(o, vendor[0] ? vendor : "?");
	html_put(o, " ");
	html_text(o, product[0] ? product : "?");
	html_put(o, ", BIOS ");
	html_text(o, bios[0] ? bios : "?");
	html_put(o, ".</p>\n");
}

void report_write_html(const struct report *r, report_write_fn write, void *ctx)
{
	const struct out o = { write, ctx };

	header(&o, r);
	overall(&o, r);
	windows(&o, r);
	what_to_fix(&o, r);
	notes(&o, r);
	html_address_map(&o, r);
	html_put(&o, "<h2>Platform</h2>\n");
	table(&o, r, "platform", platform_cols);
	for (unsigned i = 0; i < sizeof(tables) / sizeof(tables[0]); i++) {
		html_putf(&o, "<h2>%s</h2>\n", tables[i].title);
		table(&o, r, tables[i].section, tables[i].cols);
	}
	html_put(&o, "<details><summary>UEFI memory map</summary>\n");
	table(&o, r, "memmap", memmap_cols);
	html_put(&o, "</details>\n</body></html>\n");
}
