// SPDX-License-Identifier: MIT
/* Phase "acpi": every table, then the CEDT and MCFG in full, findings as they come; then the window list. */
#include <string.h>

#include "core/log.h"
#include "core/run.h"
#include "lib/fmt.h"
#include "lib/platform.h"

static const enum log_level finding_level[] = { LOG_INFO, LOG_WARN, LOG_ERROR, LOG_ERROR };

static void log_finding(void *ctx, const struct diag *d)
{
	struct log_event ev;

	log_begin(&ev, finding_level[d->severity], "finding");
	diag_format(d, ev.msg, sizeof(ev.msg));
	log_str(&ev, "severity", diag_severity_name(d->severity));
	log_str(&ev, "rule", d->rule ? d->rule : "");
	log_str(&ev, "table", d->table ? d->table : "");
	if (d->index != DIAG_NO_INDEX)
		log_i64(&ev, "index", d->index);
	if (d->structure)
		log_str(&ev, "structure", d->structure);
	if (d->field)
		log_str(&ev, "field", d->field);
	if (d->offset != DIAG_NO_OFFSET)
		log_hex(&ev, "offset", d->offset);
	log_end(&ev);
}

void run_findings_init(struct diag_sink *sink)
{
	memset(sink, 0, sizeof(*sink));
	sink->emit = log_finding;
}

static const void *phys_map(void *ctx, uint64_t phys, uint64_t len)
{
	return plat_phys_map(phys, len);
}

/* A table with a good checksum is inventory: the files and the report, not the (slow) console. */
static void log_table(const struct acpi_table_info *t, const char *event, enum log_level ok_level)
{
	struct log_event ev;

	log_begin(&ev, t->checksum_ok ? ok_level : LOG_WARN, event);
	log_str(&ev, "signature", t->signature);
	log_hex(&ev, "address", t->phys);
	log_hex(&ev, "length", t->length);
	log_u64(&ev, "revision", t->revision);
	log_str(&ev, "oem_id", t->oem_id);
	log_str(&ev, "oem_table_id", t->oem_table_id);
	log_bool(&ev, "checksum_ok", t->checksum_ok);
	log_end(&ev);
}

static void log_chbs(const struct cedt_chbs *c)
{
	struct log_event ev;

	log_begin(&ev, c->at.valid ? LOG_INFO : LOG_WARN, "cedt.chbs");
	log_i64(&ev, "index", c->at.index);
	log_u64(&ev, "uid", c->uid);
	log_u64(&ev, "cxl_version", c->version);
	log_hex(&ev, "base", c->base);
	log_hex(&ev, "length", c->length);
	log_bool(&ev, "valid", c->at.valid);
	log_end(&ev);
}

static void log_cfmws(const struct cedt_cfmws *c)
{
	struct log_event ev;
	char targets[CEDT_MAX_TARGETS * 11 + 1] = "";
	size_t n = 0;

	for (unsigned i = 0; i < c->nr_targets; i++)
		n += (size_t)fmt_snprintf(targets + n, sizeof(targets) - n, i ? ",%u" : "%u", c->target_uid[i]);
	log_begin(&ev, c->at.valid ? LOG_INFO : LOG_WARN, "cedt.cfmws");
	log_i64(&ev, "index", c->at.index);
	log_hex(&ev, "resource", c->base);
	log_hex(&ev, "size", c->size);
	log_u64(&ev, "interleave_ways", c->ways);
	log_u64(&ev, "interleave_granularity", c->granularity);
	log_str(&ev, "arithmetic", c->arithmetic == CFMWS_ARITH_XOR ? "xor" : "modulo");
	log_hex(&ev, "restrictions", c->restrictions);
	log_u64(&ev, "qtg_id", c->qtg_id);
	log_str(&ev, "targets", targets);
	log_bool(&ev, "valid", c->at.valid);
	log_end(&ev);
}

static void log_cxims(const struct cedt_cxims *c)
{
	struct log_event ev;

	log_begin(&ev, c->at.valid ? LOG_INFO : LOG_WARN, "cedt.cxims");
	log_i64(&ev, "index", c->at.index);
	log_u64(&ev, "hbig", c->hbig);
	log_u64(&ev, "nr_xormaps", c->nr_xormaps);
	for (unsigned i = 0; i < c->nr_xormaps && i < CXIMS_MAX_XORMAPS; i++) {
		char key[12];

		fmt_snprintf(key, sizeof(key), "xormap%u", i);
		log_hex(&ev, key, c->xormap[i]);
	}
	log_bool(&ev, "valid", c->at.valid);
	log_end(&ev);
}

static void log_rdpas(const struct cedt_rdpas *r)
{
	struct log_event ev;

	log_begin(&ev, LOG_INFO, "cedt.rdpas");
	log_i64(&ev, "index", r->at.index);
	log_u64(&ev, "segment", r->segment);
	log_hex(&ev, "bdf", r->bdf);
	log_u64(&ev, "protocol", r->protocol);
	log_hex(&ev, "address", r->address);
	log_end(&ev);
}

static void log_cedt(const struct cedt *c)
{
	for (unsigned i = 0; i < c->nr_chbs; i++)
		log_chbs(&c->chbs[i]);
	for (unsigned i = 0; i < c->nr_cfmws; i++)
		log_cfmws(&c->cfmws[i]);
	for (unsigned i = 0; i < c->nr_cxims; i++)
		log_cxims(&c->cxims[i]);
	for (unsigned i = 0; i < c->nr_rdpas; i++)
		log_rdpas(&c->rdpas[i]);
}

