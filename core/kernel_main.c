// SPDX-License-Identifier: MIT
/*
 * Orchestration: one run, phase by phase (DESIGN.md §2). Each phase logs what
 * it found and what it could not trust; the worst finding decides the status.
 */
#include "core/kernel.h"

#include "core/log.h"
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

/* The worst finding decides: bad tables outrank a pass, tool errors outrank both. */
static enum cxlval_status verdict(const struct run *run)
{
	if (run->routing_failed)
		return CXLVAL_ROUTING_FAILURE;
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
	run.restore_decoders = true;
	run.quick_bytes = 16ULL << 20;
	run_findings_init(&run.findings);

	log_begin(&ev, LOG_INFO, "cxlval.start");
	log_str(&ev, "version", CXLVAL_VERSION);
	log_hex(&ev, "image_base", facts->image_base);
	log_hex(&ev, "image_size", facts->image_size);
	log_hex(&ev, "rsdp", facts->rsdp_phys);
	log_end(&ev);

	log_memmap(facts);
	phase_acpi(&run);
	if (run.have_cedt && run.have_mcfg)
		phase_cxl(&run);

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
