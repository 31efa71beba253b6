// SPDX-License-Identifier: MIT
/*
 * cxl-list.json: what cxlval programmed or found committed, printed the way
 * `cxl list -RDET` (cxl-cli, ndctl cxl/json.c and cxl/filter.c) prints what
 * Linux assembled, so a vendor diffs the two with the same jq filters. Same
 * object nesting ("endpoints" with "decoders:endpointN", "root decoders"
 * with "regions:decoder0.N", "port decoders"), same field names, and
 * integers where cxl-cli prints integers (it prints resource and size as
 * numbers unless given -u). Built from the report's events only; the schema
 * is docs/cxl-list.schema.json.
 */
#include <stdarg.h>
#include <string.h>

#include "lib/fmt.h"
#include "core/report.h"
#include "cxl/interleave.h"
#include "cxl/regs.h"

struct jw {
	report_write_fn write;
	void *ctx;
	unsigned depth;
	bool first[16]; /* per open container: no member written yet */
	bool wrap;     /* more than one kind of object: each in a named container */
};

static void put(struct jw *j, const char *s)
{
	j->write(j->ctx, s, strlen(s));
}

/* A new member of the innermost container: comma, newline and indent as cxl-cli's pretty printer. */
static void member(struct jw *j)
{
	static const char spaces[] = "                ";

	if (!j->first[j->depth])
		put(j, ",");
	j->first[j->depth] = false;
	put(j, "\n");
	j->write(j->ctx, spaces, 2 * j->depth < sizeof(spaces) - 1 ? 2 * j->depth : sizeof(spaces) - 1);
}

static void key(struct jw *j, const char *k)
{
	member(j);
	if (k) {
		put(j, "\"");
		put(j, k);
		put(j, "\":");
	}
}

static void open_c(struct jw *j, const char *k, const char *bracket)
{
	key(j, k);
	put(j, bracket);
	if (j->depth + 1 < sizeof(j->first))
		j->depth++;
	j->first[j->depth] = true;
}

static void close_c(struct jw *j, const char *bracket)
{
	bool empty = j->first[j->depth];

	j->depth--;
	if (!empty) {
		j->first[j->depth + 1] = true; /* the closing bracket starts a line of its own */
		put(j, "\n");
		for (unsigned i = 0; i < j->depth; i++)
			put(j, "  ");
	}
	put(j, bracket);
}

/* Names only: cxl-cli names (region0, decoder2.0, mem0, 0000:0c:00.0) never need escaping, but firmware may lie. */
static void str(struct jw *j, const char *k, const char *v)
{
	key(j, k);
	put(j, "\"");
	for (; *v; v++)
		if (*v >= 0x20 && *v < 0x7f && *v != '"' && *v != '\\')
			j->write(j->ctx, v, 1);
	put(j, "\"");
}

static void num(struct jw *j, const char *k, uint64_t v)
{
	char buf[24];

	fmt_snprintf(buf, sizeof(buf), "%llu", (unsigned long long)v);
	key(j, k);
	put(j, buf);
}

static void boolean(struct jw *j, const char *k)
{
	key(j, k);
	put(j, "true");
}

static uint64_t field_u64(const struct report *r, const char *section, unsigned i, const char *k)
{
	char v[REPORT_VALUE_MAX];

	report_get(r, section, i, k, v);
	return report_u64(v);
}

/* "decoder2.0" -> port id 2; UINT32_MAX when the name is not a decoder's. */
static unsigned decoder_port(const char *name)
{
	return strncmp(name, "decoder", 7) ? UINT32_MAX : (unsigned)report_u64(name + 7);
}

/* The topology.endpoint whose port is "endpointN" for decoderN.M, or -1. */
static int endpoint_of(const struct report *r, const char *decoder)
{
	char v[REPORT_VALUE_MAX];
	unsigned port = decoder_port(decoder);

	for (unsigned i = 0; report_get(r, "endpoints", i, "endpoint", v); i++)
		if (!strncmp(v, "endpoint", 8) && report_u64(v + 8) == port)
			return (int)i;
	return -1;
}

