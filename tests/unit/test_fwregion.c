// SPDX-License-Identifier: MIT
/*
 * Firmware's regions (cxl/fwregion.c) on BIOS-style simulated fabrics
 * (tests/sim/sim_firmware.c): a correct region is reconstructed with the
 * positions hardware routes, verified by touch with not one decoder,
 * global-control or DVSEC write, and every audit rule is broken once.
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
#include "lib/firmware.h"
#include "lib/platform.h"
#include "touch/touch.h"
#include "cxl/discover.h"
#include "cxl/fwregion.h"
#include "cxl/regs.h"
#include "mm/conflict.h"
#include "mm/regiontype.h"
#include "sim/sim.h"
#include "sim/sim_firmware.h"
#include "unit/support/sim_tables.h"

#define M (1ULL << 20)
#define WIN 0x2000000000ULL /* window 0: 4 GiB, 1-way over UID 12 */
#define WIN_SIZE (4096 * M)
#define CHBCR SIM_TABLES_CHBCR

static struct cedt cedt;
static struct mcfg mcfg;
static struct cxl_topology topo;
static struct cxl_hw hw;
static struct fwregions fr;
static int hbn, ep[2];

static struct {
	int n;
	struct diag d[32];
} seen;

static void record(void *ctx, const struct diag *d)
{
	if (seen.n < 32)
		seen.d[seen.n++] = *d;
}

static struct diag_sink sink = { record, NULL, { 0 } };

static const struct diag *rule_seen(const char *rule)
{
	for (int i = 0; i < seen.n; i++)
		if (!strcmp(seen.d[i].rule, rule))
			return &seen.d[i];
	return NULL;
}

static void publish(const uint32_t *uids, unsigned nr_hb, const struct sim_window_desc *w, unsigned nr_w)
{
	sim_tables_publish(&cedt, &mcfg, uids, nr_hb, w, nr_w);
}

static void publish_one_window(void)
{
	static const struct sim_window_desc w = { WIN, WIN_SIZE, 0, 1, { 12 } };

	publish((uint32_t[]){ 12 }, 1, &w, 1);
}

/* Discovery, then reconstruction; returns the error findings. */
static unsigned reconstruct(void)
{
	cxl_topo_init(&topo);
	cxl_windows_from_cedt(&topo, &cedt);
	assert_int_equal(cxl_discover(&topo, &hw, &cedt, &mcfg, NULL, 0, NULL), 0);
	memset(&seen, 0, sizeof(seen));
	memset(sink.count, 0, sizeof(sink.count));
	return fwregion_reconstruct(&topo, &fr, &sink);
}

/* The BIOS's correct 2-way region (sim_fw_two_way), then a change by the case. */
static void bios_two_way(bool lock)
{
	sim_reset();
	sim_fw_two_way(WIN, lock, &hbn, ep);
	publish_one_window();
}

static const struct sim_fw_decoder EP_OK = { WIN, 512 * M, 2, 256, 0, false, false, 0 };

static uint64_t targets(uint8_t a, uint8_t b)
{
	return sim_fw_targets((uint8_t[]){ a, b }, 2);
}

static int node_of(int e)
{
	return sim_node_at(topo.endpoints[e].bdf.bus, topo.endpoints[e].bdf.dev);
}

/* Non-destructive touch of a firmware region against its expectation, on one CPU. */
static struct touch_result touch_fw(const struct fwregion *r)
{
	static uint8_t save[128 * 1024];
	static uint64_t lines[TOUCH_MAX_PROBES];
	static struct touch_worker w[1];
	struct touch_plan tp = { WIN, WIN_SIZE, r->base, r->size, r->granularity, r->ways, 1 * M, true, 0x33, NULL, 0 };
	struct touch_result res, sweep;
	bool back;
	size_t n = touch_probe_offsets(&tp, lines);

