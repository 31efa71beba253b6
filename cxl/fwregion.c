// SPDX-License-Identifier: MIT
/*
 * Firmware's regions (cxl/fwregion.h, docs/firmware.md). Three passes:
 * every component's decoders on their own (commit order, zero size,
 * alignment, increasing HPA: Linux init_hdm_decoder); endpoint decoders
 * grouped by HPA range into regions, each checked against its window and the
 * port decoders on its paths (cxl_port_setup_targets' ways and granularity
 * rules, target lists against dports); positions found by routing one
 * address per position through the decoders as committed. Port decoders no
 * region accounts for are the last finding: a host bridge committed alone.
 */
#include "cxl/fwregion.h"

#include <stdarg.h>
#include <string.h>

#include "lib/bits.h"
#include "lib/fmt.h"
#include "cxl/regs.h"

#define REG(m, r) ((uint32_t)(CXL_HDM_DECODER(m) + (r))) /* offset from the HDM capability */

struct member {
	int16_t ep;
	uint8_t m;
};

struct ctx {
	const struct cxl_topology *t;
	struct diag_sink *sink;
	unsigned errors;
	struct fwregion *cur;
	bool used[CXL_MAX_DECODERS];	/* a region accounts for this port decoder */
	bool checked[CXL_MAX_DECODERS]; /* its target list was audited */
};

static void finding(struct ctx *c, enum diag_severity sev, const char *rule, const char *field, uint32_t reg,
		    const char *fmt, ...) __attribute__((format(printf, 6, 7)));

static void finding(struct ctx *c, enum diag_severity sev, const char *rule, const char *field, uint32_t reg,
		    const char *fmt, ...)
{
	va_list ap;

	if (sev >= DIAG_ERROR) {
		c->errors++;
		if (c->cur)
			c->cur->errors++;
	}
	if (!c->sink)
		return;
	va_start(ap, fmt);
	diag_vreport(c->sink, sev, "HDM", DIAG_NO_INDEX, "decoder", field, reg, rule, fmt, ap);
	va_end(ap);
}

static const struct cxl_hdm *hdm_of(const struct cxl_topology *t, bool endpoint, int owner)
{
	return endpoint ? &t->endpoints[owner].hdm : &t->ports[owner].hdm;
}

static unsigned id_of(const struct cxl_topology *t, bool endpoint, int owner)
{
	return endpoint ? t->endpoints[owner].id : t->ports[owner].id;
}

static unsigned dec_index(const struct cxl_topology *t, const struct cxl_decoder *d)
{
	return (unsigned)(d - t->decoders);
}

static uint64_t end_of(const struct cxl_decoder *d)
{
	return d->base + d->size;
}

/* ---- pass 1: each component on its own ---- */

static void audit_decoder(struct ctx *c, unsigned id, unsigned m, const struct cxl_decoder *d,
			  const struct cxl_decoder *prev, unsigned prev_m)
{
	if (!d->size) {
		finding(c, DIAG_ERROR, "fwregion.zero_size", "Size", REG(m, CXL_HDM_SIZE_LOW),
			"decoder%u.%u is committed with size 0 (control 0x%x, base 0x%llx): Linux refuses the port",
			id, m, d->ctrl, (unsigned long long)d->base);
		return;
	}
	if (!d->ways || !d->granularity)
		finding(c, DIAG_ERROR, "fwregion.encoding", "Control", REG(m, CXL_HDM_CTRL),
			"decoder%u.%u control 0x%x: IW %u / IG %u is not a valid encoding", id, m, d->ctrl,
			(unsigned)FIELD_GET(CXL_HDM_CTRL_IW, d->ctrl), (unsigned)FIELD_GET(CXL_HDM_CTRL_IG, d->ctrl));
	else if (!IS_ALIGNED(d->base, SZ_256M) || d->size % (SZ_256M * d->ways))
		finding(c, DIAG_ERROR, "fwregion.size_multiple", "Size", REG(m, CXL_HDM_SIZE_LOW),
			"decoder%u.%u [0x%llx, +0x%llx): base not 256 MiB aligned or size not a multiple of "
			"256 MiB x %u ways",
			id, m, (unsigned long long)d->base, (unsigned long long)d->size, d->ways);
	if (prev && d->base < end_of(prev))
		finding(c, DIAG_ERROR, "fwregion.hpa_order", "Base", REG(m, CXL_HDM_BASE_LOW),
			"decoder%u.%u starts at 0x%llx, below the end 0x%llx of decoder%u.%u: decoders commit in "
			"increasing HPA without overlap",
			id, m, (unsigned long long)d->base, (unsigned long long)end_of(prev), id, prev_m);
}

