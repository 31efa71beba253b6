// SPDX-License-Identifier: MIT
/*
 * Phase "touch": prove one committed region by touching its memory on every
 * CPU the config allows (core/touch_exec.c), then cross-check each device
 * alone (touch/crosscheck.c).
 */
#include "core/log.h"
#include "core/phase_platform.h"
#include "core/run.h"
#include "lib/fmt.h"
#include "touch/crosscheck.h"
#include "touch/touch.h"

/* Where the plan says an HPA lives: memdev name and DPA (the region decoder's DPA base included). */
static void predicted(const struct cxl_topology *topo, const struct region_plan *p, uint64_t hpa, char *mem,
		      size_t cap, uint64_t *dpa)
{
	unsigned pos = ileave_hpa_to_pos(&p->il, hpa - p->il.base);
	int ep = p->endpoint_at[pos];

	*dpa = ileave_hpa_to_dpa(&p->il, hpa - p->il.base);
	for (unsigned d = 0; d < p->nr_decoders; d++)
		if (p->decoders[d].is_endpoint && p->decoders[d].owner == ep)
			*dpa += p->decoders[d].dpa_base;
	cxl_memdev_name(topo, ep, mem, cap);
}

static void log_touch_failure(const struct run *run, unsigned r, const struct region_plan *p,
			      const struct touch_failure *f)
{
	struct log_event ev;
	char mem[16], alias_mem[16];
	uint64_t dpa, alias_dpa;

	predicted(&run->topo, p, f->hpa, mem, sizeof(mem), &dpa);
	log_begin(&ev, LOG_ERROR, "touch.failure");
	log_msg(&ev, "region%u", r);
	run_log_region(&ev, r);
	log_str(&ev, "outcome", touch_outcome_name(f->outcome));
	log_hex(&ev, "hpa", f->hpa);
	log_str(&ev, "expected_memdev", mem);
	log_hex(&ev, "expected_dpa", dpa);
	log_hex(&ev, "expected", f->expected);
	log_hex(&ev, "observed", f->observed);
	if (f->outcome == TOUCH_ALIASED) {
		/* The other HPA's tag sits here: by the plan, that write belonged at alias_memdev/alias_dpa. */
		predicted(&run->topo, p, f->alias_hpa, alias_mem, sizeof(alias_mem), &alias_dpa);
		log_hex(&ev, "alias_hpa", f->alias_hpa);
		log_str(&ev, "alias_memdev", alias_mem);
		log_hex(&ev, "alias_dpa", alias_dpa);
	}
	log_end(&ev);
}

bool touch_region(struct run *run, unsigned r, const struct region_plan *p)
{
	const struct cxl_window *win = &run->topo.windows[p->window];
	struct touch_plan tp = { win->base, win->size, p->hpa_base, p->size, p->granularity, p->ways, run->quick_bytes,
				 !run->destructive, (uint8_t)(0x5a + r), NULL, 0 };
	struct touch_result res;
	struct log_event ev;

	if (!poison_skip_lines(run, r, p))
		return true; /* logged: an incomplete poison list leaves the region untouched */
	tp.skip = run->touch.poison_lines;
	tp.nr_skip = run->touch.nr_poison_lines;
	if (touch_execute(run, r, &tp, &res)) {
		log_printf(LOG_ERROR, "touch.invalid", "region%u cannot be touched: invalid plan", r);
		return false;
	}
	for (unsigned i = 0; i < res.nr_failures; i++)
		log_touch_failure(run, r, p, &res.failures[i]);
	log_begin(&ev, res.count[TOUCH_PASS] == res.touched ? LOG_INFO : LOG_ERROR, "touch.result");
	log_msg(&ev, "region%u %s", r, res.count[TOUCH_PASS] == res.touched ? "PASS" : "FAIL");
	run_log_region(&ev, r);
	log_u64(&ev, "seed", tp.seed);
	log_u64(&ev, "touched", res.touched);
	for (int o = 0; o < TOUCH_OUTCOMES; o++)
		log_u64(&ev, touch_outcome_name((enum touch_outcome)o), res.count[o]);
	log_u64(&ev, "sweep_bytes", touch_sweep_bytes(&tp));
	log_bool(&ev, "restored", tp.restore);
	log_u64(&ev, "restore_mismatch", res.restore_mismatch);
	log_u64(&ev, "skipped_poison", res.skipped);
	log_end(&ev);
	return res.count[TOUCH_PASS] == res.touched && !res.restore_mismatch;
}

