// SPDX-License-Identifier: MIT
/*
 * The report's data: which log events it keeps and report.json. The schema
 * is docs/report.schema.json; every section is the list of log events of the
 * named kinds, each an object with the fields docs/log.md documents.
 */
#include "core/report.h"

#include <string.h>

#include "core/log.h"
#include "lib/fmt.h"

struct section {
	const char *name;
	bool single; /* one object (the last one logged), not a list */
	const char *events[3];
};

/* Order is the order of report.json; docs/report.md mirrors this table. */
static const struct section sections[] = {
	{ "verdict", true, { "cxlval.end" } },
	{ "windows", false, { "window.verdict" } },
	{ "start", true, { "cxlval.start" } },
	{ "platform", true, { "platform.identity" } },
	{ "config", true, { "config" } },
	{ "phases", false, { "phase.time" } },
	{ "memmap", false, { "memmap.entry" } },
	{ "acpi_tables", false, { "acpi.root", "acpi.table" } },
	{ "chbs", false, { "cedt.chbs" } },
	{ "cfmws", false, { "cedt.cfmws" } },
	{ "cxims", false, { "cedt.cxims" } },
	{ "mcfg", false, { "mcfg.entry" } },
	{ "ports", false, { "topology.port" } },
	{ "dports", false, { "topology.dport" } },
	{ "endpoints", false, { "topology.endpoint" } },
	{ "firmware_decoders", false, { "topology.decoder" } },
	{ "memtypes", false, { "memtype.window", "memtype.region" } },
	{ "paging", false, { "paging.firmware", "paging.window", "paging.cxlval" } },
	{ "regions", false, { "region.plan" } },
	{ "region_decoders", false, { "region.decoder" } },
	{ "regions_committed", false, { "region.committed" } },
	{ "touch", false, { "touch.result", "touch.skipped" } },
	{ "touch_failures", false, { "touch.failure" } },
	{ "touch_workers", false, { "touch.method", "touch.cpu", "touch.cpu_late" } },
	{ "touch_speed", false, { "touch.probes", "touch.sweep", "bench.raw" } },
	{ "crosscheck", false, { "crosscheck.result" } },
	{ "crosscheck_failures", false, { "crosscheck.failure" } },
	{ "restore", false, { "restore.done" } },
	{ "conflicts", false, { "conflict" } },
	{ "findings", false, { "finding" } },
};

#define NR_SECTIONS (sizeof(sections) / sizeof(sections[0]))

unsigned report_section_count(void)
{
	return NR_SECTIONS;
}

const char *report_section_name(unsigned s)
{
	return s < NR_SECTIONS ? sections[s].name : NULL;
}

bool report_section_single(unsigned s)
{
	return s < NR_SECTIONS && sections[s].single;
}

static int section_of(const char *event)
{
	for (unsigned s = 0; s < NR_SECTIONS; s++)
		for (unsigned e = 0; e < 3 && sections[s].events[e]; e++)
			if (!strcmp(event, sections[s].events[e]))
				return (int)s;
	return -1;
}

void report_init(struct report *r, char *buf, size_t cap)
{
	memset(r, 0, sizeof(*r));
	r->buf = buf;
	r->cap = buf ? cap : 0;
}

void report_collect(struct report *r, const char *line, size_t len)
{
	char event[48];
	int s;

	while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
		len--;
	if (!report_field(line, len, "event", event, sizeof(event)) || (s = section_of(event)) < 0)
		return;
	if (r->count >= REPORT_MAX_EVENTS || r->used + len > r->cap) {
		r->dropped++;
		return;
	}
	memcpy(r->buf + r->used, line, len);
	r->ev[r->count++] = (struct report_event){ (uint16_t)s, (uint32_t)r->used, (uint32_t)len };
	r->used += len;
}

static void sink_write(void *ctx, const char *line, size_t len)
{
	report_collect(ctx, line, len);
}

int report_attach_log(struct report *r)
{
	struct log_sink sink = { LOG_SINK_JSON, LOG_DEBUG, sink_write, NULL, r, false };

	return log_add_sink(&sink);
}

const char *report_section_event(const struct report *r, unsigned s, unsigned i, size_t *len)
{
	for (unsigned k = 0; k < r->count; k++)
		if (r->ev[k].section == s && !i--) {
			*len = r->ev[k].len;
			return r->buf + r->ev[k].off;
		}
	return NULL;
}

/* ---- reading a field back ------------------------------------------------ */

static size_t skip_string(const char *p, size_t i, size_t len)
{
	for (i++; i < len && p[i] != '"'; i++)
		if (p[i] == '\\')
			i++;
	return i + 1;
}

static unsigned hexval(char c)
{
	return c >= '0' && c <= '9' ? (unsigned)(c - '0') : c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10)
			: c >= 'A' && c <= 'F' ? (unsigned)(c - 'A' + 10) : 0;
}

