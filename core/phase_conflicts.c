// SPDX-License-Identifier: MIT
/*
 * Phase "conflicts": firmware ranges of the memory map in conflict with the
 * windows and the regions cxlval programmed, and what Linux would make of each.
 */
#include "core/log.h"
#include "core/run.h"
#include "mm/conflict.h"

static void log_conflict(unsigned n, const struct conflict *c)
{
	struct log_event ev;

	log_begin(&ev, LOG_WARN, "conflict");
	log_msg(&ev, "%s %s%d [0x%llx-0x%llx] and firmware %s range [0x%llx-0x%llx]: %s",
		conflict_shape_name(c->shape), c->target == MAP_WINDOW ? "window" : "region", c->target_index,
		(unsigned long long)c->target_start, (unsigned long long)c->target_last, fw_class_name(c->fw_class),
		(unsigned long long)c->fw_start, (unsigned long long)c->fw_last, linux_verdict_name(c->verdict));
	log_u64(&ev, "id", n);
	log_str(&ev, "target", c->target == MAP_WINDOW ? "window" : "region");
	log_i64(&ev, "target_index", c->target_index);
	log_hex(&ev, "target_start", c->target_start);
	log_hex(&ev, "target_end", c->target_last);
	log_i64(&ev, "memmap_index", c->fw_index);
	log_str(&ev, "fw_type", fw_mem_type_name(c->fw_type));
	log_hex(&ev, "fw_attr", c->fw_attr);
	log_str(&ev, "fw_class", fw_class_name(c->fw_class));
	log_hex(&ev, "fw_start", c->fw_start);
	log_hex(&ev, "fw_end", c->fw_last);
	log_hex(&ev, "overlap_start", c->overlap_start);
	log_hex(&ev, "overlap_end", c->overlap_last);
	log_u64(&ev, "bytes", c->bytes);
	log_str(&ev, "shape", conflict_shape_name(c->shape));
	log_u64(&ev, "fw_range_windows", c->fw_windows);
	log_u64(&ev, "window_fw_ranges", c->window_fw_ranges);
	log_str(&ev, "linux", linux_verdict_name(c->verdict));
	log_str(&ev, "cost", linux_verdict_cost(c->verdict));
	log_str(&ev, "fix", linux_verdict_fix(c->verdict));
	log_end(&ev);
}

void phase_conflicts(struct run *run)
{
	struct conflict_report *report = &run->conflict_report;

	log_set_phase("conflicts");
	addrmap_index(&run->map); /* regions were added since the map was built */
	conflicts_find(&run->map, report);
	for (unsigned i = 0; i < report->count; i++)
		log_conflict(i, &report->c[i]);
	if (report->overflow)
		log_printf(LOG_ERROR, "conflict.overflow", "more than %d conflicts; the rest are not listed",
			   CONFLICT_MAX);
	log_printf(report->count ? LOG_WARN : LOG_INFO, "conflict.summary",
		   "%u firmware ranges in conflict with reprogrammed windows or regions", report->count);
	run->conflicts = report->count;
}
