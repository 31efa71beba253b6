// SPDX-License-Identifier: MIT
/*
 * cxl/planner.c and cxl/topology.c on hand-built topologies. Every plan that
 * succeeds goes through the invariants of tests/unit/support/plan_check.c
 * (shared with the planner fuzzer) and is routed twice: by a walker written
 * there from the spec's decoder rules and as one flat interleave set; both
 * must agree everywhere.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "lib/bits.h"
#include "cxl/interleave.h"
#include "cxl/planner.h"
#include "cxl/topology.h"
#include "unit/support/plan_check.h"

#define WBASE 0x290000000ULL
#define SZ_512M (2 * SZ_256M)

static struct cxl_topology T;
static struct region_plan P[CXL_MAX_WINDOWS];
static struct ileave_route R;

/* ---- building topologies ---- */

static struct cxl_bdf bdf(uint8_t bus)
{
	struct cxl_bdf b = { 0, bus, 0, 0 };

	return b;
}

static int setup(void **state)
{
	cxl_topo_init(&T);
	memset(P, 0, sizeof(P));
	return 0;
}

static int add_hb(uint32_t uid, unsigned nr_decoders)
{
	int p = cxl_topo_add_host_bridge(&T, uid, 0x280000000ULL + uid * SZ_64K);

	assert_true(p >= 0);
	assert_int_equal(cxl_topo_alloc_decoders(&T, &T.ports[p].hdm, nr_decoders), 0);
	T.ports[p].hdm.nr_targets = 8;
	return p;
}

static int add_dport(int port, uint8_t number)
{
	int d = cxl_topo_add_dport(&T, port, number, bdf(number));

	assert_true(d >= 0);
	return d;
}

/* A 3/6/12- and 16-way capable memory expander with 4 decoders. */
static int add_dev(int dport, uint64_t volatile_bytes, uint64_t persistent_bytes)
{
	int e = cxl_topo_add_endpoint(&T, dport, bdf(0x40 + dport), 0xfe000000ULL + dport * SZ_64K);
	struct cxl_endpoint *ep = &T.endpoints[e];

	assert_true(e >= 0);
	assert_int_equal(cxl_topo_alloc_decoders(&T, &ep->hdm, 4), 0);
	ep->hdm.nr_targets = 1;
	ep->hdm.iw_3_6_12 = true;
	ep->hdm.iw_16 = true;
	ep->volatile_bytes = volatile_bytes;
	ep->persistent_bytes = persistent_bytes;
	return e;
}

/* A switch below dport with n downstream ports numbered 0..n-1; returns its upstream port. */
static int add_switch(int dport, unsigned n)
{
	int p = cxl_topo_add_switch(&T, dport, bdf(0x80 + dport), 0xfd000000ULL + dport * SZ_64K);

	assert_true(p >= 0);
	assert_int_equal(cxl_topo_alloc_decoders(&T, &T.ports[p].hdm, 2), 0);
	T.ports[p].hdm.nr_targets = 8;
	for (unsigned i = 0; i < n; i++)
		add_dport(p, i);
	return p;
}

static int add_window_arith(uint64_t base, uint64_t size, unsigned ways, unsigned gran,
			    const uint32_t *uids, enum ileave_arith arith)
{
	struct cxl_window w = {
		.base = base, .size = size, .ways = ways, .granularity = gran, .arith = arith,
		.restrictions = 0xe, .allow_type3 = true, .allow_volatile = true, .allow_persistent = true,
	};
	static const uint64_t guide_xormaps[] = { 0x2020900, 0x4041200, 0x1010400, 0x800 };
	int i;

	memcpy(w.target_uid, uids, ways * sizeof(uids[0]));
	if (arith == ILEAVE_XOR) {
		w.nr_xormaps = 4;
		for (unsigned m = 0; m < 4; m++)
			w.xormaps[m] = guide_xormaps[m] << (__builtin_ctz(gran) - 8);
	}
	i = cxl_topo_add_window(&T, &w);
	assert_true(i >= 0);
	return i;
}

static int add_window(uint64_t base, uint64_t size, unsigned ways, unsigned gran, const uint32_t *uids)
{
	return add_window_arith(base, size, ways, gran, uids, ILEAVE_MODULO);
}

/* n host bridges (UIDs 100..) each with `devs` root ports and a device per root port. */
static void add_hbs_with_devs(unsigned n, unsigned devs, uint32_t *uids)
{
	for (unsigned h = 0; h < n; h++) {
		int p = add_hb(100 + h, 2);

		uids[h] = 100 + h;
		for (unsigned i = 0; i < devs; i++)
			add_dev(add_dport(p, i), 0, SZ_1G);
	}
}

/* ---- checking plans ---- */

static struct test_rng rng = { 0x243f6a8885a308d3ULL }; /* the same addresses on every run */

/* Every granule of the first and last 32 rows, then 2000 random addresses. */
static void check_plan(const struct region_plan *plan)
{
	const char *err = plan_check(&T, plan, &rng, 32, 2000);

	if (err)
		fail_msg("window %u: %s", plan->window, err);
}

/* Plans of one run against each other and against firmware's decoders. */
static void check_plans(const struct region_plan *plans, unsigned n)
{
	const char *err = plan_check_all(&T, plans, n);

	if (err)
		fail_msg("%s", err);
}

static struct region_plan *plan_one(unsigned window)
{
	static struct planner pl;

	planner_init(&pl, &T);
	planner_plan_window(&pl, window, &P[window]);
	return &P[window];
}

