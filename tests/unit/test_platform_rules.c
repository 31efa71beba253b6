// SPDX-License-Identifier: MIT
/*
 * Platform rules of docs/platform-rules.md against the simulated fabric, with
 * its write-back cache model (tests/sim/sim_cache.c): cache maintenance
 * around every decoder change, and the smaller register rules. Each test
 * fails when the rule it names is taken out of the code.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "acpi/cedt.h"
#include "acpi/mcfg.h"
#include "cxl/discover.h"
#include "cxl/hdm.h"
#include "cxl/pci_regs.h"
#include "cxl/planner.h"
#include "cxl/regs.h"
#include "lib/platform.h"
#include "sim/sim.h"
#include "touch/crosscheck.h"
#include "unit/support/cedt_build.h"

#define M (1ULL << 20)
#define G (1ULL << 30)
#define WIN 0x2000000000ULL
#define CHBCR 0x900000000ULL
#define UID 7
#define MAX_FLUSHES 64

static struct cedt cedt;
static struct mcfg mcfg;
static struct cxl_topology topo;
static struct cxl_hw hw;
static struct region_plan plans[CXL_MAX_WINDOWS];
static struct hdm_driver drv;
static struct tbuf tb;
static int ep_node[4];
static unsigned nr_rules;
static char rules[16][48];
static unsigned nr_flushes;
static struct hdm_flush flushes[MAX_FLUSHES];

static void on_diag(void *ctx, const struct diag *d)
{
	if (nr_rules < 16)
		strncpy(rules[nr_rules++], d->rule, sizeof(rules[0]) - 1);
}

static struct diag_sink sink = { on_diag, NULL, { 0 } };

static bool reported(const char *rule)
{
	for (unsigned i = 0; i < nr_rules; i++)
		if (!strcmp(rules[i], rule))
			return true;
	return false;
}

static void on_flush(void *ctx, const struct hdm_flush *f)
{
	if (nr_flushes < MAX_FLUSHES)
		flushes[nr_flushes++] = *f;
}

struct fabric {
	unsigned nr_eps, hb_decoders, ep_decoders;
	uint64_t window_size;
	uint32_t hbig;
};

/* One host bridge (UID 7), a root port per endpoint, one 1-way window over it; discovered, not yet planned. */
static void build(const struct fabric *f, void (*tweak)(int hb, const int *eps))
{
	uint32_t uid = UID;
	uint64_t no_xormaps[1] = { 0 };
	int hb;

	sim_reset();
	nr_rules = nr_flushes = 0;
	hb = sim_add_host_bridge(UID, CHBCR, f->hb_decoders);
	for (unsigned i = 0; i < f->nr_eps; i++)
		ep_node[i] = sim_add_endpoint(sim_add_root_port(hb, (uint8_t)i), 256 * M, f->ep_decoders);
	if (tweak)
		tweak(hb, ep_node);
	sim_add_window(WIN, f->window_size, 1, 256u << f->hbig, false, no_xormaps, 0, &uid);
	tb_header(&tb, "CEDT");
	tb_chbs(&tb, UID, 1, CHBCR, 0x10000);
	tb_cfmws(&tb, WIN, f->window_size, 0, 0, f->hbig, 0xf, 1, &uid);
	tb_finish(&tb);
	assert_int_equal(cedt_parse(tb.b, tb.len, &cedt, &sink), 0);
	tb_header(&tb, "MCFG");
	tb_put64(&tb, 0);
	tb_mcfg_entry(&tb, SIM_ECAM_BASE, 0, 0, 255);
	tb_finish(&tb);
	assert_int_equal(mcfg_parse(tb.b, tb.len, &mcfg, &sink), 0);
	cxl_topo_init(&topo);
	cxl_windows_from_cedt(&topo, &cedt);
	assert_int_equal(cxl_discover(&topo, &hw, &cedt, &mcfg, NULL, 0, &sink), 0);
}