	for (size_t i = 0; i < n; i++)
		lines[i] += tp.region_base;
	touch_probe_worker(&tp, w, lines, n, save, sizeof(save));
	touch_run_workers(w, 1, 1000, &back, &res);
	touch_split(&tp, w, 1, save, sizeof(save));
	touch_run_workers(w, 1, 1000, &back, &sweep);
	touch_merge(&res, &sweep);
	return res;
}

static void test_correct_region_is_reconstructed(void **state)
{
	const struct fwregion *r;

	bios_two_way(false);
	assert_int_equal(reconstruct(), 0);
	assert_int_equal(seen.n, 0);
	assert_int_equal(fr.nr, 1);
	r = fwregion_in_window(&fr, 0);
	assert_non_null(r);
	assert_true(r->touchable && r->has_endpoints && !r->locked);
	assert_int_equal(r->base, WIN);
	assert_int_equal(r->size, 512 * M);
	assert_int_equal(r->ways, 2);
	assert_int_equal(r->granularity, 256);
	assert_int_equal(r->plan.reason, PLAN_OK);
	assert_int_equal(r->plan.nr_decoders, 3); /* two endpoints and the host bridge */
	/* The positions are where the simulator, decoding level by level, sends each position's first granule. */
	for (unsigned p = 0; p < 2; p++) {
		uint64_t dpa;

		assert_int_equal(sim_route(WIN + p * 256, &dpa), ep[p]);
		assert_int_equal(node_of(r->plan.endpoint_at[p]), ep[p]);
		assert_int_equal(dpa, 0);
	}
}

/* Verified with the same engine, no decoder, global-control or DVSEC write, data put back. */
static void test_correct_region_touched_without_writes(void **state)
{
	const struct fwregion *r;
	struct touch_result res;
	uint64_t before[4], writes;

	bios_two_way(true);
	reconstruct();
	r = fwregion_in_window(&fr, 0);
	assert_true(r->touchable && r->locked);
	for (unsigned i = 0; i < 4; i++)
		before[i] = sim_device_read64(ep[i & 1], i * 4096);
	writes = sim_stats()->hdm_writes + sim_stats()->dvsec_writes;
	res = touch_fw(r);
	assert_true(res.touched > 0);
	assert_int_equal(res.count[TOUCH_PASS], res.touched);
	assert_int_equal(res.restore_mismatch, 0);
	assert_int_equal(sim_stats()->hdm_writes + sim_stats()->dvsec_writes, writes);
	assert_int_equal(sim_stats()->locked_writes, 0);
	for (unsigned i = 0; i < 4; i++)
		assert_int_equal(sim_device_read64(ep[i & 1], i * 4096), before[i]);
}

/* Both host-bridge positions to port 0: the audit names it, and the touch finds the aliases. */
static void test_wrong_target_list_aliases(void **state)
{
	struct sim_fw_decoder hbd = EP_OK;
	const struct fwregion *r;
	struct touch_result res;

	bios_two_way(false);
	hbd.target = targets(0, 0);
	sim_fw_set(hbn, 0, &hbd);
	assert_true(reconstruct() > 0);
	assert_non_null(rule_seen("fwregion.target_duplicate"));
	assert_non_null(rule_seen("fwregion.position_duplicate"));
	r = fwregion_in_window(&fr, 0);
	assert_true(r->touchable); /* every line reaches a device: safe to touch, and it must be */
	assert_int_equal(node_of(r->plan.endpoint_at[1]), ep[1]);
	res = touch_fw(r);
	assert_true(res.count[TOUCH_ALIASED] > 0);
	assert_int_equal(res.restore_mismatch, 0);
}

/* Rule tables: one change to the correct BIOS region breaks one rule. */
static void hb_only(void)
{
	struct sim_fw_decoder off = { 0 };

	off.uncommitted = true;
	sim_fw_set(ep[0], 0, &off);
	sim_fw_set(ep[1], 0, &off);
}