/* A window at WBASE, planned on its own; the plan must be good. */
static struct region_plan *plan_checked(uint64_t size, unsigned ways, unsigned gran, const uint32_t *uids)
{
	int w = add_window(WBASE, size, ways, gran, uids);

	check_plan(plan_one(w));
	return &P[w];
}

static const struct plan_decoder *the_port_decoder(const struct region_plan *plan, int port)
{
	const struct plan_decoder *pd = plan_decoder_of(plan, false, port);

	assert_non_null(pd);
	return pd;
}

/* ---- the topologies of ../shared/DESIGN.md §5 ---- */

/* Observed in QEMU: window offset -> (position, DPA). */
struct kat {
	uint64_t off;
	unsigned pos;
	uint64_t dpa;
};

static void check_kat(const struct region_plan *plan, const struct kat *kat, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int ep;
		uint64_t dpa;

		assert_true(plan_walk(&T, plan, WBASE + kat[i].off, &ep, &dpa));
		assert_int_equal(ep, plan->endpoint_at[kat[i].pos]);
		assert_int_equal(dpa, kat[i].dpa);
	}
}

static void test_one_host_bridge_one_device(void **state)
{
	uint32_t uid = 12;
	int hb = add_hb(uid, 1);
	int ep = add_dev(add_dport(hb, 0), 0, SZ_256M);
	struct region_plan *plan;
	const struct plan_decoder *pd;
	char name[32];

	plan = plan_checked(4 * SZ_1G, 1, 256, &uid);
	assert_int_equal(plan->ways, 1);
	assert_int_equal(plan->size, SZ_256M);
	assert_int_equal(plan->mode, REGION_PMEM);
	assert_int_equal(plan->nr_decoders, 2);
	pd = &plan->decoders[0];
	assert_true(pd->is_endpoint);
	assert_int_equal(pd->owner, ep);
	assert_int_equal(pd->index, 0);
	assert_int_equal(pd->dpa_base, 0);
	assert_int_equal(pd->dpa_skip, 0);
	assert_int_equal(pd->dpa_size, SZ_256M);
	pd = &plan->decoders[1];
	assert_false(pd->is_endpoint);
	assert_int_equal(pd->ways, 1);
	assert_int_equal(pd->targets[0], 0);
	cxl_decoder_name(pd->port_id, pd->index, name, sizeof(name));
	assert_string_equal(name, "decoder1.0");
}

/* QEMU: 2-way at the host bridge, 256 B: HB control 0x210, target list 0x00000100. */
static void test_two_way_at_host_bridge(void **state)
{
	uint32_t uid = 12;
	int hb = add_hb(uid, 1);
	int ep0 = add_dev(add_dport(hb, 0), 0, SZ_256M);
	int ep1 = add_dev(add_dport(hb, 1), 0, SZ_256M);
	struct region_plan *plan;
	const struct plan_decoder *pd;
	static const struct kat kat[] = { { 0x1000, 0, 0x800 }, { 0x1100, 1, 0x800 }, { 0x2000, 0, 0x1000 } };

	plan = plan_checked(4 * SZ_1G, 1, 256, &uid);
	assert_int_equal(plan->ways, 2);
	assert_int_equal(plan->size, SZ_512M);
	assert_int_equal(plan->endpoint_at[0], ep0);
	assert_int_equal(plan->endpoint_at[1], ep1);
	pd = the_port_decoder(plan, hb);
	assert_int_equal(pd->eniw, 1);
	assert_int_equal(pd->ig, 0);
	assert_int_equal(pd->targets[0], 0);
	assert_int_equal(pd->targets[1], 1);
	pd = plan_decoder_of(plan, true, ep1);
	assert_int_equal(pd->eniw, 1);
	assert_int_equal(pd->ig, 0);
	check_kat(plan, kat, ARRAY_SIZE(kat));
}

/* QEMU: across two host bridges at 8 KiB; the CHBS came in reverse order (uid 222 first). */
static void test_across_host_bridges(void **state)
{
	uint32_t uids[2] = { 12, 222 };
	int hb222 = add_hb(222, 1), hb12 = add_hb(12, 1);
	int ep222 = add_dev(add_dport(hb222, 0), 0, SZ_256M);
	int ep12 = add_dev(add_dport(hb12, 0), 0, SZ_256M);
	struct region_plan *plan;
	static const struct kat kat[] = { { 0x1000, 0, 0x1000 }, { 0x3000, 1, 0x1000 }, { 0x5000, 0, 0x3000 } };

	plan = plan_checked(4 * SZ_1G, 2, 8192, uids);
	assert_int_equal(plan->ways, 2);
	assert_int_equal(plan->endpoint_at[0], ep12);
	assert_int_equal(plan->endpoint_at[1], ep222);
	/* Endpoint control 0x215: IW 1, IG 5. */
	assert_int_equal(plan_decoder_of(plan, true, ep12)->eniw, 1);
	assert_int_equal(plan_decoder_of(plan, true, ep12)->ig, 5);
	/* Host bridges pass one target; their granularity is 8 KiB x 2. */
	assert_int_equal(the_port_decoder(plan, hb12)->ways, 1);
	assert_int_equal(the_port_decoder(plan, hb12)->granularity, 16384);
	check_kat(plan, kat, ARRAY_SIZE(kat));
}

