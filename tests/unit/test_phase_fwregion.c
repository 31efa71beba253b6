// SPDX-License-Identifier: MIT
/*
 * The CXL phases end to end on the simulated fabric, with firmware's regions:
 * program = auto verifies a BIOS region with not one decoder, global-control
 * or DVSEC write (counted by the simulator) and leaves the device data as it
 * was; program = never writes nothing at all; conventional memory is claimed
 * from firmware before it is touched, and reserved memory is not touched.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/config.h"
#include "lib/firmware.h"
#include "core/log.h"
#include "lib/platform.h"
#include "core/run.h"
#include "sim/sim.h"
#include "sim/sim_firmware.h"
#include "unit/support/sim_tables.h"

#define M (1ULL << 20)
#define WIN 0x2000000000ULL
#define REGION (512 * M)
#define DATA_BYTES (2 * M) /* past the 1 MiB sweep */
#define DATA(off) (0x5eed000000000000ULL ^ (off))

static struct run run;
static uint8_t scratch[4 * 1024 * 1024] __attribute__((aligned(4096)));
static int hbn, ep[2];
static uint64_t writes_before;

static void quiet(void *ctx, const char *line, size_t len)
{
}

/* A run over the simulated machine as phase "map" would leave it: the memory map typing [WIN, +REGION) as told. */
static void machine_locked(bool firmware_region, bool lock, uint32_t fw_type, uint64_t fw_attr, unsigned program)
{
	static const struct sim_window_desc w = { WIN, 4096 * M, 0, 1, { 12 } };
	struct log_sink s = { LOG_SINK_JSON, LOG_DEBUG, quiet, NULL, NULL, false };

	log_init();
	log_add_sink(&s);
	sim_reset();
	sim_fw_ram_busy(0, 0);
	if (firmware_region) {
		sim_fw_two_way(WIN, lock, &hbn, ep);
	} else {
		hbn = sim_add_host_bridge(12, SIM_TABLES_CHBCR, 4);
		for (unsigned i = 0; i < 2; i++)
			ep[i] = sim_add_endpoint(sim_add_root_port(hbn, (uint8_t)i), 256 * M, 4);
	}
	memset(&run, 0, sizeof(run));
	sim_tables_publish(&run.cedt, &run.mcfg, (uint32_t[]){ 12 }, 1, &w, 1);
	run.have_cedt = run.have_mcfg = true;
	run.restore_decoders = true;
	run.quick_bytes = 1 * M;
	run.timeout_ms = 20;
	run.windows = ~0U;
	run.program = program;
	run.cpus = 1;
	cxl_topo_init(&run.topo);
	cxl_windows_from_cedt(&run.topo, &run.cedt);
	addrmap_init(&run.map, run.map_storage, RUN_MAP_CAPACITY);
	addrmap_add_span(&run.map, MAP_WINDOW, WIN, 4096 * M, 0, 0, 0);
	if (fw_type != FW_MEM_TYPE_COUNT)
		addrmap_add_span(&run.map, MAP_FIRMWARE, WIN, REGION, fw_type, fw_attr, 0);
	addrmap_add_span(&run.map, MAP_FIRMWARE, (uintptr_t)scratch, sizeof(scratch), FW_MEM_LOADER_DATA, 0, 1);
	addrmap_index(&run.map);
	frame_alloc_init(&run.scratch, run.scratch_pool, run.scratch_free, RUN_SCRATCH_EXTENTS);
	frame_alloc_give(&run.scratch, (uintptr_t)scratch, sizeof(scratch), &run.map, MAP_BIT(MAP_WINDOW));
	/* Data the run must leave as it was, written through firmware's region before the run. */
	for (uint64_t off = 0; firmware_region && off < DATA_BYTES; off += 8)
		plat_mem_write64(WIN + off, DATA(off));
	writes_before = sim_stats()->hdm_writes + sim_stats()->dvsec_writes;
}

static void machine(bool firmware_region, uint32_t fw_type, uint64_t fw_attr, unsigned program)
{
	machine_locked(firmware_region, true, fw_type, fw_attr, program);
}

static uint64_t decoder_writes(void)
{
	return sim_stats()->hdm_writes + sim_stats()->dvsec_writes - writes_before;
}

static const struct window_verdict *window0(void)
{
	assert_int_equal(run.nr_windows, 1);
	return &run.verdict[0];
}

static void test_firmware_region_verified_with_zero_writes(void **state)
{
	unsigned released;

	machine(true, FW_MEM_CONVENTIONAL, FW_MEM_ATTR_SP, PROGRAM_AUTO);
	assert_int_equal(sim_device_read64(ep[1], 0), DATA(256)); /* position 1's first granule */
	run_cxl_phases(&run);
	window_verdicts_log(&run);
	assert_int_equal(window0()->status, WS_VERIFIED_FIRMWARE);
	assert_int_equal(window0()->owner, WO_FIRMWARE);
	assert_true(window0()->has_region);
	assert_false(run.routing_failed);
	assert_int_equal(decoder_writes(), 0);
	assert_int_equal(sim_stats()->locked_writes, 0);
	assert_int_equal(sim_fw_ram_claims(&released), 0); /* soft reserved: saved and restored, not claimed */
	assert_int_equal(diag_errors(&run.findings), 0);
	for (uint64_t off = 0; off < DATA_BYTES; off += 8)
		assert_int_equal(plat_mem_read64(WIN + off), DATA(off));
}