static void endpoint_missing(void)
{
	struct sim_fw_decoder off = { 0 };

	off.uncommitted = true;
	sim_fw_set(ep[1], 0, &off);
}

static void out_of_order(void)
{
	struct sim_fw_decoder d = EP_OK, off = { 0 };

	off.uncommitted = true;
	d.base = WIN + 1024 * M;
	d.size = 256 * M;
	d.ways = 1;
	sim_fw_set(ep[0], 2, &d); /* decoder 2 committed, decoder 1 not */
	(void)off;
}

static void zero_size(void)
{
	struct sim_fw_decoder d = EP_OK;

	d.base = WIN + 1024 * M;
	d.size = 0;
	sim_fw_set(ep[0], 1, &d);
}

static void hpa_order(void)
{
	struct sim_fw_decoder d = EP_OK;

	d.base = WIN - 512 * M; /* below decoder 0: outside every window too */
	d.size = 256 * M;
	d.ways = 1;
	sim_fw_set(ep[0], 1, &d);
}

static void same_range_twice(void)
{
	sim_fw_set(ep[0], 1, &EP_OK); /* the region's one member stays decoder 0 */
}

static void dpa_beyond_capacity(void)
{
	struct sim_fw_decoder d = EP_OK;

	d.target = 256 * M; /* skip the whole device */
	sim_fw_set(ep[1], 0, &d);
}

static void target_no_dport(void)
{
	struct sim_fw_decoder d = EP_OK;

	d.target = targets(0, 7);
	sim_fw_set(hbn, 0, &d);
}

static void hb_granularity(void)
{
	struct sim_fw_decoder d = EP_OK;

	d.granularity = 1024;
	d.target = targets(0, 1);
	sim_fw_set(hbn, 0, &d);
}

static void hb_ways(void)
{
	struct sim_fw_decoder d = EP_OK;

	d.ways = 1;
	d.target = targets(0, 1);
	sim_fw_set(hbn, 0, &d);
}

static void endpoint_granularity(void)
{
	struct sim_fw_decoder d = EP_OK;

	d.granularity = 512;
	sim_fw_set(ep[1], 0, &d);
}

static void no_hb_decoder(void)
{
	struct sim_fw_decoder off = { 0 };

	off.uncommitted = true;
	sim_fw_set(hbn, 0, &off);
}

/* The whole region again, every level at base/size. */
static void region_at(uint64_t base, uint64_t size)
{
	struct sim_fw_decoder d = EP_OK;

	d.base = base;
	d.size = size;
	sim_fw_set(ep[0], 0, &d);
	sim_fw_set(ep[1], 0, &d);
	d.target = targets(0, 1);
	sim_fw_set(hbn, 0, &d);
}

static void size_not_multiple(void)
{
	region_at(WIN, 768 * M); /* 3 x 256 MiB over 2 ways */
}

static void outside_window(void)
{
	region_at(WIN + WIN_SIZE, 512 * M);
}

static void bad_encoding(void)
{
	struct sim_fw_decoder d = EP_OK;

	d.raw_ctrl = CXL_HDM_CTRL_COMMITTED | CXL_HDM_CTRL_COMMIT | 0xf0; /* IW 15 */
	sim_fw_set(ep[1], 1, &d);
}

static void locked_hb_only(void)
{
	struct sim_fw_decoder d = EP_OK;

	hb_only();
	d.lock = true;
	d.target = targets(0, 1);
	sim_fw_set(hbn, 0, &d);
}

struct rule_case {
	const char *name;
	void (*change)(void);
	const char *rule;
	bool touchable; /* window 0's region can still be touched */
};

