// SPDX-License-Identifier: MIT
/*
 * Platform rules of docs/platform-rules.md on the simulated fabric (the cache
 * and register rules are in test_platform_rules.c):
 * CXL 1.1 hosts, range-register devices, media readiness, poison. Each test
 * sets up what a real platform does differently from QEMU and checks the
 * hardware effect in the simulator (decoder writes, device memory), not
 * cxlval's own words.
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
#include "acpi/prmt.h"
#include "core/log.h"
#include "core/machine_check.h"
#include "lib/platform.h"
#include "touch/touch.h"
#include "cxl/discover.h"
#include "cxl/hdm.h"
#include "cxl/planner.h"
#include "cxl/poison.h"
#include "cxl/regs.h"
#include "sim/sim.h"
#include "unit/support/cedt_build.h"

#define G (1ULL << 30)
#define M (1ULL << 20)
#define WBASE 0x1000000000ULL
#define WBASE2 0x2000000000ULL
#define CHBCR(i) (0x800000000ULL + (uint64_t)(i) * 0x10000)

static struct cedt cedt;
static struct mcfg mcfg;
static struct cxl_topology topo;
static struct cxl_hw hw;
static struct region_plan plans[CXL_MAX_WINDOWS];
static struct hdm_driver drv;
static struct tbuf tb;
static struct bridge_map bridges; /* what firmware's root bridges say; none unless a test gives some */
static uint8_t save_area[64 * 1024];

static char last_rule[64];

static void record(void *ctx, const struct diag *d)
{
	snprintf(last_rule, sizeof(last_rule), "%s", d->rule);
}

static struct diag_sink sink = { record, NULL, { 0 } };

/* A host bridge as the CEDT names it: CXL version 1 (CHBCR) or 0 (RCH, RCRB). */
struct bridge {
	uint32_t uid, version;
};

/* One window of 1 way onto each bridge in turn, at WBASE, WBASE2. */
static void describe(const struct bridge *b, unsigned n)
{
	tb_header(&tb, "CEDT");
	for (unsigned i = 0; i < n; i++)
		tb_chbs(&tb, b[i].uid, b[i].version, CHBCR(i), b[i].version ? 0x10000 : 0x2000);
	for (unsigned i = 0; i < n; i++) {
		uint64_t base = i ? WBASE2 : WBASE;

		tb_cfmws(&tb, base, 4 * G, 0, 0, 0, 0xf, 1, &b[i].uid);
		sim_add_window(base, 4 * G, 1, 256, false, (const uint64_t[]){ 0 }, 0, &b[i].uid);
	}
	tb_finish(&tb);
	assert_int_equal(cedt_parse(tb.b, tb.len, &cedt, &sink), 0);
	tb_header(&tb, "MCFG");
	tb_put64(&tb, 0);
	for (uint16_t seg = 0; seg < SIM_SEGMENTS; seg++)
		tb_mcfg_entry(&tb, SIM_ECAM_BASE + seg * (256ULL << 20), seg, 0, 255);
	tb_finish(&tb);
	bridges = (struct bridge_map){ NULL, 0, NULL, 0 };
	last_rule[0] = '\0';
	assert_int_equal(mcfg_parse(tb.b, tb.len, &mcfg, &sink), 0);
}

static unsigned discover_and_plan(void)
{
	unsigned n;

	cxl_topo_init(&topo);
	cxl_windows_from_cedt(&topo, &cedt);
	assert_int_equal(cxl_discover_with(&topo, &hw, &cedt, &mcfg, &bridges, &sink), 0);
	n = planner_plan_all(&topo, plans);
	return n;
}

/* Commits every plan that can be made, as phase_cxl does. */
static void commit_all(void)
{
	hdm_driver_init(&drv, &topo, &hw, &sink, 20);
	for (unsigned w = 0; w < topo.nr_windows; w++)
		if (plans[w].reason == PLAN_OK)
			assert_int_equal(hdm_commit_region(&drv, &plans[w]), 0);
}