static void log_xcheck(const struct run *run, unsigned r, const struct xcheck_result *x)
{
	struct log_event ev;

	for (unsigned i = 0; i < x->nr_failures; i++) {
		const struct xcheck_failure *f = &x->failures[i];
		char mem[16];

		cxl_memdev_name(&run->topo, f->expected_endpoint, mem, sizeof(mem));
		log_begin(&ev, LOG_ERROR, "crosscheck.failure");
		run_log_region(&ev, r);
		log_msg(&ev, "region%u: HPA 0x%llx should be at %s DPA 0x%llx", r, (unsigned long long)f->hpa, mem,
			(unsigned long long)f->expected_dpa);
		log_hex(&ev, "hpa", f->hpa);
		log_str(&ev, "expected_memdev", mem);
		log_hex(&ev, "expected_dpa", f->expected_dpa);
		log_hex(&ev, "observed", f->observed);
		if (f->observed_is_tag)
			log_hex(&ev, "observed_tag_of_hpa", f->observed_hpa);
		log_end(&ev);
	}
	log_begin(&ev, x->mismatched ? LOG_ERROR : x->status == XCHECK_DONE ? LOG_INFO : LOG_WARN,
		  "crosscheck.result");
	run_log_region(&ev, r);
	log_msg(&ev, "region%u %s", r,
		x->status == XCHECK_SKIPPED_NO_UNCOMMIT ? "not cross-checked: hardware keeps committed decoders; "
							  "device/DPA proof rests on read-back alone"
		: x->mismatched ? "FAIL" : "PASS");
	log_str(&ev, "status", xcheck_status_name(x->status));
	log_u64(&ev, "checked", x->checked);
	log_u64(&ev, "mismatched", x->mismatched);
	log_end(&ev);
}

/* Each device read alone: the probes and the first 256 granules, beside the touch tags. */
bool cross_check(struct run *run, unsigned r, const struct region_plan *p)
{
	uint64_t *offs = run->touch.xcheck_offsets;
	struct touch_plan tp = { 0, 0, p->hpa_base, p->size, p->granularity, p->ways, 0, false, 0, NULL, 0 };
	struct xcheck_result x;
	unsigned n = (unsigned)touch_probe_offsets(&tp, offs);

	log_flush(); /* checkpoint: the cross-check uncommits and commits decoders */
	for (unsigned g = 0; g < 256 && (uint64_t)g * p->granularity < p->size; g++)
		offs[n++] = (uint64_t)g * p->granularity;
	for (unsigned i = 0; i < n; i++)
		offs[i] += 8; /* beside the touch tags, never over them */
	n = poison_filter_offsets(p, offs, n, run->touch.poison_lines, run->touch.nr_poison_lines);
	/* Always restored: in a destructive run the touch tags stay, and the probe lines must keep theirs whole. */
	if (xcheck_region(&run->drv, p, offs, n, (uint8_t)(0xa0 + r), true, &x)) {
		log_printf(LOG_ERROR, "crosscheck.recommit", "region%u could not be committed again", r);
		return false;
	}
	log_xcheck(run, r, &x);
	return !x.mismatched && x.status != XCHECK_FAILED_TO_MAP;
}

bool phase_touch_locate(const struct run *run, uint64_t hpa, char *where, size_t cap)
{
	for (unsigned w = 0; run->drv_ready && w < run->topo.nr_windows; w++) {
		const struct region_plan *p = &run->plans[w];
		char mem[16];
		uint64_t dpa;

		if (p->reason != PLAN_OK || hpa < p->hpa_base || hpa - p->hpa_base >= p->size)
			continue;
		predicted(&run->topo, p, hpa, mem, sizeof(mem), &dpa);
		fmt_snprintf(where, cap, "region%u %s DPA 0x%llx", run_region_id(run, w), mem, (unsigned long long)dpa);
		return true;
	}
	return false;
}

enum window_status phase_touch(struct run *run, unsigned w)
{
	const struct region_plan *p = &run->plans[w];
	unsigned r = run_region_id(run, w);

	log_set_phase("touch");
	testhook_fault(run, true);
	if (!run->destructive && map_firmware_owned(run, p->hpa_base, p->size)) {
		struct log_event ev;

		log_begin(&ev, LOG_WARN, "touch.skipped");
		log_msg(&ev, "region%u: firmware describes part of it in the memory map; not touched "
			     "(destructive = yes to touch anyway)", r);
		run_log_region(&ev, r);
		log_end(&ev);
		return WS_NOT_VERIFIED;
	}
	if (!touch_region(run, r, p) || !cross_check(run, r, p)) {
		run->routing_failed = true;
		return WS_FAILED;
	}
	return WS_VERIFIED_PROGRAMMED;
}
