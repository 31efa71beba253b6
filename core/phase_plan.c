// SPDX-License-Identifier: MIT
/* Phase "plan": a region per window, planned on the topology; the driver that will program them. */
#include "core/cache_log.h"
#include "core/log.h"
#include "core/run.h"
#include "cxl/hdm.h"
#include "cxl/planner.h"
#include "lib/fmt.h"

/* One place decides region numbers: cxl-cli's regionN, today the number of the window it lives in. */
unsigned run_region_id(const struct run *run, unsigned w)
{
	return w;
}

/* The cxl-cli name of the region an event belongs to: the report groups by it. */
void run_log_region(struct log_event *ev, unsigned region)
{
	char name[16];

	fmt_snprintf(name, sizeof(name), "region%u", region);
	log_str(ev, "region", name);
}

static void log_plan(unsigned r, const struct region_plan *p)
{
	struct log_event ev;

	log_begin(&ev, p->reason == PLAN_OK ? LOG_INFO : LOG_WARN, "region.plan");
	log_u64(&ev, "window", p->window);
	if (p->reason != PLAN_OK) {
		log_str(&ev, "reason", plan_reason_id(p->reason));
		log_msg(&ev, "window %u cannot be used: %s", p->window, p->message);
		log_end(&ev);
		return;
	}
	log_msg(&ev, "region%u", r);
	run_log_region(&ev, r);
	log_hex(&ev, "resource", p->hpa_base);
	log_hex(&ev, "size", p->size);
	log_u64(&ev, "interleave_ways", p->ways);
	log_u64(&ev, "interleave_granularity", p->granularity);
	log_str(&ev, "mode", region_mode_name(p->mode));
	log_end(&ev);
	for (unsigned i = 0; i < p->nr_decoders; i++) {
		const struct plan_decoder *d = &p->decoders[i];
		char name[24];

		cxl_decoder_name(d->port_id, d->index, name, sizeof(name));
		log_begin(&ev, LOG_INFO, "region.decoder");
		run_log_region(&ev, r);
		log_str(&ev, "decoder", name);
		log_hex(&ev, "resource", d->hpa_base);
		log_hex(&ev, "size", d->hpa_size);
		log_u64(&ev, "interleave_ways", d->ways);
		log_u64(&ev, "interleave_granularity", d->granularity);
		if (d->is_endpoint) {
			log_i64(&ev, "position", d->position);
			log_hex(&ev, "dpa_resource", d->dpa_base);
			log_hex(&ev, "dpa_size", d->dpa_size);
			log_hex(&ev, "dpa_skip", d->dpa_skip);
		} else {
			char t[CXL_MAX_PORT_TARGETS * 4 + 1] = "";
			size_t n = 0;

			for (unsigned k = 0; k < d->nr_targets; k++)
				n += (size_t)fmt_snprintf(t + n, sizeof(t) - n, k ? ",%u" : "%u", d->targets[k]);
			log_str(&ev, "targets", t);
		}
		log_end(&ev);
	}
}

void phase_plan(struct run *run)
{
	unsigned planned;

	log_set_phase("plan");
	planned = planner_plan_all(&run->topo, run->plans);
	for (unsigned w = 0; w < run->topo.nr_windows; w++)
		log_plan(run_region_id(run, w), &run->plans[w]);
	log_printf(LOG_INFO, "plan.summary", "%u of %u windows can hold a region", planned, run->topo.nr_windows);

	hdm_driver_init(&run->drv, &run->topo, &run->hw, &run->findings, run->timeout_ms);
	run->drv.on_flush = cache_log_flush;
	run->drv_ready = true;
}
