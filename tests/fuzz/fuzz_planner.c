// SPDX-License-Identifier: MIT
/*
 * libFuzzer: the region planner on topologies and CFMWS windows built from
 * the input, then every invariant of tests/unit/support/plan_check.c (the
 * planner unit tests' own checker) on what planner_plan_all() returns.
 *
 * The input is read one byte at a time (0 once it runs out), in this order:
 *   host bridges: count, then per host bridge its HDM and dports (below);
 *   HDM: flags (decoders, capability bits, absent), target count, and per
 *        decoder a byte that may make it firmware-committed (and locked);
 *   dports: count, first port number, then per dport what hangs below:
 *        nothing, an endpoint (flags, HDM, capacity) or a switch (HDM, dports);
 *   windows: count, order, then per window ways, granularity, size, gap,
 *        host bridge targets, restrictions and XOR maps.
 * Windows never overlap (the CEDT parser drops those that do); everything
 * else may be as odd as firmware makes it, and the planner must either plan
 * a correct region or give a reason. The same topology then goes through
 * the firmware-region audit (cxl/fwregion.c), whose regions must be
 * self-consistent wherever it calls them safe to touch.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "acpi/cedt.h"
#include "lib/bits.h"
#include "cxl/fwregion.h"
#include "cxl/planner.h"
#include "cxl/topology.h"
#include "unit/support/plan_check.h"

#define FUZZ_WBASE 0x1000000000ULL /* windows go upwards from 64 GiB */
#define FUZZ_MAX_HOST_BRIDGES 8
#define FUZZ_MAX_DPORTS 4
#define FUZZ_MAX_WINDOWS 4
#define FUZZ_MAX_SWITCH_DEPTH 4 /* one more than the planner plans: path_too_deep is reachable */
#define FUZZ_UID_BASE 100

/* Endpoint and HDM flag bits of the input. */
#define F_HDM_DECODERS GENMASK(1, 0) /* 1..4 decoders */
#define F_HDM_3_6_12 BIT(2)
#define F_HDM_16 BIT(3)
#define F_HDM_ABSENT GENMASK(7, 4) /* all four set: no HDM decoder capability */
#define F_DEC_COMMITTED GENMASK(7, 6) /* both set: firmware committed this decoder */
#define F_DEC_LOCKED BIT(5)
#define F_DEC_BASE GENMASK(4, 0) /* GiB from 8 GiB below the first window */
#define F_EP_NOT_TYPE3 GENMASK(3, 0) /* all set: not a memory expander */
#define F_CAP_256M GENMASK(2, 0) /* capacity in 256 MiB units ... */
#define F_CAP_ODD BIT(3) /* ... plus an unaligned 64 MiB */
#define F_WIN_XOR BIT(0)
#define F_WIN_FEW_XORMAPS BIT(1)
#define F_WIN_RAW_RESTRICTIONS GENMASK(7, 5) /* all set: the low bits are the restrictions */
#define F_TARGETS_RANDOM BIT(7) /* else consecutive host bridges from a start */

struct input {
	const uint8_t *p;
	size_t n;
};

static uint8_t take(struct input *in)
{
	if (!in->n)
		return 0;
	in->n--;
	return *in->p++;
}

static struct cxl_topology topo;
static struct region_plan plans[CXL_MAX_WINDOWS];
static uint64_t dpa_end[CXL_MAX_ENDPOINTS];

static const unsigned valid_ways[] = { 1, 2, 4, 8, 16, 3, 6, 12 };

static void fail(const char *what)
{
	fprintf(stderr, "planner invariant broken: %s\n", what);
	__builtin_trap();
}

/*
 * A decoder firmware committed, near the windows (below, inside or above).
 * Endpoints claim DPA after the previous committed decoder as discovery
 * records it; all ones in the skip byte claims up to 2^64, as discovery
 * saturates garbage registers.
 */
static void firmware_decoder(struct input *in, struct cxl_decoder *d, uint8_t f, int ep)
{
	uint8_t s = take(in);

	d->committed = true;
	d->owned_by_firmware = true;
	d->locked = f & F_DEC_LOCKED;
	d->base = FUZZ_WBASE - 8 * SZ_1G + FIELD_GET(F_DEC_BASE, f) * SZ_1G;
	d->size = (s & 7) * SZ_256M;
	d->ways = valid_ways[(s >> 3) & 7];
	d->granularity = ILEAVE_MIN_GRAN;
	if (ep < 0)
		return;
	d->dpa_size = d->size / d->ways;
	d->dpa_base = dpa_end[ep] + (s >> 6) * SZ_256M;
	if (s == 0xff || d->dpa_base < dpa_end[ep] || d->dpa_size > UINT64_MAX - d->dpa_base)
		d->dpa_base = UINT64_MAX - d->dpa_size;
	dpa_end[ep] = d->dpa_base + d->dpa_size;
}

