// SPDX-License-Identifier: MIT
/*
 * Phases "topology", "program", "touch": find the CXL tree, plan a region
 * per window, program and commit its decoders, prove it by touching memory,
 * and leave the decoders as firmware had them.
 */
#include <string.h>

#include "core/config.h"
#include "core/fmt.h"
#include "core/log.h"
#include "core/platform.h"
#include "core/run.h"
#include "core/touch.h"
#include "cxl/crosscheck.h"
#include "cxl/discover.h"
#include "cxl/hdm.h"
#include "cxl/planner.h"
#include "cxl/regs.h"

static struct cxl_topology topo;
static struct cxl_hw hw;
static struct region_plan plans[CXL_MAX_WINDOWS];
static struct hdm_driver drv;
static bool drv_ready; /* drv describes this run: the fault handler may restore through it */

static void log_decoders(const struct cxl_hdm *hdm, unsigned port_id, bool endpoint)
{
	for (unsigned m = 0; m < hdm->nr_decoders; m++) {
		const struct cxl_decoder *d = cxl_hdm_decoder(&topo, hdm, m);
		struct log_event ev;
		char name[24];

		cxl_decoder_name(port_id, m, name, sizeof(name));
		log_begin(&ev, LOG_INFO, "topology.decoder");
		log_str(&ev, "decoder", name);
		log_hex(&ev, "resource", d->base);
		log_hex(&ev, "size", d->size);
		log_hex(&ev, "control", d->ctrl);
		log_bool(&ev, "committed", d->committed);
		log_bool(&ev, "locked", d->locked);
		log_hex(&ev, endpoint ? "dpa_skip" : "target_list", endpoint ? d->dpa_skip
									   : (uint64_t)d->target_hi << 32 | d->target_lo);
		log_end(&ev);
	}
}

static void log_topology(void)
{
	struct log_event ev;
	char name[24];

	for (unsigned p = 0; p < topo.nr_ports; p++) {
		const struct cxl_port *port = &topo.ports[p];

		cxl_port_name(&topo, (int)p, name, sizeof(name));
		log_begin(&ev, LOG_INFO, "topology.port");
		log_str(&ev, "port", name);
		log_str(&ev, "type", port->type == CXL_PORT_HOST_BRIDGE ? "host_bridge" : "switch");
		if (port->type == CXL_PORT_HOST_BRIDGE)
			log_u64(&ev, "uid", port->uid);
		log_hex(&ev, "component_registers", port->component_base);
		log_u64(&ev, "nr_decoders", port->hdm.nr_decoders);
		log_u64(&ev, "nr_targets", port->hdm.nr_targets);
		log_hex(&ev, "hdm_cap", port->hdm.cap);
		log_end(&ev);
		log_decoders(&port->hdm, port->id, false);
	}
	for (unsigned i = 0; i < topo.nr_dports; i++) {
		const struct cxl_dport *d = &topo.dports[i];

		cxl_port_name(&topo, d->port, name, sizeof(name));
		log_begin(&ev, LOG_INFO, "topology.dport");
		log_str(&ev, "port", name);
		log_u64(&ev, "port_number", d->port_number);
		log_msg(&ev, "%04x:%02x:%02x.%x", d->bdf.seg, d->bdf.bus, d->bdf.dev, d->bdf.fn);
		log_end(&ev);
	}
	for (unsigned e = 0; e < topo.nr_endpoints; e++) {
		const struct cxl_endpoint *ep = &topo.endpoints[e];
		char mem[16];

		cxl_endpoint_name(&topo, (int)e, name, sizeof(name));
		cxl_memdev_name(&topo, (int)e, mem, sizeof(mem));
		log_begin(&ev, LOG_INFO, "topology.endpoint");
		log_str(&ev, "endpoint", name);
		log_str(&ev, "memdev", mem);
		log_msg(&ev, "%04x:%02x:%02x.%x", ep->bdf.seg, ep->bdf.bus, ep->bdf.dev, ep->bdf.fn);
		log_u64(&ev, "dport_port_number", topo.dports[ep->parent_dport].port_number);
		log_hex(&ev, "component_registers", ep->component_base);
		log_u64(&ev, "ram_size", ep->volatile_bytes);
		log_u64(&ev, "pmem_size", ep->persistent_bytes);
		log_str(&ev, "capacity_from", hw.ep_capacity_from_mailbox[e] ? "mailbox" : "dvsec");
		log_bool(&ev, "type3", ep->type3);
		log_end(&ev);
		log_decoders(&ep->hdm, ep->id, true);
	}
}

