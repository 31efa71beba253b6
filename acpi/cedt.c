// SPDX-License-Identifier: MIT
/*
 * CEDT parser. Rules follow CXL 3.1 §9.18 and what Linux's cxl_acpi checks
 * (cfmws_verify), plus the cross-structure rules a validator must add:
 * every target has a host bridge, XOR windows have their CXIMS, windows
 * do not overlap. A broken structure is reported and dropped; the walk
 * goes on as long as structure lengths can still be trusted.
 */
#include "acpi/cedt.h"

#include <string.h>

#include "acpi/acpi.h"

struct walk {
	const uint8_t *t;
	struct cedt *out;
	struct diag_sink *sink;
	int index;	/* current structure */
	uint32_t off;	/* of the current structure */
	const char *st; /* its name */
};

static void finding(struct walk *w, enum diag_severity sev, const char *field, uint32_t field_off,
		    const char *rule, const char *fmt, ...) __attribute__((format(printf, 6, 7)));
static void finding(struct walk *w, enum diag_severity sev, const char *field, uint32_t field_off,
		    const char *rule, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_vreport(w->sink, sev, "CEDT", w->index, w->st, field,
		     field_off == DIAG_NO_OFFSET ? DIAG_NO_OFFSET : w->off + field_off, rule, fmt, ap);
	va_end(ap);
}

static bool ranges_overlap(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	return a < b + blen && b < a + alen;
}

static void parse_chbs(struct walk *w, const uint8_t *p, struct cedt_chbs *c)
{
	bool ok = true;

	c->uid = get_le32(p + CHBS_UID);
	c->version = get_le32(p + CHBS_VERSION);
	c->base = get_le64(p + CHBS_BASE);
	c->length = get_le64(p + CHBS_LENGTH);
	if (get_le32(p + CHBS_RESERVED) || p[1])
		finding(w, DIAG_WARN, "Reserved", CHBS_RESERVED, "chbs.reserved", "reserved bytes are not zero");
	if (c->version > CHBS_VERSION_CHBCR) {
		finding(w, DIAG_ERROR, "CXL Version", CHBS_VERSION, "chbs.version",
			"version %u is neither 0 (RCH) nor 1 (CHBCR)", c->version);
		ok = false;
	} else {
		uint64_t want = c->version == CHBS_VERSION_RCH ? CHBS_RCRB_LEN : CHBS_CHBCR_LEN;

		if (c->length != want) {
			finding(w, DIAG_ERROR, "Length", CHBS_LENGTH, "chbs.length",
				"length 0x%llx, version %u requires 0x%llx", (unsigned long long)c->length,
				c->version, (unsigned long long)want);
			ok = false;
		}
		if (c->base & (want - 1)) {
			finding(w, DIAG_ERROR, "Base", CHBS_BASE, "chbs.base_align",
				"base 0x%llx is not aligned to 0x%llx", (unsigned long long)c->base,
				(unsigned long long)want);
			ok = false;
		}
	}
	if (!c->base) {
		finding(w, DIAG_ERROR, "Base", CHBS_BASE, "chbs.base_zero", "base is 0");
		ok = false;
	}
	for (unsigned i = 0; i < w->out->nr_chbs; i++)
		if (w->out->chbs[i].uid == c->uid && w->out->chbs[i].at.valid) {
			finding(w, DIAG_ERROR, "UID", CHBS_UID, "chbs.duplicate_uid",
				"UID %u is already used by CEDT[%d]", c->uid, w->out->chbs[i].at.index);
			ok = false;
		}
	c->at.valid = ok;
}

/*
 * CFMWS ENIW (CXL 3.1 §9.18.1.3): how many targets the structure lists, so the
 * parser needs it for the length check. The HDM decoder's IW field uses the
 * same encoding; cxl/interleave.c decodes that one through this table too.
 */
static const uint8_t eniw_ways[CFMWS_MAX_ENIW + 1] = {
	[0] = 1, [1] = 2, [2] = 4, [3] = 8, [4] = 16, [8] = 3, [9] = 6, [10] = 12,
};