/* One device of cap bytes under a host bridge (uid) with one root port. */
static int device(uint32_t uid, unsigned hb_index, uint64_t cap)
{
	int h = sim_add_host_bridge(uid, CHBCR(hb_index), 1);

	return sim_add_endpoint(sim_add_root_port(h, 0), cap, 1);
}

static void expect_reason(unsigned w, enum plan_reason r)
{
	if (plans[w].reason != r)
		fail_msg("window %u: expected %s, got %s (%s)", w, plan_reason_id(r), plan_reason_id(plans[w].reason),
			 plans[w].message);
}

/* ---- CXL 1.1 hosts ---- */

/* The only host bridge is an RCH: its window is refused as such, naming the CHBS, and nothing is written. */
static void test_rch_window_is_refused_by_name(void **state)
{
	const struct bridge b[] = { { 7, 0 }, { 12, 1 } };
	int rcd;

	sim_reset();
	rcd = sim_add_rciep(sim_add_host_bridge(7, CHBCR(0), 1), 512 * M); /* the RCH and its RCD, no root port */
	sim_set_range(rcd, 0, WBASE, 256 * M, 0);      /* firmware's CXL 1.1 mapping, in the RCH's window */
	sim_set_range(rcd, 1, WBASE2, 256 * M, 0);     /* and one in a window of another host bridge */
	sim_set_mem_enable(rcd, true);
	device(12, 1, 512 * M);
	describe(b, 2);
	assert_int_equal(discover_and_plan(), 1);
	assert_true(topo.rch[0].has_rciep && topo.rch[0].mem_enable);
	assert_int_equal(topo.rch[0].rciep.bus, 7);
	assert_true(topo.rch[0].rr_in_window[0]);
	assert_false(topo.rch[0].rr_in_window[1]);
	assert_string_equal(last_rule, "rch.range_outside_window");
	assert_int_equal(topo.nr_endpoints, 1); /* the RCD is not an endpoint cxlval programs */
	commit_all();
	assert_int_equal(sim_hdm_global_writes(rcd), 0);
	expect_reason(0, PLAN_RCH_HOST_BRIDGE);
	assert_non_null(strstr(plans[0].message, "UID 7"));
	assert_non_null(strstr(plans[0].message, "CEDT[0] CHBS"));
	assert_non_null(strstr(plans[0].message, "RCRB 0x800000000"));
	assert_int_equal(topo.nr_rch, 1);
	assert_int_equal(topo.rch[0].uid, 7);
	expect_reason(1, PLAN_OK);
}

/* ---- range-register devices ---- */

/* Firmware decodes mem0 through DVSEC range 1 in window 0: never HDM-enabled, its window not programmed. */
static void test_range_register_device_is_left_to_firmware(void **state)
{
	const struct bridge b[] = { { 12, 1 }, { 40, 1 } };
	int rr, other;

	sim_reset();
	rr = device(12, 0, 512 * M);
	other = device(40, 1, 512 * M);
	sim_set_range(rr, 0, WBASE, 512 * M, 0);
	sim_set_mem_enable(rr, true);
	describe(b, 2);
	assert_int_equal(discover_and_plan(), 1);
	assert_true(topo.endpoints[0].rr_decoding);
	assert_int_equal(topo.endpoints[0].rr[0].base, WBASE);
	assert_int_equal(topo.endpoints[0].rr[0].size, 512 * M);
	assert_false(topo.endpoints[1].rr_decoding);
	expect_reason(0, PLAN_RANGE_REGISTER_DEVICE);
	expect_reason(1, PLAN_OK);
	commit_all();
	hdm_restore(&drv);
	assert_int_equal(sim_hdm_global_writes(rr), 0);
	assert_true(sim_hdm_global_writes(other) > 0);
}