/* Component register blocks live in BARs: they go into the address map like any other claimed range. */
static void add_register_blocks(struct run *run)
{
	for (unsigned p = 0; p < topo.nr_ports; p++)
		if (topo.ports[p].type == CXL_PORT_SWITCH && topo.ports[p].component_base)
			addrmap_add_span(&run->map, MAP_BAR, topo.ports[p].component_base, CXL_COMPONENT_BLOCK_SIZE, 0,
					 0, (int)p);
	for (unsigned e = 0; e < topo.nr_endpoints; e++)
		if (topo.endpoints[e].component_base)
			addrmap_add_span(&run->map, MAP_BAR, topo.endpoints[e].component_base,
					 CXL_COMPONENT_BLOCK_SIZE, 0, 0, (int)e);
}

/* The cxl-cli name of the region an event belongs to: the report groups by it. */
static void log_region(struct log_event *ev, unsigned r)
{
	char name[16];

	fmt_snprintf(name, sizeof(name), "region%u", r);
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
	log_region(&ev, r);
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
		log_region(&ev, r);
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

/* Where the plan says an HPA lives: memdev name and DPA (the region decoder's DPA base included). */
static void predicted(const struct region_plan *p, uint64_t hpa, char *mem, size_t cap, uint64_t *dpa)
{
	unsigned pos = ileave_hpa_to_pos(&p->il, hpa - p->il.base);
	int ep = p->endpoint_at[pos];

	*dpa = ileave_hpa_to_dpa(&p->il, hpa - p->il.base);
	for (unsigned d = 0; d < p->nr_decoders; d++)
		if (p->decoders[d].is_endpoint && p->decoders[d].owner == ep)
			*dpa += p->decoders[d].dpa_base;
	cxl_memdev_name(&topo, ep, mem, cap);
}

static void log_touch_failure(unsigned r, const struct region_plan *p, const struct touch_failure *f)
{
	struct log_event ev;
	char mem[16], alias_mem[16];
	uint64_t dpa, alias_dpa;

	predicted(p, f->hpa, mem, sizeof(mem), &dpa);
	log_begin(&ev, LOG_ERROR, "touch.failure");
	log_msg(&ev, "region%u", r);
	log_region(&ev, r);
	log_str(&ev, "outcome", touch_outcome_name(f->outcome));
	log_hex(&ev, "hpa", f->hpa);
	log_str(&ev, "expected_memdev", mem);
	log_hex(&ev, "expected_dpa", dpa);
	log_hex(&ev, "expected", f->expected);
	log_hex(&ev, "observed", f->observed);
	if (f->outcome == TOUCH_ALIASED) {
		/* The other HPA's tag sits here: by the plan, that write belonged at alias_memdev/alias_dpa. */
		predicted(p, f->alias_hpa, alias_mem, sizeof(alias_mem), &alias_dpa);
		log_hex(&ev, "alias_hpa", f->alias_hpa);
		log_str(&ev, "alias_memdev", alias_mem);
		log_hex(&ev, "alias_dpa", alias_dpa);
	}
	log_end(&ev);
}

bool touch_region(struct run *run, unsigned r, const struct region_plan *p)
{
	struct touch_plan tp = { topo.windows[p->window].base, topo.windows[p->window].size, p->hpa_base, p->size,
				 p->granularity, p->ways, run->quick_bytes, !run->destructive,
				 (uint8_t)(0x5a + r) };
	struct touch_result res;
	struct log_event ev;

	if (touch_execute(run, r, &tp, &res)) {
		log_printf(LOG_ERROR, "touch.invalid", "region%u cannot be touched: invalid plan", r);
		return false;
	}
	for (unsigned i = 0; i < res.nr_failures; i++)
		log_touch_failure(r, p, &res.failures[i]);
	log_begin(&ev, res.count[TOUCH_PASS] == res.touched ? LOG_INFO : LOG_ERROR, "touch.result");
	log_msg(&ev, "region%u %s", r, res.count[TOUCH_PASS] == res.touched ? "PASS" : "FAIL");
	log_region(&ev, r);
	log_u64(&ev, "seed", tp.seed);
	log_u64(&ev, "touched", res.touched);
	for (int o = 0; o < TOUCH_OUTCOMES; o++)
		log_u64(&ev, touch_outcome_name((enum touch_outcome)o), res.count[o]);
	log_u64(&ev, "sweep_bytes", touch_sweep_bytes(&tp));
	log_bool(&ev, "restored", tp.restore);
	log_u64(&ev, "restore_mismatch", res.restore_mismatch);
	log_end(&ev);
	return res.count[TOUCH_PASS] == res.touched && !res.restore_mismatch;
}

static void log_xcheck(unsigned r, const struct xcheck_result *x)
{
	struct log_event ev;

	for (unsigned i = 0; i < x->nr_failures; i++) {
		const struct xcheck_failure *f = &x->failures[i];
		char mem[16];

		cxl_memdev_name(&topo, f->expected_endpoint, mem, sizeof(mem));
		log_begin(&ev, LOG_ERROR, "crosscheck.failure");
		log_region(&ev, r);
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
	log_region(&ev, r);
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
static bool cross_check(struct run *run, unsigned r, const struct region_plan *p)
{
	static uint64_t offs[TOUCH_MAX_PROBES + 256];
	struct touch_plan tp = { 0, 0, p->hpa_base, p->size, p->granularity, p->ways, 0, false, 0 };
	struct xcheck_result x;
	unsigned n = (unsigned)touch_probe_offsets(&tp, offs);

	for (unsigned g = 0; g < 256 && (uint64_t)g * p->granularity < p->size; g++)
		offs[n++] = (uint64_t)g * p->granularity;
	for (unsigned i = 0; i < n; i++)
		offs[i] += 8; /* beside the touch tags, never over them */
	/* Always restored: in a destructive run the touch tags stay, and the probe lines must keep theirs whole. */
	if (xcheck_region(&drv, p, offs, n, (uint8_t)(0xa0 + r), true, &x)) {
		log_printf(LOG_ERROR, "crosscheck.recommit", "region%u could not be committed again", r);
		return false;
	}
	log_xcheck(r, &x);
	return !x.mismatched && x.status != XCHECK_FAILED_TO_MAP;
}

static void restore(struct run *run);

void phase_cxl(struct run *run)
{
	unsigned planned;

	log_set_phase("topology");
	cxl_topo_init(&topo);
	cxl_windows_from_cedt(&topo, &run->cedt);
	if (cxl_discover(&topo, &hw, &run->cedt, &run->mcfg, run->aml_hb, run->nr_aml_hb, &run->findings)) {
		log_printf(LOG_WARN, "topology.none", "no usable CXL host bridge");
		return;
	}
	log_topology();
	add_register_blocks(run);
	fwregion_audit(run, &topo);

	log_set_phase("plan");
	planned = planner_plan_all(&topo, plans);
	for (unsigned w = 0; w < topo.nr_windows; w++)
		log_plan(w, &plans[w]);
	log_printf(LOG_INFO, "plan.summary", "%u of %u windows can hold a region", planned, topo.nr_windows);

	hdm_driver_init(&drv, &topo, &hw, &run->findings, run->timeout_ms);
	drv_ready = true;
	for (unsigned w = 0; w < topo.nr_windows; w++)
		verdict_set(run->verdict, w, WS_NOT_VERIFIED,
			    plans[w].reason == PLAN_FIRMWARE_DECODER || plans[w].reason == PLAN_LOCKED_DECODER ? WO_FIRMWARE
																: WO_NONE,
			    plans[w].reason == PLAN_OK ? "planned" : plan_reason_id(plans[w].reason), false);
	fwregion_verify(run, &topo);
	for (unsigned w = 0; w < topo.nr_windows; w++) {
		if (plans[w].reason != PLAN_OK || (fwregion_holds_window(w) && run->program != PROGRAM_ALWAYS))
			continue;
		if (!(run->windows & (1U << (w & 31)))) {
			log_printf(LOG_INFO, "region.skipped", "window %u: not selected by 'windows' in the config", w);
			verdict_set(run->verdict, w, WS_NOT_VERIFIED, WO_NONE, "not_selected", false);
			continue;
		}
		if (run->program == PROGRAM_NEVER) {
			log_printf(LOG_INFO, "region.skipped", "window %u: program = never, nothing is programmed", w);
			verdict_set(run->verdict, w, WS_NOT_VERIFIED, WO_NONE, "program_never", false);
			continue;
		}
		log_set_phase("program");
		if (hdm_commit_region(&drv, &plans[w])) {
			run->routing_failed = true;
			verdict_set(run->verdict, w, WS_FAILED, WO_CXLVAL, "commit_failed", false);
			continue;
		}
		log_printf(LOG_INFO, "region.committed", "region%u: %u decoders committed", w, plans[w].nr_decoders);
		addrmap_add_span(&run->map, MAP_REGION, plans[w].hpa_base, plans[w].size, 0, 0, (int)w);
		mm_region(run, w, plans[w].hpa_base, plans[w].size);
		log_set_phase("touch");
		raise_test_fault(run, true);
		if (!run->destructive && map_firmware_owned(run, plans[w].hpa_base, plans[w].size)) {
			struct log_event ev;

			log_begin(&ev, LOG_WARN, "touch.skipped");
			log_msg(&ev, "region%u: firmware describes part of it in the memory map; not touched "
				     "(destructive = yes to touch anyway)", w);
			log_region(&ev, w);
			log_end(&ev);
			verdict_set(run->verdict, w, WS_NOT_VERIFIED, WO_CXLVAL, "firmware_memory", true);
			continue;
		}
		if (!touch_region(run, w, &plans[w]) || !cross_check(run, w, &plans[w])) {
			run->routing_failed = true;
			verdict_set(run->verdict, w, WS_FAILED, WO_CXLVAL, "misrouted", true);
		} else {
			verdict_set(run->verdict, w, WS_VERIFIED_PROGRAMMED, WO_CXLVAL, "", true);
		}
	}

	restore(run);
	fwregion_readback(run, &topo, &hw);
	window_verdicts_log(run, &topo);
}

static void restore(struct run *run)
{
	unsigned stuck;

	log_set_phase("restore");
	if (!run->restore_decoders)
		return;
	stuck = hdm_restore(&drv);
	log_printf(stuck || drv.not_restored ? LOG_WARN : LOG_INFO, "restore.done",
		   "%u decoder changes undone; %u decoders stayed committed (hardware refused), "
		   "%u registers differ from firmware's values", drv.nr_changes - stuck, stuck, drv.not_restored);
}

/*
 * A fault may come from anywhere, decoder MMIO included; if restoring faults
 * again the handler gives up (it does not re-enter), so trying is safe.
 */
void phase_cxl_on_fault(struct run *run)
{
	touch_on_fault(); /* data first: it goes back through the decoders */
	if (drv_ready && drv.nr_changes)
		restore(run);
}
