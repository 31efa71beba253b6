// SPDX-License-Identifier: MIT
#include "touch/crosscheck.h"

#include <string.h>

#include "lib/platform.h"
#include "touch/touch.h"

static uint64_t saved[XCHECK_MAX_SAMPLES];
static uint64_t hpas[XCHECK_MAX_SAMPLES];

const char *xcheck_status_name(enum xcheck_status s)
{
	static const char *const names[] = { "done", "skipped_no_uncommit", "failed_to_map" };

	return s <= XCHECK_FAILED_TO_MAP ? names[s] : "unknown";
}

/* The window's own interleave, as the platform routes it, over the region. */
static struct ileave window_interleave(const struct cxl_topology *t, const struct region_plan *p)
{
	const struct cxl_window *w = &t->windows[p->window];
	struct ileave il = { .base = p->hpa_base, .ways = w->ways, .granularity = w->granularity,
			     .arith = w->arith, .nr_xormaps = w->nr_xormaps };

	memcpy(il.xormaps, w->xormaps, sizeof(il.xormaps));
	return il;
}

/*
 * Decoders that map one endpoint alone: its own decoder with the window's
 * ways and granularity (so the platform's interleave still fits), every port
 * above it 1-way towards it. Returns how many, and the host bridge's position
 * in the window through *hb_pos; 0 when the path cannot be built.
 */
static unsigned alone_path(const struct cxl_topology *t, const struct region_plan *p, int ep,
			   const struct ileave *win, struct plan_decoder *out, unsigned *hb_pos)
{
	const struct plan_decoder *epd = plan_decoder_of(p, true, ep);
	int dport = t->endpoints[ep].parent_dport;
	unsigned n = 0;
	int eniw = ileave_ways_to_eniw(win->ways), ig = ileave_gran_to_ig(win->granularity);

	if (!epd || eniw < 0 || ig < 0)
		return 0;
	out[n] = *epd;
	out[n].ways = win->ways;
	out[n].granularity = win->granularity;
	out[n].eniw = (uint8_t)eniw;
	out[n].ig = (uint8_t)ig;
	out[n].hpa_base = p->hpa_base;
	out[n].hpa_size = epd->dpa_size * win->ways;
	n++;
	while (dport >= 0) {
		unsigned port = t->dports[dport].port;
		const struct plan_decoder *pd = plan_decoder_of(p, false, (int)port);

		if (pd) {
			out[n] = *pd;
			out[n].ways = 1;
			out[n].eniw = 0;
			out[n].ig = (uint8_t)ig;
			out[n].granularity = win->granularity;
			out[n].nr_targets = 1;
			out[n].targets[0] = t->dports[dport].port_number;
			out[n].hpa_base = p->hpa_base;
			out[n].hpa_size = epd->dpa_size * win->ways;
			n++;
		}
		if (t->ports[port].type == CXL_PORT_HOST_BRIDGE) {
			for (unsigned k = 0; k < win->ways; k++)
				if (t->windows[p->window].target_uid[k] == t->ports[port].uid)
					*hb_pos = k;
			return n;
		}
		dport = t->ports[port].parent_dport;
	}
	return 0;
}

static void record(struct xcheck_result *res, uint64_t hpa, int ep, uint64_t dpa, uint64_t observed, uint8_t seed)
{
	struct xcheck_failure *f;

	res->mismatched++;
	if (res->nr_failures >= XCHECK_MAX_FAILURES)
		return;
	f = &res->failures[res->nr_failures++];
	f->hpa = hpa;
	f->expected_endpoint = (int16_t)ep;
	f->expected_dpa = dpa;
	f->observed = observed;
	f->observed_is_tag = touch_tag_hpa(observed, seed, &f->observed_hpa);
}

/* Reads every sample that belongs to endpoint ep through its alone-mapping. */
static int check_endpoint(struct hdm_driver *drv, const struct region_plan *p, unsigned pos, unsigned n,
			  uint8_t seed, struct xcheck_result *res)
{
	const struct cxl_topology *t = drv->topo;
	struct ileave win = window_interleave(t, p);
	struct plan_decoder path[CXL_MAX_PATH + 1];
	int ep = p->endpoint_at[pos];
	unsigned hb_pos = 0, len = alone_path(t, p, ep, &win, path, &hb_pos);

	if (!len || hdm_commit_decoders(drv, path, len))
		return -1;
	for (unsigned i = 0; i < n; i++) {
		uint64_t off = hpas[i] - p->il.base, dpa, x, v;

		if (ileave_hpa_to_pos(&p->il, off) != pos)
			continue;
		dpa = ileave_hpa_to_dpa(&p->il, off);
		x = p->hpa_base + ileave_dpa_to_hpa(&win, hb_pos, dpa);
		v = plat_mem_read64(x);
		res->checked++;
		if (v != touch_tag(hpas[i], seed))
			record(res, hpas[i], ep, path[0].dpa_base + dpa, v, seed);
	}
	return hdm_uncommit_decoders(drv, path, len);
}

/* Saved data back under every sample through the region, newest first. */
static void put_back(unsigned n, bool restore)
{
	for (unsigned i = n; restore && i-- > 0;)
		plat_restore(hpas[i], &saved[i], sizeof(saved[i]));
}

int xcheck_region(struct hdm_driver *drv, const struct region_plan *p, const uint64_t *offsets,
		  unsigned nr_offsets, uint8_t seed, bool restore, struct xcheck_result *res)
{
	unsigned n = 0;

	memset(res, 0, sizeof(*res));
	/* A sample given twice would read back its own restored data the second time. */
	for (unsigned i = 0; i < nr_offsets && n < XCHECK_MAX_SAMPLES; i++) {
		uint64_t hpa = p->hpa_base + offsets[i];
		bool dup = offsets[i] >= p->size;

		for (unsigned k = 0; k < n && !dup; k++)
			dup = hpas[k] == hpa;
		if (dup)
			continue;
		hpas[n] = hpa;
		saved[n] = plat_mem_read64(hpa);
		plat_mem_write64(hpa, touch_tag(hpa, seed));
		plat_cache_flush(hpa, sizeof(uint64_t));
		n++;
	}
	if (hdm_uncommit_decoders(drv, p->decoders, p->nr_decoders)) {
		/* The host bridge goes first and refused: the region still routes; put the data back through it. */
		res->status = XCHECK_SKIPPED_NO_UNCOMMIT;
		put_back(n, restore);
		return 0;
	}
	for (unsigned pos = 0; pos < p->ways; pos++)
		if (check_endpoint(drv, p, pos, n, seed, res)) {
			res->status = XCHECK_FAILED_TO_MAP;
			break;
		}
	if (hdm_recommit_region(drv, p))
		return -1;
	/*
	 * Saved data goes back the way it was read, through the region: where the routing is wrong
	 * (what this check is for) a tag sits on another device than the plan says, and putting the
	 * data back through a device mapped alone would overwrite that device's own data.
	 */
	put_back(n, restore);
	return 0;
}