unsigned cfmws_eniw_to_ways(unsigned eniw)
{
	return eniw < sizeof(eniw_ways) ? eniw_ways[eniw] : 0;
}

static bool cfmws_check_geometry(struct walk *w, struct cedt_cfmws *c)
{
	bool ok = true;

	if (!c->ways) {
		finding(w, DIAG_ERROR, "ENIW", CFMWS_ENIW, "cfmws.eniw",
			"value %u is not a valid encoding (0-4, 8-10)", c->eniw);
		ok = false;
	}
	if (c->hbig > CFMWS_MAX_HBIG) {
		finding(w, DIAG_ERROR, "HBIG", CFMWS_HBIG, "cfmws.hbig",
			"value %u is above 6 (granularity 256 B to 16 KiB)", c->hbig);
		ok = false;
	}
	if (c->arithmetic > CFMWS_ARITH_XOR) {
		finding(w, DIAG_ERROR, "Interleave Arithmetic", CFMWS_ARITH, "cfmws.arithmetic",
			"value %u is neither 0 (modulo) nor 1 (XOR)", c->arithmetic);
		ok = false;
	}
	if (c->base & (CFMWS_ALIGN - 1)) {
		finding(w, DIAG_ERROR, "Base HPA", CFMWS_BASE, "cfmws.base_align",
			"base 0x%llx is not 256 MiB aligned", (unsigned long long)c->base);
		ok = false;
	}
	if (!c->size || c->size & (CFMWS_ALIGN - 1)) {
		finding(w, DIAG_ERROR, "Window Size", CFMWS_SIZE, "cfmws.size_align",
			"size 0x%llx is not a non-zero multiple of 256 MiB", (unsigned long long)c->size);
		ok = false;
	} else if (c->ways && c->size % (CFMWS_ALIGN * c->ways)) {
		finding(w, DIAG_ERROR, "Window Size", CFMWS_SIZE, "cfmws.size_ways",
			"size 0x%llx is not a multiple of 256 MiB x %u ways", (unsigned long long)c->size,
			c->ways);
		ok = false;
	}
	if (c->base + c->size < c->base) {
		finding(w, DIAG_ERROR, "Window Size", CFMWS_SIZE, "cfmws.overflow",
			"base 0x%llx + size 0x%llx wraps past 2^64", (unsigned long long)c->base,
			(unsigned long long)c->size);
		ok = false;
	}
	return ok;
}

static void parse_cfmws(struct walk *w, const uint8_t *p, uint16_t len, struct cedt_cfmws *c)
{
	bool ok;
	unsigned room = (len - CFMWS_TARGETS) / 4;

	c->base = get_le64(p + CFMWS_BASE);
	c->size = get_le64(p + CFMWS_SIZE);
	c->eniw = p[CFMWS_ENIW];
	c->arithmetic = p[CFMWS_ARITH];
	c->ways = cfmws_eniw_to_ways(c->eniw);
	c->hbig = get_le32(p + CFMWS_HBIG);
	c->granularity = c->hbig <= CFMWS_MAX_HBIG ? 256ULL << c->hbig : 0;
	c->restrictions = get_le16(p + CFMWS_RESTRICTIONS);
	c->qtg_id = get_le16(p + CFMWS_QTG_ID);
	ok = cfmws_check_geometry(w, c);
	if (get_le32(p + CFMWS_RESERVED1) || get_le16(p + CFMWS_RESERVED2))
		finding(w, DIAG_WARN, "Reserved", CFMWS_RESERVED1, "cfmws.reserved", "reserved bytes are not zero");
	if (c->ways && len != CFMWS_TARGETS + 4 * c->ways) {
		finding(w, DIAG_ERROR, "Length", CEDT_ST_LENGTH, "cfmws.length",
			"length %u, %u ways require %u", len, c->ways, CFMWS_TARGETS + 4 * c->ways);
		ok = false;
	}
	c->nr_targets = c->ways && c->ways < room ? c->ways : room;
	if (c->nr_targets > CEDT_MAX_TARGETS)
		c->nr_targets = CEDT_MAX_TARGETS;
	for (unsigned i = 0; i < c->nr_targets; i++) {
		c->target_uid[i] = get_le32(p + CFMWS_TARGETS + 4 * i);
		for (unsigned j = 0; j < i; j++)
			if (c->target_uid[j] == c->target_uid[i]) {
				finding(w, DIAG_ERROR, "Interleave Target List", CFMWS_TARGETS + 4 * i,
					"cfmws.duplicate_target", "target %u repeats UID %u of target %u", i,
					c->target_uid[i], j);
				ok = false;
			}
	}
	if (!(c->restrictions & (CFMWS_RESTRICT_TYPE2 | CFMWS_RESTRICT_TYPE3)))
		finding(w, DIAG_WARN, "Window Restrictions", CFMWS_RESTRICTIONS, "cfmws.no_device_type",
			"restrictions 0x%x allow neither type 2 nor type 3 devices: the window is unusable",
			c->restrictions);
	if (!(c->restrictions & (CFMWS_RESTRICT_VOLATILE | CFMWS_RESTRICT_PMEM)))
		finding(w, DIAG_WARN, "Window Restrictions", CFMWS_RESTRICTIONS, "cfmws.no_memory_type",
			"restrictions 0x%x allow neither volatile nor persistent memory", c->restrictions);
	c->at.valid = ok;
}