/* Two devices 2-way below the host bridge, planned, the driver ready. */
static const struct region_plan *two_way(void)
{
	const struct fabric f = { 2, 1, 1, 4 * G, 0 };

	build(&f, NULL);
	assert_int_equal(planner_plan_all(&topo, plans), 1);
	assert_int_equal(plans[0].ways, 2);
	hdm_driver_init(&drv, &topo, &hw, &sink, 20);
	drv.on_flush = on_flush;
	return &plans[0];
}

/* The device and DPA the plan puts an HPA of its region at. */
static uint64_t device_word(const struct region_plan *p, uint64_t hpa)
{
	unsigned pos = ileave_hpa_to_pos(&p->il, hpa - p->il.base);
	uint64_t dpa = ileave_hpa_to_dpa(&p->il, hpa - p->il.base);

	return sim_device_read64(ep_node[p->endpoint_at[pos]], dpa);
}

static bool flushed(enum hdm_flush_when when)
{
	for (unsigned i = 0; i < nr_flushes; i++)
		if (flushes[i].when == when)
			return true;
	return false;
}

/* ---- cache coherence ---- */

#define DATA 0xda7a5afe0001ULL
#define LINE_AT (WIN + 0x1000)

/* A line read while the HPA was not decoded is stale once it is: the commit must drop it. */
static void stale_line_then(int (*commit)(struct hdm_driver *, const struct region_plan *),
			    enum hdm_flush_when when)
{
	const struct region_plan *p = two_way();

	assert_int_equal(hdm_commit_region(&drv, p), 0);
	plat_mem_write64(LINE_AT, DATA);
	plat_cache_flush(LINE_AT, 8);
	assert_int_equal(device_word(p, LINE_AT), DATA);
	assert_int_equal(hdm_uncommit_decoders(&drv, p->decoders, p->nr_decoders), 0);
	assert_int_equal(plat_mem_read64(LINE_AT), 0); /* not decoded: a (speculative) read caches zeros */
	nr_flushes = 0;
	assert_int_equal(commit(&drv, p), 0);
	assert_int_equal(plat_mem_read64(LINE_AT), DATA);
	assert_true(flushed(when));
	hdm_restore(&drv);
}

static void test_flush_before_commit(void **state)
{
	stale_line_then(hdm_commit_region, HDM_BEFORE_COMMIT);
}

static void test_flush_before_recommit(void **state)
{
	stale_line_then(hdm_recommit_region, HDM_BEFORE_RECOMMIT);
}

/* A dirty line must reach its device before the mapping goes, or it is lost (or lands elsewhere). */
static void test_flush_before_uncommit(void **state)
{
	const struct region_plan *p = two_way();
	bool dirty;

	assert_int_equal(hdm_commit_region(&drv, p), 0);
	plat_mem_write64(LINE_AT, DATA);
	assert_true(sim_cache_holds(LINE_AT, &dirty) && dirty);
	nr_flushes = 0;
	assert_int_equal(hdm_uncommit_decoders(&drv, p->decoders, p->nr_decoders), 0);
	assert_int_equal(device_word(p, LINE_AT), DATA);
	assert_true(flushed(HDM_BEFORE_UNCOMMIT));
	hdm_restore(&drv);
}

static void test_flush_before_restore(void **state)
{
	const struct region_plan *p = two_way();

	assert_int_equal(hdm_commit_region(&drv, p), 0);
	plat_mem_write64(LINE_AT, DATA);
	nr_flushes = 0;
	assert_int_equal(hdm_restore(&drv), 0);
	assert_int_equal(device_word(p, LINE_AT), DATA);
	assert_false(sim_cache_holds(LINE_AT, NULL));
	assert_true(flushed(HDM_BEFORE_RESTORE));
}

/*
 * The cross-check maps each device alone at the region's HPAs: under device
 * 1's mapping, a line of device 0 still dirty in the cache would be written
 * back over device 1's data (or, with the mapping gone, nowhere). With every
 * flush in place each device holds exactly what the region wrote.
 */
#define SPAN (64 * 1024)

