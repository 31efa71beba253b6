// SPDX-License-Identifier: MIT
/* How the memory map types a firmware region (mm/regiontype.h). */
#include "mm/regiontype.h"

#include <string.h>

#include "lib/bits.h"
#include "mm/conflict.h"

struct scan {
	const struct addrmap *m;
	uint64_t base, last, covered;
	struct region_typing_result *out;
	int cls; /* enum fw_class of the ranges so far; -1 none */
	bool mixed, cut, spans, misaligned, offender;
};

static void count(void *ctx, const struct map_range *r)
{
	(*(unsigned *)ctx)++;
}

static void note_range(struct region_typing_result *out, const struct map_range *r)
{
	out->fw_index = r->index;
	out->fw_start = r->start;
	out->fw_last = r->last;
	out->fw_type = r->type;
	out->fw_attr = r->attr;
}

static void one(void *ctx, const struct map_range *r)
{
	struct scan *s = ctx;
	int cls = (int)fw_class_of(r->type, r->attr);
	unsigned windows = 0;
	bool cut = r->start < s->base || r->last > s->last;
	bool misaligned = (r->start > s->base && !IS_ALIGNED(r->start, SZ_256M)) ||
			  (r->last < s->last && !IS_ALIGNED(r->last + 1, SZ_256M));

	addrmap_overlaps(s->m, r->start, r->last, MAP_BIT(MAP_WINDOW), count, &windows);
	if (!s->out->nr_ranges++ || ((cut || windows > 1 || misaligned) && !s->offender))
		note_range(s->out, r);
	s->offender |= cut || windows > 1 || misaligned;
	s->cut |= cut;
	s->spans |= windows > 1;
	s->misaligned |= misaligned;
	s->mixed |= s->cls >= 0 && s->cls != cls;
	s->cls = cls;
	s->covered += (r->last < s->last ? r->last : s->last) - (r->start > s->base ? r->start : s->base) + 1;
}

enum region_typing region_typing_of(const struct addrmap *m, uint64_t base, uint64_t size,
				    struct region_typing_result *out)
{
	static const enum region_typing by_class[FW_CLASS_COUNT] = {
		[FW_CLASS_RAM] = RT_SYSTEM_RAM,
		[FW_CLASS_SOFT_RESERVED] = RT_SOFT_RESERVED,
		[FW_CLASS_PERSISTENT] = RT_PERSISTENT,
		[FW_CLASS_RESERVED] = RT_RESERVED,
	};
	struct scan s = { m, base, base + size - 1, 0, out, -1, false, false, false, false, false };

	memset(out, 0, sizeof(*out));
	out->fw_index = -1;
	addrmap_overlaps(m, base, base + size - 1, MAP_BIT(MAP_FIRMWARE), one, &s);
	if (!out->nr_ranges)
		out->typing = RT_ABSENT;
	else if (s.spans)
		out->typing = RT_SPANS_WINDOWS;
	else if (s.cut)
		out->typing = RT_CUT;
	else if (s.misaligned)
		out->typing = RT_MISALIGNED;
	else if (s.mixed || s.covered != size)
		out->typing = RT_MIXED;
	else
		out->typing = by_class[s.cls];
	return out->typing;
}

static const struct {
	const char *name, *linux_does;
	int severity;
} typings[RT_COUNT] = {
	[RT_SOFT_RESERVED] = { "soft_reserved",
			       "Soft Reserved, exactly the committed region: dax_hmem defers to the CXL driver, which "
			       "assembles firmware's region from the committed decoders and owns it. Consistent.",
			       0 },
	[RT_SYSTEM_RAM] = { "system_ram",
			    "Conventional memory without EFI_MEMORY_SP: Linux onlines it as System RAM at boot; the CXL "
			    "driver cannot manage it as a region (no hot-remove, no dax), and the kernel may put "
			    "anything on it.",
			    1 },
	[RT_PERSISTENT] = { "persistent",
			    "EfiPersistentMemory: the legacy pmem driver (nd_e820) claims it; the CXL region over the same "
			    "HPA cannot be created.",
			    1 },
	[RT_RESERVED] = { "reserved",
			  "Reserved: Linux leaves it alone and the CXL driver cannot create the region over the busy "
			  "range; the capacity is lost to the OS.",
			  1 },
	[RT_ABSENT] = { "absent",
			"Not in the memory map: the CXL driver assembles the region from the committed decoders and "
			"hands it to dax/kmem; nothing else claims it.",
			0 },
	[RT_CUT] = { "cut",
		     "A memory-map range crosses the region's boundary: insert_resource() fails with -EBUSY on the "
		     "partial overlap and the region cannot be created.",
		     2 },
	[RT_SPANS_WINDOWS] = { "spans_windows",
			       "A memory-map range spans two CFMWS windows: the second window's resource collides and "
			       "is dropped.",
			       2 },
	[RT_MISALIGNED] = { "misaligned",
			    "A memory-map range boundary inside the region is not 256 MiB aligned: Linux cannot split "
			    "the region's resource there, part of it stays with hmem or System RAM.",
			    2 },
	[RT_MIXED] = { "mixed",
		       "The region is described by ranges of several kinds, or only in part: each piece goes its own "
		       "way (System RAM, hmem, reserved) and the region cannot be created whole.",
		       2 },
};

const char *region_typing_name(enum region_typing t)
{
	return t < RT_COUNT ? typings[t].name : "unknown";
}

const char *region_typing_linux(enum region_typing t)
{
	return t < RT_COUNT ? typings[t].linux_does : "";
}

int region_typing_severity(enum region_typing t)
{
	return t < RT_COUNT ? typings[t].severity : 2;
}