static const struct rule_case rule_cases[] = {
	{ "host bridge committed alone", hb_only, "fwregion.hb_only", false },
	{ "locked host bridge committed alone", locked_hb_only, "fwregion.hb_only", false },
	{ "one endpoint decoder missing", endpoint_missing, "fwregion.endpoint_missing", false },
	{ "decoder 2 committed, decoder 1 not", out_of_order, "fwregion.commit_order", true },
	{ "committed with zero size", zero_size, "fwregion.zero_size", true },
	{ "decoder 1 below decoder 0", hpa_order, "fwregion.hpa_order", true },
	{ "one device decodes the range twice", same_range_twice, "fwregion.hpa_order", true },
	{ "DPA skip past the device", dpa_beyond_capacity, "fwregion.dpa_capacity", false },
	{ "target names no dport", target_no_dport, "fwregion.target_no_dport", false },
	{ "host bridge selects on the wrong bit", hb_granularity, "fwregion.granularity_mismatch", true },
	{ "host bridge 1-way below a 2-way region", hb_ways, "fwregion.ways_mismatch", true },
	{ "endpoints disagree on granularity", endpoint_granularity, "fwregion.endpoint_mismatch", true },
	{ "endpoints committed, host bridge not", no_hb_decoder, "fwregion.port_decoder_missing", false },
	{ "size not a multiple of 256 MiB x ways", size_not_multiple, "fwregion.size_multiple", false },
	{ "region above the window", outside_window, "fwregion.outside_window", false },
	{ "IW encoding 15", bad_encoding, "fwregion.encoding", true },
};

static void test_every_rule_broken_once(void **state)
{
	for (size_t i = 0; i < sizeof(rule_cases) / sizeof(rule_cases[0]); i++) {
		const struct rule_case *c = &rule_cases[i];
		const struct fwregion *r;
		const struct diag *d;

		bios_two_way(false);
		c->change();
		if (reconstruct() == 0)
			fail_msg("%s: no error finding", c->name);
		d = rule_seen(c->rule);
		if (!d)
			fail_msg("%s: rule %s not reported (first: %s)", c->name, c->rule,
				 seen.n ? seen.d[0].rule : "none");
		assert_string_equal(d->table, "HDM");
		assert_true(d->severity >= DIAG_ERROR);
		r = fwregion_in_window(&fr, 0);
		if (c->touchable != (r && r->touchable))
			fail_msg("%s: touchable %d, expected %d", c->name, r && r->touchable, c->touchable);
	}
}

static void test_hb_only_is_a_region_without_endpoints(void **state)
{
	const struct fwregion *r;
	const struct diag *d;

	bios_two_way(true);
	hb_only();
	assert_int_equal(reconstruct(), 1);
	r = fwregion_in_window(&fr, 0);
	assert_non_null(r);
	assert_false(r->has_endpoints);
	assert_true(r->locked);
	d = rule_seen("fwregion.hb_only");
	/* The exact registers: control 0x710 (2-way, 256 B, lock, commit, committed) and targets 0,1. */
	assert_non_null(strstr(d->message, "control 0x710"));
	assert_non_null(strstr(d->message, "target list 0x0000000000000100"));
}

/* Two endpoints' partitions: the DPA must stay on one side of the volatile/persistent boundary. */
static void test_dpa_across_partitions(void **state)
{
	bios_two_way(false);
	cxl_topo_init(&topo);
	cxl_windows_from_cedt(&topo, &cedt);
	assert_int_equal(cxl_discover(&topo, &hw, &cedt, &mcfg, NULL, 0, NULL), 0);
	topo.endpoints[1].volatile_bytes = 128 * M; /* the decoder's DPA [0, 256 MiB) crosses it */
	topo.endpoints[1].persistent_bytes = 128 * M;
	memset(&seen, 0, sizeof(seen));
	assert_int_equal(fwregion_reconstruct(&topo, &fr, &sink), 1);
	assert_non_null(rule_seen("fwregion.dpa_partition"));
}

