// SPDX-License-Identifier: MIT
/*
 * The real discovery, planner, HDM driver and touch engine against the
 * simulated fabric (tests/sim). Ground truth is the simulator's device
 * memory, which it fills by decoding one level at a time.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "acpi/cedt.h"
#include "acpi/mcfg.h"
#include "lib/bits.h"
#include "lib/platform.h"
#include "touch/touch.h"
#include "touch/crosscheck.h"
#include "cxl/discover.h"
#include "cxl/hdm.h"
#include "cxl/planner.h"
#include "sim/sim.h"
#include "unit/support/cedt_build.h"
#include "unit/support/plan_check.h"

#define G (1ULL << 30)
#define M (1ULL << 20)
#define WBASE 0x1000000000ULL

static struct cedt cedt;
static struct mcfg mcfg;
static struct cxl_topology topo;
static struct cxl_hw hw;
static struct region_plan plans[CXL_MAX_WINDOWS];
static struct hdm_driver drv;
static uint8_t save_area[256 * 1024];
static unsigned touch_cpus = 1; /* workers for the sweep; the sim runs them in lock step */
static struct tbuf tb;

struct seen {
	int n;
	struct diag d[16];
};
static struct seen seen;

static void record(void *ctx, const struct diag *d)
{
	if (seen.n < 16)
		seen.d[seen.n++] = *d;
}

static struct diag_sink sink = { record, NULL, { 0 } };

static const struct diag *find_rule(const char *rule)
{
	for (int i = 0; i < seen.n; i++)
		if (!strcmp(seen.d[i].rule, rule))
			return &seen.d[i];
	return NULL;
}

struct win_spec {
	uint64_t base, size;
	uint8_t eniw, arith;
	uint32_t hbig;
	unsigned ways;
	uint32_t uids[16];
	unsigned nr_xormaps;
	uint64_t xormaps[4];
};

/* CEDT and MCFG as firmware would describe the simulated machine; the same windows go to the sim. */
static void describe(const uint32_t *hb_uids, unsigned nr_hb, const struct win_spec *w, unsigned nr_w)
{
	tb_header(&tb, "CEDT");
	for (unsigned i = 0; i < nr_hb; i++)
		tb_chbs(&tb, hb_uids[i], 1, 0x800000000ULL + i * 0x10000, 0x10000);
	for (unsigned i = 0; i < nr_w; i++) {
		tb_cfmws(&tb, w[i].base, w[i].size, w[i].eniw, w[i].arith, w[i].hbig, 0xf, w[i].ways, w[i].uids);
		if (w[i].nr_xormaps)
			tb_cxims(&tb, (uint8_t)w[i].hbig, w[i].nr_xormaps, w[i].xormaps);
		sim_add_window(w[i].base, w[i].size, w[i].ways, 256u << w[i].hbig, w[i].arith, w[i].xormaps,
			       w[i].nr_xormaps, w[i].uids);
	}
	tb_finish(&tb);
	memset(&seen, 0, sizeof(seen));
	assert_int_equal(cedt_parse(tb.b, tb.len, &cedt, &sink), 0);
	tb_header(&tb, "MCFG");
	tb_put64(&tb, 0);
	tb_mcfg_entry(&tb, SIM_ECAM_BASE, 0, 0, 255);
	tb_finish(&tb);
	assert_int_equal(mcfg_parse(tb.b, tb.len, &mcfg, &sink), 0);
	for (int i = 0; i < seen.n; i++)
		fail_msg("finding in the described tables: %s", seen.d[i].message);
}

static int hb(uint32_t uid, unsigned decoders)
{
	return sim_add_host_bridge(uid, 0x800000000ULL + (uint64_t)(uid == 12 ? 0 : uid == 100 ? 1 : uid == 150 ? 2 : 3) * 0x10000,
				   decoders);
}

static const struct aml_host_bridge *aml;
static unsigned nr_aml;

/* Discover and plan; returns how many windows got a region. */
static unsigned discover_and_plan(void)
{
	cxl_topo_init(&topo);
	cxl_windows_from_cedt(&topo, &cedt);
	assert_int_equal(cxl_discover(&topo, &hw, &cedt, &mcfg, aml, nr_aml, &sink), 0);
	return planner_plan_all(&topo, plans);
}

static int sim_node_of_endpoint(int e)
{
	return sim_node_at(topo.endpoints[e].bdf.bus, topo.endpoints[e].bdf.dev);
}

