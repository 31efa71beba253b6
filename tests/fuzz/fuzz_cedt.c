// SPDX-License-Identifier: MIT
/*
 * libFuzzer: the CEDT parser on arbitrary bytes. After the parse, whatever
 * the input, what the parser calls valid must be what CXL 3.1 §9.18 and
 * cxl_acpi's cfmws_verify allow, read back from the raw bytes:
 *  - every structure it kept lies inside the table and the input;
 *  - a valid CHBS: version 0 or 1, length 8 KiB / 64 KiB to match, base
 *    non-zero and aligned to it, its UID not used by another valid CHBS;
 *  - a valid CFMWS: ENIW one of 0-4, 8-10, HBIG <= 6, arithmetic 0 or 1,
 *    length 36 + 4 x ways, base and size 256 MiB aligned, size a non-zero
 *    multiple of 256 MiB x ways that does not wrap, distinct targets that
 *    each have a valid CHBS, an XOR window's CXIMS with log2 of its
 *    power-of-2 ways maps; no two valid windows overlap;
 *  - a valid CXIMS: at most 4 maps, length 8 + 8 x maps, its HBIG unique;
 *  - every finding names a rule and an offset inside the input.
 */
#include <stddef.h>
#include <stdint.h>

#include "acpi/cedt.h"
#include "fuzz/fuzz_invariant.h"
#include "unit/support/ref_interleave.h"

#define SZ_256M (256ULL << 20)

static const uint8_t *in;
static size_t walk_end; /* what the parser may walk: the header's Length, or less */

/* The raw structure of a kept entry, with its type and length checked against the input. */
static const uint8_t *raw(const struct cedt_where *at, uint8_t type, size_t min_len)
{
	const uint8_t *p;

	FUZZ_REQUIRE(at->offset >= 36 && at->offset + 4 <= walk_end, "structure at 0x%x outside the table",
		     at->offset);
	p = in + at->offset;
	FUZZ_REQUIRE(p[0] == type, "structure at 0x%x has type %u, kept as %u", at->offset, p[0], type);
	FUZZ_REQUIRE(fz_le16(p + 2) >= min_len && at->offset + fz_le16(p + 2) <= walk_end,
		     "structure at 0x%x: length %u runs past the table", at->offset, fz_le16(p + 2));
	return p;
}

static bool valid_chbs_uid(const struct cedt *c, uint32_t uid)
{
	for (unsigned i = 0; i < c->nr_chbs; i++)
		if (c->chbs[i].at.valid && c->chbs[i].uid == uid)
			return true;
	return false;
}

static void check_chbs(const struct cedt *c, unsigned i)
{
	const struct cedt_chbs *h = &c->chbs[i];
	const uint8_t *p = raw(&h->at, 0, 32);
	uint64_t want;

	FUZZ_REQUIRE(h->uid == fz_le32(p + 4) && h->version == fz_le32(p + 8) && h->base == fz_le64(p + 16) &&
			     h->length == fz_le64(p + 24),
		     "CHBS at 0x%x does not hold what its bytes say", h->at.offset);
	if (!h->at.valid)
		return;
	FUZZ_REQUIRE(h->version <= 1, "valid CHBS with version %u", h->version);
	want = h->version ? 0x10000 : 0x2000;
	FUZZ_REQUIRE(h->length == want && h->base && h->base % want == 0,
		     "valid CHBS version %u base 0x%llx length 0x%llx", h->version, (unsigned long long)h->base,
		     (unsigned long long)h->length);
	for (unsigned j = 0; j < i; j++)
		FUZZ_REQUIRE(!c->chbs[j].at.valid || c->chbs[j].uid != h->uid, "two valid CHBS with UID %u", h->uid);
}

static void check_cxims(const struct cedt *c, unsigned i)
{
	const struct cedt_cxims *x = &c->cxims[i];
	const uint8_t *p = raw(&x->at, 2, 8);

	if (!x->at.valid)
		return;
	FUZZ_REQUIRE(x->nr_xormaps <= 4 && x->nr_xormaps == p[7] && x->hbig == p[6] &&
			     fz_le16(p + 2) == 8 + 8 * x->nr_xormaps,
		     "valid CXIMS at 0x%x: %u maps, length %u", x->at.offset, x->nr_xormaps, fz_le16(p + 2));
	for (unsigned m = 0; m < x->nr_xormaps; m++)
		FUZZ_REQUIRE(x->xormap[m] == fz_le64(p + 8 + 8 * m), "CXIMS map %u is not its bytes", m);
	for (unsigned j = 0; j < i; j++)
		FUZZ_REQUIRE(!c->cxims[j].at.valid || c->cxims[j].hbig != x->hbig, "two valid CXIMS for HBIG %u",
			     x->hbig);
}