static void parse_cxims(struct walk *w, const uint8_t *p, uint16_t len, struct cedt_cxims *c)
{
	bool ok = true;

	c->hbig = p[CXIMS_HBIG];
	c->nr_xormaps = p[CXIMS_NR_XORMAPS];
	if (c->nr_xormaps > CXIMS_MAX_XORMAPS) {
		finding(w, DIAG_ERROR, "NIB", CXIMS_NR_XORMAPS, "cxims.nr_xormaps",
			"%u XORMAPs, at most %u are defined", c->nr_xormaps, CXIMS_MAX_XORMAPS);
		ok = false;
	} else if (len != CXIMS_XORMAPS + 8 * c->nr_xormaps) {
		finding(w, DIAG_ERROR, "Length", CEDT_ST_LENGTH, "cxims.length",
			"length %u, %u XORMAPs require %u", len, c->nr_xormaps, CXIMS_XORMAPS + 8 * c->nr_xormaps);
		ok = false;
	} else {
		for (unsigned i = 0; i < c->nr_xormaps; i++)
			c->xormap[i] = get_le64(p + CXIMS_XORMAPS + 8 * i);
	}
	for (unsigned i = 0; i < w->out->nr_cxims; i++)
		if (w->out->cxims[i].at.valid && w->out->cxims[i].hbig == c->hbig) {
			finding(w, DIAG_ERROR, "HBIG", CXIMS_HBIG, "cxims.duplicate_hbig",
				"HBIG %u is already described by CEDT[%d]", c->hbig, w->out->cxims[i].at.index);
			ok = false;
		}
	c->at.valid = ok;
}

static void parse_rdpas(struct walk *w, const uint8_t *p, struct cedt_rdpas *r)
{
	r->segment = get_le16(p + RDPAS_SEGMENT);
	r->bdf = get_le16(p + RDPAS_BDF);
	r->protocol = p[RDPAS_PROTOCOL];
	r->address = get_le64(p + RDPAS_ADDRESS);
	r->at.valid = true;
}

struct st_kind {
	const char *name;
	uint16_t min_len;
	unsigned max;
};

static const struct st_kind kinds[] = {
	[CEDT_TYPE_CHBS] = { "CHBS", CHBS_SIZE, CEDT_MAX_CHBS },
	[CEDT_TYPE_CFMWS] = { "CFMWS", CFMWS_TARGETS + 4, CEDT_MAX_CFMWS },
	[CEDT_TYPE_CXIMS] = { "CXIMS", CXIMS_XORMAPS, CEDT_MAX_CXIMS },
	[CEDT_TYPE_RDPAS] = { "RDPAS", RDPAS_SIZE, CEDT_MAX_RDPAS },
};