/* Mem_Enable clear (QEMU, or firmware that left HDM to the OS): the ranges are moot and the device is ours. */
static void test_range_registers_without_mem_enable_are_moot(void **state)
{
	const struct bridge b[] = { { 12, 1 } };

	sim_reset();
	sim_set_range(device(12, 0, 512 * M), 0, WBASE, 512 * M, 0);
	describe(b, 1);
	assert_int_equal(discover_and_plan(), 1);
	assert_false(topo.endpoints[0].rr_decoding);
}

/* Memory_Active late: waited for within the bound; never: the device is not used. */
static void test_media_ready_is_awaited_and_bounded(void **state)
{
	const struct bridge b[] = { { 12, 1 }, { 40, 1 } };
	int late, never;
	uint64_t t0;

	sim_reset();
	late = device(12, 0, 512 * M);
	never = device(40, 1, 512 * M);
	sim_set_media_active_after(late, 20);
	sim_set_media_active_after(never, 0);
	describe(b, 2);
	t0 = plat_timer_ns();
	assert_int_equal(discover_and_plan(), 1);
	assert_true(plat_timer_ns() - t0 < 2ULL * 1000 * 1000 * 1000); /* range 1 says 1 s; bound kept */
	assert_true(topo.endpoints[0].media_ready);
	assert_false(topo.endpoints[1].media_ready);
	expect_reason(0, PLAN_OK);
	expect_reason(1, PLAN_MEDIA_NOT_READY);
	commit_all();
	assert_int_equal(sim_hdm_global_writes(never), 0);
}

/* Get Health Info says the media is not ready: the device is left alone; normal media is used. */
static void test_health_media_not_ready(void **state)
{
	const struct bridge b[] = { { 12, 1 }, { 40, 1 } };
	int sick, fine;

	sim_reset();
	sick = device(12, 0, 512 * M);
	fine = device(40, 1, 512 * M);
	sim_set_media_status(sick, CXL_MEDIA_STATUS_NOT_READY);
	sim_set_media_status(fine, 0);
	describe(b, 2);
	assert_int_equal(discover_and_plan(), 1);
	assert_true(topo.endpoints[0].health_read && topo.endpoints[1].health_read);
	expect_reason(0, PLAN_MEDIA_NOT_READY);
	expect_reason(1, PLAN_OK);
	commit_all();
	assert_int_equal(sim_hdm_global_writes(sick), 0);
}

/* Mailbox busy: capacity from both ranges by media type, not "range 1 = persistent". */
static void test_capacity_fallback_reads_both_ranges(void **state)
{
	const struct bridge b[] = { { 12, 1 } };
	int ep;

	sim_reset();
	ep = device(12, 0, 1 * G);
	sim_set_range(ep, 0, 0, 256 * M, CXL_DVSEC_MEDIA_VOLATILE);
	sim_set_range(ep, 1, 0, 768 * M, CXL_DVSEC_MEDIA_NONVOLATILE);
	sim_faults(ep)->mailbox_busy = true;
	describe(b, 1);
	discover_and_plan();
	assert_false(hw.ep_capacity_from_mailbox[0]);
	assert_int_equal(topo.endpoints[0].volatile_bytes, 256 * M);
	assert_int_equal(topo.endpoints[0].persistent_bytes, 768 * M);
}

/* ---- poison ---- */