/* The probes plus the first 256 granules: the cross-check's sample. */
static unsigned xcheck_samples(const struct region_plan *p, uint64_t *out)
{
	struct touch_plan tp = { 0, 0, p->hpa_base, p->size, p->granularity, p->ways, 0, false, 0 };
	unsigned n = (unsigned)touch_probe_offsets(&tp, out);

	for (unsigned g = 0; g < 256; g++)
		out[n++] = (uint64_t)g * p->granularity;
	for (unsigned i = 0; i < n; i++)
		out[i] += 8; /* beside the touch tags, not over them */
	return n;
}

/* The different in-region samples of xcheck_samples, in order: what the cross-check must check. */
static unsigned distinct_sample_offsets(const struct region_plan *p, uint64_t *out)
{
	static uint64_t offs[TOUCH_MAX_PROBES + 256];
	unsigned n = xcheck_samples(p, offs), distinct = 0;

	for (unsigned i = 0; i < n; i++) {
		bool dup = offs[i] >= p->size;

		for (unsigned k = 0; k < distinct && !dup; k++)
			dup = out[k] == offs[i];
		if (!dup)
			out[distinct++] = offs[i];
	}
	return distinct;
}

static uint64_t distinct_samples(const struct region_plan *p)
{
	static uint64_t offs[TOUCH_MAX_PROBES + 256];

	return distinct_sample_offsets(p, offs);
}

/*
 * Samples whose data the simulated hardware puts somewhere other than where
 * the plan's decoders say (walked with the test oracle's reference rules,
 * tests/unit/support/plan_check.c): what the cross-check must report.
 */
static uint64_t misplaced_samples(const struct region_plan *p)
{
	static uint64_t offs[TOUCH_MAX_PROBES + 256];
	unsigned n = distinct_sample_offsets(p, offs);
	uint64_t misplaced = 0;

	for (unsigned i = 0; i < n; i++) {
		uint64_t hpa = p->hpa_base + offs[i], dpa, got_dpa;
		int ep;

		assert_true(plan_walk(&topo, p, hpa, &ep, &dpa));
		misplaced += sim_route(hpa, &got_dpa) != sim_node_of_endpoint(ep) || got_dpa != dpa;
	}
	return misplaced;
}

static struct xcheck_result cross_check(unsigned w)
{
	static uint64_t offs[TOUCH_MAX_PROBES + 256], before[TOUCH_MAX_PROBES + 256];
	struct xcheck_result xr;
	unsigned n = xcheck_samples(&plans[w], offs);

	for (unsigned i = 0; i < n; i++)
		before[i] = plat_mem_read64(plans[w].hpa_base + offs[i]);
	assert_int_equal(xcheck_region(&drv, &plans[w], offs, n, 0x77, true, &xr), 0);
	/* Non-destructive: the words beside the touch tags hold what they held before. */
	for (unsigned i = 0; xr.status == XCHECK_DONE && !xr.mismatched && i < n; i++)
		assert_int_equal(plat_mem_read64(plans[w].hpa_base + offs[i]), before[i]);
	return xr;
}

/* What phase_touch does, without the log: the probes on one CPU, then the sweep on touch_cpus. */
static void touch_all(const struct touch_plan *tp, struct touch_result *res)
{
	static struct touch_worker w[8];
	static uint64_t lines[TOUCH_MAX_PROBES];
	struct touch_result sweep;
	bool back[8];
	size_t n = touch_probe_offsets(tp, lines);
	unsigned k;

	assert_true(n > 0);
	for (size_t i = 0; i < n; i++)
		lines[i] += tp->region_base;
	touch_probe_worker(tp, &w[0], lines, n, save_area, sizeof(save_area));
	touch_run_workers(w, 1, 1000, back, res);
	k = touch_split(tp, w, touch_cpus, save_area, sizeof(save_area));
	touch_run_workers(w, k, 1000, back, &sweep);
	touch_merge(res, &sweep);
}

/* HPA offset o of region p holds touch_tag in every qword of its line, on the device the plan says. */
static void assert_tag_at(const struct region_plan *p, uint64_t o, uint8_t seed)
{
	unsigned pos = ileave_hpa_to_pos(&p->il, p->hpa_base + o - p->il.base);
	uint64_t dpa = ileave_hpa_to_dpa(&p->il, p->hpa_base + o - p->il.base), dpa_base = 0;
	int node = sim_node_of_endpoint(p->endpoint_at[pos]);

	for (unsigned d = 0; d < p->nr_decoders; d++)
		if (p->decoders[d].is_endpoint && p->decoders[d].owner == p->endpoint_at[pos])
			dpa_base = p->decoders[d].dpa_base;
	for (unsigned q = 0; q < TOUCH_LINE; q += 8)
		if (sim_device_read64(node, dpa_base + dpa + q) != touch_tag(p->hpa_base + o, seed))
			fail_msg("HPA 0x%llx: no tag at position %u DPA 0x%llx", (unsigned long long)(p->hpa_base + o + q),
				 pos, (unsigned long long)(dpa_base + dpa + q));
}