/* log2 of the power-of-2 factor of the ways: the XORMAPs an XOR window needs. */
static unsigned maps_needed(unsigned ways)
{
	unsigned n = 0;

	for (; ways % 2 == 0; ways /= 2)
		n++;
	return n;
}

static void check_xor(const struct cedt *c, const struct cedt_cfmws *w)
{
	unsigned need = maps_needed(w->ways);

	if (w->arithmetic != 1 || !need)
		return;
	for (unsigned i = 0; i < c->nr_cxims; i++)
		if (c->cxims[i].at.valid && c->cxims[i].hbig == w->hbig) {
			FUZZ_REQUIRE(c->cxims[i].nr_xormaps == need, "valid XOR window of %u ways with a %u-map CXIMS",
				     w->ways, c->cxims[i].nr_xormaps);
			return;
		}
	fuzz_broken("valid XOR window of %u ways, HBIG %u, without a CXIMS", w->ways, w->hbig);
}

static void check_cfmws(const struct cedt *c, unsigned i)
{
	const struct cedt_cfmws *w = &c->cfmws[i];
	const uint8_t *p = raw(&w->at, 1, 40);
	unsigned ways = ref_ways(p[24]);

	FUZZ_REQUIRE(w->base == fz_le64(p + 8) && w->size == fz_le64(p + 16) && w->eniw == p[24] &&
			     w->arithmetic == p[25] && w->hbig == fz_le32(p + 28) && w->restrictions == fz_le16(p + 32),
		     "CFMWS at 0x%x does not hold what its bytes say", w->at.offset);
	FUZZ_REQUIRE(w->ways == ways, "ENIW %u read as %u ways", w->eniw, w->ways);
	for (unsigned t = 0; t < w->nr_targets; t++)
		FUZZ_REQUIRE(36 + 4 * t + 4 <= fz_le16(p + 2) && w->target_uid[t] == fz_le32(p + 36 + 4 * t),
			     "CFMWS target %u is not its bytes", t);
	if (!w->at.valid)
		return;
	FUZZ_REQUIRE(ways && w->nr_targets == ways && fz_le16(p + 2) == 36 + 4 * ways,
		     "valid CFMWS: ENIW %u, %u targets, length %u", w->eniw, w->nr_targets, fz_le16(p + 2));
	FUZZ_REQUIRE(w->hbig <= 6 && w->granularity == 256ULL << w->hbig && w->arithmetic <= 1,
		     "valid CFMWS: HBIG %u granularity %llu arithmetic %u", w->hbig,
		     (unsigned long long)w->granularity, w->arithmetic);
	FUZZ_REQUIRE(w->base % SZ_256M == 0 && w->size && w->size % (SZ_256M * ways) == 0 &&
			     w->base + w->size > w->base,
		     "valid CFMWS [0x%llx, +0x%llx) for %u ways", (unsigned long long)w->base,
		     (unsigned long long)w->size, ways);
	for (unsigned t = 0; t < ways; t++) {
		FUZZ_REQUIRE(valid_chbs_uid(c, w->target_uid[t]), "valid CFMWS target %u, UID %u, has no CHBS", t,
			     w->target_uid[t]);
		for (unsigned u = 0; u < t; u++)
			FUZZ_REQUIRE(w->target_uid[u] != w->target_uid[t], "valid CFMWS names UID %u twice",
				     w->target_uid[t]);
	}
	check_xor(c, w);
	for (unsigned j = 0; j < i; j++) {
		const struct cedt_cfmws *o = &c->cfmws[j];

		FUZZ_REQUIRE(!o->at.valid || o->base >= w->base + w->size || w->base >= o->base + o->size,
			     "valid windows [0x%llx, +0x%llx) and [0x%llx, +0x%llx) overlap",
			     (unsigned long long)o->base, (unsigned long long)o->size, (unsigned long long)w->base,
			     (unsigned long long)w->size);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct cedt c;
	struct fuzz_findings f = { size, true, false, false, 0 };
	struct diag_sink sink = fuzz_sink(&f);

	if (cedt_parse(data, size, &c, &sink))
		return 0;
	in = data;
	walk_end = c.length >= 36 && c.length <= size ? c.length : size;
	FUZZ_REQUIRE(c.nr_chbs <= CEDT_MAX_CHBS && c.nr_cfmws <= CEDT_MAX_CFMWS && c.nr_cxims <= CEDT_MAX_CXIMS &&
			     c.nr_rdpas <= CEDT_MAX_RDPAS && c.nr_chbs + c.nr_cfmws + c.nr_cxims + c.nr_rdpas <= c.nr_structures,
		     "more structures kept than walked");
	for (unsigned i = 0; i < c.nr_chbs; i++)
		check_chbs(&c, i);
	for (unsigned i = 0; i < c.nr_cxims; i++)
		check_cxims(&c, i);
	for (unsigned i = 0; i < c.nr_cfmws; i++)
		check_cfmws(&c, i);
	return 0;
}