static void audit_component(struct ctx *c, bool endpoint, int owner)
{
	const struct cxl_hdm *hdm = hdm_of(c->t, endpoint, owner);
	const struct cxl_decoder *prev = NULL;
	unsigned id = id_of(c->t, endpoint, owner), prev_m = 0;
	int hole = -1; /* lowest uncommitted decoder so far */

	for (unsigned m = 0; m < hdm->nr_decoders; m++) {
		const struct cxl_decoder *d = cxl_hdm_decoder(c->t, hdm, m);

		if (!d || !d->committed) {
			if (d && hole < 0)
				hole = (int)m;
			continue;
		}
		if (hole >= 0)
			finding(c, DIAG_ERROR, "fwregion.commit_order", "Control", REG(m, CXL_HDM_CTRL),
				"decoder%u.%u is committed (control 0x%x) but decoder%u.%d below it is not: committed "
				"out of order",
				id, m, d->ctrl, id, hole);
		audit_decoder(c, id, m, d, prev, prev_m);
		if (d->size) {
			prev = d;
			prev_m = m;
		}
	}
}

/* ---- following an address down the decoders as committed ---- */

static int decoder_at(const struct cxl_topology *t, const struct cxl_hdm *hdm, uint64_t hpa)
{
	for (unsigned m = 0; m < hdm->nr_decoders; m++) {
		const struct cxl_decoder *d = cxl_hdm_decoder(t, hdm, m);

		if (d && d->committed && d->ways && d->granularity && hpa >= d->base && hpa < end_of(d))
			return (int)m;
	}
	return -1;
}

static struct ileave window_il(const struct cxl_window *w, uint64_t base, unsigned ways, unsigned gran)
{
	struct ileave il = { .base = base, .ways = ways, .granularity = gran, .arith = w->arith };

	if (w->arith == ILEAVE_XOR) {
		il.nr_xormaps = ileave_xormaps_needed(w->ways);
		memcpy(il.xormaps, w->xormaps, sizeof(il.xormaps));
	}
	return il;
}

static struct ileave decoder_il(const struct cxl_decoder *d)
{
	struct ileave il = { .base = d->base, .ways = d->ways, .granularity = d->granularity };

	return il;
}

static int only_dport(const struct cxl_topology *t, int port)
{
	int found = -1;

	for (unsigned d = 0; d < t->nr_dports; d++)
		if (t->dports[d].port == port) {
			if (found >= 0)
				return -1;
			found = (int)d;
		}
	return found;
}