/*
 * What one touch batch must read back (all fills in order, then all reads),
 * from the simulator's own routing and nothing of cxlval's: a line reads its
 * own tag when it was the last line of the batch to reach its device and
 * DPA, another line's tag (aliased) when a later one reached the same place,
 * nothing (unrouted) when it reaches no device.
 */
#define EXPECT_SLOTS (1u << 17)

static void expect_batch(const uint64_t *lines, size_t n, uint64_t expect[TOUCH_OUTCOMES])
{
	static struct {
		uint64_t key;
		size_t last; /* index + 1 of the last line that wrote the place; 0: empty slot */
	} slot[EXPECT_SLOTS];
	static uint32_t where[TOUCH_MAX_PROBES + (4 * M) / TOUCH_LINE];

	assert_true(n <= ARRAY_SIZE(where) && n < EXPECT_SLOTS / 2);
	memset(slot, 0, sizeof(slot));
	memset(expect, 0, TOUCH_OUTCOMES * sizeof(expect[0]));
	for (size_t i = 0; i < n; i++) {
		uint64_t dpa, key;
		int ep = sim_route(lines[i], &dpa);
		uint32_t h;

		where[i] = UINT32_MAX;
		if (ep < 0)
			continue;
		key = (uint64_t)ep << 56 | dpa / TOUCH_LINE;
		for (h = (uint32_t)((key * 0x9e3779b97f4a7c15ULL) >> 47); slot[h].last && slot[h].key != key;
		     h = (h + 1) % EXPECT_SLOTS)
			;
		slot[h].key = key;
		slot[h].last = i + 1;
		where[i] = h;
	}
	for (size_t i = 0; i < n; i++)
		expect[where[i] == UINT32_MAX ? TOUCH_UNROUTED : slot[where[i]].last == i + 1 ? TOUCH_PASS : TOUCH_ALIASED]++;
}

/* The same for touch_all: the probes as one batch, then the sweep lines as another. */
static void expect_touch(const struct touch_plan *tp, uint64_t expect[TOUCH_OUTCOMES])
{
	static uint64_t lines[(4 * M) / TOUCH_LINE];
	uint64_t sweep[TOUCH_OUTCOMES];
	size_t n = touch_probe_offsets(tp, lines), nsweep = tp->sweep_bytes / TOUCH_LINE;

	for (size_t i = 0; i < n; i++)
		lines[i] += tp->region_base;
	expect_batch(lines, n, expect);
	assert_true(nsweep <= ARRAY_SIZE(lines));
	for (size_t i = 0; i < nsweep; i++)
		lines[i] = tp->region_base + i * TOUCH_LINE;
	expect_batch(lines, nsweep, sweep);
	for (int o = 0; o < TOUCH_OUTCOMES; o++)
		expect[o] += sweep[o];
}

/* The result counts exactly what expect_touch says, and records the first failures. */
static void assert_counts(const struct touch_result *res, const uint64_t expect[TOUCH_OUTCOMES])
{
	uint64_t failing = res->touched - expect[TOUCH_PASS];

	for (int o = 0; o < TOUCH_OUTCOMES; o++)
		if (res->count[o] != expect[o])
			fail_msg("%s: %llu lines, the simulator's routing says %llu", touch_outcome_name(o),
				 (unsigned long long)res->count[o], (unsigned long long)expect[o]);
	assert_int_equal(res->nr_failures, failing < TOUCH_MAX_FAILURES ? failing : TOUCH_MAX_FAILURES);
}

/* Commit, touch (tags left in place), and check every tag in device memory where the plan says. */
static struct touch_plan last_tp; /* of the last touch_and_check */

static struct touch_result touch_and_check(unsigned w, bool expect_clean)
{
	const struct region_plan *p = &plans[w];
	struct touch_plan tp = { topo.windows[w].base, topo.windows[w].size, p->hpa_base, p->size, p->granularity,
				 p->ways, 2 * M, false, (uint8_t)(0x40 + w) };
	struct touch_result res;
	static uint64_t offsets[TOUCH_MAX_PROBES];
	size_t n;

