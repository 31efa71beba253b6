// SPDX-License-Identifier: MIT
#include "cxl/hdm.h"

#include <string.h>

#include "cxl/pci.h"
#include "cxl/regs.h"
#include "lib/fmt.h"
#include "lib/platform.h"

static const uint16_t reg_offsets[7] = { CXL_HDM_BASE_LOW, CXL_HDM_BASE_HIGH, CXL_HDM_SIZE_LOW,
					 CXL_HDM_SIZE_HIGH, CXL_HDM_CTRL,   CXL_HDM_TARGET_LOW,
					 CXL_HDM_TARGET_HIGH };
enum { R_BASE_LO, R_BASE_HI, R_SIZE_LO, R_SIZE_HI, R_CTRL, R_TGT_LO, R_TGT_HI };

void hdm_driver_init(struct hdm_driver *drv, const struct cxl_topology *topo, const struct cxl_hw *hw,
		     struct diag_sink *sink, uint32_t timeout_ms)
{
	memset(drv, 0, sizeof(*drv));
	drv->topo = topo;
	drv->hw = hw;
	drv->sink = sink;
	drv->timeout_ms = timeout_ms ? timeout_ms : CXL_HDM_COMMIT_TIMEOUT_MS;
}

const char *hdm_flush_when_name(enum hdm_flush_when w)
{
	static const char *const names[] = { "before_commit", "before_uncommit", "before_recommit",
					     "before_restore" };

	return w <= HDM_BEFORE_RESTORE ? names[w] : "unknown";
}

/* Write back and invalidate [lo, hi) before its mapping changes; see HDM_FLUSH_RANGE_MAX. */
static void flush(struct hdm_driver *drv, enum hdm_flush_when when, uint64_t lo, uint64_t hi)
{
	struct hdm_flush f = { .when = when, .hpa = lo, .bytes = hi - lo };
	uint64_t t0 = plat_timer_ns();

	if (hi <= lo)
		return;
	f.all = f.bytes > HDM_FLUSH_RANGE_MAX;
	if (f.all)
		f.cpus = plat_cache_flush_all();
	else
		plat_cache_flush(lo, f.bytes);
	f.ns = plat_timer_ns() - t0;
	drv->nr_flushes++;
	if (drv->on_flush)
		drv->on_flush(drv->flush_ctx, &f);
}

static void widen(uint64_t *lo, uint64_t *hi, uint64_t base, uint64_t size)
{
	*lo = base < *lo ? base : *lo;
	*hi = base + size > *hi ? base + size : *hi;
}

/* The HPA range a list of decoders maps: from the lowest base to the highest end. */
static void flush_decoders(struct hdm_driver *drv, enum hdm_flush_when when, const struct plan_decoder *d,
			   unsigned n)
{
	uint64_t lo = UINT64_MAX, hi = 0;

	for (unsigned i = 0; i < n; i++)
		widen(&lo, &hi, d[i].hpa_base, d[i].hpa_size);
	flush(drv, when, lo, hi);
}