static unsigned *kind_count(struct cedt *c, uint8_t type)
{
	unsigned *counts[] = { &c->nr_chbs, &c->nr_cfmws, &c->nr_cxims, &c->nr_rdpas };

	return counts[type];
}

static void parse_one(struct walk *w, const uint8_t *p, uint8_t type, uint16_t len)
{
	struct cedt *c = w->out;
	struct cedt_where at = { w->index, w->off, false };

	switch (type) {
	case CEDT_TYPE_CHBS:
		c->chbs[c->nr_chbs].at = at;
		parse_chbs(w, p, &c->chbs[c->nr_chbs]);
		break;
	case CEDT_TYPE_CFMWS:
		c->cfmws[c->nr_cfmws].at = at;
		parse_cfmws(w, p, len, &c->cfmws[c->nr_cfmws]);
		break;
	case CEDT_TYPE_CXIMS:
		c->cxims[c->nr_cxims].at = at;
		parse_cxims(w, p, len, &c->cxims[c->nr_cxims]);
		break;
	case CEDT_TYPE_RDPAS:
		c->rdpas[c->nr_rdpas].at = at;
		parse_rdpas(w, p, &c->rdpas[c->nr_rdpas]);
		break;
	}
	(*kind_count(c, type))++;
}

/* Walks the structures; false when a length cannot be trusted and the walk must stop. */
static bool walk_structure(struct walk *w, uint32_t end)
{
	const uint8_t *p = w->t + w->off;
	uint8_t type;
	uint16_t len;

	w->st = NULL;
	if (w->off + CEDT_ST_HDR_SIZE > end) {
		finding(w, DIAG_ERROR, "Length", 0, "cedt.st_truncated",
			"%u bytes left at the end of the table, too few for a structure header", end - w->off);
		return false;
	}
	type = p[CEDT_ST_TYPE];
	len = get_le16(p + CEDT_ST_LENGTH);
	w->st = type < sizeof(kinds) / sizeof(kinds[0]) ? kinds[type].name : NULL;
	if (len == 0) {
		finding(w, DIAG_FATAL, "Length", CEDT_ST_LENGTH, "cedt.st_len_zero",
			"structure length is 0: the rest of the table cannot be walked");
		return false;
	}
	if (w->off + len > end) {
		finding(w, DIAG_ERROR, "Length", CEDT_ST_LENGTH, "cedt.st_past_end",
			"structure length %u runs %u bytes past the end of the table", len, w->off + len - end);
		return false;
	}
	if (!w->st) {
		finding(w, DIAG_INFO, "Type", CEDT_ST_TYPE, "cedt.st_unknown_type",
			"structure type %u is not known; skipped", type);
	} else if (len < kinds[type].min_len) {
		finding(w, DIAG_ERROR, "Length", CEDT_ST_LENGTH, "cedt.st_too_short",
			"length %u is below the %u bytes a %s needs", len, kinds[type].min_len, w->st);
	} else if (*kind_count(w->out, type) >= kinds[type].max) {
		finding(w, DIAG_WARN, NULL, DIAG_NO_OFFSET, "cedt.too_many",
			"more than %u %s structures; this one is not used", kinds[type].max, w->st);
	} else {
		parse_one(w, p, type, len);
	}
	w->off += len;
	w->index++;
	return true;
}