	assert_int_equal(p->reason, PLAN_OK);
	assert_int_equal(hdm_commit_region(&drv, p), 0);
	last_tp = tp;
	touch_all(&tp, &res);
	if (!expect_clean)
		return res;
	assert_int_equal(res.count[TOUCH_PASS], res.touched);
	assert_int_equal(misplaced_samples(p), 0); /* the programmed decoders route as the plan says */
	{
		struct xcheck_result xr = cross_check(w);

		assert_int_equal(xr.status, XCHECK_DONE);
		assert_int_equal(xr.checked, distinct_samples(p));
		if (xr.mismatched)
			fail_msg("cross-check: %llu mismatches, first HPA 0x%llx expected endpoint %d DPA 0x%llx observed "
				 "0x%llx", (unsigned long long)xr.mismatched, (unsigned long long)xr.failures[0].hpa,
				 xr.failures[0].expected_endpoint, (unsigned long long)xr.failures[0].expected_dpa,
				 (unsigned long long)xr.failures[0].observed);
	}
	n = touch_probe_offsets(&tp, offsets);
	assert_int_equal(res.touched, n + 2 * M / TOUCH_LINE);
	for (uint64_t off = 0; off < 2 * M; off += TOUCH_LINE)
		assert_tag_at(p, off, tp.seed);
	for (size_t i = 0; i < n; i++)
		assert_tag_at(p, offsets[i], tp.seed);
	return res;
}

static void setup_run(void)
{
	sim_reset();
	memset(&seen, 0, sizeof(seen));
}

/* One host bridge, two 256 MiB devices on two root ports, planned for window w. */
static void two_devices_planned(const struct win_spec *w)
{
	int h;

	setup_run();
	h = hb(12, 1);
	sim_add_endpoint(sim_add_root_port(h, 0), 256 * M, 1);
	sim_add_endpoint(sim_add_root_port(h, 1), 256 * M, 1);
	describe((uint32_t[]){ 12 }, 1, w, 1);
	assert_int_equal(discover_and_plan(), 1);
}

static void test_two_way_at_host_bridge(void **state)
{
	struct win_spec w = { WBASE, 4 * G, 0, 0, 0, 1, { 12 }, 0, { 0 } };

	two_devices_planned(&w);
	assert_int_equal(topo.nr_endpoints, 2);
	assert_int_equal(plans[0].ways, 2);
	hdm_driver_init(&drv, &topo, &hw, &sink, 20);
	touch_and_check(0, true);
	assert_int_equal(sim_stats()->unaligned, 0);
	assert_int_equal(hdm_restore(&drv), 0);
	assert_int_equal(drv.not_restored, 0);
}

/* Probes: every position, and every address bit set alone and all below it, from every position. */
static void test_probes_cover_every_position_and_bit(void **state)
{
	struct touch_plan tp = { 0, 0, WBASE, 3 * 256 * M, 512, 3, 0, false, 1 };
	static uint64_t offs[TOUCH_MAX_PROBES];
	size_t n = touch_probe_offsets(&tp, offs);
	bool pos_seen[3] = { false, false, false };

	for (size_t i = 0; i < n; i++) {
		assert_true(offs[i] < tp.region_size && !(offs[i] % TOUCH_LINE));
		if (i)
			assert_true(offs[i] > offs[i - 1]);
		pos_seen[offs[i] / 512 % 3] = true;
	}
	assert_true(pos_seen[0] && pos_seen[1] && pos_seen[2]);
	for (unsigned k = 0; k < 3; k++)
		for (uint64_t bit = TOUCH_LINE; bit < tp.region_size; bit <<= 1) {
			bool one = false, below = false;

			for (size_t i = 0; i < n; i++) {
				one = one || offs[i] == k * 512 + bit || k * 512 + bit >= tp.region_size;
				below = below || offs[i] == k * 512 + bit - TOUCH_LINE;
			}
			assert_true(one && below);
		}
	/*
	 * By hand: per position s = 512 k, s and s + 448, then s + 2^b and
	 * s + 2^b - 64 for 2^b = 64 .. 512 Mi (24 bits): for b <= 9 those are
	 * s + 64, 128, 192, 256, 448, 512 (s and s + 448 again), so 7 + 2 x 20 = 47
	 * per position, 141 in all. Shared between positions: 512 (0 and 1),
	 * 960 (0 and 1), 1024 (0, 1 and 2: twice), 1472 and 1536 (1 and 2),
	 * 1984 and 2048 (0 and 2): 8. 133 probes.
	 */
	assert_int_equal(n, 133);
}