/* The endpoint hpa reaches (its decoder in *m, the DPA in *dpa), or -1 with the reason in why. */
static int walk(const struct cxl_topology *t, const struct cxl_window *w, uint64_t hpa, unsigned *m_out,
		uint64_t *dpa, char *why, size_t cap)
{
	struct ileave wil = window_il(w, w->base, w->ways, w->granularity);
	unsigned k = ileave_hpa_to_pos(&wil, hpa - w->base);
	int port = cxl_topo_find_host_bridge(t, w->target_uid[k]);

	if (port < 0) {
		fmt_snprintf(why, cap, "window target %u names host bridge UID %u, which was not found", k,
			     w->target_uid[k]);
		return -1;
	}
	for (unsigned depth = 0; depth < CXL_MAX_PATH; depth++) {
		const struct cxl_port *p = &t->ports[port];
		const struct cxl_dport *dp;
		int d, m;

		if (!p->hdm.present) {
			d = only_dport(t, port);
		} else {
			const struct cxl_decoder *dec;
			struct ileave il;

			m = decoder_at(t, &p->hdm, hpa);
			if (m < 0) {
				fmt_snprintf(why, cap, "port%u has no committed decoder for HPA 0x%llx", p->id,
					     (unsigned long long)hpa);
				return -1;
			}
			dec = cxl_hdm_decoder(t, &p->hdm, (unsigned)m);
			if (dec->ways > CXL_MAX_PORT_TARGETS) {
				fmt_snprintf(why, cap, "decoder%u.%d interleaves %u ways, more than a target list holds",
					     p->id, m, dec->ways);
				return -1;
			}
			il = decoder_il(dec);
			k = ileave_hpa_to_pos(&il, hpa - dec->base);
			d = cxl_topo_find_dport(t, port, dec->targets[k]);
			if (d < 0) {
				fmt_snprintf(why, cap, "decoder%u.%d target %u is port number %u, which no dport of port%u has",
					     p->id, m, k, dec->targets[k], p->id);
				return -1;
			}
		}
		if (d < 0) {
			fmt_snprintf(why, cap, "port%u has no HDM decoders and more than one dport", p->id);
			return -1;
		}
		dp = &t->dports[d];
		if (dp->child_port >= 0) {
			port = dp->child_port;
			continue;
		}
		if (dp->child_endpoint < 0 || !t->endpoints[dp->child_endpoint].hdm.present ||
		    (m = decoder_at(t, &t->endpoints[dp->child_endpoint].hdm, hpa)) < 0) {
			fmt_snprintf(why, cap, "dport %u of port%u: no endpoint decoder there decodes HPA 0x%llx",
				     dp->port_number, p->id, (unsigned long long)hpa);
			return -1;
		}
		{
			const struct cxl_decoder *dec = cxl_hdm_decoder(t, &t->endpoints[dp->child_endpoint].hdm,
									(unsigned)m);
			struct ileave il = decoder_il(dec);

			*m_out = (unsigned)m;
			*dpa = dec->dpa_base + ileave_hpa_to_dpa(&il, hpa - dec->base);
		}
		return dp->child_endpoint;
	}
	fmt_snprintf(why, cap, "more than %u ports below the host bridge", CXL_MAX_PATH);
	return -1;
}

/* ---- pass 2: regions from endpoint decoders ---- */

struct build {
	unsigned nr;
	bool extra;
	struct member mb[ILEAVE_MAX_WAYS];
};

static struct build builds[FWREGION_MAX];

static const struct cxl_decoder *member_dec(const struct cxl_topology *t, const struct member *mb)
{
	return cxl_hdm_decoder(t, &t->endpoints[mb->ep].hdm, mb->m);
}

static bool has_endpoint(const struct build *b, int e)
{
	for (unsigned i = 0; i < b->nr; i++)
		if (b->mb[i].ep == e)
			return true;
	return false;
}

static void group(struct ctx *c, struct fwregions *out)
{
	const struct cxl_topology *t = c->t;

	for (unsigned e = 0; e < t->nr_endpoints; e++)
		for (unsigned m = 0; m < t->endpoints[e].hdm.nr_decoders; m++) {
			const struct cxl_decoder *d = cxl_hdm_decoder(t, &t->endpoints[e].hdm, m);
			unsigned r;

			if (!d || !d->committed || !d->size || !d->ways || !d->granularity)
				continue;
			for (r = 0; r < out->nr; r++)
				if (out->r[r].base == d->base && out->r[r].size == d->size)
					break;
			if (r == out->nr) {
				if (out->nr == FWREGION_MAX) {
					out->overflow = true;
					continue;
				}
				memset(&out->r[r], 0, sizeof(out->r[r]));
				memset(&builds[r], 0, sizeof(builds[r]));
				out->r[r].base = d->base;
				out->r[r].size = d->size;
				out->r[r].ways = d->ways;
				out->r[r].granularity = d->granularity;
				out->r[r].has_endpoints = true;
				out->nr++;
			}
			if (has_endpoint(&builds[r], (int)e))
				continue; /* a second decoder of one device over the same range: fwregion.hpa_order */
			if (builds[r].nr == ILEAVE_MAX_WAYS) {
				builds[r].extra = true;
				continue;
			}
			builds[r].mb[builds[r].nr++] = (struct member){ (int16_t)e, (uint8_t)m };
		}
}

