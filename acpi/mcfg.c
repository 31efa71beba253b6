// SPDX-License-Identifier: MIT
#include "acpi/mcfg.h"

#include <string.h>

#include "acpi/acpi.h"

static bool entry_ok(const struct mcfg_entry *e, const struct mcfg *m, struct diag_sink *sink)
{
	bool ok = true;

	if (!e->base || e->base & (MCFG_ECAM_ALIGN - 1)) {
		diag_report(sink, DIAG_ERROR, "MCFG", e->index, "ECAM", "Base Address", e->offset + MCFG_E_BASE,
			    "mcfg.base", "base 0x%llx is zero or not 1 MiB aligned", (unsigned long long)e->base);
		ok = false;
	}
	if (e->end_bus < e->start_bus) {
		diag_report(sink, DIAG_ERROR, "MCFG", e->index, "ECAM", "End Bus", e->offset + MCFG_E_END_BUS,
			    "mcfg.bus_range", "end bus %u is below start bus %u", e->end_bus, e->start_bus);
		ok = false;
	}
	for (unsigned i = 0; i < m->count && ok; i++) {
		const struct mcfg_entry *o = &m->entry[i];

		if (o->valid && o->segment == e->segment && e->start_bus <= o->end_bus &&
		    o->start_bus <= e->end_bus) {
			diag_report(sink, DIAG_ERROR, "MCFG", e->index, "ECAM", "Start Bus",
				    e->offset + MCFG_E_START_BUS, "mcfg.bus_overlap",
				    "segment %u buses %u-%u overlap entry %d", e->segment, e->start_bus, e->end_bus,
				    o->index);
			ok = false;
		}
	}
	return ok;
}

int mcfg_parse(const void *table, size_t len, struct mcfg *out, struct diag_sink *sink)
{
	const uint8_t *t = table;
	uint32_t tlen;

	memset(out, 0, sizeof(*out));
	if (len < MCFG_ENTRIES || memcmp(t, "MCFG", 4)) {
		diag_report(sink, DIAG_FATAL, "MCFG", DIAG_NO_INDEX, NULL, "Signature", 0, "mcfg.signature",
			    "not an MCFG (or shorter than 44 bytes)");
		return -1;
	}
	tlen = get_le32(t + ACPI_HDR_LENGTH);
	if (tlen > len || tlen < MCFG_ENTRIES) {
		diag_report(sink, DIAG_ERROR, "MCFG", DIAG_NO_INDEX, NULL, "Length", ACPI_HDR_LENGTH, "mcfg.length",
			    "Length %u does not fit the %zu readable bytes", tlen, len);
		tlen = (uint32_t)len;
	}
	if ((tlen - MCFG_ENTRIES) % MCFG_ENTRY_SIZE)
		diag_report(sink, DIAG_WARN, "MCFG", DIAG_NO_INDEX, NULL, "Length", ACPI_HDR_LENGTH, "mcfg.partial",
			    "Length %u leaves a partial entry; it is ignored", tlen);
	for (uint32_t off = MCFG_ENTRIES; off + MCFG_ENTRY_SIZE <= tlen; off += MCFG_ENTRY_SIZE) {
		struct mcfg_entry *e = &out->entry[out->count];

		if (out->count >= MCFG_MAX_ENTRIES) {
			diag_report(sink, DIAG_WARN, "MCFG", (int)out->count, "ECAM", NULL, off, "mcfg.too_many",
				    "more than %d entries; the rest are not used", MCFG_MAX_ENTRIES);
			break;
		}
		e->index = (int)out->count;
		e->offset = off;
		e->base = get_le64(t + off + MCFG_E_BASE);
		e->segment = get_le16(t + off + MCFG_E_SEGMENT);
		e->start_bus = t[off + MCFG_E_START_BUS];
		e->end_bus = t[off + MCFG_E_END_BUS];
		e->valid = entry_ok(e, out, sink);
		out->count++;
	}
	return 0;
}

bool mcfg_ecam_address(const struct mcfg *m, uint16_t seg, uint8_t bus, uint8_t dev, uint8_t fn, uint16_t off,
		       uint64_t *addr)
{
	for (unsigned i = 0; i < m->count; i++) {
		const struct mcfg_entry *e = &m->entry[i];

		if (e->valid && e->segment == seg && bus >= e->start_bus && bus <= e->end_bus) {
			/* The base is where bus 0 would be, even when start_bus is not 0. */
			*addr = e->base + ((uint64_t)bus << 20 | (uint64_t)(dev & 31) << 15 |
					   (uint64_t)(fn & 7) << 12 | (off & 0xfff));
			return true;
		}
	}
	return false;
}
