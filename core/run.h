/* SPDX-License-Identifier: MIT */
/* What one run learned, phase by phase; later phases read what earlier ones found. */
#ifndef CXLVAL_RUN_H
#define CXLVAL_RUN_H

#include "acpi/acpi.h"
#include "acpi/cedt.h"
#include "acpi/dsdt.h"
#include "acpi/mcfg.h"
#include "core/diag.h"
#include "core/firmware.h"
#include "core/smbios.h"
#include "core/verdict.h"
#include "mm/addrmap.h"
#include "mm/frame_alloc.h"

struct run {
	const struct fw_facts *facts;
	struct diag_sink findings; /* logs every finding as it is made */
	struct acpi_tables acpi;
	bool have_acpi;
	struct cedt cedt; /* the first CEDT; further ones are parsed, reported, not used */
	bool have_cedt;
	struct mcfg mcfg;
	bool have_mcfg;
	struct smbios_identity platform; /* empty strings where SMBIOS said nothing */
	struct aml_host_bridge aml_hb[AML_MAX_HOST_BRIDGES]; /* ACPI0016 devices in DSDT/SSDTs */
	unsigned nr_aml_hb;

	/* settings */
	bool destructive;	/* leave tags in memory instead of restoring the data */
	bool restore_decoders;	/* put decoders back as firmware left them */
	uint64_t quick_bytes;	/* granule-by-granule sweep per region */
	uint32_t timeout_ms;	/* hardware polls */
	uint32_t windows;	/* bit i: window i is tested */
	int fault_test;		/* enum config_fault; test builds only */
	uint32_t cpus;		/* CPUs that touch memory; 0: all */
	bool bench;		/* time a raw fill + read beside the touch engine */
	unsigned program;	/* enum config_program: who may write decoders */

	struct addrmap map;
	struct frame_alloc scratch; /* never over a window, region, MMIO or a range firmware kept */

	/* outcome */
	bool routing_failed;
	unsigned cpus_late; /* CPUs that did not finish their slice: part of a region is unverified */
	unsigned conflicts;
	unsigned nr_windows; /* CFMWS windows the verdicts speak for */
	struct window_verdict verdict[RUN_MAX_WINDOWS];
};

/* A diag sink that logs each finding as an event "finding". */
void run_findings_init(struct diag_sink *sink);

/* Phase "acpi": tables, CEDT, MCFG. */
void phase_acpi(struct run *run);

/* Phase "map": the address map before anything is programmed; conflicts at the end. */
void phase_map_build(struct run *run);
void phase_map_report(struct run *run);
bool map_firmware_owned(const struct run *run, uint64_t start, uint64_t size);
/* Scratch memory from the frame allocator, or NULL. */
void *scratch_alloc(struct run *run, uint64_t size, const char *what);

/* Phase "paging": memory types, firmware's page tables, ours; mm_enter/mm_leave load and unload ours. */
void phase_mm(struct run *run);
void mm_region(struct run *run, unsigned region, uint64_t base, uint64_t size);
void mm_enter(struct run *run);
void mm_leave(struct run *run);
/* Touch one region (core/phase_touch.c): probes, then the sweep on every CPU; -1 for an invalid plan. */
struct touch_plan;
struct touch_result;
int touch_execute(struct run *run, unsigned r, const struct touch_plan *tp, struct touch_result *res);
/* From the fault handler: put back the data of a touch round the boot CPU left open. */
void touch_on_fault(void);

/* Touch one region against its plan, log the result; false when a line failed (core/phase_cxl.c). */
struct region_plan;
bool touch_region(struct run *run, unsigned r, const struct region_plan *p);

/*
 * Firmware's regions (core/phase_fwregion.c): audit them after discovery,
 * verify them by touch without writing a decoder, prove at the end that no
 * decoder firmware committed changed, and log one verdict per window.
 */
struct cxl_topology;
struct cxl_hw;
void fwregion_audit(struct run *run, const struct cxl_topology *topo);
bool fwregion_holds_window(unsigned w);
void fwregion_verify(struct run *run, const struct cxl_topology *topo);
void fwregion_readback(const struct run *run, const struct cxl_topology *topo, const struct cxl_hw *hw);
void window_verdicts_log(struct run *run, const struct cxl_topology *topo);

/* Phases "topology" .. "restore": discover, plan, program, touch, restore. */
void phase_cxl(struct run *run);
/* After a CPU exception: put decoders back if this run changed any. */
void phase_cxl_on_fault(struct run *run);

/* Test builds only: raise the configured exception at that point of the run. */
void raise_test_fault(const struct run *run, bool in_touch);

#endif