static int find_window(struct ctx *c, const struct fwregion *fr)
{
	const struct cxl_topology *t = c->t;
	unsigned inside = 0, touch = 0;
	int w = -1;

	for (unsigned i = 0; i < t->nr_windows; i++) {
		const struct cxl_window *win = &t->windows[i];

		if (fr->base >= win->base && fr->base + fr->size <= win->base + win->size) {
			inside++;
			w = (int)i;
		}
		touch += fr->base < win->base + win->size && win->base < fr->base + fr->size;
	}
	if (inside == 1)
		return w;
	finding(c, DIAG_ERROR, touch > 1 ? "fwregion.spans_windows" : "fwregion.outside_window", "Base",
		DIAG_NO_OFFSET, "region [0x%llx, +0x%llx): %s", (unsigned long long)fr->base,
		(unsigned long long)fr->size,
		touch > 1 ? "spans more than one CFMWS window" : "lies inside no single CFMWS window");
	return -1;
}

/* Returns false when a device would be asked for DPA it does not have: not safe to touch. */
static bool check_members(struct ctx *c, struct fwregion *fr, const struct build *b)
{
	const struct cxl_topology *t = c->t;
	const struct cxl_decoder *d0 = member_dec(t, &b->mb[0]);
	unsigned id0 = t->endpoints[b->mb[0].ep].id;
	bool fits = true;

	for (unsigned i = 0; i < b->nr; i++) {
		const struct member *mb = &b->mb[i];
		const struct cxl_endpoint *ep = &t->endpoints[mb->ep];
		const struct cxl_decoder *d = member_dec(t, mb);
		uint64_t cap = ep->volatile_bytes + ep->persistent_bytes, end = d->dpa_base + d->dpa_size;
		bool vol = end <= ep->volatile_bytes, pers = d->dpa_base >= ep->volatile_bytes;

		fr->locked |= d->locked;
		if (d->ways != d0->ways || d->granularity != d0->granularity)
			finding(c, DIAG_ERROR, "fwregion.endpoint_mismatch", "Control", REG(mb->m, CXL_HDM_CTRL),
				"decoder%u.%u (control 0x%x: %u-way, %u B) and decoder%u.%u (control 0x%x: %u-way, %u B) "
				"decode the same range differently",
				ep->id, mb->m, d->ctrl, d->ways, d->granularity, id0, b->mb[0].m, d0->ctrl, d0->ways,
				d0->granularity);
		fits &= end <= cap;
		if (end > cap)
			finding(c, DIAG_ERROR, "fwregion.dpa_capacity", "DPA Skip", REG(mb->m, CXL_HDM_TARGET_LOW),
				"decoder%u.%u claims DPA [0x%llx, 0x%llx) (skip 0x%llx) but mem%u has 0x%llx bytes",
				ep->id, mb->m, (unsigned long long)d->dpa_base, (unsigned long long)end,
				(unsigned long long)d->dpa_skip, ep->mem_id, (unsigned long long)cap);
		else if (!vol && !pers)
			finding(c, DIAG_ERROR, "fwregion.dpa_partition", "DPA Skip", REG(mb->m, CXL_HDM_TARGET_LOW),
				"decoder%u.%u claims DPA [0x%llx, 0x%llx), across mem%u's volatile/persistent boundary "
				"0x%llx",
				ep->id, mb->m, (unsigned long long)d->dpa_base, (unsigned long long)end, ep->mem_id,
				(unsigned long long)ep->volatile_bytes);
		if (i == 0)
			fr->plan.mode = vol ? REGION_RAM : REGION_PMEM;
	}
	if (b->nr < fr->ways || b->extra)
		finding(c, DIAG_ERROR, "fwregion.endpoint_missing", "Control", REG(b->mb[0].m, CXL_HDM_CTRL),
			"region [0x%llx, +0x%llx) is %u-way (decoder%u.%u control 0x%x) but %s%u endpoint decoders "
			"decode it",
			(unsigned long long)fr->base, (unsigned long long)fr->size, fr->ways, id0, b->mb[0].m,
			d0->ctrl, b->extra ? "more than " : "", b->nr);
	return fits;
}

