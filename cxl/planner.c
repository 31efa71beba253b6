// SPDX-License-Identifier: MIT
/*
 * The region planner (cxl/planner.h, docs/interleave.md). One window is
 * planned in four steps: check the window; check its host bridges; find the
 * largest balanced set of endpoints (as many per host bridge, a power of 2,
 * spread over dports); assemble the decoder settings and derive every
 * endpoint's position by routing one address per position through them.
 */
#include "cxl/planner.h"

#include <stdarg.h>
#include <string.h>

#include "lib/bits.h"
#include "lib/fmt.h"

static const char *const reason_ids[PLAN_REASONS] = {
	[PLAN_OK] = "ok",
	[PLAN_WAYS_INVALID] = "ways_invalid",
	[PLAN_GRANULARITY_INVALID] = "granularity_invalid",
	[PLAN_ARITHMETIC_INVALID] = "arithmetic_invalid",
	[PLAN_WINDOW_MISALIGNED] = "window_misaligned",
	[PLAN_TARGET_LIST_INVALID] = "target_list_invalid",
	[PLAN_NOT_TYPE3] = "not_type3",
	[PLAN_NO_MEMORY_MODE] = "no_memory_mode",
	[PLAN_FIXED_CONFIG] = "fixed_config",
	[PLAN_HOST_BRIDGE_MISSING] = "host_bridge_missing",
	[PLAN_NO_ENDPOINTS] = "no_endpoints",
	[PLAN_NOT_ENOUGH_ENDPOINTS] = "not_enough_endpoints",
	[PLAN_INSUFFICIENT_CAPACITY] = "insufficient_capacity",
	[PLAN_WAYS_UNSUPPORTED] = "ways_unsupported_at_port",
	[PLAN_INTERLEAVE_BITS] = "interleave_bits_unsupported",
	[PLAN_NO_FREE_DECODER] = "no_free_decoder",
	[PLAN_LOCKED_DECODER] = "locked_decoder_in_path",
	[PLAN_FIRMWARE_DECODER] = "firmware_decoder_in_path",
	[PLAN_HPA_ORDER] = "hpa_order",
	[PLAN_PATH_TOO_DEEP] = "path_too_deep",
	[PLAN_INTERNAL] = "internal_error",
};

const char *plan_reason_id(enum plan_reason r)
{
	return r < PLAN_REASONS ? reason_ids[r] : "unknown";
}

const char *region_mode_name(enum region_mode m)
{
	return m == REGION_RAM ? "ram" : "pmem";
}

/* The first reason something was refused, with its sentence. */
struct why {
	enum plan_reason reason;
	char msg[sizeof(((struct region_plan *)0)->message)];
};