static bool region_committed(const struct report *r, const char *region)
{
	char msg[REPORT_VALUE_MAX];
	size_t n = strlen(region);

	/* region.committed says "regionN: ..." (docs/log.md). */
	for (unsigned i = 0; report_get(r, "regions_committed", i, "msg", msg); i++)
		if (!strncmp(msg, region, n) && msg[n] == ':')
			return true;
	return false;
}

/* A decoder that belongs to a region cxlval committed: its values are the programmed ones. */
static bool programmed(const struct report *r, const char *decoder, unsigned *index)
{
	char v[REPORT_VALUE_MAX], region[REPORT_VALUE_MAX];

	for (unsigned i = 0; report_get(r, "region_decoders", i, "decoder", v); i++) {
		report_get(r, "region_decoders", i, "region", region);
		if (!strcmp(v, decoder) && region_committed(r, region)) {
			*index = i;
			return true;
		}
	}
	return false;
}

static void ways_granularity(struct jw *j, uint64_t ways, uint64_t granularity)
{
	num(j, "interleave_ways", ways);
	if (ways > 1 && granularity) /* cxl-cli: "granularity is a don't care if not interleaving" */
		num(j, "interleave_granularity", granularity);
}

static void programmed_decoder(struct jw *j, const struct report *r, unsigned i)
{
	char v[REPORT_VALUE_MAX];

	report_get(r, "region_decoders", i, "decoder", v);
	str(j, "decoder", v);
	num(j, "resource", field_u64(r, "region_decoders", i, "resource"));
	num(j, "size", field_u64(r, "region_decoders", i, "size"));
	ways_granularity(j, field_u64(r, "region_decoders", i, "interleave_ways"),
			 field_u64(r, "region_decoders", i, "interleave_granularity"));
	report_get(r, "region_decoders", i, "region", v);
	str(j, "region", v);
}

static void firmware_decoder(struct jw *j, const struct report *r, unsigned i)
{
	char v[REPORT_VALUE_MAX];
	uint32_t control = (uint32_t)field_u64(r, "firmware_decoders", i, "control");
	int ways = ileave_eniw_to_ways(FIELD_GET(CXL_HDM_CTRL_IW, control));
	int granularity = ileave_ig_to_gran(FIELD_GET(CXL_HDM_CTRL_IG, control));

	report_get(r, "firmware_decoders", i, "decoder", v);
	str(j, "decoder", v);
	num(j, "resource", field_u64(r, "firmware_decoders", i, "resource"));
	num(j, "size", field_u64(r, "firmware_decoders", i, "size"));
	/* The ways and granularity its control register says; an encoding the spec does not define is left out. */
	if (ways > 0)
		ways_granularity(j, (unsigned)ways, granularity > 0 ? (unsigned)granularity : 0);
}

/* The decoders Linux would list at a port: cxlval's committed ones, else firmware's committed ones. */
struct dec {
	bool prog; /* index into region_decoders, else into firmware_decoders */
	unsigned i;
};

#define MAX_PORT_DECODERS 32

static unsigned port_decoders(const struct report *r, unsigned port, struct dec *out)
{
	char v[REPORT_VALUE_MAX], c[REPORT_VALUE_MAX];
	unsigned n = 0, pi;

	for (unsigned i = 0; n < MAX_PORT_DECODERS && report_get(r, "firmware_decoders", i, "decoder", v); i++) {
		if (decoder_port(v) != port)
			continue;
		report_get(r, "firmware_decoders", i, "committed", c);
		if (programmed(r, v, &pi))
			out[n++] = (struct dec){ true, pi };
		else if (!strcmp(c, "true") && field_u64(r, "firmware_decoders", i, "size"))
			out[n++] = (struct dec){ false, i };
	}
	return n;
}