static void check_window(struct ctx *c, struct fwregion *fr, const struct cxl_window *w)
{
	if (!w->ways || fr->ways % w->ways)
		finding(c, DIAG_ERROR, "fwregion.ways_window", "Control", DIAG_NO_OFFSET,
			"region [0x%llx, +0x%llx) is %u-way, not a multiple of CFMWS[%d]'s %u ways (ENIW)",
			(unsigned long long)fr->base, (unsigned long long)fr->size, fr->ways, w->cedt_index, w->ways);
	else if (w->ways > 1 && fr->granularity != w->granularity)
		finding(c, DIAG_ERROR, "fwregion.granularity_window", "Control", DIAG_NO_OFFSET,
			"region [0x%llx, +0x%llx) interleaves at %u B, CFMWS[%d] at %u B (HBIG): an interleaving "
			"window fixes the region granularity",
			(unsigned long long)fr->base, (unsigned long long)fr->size, fr->granularity, w->cedt_index,
			w->granularity);
	if (fr->plan.mode == REGION_RAM ? !w->allow_volatile : !w->allow_persistent)
		finding(c, DIAG_WARN, "fwregion.window_restrictions", "Window Restrictions", DIAG_NO_OFFSET,
			"region [0x%llx, +0x%llx) holds %s capacity, which CFMWS[%d] restrictions 0x%x do not allow",
			(unsigned long long)fr->base, (unsigned long long)fr->size, region_mode_name(fr->plan.mode),
			w->cedt_index, w->restrictions);
}

/* Target list entries name dports of the port, each once (Linux cxl_port_setup_targets). */
static void check_targets(struct ctx *c, int port, unsigned m, const struct cxl_decoder *d)
{
	unsigned id = c->t->ports[port].id;

	if (c->checked[dec_index(c->t, d)])
		return;
	c->checked[dec_index(c->t, d)] = true;
	for (unsigned k = 0; k < d->ways && k < CXL_MAX_PORT_TARGETS; k++) {
		if (cxl_topo_find_dport(c->t, port, d->targets[k]) < 0)
			finding(c, DIAG_ERROR, "fwregion.target_no_dport", "Target List", REG(m, CXL_HDM_TARGET_LOW),
				"decoder%u.%u target list 0x%08x%08x: entry %u is port number %u, which no dport of "
				"port%u has",
				id, m, d->target_hi, d->target_lo, k, d->targets[k], id);
		for (unsigned j = 0; j < k; j++)
			if (d->targets[j] == d->targets[k])
				finding(c, DIAG_ERROR, "fwregion.target_duplicate", "Target List",
					REG(m, CXL_HDM_TARGET_LOW),
					"decoder%u.%u target list 0x%08x%08x: entries %u and %u both name port number %u: "
					"two positions reach one dport (aliasing)",
					id, m, d->target_hi, d->target_lo, j, k, d->targets[k]);
	}
}

/*
 * The ports from the host bridge down to an endpoint: each needs a decoder
 * for exactly the region's range, with ways and granularity that compose:
 * a port interleaving n ways selects on the address bit the level above
 * left (region granularity x the ways above), and the product of all ways
 * is the region's.
 */
static bool check_path(struct ctx *c, struct fwregion *fr, const struct cxl_window *w, const struct member *mb,
		       struct region_plan *plan)
{
	const struct cxl_topology *t = c->t;
	int path[CXL_MAX_PATH + 1], n = 0, port = cxl_endpoint_port(t, mb->ep), hb;
	uint64_t sel = (uint64_t)fr->granularity << __builtin_ctz(w->ways ? w->ways : 1);
	unsigned ways = w->ways;
	bool ok = true, in_window = false;