static void fail(struct hdm_driver *drv, const struct plan_decoder *d, const char *field, const char *rule,
		 const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static void fail(struct hdm_driver *drv, const struct plan_decoder *d, const char *field, const char *rule,
		 const char *fmt, ...)
{
	char name[24], msg[160];
	va_list ap;

	/* The finding outlives this frame: the decoder's name goes into the message, not a pointer. */
	cxl_decoder_name(d->port_id, d->index, name, sizeof(name));
	va_start(ap, fmt);
	fmt_vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	diag_report(drv->sink, DIAG_ERROR, "HDM", DIAG_NO_INDEX, "decoder", field, DIAG_NO_OFFSET, rule, "%s: %s",
		    name, msg);
}

static uint64_t owner_regs(const struct hdm_driver *drv, const struct plan_decoder *d)
{
	return d->is_endpoint ? drv->hw->ep_hdm[d->owner] : drv->hw->port_hdm[d->owner];
}

/* The values the plan puts in the seven registers. */
static void plan_values(const struct plan_decoder *d, uint32_t v[7])
{
	uint64_t tgt = d->dpa_skip;

	if (!d->is_endpoint) {
		tgt = 0;
		for (unsigned k = 0; k < d->nr_targets && k < CXL_MAX_PORT_TARGETS; k++)
			tgt |= (uint64_t)d->targets[k] << (8 * k);
	}
	v[R_BASE_LO] = (uint32_t)d->hpa_base & CXL_HDM_ADDR_LOW_MASK;
	v[R_BASE_HI] = (uint32_t)(d->hpa_base >> 32);
	v[R_SIZE_LO] = (uint32_t)d->hpa_size & CXL_HDM_ADDR_LOW_MASK;
	v[R_SIZE_HI] = (uint32_t)(d->hpa_size >> 32);
	v[R_CTRL] = FIELD_PREP(CXL_HDM_CTRL_IG, d->ig) | FIELD_PREP(CXL_HDM_CTRL_IW, d->eniw) | CXL_HDM_CTRL_TYPE;
	v[R_TGT_LO] = (uint32_t)tgt;
	v[R_TGT_HI] = (uint32_t)(tgt >> 32);
}

/* Polls until the mask is set (or clear), bounded by the driver's timeout. */
static uint32_t poll_ctrl(const struct hdm_driver *drv, uint64_t ctrl, uint32_t mask, bool set, bool *timed_out)
{
	uint64_t deadline = plat_timer_ns() + (uint64_t)drv->timeout_ms * 1000000;
	uint32_t v;

	for (;;) {
		v = plat_mmio_read32(ctrl);
		if (v == ~0U || ((v & mask) != 0) == set) {
			*timed_out = false;
			return v;
		}
		if (plat_timer_ns() > deadline) {
			*timed_out = true;
			return v;
		}
		plat_delay_us(10);
	}
}

static void enable_global(struct hdm_driver *drv, uint64_t regs, bool *done)
{
	if (*done)
		return;
	plat_mmio_write32(regs + CXL_HDM_GLOBAL_CTRL,
			  plat_mmio_read32(regs + CXL_HDM_GLOBAL_CTRL) | CXL_HDM_GLOBAL_ENABLE);
	*done = true;
}

/*
 * Error Not Committed: clear Commit at once (Linux cxld_await_commit), or the
 * decoder keeps a half-done commit that a later write may complete, and put
 * the registers back as found. The decoder index is free again: its change
 * record goes (it is the newest).
 */
static void undo_refused(struct hdm_driver *drv, const struct hdm_change *c, uint32_t ctrl)
{
	plat_mmio_write32(c->regs + CXL_HDM_CTRL, ctrl & ~CXL_HDM_CTRL_COMMIT);
	for (int i = 0; i < 7; i++)
		if (i != R_CTRL)
			plat_mmio_write32(c->regs + reg_offsets[i], c->saved[i]);
	plat_mmio_write32(c->regs + CXL_HDM_CTRL, c->saved[R_CTRL] & ~CXL_HDM_CTRL_COMMIT);
	drv->nr_changes--;
}

static int commit_one(struct hdm_driver *drv, const struct plan_decoder *d)
{
	uint64_t regs = owner_regs(drv, d), r;
	struct hdm_change *c;
	uint32_t v[7], got;
	bool timed_out;

	if (!regs)
		return fail(drv, d, NULL, "hdm.no_registers", "no HDM decoder registers found for this port"), -1;
	if (drv->nr_changes >= HDM_MAX_CHANGES)
		return fail(drv, d, NULL, "hdm.too_many", "more than %d decoders in one run", HDM_MAX_CHANGES), -1;
	r = regs + CXL_HDM_DECODER(d->index);
	got = plat_mmio_read32(r + CXL_HDM_CTRL);
	/* Discovery said free; check again, the hardware is the truth. Never write what is not ours. */
	if (got & (CXL_HDM_CTRL_COMMITTED | CXL_HDM_CTRL_LOCK_ON_COMMIT) || got == ~0U)
		return fail(drv, d, "Control", "hdm.busy", "control 0x%x: committed, locked or gone; not touched",
			    got), -1;
	c = &drv->changes[drv->nr_changes++];
	c->regs = r;
	c->port_id = d->port_id;
	c->index = d->index;
	c->hpa_base = d->hpa_base;
	c->hpa_size = d->hpa_size;
	for (int i = 0; i < 7; i++)
		c->saved[i] = plat_mmio_read32(r + reg_offsets[i]);
	enable_global(drv, regs, d->is_endpoint ? &drv->ep_enabled[d->owner] : &drv->port_enabled[d->owner]);
	plan_values(d, v);
	for (int i = 0; i < 7; i++)
		if (i != R_CTRL)
			plat_mmio_write32(r + reg_offsets[i], v[i]);
	plat_mmio_write32(r + CXL_HDM_CTRL, v[R_CTRL]);
	plat_mmio_write32(r + CXL_HDM_CTRL, v[R_CTRL] | CXL_HDM_CTRL_COMMIT);
	got = poll_ctrl(drv, r + CXL_HDM_CTRL, CXL_HDM_CTRL_COMMITTED | CXL_HDM_CTRL_COMMIT_ERROR, true, &timed_out);
	if (timed_out)
		return fail(drv, d, "Control", "hdm.commit_timeout",
			    "not committed within %u ms (control 0x%x)", drv->timeout_ms, got), -1;
	if (got & CXL_HDM_CTRL_COMMIT_ERROR || !(got & CXL_HDM_CTRL_COMMITTED)) {
		undo_refused(drv, c, got);
		return fail(drv, d, "Control", "hdm.commit_error", "commit refused: control 0x%x", got), -1;
	}
	/* Commit itself may read back either way (QEMU clears it once Committed is set). */
	for (int i = 0; i < 7; i++) {
		const uint32_t ignore = CXL_HDM_CTRL_COMMIT | CXL_HDM_CTRL_LOCK_ON_COMMIT;
		uint32_t want = i == R_CTRL ? (v[i] | CXL_HDM_CTRL_COMMITTED) & ~ignore : v[i];

		got = plat_mmio_read32(r + reg_offsets[i]);
		if ((i == R_CTRL ? got & ~ignore : got) != want)
			return fail(drv, d, NULL, "hdm.readback", "register +0x%x reads 0x%x after commit, wrote 0x%x",
				    reg_offsets[i], got, want), -1;
	}
	return 0;
}

static void mem_enable(struct hdm_driver *drv, unsigned ep)
{
	uint64_t cfg = drv->hw->ep_cfg[ep];
	uint16_t dvsec = drv->hw->ep_dvsec[ep];

	if (!cfg || !dvsec || drv->ep_mem_enabled[ep])
		return;
	/* The status half of the dword is write-1-to-clear: write zeros there. */
	pci_write32(cfg, dvsec + CXL_DVSEC_CTRL,
		    (uint32_t)(pci_read16(cfg, dvsec + CXL_DVSEC_CTRL) | CXL_DVSEC_MEM_ENABLE));
	drv->ep_mem_enabled[ep] = true;
}

static int commit_list(struct hdm_driver *drv, const struct plan_decoder *d, unsigned n,
		       enum hdm_flush_when when)
{
	flush_decoders(drv, when, d, n);
	for (unsigned i = 0; i < n; i++) {
		if (commit_one(drv, &d[i]))
			return -1;
		if (d[i].is_endpoint)
			mem_enable(drv, d[i].owner);
	}
	return 0;
}

int hdm_commit_decoders(struct hdm_driver *drv, const struct plan_decoder *d, unsigned n)
{
	return commit_list(drv, d, n, HDM_BEFORE_COMMIT);
}

int hdm_commit_region(struct hdm_driver *drv, const struct region_plan *plan)
{
	if (plan->reason != PLAN_OK)
		return -1;
	return commit_list(drv, plan->decoders, plan->nr_decoders, HDM_BEFORE_COMMIT);
}

int hdm_recommit_region(struct hdm_driver *drv, const struct region_plan *plan)
{
	if (plan->reason != PLAN_OK)
		return -1;
	return commit_list(drv, plan->decoders, plan->nr_decoders, HDM_BEFORE_RECOMMIT);
}

int hdm_uncommit_decoders(struct hdm_driver *drv, const struct plan_decoder *d, unsigned n)
{
	flush_decoders(drv, HDM_BEFORE_UNCOMMIT, d, n);
	for (unsigned i = n; i-- > 0;) {
		uint64_t r = owner_regs(drv, &d[i]) + CXL_HDM_DECODER(d[i].index);
		uint32_t ctrl = plat_mmio_read32(r + CXL_HDM_CTRL);
		bool timed_out;

		plat_mmio_write32(r + CXL_HDM_CTRL, ctrl & ~CXL_HDM_CTRL_COMMIT);
		if (poll_ctrl(drv, r + CXL_HDM_CTRL, CXL_HDM_CTRL_COMMITTED, false, &timed_out) &
		    CXL_HDM_CTRL_COMMITTED)
			return -1;
		for (int k = 0; k < 7; k++)
			if (k != R_CTRL)
				plat_mmio_write32(r + reg_offsets[k], 0);
	}
	return 0;
}

unsigned hdm_put_back(struct hdm_driver *drv, const struct plan_decoder *d, const uint32_t found[7])
{
	const uint32_t status = CXL_HDM_CTRL_COMMITTED | CXL_HDM_CTRL_COMMIT_ERROR;
	uint64_t r = owner_regs(drv, d) + CXL_HDM_DECODER(d->index);
	unsigned differ = 0;
	bool timed_out;

	flush_decoders(drv, HDM_BEFORE_RECOMMIT, d, 1);
	if (plat_mmio_read32(r + CXL_HDM_CTRL) & CXL_HDM_CTRL_COMMITTED) {
		plat_mmio_write32(r + CXL_HDM_CTRL, plat_mmio_read32(r + CXL_HDM_CTRL) & ~CXL_HDM_CTRL_COMMIT);
		poll_ctrl(drv, r + CXL_HDM_CTRL, CXL_HDM_CTRL_COMMITTED, false, &timed_out);
	}
	for (int k = 0; k < 7; k++)
		if (k != R_CTRL)
			plat_mmio_write32(r + reg_offsets[k], found[k]);
	plat_mmio_write32(r + CXL_HDM_CTRL, found[R_CTRL] & ~status);
	if (found[R_CTRL] & CXL_HDM_CTRL_COMMITTED)
		poll_ctrl(drv, r + CXL_HDM_CTRL, status, true, &timed_out);
	for (int k = 0; k < 7; k++) {
		uint32_t got = plat_mmio_read32(r + reg_offsets[k]), want = found[k];

		if (k == R_BASE_LO || k == R_SIZE_LO || (k == R_TGT_LO && d->is_endpoint)) {
			got &= CXL_HDM_ADDR_LOW_MASK;
			want &= CXL_HDM_ADDR_LOW_MASK;
		}
		differ += got != want;
	}
	return differ;
}

/* Every range this driver programmed: it is what the restore unmaps. */
static void flush_changes(struct hdm_driver *drv)
{
	uint64_t lo = UINT64_MAX, hi = 0;

	for (unsigned i = 0; i < drv->nr_changes; i++)
		widen(&lo, &hi, drv->changes[i].hpa_base, drv->changes[i].hpa_size);
	flush(drv, HDM_BEFORE_RESTORE, lo, hi);
}

unsigned hdm_restore(struct hdm_driver *drv)
{
	unsigned stuck = 0;

	flush_changes(drv);

	for (unsigned i = drv->nr_changes; i-- > 0;) {
		const struct hdm_change *c = &drv->changes[i];
		uint32_t ctrl = plat_mmio_read32(c->regs + CXL_HDM_CTRL);
		bool timed_out;

		plat_mmio_write32(c->regs + CXL_HDM_CTRL, ctrl & ~CXL_HDM_CTRL_COMMIT);
		ctrl = poll_ctrl(drv, c->regs + CXL_HDM_CTRL, CXL_HDM_CTRL_COMMITTED, false, &timed_out);
		if (ctrl & CXL_HDM_CTRL_COMMITTED) {
			stuck++;
			diag_report(drv->sink, DIAG_WARN, "HDM", DIAG_NO_INDEX, "HDM decoder", "Control", DIAG_NO_OFFSET,
				    "hdm.uncommit_refused",
				    "decoder%u.%u stays committed after clearing Commit (control 0x%x): left as is",
				    c->port_id, c->index, ctrl);
			continue;
		}
		for (int r = 0; r < 7; r++)
			if (r != R_CTRL)
				plat_mmio_write32(c->regs + reg_offsets[r], c->saved[r]);
		plat_mmio_write32(c->regs + CXL_HDM_CTRL, c->saved[R_CTRL]);
		for (int r = 0; r < 7; r++)
			if (plat_mmio_read32(c->regs + reg_offsets[r]) != c->saved[r])
				drv->not_restored++;
	}
	for (unsigned p = 0; p < CXL_MAX_PORTS; p++)
		if (drv->port_enabled[p])
			plat_mmio_write32(drv->hw->port_hdm[p] + CXL_HDM_GLOBAL_CTRL, drv->hw->port_global_saved[p]);
	for (unsigned e = 0; e < CXL_MAX_ENDPOINTS; e++) {
		if (drv->ep_enabled[e])
			plat_mmio_write32(drv->hw->ep_hdm[e] + CXL_HDM_GLOBAL_CTRL, drv->hw->ep_global_saved[e]);
		if (drv->ep_mem_enabled[e])
			pci_write32(drv->hw->ep_cfg[e], drv->hw->ep_dvsec[e] + CXL_DVSEC_CTRL,
				    drv->hw->ep_dvsec_ctrl_saved[e]);
	}
	cxl_discover_restore(drv->hw);
	return stuck;
}
