// SPDX-License-Identifier: MIT
/*
 * Firmware's regions in a run (docs/firmware.md): after discovery, phase
 * "audit" reconstructs and audits what the BIOS committed (cxl/fwregion.c)
 * and how the memory map types it (mm/regiontype.c); phase "touch" verifies
 * each region with the same engine as cxlval's own, expectations taken from
 * firmware's decoders, without writing a decoder, global control or DVSEC
 * register, and only over memory cxlval owns for the duration; at the end
 * every decoder firmware committed is read back and compared, and one
 * window.verdict per CFMWS window says what was proven.
 */
#include "core/config.h"
#include "core/log.h"
#include "core/run.h"
#include "cxl/fwregion.h"
#include "cxl/hdm.h"
#include "cxl/pci.h"
#include "cxl/regs.h"
#include "lib/fmt.h"
#include "lib/platform.h"
#include "mm/regiontype.h"

static void log_region_name(struct log_event *ev, int w)
{
	char name[16];

	if (w < 0)
		return;
	fmt_snprintf(name, sizeof(name), "region%d", w);
	log_str(ev, "region", name);
}

static const struct cxl_decoder *topo_decoder(const struct cxl_topology *t, const struct plan_decoder *pd)
{
	const struct cxl_hdm *hdm = pd->is_endpoint ? &t->endpoints[pd->owner].hdm : &t->ports[pd->owner].hdm;

	return cxl_hdm_decoder(t, hdm, pd->index);
}

/* Firmware's decoders of a region with their raw registers: what the end-of-run read-back compares with. */
static void log_decoders(const struct cxl_topology *t, const struct fwregion *r)
{
	for (unsigned i = 0; i < r->plan.nr_decoders; i++) {
		const struct plan_decoder *pd = &r->plan.decoders[i];
		const struct cxl_decoder *d = topo_decoder(t, pd);
		struct log_event ev;
		char name[24];

		cxl_decoder_name(pd->port_id, pd->index, name, sizeof(name));
		log_begin(&ev, LOG_INFO, "fwregion.decoder");
		log_region_name(&ev, r->window);
		log_str(&ev, "decoder", name);
		log_hex(&ev, "resource", d->base);
		log_hex(&ev, "size", d->size);
		log_hex(&ev, "control", d->ctrl);
		log_u64(&ev, "interleave_ways", d->ways);
		log_u64(&ev, "interleave_granularity", d->granularity);
		log_bool(&ev, "locked", d->locked);
		if (pd->is_endpoint) {
			log_i64(&ev, "position", pd->position);
			log_hex(&ev, "dpa_resource", pd->dpa_base);
			log_hex(&ev, "dpa_size", pd->dpa_size);
			log_hex(&ev, "dpa_skip", d->dpa_skip);
		} else {
			log_hex(&ev, "target_list", (uint64_t)d->target_hi << 32 | d->target_lo);
		}
		log_end(&ev);
	}
}

static void log_region(const struct fwregion *r)
{
	struct log_event ev;

	log_begin(&ev, r->errors ? LOG_ERROR : LOG_INFO, "fwregion.region");
	log_msg(&ev, "firmware's region [0x%llx, +0x%llx) %u-way %u B%s: %s", (unsigned long long)r->base,
		(unsigned long long)r->size, r->ways, r->granularity, r->locked ? ", locked" : "",
		!r->has_endpoints ? "no endpoint decoder below it"
		: r->touchable	  ? (r->errors ? "assembled, with findings" : "assembled")
				  : "cannot be touched safely");
	log_i64(&ev, "window", r->window);
	log_region_name(&ev, r->window);
	log_hex(&ev, "resource", r->base);
	log_hex(&ev, "size", r->size);
	log_u64(&ev, "interleave_ways", r->ways);
	log_u64(&ev, "interleave_granularity", r->granularity);
	log_str(&ev, "mode", region_mode_name(r->plan.mode));
	log_bool(&ev, "locked", r->locked);
	log_bool(&ev, "has_endpoints", r->has_endpoints);
	log_bool(&ev, "touchable", r->touchable);
	log_u64(&ev, "errors", r->errors);
	log_end(&ev);
}

