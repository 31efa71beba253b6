// SPDX-License-Identifier: MIT
/*
 * Orchestration: one run, phase by phase (DESIGN.md §2). Each phase logs what
 * it found and what it could not trust; the worst finding decides the status.
 */
#include "core/kernel.h"

#include "core/log.h"
#include "core/config.h"
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

/* Config mistakes are logged like findings but do not count against the firmware. */
static void apply_config(struct run *run)
{
	static struct diag_sink config_sink;
	struct cxlval_config cfg;
	struct log_event ev;

	config_defaults(&cfg);
	run_findings_init(&config_sink);
	if (run->facts->config_text)
		config_parse(&cfg, run->facts->config_text, run->facts->config_len, "cxlval.cfg", &config_sink);
	run->destructive = cfg.destructive;
	run->restore_decoders = cfg.restore_decoders;
	run->quick_bytes = cfg.mode == CONFIG_FULL ? ~0ULL : (uint64_t)cfg.quick_mib << 20;
	run->timeout_ms = cfg.timeout_ms;
	run->windows = cfg.windows;
	run->fault_test = cfg.fault_test;
	run->cpus = cfg.cpus;
	run->bench = cfg.bench;
	log_begin(&ev, LOG_INFO, "config");
	log_bool(&ev, "from_file", run->facts->config_text != NULL);
	log_str(&ev, "mode", cfg.mode == CONFIG_FULL ? "full" : "quick");
	log_bool(&ev, "destructive", cfg.destructive);
	log_bool(&ev, "restore_decoders", cfg.restore_decoders);
	log_u64(&ev, "quick_mib", cfg.quick_mib);
	log_u64(&ev, "timeout_ms", cfg.timeout_ms);
	log_hex(&ev, "windows", cfg.windows);
	log_u64(&ev, "cpus", cfg.cpus);
	log_bool(&ev, "bench", cfg.bench);
	log_u64(&ev, "errors", diag_errors(&config_sink));
	log_end(&ev);
}

/* Test builds only: prove that a fault in the middle of a run still leaves a register dump in the log. */
static void raise_test_fault(const struct run *run)
{
#ifdef CXLVAL_TEST_HOOKS
	volatile uint64_t *unmapped = (volatile uint64_t *)0x7ffffffff000ULL;   /* canonical, above any RAM */
	volatile uint64_t *noncanonical = (volatile uint64_t *)0x8000000000000000ULL;

	log_printf(LOG_WARN, "fault_test", "raising fault %d on purpose (test build)", run->fault_test);
	switch (run->fault_test) {
	case FAULT_UD: __asm__ volatile("ud2"); break;
	case FAULT_PF: (void)*unmapped; break;
	case FAULT_GP: (void)*noncanonical; break;
	default: break;
	}
#else
	(void)run;
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
	if (!run->have_acpi)
		return CXLVAL_TOOL_ERROR;
	return CXLVAL_PASS;
}

enum cxlval_status kernel_main(const struct fw_facts *facts)
{
	static struct run run;
	struct log_event ev;
	enum cxlval_status status;

	run.facts = facts;
	apply_config(&run);
	run_findings_init(&run.findings);

	log_begin(&ev, LOG_INFO, "cxlval.start");
	log_str(&ev, "version", CXLVAL_VERSION);
	log_hex(&ev, "image_base", facts->image_base);
	log_hex(&ev, "image_size", facts->image_size);
	log_hex(&ev, "rsdp", facts->rsdp_phys);
	log_end(&ev);

	log_memmap(facts);
	phase_acpi(&run);
	raise_test_fault(&run);
	phase_map_build(&run);
	if (run.have_cedt && run.have_mcfg)
		phase_cxl(&run);
	phase_map_report(&run);

	status = verdict(&run);

	log_set_phase("end");
	log_begin(&ev, status == CXLVAL_PASS ? LOG_INFO : LOG_ERROR, "cxlval.end");
	log_str(&ev, "verdict", cxlval_status_name(status));
	log_u64(&ev, "status", status);
	log_u64(&ev, "errors", log_count(LOG_ERROR));
	log_u64(&ev, "warnings", log_count(LOG_WARN));
	log_end(&ev);
	return status;
}