/* Field k of the region.plan event of region name, "" when absent. */
static void region_field(const struct report *r, const char *region, const char *k, char *out)
{
	char v[REPORT_VALUE_MAX];

	out[0] = '\0';
	for (unsigned i = 0; report_get(r, "regions", i, "region", v); i++)
		if (!strcmp(v, region)) {
			report_get(r, "regions", i, k, out);
			return;
		}
}

static void endpoint_decoder(struct jw *j, const struct report *r, struct dec d)
{
	char region[REPORT_VALUE_MAX], mode[REPORT_VALUE_MAX];

	open_c(j, NULL, "{");
	if (!d.prog) {
		firmware_decoder(j, r, d.i);
		close_c(j, "}");
		return;
	}
	programmed_decoder(j, r, d.i);
	num(j, "dpa_resource", field_u64(r, "region_decoders", d.i, "dpa_resource"));
	num(j, "dpa_size", field_u64(r, "region_decoders", d.i, "dpa_size"));
	report_get(r, "region_decoders", d.i, "region", region);
	region_field(r, region, "mode", mode);
	if (mode[0])
		str(j, "mode", mode);
	close_c(j, "}");
}

/* "endpoint2" -> 2 */
static unsigned name_number(const char *name, const char *prefix)
{
	size_t n = strlen(prefix);

	return strncmp(name, prefix, n) ? UINT32_MAX : (unsigned)report_u64(name + n);
}

/*
 * cxl-cli puts each kind of object in a {"kind":[...]} container when more
 * than one kind is listed, and the objects straight into the top array when
 * only one is; an empty kind is left out (cxl/filter.c splice_array).
 */
static void begin_list(struct jw *j, const char *kind)
{
	if (j->wrap) {
		open_c(j, NULL, "{");
		open_c(j, kind, "[");
	}
}

static void end_list(struct jw *j)
{
	if (j->wrap) {
		close_c(j, "]");
		close_c(j, "}");
	}
}

static void endpoints(struct jw *j, const struct report *r)
{
	char v[REPORT_VALUE_MAX], name[48];
	struct dec d[MAX_PORT_DECODERS];

	if (!report_count(r, "endpoints"))
		return;
	begin_list(j, "endpoints");
	for (unsigned e = 0; report_get(r, "endpoints", e, "endpoint", v); e++) {
		unsigned n = port_decoders(r, name_number(v, "endpoint"), d);

		open_c(j, NULL, "{");
		str(j, "endpoint", v);
		fmt_snprintf(name, sizeof(name), "decoders:%s", v);
		report_get(r, "endpoints", e, "memdev", v);
		str(j, "host", v);
		num(j, "decoders_committed", n);
		if (n) {
			open_c(j, name, "[");
			for (unsigned k = 0; k < n; k++)
				endpoint_decoder(j, r, d[k]);
			close_c(j, "]");
		}
		close_c(j, "}");
	}
	end_list(j);
}

/* "port1" and a dport's port number -> its PCI name, from topology.dport (msg). */
static bool dport_name(const struct report *r, unsigned port, uint64_t number, char *out)
{
	char p[REPORT_VALUE_MAX];

	for (unsigned i = 0; report_get(r, "dports", i, "port", p); i++)
		if (name_number(p, "port") == port && field_u64(r, "dports", i, "port_number") == number)
			return report_get(r, "dports", i, "msg", out);
	return false;
}

/*
 * "0,1" -> what cxl-cli prints with -T: nr_targets, then each target's name
 * (omitted when unknown), position and id (the dport's port number, or the
 * host bridge UID at the root).
 */
static void targets(struct jw *j, const struct report *r, unsigned port, const char *list)
{
	char name[REPORT_VALUE_MAX];
	unsigned n = list[0] != '\0';

	for (const char *p = list; *p; p++)
		n += *p == ',';
	num(j, "nr_targets", n);
	if (!n)
		return;
	open_c(j, "targets", "[");
	for (unsigned pos = 0; *list; pos++) {
		uint64_t id = report_u64(list);

		open_c(j, NULL, "{");
		if (port != UINT32_MAX && dport_name(r, port, id, name))
			str(j, "target", name);
		num(j, "position", pos);
		num(j, "id", id);
		close_c(j, "}");
		while (*list && *list++ != ',')
			;
	}
	close_c(j, "]");
}