static enum plan_reason note(struct why *why, enum plan_reason r, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static enum plan_reason note(struct why *why, enum plan_reason r, const char *fmt, ...)
{
	va_list ap;

	if (why->reason != PLAN_OK)
		return r;
	why->reason = r;
	va_start(ap, fmt);
	fmt_vsnprintf(why->msg, sizeof(why->msg), fmt, ap);
	va_end(ap);
	return r;
}

/* A port that will get a decoder in this plan. */
struct picked_port {
	int16_t port;
	uint8_t decoder;
	unsigned ways;
	uint64_t rule_gran; /* the address bit it selects on, before any cap */
	uint8_t targets[CXL_MAX_PORT_TARGETS];
};

/* One attempt: one window, one mode, one number of ways. */
struct pick {
	struct planner *pl;
	const struct cxl_topology *t;
	const struct cxl_window *w;
	enum region_mode mode;
	unsigned ways;
	uint64_t base, end; /* window HPA range */
	struct why why;
	unsigned nr_eps, nr_ports;
	int16_t eps[ILEAVE_MAX_WAYS];
	struct picked_port ports[PLAN_MAX_DECODERS];
};

/* ---- capacity, decoders, capability ---- */

/* Free DPA of the mode's partition after what is already claimed, 256 MiB aligned. */
static uint64_t free_dpa(const struct pick *pk, int e, uint64_t *start, uint64_t *skip)
{
	const struct cxl_endpoint *ep = &pk->t->endpoints[e];
	uint64_t prev = pk->pl->ep_dpa_end[e];
	uint64_t lo = pk->mode == REGION_RAM ? 0 : ep->volatile_bytes;
	uint64_t hi = ep->volatile_bytes + (pk->mode == REGION_RAM ? 0 : ep->persistent_bytes);
	uint64_t from = prev > lo ? prev : lo;
	uint64_t end = ALIGN_DOWN(hi, SZ_256M);
	/* Align up only below end, where it cannot wrap: claimed DPA may reach 2^64 (saturated garbage). */
	uint64_t s = from < end ? ALIGN_UP(from, SZ_256M) : end;

	if (start)
		*start = s;
	if (skip)
		*skip = s >= prev ? s - prev : 0;
	return end - s;
}

/*
 * The decoder this region would use at a port or endpoint: the one after the
 * last committed or handed-out decoder, so decoders commit in increasing
 * index with increasing HPA. A committed decoder inside or above the window
 * makes that impossible.
 */
static enum plan_reason free_decoder(struct pick *pk, struct why *why, const struct cxl_hdm *hdm,
				     const char *kind, unsigned id, unsigned next, uint64_t hpa_end,
				     uint8_t *index)
{
	for (unsigned m = 0; m < hdm->nr_decoders; m++) {
		const struct cxl_decoder *d = cxl_hdm_decoder(pk->t, hdm, m);

		if (!d || !d->committed)
			continue;
		if (d->size && d->base < pk->end && pk->base < d->base + d->size)
			return note(
				why, d->locked ? PLAN_LOCKED_DECODER : PLAN_FIRMWARE_DECODER,
				"decoder%u.%u is %s and already decodes [0x%llx, 0x%llx) in the window",
				id, m, d->locked ? "locked" : "committed by firmware",
				(unsigned long long)d->base,
				(unsigned long long)(d->base + d->size));
		/* Also a zero-size decoder inside the window: the next one must not start below it. */
		if (d->base > pk->base)
			return note(
				why, PLAN_HPA_ORDER,
				"decoder%u.%u decodes 0x%llx, above the window base: decoders commit in increasing HPA",
				id, m, (unsigned long long)d->base);
		if (m + 1 > next)
			next = m + 1;
	}
	if (hpa_end > pk->base)
		return note(
			why, PLAN_HPA_ORDER,
			"%s%u already routes HPA up to 0x%llx for an earlier region, above this window",
			kind, id, (unsigned long long)hpa_end);
	if (next >= hdm->nr_decoders)
		return note(why, PLAN_NO_FREE_DECODER,
			    "%s%u has no free decoder: all %u are in use", kind, id,
			    hdm->nr_decoders);
	*index = next;
	return PLAN_OK;
}

static bool ways_capable(const struct cxl_hdm *hdm, unsigned ways)
{
	if (ways % 3 == 0)
		return hdm->iw_3_6_12;
	return ways < 16 || hdm->iw_16;
}

static unsigned nr_dports(const struct cxl_topology *t, int port)
{
	unsigned n = 0;

	for (unsigned d = 0; d < t->nr_dports; d++)
		n += t->dports[d].port == port;
	return n;
}

static int only_dport(const struct cxl_topology *t, int port)
{
	for (unsigned d = 0; d < t->nr_dports; d++)
		if (t->dports[d].port == port)
			return d;
	return -1;
}

static bool endpoint_usable(struct pick *pk, int e)
{
	const struct cxl_endpoint *ep = &pk->t->endpoints[e];
	uint8_t index;
	uint64_t free;

	if (!ep->type3)
		return false;
	if (!ep->hdm.present) {
		note(&pk->why, PLAN_NO_FREE_DECODER, "endpoint%u has no HDM decoder capability",
		     ep->id);
		return false;
	}
	if (free_decoder(pk, &pk->why, &ep->hdm, "endpoint", ep->id, pk->pl->ep_next[e],
			 pk->pl->ep_hpa_end[e], &index))
		return false;
	free = free_dpa(pk, e, NULL, NULL);
	if (free < SZ_256M) {
		note(&pk->why, PLAN_INSUFFICIENT_CAPACITY,
		     "endpoint%u (mem%u) has 0x%llx bytes of %s capacity free, less than 256 MiB",
		     ep->id, ep->mem_id, (unsigned long long)free, region_mode_name(pk->mode));
		return false;
	}
	if (!ways_capable(&ep->hdm, pk->ways)) {
		note(&pk->why, PLAN_WAYS_UNSUPPORTED, "endpoint%u cannot decode %u-way interleave",
		     ep->id, pk->ways);
		return false;
	}
	return true;
}

/* A port without HDM decoders passes through when it has exactly one dport. */
static bool port_usable(struct pick *pk, struct why *why, int port, uint8_t *index)
{
	const struct cxl_port *p = &pk->t->ports[port];
	unsigned depth = cxl_port_depth(pk->t, port);

	*index = 0;
	if (depth >= CXL_MAX_PATH) {
		note(why, PLAN_PATH_TOO_DEEP,
		     "port%u is %u ports below its host bridge; at most %u are planned", p->id,
		     depth, CXL_MAX_PATH - 1);
		return false;
	}
	if (!p->hdm.present) {
		if (nr_dports(pk->t, port) == 1)
			return true;
		note(why, PLAN_NO_FREE_DECODER,
		     "port%u has no HDM decoder capability and %u dports", p->id,
		     nr_dports(pk->t, port));
		return false;
	}
	return free_decoder(pk, why, &p->hdm, "port", p->id, pk->pl->port_next[port],
			    pk->pl->port_hpa_end[port], index) == PLAN_OK;
}

/* Most targets one decoder of this port may get: a power of 2. */
static unsigned port_max_ways(const struct pick *pk, int port)
{
	const struct cxl_hdm *hdm = &pk->t->ports[port].hdm;
	unsigned n = nr_dports(pk->t, port), limit = CXL_MAX_PORT_TARGETS;

	if (!hdm->present)
		return 1;
	if (hdm->nr_targets && hdm->nr_targets < limit)
		limit = hdm->nr_targets;
	if (n > limit)
		n = limit;
	return n ? 1U << (31 - __builtin_clz(n)) : 1;
}

/* ---- finding a balanced set of endpoints ---- */

static unsigned port_mask(struct pick *pk, int port, uint64_t gran);

/*
 * Bit j set: below dport d there is a way to pick 2^j endpoints when the
 * decoder above gives this branch address-selection granularity gran.
 */
static unsigned child_mask(struct pick *pk, int d, uint64_t gran)
{
	const struct cxl_dport *dp = &pk->t->dports[d];

	if (dp->child_endpoint >= 0)
		return endpoint_usable(pk, dp->child_endpoint) ? 1 : 0;
	if (dp->child_port >= 0)
		return port_mask(pk, dp->child_port, gran);
	return 0;
}

/*
 * A port whose decoder selects on gran and interleaves n ways hands each
 * target gran * n (Linux cxl_port_setup_targets: ig = parent_ig * parent_iw).
 * It can supply n * m endpoints when n of its dports can each supply m.
 */
static unsigned port_mask(struct pick *pk, int port, uint64_t gran)
{
	unsigned mask = 0;
	uint8_t index;

	if (!port_usable(pk, &pk->why, port, &index))
		return 0;
	for (unsigned n = 1, a = 0; n <= port_max_ways(pk, port); n <<= 1, a++) {
		unsigned count[5] = { 0 };

		if (n > 1 && gran > ILEAVE_MAX_GRAN)
			break;
		for (unsigned d = 0; d < pk->t->nr_dports; d++) {
			unsigned cm;

			if (pk->t->dports[d].port != port)
				continue;
			cm = child_mask(pk, d, gran * n);
			for (unsigned j = 0; j + a < ARRAY_SIZE(count); j++)
				count[j] += (cm >> j) & 1;
		}
		for (unsigned j = 0; j + a < ARRAY_SIZE(count); j++)
			if (count[j] >= n)
				mask |= BIT(a + j);
	}
	return mask;
}

static bool select_port(struct pick *pk, int port, uint64_t gran, unsigned want);

static bool select_child(struct pick *pk, int d, uint64_t gran, unsigned want)
{
	const struct cxl_dport *dp = &pk->t->dports[d];

	if (dp->child_port >= 0)
		return select_port(pk, dp->child_port, gran, want);
	if (pk->nr_eps >= ILEAVE_MAX_WAYS)
		return false;
	pk->eps[pk->nr_eps++] = dp->child_endpoint;
	return true;
}

static bool record_port(struct pick *pk, int port, unsigned n, uint64_t gran, const int *chosen)
{
	struct picked_port *pp;
	struct why scratch = { 0 };
	uint8_t index;

	if (!pk->t->ports[port].hdm.present)
		return true;
	if (pk->nr_ports >= ARRAY_SIZE(pk->ports) || !port_usable(pk, &scratch, port, &index))
		return false;
	pp = &pk->ports[pk->nr_ports++];
	pp->port = port;
	pp->decoder = index;
	pp->ways = n;
	pp->rule_gran = gran;
	for (unsigned i = 0; i < n; i++)
		pp->targets[i] = pk->t->dports[chosen[i]].port_number;
	return true;
}

/* Take want endpoints below port, over as many dports as possible, first dports first. */
static bool select_port(struct pick *pk, int port, uint64_t gran, unsigned want)
{
	for (unsigned n = port_max_ways(pk, port); n >= 1; n >>= 1) {
		int chosen[CXL_MAX_PORT_TARGETS];
		unsigned nr = 0, m = want / n;

		if (want % n || (n > 1 && gran > ILEAVE_MAX_GRAN))
			continue;
		for (unsigned d = 0; d < pk->t->nr_dports && nr < n; d++)
			if (pk->t->dports[d].port == port &&
			    (child_mask(pk, d, gran * n) & BIT(__builtin_ctz(m))))
				chosen[nr++] = d;
		if (nr < n)
			continue;
		if (!record_port(pk, port, n, gran, chosen))
			return false;
		for (unsigned i = 0; i < n; i++)
			if (!select_child(pk, chosen[i], gran * n, m))
				return false;
		return true;
	}
	return false;
}

/* ---- the window and its host bridges ---- */

/* The window as an interleave set: its own ways, or a region's ways over it. */
static struct ileave window_ileave(const struct cxl_window *w, uint64_t base, unsigned ways)
{
	struct ileave il = {
		.base = base,
		.ways = ways,
		.granularity = w->granularity,
		.arith = w->arith,
	};

	if (w->arith == ILEAVE_XOR) {
		il.nr_xormaps = ileave_xormaps_needed(w->ways);
		memcpy(il.xormaps, w->xormaps, il.nr_xormaps * sizeof(il.xormaps[0]));
	}
	return il;
}

static enum plan_reason check_window(const struct cxl_window *w, struct why *why)
{
	struct ileave il;

	if (!ileave_ways_valid(w->ways))
		return note(why, PLAN_WAYS_INVALID,
			    "interleave ways %u is not 1, 2, 4, 8, 16, 3, 6 or 12", w->ways);
	if (ileave_gran_to_ig(w->granularity) < 0)
		return note(why, PLAN_GRANULARITY_INVALID,
			    "granularity %u is not a power of 2 from 256 B to 16 KiB",
			    w->granularity);
	if (!IS_ALIGNED(w->base, SZ_256M) || !w->size || w->size % (SZ_256M * w->ways) ||
	    w->base + w->size > BIT_ULL(ILEAVE_HPA_BITS) || w->base + w->size < w->base)
		return note(
			why, PLAN_WINDOW_MISALIGNED,
			"window [0x%llx, +0x%llx) is not 256 MiB aligned with a size that is a multiple of 256 MiB x %u ways",
			(unsigned long long)w->base, (unsigned long long)w->size, w->ways);
	if (w->arith != ILEAVE_MODULO && w->arith != ILEAVE_XOR)
		return note(why, PLAN_ARITHMETIC_INVALID, "interleave arithmetic %d is not defined",
			    w->arith);
	if (w->arith == ILEAVE_XOR && w->nr_xormaps < ileave_xormaps_needed(w->ways))
		return note(why, PLAN_ARITHMETIC_INVALID,
			    "XOR arithmetic with %u ways needs %u XORMAPs, the CXIMS has %u",
			    w->ways, ileave_xormaps_needed(w->ways), w->nr_xormaps);
	il = window_ileave(w, w->base, w->ways);
	if (ileave_check(&il) != ILEAVE_OK)
		return note(
			why, PLAN_ARITHMETIC_INVALID,
			"an XORMAP does not select position bit i at HPA bit log2(granularity) + i");
	for (unsigned i = 0; i < w->ways; i++)
		for (unsigned j = 0; j < i; j++)
			if (w->target_uid[i] == w->target_uid[j])
				return note(why, PLAN_TARGET_LIST_INVALID,
					    "targets %u and %u both name host bridge UID %u", j, i,
					    w->target_uid[i]);
	if (!w->allow_type3)
		return note(why, PLAN_NOT_TYPE3,
			    "window restrictions 0x%x do not allow type-3 memory", w->restrictions);
	if (!w->allow_volatile && !w->allow_persistent)
		return note(why, PLAN_NO_MEMORY_MODE,
			    "window restrictions 0x%x allow neither volatile nor persistent memory",
			    w->restrictions);
	/* Linux marks such a root decoder locked (CXL_DECODER_F_LOCK): firmware's configuration stays. */
	if (w->fixed_config)
		return note(
			why, PLAN_FIXED_CONFIG,
			"window restrictions 0x%x say Fixed Device Configuration: its decoders are not ours",
			w->restrictions);
	return PLAN_OK;
}

static unsigned type3_below(const struct cxl_topology *t, int hb)
{
	unsigned n = 0;

	for (unsigned e = 0; e < t->nr_endpoints; e++)
		n += t->endpoints[e].type3 &&
		     cxl_port_host_bridge(t, cxl_endpoint_port(t, e)) == hb;
	return n;
}

static enum plan_reason check_host_bridges(struct pick *pk, int *hb, struct why *why)
{
	const struct cxl_window *w = pk->w;
	unsigned total = 0;
	uint8_t index;

	for (unsigned i = 0; i < w->ways; i++) {
		hb[i] = cxl_topo_find_host_bridge(pk->t, w->target_uid[i]);
		if (hb[i] < 0)
			return note(why, PLAN_HOST_BRIDGE_MISSING,
				    "target %u names host bridge UID %u, which was not found", i,
				    w->target_uid[i]);
		total += type3_below(pk->t, hb[i]);
	}
	if (!total)
		return note(why, PLAN_NO_ENDPOINTS,
			    "no type-3 endpoint below the window's %u host bridge(s)", w->ways);
	for (unsigned i = 0; i < w->ways; i++)
		if (!type3_below(pk->t, hb[i]))
			return note(why, PLAN_NOT_ENOUGH_ENDPOINTS,
				    "host bridge port%u (UID %u) has no type-3 endpoint below it",
				    pk->t->ports[hb[i]].id, w->target_uid[i]);
	for (unsigned i = 0; i < w->ways; i++)
		if (!port_usable(pk, why, hb[i], &index))
			return why->reason;
	return PLAN_OK;
}

/* ---- assembling the plan ---- */

static struct plan_decoder *add_decoder(struct region_plan *plan)
{
	struct plan_decoder *pd;

	if (plan->nr_decoders >= PLAN_MAX_DECODERS)
		return NULL;
	pd = &plan->decoders[plan->nr_decoders++];
	memset(pd, 0, sizeof(*pd));
	pd->position = -1;
	return pd;
}

static void set_ileave(struct plan_decoder *pd, unsigned ways, unsigned gran)
{
	pd->ways = ways;
	pd->granularity = gran;
	pd->eniw = ileave_ways_to_eniw(ways);
	pd->ig = ileave_gran_to_ig(gran);
}

static bool add_endpoint_decoders(struct pick *pk, struct region_plan *plan)
{
	uint64_t dpa_size = plan->size / plan->ways;

	for (unsigned i = 0; i < pk->nr_eps; i++) {
		int e = pk->eps[i];
		const struct cxl_endpoint *ep = &pk->t->endpoints[e];
		struct plan_decoder *pd = add_decoder(plan);
		struct why scratch = { 0 };

		if (!pd || free_decoder(pk, &scratch, &ep->hdm, "endpoint", ep->id,
					pk->pl->ep_next[e], pk->pl->ep_hpa_end[e], &pd->index))
			return false;
		pd->is_endpoint = true;
		pd->owner = e;
		pd->port_id = ep->id;
		pd->hpa_base = plan->hpa_base;
		pd->hpa_size = plan->size;
		set_ileave(pd, plan->ways, plan->granularity);
		free_dpa(pk, e, &pd->dpa_base, &pd->dpa_skip);
		pd->dpa_size = dpa_size;
	}
	return true;
}

/* Ports deepest first: a region commits from the endpoints up (../shared/DESIGN.md §4). */
static bool add_port_decoders(struct pick *pk, struct region_plan *plan)
{
	for (unsigned depth = CXL_MAX_PATH; depth-- > 0;)
		for (unsigned i = 0; i < pk->nr_ports; i++) {
			const struct picked_port *pp = &pk->ports[i];
			struct plan_decoder *pd;
			unsigned gran;

			if (cxl_port_depth(pk->t, pp->port) != depth)
				continue;
			pd = add_decoder(plan);
			if (!pd)
				return false;
			pd->owner = pp->port;
			pd->port_id = pk->t->ports[pp->port].id;
			pd->index = pp->decoder;
			pd->hpa_base = plan->hpa_base;
			pd->hpa_size = plan->size;
			/* IG of a 1-way decoder selects nothing; cap the rule value to an encodable one. */
			gran = pp->rule_gran > ILEAVE_MAX_GRAN ? ILEAVE_MAX_GRAN : pp->rule_gran;
			set_ileave(pd, pp->ways, gran);
			pd->nr_targets = pp->ways;
			memcpy(pd->targets, pp->targets, sizeof(pd->targets));
		}
	return true;
}

static uint64_t region_size(struct pick *pk)
{
	uint64_t unit = SZ_256M * pk->ways, size = pk->w->size;

	for (unsigned i = 0; i < pk->nr_eps; i++) {
		uint64_t cap = free_dpa(pk, pk->eps[i], NULL, NULL) * pk->ways;

		if (cap < size)
			size = cap;
	}
	if (pk->pl->minimal_regions && size > unit)
		size = unit;
	return size / unit * unit;
}

static int build_route(const struct cxl_topology *t, const struct region_plan *plan,
		       struct ileave_route *r, bool by_position);

/* Route one address per position through the decoders just planned. */
static bool assign_positions(struct pick *pk, struct region_plan *plan)
{
	static struct ileave_route route; /* large; the planner is not reentrant */
	bool taken[ILEAVE_MAX_WAYS] = { false };

	if (build_route(pk->t, plan, &route, false))
		return false;
	for (unsigned p = 0; p < plan->ways; p++) {
		uint64_t hpa = plan->hpa_base + ileave_dpa_to_hpa(&plan->il, p, 0), dpa;
		unsigned e, i;

		if (ileave_route_hpa(&route, hpa, &e, &dpa) != ROUTE_OK)
			return false;
		for (i = 0; i < plan->nr_decoders; i++)
			if (plan->decoders[i].is_endpoint && plan->decoders[i].owner == e)
				break;
		if (i == plan->nr_decoders || taken[i])
			return false;
		taken[i] = true;
		plan->decoders[i].position = p;
		plan->endpoint_at[p] = e;
	}
	return true;
}

static int position_cmp(const void *a, const void *b)
{
	return ((const struct plan_decoder *)a)->position -
	       ((const struct plan_decoder *)b)->position;
}

static void sort_endpoints(struct region_plan *plan, unsigned nr)
{
	/* Insertion sort: at most 16 entries. */
	for (unsigned i = 1; i < nr; i++) {
		struct plan_decoder tmp = plan->decoders[i];
		unsigned j = i;

		for (; j > 0 && position_cmp(&plan->decoders[j - 1], &tmp) > 0; j--)
			plan->decoders[j] = plan->decoders[j - 1];
		plan->decoders[j] = tmp;
	}
}

static bool assemble(struct pick *pk, struct region_plan *plan)
{
	plan->mode = pk->mode;
	plan->hpa_base = pk->w->base;
	plan->ways = pk->ways;
	plan->granularity = pk->w->granularity;
	plan->size = region_size(pk);
	plan->il = window_ileave(pk->w, plan->hpa_base, plan->ways);
	plan->nr_endpoints = pk->nr_eps;
	plan->nr_decoders = 0;
	if (!add_endpoint_decoders(pk, plan) || !add_port_decoders(pk, plan) ||
	    !assign_positions(pk, plan))
		return false;
	sort_endpoints(plan, pk->nr_eps);
	return true;
}

static void claim(struct planner *pl, const struct region_plan *plan)
{
	for (unsigned i = 0; i < plan->nr_decoders; i++) {
		const struct plan_decoder *pd = &plan->decoders[i];
		uint64_t end = pd->hpa_base + pd->hpa_size;

		if (pd->is_endpoint) {
			pl->ep_next[pd->owner] = pd->index + 1;
			pl->ep_hpa_end[pd->owner] = end;
			pl->ep_dpa_end[pd->owner] = pd->dpa_base + pd->dpa_size;
		} else {
			pl->port_next[pd->owner] = pd->index + 1;
			pl->port_hpa_end[pd->owner] = end;
		}
	}
}

/* Can every host bridge supply `per_hb` endpoints for a region of ways x per_hb? */
static bool try_ways(struct pick *pk, const int *hb, unsigned per_hb, struct why *why)
{
	const struct cxl_window *w = pk->w;
	uint64_t gran = (uint64_t)w->granularity << __builtin_ctz(w->ways);

	pk->ways = w->ways * per_hb;
	pk->nr_eps = pk->nr_ports = 0;
	for (unsigned h = 0; h < w->ways; h++) {
		memset(&pk->why, 0, sizeof(pk->why));
		/* Bit j of the mask stands for 2^j endpoints, so per_hb is its own bit. */
		if (!(port_mask(pk, hb[h], gran) & per_hb)) {
			if (pk->why.reason == PLAN_OK)
				note(&pk->why, PLAN_NOT_ENOUGH_ENDPOINTS,
				     "host bridge port%u cannot contribute %u endpoint(s)",
				     pk->t->ports[hb[h]].id, per_hb);
			*why = pk->why;
			return false;
		}
	}
	for (unsigned h = 0; h < w->ways; h++)
		if (!select_port(pk, hb[h], gran, per_hb))
			return false;
	return true;
}

/*
 * Every planned decoder interleaves only on HPA bits its component supports
 * (Linux check_interleave_cap, applied to ports and endpoints alike).
 */
static bool bits_capable(const struct cxl_topology *t, const struct region_plan *plan, struct why *why)
{
	for (unsigned i = 0; i < plan->nr_decoders; i++) {
		const struct plan_decoder *pd = &plan->decoders[i];
		const struct cxl_hdm *hdm = pd->is_endpoint ? &t->endpoints[pd->owner].hdm : &t->ports[pd->owner].hdm;
		uint64_t need = ileave_selector_bits(pd->eniw, pd->ig);

		if (need & hdm->ileave_bits_missing) {
			note(why, PLAN_INTERLEAVE_BITS,
			     "decoder%u.%u: %u-way at %u B interleaves on HPA bits 0x%llx; its HDM capability 0x%x "
			     "lacks A11to8 or A14to12", pd->port_id, pd->index, pd->ways, pd->granularity,
			     (unsigned long long)need, hdm->cap);
			return false;
		}
	}
	return true;
}

/* Largest balanced region for one mode; why says what stopped the smallest one. */
static bool plan_mode(struct pick *pk, const int *hb, struct region_plan *plan, struct why *why)
{
	const struct cxl_window *w = pk->w;

	for (unsigned per_hb = ILEAVE_MAX_WAYS; per_hb >= 1; per_hb >>= 1) {
		unsigned ways = w->ways * per_hb;

		if (!ileave_ways_valid(ways) || SZ_256M * ways > w->size)
			continue;
		memset(why, 0, sizeof(*why));
		if (!try_ways(pk, hb, per_hb, why))
			continue;
		if (!assemble(pk, plan)) {
			memset(why, 0, sizeof(*why));
			note(why, PLAN_INTERNAL, "the planned decoders do not route %u ways one-to-one", ways);
			return false;
		}
		if (bits_capable(pk->t, plan, why))
			return true;
		/* Fewer devices interleave on fewer address bits: try them. */
	}
	return false;
}

static bool fail(struct region_plan *plan, const struct why *why)
{
	/* An assembled plan refused afterwards (interleave bits) leaves nothing behind. */
	plan->nr_decoders = plan->nr_endpoints = 0;
	for (unsigned p = 0; p < ILEAVE_MAX_WAYS; p++)
		plan->endpoint_at[p] = -1;
	plan->reason = why->reason;
	memcpy(plan->message, why->msg, sizeof(plan->message));
	if (why->reason == PLAN_OK) {
		plan->reason = PLAN_INTERNAL;
		fmt_snprintf(plan->message, sizeof(plan->message),
			     "planning failed without a reason");
	}
	return false;
}

void planner_init(struct planner *pl, const struct cxl_topology *topo)
{
	memset(pl, 0, sizeof(*pl));
	pl->topo = topo;
	for (unsigned e = 0; e < topo->nr_endpoints; e++)
		pl->ep_dpa_end[e] = cxl_endpoint_dpa_end(topo, e);
}

bool planner_plan_window(struct planner *pl, unsigned window, struct region_plan *plan)
{
	static struct pick pk; /* large; the planner is not reentrant */
	enum region_mode modes[2];
	unsigned nr_modes = 0;
	int hb[ILEAVE_MAX_WAYS];
	struct why why = { 0 }, best = { 0 };

	memset(plan, 0, sizeof(*plan));
	plan->window = window;
	for (unsigned p = 0; p < ILEAVE_MAX_WAYS; p++)
		plan->endpoint_at[p] = -1;
	if (window >= pl->topo->nr_windows) {
		note(&why, PLAN_INTERNAL, "there is no window %u", window);
		return fail(plan, &why);
	}
	memset(&pk, 0, sizeof(pk));
	pk.pl = pl;
	pk.t = pl->topo;
	pk.w = &pl->topo->windows[window];
	pk.base = pk.w->base;
	pk.end = pk.w->base + pk.w->size;
	if (check_window(pk.w, &why) || check_host_bridges(&pk, hb, &why))
		return fail(plan, &why);

	if (pk.w->allow_volatile)
		modes[nr_modes++] = REGION_RAM;
	if (pk.w->allow_persistent)
		modes[nr_modes++] = REGION_PMEM;
	for (unsigned i = 0; i < nr_modes; i++) {
		pk.mode = modes[i];
		if (plan_mode(&pk, hb, plan, &why)) {
			claim(pl, plan);
			return true;
		}
		/* Capacity in the other partition is the least telling reason. */
		if (best.reason == PLAN_OK || (best.reason == PLAN_INSUFFICIENT_CAPACITY &&
					       why.reason != PLAN_INSUFFICIENT_CAPACITY))
			best = why;
	}
	return fail(plan, &best);
}

unsigned planner_plan_all(const struct cxl_topology *topo, struct region_plan *plans)
{
	static struct planner pl;
	unsigned order[CXL_MAX_WINDOWS], ok = 0;

	planner_init(&pl, topo);
	for (unsigned i = 0; i < topo->nr_windows; i++) {
		unsigned j = i;

		for (; j > 0 && topo->windows[order[j - 1]].base > topo->windows[i].base; j--)
			order[j] = order[j - 1];
		order[j] = i;
	}
	for (unsigned i = 0; i < topo->nr_windows; i++) {
		pl.minimal_regions = i + 1 < topo->nr_windows;
		ok += planner_plan_window(&pl, order[i], &plans[order[i]]);
	}
	return ok;
}

/* ---- the plan as a decoder tree ---- */

struct route_build {
	const struct cxl_topology *t;
	const struct region_plan *plan;
	struct ileave_route *r;
	bool by_position;
};

const struct plan_decoder *plan_decoder_of(const struct region_plan *plan, bool endpoint, int owner)
{
	for (unsigned i = 0; i < plan->nr_decoders; i++)
		if (plan->decoders[i].is_endpoint == endpoint && plan->decoders[i].owner == owner)
			return &plan->decoders[i];
	return NULL;
}

static struct ileave decoder_ileave(const struct plan_decoder *pd)
{
	struct ileave il = {
		.base = pd->hpa_base,
		.ways = pd->ways,
		.granularity = pd->granularity,
	};

	return il;
}

static int port_node(struct route_build *rb, int port, unsigned depth);

static int dport_node(struct route_build *rb, int d, unsigned depth)
{
	const struct cxl_dport *dp = &rb->t->dports[d];
	const struct plan_decoder *pd;
	struct ileave il;

	if (dp->child_port >= 0)
		return port_node(rb, dp->child_port, depth + 1);
	if (dp->child_endpoint < 0)
		return -1;
	pd = plan_decoder_of(rb->plan, true, dp->child_endpoint);
	if (!pd)
		return -1;
	il = decoder_ileave(pd);
	return ileave_route_add(rb->r, &il, pd->hpa_size,
				rb->by_position ? pd->position : dp->child_endpoint, pd->dpa_base);
}

static int port_node(struct route_build *rb, int port, unsigned depth)
{
	const struct plan_decoder *pd = plan_decoder_of(rb->plan, false, port);
	struct ileave il;
	int n;

	if (depth > CXL_MAX_PATH)
		return -1;
	if (!pd)
		return rb->t->ports[port].hdm.present ? -1 : dport_node(rb, only_dport(rb->t, port), depth);
	il = decoder_ileave(pd);
	n = ileave_route_add(rb->r, &il, pd->hpa_size, -1, 0);
	if (n < 0)
		return -1;
	for (unsigned i = 0; i < pd->nr_targets; i++) {
		int d = cxl_topo_find_dport(rb->t, port, pd->targets[i]);
		int child = d < 0 ? -1 : dport_node(rb, d, depth);

		if (child < 0)
			return -1;
		rb->r->node[n].target[i] = child;
	}
	return n;
}

static int build_route(const struct cxl_topology *t, const struct region_plan *plan,
		       struct ileave_route *r, bool by_position)
{
	const struct cxl_window *w = &t->windows[plan->window];
	struct route_build rb = { t, plan, r, by_position };
	struct ileave root = window_ileave(w, w->base, w->ways);

	r->nr_nodes = 0;
	if (ileave_route_add(r, &root, w->size, -1, 0) < 0)
		return -1;
	for (unsigned h = 0; h < w->ways; h++) {
		int hb = cxl_topo_find_host_bridge(t, w->target_uid[h]);
		int n = hb < 0 ? -1 : port_node(&rb, hb, 0);

		if (n < 0)
			return -1;
		r->node[0].target[h] = n;
	}
	return 0;
}

int planner_route(const struct cxl_topology *topo, const struct region_plan *plan,
		  struct ileave_route *route)
{
	if (plan->reason != PLAN_OK || plan->window >= topo->nr_windows)
		return -1;
	return build_route(topo, plan, route, true);
}