static void test_switch_with_two_devices(void **state)
{
	uint32_t uid = 12;
	int hb = add_hb(uid, 1);
	int sw = add_switch(add_dport(hb, 0), 2);
	int ep0 = add_dev(cxl_topo_find_dport(&T, sw, 0), 0, SZ_1G);
	int ep1 = add_dev(cxl_topo_find_dport(&T, sw, 1), 0, SZ_1G);
	struct region_plan *plan;
	const struct plan_decoder *pd;

	plan = plan_checked(4 * SZ_1G, 1, 256, &uid);
	assert_int_equal(plan->ways, 2);
	assert_int_equal(plan->size, 2 * SZ_1G);
	assert_int_equal(plan->endpoint_at[0], ep0);
	assert_int_equal(plan->endpoint_at[1], ep1);
	assert_int_equal(plan->nr_decoders, 4);
	/* Endpoints, then the switch, then the host bridge. */
	assert_true(plan->decoders[0].is_endpoint && plan->decoders[1].is_endpoint);
	assert_int_equal(plan->decoders[2].owner, sw);
	assert_int_equal(plan->decoders[3].owner, hb);
	pd = the_port_decoder(plan, sw);
	assert_int_equal(pd->ways, 2);
	assert_int_equal(pd->granularity, 256);
	assert_int_equal(the_port_decoder(plan, hb)->ways, 1);
	assert_int_equal(cxl_port_host_bridge(&T, sw), hb);
	assert_int_equal(cxl_port_depth(&T, sw), 1);
}

/* Host bridge UID 7 with root ports rp and rp + 1, each with a switch of two devices. */
static int two_switches(uint8_t rp, int *sw)
{
	int hb = add_hb(7, 1);

	sw[0] = add_switch(add_dport(hb, rp), 2);
	sw[1] = add_switch(add_dport(hb, rp + 1), 2);
	for (unsigned i = 0; i < 4; i++)
		add_dev(cxl_topo_find_dport(&T, sw[i / 2], i % 2), 0, SZ_1G);
	return hb;
}

/* Two root ports each with a switch of two devices below one host bridge: 4 ways, 3 levels. */
static void test_two_switches(void **state)
{
	uint32_t uid = 7;
	int sw[2], hb = two_switches(4, sw), sw0 = sw[0], sw1 = sw[1];
	struct region_plan *plan;

	plan = plan_checked(16 * SZ_1G, 1, 1024, &uid);
	assert_int_equal(plan->ways, 4);
	/* Host bridge selects on HPA bit 10, each switch on bit 11. */
	assert_int_equal(the_port_decoder(plan, hb)->granularity, 1024);
	assert_int_equal(the_port_decoder(plan, sw0)->granularity, 2048);
	assert_int_equal(the_port_decoder(plan, sw1)->granularity, 2048);
	assert_int_equal(the_port_decoder(plan, hb)->targets[0], 4);
	assert_int_equal(the_port_decoder(plan, hb)->targets[1], 5);
}

/* With room for only 2 of 4 devices, the 2 come from different root ports. */
static void test_spread_over_dports(void **state)
{
	uint32_t uid = 7;
	int sw[2], hb = two_switches(0, sw), sw0 = sw[0], sw1 = sw[1];
	struct region_plan *plan;

	plan = plan_checked(SZ_512M, 1, 256, &uid);
	assert_int_equal(plan->ways, 2);
	assert_int_equal(the_port_decoder(plan, hb)->ways, 2);
	assert_int_equal(the_port_decoder(plan, sw0)->ways, 1);
	assert_int_equal(the_port_decoder(plan, sw1)->ways, 1);
	assert_int_equal(plan->nr_decoders, 5);
}

/* One switch and one direct device below a 2-way window's host bridges: unequal depths. */
static void test_mixed_depths(void **state)
{
	uint32_t uids[2] = { 1, 2 };
	int hb1 = add_hb(1, 1), hb2 = add_hb(2, 1);
	int sw = add_switch(add_dport(hb2, 0), 2);
	struct region_plan *plan;

	add_dev(add_dport(hb1, 0), 0, SZ_1G);
	add_dev(add_dport(hb1, 1), 0, SZ_1G);
	add_dev(cxl_topo_find_dport(&T, sw, 0), 0, SZ_1G);
	add_dev(cxl_topo_find_dport(&T, sw, 1), 0, SZ_1G);
	plan = plan_checked(8 * SZ_1G, 2, 512, uids);
	assert_int_equal(plan->ways, 4);
	assert_int_equal(the_port_decoder(plan, hb1)->ways, 2);
	assert_int_equal(the_port_decoder(plan, hb2)->ways, 1);
	assert_int_equal(the_port_decoder(plan, sw)->ways, 2);
	assert_int_equal(the_port_decoder(plan, sw)->granularity, 1024);
}

static void test_two_windows_same_host_bridge(void **state)
{
	uint32_t uid = 12;
	int hb = add_hb(uid, 2);
	int ep = add_dev(add_dport(hb, 0), 0, SZ_1G);
	const struct plan_decoder *a, *b;

	/* Given out of order: the planner still goes by increasing HPA. */
	add_window(WBASE + 4 * SZ_1G, 4 * SZ_1G, 1, 256, &uid);
	add_window(WBASE, SZ_256M, 1, 256, &uid);
	assert_int_equal(planner_plan_all(&T, P), 2);
	check_plan(&P[0]);
	check_plan(&P[1]);
	check_plans(P, 2);
	assert_int_equal(P[1].size, SZ_256M);
	assert_int_equal(P[0].size, 3 * SZ_256M);
	/* Lower HPA, lower decoder index; DPA ranges follow each other. */
	assert_int_equal(the_port_decoder(&P[1], hb)->index, 0);
	assert_int_equal(the_port_decoder(&P[0], hb)->index, 1);
	a = plan_decoder_of(&P[1], true, ep);
	b = plan_decoder_of(&P[0], true, ep);
	assert_int_equal(a->index, 0);
	assert_int_equal(b->index, 1);
	assert_int_equal(a->dpa_base, 0);
	assert_int_equal(b->dpa_base, SZ_256M);
	assert_int_equal(b->dpa_skip, 0);
	/* One way: each region's DPA range is as long as the region, the second right after the first. */
	assert_int_equal(a->dpa_size, SZ_256M);
	assert_int_equal(b->dpa_size, 3 * SZ_256M);
}