	for (; port >= 0 && n <= CXL_MAX_PATH; n++) {
		path[n] = port;
		if (t->ports[port].type == CXL_PORT_HOST_BRIDGE)
			break;
		port = t->ports[port].parent_dport >= 0 ? t->dports[t->ports[port].parent_dport].port : -1;
	}
	hb = n <= CXL_MAX_PATH && port >= 0 ? path[n] : -1;
	for (unsigned k = 0; hb >= 0 && k < w->ways; k++)
		in_window |= t->ports[hb].uid == w->target_uid[k];
	if (!in_window) {
		finding(c, DIAG_ERROR, "fwregion.hb_not_in_window", "Target List", DIAG_NO_OFFSET,
			"endpoint%u is below host bridge UID %u, which CFMWS[%d] does not list as a target",
			t->endpoints[mb->ep].id, hb >= 0 ? t->ports[hb].uid : 0, w->cedt_index);
		return false;
	}
	for (int i = n; i >= 0; i--) {
		const struct cxl_port *p = &t->ports[path[i]];
		const struct cxl_decoder *d;
		int m;

		if (!p->hdm.present)
			continue;
		m = decoder_at(t, &p->hdm, fr->base);
		d = m < 0 ? NULL : cxl_hdm_decoder(t, &p->hdm, (unsigned)m);
		if (!d || d->base != fr->base || d->size != fr->size) {
			finding(c, DIAG_ERROR, "fwregion.port_decoder_missing", "Base", DIAG_NO_OFFSET,
				"port%u has no committed decoder for exactly [0x%llx, +0x%llx)%s", p->id,
				(unsigned long long)fr->base, (unsigned long long)fr->size,
				d ? ": its decoder covers a different range" : "");
			ok = false;
			continue;
		}
		fr->locked |= d->locked;
		if (!c->used[dec_index(t, d)] && plan->nr_decoders < PLAN_MAX_DECODERS) {
			struct plan_decoder *pd = &plan->decoders[plan->nr_decoders++];

			*pd = (struct plan_decoder){ .owner = (uint16_t)path[i], .port_id = p->id, .index = (uint8_t)m,
						     .hpa_base = d->base, .hpa_size = d->size, .ways = d->ways,
						     .granularity = d->granularity, .nr_targets = (uint8_t)d->ways,
						     .position = -1 };
			pd->eniw = (uint8_t)FIELD_GET(CXL_HDM_CTRL_IW, d->ctrl);
			pd->ig = (uint8_t)FIELD_GET(CXL_HDM_CTRL_IG, d->ctrl);
			memcpy(pd->targets, d->targets, sizeof(pd->targets));
		}
		c->used[dec_index(t, d)] = true;
		check_targets(c, path[i], (unsigned)m, d);
		if (d->ways > 1 && d->granularity != sel)
			finding(c, DIAG_ERROR, "fwregion.granularity_mismatch", "Control", REG(m, CXL_HDM_CTRL),
				"decoder%u.%u control 0x%x selects on %u B, this level must select on %llu B (region "
				"%u B x %u ways above)",
				p->id, m, d->ctrl, d->granularity, (unsigned long long)sel, fr->granularity,
				(unsigned)(sel / fr->granularity));
		sel *= d->ways;
		ways *= d->ways;
	}
	if (ok && ways != fr->ways)
		finding(c, DIAG_ERROR, "fwregion.ways_mismatch", "Control", DIAG_NO_OFFSET,
			"endpoint%u decodes %u-way, but the window (%u-way) and the port decoders above it give %u ways",
			t->endpoints[mb->ep].id, fr->ways, w->ways, ways);
	return ok;
}

static void add_endpoint_decoder(const struct cxl_topology *t, struct region_plan *plan, const struct member *mb,
				 int pos)
{
	const struct cxl_decoder *d = member_dec(t, mb);
	struct plan_decoder *pd = &plan->decoders[plan->nr_decoders++];

	*pd = (struct plan_decoder){ .is_endpoint = true, .owner = (uint16_t)mb->ep,
				     .port_id = t->endpoints[mb->ep].id, .index = mb->m, .hpa_base = d->base,
				     .hpa_size = d->size, .ways = d->ways, .granularity = d->granularity,
				     .dpa_skip = d->dpa_skip, .dpa_base = d->dpa_base, .dpa_size = d->dpa_size,
				     .position = pos };
	pd->eniw = (uint8_t)FIELD_GET(CXL_HDM_CTRL_IW, d->ctrl);
	pd->ig = (uint8_t)FIELD_GET(CXL_HDM_CTRL_IG, d->ctrl);
}

/*
 * Positions by routing: position p is where the address of its first granule
 * goes. Returns true when every position reached an endpoint decoder of the
 * region (touching is then safe, even if two positions reach one device).
 */