static void port_decoder(struct jw *j, const struct report *r, struct dec d)
{
	char v[REPORT_VALUE_MAX];

	open_c(j, NULL, "{");
	if (d.prog) {
		unsigned port;

		programmed_decoder(j, r, d.i);
		report_get(r, "region_decoders", d.i, "decoder", v);
		port = decoder_port(v);
		report_get(r, "region_decoders", d.i, "targets", v);
		targets(j, r, port, v);
	} else {
		firmware_decoder(j, r, d.i);
	}
	close_c(j, "}");
}

static unsigned nr_port_decoders(const struct report *r)
{
	char v[REPORT_VALUE_MAX];
	struct dec d[MAX_PORT_DECODERS];
	unsigned n = 0;

	for (unsigned p = 0; report_get(r, "ports", p, "port", v); p++)
		n += port_decoders(r, name_number(v, "port"), d);
	return n;
}

static void port_decoder_list(struct jw *j, const struct report *r)
{
	char v[REPORT_VALUE_MAX];
	struct dec d[MAX_PORT_DECODERS];

	if (!nr_port_decoders(r))
		return;
	begin_list(j, "port decoders");
	for (unsigned p = 0; report_get(r, "ports", p, "port", v); p++) {
		unsigned n = port_decoders(r, name_number(v, "port"), d);

		for (unsigned k = 0; k < n; k++)
			port_decoder(j, r, d[k]);
	}
	end_list(j);
}

static void mappings(struct jw *j, const struct report *r, const char *region)
{
	char v[REPORT_VALUE_MAX], dec[REPORT_VALUE_MAX];

	open_c(j, "mappings", "[");
	for (unsigned i = 0; report_get(r, "region_decoders", i, "region", v); i++) {
		int e;

		report_get(r, "region_decoders", i, "position", dec);
		if (strcmp(v, region) || !dec[0])
			continue; /* a port decoder: no position */
		open_c(j, NULL, "{");
		num(j, "position", report_u64(dec));
		report_get(r, "region_decoders", i, "decoder", dec);
		if ((e = endpoint_of(r, dec)) >= 0) {
			report_get(r, "endpoints", (unsigned)e, "memdev", v);
			str(j, "memdev", v);
		}
		str(j, "decoder", dec);
		close_c(j, "}");
	}
	close_c(j, "]");
}

static void region(struct jw *j, const struct report *r, unsigned i)
{
	char name[REPORT_VALUE_MAX], mode[REPORT_VALUE_MAX];

	report_get(r, "regions", i, "region", name);
	report_get(r, "regions", i, "mode", mode);
	open_c(j, NULL, "{");
	str(j, "region", name);
	num(j, "resource", field_u64(r, "regions", i, "resource"));
	num(j, "size", field_u64(r, "regions", i, "size"));
	if (mode[0])
		str(j, "type", mode);
	num(j, "interleave_ways", field_u64(r, "regions", i, "interleave_ways"));
	num(j, "interleave_granularity", field_u64(r, "regions", i, "interleave_granularity"));
	str(j, "decode_state", region_committed(r, name) ? "commit" : "reset");
	mappings(j, r, name);
	close_c(j, "}");
}

/* CFMWS Window Restrictions (CXL 3.1 9.18.1.3): bit 0 type 2, 1 type 3, 2 volatile, 3 persistent. */
#define CFMWS_TYPE2 0x1
#define CFMWS_TYPE3 0x2
#define CFMWS_VOLATILE 0x4
#define CFMWS_PMEM 0x8