static void unescape(const char *p, size_t len, char *out, size_t cap)
{
	size_t n = 0;

	for (size_t i = 0; i < len && n + 1 < cap; i++) {
		char c = p[i];

		if (c == '\\' && i + 1 < len) {
			c = p[++i];
			if (c == 'n')
				c = '\n';
			else if (c == 'u' && i + 4 < len) {
				c = (char)(hexval(p[i + 3]) << 4 | hexval(p[i + 4]));
				i += 4;
			}
		}
		out[n++] = c;
	}
	out[n] = '\0';
}

bool report_field(const char *obj, size_t len, const char *key, char *out, size_t cap)
{
	size_t klen = strlen(key), i = 0;

	if (!cap)
		return false;
	while (i < len) {
		size_t kstart, klen_here, vstart, vend;

		while (i < len && obj[i] != '"')
			i++;
		if (i >= len)
			break;
		kstart = i + 1;
		i = skip_string(obj, i, len);
		klen_here = i - 1 - kstart;
		if (i >= len || obj[i] != ':')
			continue; /* a string value, not a key */
		vstart = ++i;
		vend = obj[i] == '"' ? skip_string(obj, i, len) : i;
		if (obj[i] != '"')
			while (vend < len && obj[vend] != ',' && obj[vend] != '}')
				vend++;
		if (vend > len)
			return false; /* an unterminated string: not one of ours */
		i = vend;
		if (klen_here != klen || memcmp(obj + kstart, key, klen))
			continue;
		if (obj[vstart] == '"')
			unescape(obj + vstart + 1, vend - vstart - 2, out, cap);
		else
			unescape(obj + vstart, vend - vstart, out, cap);
		return true;
	}
	return false;
}

/* ---- reading the report back ---------------------------------------------- */

static int section_index(const char *name)
{
	for (unsigned s = 0; s < NR_SECTIONS; s++)
		if (!strcmp(sections[s].name, name))
			return (int)s;
	return -1;
}

bool report_get(const struct report *r, const char *section, unsigned i, const char *key, char *out)
{
	int s = section_index(section);
	size_t len;
	const char *e = s < 0 ? NULL : report_section_event(r, (unsigned)s, i, &len);

	out[0] = '\0';
	if (!e)
		return false;
	report_field(e, len, key, out, REPORT_VALUE_MAX);
	return true;
}

unsigned report_count(const struct report *r, const char *section)
{
	int s = section_index(section);
	unsigned n = 0;

	for (unsigned k = 0; s >= 0 && k < r->count; k++)
		n += r->ev[k].section == (unsigned)s;
	return n;
}

uint64_t report_u64(const char *s)
{
	uint64_t v = 0;
	bool hex = s[0] == '0' && s[1] == 'x';

	for (s += hex ? 2 : 0; *s; s++) {
		unsigned d = *s >= '0' && *s <= '9' ? (unsigned)(*s - '0')
			     : hex && *s >= 'a' && *s <= 'f' ? (unsigned)(*s - 'a' + 10) : 99;

		if (d == 99)
			break;
		v = v * (hex ? 16 : 10) + d;
	}
	return v;
}

/* ---- report.json --------------------------------------------------------- */

static void put(report_write_fn write, void *ctx, const char *s)
{
	write(ctx, s, strlen(s));
}

static void write_section(const struct report *r, unsigned s, report_write_fn write, void *ctx)
{
	const char *last = NULL, *e;
	size_t len = 0, n;
	unsigned i = 0;
	char head[64];

	fmt_snprintf(head, sizeof(head), ",\n\"%s\": ", sections[s].name);
	put(write, ctx, head);
	if (sections[s].single) {
		while ((e = report_section_event(r, s, i++, &n)))
			last = e, len = n;
		if (last)
			write(ctx, last, len);
		else
			put(write, ctx, "null");
		return;
	}
	put(write, ctx, "[");
	while ((e = report_section_event(r, s, i, &n))) {
		put(write, ctx, i++ ? ",\n  " : "\n  ");
		write(ctx, e, n);
	}
	put(write, ctx, i ? "\n]" : "]");
}

void report_write_json(const struct report *r, report_write_fn write, void *ctx)
{
	char head[160];

	fmt_snprintf(head, sizeof(head), "{\"schema\": \"%s\", \"schema_version\": %u, \"run\": \"%s\", "
					 "\"events_dropped\": %u",
		     REPORT_SCHEMA, REPORT_SCHEMA_VERSION, r->run_name ? r->run_name : "", r->dropped);
	put(write, ctx, head);
	for (unsigned s = 0; s < NR_SECTIONS; s++)
		write_section(r, s, write, ctx);
	put(write, ctx, "\n}\n");
}