/* A volatile window and a persistent window on one device with both partitions. */
static void test_partitions_and_skip(void **state)
{
	uint32_t uid = 3;
	int hb = add_hb(uid, 4);
	int ep = add_dev(add_dport(hb, 0), SZ_512M, SZ_1G);
	const struct plan_decoder *pd;
	struct planner pl;

	add_window(WBASE, 4 * SZ_1G, 1, 256, &uid);
	T.windows[0].allow_volatile = false;
	planner_init(&pl, &T);
	assert_true(planner_plan_window(&pl, 0, &P[0]));
	check_plan(&P[0]);
	assert_int_equal(P[0].mode, REGION_PMEM);
	pd = plan_decoder_of(&P[0], true, ep);
	/* The first decoder skips the volatile partition. */
	assert_int_equal(pd->dpa_skip, SZ_512M);
	assert_int_equal(pd->dpa_base, SZ_512M);
	assert_int_equal(pd->dpa_size, SZ_1G);

	/* Volatile is preferred when allowed: a fresh planner on a window allowing both. */
	T.windows[0].allow_volatile = true;
	planner_init(&pl, &T);
	assert_true(planner_plan_window(&pl, 0, &P[0]));
	assert_int_equal(P[0].mode, REGION_RAM);
	assert_int_equal(plan_decoder_of(&P[0], true, ep)->dpa_base, 0);
	assert_int_equal(P[0].size, SZ_512M);
	assert_string_equal(region_mode_name(REGION_RAM), "ram");
	assert_string_equal(region_mode_name(REGION_PMEM), "pmem");
}

/* DPA already claimed by a firmware decoder below the window is skipped, not reused. */
static void test_firmware_dpa_respected(void **state)
{
	uint32_t uid = 3;
	int hb = add_hb(uid, 2);
	int ep = add_dev(add_dport(hb, 0), 0, SZ_1G);
	struct cxl_decoder *hbd = &T.decoders[T.ports[hb].hdm.first_decoder];
	struct cxl_decoder *epd = &T.decoders[T.endpoints[ep].hdm.first_decoder];
	struct region_plan *plan;

	/* Firmware mapped 256 MiB of the device at a lower window. */
	hbd->committed = epd->committed = true;
	hbd->base = epd->base = 0x100000000ULL;
	hbd->size = epd->size = SZ_256M;
	epd->dpa_base = 0;
	epd->dpa_size = SZ_256M;
	assert_int_equal(cxl_endpoint_dpa_end(&T, ep), SZ_256M);
	plan = plan_checked(4 * SZ_1G, 1, 256, &uid);
	check_plans(P, 1);
	assert_int_equal(the_port_decoder(plan, hb)->index, 1);
	assert_int_equal(plan_decoder_of(plan, true, ep)->index, 1);
	assert_int_equal(plan_decoder_of(plan, true, ep)->dpa_base, SZ_256M);
	assert_int_equal(plan->size, 3 * SZ_256M);
}

/* ---- 3, 6, 12 ways, XOR, and the limits of the fan-out ---- */

static void plan_and_check(unsigned hbs, unsigned devs, unsigned wways, unsigned gran,
			   enum ileave_arith arith, unsigned expect_ways)
{
	uint32_t uids[ILEAVE_MAX_WAYS];
	struct region_plan *plan;

	cxl_topo_init(&T);
	add_hbs_with_devs(hbs, devs, uids);
	add_window_arith(WBASE, 3 * 16 * SZ_1G, wways, gran, uids, arith);
	plan = plan_one(0);
	check_plan(plan);
	assert_int_equal(plan->ways, expect_ways);
	assert_int_equal(plan->granularity, gran);
}

static void test_three_way(void **state)
{
	plan_and_check(3, 1, 3, 256, ILEAVE_MODULO, 3);
	plan_and_check(3, 2, 3, 256, ILEAVE_MODULO, 6);
	/* Target t of host bridge h holds the chunks = h mod 3 and = t mod 2 (not Linux's h + 3t). */
	for (unsigned p = 0; p < 6; p++) {
		assert_int_equal(P[0].endpoint_at[p] / 2, p % 3);
		assert_int_equal(P[0].endpoint_at[p] % 2, p % 2);
	}
	plan_and_check(3, 4, 3, 4096, ILEAVE_MODULO, 12);
	/* Below a 3-way window a host bridge selects on the window granularity itself. */
	assert_int_equal(the_port_decoder(&P[0], 0)->granularity, 4096);
	assert_int_equal(the_port_decoder(&P[0], 0)->ways, 4);
	plan_and_check(3, 2, 3, 1024, ILEAVE_XOR, 6);
}