static uint64_t value_at(uint64_t hpa)
{
	return DATA ^ hpa;
}

static void test_crosscheck_keeps_every_device_whole(void **state)
{
	const struct region_plan *p = two_way();
	static uint64_t offs[16];
	struct xcheck_result x;

	assert_int_equal(hdm_commit_region(&drv, p), 0);
	for (uint64_t o = 0; o < SPAN; o += 64)
		plat_mem_write64(p->hpa_base + o, value_at(p->hpa_base + o));
	plat_cache_flush(p->hpa_base, SPAN);
	plat_mem_write64(LINE_AT, ~DATA); /* newer data, still only in the cache */
	for (unsigned i = 0; i < 16; i++)
		offs[i] = SPAN + i * 256;
	assert_int_equal(xcheck_region(&drv, p, offs, 16, 0x33, true, &x), 0);
	assert_int_equal(x.status, XCHECK_DONE);
	assert_int_equal(x.mismatched, 0);
	plat_cache_flush_all();
	for (uint64_t o = 0; o < SPAN; o += 64) {
		uint64_t hpa = p->hpa_base + o;

		assert_int_equal(device_word(p, hpa), hpa == LINE_AT ? ~DATA : value_at(hpa));
	}
	assert_int_equal(hdm_restore(&drv), 0);
}

/* Whole lines one by one up to the threshold, every CPU's caches beyond it. */
static void test_flush_method_by_size(void **state)
{
	const struct region_plan *p = two_way();
	struct plan_decoder d = p->decoders[0];

	d.hpa_size = HDM_FLUSH_RANGE_MAX;
	hdm_uncommit_decoders(&drv, &d, 1);
	d.hpa_size = HDM_FLUSH_RANGE_MAX + 256 * M;
	hdm_uncommit_decoders(&drv, &d, 1);
	assert_int_equal(nr_flushes, 2);
	assert_false(flushes[0].all);
	assert_int_equal(flushes[0].bytes, HDM_FLUSH_RANGE_MAX);
	assert_true(flushes[1].all);
	assert_int_equal(sim_cache_stats()->flush_range_calls, 1);
	assert_int_equal(sim_cache_stats()->flush_all_calls, 1);
}

/* ---- Memory Space Enable ---- */

static int root_port_of_second;

/* Firmware left the first device, and the root port above the second, with Memory Space Enable clear. */
static void memory_space_off(int hb, const int *eps)
{
	root_port_of_second = sim_node_at(UID, 1);
	sim_set_pci_command(eps[0], sim_pci_command(eps[0]) & ~PCI_COMMAND_MEMORY);
	sim_set_pci_command(root_port_of_second, sim_pci_command(root_port_of_second) & ~PCI_COMMAND_MEMORY);
}

static void test_memory_space_enable_before_bars_and_back_after(void **state)
{
	const struct fabric f = { 2, 1, 1, 4 * G, 0 };

	build(&f, memory_space_off);
	assert_int_equal(topo.nr_endpoints, 2);
	for (unsigned e = 0; e < 2; e++)
		assert_int_equal(topo.endpoints[e].hdm.nr_decoders, 1);
	assert_int_equal(hw.nr_mse, 2);
	assert_true(reported("pci.memory_enabled"));
	assert_true(sim_pci_command(ep_node[0]) & PCI_COMMAND_MEMORY);
	assert_int_equal(planner_plan_all(&topo, plans), 1);
	assert_int_equal(plans[0].ways, 2);
	hdm_driver_init(&drv, &topo, &hw, &sink, 20);
	assert_int_equal(hdm_commit_region(&drv, &plans[0]), 0);
	assert_int_equal(hdm_restore(&drv), 0);
	assert_false(sim_pci_command(ep_node[0]) & PCI_COMMAND_MEMORY);
	assert_false(sim_pci_command(root_port_of_second) & PCI_COMMAND_MEMORY);
	assert_true(sim_pci_command(ep_node[1]) & PCI_COMMAND_MEMORY); /* never changed */
}