/* Four CPUs, each on its own slice: the same lines touched as with one, and the data restored. */
static void test_sweep_on_four_cpus(void **state)
{
	struct win_spec w = { WBASE, 4 * G, 0, 0, 0, 1, { 12 }, 0, { 0 } };
	struct touch_plan tp;
	struct touch_worker wk[4];
	struct touch_result res;
	bool back[4];
	unsigned n;

	two_devices_planned(&w);
	hdm_driver_init(&drv, &topo, &hw, &sink, 20);
	sim_set_cpus(4, -1);
	touch_cpus = 4;
	touch_and_check(0, true);
	touch_cpus = 1;
	/* Slices: whole pages, in order, covering the sweep exactly. */
	tp = (struct touch_plan){ 0, 0, plans[0].hpa_base, plans[0].size, 256, 2, 3 * M + 4096, true, 9 };
	n = touch_split(&tp, wk, 4, save_area, sizeof(save_area));
	assert_int_equal(n, 4);
	assert_int_equal(wk[0].lo, tp.region_base);
	for (unsigned i = 0; i < n; i++) {
		assert_true(!((wk[i].hi - wk[i].lo) % 4096) && wk[i].save_bytes == sizeof(save_area) / 4);
		if (i)
			assert_int_equal(wk[i].lo, wk[i - 1].hi);
	}
	assert_int_equal(wk[n - 1].hi, tp.region_base + 3 * M + 4096);
	/* With restore, in rounds of a quarter of the save area: the tags are gone afterwards. */
	touch_run_workers(wk, n, 1000, back, &res);
	assert_int_equal(res.touched, (3 * M + 4096) / TOUCH_LINE);
	assert_int_equal(res.count[TOUCH_PASS], res.touched);
	assert_int_equal(res.restore_mismatch, 0);
	for (uint64_t off = 0; off < 3 * M + 4096; off += 4096)
		assert_true(plat_mem_read64(tp.region_base + off) != touch_tag(tp.region_base + off, 9));
}

/* One host bridge, one 256 MiB device, its region committed; tp is pointed at it. */
static void committed_single_device(struct touch_plan *tp)
{
	int h;

	setup_run();
	h = hb(12, 1);
	sim_add_endpoint(sim_add_root_port(h, 0), 256 * M, 1);
	describe((uint32_t[]){ 12 }, 1, &(struct win_spec){ WBASE, 4 * G, 0, 0, 0, 1, { 12 }, 0, { 0 } }, 1);
	assert_int_equal(discover_and_plan(), 1);
	hdm_driver_init(&drv, &topo, &hw, &sink, 20);
	assert_int_equal(hdm_commit_region(&drv, &plans[0]), 0);
	tp->region_base = plans[0].hpa_base;
}

/* A CPU that never comes back: reported, its slice left out of the result, the others merged. */
static void test_hung_cpu_is_left_behind(void **state)
{
	struct touch_plan tp = { 0, 0, WBASE, 256 * M, 256, 1, 4 * M, false, 3 };
	struct touch_worker wk[4];
	struct touch_result res;
	bool back[4];

	committed_single_device(&tp);
	sim_set_cpus(4, 2);
	assert_int_equal(touch_split(&tp, wk, 4, NULL, 0), 4);
	touch_run_workers(wk, 4, 1000, back, &res);
	assert_true(back[0] && back[1] && !back[2] && back[3]);
	assert_int_equal(res.touched, 3 * M / TOUCH_LINE);
	assert_int_equal(res.count[TOUCH_PASS], res.touched);
	assert_int_equal(plat_mem_read64(wk[2].lo), 0); /* never written */
}

/* A fault between fill and check: the open round's data goes back, the lines touched before it kept theirs. */
static void test_interrupted_round_is_undone(void **state)
{
	struct touch_plan tp = { 0, 0, WBASE, 256 * M, 256, 1, 1 * M, true, 5 };
	struct touch_worker wk;
	uint64_t bytes;

	committed_single_device(&tp);
	for (uint64_t off = 0; off < 1 * M; off += 4096)
		plat_mem_write64(tp.region_base + off, 0xda7a0000 + off); /* someone's data */
	assert_int_equal(touch_split(&tp, &wk, 1, save_area, sizeof(save_area)), 1);
	assert_int_equal(touch_worker_undo(&wk), 0); /* nothing open yet */
	touch_worker_step(&wk, TOUCH_SAVE);
	touch_worker_step(&wk, TOUCH_FILL); /* round 0 now holds tags ... and the CPU faults here */
	assert_int_equal(plat_mem_read64(tp.region_base), touch_tag(tp.region_base, 5));
	bytes = touch_worker_undo(&wk);
	assert_int_equal(bytes, sizeof(save_area));
	for (uint64_t off = 0; off < sizeof(save_area); off += 4096)
		assert_int_equal(plat_mem_read64(tp.region_base + off), 0xda7a0000 + off);
	assert_int_equal(touch_worker_undo(&wk), 0); /* once */
}