static void test_program_never_writes_nothing(void **state)
{
	machine(false, FW_MEM_TYPE_COUNT, 0, PROGRAM_NEVER);
	run_cxl_phases(&run);
	window_verdicts_log(&run);
	assert_int_equal(window0()->status, WS_NOT_VERIFIED);
	assert_string_equal(window0()->reason, "program_never");
	assert_int_equal(decoder_writes(), 0);
}

/* The counter counts: the same free fabric under auto is programmed, touched and put back. */
static void test_program_auto_programs_a_free_window(void **state)
{
	machine(false, FW_MEM_TYPE_COUNT, 0, PROGRAM_AUTO);
	run_cxl_phases(&run);
	window_verdicts_log(&run);
	assert_int_equal(window0()->status, WS_VERIFIED_PROGRAMMED);
	assert_int_equal(window0()->owner, WO_CXLVAL);
	assert_true(decoder_writes() > 0);
}

static void test_conventional_memory_is_claimed_first(void **state)
{
	unsigned released;

	machine(true, FW_MEM_CONVENTIONAL, 0, PROGRAM_AUTO);
	run_cxl_phases(&run);
	window_verdicts_log(&run);
	assert_int_equal(window0()->status, WS_VERIFIED_FIRMWARE);
	assert_int_equal(sim_fw_ram_claims(&released), 1);
	assert_int_equal(released, 1);

	machine(true, FW_MEM_CONVENTIONAL, 0, PROGRAM_AUTO);
	sim_fw_ram_busy(WIN + 64 * M, 4096); /* firmware already put something there */
	run_cxl_phases(&run);
	window_verdicts_log(&run);
	assert_int_equal(window0()->status, WS_NOT_VERIFIED);
	assert_string_equal(window0()->reason, "memory_in_use");
	assert_int_equal(sim_fw_ram_claims(&released), 0);
}

static void test_reserved_memory_is_not_touched(void **state)
{
	machine(true, FW_MEM_RESERVED, 0, PROGRAM_AUTO);
	run_cxl_phases(&run);
	window_verdicts_log(&run);
	assert_int_equal(window0()->status, WS_NOT_VERIFIED);
	assert_string_equal(window0()->reason, "reserved_memory");
	assert_int_equal(decoder_writes(), 0);
}

/* Decoder 0's seven registers, read through the seam. */
static void read_decoder0(uint64_t hdm, uint32_t regs[7])
{
	for (unsigned k = 0; k < 7; k++)
		regs[k] = plat_mmio_read32(hdm + 0x10 + 4 * k); /* base lo/hi, size lo/hi, control, target lo/hi */
}

/* crosscheck_firmware: each device alone, then firmware's exact registers back (unlocked region only). */
static void test_crosscheck_puts_firmware_registers_back(void **state)
{
	/* What sim_fw_two_way committed: base, size, control 0x610 (2-way, 256 B, Commit, Committed), targets. */
	static const uint32_t hb[7] = { 0, 0x20, 0x20000000, 0, 0x610, 0x100, 0 };
	static const uint32_t ep0[7] = { 0, 0x20, 0x20000000, 0, 0x610, 0, 0 };
	uint32_t got[7];

	machine_locked(true, false, FW_MEM_CONVENTIONAL, FW_MEM_ATTR_SP, PROGRAM_AUTO);
	run.crosscheck_firmware = true;
	run_cxl_phases(&run);
	window_verdicts_log(&run);
	assert_int_equal(window0()->status, WS_VERIFIED_FIRMWARE);
	assert_true(decoder_writes() > 0); /* the cross-check did run: it maps each device alone */
	read_decoder0(run.hw.port_hdm[0], got);
	assert_memory_equal(got, hb, sizeof(hb));
	for (unsigned e = 0; e < 2; e++) {
		read_decoder0(run.hw.ep_hdm[e], got);
		assert_memory_equal(got, ep0, sizeof(ep0));
	}
	for (uint64_t off = 0; off < DATA_BYTES; off += 8)
		assert_int_equal(plat_mem_read64(WIN + off), DATA(off));

	/* Locked: never cross-checked, not one write. */
	machine(true, FW_MEM_CONVENTIONAL, FW_MEM_ATTR_SP, PROGRAM_AUTO);
	run.crosscheck_firmware = true;
	run_cxl_phases(&run);
	window_verdicts_log(&run);
	assert_int_equal(window0()->status, WS_VERIFIED_FIRMWARE);
	assert_int_equal(decoder_writes(), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_firmware_region_verified_with_zero_writes),
		cmocka_unit_test(test_program_never_writes_nothing),
		cmocka_unit_test(test_program_auto_programs_a_free_window),
		cmocka_unit_test(test_conventional_memory_is_claimed_first),
		cmocka_unit_test(test_reserved_memory_is_not_touched),
		cmocka_unit_test(test_crosscheck_puts_firmware_registers_back),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