static void log_typing(const struct fwregion *r, const struct region_typing_result *ty)
{
	static const enum log_level level[3] = { LOG_INFO, LOG_WARN, LOG_ERROR };
	struct log_event ev;

	log_begin(&ev, level[region_typing_severity(ty->typing)], "fwregion.memmap");
	log_msg(&ev, "firmware's region [0x%llx, +0x%llx) is %s in the memory map", (unsigned long long)r->base,
		(unsigned long long)r->size, region_typing_name(ty->typing));
	log_region_name(&ev, r->window);
	log_str(&ev, "typing", region_typing_name(ty->typing));
	log_u64(&ev, "fw_ranges", ty->nr_ranges);
	log_i64(&ev, "memmap_index", ty->fw_index);
	if (ty->nr_ranges) {
		log_str(&ev, "fw_type", fw_mem_type_name(ty->fw_type));
		log_hex(&ev, "fw_attr", ty->fw_attr);
		log_hex(&ev, "fw_start", ty->fw_start);
		log_hex(&ev, "fw_end", ty->fw_last);
	}
	log_str(&ev, "linux", region_typing_linux(ty->typing));
	log_end(&ev);
}

void fwregion_audit(struct run *run)
{
	struct fwregions *fr = &run->fw.fr;
	struct region_typing_result *typing = run->fw.typing;

	log_set_phase("audit");
	fwregion_reconstruct(&run->topo, fr, &run->findings);
	for (unsigned i = 0; i < fr->nr; i++) {
		const struct fwregion *r = &fr->r[i];

		log_region(r);
		log_decoders(&run->topo, r);
		region_typing_of(&run->map, r->base, r->size, &typing[i]);
		log_typing(r, &typing[i]);
		addrmap_add_span(&run->map, MAP_FWREGION, r->base, r->size,
				 region_typing_severity(typing[i].typing) < 2 ? REGION_TYPED : 0, 0, r->window);
	}
	if (fr->overflow)
		log_printf(LOG_ERROR, "fwregion.overflow", "more than %d firmware regions: the rest are not audited",
			   FWREGION_MAX);
	log_printf(LOG_INFO, "fwregion.summary", "%u firmware regions", fr->nr);
}

bool fwregion_holds_window(const struct run *run, unsigned w)
{
	return fwregion_in_window(&run->fw.fr, w) != NULL;
}

/*
 * May cxlval touch this region now, and on what terms: NULL, or the stable
 * reason why not. Conventional memory is claimed from firmware first.
 */
static const char *may_touch(const struct run *run, unsigned i, bool *claimed)
{
	const struct fwregion *r = &run->fw.fr.r[i];

	*claimed = false;
	switch (run->fw.typing[i].typing) {
	case RT_SOFT_RESERVED:
	case RT_PERSISTENT:
	case RT_ABSENT:
		return NULL; /* saved and restored line by line unless destructive */
	case RT_SYSTEM_RAM:
		if (!plat_claim_ram(r->base, r->size))
			return "memory_in_use";
		*claimed = true;
		return NULL;
	case RT_RESERVED:
		return run->destructive ? NULL : "reserved_memory";
	default:
		return run->destructive ? NULL : "memory_map_inconsistent";
	}
}

static const char *why_not(const struct run *run, const struct fwregion *r)
{
	if (!(run->windows & (1U << (r->window & 31))))
		return "not_selected";
	if (!r->has_endpoints)
		return "firmware_region_incomplete";
	if (!r->touchable)
		return "firmware_region_unroutable";
	if (run->program == PROGRAM_ALWAYS)
		return "program_always";
	return NULL;
}

/* One of firmware's decoders back exactly as discovery read it; returns the registers that differ. */
static unsigned put_back(struct run *run, const struct plan_decoder *pd)
{
	const struct cxl_decoder *d = topo_decoder(&run->topo, pd);
	const uint32_t found[7] = { (uint32_t)d->base, (uint32_t)(d->base >> 32), (uint32_t)d->size,
				    (uint32_t)(d->size >> 32), d->ctrl, d->target_lo, d->target_hi };

	return hdm_put_back(&run->drv, pd, found);
}

/*
 * The per-device cross-check over firmware's (unlocked) region: it uncommits
 * firmware's decoders and maps each device alone, so afterwards firmware's
 * exact registers go back, decoder by decoder, and are read back and
 * compared. The driver forgets what the cross-check changed: phase "restore"
 * must not undo firmware's region.
 */
