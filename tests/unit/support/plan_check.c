// SPDX-License-Identifier: MIT
/* Invariants of planner output (plan_check.h). */
#include "unit/support/plan_check.h"

#include <stdarg.h>
#include <stdio.h>

#include "lib/bits.h"
#include "cxl/interleave.h" /* only to call the product's translations under test (check_hpa) */
#include "unit/support/ref_interleave.h"

typedef unsigned long long ull;

static char msg[256];

static const char *bad(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static const char *bad(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return msg;
}

/* The enclosing check returns the first broken rule. */
#define CHECK(cond, ...) \
	do { \
		if (!(cond)) \
			return bad(__VA_ARGS__); \
	} while (0)
#define TRY(call) \
	do { \
		const char *err_ = (call); \
		if (err_) \
			return err_; \
	} while (0)

/* [a, a + alen) and [b, b + blen) share a byte; written so that no end wraps. */
static bool overlaps(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	if (!alen || !blen)
		return false;
	return a >= b ? a - b < blen : b - a < alen;
}

static int single_dport(const struct cxl_topology *t, int port)
{
	for (unsigned d = 0; d < t->nr_dports; d++)
		if (t->dports[d].port == port)
			return d;
	return -1;
}

/* The window as the platform routes it: its own ways, granularity and, for XOR, its CXIMS maps. */
static struct ref_set window_set(const struct cxl_window *w)
{
	struct ref_set s = { .ways = w->ways, .granularity = w->granularity, .xor_arith = w->arith == ILEAVE_XOR };

	for (unsigned i = 0; i < REF_MAX_XORMAPS && i < w->nr_xormaps; i++)
		s.xormap[i] = w->xormaps[i];
	return s;
}

bool plan_walk(const struct cxl_topology *t, const struct region_plan *plan, uint64_t hpa, int *ep,
	       uint64_t *dpa)
{
	const struct cxl_window *w = &t->windows[plan->window];
	struct ref_set root = window_set(w);
	int port;

	if (!ref_set_valid(w->ways, w->granularity) || hpa < w->base || hpa - w->base >= w->size)
		return false;
	port = cxl_topo_find_host_bridge(t, w->target_uid[ref_target(&root, hpa)]);
	for (int depth = 0; port >= 0 && depth < 8; depth++) {
		const struct plan_decoder *pd = plan_decoder_of(plan, false, port);
		const struct cxl_dport *dp;
		int d = single_dport(t, port);

		if (pd) {
			struct ref_set s = { .ways = pd->ways, .granularity = pd->granularity };

			if (hpa < pd->hpa_base || hpa >= pd->hpa_base + pd->hpa_size ||
			    !ref_set_valid(pd->ways, pd->granularity))
				return false;
			d = cxl_topo_find_dport(t, port, pd->targets[ref_target(&s, hpa)]);
		}
		if (d < 0)
			return false;
		dp = &t->dports[d];
		if (dp->child_endpoint >= 0) {
			pd = plan_decoder_of(plan, true, dp->child_endpoint);
			if (!pd || hpa < pd->hpa_base || hpa >= pd->hpa_base + pd->hpa_size ||
			    !ref_set_valid(pd->ways, pd->granularity))
				return false;
			*ep = dp->child_endpoint;
			*dpa = pd->dpa_base + ref_dpa_offset(pd->ways, pd->granularity, hpa - pd->hpa_base);
			return true;
		}
		port = dp->child_port;
	}
	return false;
}

/* The flat region set the product keeps: the window's arithmetic, widened to the region's ways. */
static const char *check_region_set(const struct cxl_window *w, const struct region_plan *plan)
{
	const struct ileave *il = &plan->il;
	unsigned maps = 0;

	for (unsigned ways = w->ways; w->arith == ILEAVE_XOR && ways % 2 == 0; ways /= 2)
		maps++;
	CHECK(il->base == plan->hpa_base && il->ways == plan->ways && il->granularity == plan->granularity &&
		      il->arith == w->arith,
	      "region set 0x%llx %u ways x %u B arith %d, the plan says 0x%llx %u x %u arith %d", (ull)il->base,
	      il->ways, il->granularity, il->arith, (ull)plan->hpa_base, plan->ways, plan->granularity, w->arith);
	CHECK(il->arith == ILEAVE_MODULO || il->nr_xormaps == maps, "region set has %u XORMAPs, the window needs %u",
	      il->nr_xormaps, maps);
	for (unsigned i = 0; il->arith == ILEAVE_XOR && i < maps; i++)
		CHECK(il->xormaps[i] == w->xormaps[i], "region XORMAP %u is 0x%llx, the window's 0x%llx", i,
		      (ull)il->xormaps[i], (ull)w->xormaps[i]);
	return NULL;
}

/* The region lies in its window and interleaves as the window does, widened below the host bridges. */
static const char *check_region(const struct cxl_topology *t, const struct region_plan *plan)
{
	const struct cxl_window *w;

	CHECK(plan->window < t->nr_windows, "plan for window %u, which does not exist", plan->window);
	w = &t->windows[plan->window];
	CHECK(plan->size && plan->ways && plan->size % (SZ_256M * plan->ways) == 0,
	      "region size 0x%llx is not a non-zero multiple of 256 MiB x %u ways", (ull)plan->size, plan->ways);
	CHECK(plan->hpa_base >= w->base && plan->size <= w->size && plan->hpa_base - w->base <= w->size - plan->size,
	      "region [0x%llx, +0x%llx) is outside its window [0x%llx, +0x%llx)", (ull)plan->hpa_base,
	      (ull)plan->size, (ull)w->base, (ull)w->size);
	CHECK(plan->ways % w->ways == 0 && plan->granularity == w->granularity,
	      "region %u ways x %u B does not widen window %u ways x %u B", plan->ways, plan->granularity, w->ways,
	      w->granularity);
	CHECK(ref_set_valid(plan->ways, plan->granularity), "region of %u ways x %u B", plan->ways, plan->granularity);
	TRY(check_region_set(w, plan));
	CHECK(plan->nr_endpoints == plan->ways, "%u endpoints for %u ways", plan->nr_endpoints, plan->ways);
	return NULL;
}

/* A planned decoder exists at its owner and was not committed by firmware. */
static const char *check_free(const struct cxl_topology *t, const struct plan_decoder *pd, const struct cxl_hdm *hdm)
{
	const struct cxl_decoder *d = cxl_hdm_decoder(t, hdm, pd->index);

	CHECK(d, "decoder%u.%u does not exist", pd->port_id, pd->index);
	CHECK(!d->committed, "decoder%u.%u was committed by firmware", pd->port_id, pd->index);
	return NULL;
}

/* Ways of the decoders from the endpoint up to its host bridge multiply to the region's ways per host bridge. */
static const char *check_path_ways(const struct cxl_topology *t, const struct region_plan *plan,
				   const struct plan_decoder *ep)
{
	unsigned ways = 1;
	int dport = t->endpoints[ep->owner].parent_dport;

	for (unsigned n = 0; dport >= 0 && n <= CXL_MAX_PATH; n++) {
		int port = t->dports[dport].port;
		const struct plan_decoder *pd = plan_decoder_of(plan, false, port);

		ways *= pd ? pd->ways : 1; /* a port without decoders passes its one dport through */
		if (t->ports[port].type == CXL_PORT_HOST_BRIDGE)
			break;
		dport = t->ports[port].parent_dport;
	}
	CHECK(ways * t->windows[plan->window].ways == plan->ways,
	      "endpoint%u: %u ways on its path x %u window ways != region ways %u", ep->port_id, ways,
	      t->windows[plan->window].ways, plan->ways);
	return NULL;
}

static const char *check_endpoint_decoder(const struct cxl_topology *t, const struct region_plan *plan,
					  const struct plan_decoder *pd, unsigned i, bool *seen)
{
	const struct cxl_endpoint *ep;
	uint64_t lo, hi;

	CHECK(pd->owner < t->nr_endpoints, "endpoint decoder for endpoint %u of %u", pd->owner, t->nr_endpoints);
	ep = &t->endpoints[pd->owner];
	CHECK(ep->type3, "endpoint%u is not a type-3 device", ep->id);
	CHECK(pd->port_id == ep->id, "endpoint decoder names port %u, endpoint is %u", pd->port_id, ep->id);
	CHECK(pd->ways == plan->ways && pd->granularity == plan->granularity,
	      "endpoint%u decodes %u ways x %u B in a region of %u x %u B", ep->id, pd->ways, pd->granularity,
	      plan->ways, plan->granularity);
	CHECK(pd->position == (int)i, "endpoint decoder %u has position %d: endpoints come by position", i,
	      pd->position);
	CHECK(!seen[pd->position], "position %d taken twice", pd->position);
	seen[pd->position] = true;
	CHECK(plan->endpoint_at[pd->position] == pd->owner, "endpoint_at[%d] is %d, decoder says %u", pd->position,
	      plan->endpoint_at[pd->position], pd->owner);
	TRY(check_free(t, pd, &ep->hdm));
	/* DPA: 256 MiB aligned, ways of them make the region, inside the mode's partition. */
	CHECK(pd->dpa_size * plan->ways == plan->size && IS_ALIGNED(pd->dpa_base, SZ_256M),
	      "endpoint%u DPA [0x%llx, +0x%llx) for a region of 0x%llx", ep->id, (ull)pd->dpa_base,
	      (ull)pd->dpa_size, (ull)plan->size);
	lo = plan->mode == REGION_RAM ? 0 : ep->volatile_bytes;
	hi = ep->volatile_bytes + (plan->mode == REGION_RAM ? 0 : ep->persistent_bytes);
	CHECK(pd->dpa_base >= lo && pd->dpa_base <= hi && pd->dpa_size <= hi - pd->dpa_base,
	      "endpoint%u DPA [0x%llx, +0x%llx) outside its %s partition [0x%llx, 0x%llx)", ep->id,
	      (ull)pd->dpa_base, (ull)pd->dpa_size, region_mode_name(plan->mode), (ull)lo, (ull)hi);
	CHECK(pd->dpa_skip <= pd->dpa_base, "endpoint%u skips 0x%llx below DPA 0x%llx", ep->id, (ull)pd->dpa_skip,
	      (ull)pd->dpa_base);
	return check_path_ways(t, plan, pd);
}

static const char *check_port_decoder(const struct cxl_topology *t, const struct plan_decoder *pd)
{
	CHECK(pd->owner < t->nr_ports, "port decoder for port %u of %u", pd->owner, t->nr_ports);
	CHECK(pd->port_id == t->ports[pd->owner].id, "port decoder names port %u, port is %u", pd->port_id,
	      t->ports[pd->owner].id);
	CHECK(pd->position == -1, "port%u decoder has position %d", pd->port_id, pd->position);
	CHECK(pd->nr_targets == pd->ways && pd->ways <= CXL_MAX_PORT_TARGETS, "port%u: %u targets for %u ways",
	      pd->port_id, pd->nr_targets, pd->ways);
	for (unsigned a = 0; a < pd->nr_targets; a++) {
		CHECK(cxl_topo_find_dport(t, pd->owner, pd->targets[a]) >= 0, "port%u target %u: no dport %u",
		      pd->port_id, a, pd->targets[a]);
		for (unsigned b = 0; b < a; b++)
			CHECK(pd->targets[a] != pd->targets[b], "port%u targets %u and %u are both dport %u",
			      pd->port_id, b, a, pd->targets[a]);
	}
	return check_free(t, pd, &t->ports[pd->owner].hdm);
}

/* Settings and commit order: endpoints by position, then ports deepest first. */
static const char *check_decoders(const struct cxl_topology *t, const struct region_plan *plan)
{
	bool seen[ILEAVE_MAX_WAYS] = { false };
	unsigned last_depth = CXL_MAX_PATH;
	bool ports_started = false;

	for (unsigned i = 0; i < plan->nr_decoders; i++) {
		const struct plan_decoder *pd = &plan->decoders[i];

		CHECK(pd->eniw == ref_eniw(pd->ways) && pd->ig == ref_ig(pd->granularity),
		      "decoder%u.%u: IW %u / IG %u do not encode %u ways x %u B", pd->port_id, pd->index, pd->eniw,
		      pd->ig, pd->ways, pd->granularity);
		CHECK(pd->hpa_base == plan->hpa_base && pd->hpa_size == plan->size,
		      "decoder%u.%u decodes [0x%llx, +0x%llx), the region is [0x%llx, +0x%llx)", pd->port_id,
		      pd->index, (ull)pd->hpa_base, (ull)pd->hpa_size, (ull)plan->hpa_base, (ull)plan->size);
		if (pd->is_endpoint) {
			CHECK(!ports_started, "endpoint decoder %u after a port decoder: endpoints commit first", i);
			TRY(check_endpoint_decoder(t, plan, pd, i, seen));
		} else {
			unsigned depth;

			TRY(check_port_decoder(t, pd));
			ports_started = true;
			depth = cxl_port_depth(t, pd->owner);
			CHECK(depth <= last_depth, "port%u at depth %u after depth %u: deepest ports commit first",
			      pd->port_id, depth, last_depth);
			last_depth = depth;
		}
	}
	return NULL;
}

/*
 * One HPA offset: the walker (the reference rules) says where it goes; the
 * product's flat region math and the planner's decoder tree must agree.
 */
static const char *check_hpa(const struct cxl_topology *t, const struct region_plan *plan,
			     const struct ileave_route *route, uint64_t off)
{
	unsigned pos = ileave_hpa_to_pos(&plan->il, off), rpos;
	uint64_t hpa = plan->hpa_base + off, dpa, rdpa, back;
	const struct plan_decoder *at;
	int ep;

	CHECK(plan_walk(t, plan, hpa, &ep, &dpa), "HPA 0x%llx: the decoders do not route it", (ull)hpa);
	CHECK(plan->endpoint_at[pos] == ep, "HPA 0x%llx: position %u is endpoint %d, decoders reach %d", (ull)hpa,
	      pos, plan->endpoint_at[pos], ep);
	at = plan_decoder_of(plan, true, ep);
	CHECK(at->dpa_base + ileave_hpa_to_dpa(&plan->il, off) == dpa,
	      "HPA 0x%llx: region math says DPA 0x%llx, decoders 0x%llx", (ull)hpa,
	      (ull)(at->dpa_base + ileave_hpa_to_dpa(&plan->il, off)), (ull)dpa);
	CHECK(ileave_route_hpa(route, hpa, &rpos, &rdpa) == ROUTE_OK && rpos == pos && rdpa == dpa,
	      "HPA 0x%llx: planner_route disagrees", (ull)hpa);
	CHECK(ileave_route_dpa(route, pos, dpa, &back) == ROUTE_OK && back == hpa,
	      "HPA 0x%llx: planner_route does not invert DPA 0x%llx", (ull)hpa, (ull)dpa);
	return NULL;
}

const char *plan_check(const struct cxl_topology *t, const struct region_plan *plan, struct test_rng *rng,
		       unsigned edge_granules, unsigned nr_random)
{
	static struct ileave_route route; /* large */
	uint64_t g = plan->granularity;

	CHECK(plan->reason == PLAN_OK, "window %u: %s: %s", plan->window, plan_reason_id(plan->reason),
	      plan->message);
	TRY(check_region(t, plan));
	TRY(check_decoders(t, plan));
	CHECK(planner_route(t, plan, &route) == 0, "planner_route fails on an OK plan");
	/* Granules at the start and the end of the region, then random addresses. */
	for (uint64_t c = 0; c < (uint64_t)plan->ways * edge_granules; c++) {
		TRY(check_hpa(t, plan, &route, c * g + (c * 8) % g));
		TRY(check_hpa(t, plan, &route, plan->size - (c + 1) * g + (c * 8) % g));
	}
	for (unsigned i = 0; i < nr_random; i++)
		TRY(check_hpa(t, plan, &route, test_rng_next(rng) % plan->size));
	return NULL;
}

/* A planned decoder against what firmware committed at its owner: disjoint, later index, higher HPA. */
static const char *check_against_firmware(const struct cxl_topology *t, const struct plan_decoder *pd)
{
	const struct cxl_hdm *hdm = pd->is_endpoint ? &t->endpoints[pd->owner].hdm : &t->ports[pd->owner].hdm;

	for (unsigned m = 0; m < hdm->nr_decoders; m++) {
		const struct cxl_decoder *d = cxl_hdm_decoder(t, hdm, m);

		if (!d || !d->committed)
			continue;
		CHECK(m < pd->index, "decoder%u.%u planned below firmware's decoder %u", pd->port_id, pd->index, m);
		CHECK(!overlaps(pd->hpa_base, pd->hpa_size, d->base, d->size),
		      "decoder%u.%u HPA [0x%llx, +0x%llx) overlaps firmware's decoder %u [0x%llx, +0x%llx)", pd->port_id,
		      pd->index, (ull)pd->hpa_base, (ull)pd->hpa_size, m, (ull)d->base, (ull)d->size);
		CHECK(d->base <= pd->hpa_base, "decoder%u.%u at HPA 0x%llx below firmware's decoder %u at 0x%llx",
		      pd->port_id, pd->index, (ull)pd->hpa_base, m, (ull)d->base);
		if (pd->is_endpoint && d->dpa_size)
			CHECK(!overlaps(pd->dpa_base, pd->dpa_size, d->dpa_base, d->dpa_size),
			      "endpoint%u DPA [0x%llx, +0x%llx) overlaps firmware's decoder %u DPA [0x%llx, +0x%llx)",
			      pd->port_id, (ull)pd->dpa_base, (ull)pd->dpa_size, m, (ull)d->dpa_base,
			      (ull)d->dpa_size);
	}
	return NULL;
}

/* Two plans' decoders at the same owner: different indices, increasing with HPA, disjoint HPA and DPA. */
static const char *check_pair(const struct plan_decoder *a, const struct plan_decoder *b)
{
	if (a->is_endpoint != b->is_endpoint || a->owner != b->owner)
		return NULL;
	CHECK(a->index != b->index, "decoder%u.%u planned for two regions", a->port_id, a->index);
	CHECK((a->index < b->index) == (a->hpa_base < b->hpa_base),
	      "decoder%u.%u at 0x%llx and decoder%u.%u at 0x%llx: index and HPA not in the same order", a->port_id,
	      a->index, (ull)a->hpa_base, b->port_id, b->index, (ull)b->hpa_base);
	CHECK(!overlaps(a->hpa_base, a->hpa_size, b->hpa_base, b->hpa_size), "decoder%u.%u and .%u overlap in HPA",
	      a->port_id, a->index, b->index);
	if (a->is_endpoint)
		CHECK(!overlaps(a->dpa_base, a->dpa_size, b->dpa_base, b->dpa_size),
		      "endpoint%u DPA [0x%llx, +0x%llx) planned for two regions ([0x%llx, +0x%llx))", a->port_id,
		      (ull)a->dpa_base, (ull)a->dpa_size, (ull)b->dpa_base, (ull)b->dpa_size);
	return NULL;
}

const char *plan_check_all(const struct cxl_topology *t, const struct region_plan *plans, unsigned nr_plans)
{
	for (unsigned i = 0; i < nr_plans; i++) {
		const struct region_plan *p = &plans[i];

		if (p->reason != PLAN_OK)
			continue;
		for (unsigned k = 0; k < p->nr_decoders; k++)
			TRY(check_against_firmware(t, &p->decoders[k]));
		for (unsigned j = 0; j < i; j++) {
			const struct region_plan *q = &plans[j];

			if (q->reason != PLAN_OK)
				continue;
			CHECK(!overlaps(p->hpa_base, p->size, q->hpa_base, q->size), "regions %u and %u overlap in HPA",
			      j, i);
			for (unsigned k = 0; k < p->nr_decoders; k++)
				for (unsigned l = 0; l < q->nr_decoders; l++)
					TRY(check_pair(&p->decoders[k], &q->decoders[l]));
		}
	}
	return NULL;
}