static bool place(struct ctx *c, struct fwregion *fr, const struct cxl_window *w, const struct build *b,
		  int *member_at)
{
	const struct cxl_topology *t = c->t;
	bool taken[ILEAVE_MAX_WAYS] = { false }, routed = true;

	for (unsigned p = 0; p < fr->ways; p++) {
		uint64_t hpa = fr->base + ileave_dpa_to_hpa(&fr->plan.il, p, 0), dpa;
		unsigned m = 0, i;
		char why[120];
		int e = walk(t, w, hpa, &m, &dpa, why, sizeof(why));

		member_at[p] = -1;
		if (e < 0) {
			finding(c, DIAG_ERROR, "fwregion.position_unrouted", "Target List", DIAG_NO_OFFSET,
				"region [0x%llx, +0x%llx) position %u (HPA 0x%llx) reaches no device: %s",
				(unsigned long long)fr->base, (unsigned long long)fr->size, p, (unsigned long long)hpa,
				why);
			routed = false;
			continue;
		}
		for (i = 0; i < b->nr; i++)
			if (b->mb[i].ep == e && b->mb[i].m == m)
				break;
		if (i == b->nr) {
			finding(c, DIAG_ERROR, "fwregion.position_unrouted", "Target List", DIAG_NO_OFFSET,
				"region [0x%llx, +0x%llx) position %u (HPA 0x%llx) reaches decoder%u.%u of mem%u, which "
				"does not belong to the region",
				(unsigned long long)fr->base, (unsigned long long)fr->size, p, (unsigned long long)hpa,
				t->endpoints[e].id, m, t->endpoints[e].mem_id);
			routed = false;
			continue;
		}
		if (taken[i]) {
			finding(c, DIAG_ERROR, "fwregion.position_duplicate", "Target List", DIAG_NO_OFFSET,
				"region [0x%llx, +0x%llx) position %u (HPA 0x%llx) reaches mem%u DPA 0x%llx, which an "
				"earlier position already reaches: the target lists alias",
				(unsigned long long)fr->base, (unsigned long long)fr->size, p, (unsigned long long)hpa,
				t->endpoints[e].mem_id, (unsigned long long)dpa);
			continue;
		}
		taken[i] = true;
		member_at[p] = (int)i;
	}
	/* Endpoints no position reached take the positions left: the expectation a correct BIOS would meet. */
	for (unsigned p = 0, i = 0; p < fr->ways; p++)
		if (member_at[p] < 0) {
			while (i < b->nr && taken[i])
				i++;
			if (i < b->nr) {
				taken[i] = true;
				member_at[p] = (int)i;
			}
		}
	return routed;
}

static void assemble(struct ctx *c, struct fwregion *fr, const struct build *b)
{
	const struct cxl_topology *t = c->t;
	const struct cxl_window *w;
	struct region_plan *plan = &fr->plan;
	int member_at[ILEAVE_MAX_WAYS];
	bool paths = true, routed, complete = true, fits;
	static struct region_plan ports; /* port decoders as the paths find them; endpoints go first */

	plan->window = fr->window < 0 ? 0 : (unsigned)fr->window;
	plan->reason = PLAN_INTERNAL;
	plan->hpa_base = fr->base;
	plan->size = fr->size;
	plan->ways = fr->ways;
	plan->granularity = fr->granularity;
	for (unsigned p = 0; p < ILEAVE_MAX_WAYS; p++)
		plan->endpoint_at[p] = -1;
	fits = check_members(c, fr, b);
	if (fr->window < 0) {
		fmt_snprintf(plan->message, sizeof(plan->message), "inside no single window");
		return;
	}
	w = &t->windows[fr->window];
	check_window(c, fr, w);
	if (!ileave_ways_valid(w->ways) || !w->granularity) {
		fmt_snprintf(plan->message, sizeof(plan->message), "the window's interleave is not valid");
		return;
	}
	plan->il = window_il(w, fr->base, fr->ways, fr->granularity);
	ports.nr_decoders = 0;
	for (unsigned i = 0; i < b->nr; i++)
		paths &= check_path(c, fr, w, &b->mb[i], &ports);
	if (!ileave_ways_valid(fr->ways) || ileave_check(&plan->il) != ILEAVE_OK) {
		fmt_snprintf(plan->message, sizeof(plan->message), "%u-way at %u B cannot be decoded", fr->ways,
			     fr->granularity);
		return;
	}
	routed = place(c, fr, w, b, member_at);
	plan->nr_endpoints = 0;
	for (unsigned p = 0; p < fr->ways; p++) {
		if (member_at[p] < 0) {
			complete = false;
			continue;
		}
		plan->endpoint_at[p] = b->mb[member_at[p]].ep;
		add_endpoint_decoder(t, plan, &b->mb[member_at[p]], (int)p);
		plan->nr_endpoints++;
	}
	for (unsigned i = 0; i < ports.nr_decoders && plan->nr_decoders < PLAN_MAX_DECODERS; i++)
		plan->decoders[plan->nr_decoders++] = ports.decoders[i];
	fr->touchable = paths && routed && complete && fits;
	if (fr->touchable)
		plan->reason = PLAN_OK;
	else
		fmt_snprintf(plan->message, sizeof(plan->message),
			     "firmware's region [0x%llx, +0x%llx) does not reach a device from every position",
			     (unsigned long long)fr->base, (unsigned long long)fr->size);
}