/* ep: the endpoint the capability belongs to, or -1 for a port. */
static void add_hdm(struct input *in, struct cxl_hdm *hdm, int ep)
{
	uint8_t f = take(in), targets = take(in);

	if (FIELD_GET(F_HDM_ABSENT, f) == FIELD_GET(F_HDM_ABSENT, F_HDM_ABSENT))
		return;
	if (cxl_topo_alloc_decoders(&topo, hdm, 1 + FIELD_GET(F_HDM_DECODERS, f)))
		return;
	hdm->nr_targets = targets % (CXL_MAX_PORT_TARGETS + 1);
	hdm->iw_3_6_12 = f & F_HDM_3_6_12;
	hdm->iw_16 = f & F_HDM_16;
	for (unsigned m = 0; m < hdm->nr_decoders; m++) {
		uint8_t c = take(in);

		if (FIELD_GET(F_DEC_COMMITTED, c) == FIELD_GET(F_DEC_COMMITTED, F_DEC_COMMITTED))
			firmware_decoder(in, &topo.decoders[hdm->first_decoder + m], c, ep);
	}
}

static uint64_t capacity(uint8_t c)
{
	return FIELD_GET(F_CAP_256M, c) * SZ_256M + (c & F_CAP_ODD ? 64 * SZ_1M : 0);
}

static void add_endpoint(struct input *in, int dport)
{
	struct cxl_bdf bdf = { 0, (uint8_t)dport, 0, 0 };
	uint8_t f = take(in), cap = take(in);
	int e = cxl_topo_add_endpoint(&topo, dport, bdf, 0);

	if (e < 0)
		return;
	topo.endpoints[e].type3 = FIELD_GET(F_EP_NOT_TYPE3, f) != FIELD_GET(F_EP_NOT_TYPE3, F_EP_NOT_TYPE3);
	topo.endpoints[e].volatile_bytes = capacity(cap);
	topo.endpoints[e].persistent_bytes = capacity(cap >> 4);
	dpa_end[e] = 0;
	add_hdm(in, &topo.endpoints[e].hdm, e);
}

static void add_dports(struct input *in, int port, unsigned depth)
{
	unsigned n = 1 + take(in) % FUZZ_MAX_DPORTS;
	uint8_t first = take(in);

	for (unsigned i = 0; i < n; i++) {
		struct cxl_bdf bdf = { 0, (uint8_t)topo.nr_dports, 0, 0 };
		int d = cxl_topo_add_dport(&topo, port, (uint8_t)(first + i), bdf);
		uint8_t below = take(in) % 4;
		int sw;

		if (d < 0)
			return;
		if (below == 3 && depth < FUZZ_MAX_SWITCH_DEPTH) {
			sw = cxl_topo_add_switch(&topo, d, bdf, 0);
			if (sw < 0)
				return;
			add_hdm(in, &topo.ports[sw].hdm, -1);
			add_dports(in, sw, depth + 1);
		} else if (below) {
			add_endpoint(in, d);
		}
	}
}