/* Largest stretch of the window no region of ours holds: Linux's max_available_extent after the same regions. */
static uint64_t free_extent(const struct report *r, unsigned window, uint64_t base, uint64_t size)
{
	uint64_t best = 0, at = base, end = base + size;
	char v[REPORT_VALUE_MAX];

	for (unsigned i = 0; report_get(r, "regions", i, "window", v); i++) {
		uint64_t rs, re;

		if (report_u64(v) != window || !report_get(r, "regions", i, "resource", v) || !v[0])
			continue;
		rs = report_u64(v);
		re = rs + field_u64(r, "regions", i, "size");
		if (rs > at && rs - at > best)
			best = rs - at;
		if (re > at)
			at = re;
	}
	return end > at && end - at > best ? end - at : best;
}

static void root_decoder(struct jw *j, const struct report *r, unsigned cfmws, unsigned window)
{
	char v[REPORT_VALUE_MAX], name[48];
	uint64_t base = field_u64(r, "cfmws", cfmws, "resource"), size = field_u64(r, "cfmws", cfmws, "size");
	uint64_t restrictions = field_u64(r, "cfmws", cfmws, "restrictions");
	unsigned nr = 0;

	fmt_snprintf(name, sizeof(name), "decoder0.%u", window);
	open_c(j, NULL, "{");
	str(j, "decoder", name);
	num(j, "resource", base);
	num(j, "size", size);
	ways_granularity(j, field_u64(r, "cfmws", cfmws, "interleave_ways"),
			 field_u64(r, "cfmws", cfmws, "interleave_granularity"));
	if (restrictions & CFMWS_TYPE3) {
		num(j, "max_available_extent", free_extent(r, window, base, size));
		if (restrictions & CFMWS_PMEM)
			boolean(j, "pmem_capable");
		if (restrictions & CFMWS_VOLATILE)
			boolean(j, "volatile_capable");
	}
	if (restrictions & CFMWS_TYPE2)
		boolean(j, "accelmem_capable");
	num(j, "qos_class", field_u64(r, "cfmws", cfmws, "qtg_id"));
	report_get(r, "cfmws", cfmws, "targets", v);
	targets(j, r, UINT32_MAX, v);
	for (unsigned i = 0; report_get(r, "regions", i, "window", v); i++) {
		char region_name[REPORT_VALUE_MAX];

		report_get(r, "regions", i, "region", region_name);
		if (report_u64(v) != window || !region_name[0])
			continue;
		if (!nr++) {
			fmt_snprintf(name, sizeof(name), "regions:decoder0.%u", window);
			open_c(j, name, "[");
		}
		region(j, r, i);
	}
	if (nr)
		close_c(j, "]");
	close_c(j, "}");
}

static unsigned nr_root_decoders(const struct report *r)
{
	char v[REPORT_VALUE_MAX];
	unsigned n = 0;

	for (unsigned i = 0; report_get(r, "cfmws", i, "valid", v); i++)
		n += !strcmp(v, "true");
	return n;
}

/* Root decoders: one per valid CFMWS, numbered like Linux's cxl_acpi does, in CEDT order. */
static void root_decoders(struct jw *j, const struct report *r)
{
	char v[REPORT_VALUE_MAX];

	if (!nr_root_decoders(r))
		return;
	begin_list(j, "root decoders");
	for (unsigned i = 0, w = 0; report_get(r, "cfmws", i, "valid", v); i++)
		if (!strcmp(v, "true"))
			root_decoder(j, r, i, w++);
	end_list(j);
}

void report_write_cxl_list(const struct report *r, report_write_fn write, void *ctx)
{
	struct jw j = { write, ctx, 1, { true, true }, false };
	unsigned kinds = (report_count(r, "endpoints") > 0) + (nr_root_decoders(r) > 0) + (nr_port_decoders(r) > 0);

	j.wrap = kinds > 1;
	put(&j, "[");
	endpoints(&j, r);
	root_decoders(&j, r);
	port_decoder_list(&j, r);
	close_c(&j, "]");
	put(&j, "\n");
}