/* Poisoned DPAs are read from the device, turned into HPAs by the plan, and never touched. */
static void test_poisoned_lines_are_skipped(void **state)
{
	const struct bridge b[] = { { 12, 1 } };
	static uint64_t lines[256];
	struct touch_plan tp;
	struct touch_worker wk[2];
	struct touch_result res, sweep;
	bool back[2], more;
	size_t n;
	int ep;

	sim_reset();
	ep = device(12, 0, 512 * M);
	for (unsigned i = 0; i < 40; i++) /* more than one reply's worth: More Media Error Records */
		sim_inject_poison(ep, 0x10000 + i * 0x1000, 64);
	sim_inject_poison(ep, 0x40, 128); /* two lines, both probes */
	describe(b, 1);
	assert_int_equal(discover_and_plan(), 1);
	assert_int_equal(topo.endpoints[0].nr_poison, 41);
	assert_true(topo.endpoints[0].poison_read);
	assert_true(sim_poison_requests(ep) >= 2);
	n = cxl_poison_hpa_lines(&topo, &plans[0], lines, 256, &more);
	assert_false(more);
	assert_int_equal(n, 42);
	commit_all();
	tp = (struct touch_plan){ WBASE, 4 * G, plans[0].hpa_base, plans[0].size, plans[0].granularity, plans[0].ways,
				  1 * M, false, 3, lines, n };
	{
		static uint64_t probes[TOUCH_MAX_PROBES];
		size_t np = touch_probe_offsets(&tp, probes);

		for (size_t i = 0; i < np; i++)
			probes[i] += tp.region_base;
		touch_probe_worker(&tp, &wk[0], probes, np, save_area, sizeof(save_area));
		touch_run_workers(wk, 1, 1000, back, &res);
		assert_int_equal(res.skipped, 4); /* probes 0x40, 0x80, 0x10000, 0x20000 */
		assert_int_equal(res.touched, np - 4);
	}
	assert_int_equal(touch_split(&tp, wk, 2, save_area, sizeof(save_area)), 2);
	touch_run_workers(wk, 2, 1000, back, &sweep);
	assert_int_equal(sweep.skipped, n);
	assert_int_equal(sweep.touched, 1 * M / TOUCH_LINE - n);
	assert_int_equal(sweep.count[TOUCH_PASS], sweep.touched);
	assert_int_equal(res.count[TOUCH_PASS], res.touched);
	/* The device never saw an access to a poisoned DPA (a machine check on hardware); the lines beside did. */
	assert_int_equal(sim_poison_hits(ep), 0);
	assert_int_equal(sim_device_read64(ep, 0x10000), 0);
	assert_int_equal(sim_device_read64(ep, 0x10040), touch_tag(WBASE + 0x10040, 3));
	assert_int_equal(sim_device_read64(ep, 0xffc0), touch_tag(WBASE + 0xffc0, 3));
}

/* ---- host-bridge identity ---- */

#define PNP0A08 0x0a0841d0 /* EISA id of PCI Express root bridges */

/* Two host bridges, root bus 0x20 each, on segments 0 and 1; UIDs 100 and 200: only the root bridges tell. */
static int two_segments(const struct fw_root_bridge *rb, unsigned nr_rb)
{
	const struct bridge b[] = { { 100, 1 }, { 200, 1 } };
	int ep = -1;

	sim_reset();
	for (unsigned i = 0; i < 2; i++) {
		int h = sim_add_host_bridge(b[i].uid, CHBCR(i), 1);

		sim_set_segment(h, (uint16_t)i);
		sim_set_root_bus(h, 0x20);
		ep = sim_add_endpoint(sim_add_root_port(h, 0), 512 * M, 1);
	}
	describe(b, 2);
	bridges.rb = rb;
	bridges.nr_rb = nr_rb;
	return ep;
}

static void test_root_bridges_map_segment_and_bus_to_host_bridges(void **state)
{
	const struct fw_root_bridge rb[] = { { 100, PNP0A08, 0, 0x20, 0x3f, 1, 1 },
					     { 200, PNP0A08, 1, 0x20, 0x3f, 1, 1 } };
	uint64_t dpa;
	int ep1 = two_segments(rb, 2);

	assert_int_equal(discover_and_plan(), 2);
	assert_int_equal(topo.nr_dports, 2);
	for (unsigned d = 0; d < 2; d++) /* each root port under the host bridge of its segment */
		assert_int_equal(topo.ports[topo.dports[d].port].uid, topo.dports[d].bdf.seg ? 200 : 100);
	commit_all();
	plat_mem_write64(WBASE2 + 0x1000, 0x5e61);
	plat_cache_flush(WBASE2 + 0x1000, 64); /* out of the simulated CPU cache, onto the device */
	assert_int_equal(sim_route(WBASE2 + 0x1000, &dpa), ep1);
	assert_int_equal(sim_device_read64(ep1, dpa), 0x5e61);
	assert_int_not_equal(sim_route(WBASE + 0x1000, &dpa), ep1);
}

