// SPDX-License-Identifier: MIT
/*
 * Orchestration: one run, phase by phase (DESIGN.md §2). Each phase logs what
 * it found and what it could not trust; the worst finding decides the status.
 */
#include "core/kernel.h"

#include "core/fmt.h"
#include "core/log.h"
#include "core/config.h"
#include "core/platform.h"
#include "core/report.h"
#include "core/run.h"

#define CXLVAL_VERSION "0.1.0"

static void log_memmap(const struct fw_facts *facts)
{
	log_set_phase("firmware");
	for (size_t i = 0; i < facts->memmap_count; i++) {
		const struct fw_mem_desc *d = &facts->memmap[i];
		struct log_event ev;

		log_begin(&ev, LOG_INFO, "memmap.entry");
		log_u64(&ev, "index", i);
		log_str(&ev, "type", fw_mem_type_name(d->type));
		log_u64(&ev, "type_id", d->type);
		log_hex(&ev, "start", d->phys);
		log_hex(&ev, "end", d->phys + d->pages * FW_PAGE_SIZE - 1);
		log_u64(&ev, "pages", d->pages);
		log_hex(&ev, "attr", d->attr);
		log_bool(&ev, "soft_reserved", d->attr & FW_MEM_ATTR_SP);
		log_end(&ev);
	}
	log_printf(LOG_INFO, "memmap.summary", "%zu descriptors", facts->memmap_count);
}

void kernel_config(const struct fw_facts *facts, struct cxlval_config *cfg, struct diag_sink *sink)
{
	config_defaults(cfg);
	if (facts->config_text)
		config_parse(cfg, facts->config_text, facts->config_len, "cxlval.cfg", sink);
	if (facts->cmdline_lines)
		config_parse(cfg, facts->cmdline_lines, facts->cmdline_len, "command line", sink);
}

/* Who the machine is, for the report: SMBIOS BIOS, system and board strings. */
static void log_platform(struct run *run)
{
	const struct smbios_identity *id = &run->platform;
	const uint8_t *ep = run->facts->smbios_phys ? plat_phys_map(run->facts->smbios_phys, SMBIOS3_EP_LENGTH) : NULL;
	struct smbios_table_loc loc = { 0 };
	const uint8_t *table = NULL;
	struct log_event ev;
	char version[8];

	if (ep && smbios_entry_point(ep, ep[0] == '_' && ep[3] == '3' ? SMBIOS3_EP_LENGTH : SMBIOS2_EP_LENGTH, &loc,
				     &run->findings))
		table = plat_phys_map(loc.addr, loc.length);
	if (table)
		smbios_identity(table, loc.length, &run->platform, &run->findings);
	log_begin(&ev, table ? LOG_INFO : LOG_WARN, "platform.identity");
	log_bool(&ev, "smbios", table != NULL);
	fmt_snprintf(version, sizeof(version), "%u.%u", loc.major, loc.minor);
	log_str(&ev, "smbios_version", table ? version : "none");
	log_str(&ev, "sys_vendor", id->sys_vendor);
	log_str(&ev, "product_name", id->product_name);
	log_str(&ev, "product_version", id->product_version);
	log_str(&ev, "board_vendor", id->board_vendor);
	log_str(&ev, "board_name", id->board_name);
	log_str(&ev, "board_version", id->board_version);
	log_str(&ev, "bios_vendor", id->bios_vendor);
	log_str(&ev, "bios_version", id->bios_version);
	log_str(&ev, "bios_date", id->bios_date);
	log_end(&ev);
}

/* Config mistakes are logged like findings but do not count against the firmware. */
static void apply_config(struct run *run)
{
	static struct diag_sink config_sink;
	struct cxlval_config cfg;
	struct log_event ev;

	run_findings_init(&config_sink);
	kernel_config(run->facts, &cfg, &config_sink);
	run->destructive = cfg.destructive;
	run->restore_decoders = cfg.restore_decoders;
	run->quick_bytes = cfg.mode == CONFIG_FULL ? ~0ULL : (uint64_t)cfg.quick_mib << 20;
	run->timeout_ms = cfg.timeout_ms;
	run->windows = cfg.windows;
	run->fault_test = cfg.fault_test;
	run->cpus = cfg.cpus;
	run->bench = cfg.bench;
	run->program = cfg.program;
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
	log_u64(&ev, "errors", diag_errors(&config_sink));
	log_end(&ev);
}

void raise_test_fault(const struct run *run, bool in_touch)
{
#ifdef CXLVAL_TEST_HOOKS
	volatile uint64_t *unmapped = (volatile uint64_t *)0x7ffffffff000ULL;   /* canonical, above any RAM */
	volatile uint64_t *noncanonical = (volatile uint64_t *)0x8000000000000000ULL;

	if (in_touch != (run->fault_test == FAULT_PF_IN_TOUCH) || run->fault_test == FAULT_NONE)
		return;
	log_printf(LOG_WARN, "fault_test", "raising fault %d on purpose (test build)", run->fault_test);
	switch (run->fault_test) {
	case FAULT_UD: __asm__ volatile("ud2"); break;
	case FAULT_PF: case FAULT_PF_IN_TOUCH: (void)*unmapped; break;
	case FAULT_GP: (void)*noncanonical; break;
	default: break;
	}
#else
	(void)run;
	(void)in_touch;
#endif
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

static struct report report;

static void summary_line(void *ctx, const char *text, size_t len)
{
	log_raw("%.*s", (int)len, text);
}

const struct report *kernel_report(void)
{
	return report.buf ? &report : NULL;
}

static struct run run;

void kernel_on_fault(void)
{
	if (run.facts)
		phase_cxl_on_fault(&run);
}

enum cxlval_status kernel_main(const struct fw_facts *facts)
{
	struct log_event ev;
	enum cxlval_status status;

	run.facts = facts;
	report_init(&report, facts->report_buf, facts->report_cap);
	report.run_name = facts->run_name;
	if (facts->report_buf && report_attach_log(&report))
		log_printf(LOG_WARN, "report.none", "no room for the report's log sink; log files only");
	apply_config(&run);
	run_findings_init(&run.findings);

	log_begin(&ev, LOG_INFO, "cxlval.start");
	log_str(&ev, "version", CXLVAL_VERSION);
	log_hex(&ev, "image_base", facts->image_base);
	log_hex(&ev, "image_size", facts->image_size);
	log_hex(&ev, "rsdp", facts->rsdp_phys);
	log_end(&ev);

	log_memmap(facts);
	log_platform(&run);
	phase_acpi(&run);
	raise_test_fault(&run, false);
	phase_map_build(&run);
	phase_mm(&run);
	if (run.have_cedt && run.have_mcfg) {
		mm_enter(&run); /* the CXL phases run on our page tables */
		phase_cxl(&run);
		mm_leave(&run);
	}
	phase_map_report(&run);

	status = verdict(&run);

	log_set_phase("end");
	log_begin(&ev, status == CXLVAL_PASS ? LOG_INFO : LOG_ERROR, "cxlval.end");
	log_str(&ev, "verdict", cxlval_status_name(status));
	log_u64(&ev, "status", status);
	log_u64(&ev, "errors", log_count(LOG_ERROR));
	log_u64(&ev, "warnings", log_count(LOG_WARN));
	log_end(&ev);
	if (report.buf)
		report_write_summary(&report, summary_line, NULL);
	return status;
}