/* A region over two adjacent windows: in neither. */
static void test_region_spanning_two_windows(void **state)
{
	static const struct sim_window_desc w[2] = { { WIN, 256 * M, 0, 1, { 12 } },
						 { WIN + 256 * M, 256 * M, 0, 1, { 12 } } };

	sim_reset();
	sim_fw_two_way(WIN, false, &hbn, ep);
	publish((uint32_t[]){ 12 }, 1, w, 2);
	assert_true(reconstruct() > 0);
	assert_non_null(rule_seen("fwregion.spans_windows"));
	assert_null(fwregion_in_window(&fr, 0));
}

/* Two host bridges, window 2-way at 256 B: the endpoint's granularity must be the window's. */
static void test_window_rules(void **state)
{
	static const struct sim_window_desc w = { WIN, WIN_SIZE, 1, 2, { 12, 100 } };
	struct sim_fw_decoder e = EP_OK, h = EP_OK;
	int hbs[2], eps[2];

	h.ways = 1;
	h.target = 0;
	for (unsigned g = 0; g < 2; g++) {
		unsigned gran = g ? 256 : 1024; /* the window's 256 B last */

		sim_reset();
		e.granularity = gran;
		for (unsigned i = 0; i < 2; i++) {
			hbs[i] = sim_add_host_bridge(i ? 100 : 12, CHBCR + i * 0x10000, 4);
			eps[i] = sim_add_endpoint(sim_add_root_port(hbs[i], 0), 256 * M, 4);
			sim_fw_set(eps[i], 0, &e);
			sim_fw_set(hbs[i], 0, &h);
		}
		publish((uint32_t[]){ 12, 100 }, 2, &w, 1);
		if (gran == 1024) {
			assert_true(reconstruct() > 0);
			assert_non_null(rule_seen("fwregion.granularity_window"));
		}
	}
	/* The right granularity: clean, and positions follow the window's target list. */
	assert_int_equal(reconstruct(), 0);
	assert_true(fr.r[0].touchable);
	assert_int_equal(node_of(fr.r[0].plan.endpoint_at[0]), eps[0]);
	assert_int_equal(node_of(fr.r[0].plan.endpoint_at[1]), eps[1]);
	assert_int_equal(touch_fw(&fr.r[0]).count[TOUCH_ALIASED], 0);
}

/* An endpoint below a host bridge the window does not list. */
static void test_host_bridge_not_in_window(void **state)
{
	static const struct sim_window_desc w = { WIN, WIN_SIZE, 0, 1, { 12 } };
	struct sim_fw_decoder e = EP_OK;
	int h, x;

	sim_reset();
	e.ways = 1;
	e.size = 256 * M;
	h = sim_add_host_bridge(12, CHBCR, 4);
	sim_add_endpoint(sim_add_root_port(h, 0), 256 * M, 4);
	x = sim_add_endpoint(sim_add_root_port(sim_add_host_bridge(100, CHBCR + 0x10000, 4), 0), 256 * M, 4);
	sim_fw_set(x, 0, &e);
	publish((uint32_t[]){ 12, 100 }, 2, &w, 1);
	assert_true(reconstruct() > 0);
	assert_non_null(rule_seen("fwregion.hb_not_in_window"));
}

/* ---- how the memory map types a firmware region (mm/regiontype.c) ---- */

#define REG_SIZE (512 * M) /* firmware's region at the base of window 0; window 1 follows window 0 */
#define SP FW_MEM_ATTR_SP

struct fw_range {
	uint64_t start, size;
	uint32_t type;
	uint64_t attr;
};

struct typing_case {
	const char *name;
	struct fw_range fw[3];
	enum region_typing expect;
	bool conflict; /* the window conflict model still reports it */
};