static void add_window(struct input *in, uint64_t *cursor, unsigned nr_hb)
{
	struct cxl_window w = { .cedt_index = (int)topo.nr_windows };
	uint8_t f = take(in), targets = take(in), restrictions = take(in);
	unsigned shift;

	w.ways = valid_ways[take(in) % ARRAY_SIZE(valid_ways)];
	shift = take(in) % 7;
	w.granularity = ILEAVE_MIN_GRAN << shift;
	*cursor += (take(in) % 4) * SZ_256M;
	w.base = *cursor;
	w.size = SZ_256M * w.ways * (1 + take(in) % 4);
	*cursor += w.size;
	for (unsigned k = 0; k < w.ways; k++)
		w.target_uid[k] = FUZZ_UID_BASE + (targets & F_TARGETS_RANDOM ? take(in) % (nr_hb + 1)
									    : (targets + k) % nr_hb);
	w.restrictions = CFMWS_RESTRICT_TYPE3 | CFMWS_RESTRICT_VOLATILE | CFMWS_RESTRICT_PMEM;
	if (FIELD_GET(F_WIN_RAW_RESTRICTIONS, restrictions) == FIELD_GET(F_WIN_RAW_RESTRICTIONS, F_WIN_RAW_RESTRICTIONS))
		w.restrictions = restrictions & ~F_WIN_RAW_RESTRICTIONS;
	w.allow_type3 = w.restrictions & CFMWS_RESTRICT_TYPE3;
	w.allow_volatile = w.restrictions & CFMWS_RESTRICT_VOLATILE;
	w.allow_persistent = w.restrictions & CFMWS_RESTRICT_PMEM;
	w.fixed_config = w.restrictions & CFMWS_RESTRICT_FIXED;
	if (f & F_WIN_XOR) {
		/* Map i selects position bit i at HPA bit log2(granularity) + i, plus higher bits. */
		w.arith = ILEAVE_XOR;
		w.nr_xormaps = (unsigned)__builtin_ctz(w.ways); /* one map per power-of-2 position bit */
		if (f & F_WIN_FEW_XORMAPS && w.nr_xormaps)
			w.nr_xormaps--;
		for (unsigned i = 0; i < w.nr_xormaps; i++)
			w.xormaps[i] = BIT_ULL(8 + shift + i) | (uint64_t)take(in) << 28;
	}
	cxl_topo_add_window(&topo, &w);
}

/* What the planner returned: every plan checked alone, then all together. */
static void check_plans(void)
{
	static struct test_rng rng;
	unsigned ok = 0;
	const char *err;

	rng.state = 0x243f6a8885a308d3ULL;
	for (unsigned i = 0; i < topo.nr_windows; i++) {
		const struct region_plan *p = &plans[i];

		if (p->reason != PLAN_OK) {
			if (p->reason >= PLAN_REASONS || !p->message[0])
				fail("a refused window has no reason id or no message");
			/* internal_error is the planner catching its own bug. */
			if (p->reason == PLAN_INTERNAL)
				fail(p->message);
			continue;
		}
		ok++;
		err = plan_check(&topo, p, &rng, 2, 16);
		if (err)
			fail(err);
	}
	err = plan_check_all(&topo, plans, topo.nr_windows);
	if (err)
		fail(err);
	if (ok != planner_plan_all(&topo, plans))
		fail("planner_plan_all counts differently on a second run");
}

/* Firmware's regions: a touchable one has a window and a distinct endpoint with its decoder per position. */
static void check_fwregions(void)
{
	static struct fwregions fr;

	fwregion_reconstruct(&topo, &fr, NULL);
	for (unsigned r = 0; r < fr.nr; r++) {
		const struct region_plan *p = &fr.r[r].plan;
		bool seen[CXL_MAX_ENDPOINTS] = { false };

		if (!fr.r[r].touchable)
			continue;
		if (fr.r[r].window < 0 || (unsigned)fr.r[r].window >= topo.nr_windows || !ileave_ways_valid(p->ways))
			fail("a touchable firmware region without a window or valid ways");
		for (unsigned k = 0; k < p->ways; k++) {
			int e = p->endpoint_at[k];

			if (e < 0 || (unsigned)e >= topo.nr_endpoints || seen[e] || !plan_decoder_of(p, true, e))
				fail("a touchable firmware region lacks a distinct endpoint decoder at a position");
			seen[e] = true;
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in = { data, size };
	unsigned nr_hb, nr_windows;
	uint64_t cursor = FUZZ_WBASE;
	bool reverse;

	cxl_topo_init(&topo);
	nr_hb = 1 + take(&in) % FUZZ_MAX_HOST_BRIDGES;
	for (unsigned h = 0; h < nr_hb; h++) {
		int hb = cxl_topo_add_host_bridge(&topo, FUZZ_UID_BASE + h, 0);

		if (hb < 0)
			break;
		add_hdm(&in, &topo.ports[hb].hdm, -1);
		add_dports(&in, hb, 0);
	}
	nr_windows = 1 + take(&in) % FUZZ_MAX_WINDOWS;
	reverse = take(&in) & 1;
	for (unsigned i = 0; i < nr_windows; i++)
		add_window(&in, &cursor, nr_hb);
	/* The planner goes by increasing base whatever the CEDT order: give it both. */
	for (unsigned i = 0; reverse && i < topo.nr_windows / 2; i++) {
		struct cxl_window tmp = topo.windows[i];

		topo.windows[i] = topo.windows[topo.nr_windows - 1 - i];
		topo.windows[topo.nr_windows - 1 - i] = tmp;
	}
	planner_plan_all(&topo, plans);
	check_plans();
	check_fwregions();
	return 0;
}
