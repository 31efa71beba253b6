// SPDX-License-Identifier: MIT
/*
 * libFuzzer: the MCFG parser and ECAM address lookups on arbitrary bytes.
 * After the parse, whatever the input (PCI Firmware 3.3 §4.1.2):
 *  - every entry is the 16 bytes at 44 + 16 i, inside the table and input;
 *  - a valid entry has a non-zero, 1 MiB aligned base and start <= end bus,
 *    and no two valid entries of one segment share a bus;
 *  - an ECAM lookup (buses 0, 255 and either side of every entry's ends)
 *    succeeds exactly when a valid entry covers the segment and bus, and
 *    gives base + bus << 20 | dev << 15 | fn << 12 | offset, inside that
 *    entry's ECAM range;
 *  - every finding names a rule and an offset inside the input.
 */
#include <stddef.h>
#include <stdint.h>

#include "acpi/mcfg.h"
#include "fuzz/fuzz_invariant.h"

static void check_entry(const uint8_t *data, size_t size, const struct mcfg *m, unsigned i)
{
	const struct mcfg_entry *e = &m->entry[i];
	const uint8_t *p;

	FUZZ_REQUIRE(e->index == (int)i && e->offset == 44 + 16 * i && e->offset + 16 <= size,
		     "entry %u at offset 0x%x of a %zu-byte input", i, e->offset, size);
	p = data + e->offset;
	FUZZ_REQUIRE(e->base == fz_le64(p) && e->segment == fz_le16(p + 8) && e->start_bus == p[10] &&
			     e->end_bus == p[11],
		     "entry %u does not hold what its bytes say", i);
	if (!e->valid)
		return;
	FUZZ_REQUIRE(e->base && e->base % (1ULL << 20) == 0 && e->start_bus <= e->end_bus,
		     "valid entry %u: base 0x%llx buses %u-%u", i, (unsigned long long)e->base, e->start_bus,
		     e->end_bus);
	for (unsigned j = 0; j < i; j++) {
		const struct mcfg_entry *o = &m->entry[j];

		FUZZ_REQUIRE(!o->valid || o->segment != e->segment || o->end_bus < e->start_bus ||
				     e->end_bus < o->start_bus,
			     "valid entries %u and %u share segment %u buses", j, i, e->segment);
	}
}

/* The valid entry covering seg:bus, found here without the parser's lookup. */
static const struct mcfg_entry *covering(const struct mcfg *m, uint16_t seg, unsigned bus)
{
	for (unsigned i = 0; i < m->count; i++)
		if (m->entry[i].valid && m->entry[i].segment == seg && bus >= m->entry[i].start_bus &&
		    bus <= m->entry[i].end_bus)
			return &m->entry[i];
	return NULL;
}

static void check_lookup(const struct mcfg *m, uint16_t seg, unsigned bus, uint8_t dev, uint8_t fn, uint16_t off)
{
	if (bus < 256) {
		const struct mcfg_entry *e = covering(m, seg, bus);
		uint64_t a = 0, want, lo;
		bool found = mcfg_ecam_address(m, seg, (uint8_t)bus, dev, fn, off, &a);

		FUZZ_REQUIRE(found == (e != NULL), "segment %u bus %u: lookup %s, a valid entry %s", seg, bus,
			     found ? "found" : "failed", e ? "covers it" : "does not");
		if (!e)
			return;
		want = e->base + ((uint64_t)bus << 20) + ((uint64_t)(dev & 31) << 15) + ((uint64_t)(fn & 7) << 12) +
		       (off & 0xfff);
		lo = e->base + ((uint64_t)e->start_bus << 20);
		FUZZ_REQUIRE(a == want && a - lo < ((uint64_t)e->end_bus - e->start_bus + 1) << 20,
			     "segment %u bus %u: ECAM address 0x%llx, expected 0x%llx", seg, bus, (unsigned long long)a,
			     (unsigned long long)want);
	}
}

/* Buses 0 and 255 and both sides of every entry's ends: where a range check goes wrong. */
static void check_lookups(const struct mcfg *m, uint16_t seg, uint8_t dev, uint8_t fn, uint16_t off)
{
	check_lookup(m, seg, 0, dev, fn, off);
	check_lookup(m, seg, 255, dev, fn, off);
	for (unsigned i = 0; i < m->count; i++) {
		const struct mcfg_entry *e = &m->entry[i];

		check_lookup(m, seg, e->start_bus - 1u, dev, fn, off); /* 0 - 1 wraps past 255: skipped */
		check_lookup(m, seg, e->start_bus, dev, fn, off);
		check_lookup(m, seg, e->end_bus, dev, fn, off);
		check_lookup(m, seg, e->end_bus + 1u, dev, fn, off);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mcfg m;
	struct fuzz_findings f = { size, true, false, false, 0 };
	struct diag_sink sink = fuzz_sink(&f);
	/* Device, function and register from the reserved bytes: any values, they are masked. */
	uint8_t dev = size > 37 ? data[36] : 0, fn = size > 37 ? data[37] : 0;
	uint16_t off = size > 39 ? fz_le16(data + 38) : 0;

	if (mcfg_parse(data, size, &m, &sink))
		return 0;
	FUZZ_REQUIRE(m.count <= MCFG_MAX_ENTRIES, "%u entries", m.count);
	for (unsigned i = 0; i < m.count; i++)
		check_entry(data, size, &m, i);
	/* Every segment an entry names (once), and segment 0. */
	for (unsigned i = 0; i <= m.count; i++) {
		uint16_t seg = i < m.count ? m.entry[i].segment : 0;
		bool seen = false;

		for (unsigned j = 0; j < i && j < m.count; j++)
			seen |= m.entry[j].segment == seg;
		if (!seen)
			check_lookups(&m, seg, dev, fn, off);
	}
	return 0;
}