static const struct typing_case typing_cases[] = {
	{ "SP exactly the region", { { WIN, REG_SIZE, FW_MEM_CONVENTIONAL, SP } }, RT_SOFT_RESERVED, false },
	{ "SP in two pieces on 256 MiB", { { WIN, 256 * M, FW_MEM_CONVENTIONAL, SP },
					   { WIN + 256 * M, 256 * M, FW_MEM_CONVENTIONAL, SP } }, RT_SOFT_RESERVED, false },
	{ "RAM without SP", { { WIN, REG_SIZE, FW_MEM_CONVENTIONAL, 0 } }, RT_SYSTEM_RAM, false },
	{ "persistent", { { WIN, REG_SIZE, FW_MEM_PERSISTENT, 0 } }, RT_PERSISTENT, false },
	{ "reserved", { { WIN, REG_SIZE, FW_MEM_RESERVED, 0 } }, RT_RESERVED, false },
	{ "not described", { { 0 } }, RT_ABSENT, false },
	{ "SP past the region's end", { { WIN, REG_SIZE + 256 * M, FW_MEM_CONVENTIONAL, SP } }, RT_CUT, true },
	{ "SP over both windows", { { WIN, WIN_SIZE + 256 * M, FW_MEM_CONVENTIONAL, SP } }, RT_SPANS_WINDOWS, true },
	{ "SP split at 1 MiB", { { WIN, M, FW_MEM_CONVENTIONAL, SP }, { WIN + M, REG_SIZE - M, FW_MEM_CONVENTIONAL, SP } },
	  RT_MISALIGNED, true },
	{ "SP then RAM", { { WIN, 256 * M, FW_MEM_CONVENTIONAL, SP }, { WIN + 256 * M, 256 * M, FW_MEM_CONVENTIONAL, 0 } },
	  RT_MIXED, true },
	{ "SP over half", { { WIN, 256 * M, FW_MEM_CONVENTIONAL, SP } }, RT_MIXED, true },
};

static void test_memory_map_typing(void **state)
{
	static struct map_range storage[32];
	static struct conflict_report rep;
	struct addrmap map;

	for (size_t i = 0; i < sizeof(typing_cases) / sizeof(typing_cases[0]); i++) {
		const struct typing_case *c = &typing_cases[i];
		struct region_typing_result res;
		enum region_typing t;

		addrmap_init(&map, storage, 32);
		addrmap_add_span(&map, MAP_WINDOW, WIN, WIN_SIZE, 0, 0, 0);
		addrmap_add_span(&map, MAP_WINDOW, WIN + WIN_SIZE, WIN_SIZE, 0, 0, 1);
		for (unsigned k = 0; k < 3 && c->fw[k].size; k++)
			addrmap_add_span(&map, MAP_FIRMWARE, c->fw[k].start, c->fw[k].size, c->fw[k].type, c->fw[k].attr,
					 (int)k);
		t = region_typing_of(&map, WIN, REG_SIZE, &res);
		if (t != c->expect)
			fail_msg("%s: typed %s, expected %s", c->name, region_typing_name(t), region_typing_name(c->expect));
		assert_true(region_typing_severity(t) == 2 ? c->conflict : !c->conflict);
		/* What core does: a consistently typed firmware region enters the map as such. */
		addrmap_add_span(&map, MAP_FWREGION, WIN, REG_SIZE, region_typing_severity(t) < 2 ? REGION_TYPED : 0, 0, 0);
		conflicts_find(&map, &rep);
		if ((rep.count > 0) != (c->conflict && t != RT_ABSENT))
			fail_msg("%s: %u conflicts", c->name, rep.count);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_correct_region_is_reconstructed),
		cmocka_unit_test(test_correct_region_touched_without_writes),
		cmocka_unit_test(test_wrong_target_list_aliases),
		cmocka_unit_test(test_every_rule_broken_once),
		cmocka_unit_test(test_hb_only_is_a_region_without_endpoints),
		cmocka_unit_test(test_dpa_across_partitions),
		cmocka_unit_test(test_region_spanning_two_windows),
		cmocka_unit_test(test_window_rules),
		cmocka_unit_test(test_host_bridge_not_in_window),
		cmocka_unit_test(test_memory_map_typing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