/* Root bridges known, but none covers segment 1: its port is refused, not guessed. */
static void test_root_port_no_root_bridge_is_refused(void **state)
{
	const struct fw_root_bridge rb[] = { { 100, PNP0A08, 0, 0x20, 0x3f, 1, 1 } };

	two_segments(rb, 1);
	assert_int_equal(discover_and_plan(), 1);
	assert_int_equal(topo.nr_dports, 1);
	assert_string_equal(last_rule, "topo.root_port_no_bridge");
	expect_reason(1, PLAN_NO_ENDPOINTS);
}

/* ---- normalized addressing ---- */

/* Firmware committed the endpoint at a device-relative address: that is Zen5's convention, not a bug. */
static void test_endpoint_outside_every_window_means_normalized(void **state)
{
	const struct bridge b[] = { { 12, 1 }, { 40, 1 } };
	int ep0, ep1;

	sim_reset();
	ep0 = device(12, 0, 512 * M);
	ep1 = device(40, 1, 512 * M);
	sim_firmware_commit(ep0, 0, 0, 256 * M, false);
	describe(b, 2);
	assert_int_equal(discover_and_plan(), 0);
	assert_true(topo.normalized_addressing);
	assert_string_equal(last_rule, "platform.normalized_addressing");
	expect_reason(0, PLAN_NORMALIZED_ADDRESSING);
	expect_reason(1, PLAN_NORMALIZED_ADDRESSING); /* the whole platform: never reprogrammed */
	commit_all();
	assert_int_equal(sim_hdm_global_writes(ep0) + sim_hdm_global_writes(ep1), 0);
	assert_int_equal(sim_stats()->locked_writes, 0);
}

/* A PRMT: header, one module of two handlers (length includes them). */
static size_t prmt(uint8_t *t, const uint8_t *second_guid, uint16_t handler_len)
{
	size_t m = 60, h = m + PRMT_MODULE_MIN;

	memset(t, 0, 256);
	memcpy(t, "PRMT", 4);
	t[PRMT_MODULE_OFFSET] = (uint8_t)m;
	t[PRMT_MODULE_COUNT] = 1;
	t[m + PRMT_MODULE_LENGTH] = (uint8_t)(PRMT_MODULE_MIN + 2 * 44);
	t[m + PRMT_MODULE_HANDLER_COUNT] = 2;
	t[m + PRMT_MODULE_HANDLER_OFFSET] = PRMT_MODULE_MIN;
	t[h + PRMT_HANDLER_LENGTH] = (uint8_t)handler_len;
	memset(t + h + PRMT_HANDLER_GUID, 0x11, 16);
	t[h + 44 + PRMT_HANDLER_LENGTH] = 44;
	memcpy(t + h + 44 + PRMT_HANDLER_GUID, second_guid, 16);
	return h + 2 * 44;
}

static void test_prmt_address_translation_handler(void **state)
{
	static const uint8_t other[16] = { 1, 2, 3 };
	uint8_t t[256];
	size_t len = prmt(t, prm_cxl_address_translation_guid, 44);

	last_rule[0] = '\0';
	assert_true(prmt_has_handler(t, len, prm_cxl_address_translation_guid, &sink));
	assert_false(prmt_has_handler(t, prmt(t, other, 44), prm_cxl_address_translation_guid, &sink));
	assert_string_equal(last_rule, "");
	/* Broken: a handler length shorter than its GUID, a table cut in the middle. */
	assert_false(prmt_has_handler(t, prmt(t, prm_cxl_address_translation_guid, 4),
				      prm_cxl_address_translation_guid, &sink));
	assert_string_equal(last_rule, "prmt.handler_length");
	assert_false(prmt_has_handler(t, 100, prm_cxl_address_translation_guid, &sink));
	assert_string_equal(last_rule, "prmt.handler_past_end");
	assert_false(prmt_has_handler(t, 40, prm_cxl_address_translation_guid, &sink));
	assert_string_equal(last_rule, "prmt.too_short");
}

