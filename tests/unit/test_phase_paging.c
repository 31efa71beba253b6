// SPDX-License-Identifier: MIT
/*
 * Phase "paging" through the platform seam: the simulator's CPUID leaves and
 * MSRs stand for a machine whose MTRRs leave CXL windows uncached, and the
 * phase must say so window by window, naming the MTRR, as a warning.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/log.h"
#include "core/run.h"
#include "mm/memtype.h"
#include "sim/sim.h"

#define G (1ULL << 30)
#define WIN 0x290000000ULL

static struct run run;
static char lines[16384];
static size_t used;
static const char *rules[8];
static int windows[8];
static enum diag_severity severity[8];
static unsigned nr_findings;

static void capture_line(void *ctx, const char *line, size_t len)
{
	if (used + len < sizeof(lines)) {
		memcpy(lines + used, line, len);
		used += len;
		lines[used] = '\0';
	}
}

static void capture_finding(void *ctx, const struct diag *d)
{
	if (nr_findings < 8) {
		rules[nr_findings] = d->rule;
		windows[nr_findings] = d->index;
		severity[nr_findings++] = d->severity;
	}
}

/* Two 4 GiB windows from 0x290000000; MTRRs on, default type def, variable MTRR 0 = WB over [8, 12) GiB. */
static void machine(uint8_t def)
{
	struct log_sink s = { LOG_SINK_JSON, LOG_DEBUG, capture_line, NULL, NULL, false };

	log_init();
	log_add_sink(&s);
	used = 0;
	lines[0] = '\0';
	nr_findings = 0;
	memset(&run, 0, sizeof(run));
	run.findings.emit = capture_finding;
	run.have_cedt = true;
	run.cedt.nr_cfmws = 2;
	for (unsigned i = 0; i < 2; i++) {
		run.cedt.cfmws[i].at.valid = true;
		run.cedt.cfmws[i].base = WIN + i * 4 * G;
		run.cedt.cfmws[i].size = 4 * G;
	}
	cxl_windows_from_cedt(&run.topo, &run.cedt); /* the window list, as phase "acpi" builds it */
	sim_cpu_reset();
	sim_set_cpuid(1, 0, 0, 0, CPUID_01_EDX_MTRR | CPUID_01_EDX_PAT);
	sim_set_cpuid(0x80000000, 0x80000008, 0, 0, 0);
	sim_set_cpuid(0x80000008, 40, 0, 0, 0);
	sim_set_msr(MSR_MTRRCAP, 8 | MTRRCAP_FIX);
	sim_set_msr(MSR_MTRR_DEF_TYPE, MTRR_DEF_TYPE_E | MTRR_DEF_TYPE_FE | def);
	sim_set_msr(MSR_MTRR_PHYSBASE(0), 8 * G | MT_WB);
	sim_set_msr(MSR_MTRR_PHYSMASK(0), (~(4 * G - 1) & ((1ULL << 40) - 1)) | MTRR_PHYSMASK_VALID);
	sim_set_msr(MSR_PAT, PAT_POWER_ON);
}

static void test_uc_default_makes_both_windows_findings(void **state)
{
	machine(MT_UC);
	phase_paging(&run);
	assert_int_equal(nr_findings, 2);
	assert_string_equal(rules[0], "memtype.window_uc");
	assert_int_equal(windows[0], 0);
	assert_int_equal(severity[0], DIAG_WARN);
	assert_string_equal(rules[1], "memtype.window_uc");
	assert_int_equal(windows[1], 1);
	/* Window 0 is WB up to 12 GiB by MTRR 0, UC after it by the default type. */
	assert_non_null(strstr(lines, "\"memtype\":\"mixed\",\"types\":\"uc,wb\",\"pieces\":2,\"sources\":\"wb "
					"0x290000000-0x2ffffffff (variable MTRR 0); uc 0x300000000-0x38fffffff (default type)\""));
	assert_non_null(strstr(lines, "\"sources\":\"uc 0x390000000-0x48fffffff (default type)\""));
	/* No paging state on the host: nothing built, nothing loaded. */
	assert_non_null(strstr(lines, "\"event\":\"paging.none\""));
	paging_enter(&run);
	assert_false(sim_paging_state()->active);
	assert_int_equal(sim_paging_state()->enters, 0);
}

static void test_write_back_windows_are_quiet(void **state)
{
	machine(MT_WB);
	phase_paging(&run);
	assert_int_equal(nr_findings, 0);
	assert_non_null(strstr(lines, "\"event\":\"memtype.mtrr\""));
	assert_non_null(strstr(lines, "\"default_type\":\"wb\",\"variable_count\":8"));
}

static void test_no_mtrrs_reads_no_mtrr_msrs(void **state)
{
	machine(MT_UC);
	sim_cpu_reset(); /* CPUID says nothing: reading an MTRR MSR would fault on such a CPU */
	sim_set_msr(MSR_MTRR_DEF_TYPE, 0xbad);
	phase_paging(&run);
	assert_int_equal(nr_findings, 0);
	assert_non_null(strstr(lines, "\"supported\":false"));
	assert_null(strstr(lines, "0xbad"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_uc_default_makes_both_windows_findings),
		cmocka_unit_test(test_write_back_windows_are_quiet),
		cmocka_unit_test(test_no_mtrrs_reads_no_mtrr_msrs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