static void test_six_and_twelve_way(void **state)
{
	plan_and_check(6, 1, 6, 256, ILEAVE_MODULO, 6);
	plan_and_check(6, 2, 6, 512, ILEAVE_MODULO, 12);
	/* 6-way window: host bridge granularity is 512 x 6 / 3. */
	assert_int_equal(the_port_decoder(&P[0], 0)->granularity, 1024);
	plan_and_check(6, 2, 6, 256, ILEAVE_XOR, 12);
	plan_and_check(12, 1, 12, 256, ILEAVE_MODULO, 12);
	plan_and_check(12, 1, 12, 2048, ILEAVE_XOR, 12);
}

static void test_power_of_two_and_xor(void **state)
{
	plan_and_check(4, 2, 4, 256, ILEAVE_XOR, 8); /* the Driver Writer's Guide 8R_4H shape */
	plan_and_check(4, 1, 4, 256, ILEAVE_XOR, 4);
	plan_and_check(2, 8, 2, 256, ILEAVE_MODULO, 16);
	plan_and_check(16, 1, 16, 256, ILEAVE_XOR, 16);
	plan_and_check(1, 8, 1, 8192, ILEAVE_MODULO, 8);
	plan_and_check(8, 2, 8, 1024, ILEAVE_XOR, 16);
}

/* When the wider region is impossible the planner settles for a narrower one. */
static void test_fallbacks(void **state)
{
	/* Host bridge granularity would be 8 KiB x 4 = 32 KiB: one device per host bridge. */
	plan_and_check(4, 2, 4, 8192, ILEAVE_MODULO, 4);
	/* A 1-way decoder's IG selects nothing: the rule value is capped to 16 KiB. */
	assert_int_equal(the_port_decoder(&P[0], 0)->granularity, 16384);

	/* Endpoints without 16-way support: 8 of the 16. */
	plan_and_check(2, 8, 2, 256, ILEAVE_MODULO, 16);
	for (unsigned e = 0; e < T.nr_endpoints; e++)
		T.endpoints[e].hdm.iw_16 = false;
	check_plan(plan_one(0));
	assert_int_equal(P[0].ways, 8);

	/* A host bridge whose decoders take 2 targets: 2 of its 4 devices. */
	plan_and_check(1, 4, 1, 256, ILEAVE_MODULO, 4);
	T.ports[0].hdm.nr_targets = 2;
	check_plan(plan_one(0));
	assert_int_equal(P[0].ways, 2);

	/* A window too small for 2 x 256 MiB. */
	plan_and_check(1, 2, 1, 256, ILEAVE_MODULO, 2);
	T.windows[0].size = SZ_256M;
	check_plan(plan_one(0));
	assert_int_equal(P[0].ways, 1);

	/* One device below a 2-device host bridge is full: the other one alone. */
	plan_and_check(1, 2, 1, 256, ILEAVE_MODULO, 2);
	T.endpoints[0].persistent_bytes = 0;
	check_plan(plan_one(0));
	assert_int_equal(P[0].ways, 1);
	assert_int_equal(P[0].endpoint_at[0], 1);

	/* Uneven host bridges: the region takes what every host bridge can give. */
	cxl_topo_init(&T);
	{
		uint32_t uids[2] = { 1, 2 };
		int a = add_hb(1, 1), b = add_hb(2, 1);

		add_dev(add_dport(a, 0), 0, SZ_1G);
		add_dev(add_dport(a, 1), 0, SZ_1G);
		add_dev(add_dport(a, 2), 0, SZ_1G);
		add_dev(add_dport(b, 0), 0, SZ_1G);
		add_window(WBASE, 8 * SZ_1G, 2, 256, uids);
		check_plan(plan_one(0));
		assert_int_equal(P[0].ways, 2);
	}
}

/* A host bridge without HDM decoders and one root port passes addresses through. */
static void test_passthrough_host_bridge(void **state)
{
	uint32_t uid = 9;
	int hb = cxl_topo_add_host_bridge(&T, uid, 0);
	int ep = add_dev(add_dport(hb, 0), 0, SZ_1G);
	struct region_plan *plan;

	plan = plan_checked(4 * SZ_1G, 1, 256, &uid);
	assert_int_equal(plan->nr_decoders, 1);
	assert_int_equal(plan->endpoint_at[0], ep);
}

/* ---- every reason ---- */

struct reason_case {
	const char *name;
	enum plan_reason expect;
	void (*build)(void);
};

static uint32_t uid12 = 12;

static int basic(uint64_t persistent)
{
	int hb = add_hb(12, 1);

	add_dev(add_dport(hb, 0), 0, persistent);
	add_window(WBASE, 4 * SZ_1G, 1, 256, &uid12);
	return hb;
}

static void build_xormaps_missing(void)
{
	uint32_t uids[4];

	add_hbs_with_devs(4, 1, uids);
	add_window_arith(WBASE, 4 * SZ_1G, 4, 256, uids, ILEAVE_XOR);
	T.windows[0].nr_xormaps = 1;
}

static void build_xormap_wrong_bit(void)
{
	uint32_t uids[2];

	add_hbs_with_devs(2, 1, uids);
	add_window_arith(WBASE, 4 * SZ_1G, 2, 256, uids, ILEAVE_XOR);
	T.windows[0].xormaps[0] = 0x2020800; /* lowest bit 11, must be 8 */
}

static void build_misaligned_size(void)
{
	uint32_t uids[3];

	add_hbs_with_devs(3, 1, uids);
	add_window(WBASE, SZ_512M, 3, 256, uids); /* not a multiple of 3 x 256 MiB */
}