/* ---- machine checks ---- */

static char logged[8192];

static void capture(void *ctx, const char *line, size_t len)
{
	strncat(logged, line, len < sizeof(logged) - strlen(logged) - 1 ? len : sizeof(logged) - strlen(logged) - 1);
}

/* The plan's view of the failing HPA, as phase_cxl_locate gives it. */
static bool locate(uint64_t hpa, char *where, size_t cap)
{
	if (hpa < WBASE || hpa >= WBASE + 512 * M)
		return false;
	snprintf(where, cap, "region0 mem0 DPA 0x%llx", (unsigned long long)(hpa - WBASE));
	return true;
}

/* Every valid bank is logged with its address and the device/DPA the plan predicts; invalid ones are not. */
static void test_machine_check_banks_are_logged(void **state)
{
	struct log_sink sk = { LOG_SINK_JSON, LOG_DEBUG, capture, NULL, NULL, false };
	uint64_t uc = MCI_STATUS_VAL | MCI_STATUS_UC | MCI_STATUS_ADDRV | MCI_STATUS_MISCV | 0x9f;

	logged[0] = '\0';
	log_init();
	log_add_sink(&sk);
	sim_cpu_reset();
	sim_set_cpuid(1, 0, 0, 0, CPUID1_EDX_MCE | CPUID1_EDX_MCA);
	sim_set_msr(MSR_MCG_CAP, 4);
	sim_set_msr(MSR_MCG_STATUS, 0x5);
	sim_set_msr(MSR_MC_STATUS(1), uc);
	sim_set_msr(MSR_MC_ADDR(1), WBASE + 0x1040);
	sim_set_msr(MSR_MC_MISC(1), 0x86);
	sim_set_msr(MSR_MC_STATUS(3), MCI_STATUS_VAL | 0x1); /* corrected, no address */
	sim_set_msr(MSR_MC_STATUS(2), MCI_STATUS_ADDRV);     /* not valid: not logged */
	assert_int_equal(machine_check_report(locate), 2);
	assert_non_null(strstr(logged, "\"event\":\"mce.bank\""));
	assert_non_null(strstr(logged, "\"bank\":1,\"status\":\"0xac0000000000009f\",\"addr\":\"0x1000001040\","
				       "\"misc\":\"0x86\""));
	assert_non_null(strstr(logged, "\"predicted\":\"region0 mem0 DPA 0x1040\""));
	assert_non_null(strstr(logged, "\"bank\":3,"));
	assert_null(strstr(logged, "\"bank\":2,"));
	assert_non_null(strstr(logged, "\"banks\":4,\"valid\":2"));
	/* No MCA: said so, no MSR read. */
	logged[0] = '\0';
	sim_set_cpuid(1, 0, 0, 0, 0);
	assert_int_equal(machine_check_report(locate), 0);
	assert_non_null(strstr(logged, "no MCA banks"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rch_window_is_refused_by_name),
		cmocka_unit_test(test_range_register_device_is_left_to_firmware),
		cmocka_unit_test(test_range_registers_without_mem_enable_are_moot),
		cmocka_unit_test(test_media_ready_is_awaited_and_bounded),
		cmocka_unit_test(test_health_media_not_ready),
		cmocka_unit_test(test_capacity_fallback_reads_both_ranges),
		cmocka_unit_test(test_poisoned_lines_are_skipped),
		cmocka_unit_test(test_machine_check_banks_are_logged),
		cmocka_unit_test(test_root_bridges_map_segment_and_bus_to_host_bridges),
		cmocka_unit_test(test_root_port_no_root_bridge_is_refused),
		cmocka_unit_test(test_endpoint_outside_every_window_means_normalized),
		cmocka_unit_test(test_prmt_address_translation_handler),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