/* ---- pass 3: port decoders no region accounts for ---- */

static void orphans(struct ctx *c, struct fwregions *out)
{
	const struct cxl_topology *t = c->t;

	for (unsigned p = 0; p < t->nr_ports; p++)
		for (unsigned m = 0; m < t->ports[p].hdm.nr_decoders; m++) {
			const struct cxl_decoder *d = cxl_hdm_decoder(t, &t->ports[p].hdm, m);
			bool hb = t->ports[p].type == CXL_PORT_HOST_BRIDGE;
			struct fwregion *fr;

			if (!d || !d->committed || !d->size || c->used[dec_index(t, d)])
				continue;
			fr = out->nr < FWREGION_MAX ? &out->r[out->nr++] : NULL;
			if (!fr)
				out->overflow = true;
			else {
				memset(fr, 0, sizeof(*fr));
				fr->base = d->base;
				fr->size = d->size;
				fr->ways = d->ways;
				fr->granularity = d->granularity;
				fr->locked = d->locked;
				fr->plan.reason = PLAN_INTERNAL;
				c->cur = fr;
				fr->window = find_window(c, fr);
			}
			finding(c, DIAG_ERROR, hb ? "fwregion.hb_only" : "fwregion.port_only", "Control",
				REG(m, CXL_HDM_CTRL),
				"decoder%u.%u (%s) is committed for [0x%llx, +0x%llx) (control 0x%x, target list "
				"0x%08x%08x) but no endpoint decoder decodes that range: it routes to no memory",
				t->ports[p].id, m, hb ? "host bridge" : "switch", (unsigned long long)d->base,
				(unsigned long long)d->size, d->ctrl, d->target_hi, d->target_lo);
			c->cur = NULL;
		}
}

unsigned fwregion_reconstruct(const struct cxl_topology *topo, struct fwregions *out, struct diag_sink *sink)
{
	static struct ctx c;
	unsigned nr;

	memset(&c, 0, sizeof(c));
	memset(out, 0, sizeof(*out));
	c.t = topo;
	c.sink = sink;
	for (unsigned p = 0; p < topo->nr_ports; p++)
		audit_component(&c, false, (int)p);
	for (unsigned e = 0; e < topo->nr_endpoints; e++)
		audit_component(&c, true, (int)e);
	group(&c, out);
	nr = out->nr;
	for (unsigned r = 0; r < nr; r++) {
		c.cur = &out->r[r];
		out->r[r].window = find_window(&c, &out->r[r]);
		assemble(&c, &out->r[r], &builds[r]);
		c.cur = NULL;
	}
	orphans(&c, out);
	return c.errors;
}

const struct fwregion *fwregion_in_window(const struct fwregions *fr, unsigned w)
{
	for (unsigned r = 0; r < fr->nr; r++)
		if (fr->r[r].window == (int)w)
			return &fr->r[r];
	return NULL;
}