static void build_target_repeated(void)
{
	uint32_t uids[2] = { 12, 12 };

	add_dev(add_dport(add_hb(12, 1), 0), 0, SZ_1G);
	add_window(WBASE, 4 * SZ_1G, 2, 256, uids);
}

static void build_no_endpoints(void)
{
	add_dport(add_hb(12, 1), 0);
	add_window(WBASE, 4 * SZ_1G, 1, 256, &uid12);
}

static void build_only_type2(void)
{
	basic(SZ_1G);
	T.endpoints[0].type3 = false;
}

static void build_not_enough_endpoints(void)
{
	uint32_t uids[2] = { 12, 222 };

	add_dev(add_dport(add_hb(12, 1), 0), 0, SZ_1G);
	add_dport(add_hb(222, 1), 0);
	add_window(WBASE, 4 * SZ_1G, 2, 256, uids);
}

static void build_insufficient_capacity(void)
{
	basic(SZ_256M / 2);
}

static void build_ways_unsupported(void)
{
	uint32_t uids[3];

	add_hbs_with_devs(3, 1, uids);
	add_window(WBASE, 3 * SZ_1G, 3, 256, uids);
	for (unsigned e = 0; e < T.nr_endpoints; e++)
		T.endpoints[e].hdm.iw_3_6_12 = false;
}

/* 2-way at 256 B interleaves on HPA bit 8: endpoints without A11to8 cannot (Linux check_interleave_cap). */
static void build_interleave_bits(void)
{
	uint32_t uids[2];

	add_hbs_with_devs(2, 1, uids);
	add_window(WBASE, 2 * SZ_1G, 2, 256, uids);
	for (unsigned e = 0; e < T.nr_endpoints; e++)
		T.endpoints[e].hdm.ileave_bits_missing = GENMASK_ULL(11, 8);
}

static void build_no_free_decoder_hb(void)
{
	int hb = basic(SZ_1G);
	struct cxl_decoder *d = &T.decoders[T.ports[hb].hdm.first_decoder];

	d->committed = true;
	d->base = SZ_1G;
	d->size = SZ_256M;
}

static void build_no_free_decoder_endpoint(void)
{
	basic(SZ_1G);
	for (unsigned m = 0; m < 4; m++) {
		struct cxl_decoder *d = &T.decoders[T.endpoints[0].hdm.first_decoder + m];

		d->committed = true;
		d->base = SZ_1G;
		d->size = 0;
	}
}

static void build_no_hdm_two_dports(void)
{
	int hb = cxl_topo_add_host_bridge(&T, 12, 0);

	add_dev(add_dport(hb, 0), 0, SZ_1G);
	add_dev(add_dport(hb, 1), 0, SZ_1G);
	add_window(WBASE, 4 * SZ_1G, 1, 256, &uid12);
}

static void build_endpoint_without_hdm(void)
{
	basic(SZ_1G);
	T.endpoints[0].hdm.present = false;
}

static void set_hb_decoder(int hb, uint64_t base, bool locked)
{
	struct cxl_decoder *d = &T.decoders[T.ports[hb].hdm.first_decoder];

	d->committed = d->owned_by_firmware = true;
	d->locked = locked;
	d->base = base;
	d->size = SZ_256M;
}

static void build_locked(void)
{
	set_hb_decoder(basic(SZ_1G), WBASE + SZ_1G, true);
}

static void build_firmware(void)
{
	set_hb_decoder(basic(SZ_1G), WBASE, false);
}

static void build_firmware_at_endpoint(void)
{
	struct cxl_decoder *d;

	basic(SZ_1G);
	d = &T.decoders[T.endpoints[0].hdm.first_decoder];
	d->committed = true;
	d->base = WBASE;
	d->size = SZ_256M;
}

static void build_hpa_order(void)
{
	set_hb_decoder(basic(SZ_1G), WBASE + 8 * SZ_1G, false);
}

/* Size 0 inside the window (found by fuzz_planner): a later index must not decode a lower HPA. */
static void build_hpa_order_zero_size(void)
{
	int hb = add_hb(12, 2);

	add_dev(add_dport(hb, 0), 0, SZ_1G);
	add_window(WBASE, 4 * SZ_1G, 1, 256, &uid12);
	set_hb_decoder(hb, WBASE + SZ_1G, false);
	T.decoders[T.ports[hb].hdm.first_decoder].size = 0;
}

static void build_path_too_deep(void)
{
	int d = add_dport(add_hb(12, 1), 0);

	for (int level = 0; level < CXL_MAX_PATH; level++)
		d = cxl_topo_find_dport(&T, add_switch(d, 1), 0);
	add_dev(d, 0, SZ_1G);
	add_window(WBASE, 4 * SZ_1G, 1, 256, &uid12);
}

/* Reasons that one field of a good window's description brings about. */
enum window_field { W_WAYS, W_GRAN, W_ARITH, W_BASE, W_SIZE, W_TYPE3, W_MODES, W_FIXED, W_UID };

