// SPDX-License-Identifier: MIT
#include "mm/conflict.h"

#include <string.h>

#include "lib/firmware.h"
#include "mm/regiontype.h"

enum fw_class fw_class_of(uint32_t type, uint64_t attr)
{
	switch (type) {
	case FW_MEM_CONVENTIONAL:
	case FW_MEM_LOADER_CODE:
	case FW_MEM_LOADER_DATA:
	case FW_MEM_BOOT_CODE:
	case FW_MEM_BOOT_DATA:
		/* Linux's EFI stub turns SP conventional memory into E820_TYPE_SOFT_RESERVED. */
		return attr & FW_MEM_ATTR_SP ? FW_CLASS_SOFT_RESERVED : FW_CLASS_RAM;
	case FW_MEM_PERSISTENT:
		return FW_CLASS_PERSISTENT;
	default:
		return FW_CLASS_RESERVED;
	}
}

enum conflict_shape conflict_shape_of(uint64_t fw_start, uint64_t fw_last, uint64_t t_start, uint64_t t_last)
{
	if (fw_start == t_start && fw_last == t_last)
		return SHAPE_EXACT;
	if (fw_start >= t_start && fw_last <= t_last)
		return SHAPE_FW_INSIDE_WINDOW;
	if (fw_start <= t_start && fw_last >= t_last)
		return SHAPE_WINDOW_INSIDE_FW;
	return fw_start < t_start ? SHAPE_PARTIAL_HEAD : SHAPE_PARTIAL_TAIL;
}

/*
 * The Linux model (docs/conflicts.md). Windows are inserted by cxl_acpi with
 * insert_resource_expand_to_fit(); System RAM, Soft Reserved and legacy pmem
 * were registered from e820/EFI earlier at boot.
 */
static enum linux_verdict verdict_of(const struct conflict *c)
{
	bool partial = c->shape == SHAPE_PARTIAL_HEAD || c->shape == SHAPE_PARTIAL_TAIL;

	switch (c->fw_class) {
	case FW_CLASS_RAM:
		return partial ? LV_INSERT_RESOURCE_EBUSY : LV_REGION_BLOCKED_BY_SYSTEM_RAM;
	case FW_CLASS_SOFT_RESERVED:
		return partial || c->shape == SHAPE_WINDOW_INSIDE_FW || c->fw_windows > 1 ? LV_HMEM_PARTIAL_KEPT
											 : LV_HMEM_DEFERRED;
	case FW_CLASS_PERSISTENT:
		return LV_PMEM_CLAIMS_WINDOW;
	default:
		if (c->fw_windows > 1)
			return LV_NEXT_WINDOW_DROPPED;
		return partial || c->shape == SHAPE_WINDOW_INSIDE_FW ? LV_EXPAND_TO_FIT_GROWS_WINDOW
								    : LV_RESERVED_NESTED;
	}
}

struct collect {
	const struct addrmap *m;
	struct conflict_report *out;
	const struct map_range *target;
};

static void count_one(void *ctx, const struct map_range *r)
{
	(*(unsigned *)ctx)++;
}

static void typed_region(void *ctx, const struct map_range *r)
{
	*(bool *)ctx |= r->type == REGION_TYPED;
}

/*
 * Inside a firmware region the memory map types consistently (mm/regiontype.h):
 * firmware described its own region, which is reported as such, not as a conflict.
 */
static bool describes_firmware_region(const struct addrmap *m, const struct map_range *fw)
{
	bool typed = false;

	addrmap_overlaps(m, fw->start, fw->last, MAP_BIT(MAP_FWREGION), typed_region, &typed);
	return typed;
}

static void add_conflict(void *ctx, const struct map_range *fw)
{
	struct collect *col = ctx;
	const struct map_range *t = col->target;
	struct conflict *c;

	if (describes_firmware_region(col->m, fw))
		return;
	if (col->out->count >= CONFLICT_MAX) {
		col->out->overflow = true;
		return;
	}
	c = &col->out->c[col->out->count++];
	memset(c, 0, sizeof(*c));
	c->target = t->source;
	c->target_index = t->index;
	c->target_start = t->start;
	c->target_last = t->last;
	c->fw_index = fw->index;
	c->fw_type = fw->type;
	c->fw_attr = fw->attr;
	c->fw_class = fw_class_of(fw->type, fw->attr);
	c->fw_start = fw->start;
	c->fw_last = fw->last;
	c->overlap_start = fw->start > t->start ? fw->start : t->start;
	c->overlap_last = fw->last < t->last ? fw->last : t->last;
	c->bytes = c->overlap_last - c->overlap_start + 1;
	c->shape = conflict_shape_of(fw->start, fw->last, t->start, t->last);
	addrmap_overlaps(col->m, fw->start, fw->last, MAP_BIT(t->source), count_one, &c->fw_windows);
	addrmap_overlaps(col->m, t->start, t->last, MAP_BIT(MAP_FIRMWARE), count_one, &c->window_fw_ranges);
	c->verdict = verdict_of(c);
}