static void test_across_two_host_bridges_and_switch(void **state)
{
	struct win_spec w = { WBASE, 8 * G, 1, 0, 5, 2, { 12, 100 }, 0, { 0 } };
	int h1, h2, usp;

	setup_run();
	h1 = hb(12, 2);
	h2 = hb(100, 2);
	usp = sim_add_switch(sim_add_root_port(h1, 0), 2);
	sim_add_endpoint(sim_add_downstream_port(usp, 0), 512 * M, 2);
	sim_add_endpoint(sim_add_downstream_port(usp, 1), 512 * M, 2);
	sim_add_endpoint(sim_add_root_port(h2, 0), 512 * M, 2);
	sim_add_endpoint(sim_add_root_port(h2, 3), 512 * M, 2);
	describe((uint32_t[]){ 12, 100 }, 2, &w, 1);
	assert_int_equal(discover_and_plan(), 1);
	assert_int_equal(plans[0].ways, 4);
	hdm_driver_init(&drv, &topo, &hw, &sink, 20);
	touch_and_check(0, true);
}

static void test_three_way_and_xor_windows(void **state)
{
	struct win_spec w3 = { WBASE, 3 * G, 8, 0, 1, 3, { 12, 100, 150 }, 0, { 0 } };
	/* The map folds in bit 36, set in the window base: XOR must see the HPA, not the offset. */
	struct win_spec wx = { WBASE, 4 * G, 1, 1, 0, 2, { 12, 100 }, 1, { 0x100 | 0x400000 | WBASE } };

	setup_run();
	for (uint32_t i = 0, uids[3] = { 12, 100, 150 }; i < 3; i++)
		sim_add_endpoint(sim_add_root_port(hb(uids[i], 1), 0), 256 * M, 1);
	describe((uint32_t[]){ 12, 100, 150 }, 3, &w3, 1);
	assert_int_equal(discover_and_plan(), 1);
	hdm_driver_init(&drv, &topo, &hw, &sink, 20);
	touch_and_check(0, true);

	setup_run();
	for (uint32_t i = 0, uids[2] = { 12, 100 }; i < 2; i++)
		sim_add_endpoint(sim_add_root_port(hb(uids[i], 1), 0), 256 * M, 1);
	describe((uint32_t[]){ 12, 100 }, 2, &wx, 1);
	assert_int_equal(discover_and_plan(), 1);
	hdm_driver_init(&drv, &topo, &hw, &sink, 20);
	touch_and_check(0, true);
}

static void test_two_windows_get_two_regions(void **state)
{
	struct win_spec w[2] = { { WBASE, 4 * G, 0, 0, 0, 1, { 12 }, 0, { 0 } },
				 { WBASE + 4 * G, 4 * G, 0, 0, 0, 1, { 12 }, 0, { 0 } } };
	int h;

	setup_run();
	h = hb(12, 2);
	sim_add_endpoint(sim_add_root_port(h, 0), 1 * G, 2);
	sim_add_endpoint(sim_add_root_port(h, 1), 1 * G, 2);
	describe((uint32_t[]){ 12 }, 1, w, 2);
	assert_int_equal(discover_and_plan(), 2);
	hdm_driver_init(&drv, &topo, &hw, &sink, 20);
	touch_and_check(0, true);
	touch_and_check(1, true);
	assert_int_equal(hdm_restore(&drv), 0);
}

/* One host bridge, two devices, with a fault on one component; returns the plan's first device node. */
static void faulty_fabric(struct sim_faults **hb_faults, struct sim_faults **ep_faults)
{
	struct win_spec w = { WBASE, 4 * G, 0, 0, 2, 1, { 12 }, 0, { 0 } };
	int h, ep;

	setup_run();
	h = hb(12, 1);
	ep = sim_add_endpoint(sim_add_root_port(h, 0), 256 * M, 1);
	sim_add_endpoint(sim_add_root_port(h, 1), 256 * M, 1);
	*hb_faults = sim_faults(h);
	*ep_faults = sim_faults(ep);
	describe((uint32_t[]){ 12 }, 1, &w, 1);
	assert_int_equal(discover_and_plan(), 1);
	hdm_driver_init(&drv, &topo, &hw, &sink, 20);
}

static void test_stuck_commit_times_out(void **state)
{
	struct sim_faults *hf, *ef;
	const struct diag *d;

	faulty_fabric(&hf, &ef);
	ef->stuck_commit = true;
	assert_int_equal(hdm_commit_region(&drv, &plans[0]), -1);
	d = find_rule("hdm.commit_timeout");
	assert_non_null(d);
	assert_string_equal(d->table, "HDM");
	assert_non_null(strstr(d->message, "decoder"));
	hdm_restore(&drv);
}