static const struct window_edit {
	const char *name;
	enum plan_reason expect;
	enum window_field field;
	uint64_t value;
} window_edits[] = {
	{ "ways 5", PLAN_WAYS_INVALID, W_WAYS, 5 },
	{ "granularity 32K", PLAN_GRANULARITY_INVALID, W_GRAN, 32768 },
	{ "granularity 0", PLAN_GRANULARITY_INVALID, W_GRAN, 0 },
	{ "arithmetic 2", PLAN_ARITHMETIC_INVALID, W_ARITH, 2 },
	{ "base misaligned", PLAN_WINDOW_MISALIGNED, W_BASE, WBASE + SZ_1M },
	{ "size 0", PLAN_WINDOW_MISALIGNED, W_SIZE, 0 },
	{ "size past 2^52", PLAN_WINDOW_MISALIGNED, W_SIZE, BIT_ULL(52) },
	{ "not type3", PLAN_NOT_TYPE3, W_TYPE3, 0 },
	{ "no memory mode", PLAN_NO_MEMORY_MODE, W_MODES, 0 },
	{ "fixed configuration", PLAN_FIXED_CONFIG, W_FIXED, 1 },
	{ "host bridge missing", PLAN_HOST_BRIDGE_MISSING, W_UID, 13 },
};

static void edit_window(struct cxl_window *w, enum window_field field, uint64_t value)
{
	switch (field) {
	case W_WAYS: w->ways = value; break;
	case W_GRAN: w->granularity = value; break;
	case W_ARITH: w->arith = value; break;
	case W_BASE: w->base = value; break;
	case W_SIZE: w->size = value; break;
	case W_TYPE3: w->allow_type3 = value; break;
	case W_MODES: w->allow_volatile = w->allow_persistent = value; break;
	case W_FIXED: w->fixed_config = value; break;
	case W_UID: w->target_uid[0] = value; break;
	}
}

static const struct reason_case reason_cases[] = {
	{ "xormaps missing", PLAN_ARITHMETIC_INVALID, build_xormaps_missing },
	{ "xormap wrong bit", PLAN_ARITHMETIC_INVALID, build_xormap_wrong_bit },
	{ "size misaligned", PLAN_WINDOW_MISALIGNED, build_misaligned_size },
	{ "target repeated", PLAN_TARGET_LIST_INVALID, build_target_repeated },
	{ "no endpoints", PLAN_NO_ENDPOINTS, build_no_endpoints },
	{ "only type 2", PLAN_NO_ENDPOINTS, build_only_type2 },
	{ "not enough endpoints", PLAN_NOT_ENOUGH_ENDPOINTS, build_not_enough_endpoints },
	{ "insufficient capacity", PLAN_INSUFFICIENT_CAPACITY, build_insufficient_capacity },
	{ "ways unsupported", PLAN_WAYS_UNSUPPORTED, build_ways_unsupported },
	{ "interleave bits", PLAN_INTERLEAVE_BITS, build_interleave_bits },
	{ "no free decoder (hb)", PLAN_NO_FREE_DECODER, build_no_free_decoder_hb },
	{ "no free decoder (ep)", PLAN_NO_FREE_DECODER, build_no_free_decoder_endpoint },
	{ "no hdm, two dports", PLAN_NO_FREE_DECODER, build_no_hdm_two_dports },
	{ "endpoint without hdm", PLAN_NO_FREE_DECODER, build_endpoint_without_hdm },
	{ "locked", PLAN_LOCKED_DECODER, build_locked },
	{ "firmware", PLAN_FIRMWARE_DECODER, build_firmware },
	{ "firmware at endpoint", PLAN_FIRMWARE_DECODER, build_firmware_at_endpoint },
	{ "hpa order", PLAN_HPA_ORDER, build_hpa_order },
	{ "hpa order, zero-size decoder", PLAN_HPA_ORDER, build_hpa_order_zero_size },
	{ "path too deep", PLAN_PATH_TOO_DEEP, build_path_too_deep },
};

static void expect_reason(const char *name, enum plan_reason expect, bool *covered)
{
	assert_false(T.overflow);
	plan_one(0);
	if (P[0].reason != expect)
		fail_msg("%s: expected %s, got %s (%s)", name, plan_reason_id(expect),
			 plan_reason_id(P[0].reason), P[0].message);
	assert_true(strlen(P[0].message) > 10);
	assert_int_equal(P[0].nr_decoders, 0);
	assert_int_equal(planner_route(&T, &P[0], &R), -1);
	covered[expect] = true;
}

static void test_every_reason(void **state)
{
	bool covered[PLAN_REASONS] = { false };
	struct planner pl;

	for (size_t i = 0; i < ARRAY_SIZE(window_edits); i++) {
		const struct window_edit *e = &window_edits[i];

		cxl_topo_init(&T);
		basic(SZ_1G);
		check_plan(plan_one(0)); /* good before the edit */
		edit_window(&T.windows[0], e->field, e->value);
		expect_reason(e->name, e->expect, covered);
	}
	for (size_t i = 0; i < ARRAY_SIZE(reason_cases); i++) {
		cxl_topo_init(&T);
		reason_cases[i].build();
		expect_reason(reason_cases[i].name, reason_cases[i].expect, covered);
	}
	/* The last one: asking for a window that does not exist. */
	planner_init(&pl, &T);
	assert_false(planner_plan_window(&pl, 7, &P[0]));
	assert_int_equal(P[0].reason, PLAN_INTERNAL);
	covered[PLAN_INTERNAL] = true;

	for (int r = PLAN_OK + 1; r < PLAN_REASONS; r++)
		if (!covered[r])
			fail_msg("reason %s has no test", plan_reason_id(r));
}