void conflicts_find(const struct addrmap *m, struct conflict_report *out)
{
	struct collect col = { m, out, NULL };

	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < m->count; i++) {
		const struct map_range *t = &m->r[i];

		if (t->source != MAP_WINDOW && t->source != MAP_REGION)
			continue;
		col.target = t;
		addrmap_overlaps(m, t->start, t->last, MAP_BIT(MAP_FIRMWARE), add_conflict, &col);
	}
}

const char *conflict_shape_name(enum conflict_shape s)
{
	static const char *const names[SHAPE_COUNT] = { "exact", "fw_inside_window", "window_inside_fw",
							"partial_head", "partial_tail" };

	return s < SHAPE_COUNT ? names[s] : "unknown";
}

const char *fw_class_name(enum fw_class c)
{
	static const char *const names[FW_CLASS_COUNT] = { "system_ram", "soft_reserved", "persistent",
							   "reserved" };

	return c < FW_CLASS_COUNT ? names[c] : "unknown";
}

static const struct {
	const char *name, *cost, *fix;
} verdicts[LV_COUNT] = {
	[LV_REGION_BLOCKED_BY_SYSTEM_RAM] = {
		"region_blocked_by_system_ram",
		"Linux brings these bytes online as System RAM at boot; a CXL region over them cannot be created "
		"(the HPA is busy), and reprogramming the decoders under online RAM corrupts the kernel's memory.",
		"Do not describe CXL window memory as EfiConventionalMemory unless firmware committed the decoders "
		"for it and means it as RAM; otherwise mark it EFI_MEMORY_SP (soft reserved) or leave it out." },
	[LV_INSERT_RESOURCE_EBUSY] = {
		"insert_resource_ebusy",
		"System RAM straddles the window boundary: insert_resource() of the window fails with -EBUSY on the "
		"partial overlap, so the window, and every region in it, is unusable.",
		"Split the memory-map descriptor at the CFMWS boundary; never merge window memory with RAM below or "
		"above it." },
	[LV_HMEM_DEFERRED] = {
		"hmem_deferred",
		"dax_hmem defers this soft-reserved range to the CXL driver; it is dropped once a committed region "
		"covers it. If no region is created, the memory is lost to the OS.",
		"Fine as long as the decoders are committed for exactly this range; say which region it belongs to." },
	[LV_HMEM_PARTIAL_KEPT] = {
		"hmem_partial_kept",
		"The soft-reserved range does not match the window: the part outside any region stays with dax_hmem "
		"as a device-dax instance while the CXL driver owns the rest; a partial overlap makes insert_resource() "
		"fail with -EBUSY.",
		"Make each EFI_MEMORY_SP descriptor match one CFMWS window (or one committed region) exactly." },
	[LV_PMEM_CLAIMS_WINDOW] = {
		"pmem_claims_window",
		"The legacy pmem driver (nd_e820) claims this range as Persistent Memory; CXL region creation over it "
		"fails, and reprogramming the decoders redirects what the OS believes is durable data.",
		"Describe CXL persistent memory through the CXL region/LSA flow, not as EfiPersistentMemory." },
	[LV_RESERVED_NESTED] = {
		"reserved_nested",
		"The reserved range nests inside the window resource; the CXL region allocator skips the busy bytes, "
		"so that capacity is lost to regions.",
		"Do not reserve ranges inside a CFMWS window; report them only if firmware really uses them." },
	[LV_EXPAND_TO_FIT_GROWS_WINDOW] = {
		"expand_to_fit_grows_window",
		"insert_resource_expand_to_fit() grows the window resource over the whole firmware range, past the "
		"CFMWS bounds; a neighbouring window that falls inside the grown resource is trimmed or dropped.",
		"Keep reserved descriptors out of CFMWS windows, or make them end at the window boundary." },
	[LV_NEXT_WINDOW_DROPPED] = {
		"next_window_dropped",
		"One firmware range spans two windows: the first window grows over it with "
		"insert_resource_expand_to_fit() and the second window's insertion collides and is dropped.",
		"Never describe one range across two CFMWS windows; split it at every window boundary." },
};

const char *linux_verdict_name(enum linux_verdict v)
{
	return v < LV_COUNT ? verdicts[v].name : "unknown";
}

const char *linux_verdict_cost(enum linux_verdict v)
{
	return v < LV_COUNT ? verdicts[v].cost : "";
}

const char *linux_verdict_fix(enum linux_verdict v)
{
	return v < LV_COUNT ? verdicts[v].fix : "";
}