static bool crosscheck_firmware(struct run *run, unsigned w, const struct fwregion *r)
{
	const struct region_plan *p = &r->plan;
	unsigned mark = run->drv.nr_changes, differ = 0;
	bool ok = cross_check(run, w, p);
	struct log_event ev;

	run->drv.nr_changes = mark;
	/* Endpoints first, then the ports from the deepest up: the order firmware commits a region in. */
	for (unsigned i = 0; i < p->nr_decoders; i++)
		if (p->decoders[i].is_endpoint)
			differ += put_back(run, &p->decoders[i]);
	for (unsigned i = p->nr_decoders; i-- > 0;)
		if (!p->decoders[i].is_endpoint)
			differ += put_back(run, &p->decoders[i]);
	log_begin(&ev, differ ? LOG_ERROR : LOG_INFO, "fwregion.put_back");
	log_msg(&ev, "region%u: firmware's %u decoders written back after the cross-check: %u registers differ", w,
		p->nr_decoders, differ);
	log_region_name(&ev, (int)w);
	log_u64(&ev, "decoders", p->nr_decoders);
	log_u64(&ev, "registers_differ", differ);
	log_end(&ev);
	return ok && !differ;
}

static void verify_one(struct run *run, const struct fwregion *r, unsigned i)
{
	unsigned w = (unsigned)r->window;
	const char *reason = why_not(run, r);
	bool claimed = false, ok;

	if (!reason)
		reason = may_touch(run, i, &claimed);
	if (reason) {
		log_printf(LOG_WARN, "fwregion.untouched", "region%u: firmware's region is not touched (%s)", w, reason);
		verdict_set(run->verdict, w, WS_NOT_VERIFIED, WO_FIRMWARE, reason, r->has_endpoints);
		return;
	}
	log_set_phase("touch");
	log_printf(LOG_INFO, "fwregion.touch", "region%u: firmware's region, touched against its decoders%s; no "
		   "decoder register is written%s", w, claimed ? " (memory claimed from firmware)" : "",
		   run->crosscheck_firmware && !r->locked ? " until the cross-check" : "");
	paging_region(run, w, r->base, r->size);
	ok = touch_region(run, w, &r->plan);
	if (ok && run->crosscheck_firmware && (r->locked || run->program == PROGRAM_NEVER))
		log_printf(LOG_INFO, "fwregion.crosscheck_skipped", "region%u: not cross-checked: %s", w,
			   r->locked ? "firmware locked its decoders" : "program = never writes no decoder");
	else if (ok && run->crosscheck_firmware)
		ok = crosscheck_firmware(run, w, r);
	if (claimed)
		plat_release_ram(r->base, r->size);
	if (!ok)
		run->routing_failed = true;
	verdict_set(run->verdict, w, ok ? WS_VERIFIED_FIRMWARE : WS_FAILED, WO_FIRMWARE, ok ? "" : "misrouted", true);
}

void fwregion_verify(struct run *run)
{
	const struct fwregions *fr = &run->fw.fr;

	for (unsigned i = 0; i < fr->nr; i++)
		if (fr->r[i].window >= 0 && fwregion_in_window(fr, (unsigned)fr->r[i].window) == &fr->r[i])
			verify_one(run, &fr->r[i], i);
}

static const uint32_t reg_offsets[7] = { CXL_HDM_BASE_LOW, CXL_HDM_BASE_HIGH,	CXL_HDM_SIZE_LOW,  CXL_HDM_SIZE_HIGH,
					 CXL_HDM_CTRL,	   CXL_HDM_TARGET_LOW, CXL_HDM_TARGET_HIGH };

struct readback {
	unsigned decoders, controls, changed, firmware_changed;
};

/* One decoder against what discovery read; logged when firmware committed it or it changed. */
static void readback_one(struct readback *rb, uint64_t regs, unsigned port_id, unsigned m, const struct cxl_decoder *d)
{
	uint32_t now[7], was[7] = { (uint32_t)d->base, (uint32_t)(d->base >> 32), (uint32_t)d->size,
				    (uint32_t)(d->size >> 32), d->ctrl, d->target_lo, d->target_hi };
	struct log_event ev;
	char name[24];
	bool same = true;

	for (unsigned k = 0; k < 7; k++) {
		now[k] = plat_mmio_read32(regs + CXL_HDM_DECODER(m) + reg_offsets[k]);
		if (k == 0 || k == 2)
			now[k] &= CXL_HDM_ADDR_LOW_MASK;
		same &= now[k] == was[k];
	}
	rb->decoders++;
	rb->changed += !same;
	rb->firmware_changed += !same && d->owned_by_firmware;
	if (same && !d->owned_by_firmware)
		return;
	cxl_decoder_name(port_id, m, name, sizeof(name));
	log_begin(&ev, same ? LOG_INFO : d->owned_by_firmware ? LOG_ERROR : LOG_WARN, "decoder.readback");
	log_str(&ev, "decoder", name);
	log_hex(&ev, "resource", (uint64_t)now[1] << 32 | now[0]);
	log_hex(&ev, "size", (uint64_t)now[3] << 32 | now[2]);
	log_hex(&ev, "control", now[4]);
	log_hex(&ev, "target_list", (uint64_t)now[6] << 32 | now[5]); /* DPA skip on endpoints */
	log_bool(&ev, "firmware", d->owned_by_firmware);
	log_bool(&ev, "unchanged", same);
	log_end(&ev);
}