static void test_commit_error_is_reported(void **state)
{
	struct sim_faults *hf, *ef;

	faulty_fabric(&hf, &ef);
	hf->commit_error = true;
	assert_int_equal(hdm_commit_region(&drv, &plans[0]), -1);
	assert_non_null(find_rule("hdm.commit_error"));
}

static void test_aliased_address_bit_is_caught(void **state)
{
	struct sim_faults *hf, *ef;
	struct touch_result res;
	uint64_t expect[TOUCH_OUTCOMES];

	faulty_fabric(&hf, &ef);
	ef->alias_bit = 20;
	res = touch_and_check(0, false);
	expect_touch(&last_tp, expect);
	/*
	 * By hand: 2-way 1 KiB over two 256 MiB devices; device 0 holds offsets
	 * with bit 10 clear at DPA (off / 2 KiB) KiB + off % 1 KiB. The sweep
	 * (2 MiB) stays below DPA 1 MiB. Of device 0's probes (0, 64-512, 960,
	 * 2^b and 2^b + 960 for b >= 11) only 2^21 and 2^21 + 960 have DPA bit 20
	 * set: they land on DPA 0 and 960, over probes 0 and 960, which were
	 * written first and read their tags: 2 aliased lines, the rest pass.
	 */
	assert_int_equal(expect[TOUCH_ALIASED], 2);
	assert_int_equal(expect[TOUCH_PASS], res.touched - 2);
	assert_counts(&res, expect);
	for (unsigned i = 0; i < res.nr_failures; i++)
		if (res.failures[i].outcome == TOUCH_ALIASED)
			assert_int_equal((res.failures[i].hpa ^ res.failures[i].alias_hpa) & ~(3ULL << 20), 0);
}

static void test_ignored_granularity_is_caught(void **state)
{
	struct sim_faults *hf, *ef;
	struct touch_result res;
	uint64_t expect[TOUCH_OUTCOMES];

	faulty_fabric(&hf, &ef);
	ef->ignore_ig = true;
	res = touch_and_check(0, false);
	expect_touch(&last_tp, expect);
	/*
	 * By hand for the sweep: device 0 decodes its 1 KiB granules as if they
	 * were 256 B, so in every 1 KiB it holds, bytes 0-255 and 256-511 (and
	 * 512-767, 768-1023) reach one DPA: the first of each pair reads the
	 * second's tag. 2 MiB = 2048 granules, 1024 on device 0, 8 lines of each
	 * overwritten: 8192 aliased sweep lines, the other 24576 pass. Probes:
	 * device 0's DPA becomes (off / 512) x 256 + off % 256, so probe 256
	 * lands on probe 0 and probe 448 on probe 192: 2 more.
	 */
	assert_int_equal(expect[TOUCH_ALIASED], 8192 + 2);
	assert_int_equal(expect[TOUCH_PASS], res.touched - 8192 - 2);
	assert_counts(&res, expect);
}

static void test_swapped_targets_pass_read_back_but_not_the_cross_check(void **state)
{
	struct sim_faults *hf, *ef;
	struct touch_result res;
	struct xcheck_result xr;
	uint64_t misplaced;

	faulty_fabric(&hf, &ef);
	hf->swap_targets = true;
	res = touch_and_check(0, false);
	misplaced = misplaced_samples(&plans[0]);
	assert_int_equal(res.count[TOUCH_PASS], res.touched); /* consistent, so read-back is blind */
	xr = cross_check(0);
	assert_int_equal(xr.status, XCHECK_DONE);
	/* Every sample's tag went to the other device: the cross-check must flag each one. */
	assert_int_equal(xr.checked, distinct_samples(&plans[0]));
	assert_int_equal(xr.mismatched, misplaced);
	assert_int_equal(misplaced, xr.checked);
	assert_true(xr.failures[0].observed_is_tag);
	assert_true(xr.failures[0].observed_hpa != xr.failures[0].hpa);
}

static void test_locked_decoder_is_never_written(void **state)
{
	struct win_spec w = { WBASE, 4 * G, 0, 0, 0, 1, { 12 }, 0, { 0 } };
	int h;

	setup_run();
	h = hb(12, 1);
	sim_add_endpoint(sim_add_root_port(h, 0), 256 * M, 1);
	sim_firmware_commit(h, 0, WBASE, 256 * M, true);
	describe((uint32_t[]){ 12 }, 1, &w, 1);
	assert_int_equal(discover_and_plan(), 0);
	assert_true(plans[0].reason == PLAN_LOCKED_DECODER || plans[0].reason == PLAN_NO_FREE_DECODER);
	assert_true(topo.decoders[topo.ports[0].hdm.first_decoder].locked);
	hdm_driver_init(&drv, &topo, &hw, &sink, 20);
	assert_int_equal(hdm_commit_region(&drv, &plans[0]), -1);
	hdm_restore(&drv);
	assert_int_equal(sim_stats()->locked_writes, 0);
}