static void check_targets(struct walk *w, struct cedt_cfmws *c)
{
	for (unsigned i = 0; i < c->nr_targets; i++)
		if (!cedt_chbs_by_uid(w->out, c->target_uid[i])) {
			finding(w, DIAG_ERROR, "Interleave Target List", CFMWS_TARGETS + 4 * i,
				"cfmws.target_without_chbs", "target %u is UID %u, which no valid CHBS describes",
				i, c->target_uid[i]);
			c->at.valid = false;
		}
	if (c->at.valid && c->arithmetic == CFMWS_ARITH_XOR) {
		const struct cedt_cxims *x = cedt_cxims_for(w->out, c);
		unsigned pow2 = c->ways % 3 ? c->ways : c->ways / 3, bits = 0;

		while ((1u << bits) < pow2)
			bits++;
		if (!x && bits) {
			finding(w, DIAG_ERROR, "Interleave Arithmetic", CFMWS_ARITH, "cfmws.xor_without_cxims",
				"XOR window with HBIG %u has no CXIMS for that HBIG", c->hbig);
			c->at.valid = false;
		} else if (x && x->nr_xormaps != bits) {
			finding(w, DIAG_ERROR, "Interleave Arithmetic", CFMWS_ARITH, "cfmws.xor_maps",
				"%u ways need %u XORMAPs, CEDT[%d] CXIMS has %u", c->ways, bits, x->at.index,
				x->nr_xormaps);
			c->at.valid = false;
		}
	}
}

/* Rules that need the whole table: targets, XOR maps, overlaps. Order in the table does not matter. */
static void check_cross(struct walk *w)
{
	struct cedt *out = w->out;

	for (unsigned i = 0; i < out->nr_cfmws; i++) {
		struct cedt_cfmws *c = &out->cfmws[i];

		w->index = c->at.index;
		w->off = c->at.offset;
		w->st = "CFMWS";
		if (!c->at.valid)
			continue;
		check_targets(w, c);
		for (unsigned j = 0; j < i && c->at.valid; j++) {
			const struct cedt_cfmws *o = &out->cfmws[j];

			if (o->at.valid && ranges_overlap(c->base, c->size, o->base, o->size)) {
				finding(w, DIAG_ERROR, "Base HPA", CFMWS_BASE, "cfmws.overlap",
					"window 0x%llx-0x%llx overlaps CEDT[%d] window 0x%llx-0x%llx",
					(unsigned long long)c->base, (unsigned long long)(c->base + c->size - 1),
					o->at.index, (unsigned long long)o->base,
					(unsigned long long)(o->base + o->size - 1));
				c->at.valid = false;
			}
		}
	}
}

int cedt_parse(const void *table, size_t len, struct cedt *out, struct diag_sink *sink)
{
	struct walk w = { table, out, sink, DIAG_NO_INDEX, 0, NULL };
	uint32_t end;

	memset(out, 0, sizeof(*out));
	if (len < ACPI_HDR_SIZE || memcmp(table, "CEDT", 4)) {
		finding(&w, DIAG_FATAL, "Signature", 0, "cedt.signature", "not a CEDT (or shorter than a header)");
		return -1;
	}
	out->length = get_le32(w.t + ACPI_HDR_LENGTH);
	end = out->length;
	if (out->length < ACPI_HDR_SIZE || out->length > len) {
		finding(&w, DIAG_ERROR, "Length", ACPI_HDR_LENGTH, "cedt.length",
			"header Length %u, but %zu bytes are readable; walking those", out->length, len);
		end = (uint32_t)len;
	}
	out->checksum_ok = out->length <= len && acpi_checksum_ok(table, out->length);
	if (!out->checksum_ok)
		finding(&w, DIAG_ERROR, "Checksum", ACPI_HDR_CHECKSUM, "cedt.checksum",
			"checksum does not sum to 0; the structures are parsed anyway");
	w.index = 0;
	w.off = ACPI_HDR_SIZE;
	while (w.off < end)
		if (!walk_structure(&w, end)) {
			out->truncated = true;
			break;
		}
	out->nr_structures = (unsigned)w.index;
	check_cross(&w);
	return 0;
}

const struct cedt_chbs *cedt_chbs_by_uid(const struct cedt *c, uint32_t uid)
{
	for (unsigned i = 0; i < c->nr_chbs; i++)
		if (c->chbs[i].at.valid && c->chbs[i].uid == uid)
			return &c->chbs[i];
	return NULL;
}

const struct cedt_cxims *cedt_cxims_for(const struct cedt *c, const struct cedt_cfmws *w)
{
	for (unsigned i = 0; i < c->nr_cxims; i++)
		if (c->cxims[i].at.valid && c->cxims[i].hbig == w->hbig)
			return &c->cxims[i];
	return NULL;
}