static void readback_control(struct readback *rb, uint32_t now, uint32_t was)
{
	rb->controls++;
	rb->changed += now != was;
}

static void readback_component(struct readback *rb, const struct cxl_topology *topo, const struct cxl_hdm *hdm,
			       uint64_t regs, unsigned id, uint32_t global_saved)
{
	if (!regs)
		return;
	readback_control(rb, plat_mmio_read32(regs + CXL_HDM_GLOBAL_CTRL), global_saved);
	for (unsigned m = 0; m < hdm->nr_decoders; m++) {
		const struct cxl_decoder *d = cxl_hdm_decoder(topo, hdm, m);

		if (d)
			readback_one(rb, regs, id, m, d);
	}
}

void fwregion_readback(const struct run *run)
{
	const struct cxl_topology *topo = &run->topo;
	const struct cxl_hw *hw = &run->hw;
	struct readback rb = { 0 };
	struct log_event ev;
	bool bad;

	for (unsigned p = 0; p < topo->nr_ports; p++)
		readback_component(&rb, topo, &topo->ports[p].hdm, hw->port_hdm[p], topo->ports[p].id,
				   hw->port_global_saved[p]);
	for (unsigned e = 0; e < topo->nr_endpoints; e++) {
		readback_component(&rb, topo, &topo->endpoints[e].hdm, hw->ep_hdm[e], topo->endpoints[e].id,
				   hw->ep_global_saved[e]);
		if (hw->ep_dvsec[e])
			readback_control(&rb, pci_read16(hw->ep_cfg[e], hw->ep_dvsec[e] + CXL_DVSEC_CTRL),
					 hw->ep_dvsec_ctrl_saved[e]);
	}
	bad = rb.firmware_changed || (run->program == PROGRAM_NEVER && rb.changed);
	log_begin(&ev, bad ? LOG_ERROR : rb.changed ? LOG_WARN : LOG_INFO, "decoders.readback");
	log_msg(&ev, "%u decoders and %u HDM/DVSEC controls read back at the end: %u differ from what firmware left "
		"(%u of them firmware's)", rb.decoders, rb.controls, rb.changed, rb.firmware_changed);
	log_u64(&ev, "decoders", rb.decoders);
	log_u64(&ev, "controls", rb.controls);
	log_u64(&ev, "changed", rb.changed);
	log_u64(&ev, "firmware_changed", rb.firmware_changed);
	log_end(&ev);
}

void window_verdicts_log(struct run *run)
{
	const struct cxl_topology *topo = &run->topo;

	log_set_phase("verdict");
	run->nr_windows = topo->nr_windows < RUN_MAX_WINDOWS ? topo->nr_windows : RUN_MAX_WINDOWS;
	for (unsigned w = 0; w < run->nr_windows; w++) {
		struct window_verdict *v = &run->verdict[w];
		struct log_event ev;

		if (v->status == WS_NOT_VERIFIED && (!v->reason || !*v->reason))
			v->reason = "not_reached"; /* the CXL phases did not get to it: no usable host bridge or MCFG */

		log_begin(&ev, v->status == WS_FAILED ? LOG_ERROR : v->status == WS_NOT_VERIFIED ? LOG_WARN : LOG_INFO,
			  "window.verdict");
		if (v->status == WS_NOT_VERIFIED)
			log_msg(&ev, "window %u was not verified (%s)", w, v->reason);
		else if (v->status == WS_FAILED)
			log_msg(&ev, "window %u FAILED: %s", w, v->reason);
		else
			log_msg(&ev, "window %u verified: %s's region%u reaches every device as its decoders say", w,
				v->owner == WO_FIRMWARE ? "firmware" : "cxlval", w);
		log_u64(&ev, "window", w);
		log_hex(&ev, "resource", topo->windows[w].base);
		log_hex(&ev, "size", topo->windows[w].size);
		log_str(&ev, "status", window_status_name(v->status));
		log_str(&ev, "reason", v->reason ? v->reason : "");
		log_str(&ev, "owner", window_owner_name(v->owner));
		if (v->has_region)
			log_region_name(&ev, (int)w);
		log_end(&ev);
	}
}
