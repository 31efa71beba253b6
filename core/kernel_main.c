// SPDX-License-Identifier: MIT
/*
 * Orchestration: one run, phase by phase (../shared/DESIGN.md §2; core/run.h
 * lists the phases). Each phase logs what it found and what it could not
 * trust; the worst finding decides the status.
 */
#include "core/kernel.h"

#include "core/config.h"
#include "core/log.h"
#include "core/report.h"
#include "core/run.h"

#define CXLVAL_VERSION "0.1.0"

void kernel_config(const struct fw_facts *facts, struct cxlval_config *cfg, struct diag_sink *sink)
{
	config_defaults(cfg);
	if (facts->config_text)
		config_parse(cfg, facts->config_text, facts->config_len, "cxlval.cfg", sink);
	if (facts->cmdline_lines)
		config_parse(cfg, facts->cmdline_lines, facts->cmdline_len, "command line", sink);
}

/* Config mistakes are logged like findings but do not count against the firmware. */
static void apply_config(struct run *run)
{
	struct cxlval_config cfg;
	struct log_event ev;

	run_findings_init(&run->config_findings);
	kernel_config(run->facts, &cfg, &run->config_findings);
	run->destructive = cfg.destructive;
	run->restore_decoders = cfg.restore_decoders;
	run->quick_bytes = cfg.mode == CONFIG_FULL ? ~0ULL : (uint64_t)cfg.quick_mib << 20;
	run->timeout_ms = cfg.timeout_ms;
	run->windows = cfg.windows;
	run->fault_test = cfg.fault_test;
	run->cpus = cfg.cpus;
	run->bench = cfg.bench;
	run->program = cfg.program;
	run->crosscheck_firmware = cfg.crosscheck_firmware;
	log_begin(&ev, LOG_INFO, "config");
	log_bool(&ev, "from_file", run->facts->config_text != NULL);
	log_bool(&ev, "from_command_line", run->facts->cmdline_lines != NULL);
	log_str(&ev, "mode", config_choice_name("mode", cfg.mode));
	log_bool(&ev, "destructive", cfg.destructive);
	log_bool(&ev, "restore_decoders", cfg.restore_decoders);
	log_u64(&ev, "quick_mib", cfg.quick_mib);
	log_u64(&ev, "timeout_ms", cfg.timeout_ms);
	log_hex(&ev, "windows", cfg.windows);
	log_str(&ev, "verbosity", config_choice_name("verbosity", cfg.verbosity));
	log_str(&ev, "on_exit", config_choice_name("on_exit", cfg.on_exit));
	log_str(&ev, "serial", config_choice_name("serial", cfg.serial));
	log_str(&ev, "serial_port", config_choice_name("serial_port", cfg.serial_port));
	log_u64(&ev, "serial_baud", cfg.serial_baud);
	log_u64(&ev, "watchdog_s", cfg.watchdog_s);
	log_u64(&ev, "cpus", cfg.cpus);
	log_bool(&ev, "bench", cfg.bench);
	log_str(&ev, "program", config_choice_name("program", cfg.program));
	log_bool(&ev, "crosscheck_firmware", cfg.crosscheck_firmware);
	log_u64(&ev, "errors", diag_errors(&run->config_findings));
	log_end(&ev);
}

/* The worst finding decides: bad tables outrank a pass, tool errors outrank both. */
static enum cxlval_status verdict(const struct run *run)
{
	if (run->routing_failed)
		return CXLVAL_ROUTING_FAILURE;
	if (run->conflicts)
		return CXLVAL_FIRMWARE_CONFLICT;
	if (diag_errors(&run->findings))
		return CXLVAL_BAD_FIRMWARE_TABLES;
	if (!run->have_acpi || run->cpus_late)
		return CXLVAL_TOOL_ERROR; /* no verdict on what was not looked at */
	for (unsigned w = 0; w < run->nr_windows; w++)
		if (run->verdict[w].status == WS_VERIFIED_PROGRAMMED || run->verdict[w].status == WS_VERIFIED_FIRMWARE)
			return CXLVAL_PASS;
	return CXLVAL_NOT_VERIFIED; /* nothing was proven: never a pass */
}

/* The one run; the fault path reaches it through kernel_on_fault. */
static struct run run;

static void summary_line(void *ctx, const char *text, size_t len)
{
	log_raw("%.*s", (int)len, text);
}

const struct report *kernel_report(void)
{
	return run.report.buf ? &run.report : NULL;
}

void kernel_on_fault(void)
{
	if (run.facts)
		phase_restore_on_fault(&run);
}

bool kernel_locate(uint64_t hpa, char *where, size_t cap)
{
	return run.facts && phase_touch_locate(&run, hpa, where, cap);
}


enum cxlval_status kernel_main(const struct fw_facts *facts)
{
	struct log_event ev;
	enum cxlval_status status;

	run.facts = facts;
	report_init(&run.report, facts->report_buf, facts->report_cap);
	run.report.run_name = facts->run_name;
	if (facts->report_buf && report_attach_log(&run.report))
		log_printf(LOG_WARN, "report.none", "no room for the report's log sink; log files only");
	apply_config(&run);
	run_findings_init(&run.findings);

	log_begin(&ev, LOG_INFO, "cxlval.start");
	log_str(&ev, "version", CXLVAL_VERSION);
	log_hex(&ev, "image_base", facts->image_base);
	log_hex(&ev, "image_size", facts->image_size);
	log_hex(&ev, "rsdp", facts->rsdp_phys);
	log_end(&ev);

	phase_firmware(&run);
	phase_acpi(&run);
	testhook_fault(&run, false);
	phase_map(&run);
	phase_paging(&run);
	if (run.have_cedt && run.have_mcfg) {
		paging_enter(&run); /* the CXL phases run on our page tables */
		run_cxl_phases(&run);
		paging_leave(&run);
	}
	window_verdicts_log(&run);
	phase_conflicts(&run);

	status = verdict(&run);

	log_set_phase("end");
	log_begin(&ev, status == CXLVAL_PASS ? LOG_INFO : LOG_ERROR, "cxlval.end");
	log_str(&ev, "verdict", cxlval_status_name(status));
	log_u64(&ev, "status", status);
	log_u64(&ev, "errors", log_count(LOG_ERROR));
	log_u64(&ev, "warnings", log_count(LOG_WARN));
	log_end(&ev);
	if (run.report.buf)
		report_write_summary(&run.report, summary_line, NULL);
	return status;
}