static void parse_cedts(struct run *run)
{
	const struct acpi_table_info *t;

	for (unsigned n = 0; (t = acpi_find(&run->acpi, "CEDT", n)); n++) {
		struct cedt *c = n ? &run->cedt_extra : &run->cedt;
		const void *p = plat_phys_map(t->phys, t->length);

		if (n == 1)
			diag_report(&run->findings, DIAG_WARN, "CEDT", DIAG_NO_INDEX, NULL, NULL, DIAG_NO_OFFSET,
				    "cedt.duplicate", "more than one CEDT (another at 0x%llx); only the first is used",
				    (unsigned long long)t->phys);
		if (!p || cedt_parse(p, t->length, c, &run->findings))
			continue;
		log_printf(LOG_INFO, "cedt.table", "CEDT #%u at 0x%llx: %u structures (%u CHBS, %u CFMWS, %u CXIMS, "
			   "%u RDPAS)", n, (unsigned long long)t->phys, c->nr_structures, c->nr_chbs, c->nr_cfmws,
			   c->nr_cxims, c->nr_rdpas);
		log_cedt(c);
		if (!n)
			run->have_cedt = true;
	}
	if (!run->have_cedt)
		log_printf(LOG_WARN, "cedt.missing", "no CEDT: firmware describes no CXL host bridges or windows");
}

static void parse_mcfg(struct run *run)
{
	const struct acpi_table_info *t = acpi_find(&run->acpi, "MCFG", 0);
	const void *p = t ? plat_phys_map(t->phys, t->length) : NULL;

	if (!p || mcfg_parse(p, t->length, &run->mcfg, &run->findings)) {
		log_printf(LOG_WARN, "mcfg.missing", "no usable MCFG: PCIe config space (ECAM) cannot be reached");
		return;
	}
	run->have_mcfg = true;
	for (unsigned i = 0; i < run->mcfg.count; i++) {
		const struct mcfg_entry *e = &run->mcfg.entry[i];
		struct log_event ev;

		log_begin(&ev, e->valid ? LOG_INFO : LOG_WARN, "mcfg.entry");
		log_u64(&ev, "index", i);
		log_hex(&ev, "base", e->base);
		log_u64(&ev, "segment", e->segment);
		log_u64(&ev, "start_bus", e->start_bus);
		log_u64(&ev, "end_bus", e->end_bus);
		log_bool(&ev, "valid", e->valid);
		log_end(&ev);
	}
}

/* CXL host bridges as the namespace describes them: _UID and _BBN tie CHBS entries to PCI buses. */
static void scan_aml(struct run *run)
{
	for (size_t i = 0; i < run->acpi.count; i++) {
		const struct acpi_table_info *t = &run->acpi.table[i];
		const uint8_t *p;

		if (strcmp(t->signature, "DSDT") && strcmp(t->signature, "SSDT"))
			continue;
		p = plat_phys_map(t->phys, t->length);
		if (p)
			aml_find_cxl_host_bridges(p, t->length, run->aml_hb, &run->nr_aml_hb, AML_MAX_HOST_BRIDGES);
	}
	for (unsigned i = 0; i < run->nr_aml_hb; i++) {
		const struct aml_host_bridge *hb = &run->aml_hb[i];
		struct log_event ev;

		log_begin(&ev, hb->has_uid ? LOG_INFO : LOG_WARN, "acpi.cxl_host_bridge");
		if (hb->has_uid)
			log_u64(&ev, "uid", hb->uid);
		if (hb->has_bbn)
			log_u64(&ev, "bbn", hb->bbn);
		log_hex(&ev, "aml_offset", hb->offset);
		log_end(&ev);
	}
}

static void read_acpi(struct run *run)
{
	struct acpi_mem mem = { phys_map, NULL };
	struct log_event ev;

	if (!run->facts->rsdp_phys) {
		log_printf(LOG_ERROR, "acpi.rsdp", "firmware gave no ACPI RSDP");
		return;
	}
	if (acpi_read_tables(&mem, run->facts->rsdp_phys, &run->acpi, &run->findings))
		return;
	run->have_acpi = true;
	log_begin(&ev, LOG_INFO, "acpi.rsdp");
	log_hex(&ev, "address", run->acpi.rsdp.phys);
	log_u64(&ev, "revision", run->acpi.rsdp.revision);
	log_str(&ev, "oem_id", run->acpi.rsdp.oem_id);
	log_bool(&ev, "checksum_ok", run->acpi.rsdp.checksum_ok);
	log_bool(&ev, "ext_checksum_ok", run->acpi.rsdp.ext_checksum_ok);
	log_end(&ev);
	log_table(&run->acpi.root, "acpi.root", LOG_INFO);
	for (size_t i = 0; i < run->acpi.count; i++)
		log_table(&run->acpi.table[i], "acpi.table", LOG_DEBUG);
	parse_cedts(run);
	parse_mcfg(run);
	scan_aml(run);
}

/* The window list is built here, once: map, paging, planner and report read run->topo.windows. */
void phase_acpi(struct run *run)
{
	log_set_phase("acpi");
	cxl_topo_init(&run->topo);
	read_acpi(run);
	if (run->have_cedt)
		cxl_windows_from_cedt(&run->topo, &run->cedt);
}