static void test_reason_ids(void **state)
{
	for (int a = 0; a < PLAN_REASONS; a++) {
		assert_string_not_equal(plan_reason_id(a), "unknown");
		for (int b = 0; b < a; b++)
			assert_string_not_equal(plan_reason_id(a), plan_reason_id(b));
	}
	assert_string_equal(plan_reason_id(PLAN_OK), "ok");
	assert_string_equal(plan_reason_id(PLAN_WAYS_UNSUPPORTED), "ways_unsupported_at_port");
	assert_string_equal(plan_reason_id(PLAN_REASONS), "unknown");
}

/* Every sentence names what to look at. */
static void test_reason_messages(void **state)
{
	cxl_topo_init(&T);
	build_locked();
	plan_one(0);
	assert_string_equal(P[0].message,
			    "decoder1.0 is locked and already decodes [0x2d0000000, 0x2e0000000) in the window");
	cxl_topo_init(&T);
	build_not_enough_endpoints();
	plan_one(0);
	assert_string_equal(P[0].message, "host bridge port3 (UID 222) has no type-3 endpoint below it");
}

/* ---- the topology model itself ---- */

static void test_topology_builders(void **state)
{
	char name[32];
	int hb = add_hb(5, 2), d0 = add_dport(hb, 0), sw, ep;
	struct cxl_window w = { 0 };

	sw = add_switch(d0, 1);
	ep = add_dev(cxl_topo_find_dport(&T, sw, 0), 0, SZ_1G);
	cxl_port_name(&T, hb, name, sizeof(name));
	assert_string_equal(name, "port1");
	cxl_port_name(&T, sw, name, sizeof(name));
	assert_string_equal(name, "port2");
	cxl_endpoint_name(&T, ep, name, sizeof(name));
	assert_string_equal(name, "endpoint3");
	cxl_memdev_name(&T, ep, name, sizeof(name));
	assert_string_equal(name, "mem0");
	assert_int_equal(cxl_endpoint_port(&T, ep), sw);
	assert_int_equal(cxl_port_host_bridge(&T, sw), hb);
	assert_int_equal(cxl_port_depth(&T, hb), 0);
	assert_int_equal(cxl_topo_find_host_bridge(&T, 6), -1);
	assert_int_equal(cxl_topo_find_dport(&T, hb, 9), -1);
	assert_non_null(cxl_hdm_decoder(&T, &T.ports[hb].hdm, 1));
	assert_null(cxl_hdm_decoder(&T, &T.ports[hb].hdm, 2));
	assert_false(T.overflow);

	/* A dport takes one child; bad indexes are refused. */
	assert_int_equal(cxl_topo_add_switch(&T, d0, bdf(1), 0), -1);
	assert_int_equal(cxl_topo_add_endpoint(&T, 999, bdf(1), 0), -1);
	assert_int_equal(cxl_topo_add_dport(&T, 999, 0, bdf(1)), -1);
	assert_true(T.overflow);

	/* Every array reports when it is full. */
	cxl_topo_init(&T);
	for (int i = 0; i < CXL_MAX_WINDOWS; i++)
		assert_int_equal(cxl_topo_add_window(&T, &w), i);
	assert_int_equal(cxl_topo_add_window(&T, &w), -1);
	for (int i = 0; i < CXL_MAX_PORTS; i++)
		assert_int_equal(cxl_topo_add_host_bridge(&T, i, 0), i);
	assert_int_equal(cxl_topo_add_host_bridge(&T, 99, 0), -1);
	for (int i = 0; i < CXL_MAX_DPORTS; i++)
		assert_int_equal(cxl_topo_add_dport(&T, 0, i, bdf(0)), i);
	assert_int_equal(cxl_topo_add_dport(&T, 0, 0, bdf(0)), -1);
	for (int i = 0; i < CXL_MAX_ENDPOINTS; i++)
		assert_int_equal(cxl_topo_add_endpoint(&T, i, bdf(0), 0), i);
	assert_int_equal(cxl_topo_add_endpoint(&T, CXL_MAX_ENDPOINTS, bdf(0), 0), -1);
	assert_int_equal(cxl_topo_alloc_decoders(&T, &T.ports[0].hdm, CXL_MAX_DECODERS), 0);
	assert_int_equal(cxl_topo_alloc_decoders(&T, &T.ports[1].hdm, 1), -1);
	assert_true(T.overflow);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_one_host_bridge_one_device, setup),
		cmocka_unit_test_setup(test_two_way_at_host_bridge, setup),
		cmocka_unit_test_setup(test_across_host_bridges, setup),
		cmocka_unit_test_setup(test_switch_with_two_devices, setup),
		cmocka_unit_test_setup(test_two_switches, setup),
		cmocka_unit_test_setup(test_spread_over_dports, setup),
		cmocka_unit_test_setup(test_mixed_depths, setup),
		cmocka_unit_test_setup(test_two_windows_same_host_bridge, setup),
		cmocka_unit_test_setup(test_partitions_and_skip, setup),
		cmocka_unit_test_setup(test_firmware_dpa_respected, setup),
		cmocka_unit_test_setup(test_three_way, setup),
		cmocka_unit_test_setup(test_six_and_twelve_way, setup),
		cmocka_unit_test_setup(test_power_of_two_and_xor, setup),
		cmocka_unit_test_setup(test_fallbacks, setup),
		cmocka_unit_test_setup(test_passthrough_host_bridge, setup),
		cmocka_unit_test_setup(test_every_reason, setup),
		cmocka_unit_test_setup(test_reason_ids, setup),
		cmocka_unit_test_setup(test_reason_messages, setup),
		cmocka_unit_test_setup(test_topology_builders, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