static void test_capacity_from_mailbox_and_busy_mailbox(void **state)
{
	struct win_spec w = { WBASE, 4 * G, 0, 0, 0, 1, { 12 }, 0, { 0 } };
	int h, ep0, ep1;

	setup_run();
	h = hb(12, 1);
	ep0 = sim_add_endpoint(sim_add_root_port(h, 0), 512 * M, 1);
	ep1 = sim_add_endpoint(sim_add_root_port(h, 1), 512 * M, 1);
	sim_faults(ep1)->mailbox_busy = true;
	describe((uint32_t[]){ 12 }, 1, &w, 1);
	discover_and_plan();
	assert_int_equal(topo.nr_endpoints, 2);
	assert_true(hw.ep_capacity_from_mailbox[0] != hw.ep_capacity_from_mailbox[1]);
	for (unsigned e = 0; e < 2; e++)
		assert_int_equal(topo.endpoints[e].persistent_bytes, 512 * M); /* mailbox or DVSEC fallback */
	assert_non_null(find_rule("mbox.capacity"));
	assert_non_null(strstr(find_rule("mbox.capacity")->message, "timeout")); /* doorbell never clears */
	(void)ep0;
}

static void test_root_bus_from_bbn(void **state)
{
	struct win_spec w = { WBASE, 4 * G, 0, 0, 0, 1, { 12 }, 0, { 0 } };
	const struct aml_host_bridge bridges[] = { { 12, 40, true, true, 0 } };
	int h;

	setup_run();
	h = hb(12, 1);
	sim_set_root_bus(h, 40);
	sim_add_endpoint(sim_add_root_port(h, 0), 256 * M, 1);
	describe((uint32_t[]){ 12 }, 1, &w, 1);
	discover_and_plan(); /* no namespace: UID 12 is looked for on bus 12, the port on bus 40 is an orphan */
	assert_int_equal(topo.nr_endpoints, 0);
	assert_non_null(find_rule("topo.root_port_orphan"));
	aml = bridges;
	nr_aml = 1;
	assert_int_equal(discover_and_plan(), 1);
	aml = NULL;
	nr_aml = 0;
	assert_int_equal(topo.nr_endpoints, 1);
	hdm_driver_init(&drv, &topo, &hw, &sink, 20);
	touch_and_check(0, true);
}

static void test_device_gone_is_not_a_hang(void **state)
{
	struct win_spec w = { WBASE, 4 * G, 0, 0, 0, 1, { 12 }, 0, { 0 } };
	int h, ep;

	setup_run();
	h = hb(12, 1);
	ep = sim_add_endpoint(sim_add_root_port(h, 0), 256 * M, 1);
	sim_faults(ep)->gone = true;
	describe((uint32_t[]){ 12 }, 1, &w, 1);
	assert_int_equal(discover_and_plan(), 0);
	assert_int_equal(topo.nr_endpoints, 0);
	assert_int_equal(plans[0].reason, PLAN_NO_ENDPOINTS);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_two_way_at_host_bridge),
		cmocka_unit_test(test_probes_cover_every_position_and_bit),
		cmocka_unit_test(test_sweep_on_four_cpus),
		cmocka_unit_test(test_hung_cpu_is_left_behind),
		cmocka_unit_test(test_interrupted_round_is_undone),
		cmocka_unit_test(test_across_two_host_bridges_and_switch),
		cmocka_unit_test(test_three_way_and_xor_windows),
		cmocka_unit_test(test_two_windows_get_two_regions),
		cmocka_unit_test(test_stuck_commit_times_out),
		cmocka_unit_test(test_commit_error_is_reported),
		cmocka_unit_test(test_aliased_address_bit_is_caught),
		cmocka_unit_test(test_ignored_granularity_is_caught),
		cmocka_unit_test(test_swapped_targets_pass_read_back_but_not_the_cross_check),
		cmocka_unit_test(test_locked_decoder_is_never_written),
		cmocka_unit_test(test_capacity_from_mailbox_and_busy_mailbox),
		cmocka_unit_test(test_root_bus_from_bbn),
		cmocka_unit_test(test_device_gone_is_not_a_hang),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