/* ---- interleave address bits ---- */

static void host_bridge_without_a11to8(int hb, const int *eps)
{
	sim_faults(hb)->no_a11to8 = true;
}

/* 2-way at 256 B would interleave on HPA bit 8 at the host bridge, which cannot: one device instead. */
static void test_interleave_bits_the_component_lacks_are_not_planned(void **state)
{
	struct fabric f = { 2, 1, 1, 4 * G, 0 };

	build(&f, host_bridge_without_a11to8);
	assert_int_equal(planner_plan_all(&topo, plans), 1);
	assert_int_equal(plans[0].ways, 1);
	hdm_driver_init(&drv, &topo, &hw, &sink, 20);
	assert_int_equal(hdm_commit_region(&drv, &plans[0]), 0);
	assert_int_equal(hdm_restore(&drv), 0);

	/* At 4 KiB the host bridge interleaves on bit 12 (A14to12): both devices. */
	f.hbig = 4;
	build(&f, host_bridge_without_a11to8);
	assert_int_equal(planner_plan_all(&topo, plans), 1);
	assert_int_equal(plans[0].ways, 2);
	hdm_driver_init(&drv, &topo, &hw, &sink, 20);
	assert_int_equal(hdm_commit_region(&drv, &plans[0]), 0);
}

/* ---- decoder count ---- */

static void test_decoder_count_encodings_above_16(void **state)
{
	const struct fabric f = { 1, 24, 20, 4 * G, 0 };

	build(&f, NULL);
	assert_int_equal(FIELD_GET(CXL_HDM_CAP_DECODER_COUNT, topo.ports[0].hdm.cap), 0xa);
	assert_int_equal(topo.ports[0].hdm.nr_decoders, 24);
	assert_int_equal(topo.endpoints[0].hdm.nr_decoders, 20);
	assert_int_equal(cxl_hdm_decoder_count(0xc), 32);
	assert_int_equal(cxl_hdm_decoder_count(0xd), 0); /* reserved */
}

/* ---- Error Not Committed ---- */

static uint32_t ep_decoder_reg(unsigned e, unsigned m, unsigned reg)
{
	return plat_mmio_read32(hw.ep_hdm[e] + CXL_HDM_DECODER(m) + reg);
}

static void test_error_not_committed_clears_commit_and_frees_the_decoder(void **state)
{
	const struct region_plan *p = two_way();
	struct sim_faults *faults = sim_faults(ep_node[p->endpoint_at[0]]);
	unsigned e = (unsigned)p->endpoint_at[0];

	faults->commit_error = true;
	assert_int_equal(hdm_commit_region(&drv, p), -1);
	assert_true(reported("hdm.commit_error"));
	assert_int_equal(ep_decoder_reg(e, p->decoders[0].index, CXL_HDM_CTRL) & CXL_HDM_CTRL_COMMIT, 0);
	assert_int_equal(ep_decoder_reg(e, p->decoders[0].index, CXL_HDM_SIZE_LOW), 0); /* as found */
	assert_int_equal(drv.nr_changes, 0);
	/* The same index commits once the device accepts it. */
	faults->commit_error = false;
	assert_int_equal(hdm_commit_region(&drv, p), 0);
	assert_int_equal(hdm_restore(&drv), 0);
	assert_int_equal(drv.not_restored, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_flush_before_commit),
		cmocka_unit_test(test_flush_before_recommit),
		cmocka_unit_test(test_flush_before_uncommit),
		cmocka_unit_test(test_flush_before_restore),
		cmocka_unit_test(test_crosscheck_keeps_every_device_whole),
		cmocka_unit_test(test_flush_method_by_size),
		cmocka_unit_test(test_memory_space_enable_before_bars_and_back_after),
		cmocka_unit_test(test_interleave_bits_the_component_lacks_are_not_planned),
		cmocka_unit_test(test_decoder_count_encodings_above_16),
		cmocka_unit_test(test_error_not_committed_clears_commit_and_frees_the_decoder),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
