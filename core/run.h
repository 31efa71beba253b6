/* SPDX-License-Identifier: MIT */
/*
 * What one run learned, phase by phase; later phases read what earlier ones
 * found. All run state lives here (no phase keeps file-scope state):
 * kernel_main.c owns the one instance, and the fault path reaches it from
 * there. One file per phase, named as the log names the phase:
 *   phase_firmware.c  "firmware"  memory map, SMBIOS identity
 *   phase_acpi.c      "acpi"      tables, CEDT, MCFG, namespace; the window list
 *   phase_map.c       "map"       the address map (core/scratch.c: scratch pages)
 *   phase_paging.c    "paging"    memory types, firmware's page tables and ours
 *   phase_topology.c  "topology"  the CXL tree
 *   phase_fwregion.c  "audit"     firmware's regions: audited, touched without a decoder write, read back;
 *                     "verdict"   one verdict per window (core/verdict.c)
 *   phase_plan.c      "plan"      a region per window
 *   phase_program.c   "program"   decoders of one region committed
 *   phase_touch.c     "touch"     one region touched and cross-checked (core/touch_exec.c drives the CPUs)
 *   phase_restore.c   "restore"   decoders back as firmware left them
 *   phase_conflicts.c "conflicts" firmware ranges in conflict with windows and regions
 */
#ifndef CXLVAL_RUN_H
#define CXLVAL_RUN_H

#include "acpi/acpi.h"
#include "acpi/cedt.h"
#include "acpi/dsdt.h"
#include "acpi/mcfg.h"
#include "core/progress.h"
#include "core/report.h"
#include "core/smbios.h"
#include "core/verdict.h"
#include "cxl/discover.h"
#include "cxl/fwregion.h"
#include "cxl/hdm.h"
#include "cxl/planner.h"
#include "cxl/topology.h"
#include "lib/diag.h"
#include "lib/firmware.h"
#include "mm/addrmap.h"
#include "mm/conflict.h"
#include "mm/frame_alloc.h"
#include "mm/memtype.h"
#include "mm/pagetable.h"
#include "mm/regiontype.h"
#include "touch/touch.h"

#define RUN_MAP_CAPACITY 4096
#define RUN_SCRATCH_EXTENTS 64
#define RUN_TOUCH_MAX_CPUS 64
#define RUN_XCHECK_OFFSETS (TOUCH_MAX_PROBES + 256)
#define RUN_POISON_LINES 4096 /* more poisoned lines in one region: it is not touched */

/* Phase "paging": one CXL window's memory types and mappings. */
struct window_paging {
	uint64_t base, size;
	uint16_t mtrr_types; /* type bits of the MTRR pieces */
	struct pt_summary fw, ours;
};

struct run_paging {
	struct mtrr_state mtrr;
	struct pt_builder ours;
	struct pt_ops ops;
	struct pt_summary fw_all;
	struct window_paging win[CXL_MAX_WINDOWS]; /* win[i] is run->topo.windows[i] */
	unsigned levels;
	uint64_t fw_root, our_pat;
	bool built, active;
};

/* The touch engine driven on the CPUs (core/touch_exec.c). */
struct run_touch {
	struct touch_worker workers[RUN_TOUCH_MAX_CPUS];
	uint64_t probes[TOUCH_MAX_PROBES];
	uint8_t *save_area;
	bool method_logged;
	struct progress sweep_progress;
	uint64_t xcheck_offsets[RUN_XCHECK_OFFSETS]; /* phase "touch": the cross-check's samples */
	uint64_t poison_lines[RUN_POISON_LINES];      /* phase "touch": the region's poisoned lines, sorted HPAs */
	size_t nr_poison_lines;
};

/* Firmware's regions (core/phase_fwregion.c): as reconstructed, and how the memory map types each. */
struct run_fwregion {
	struct fwregions fr;
	struct region_typing_result typing[FWREGION_MAX];
};

struct run {
	const struct fw_facts *facts;
	struct diag_sink findings; /* logs every finding as it is made */
	struct diag_sink config_findings; /* config mistakes: logged, not counted against firmware */
	struct report report; /* report.buf NULL: no report */
	struct acpi_tables acpi;
	bool have_acpi;
	struct cedt cedt; /* the first CEDT; further ones are parsed, reported, not used */
	bool have_cedt;
	struct cedt cedt_extra; /* where further CEDTs are parsed */
	struct mcfg mcfg;
	bool have_mcfg;
	struct smbios_identity platform; /* empty strings where SMBIOS said nothing */
	struct aml_host_bridge aml_hb[AML_MAX_HOST_BRIDGES]; /* ACPI0016 devices in DSDT/SSDTs */
	unsigned nr_aml_hb;
	bool prm_address_translation; /* the PRMT has AMD's CXL address translation handler */

	/* settings */
	bool destructive;	/* leave tags in memory instead of restoring the data */
	bool restore_decoders;	/* put decoders back as firmware left them */
	uint64_t quick_bytes;	/* granule-by-granule sweep per region */
	uint32_t timeout_ms;	/* hardware polls */
	uint32_t windows;	/* bit i: window i is tested */
	int fault_test;		/* enum config_fault; test builds only (core/testhooks.c) */
	uint32_t cpus;		/* CPUs that touch memory; 0: all */
	bool bench;		/* time a raw fill + read beside the touch engine */
	unsigned program;	/* enum config_program: who may write decoders */
	bool crosscheck_firmware; /* cross-check firmware's unlocked regions, then put its registers back */

	/*
	 * The CXL model. Its windows (topo.windows, the valid CFMWS in CEDT
	 * order) are built once, at the end of phase "acpi"; map, paging,
	 * planner and report read them from here. Phase "topology" adds the rest.
	 */
	struct cxl_topology topo;
	struct cxl_hw hw;
	struct region_plan plans[CXL_MAX_WINDOWS]; /* plans[w]: the region planned in window w */
	struct hdm_driver drv;
	bool drv_ready; /* drv describes this run: the fault handler may restore through it */

	struct addrmap map;
	struct map_range map_storage[RUN_MAP_CAPACITY];
	struct frame_alloc scratch; /* never over a window, region, MMIO or a range firmware kept */
	struct extent scratch_pool[RUN_SCRATCH_EXTENTS], scratch_free[RUN_SCRATCH_EXTENTS];
	struct conflict_report conflict_report;
	struct run_paging paging;
	struct run_touch touch;
	struct run_fwregion fw;

	/* outcome */
	bool routing_failed;
	unsigned cpus_late; /* CPUs that did not finish their slice: part of a region is unverified */
	unsigned conflicts;
	unsigned nr_windows; /* CFMWS windows the verdicts speak for */
	struct window_verdict verdict[RUN_MAX_WINDOWS];
};

/* A diag sink that logs each finding as an event "finding". */
void run_findings_init(struct diag_sink *sink);

/* The cxl-cli region number of the region planned in window w (core/phase_plan.c). */
unsigned run_region_id(const struct run *run, unsigned w);
/* Field "region": "region<id>", by which the report groups a region's events. */
struct log_event;
void run_log_region(struct log_event *ev, unsigned region);

/* Phase "firmware": the memory map and who the machine is (SMBIOS). */
void phase_firmware(struct run *run);

/* Phase "acpi": tables, CEDT, MCFG, namespace; then the window list (run->topo.windows). */
void phase_acpi(struct run *run);

/* Phase "map": the address map before anything is programmed. */
void phase_map(struct run *run);
bool map_firmware_owned(const struct run *run, uint64_t start, uint64_t size);

/* Scratch memory (core/scratch.c): the pool from firmware's LoaderData pages, then frames from it, or NULL. */
void scratch_give(struct run *run);
void *scratch_alloc(struct run *run, uint64_t size, const char *what);

/* Phase "paging": memory types, firmware's page tables, ours; paging_enter/paging_leave load and unload ours. */
void phase_paging(struct run *run);
void paging_region(struct run *run, unsigned region, uint64_t base, uint64_t size);
void paging_enter(struct run *run);
void paging_leave(struct run *run);

/* Phases "topology" .. "restore" with firmware's regions and the window verdicts (core/cxl_phases.c). */
void run_cxl_phases(struct run *run);

/* Phase "topology": discovery; false when there is no usable CXL host bridge. */
bool phase_topology(struct run *run);
/* Phase "plan": a region per window, and the driver that will program them. */
void phase_plan(struct run *run);
/* Phase "program": commit the decoders of the region planned in window w; false if that failed. */
bool phase_program(struct run *run, unsigned w);
/* Phase "touch": touch and cross-check the region planned in window w; its verdict (core/verdict.h). */
enum window_status phase_touch(struct run *run, unsigned w);
/* Touch one region against its plan and log the result; false when a line failed (core/phase_touch.c). */
bool touch_region(struct run *run, unsigned r, const struct region_plan *p);
/* The per-device cross-check of one committed region, logged; false on a mismatch (core/phase_touch.c). */
bool cross_check(struct run *run, unsigned r, const struct region_plan *p);

/*
 * Firmware's regions (core/phase_fwregion.c): audit them after discovery,
 * verify them by touch without writing a decoder, prove at the end that no
 * register firmware set changed, and log one verdict per window.
 */
void fwregion_audit(struct run *run);
bool fwregion_holds_window(const struct run *run, unsigned w);
void fwregion_verify(struct run *run);
void fwregion_readback(const struct run *run);
void window_verdicts_log(struct run *run);
/* Phase "restore": decoders back as firmware left them. */
void phase_restore(struct run *run);
/* After a CPU exception: saved data of an open touch round, then decoders, back. */
void phase_restore_on_fault(struct run *run);
/* Phase "conflicts": firmware ranges in conflict with windows and regions (regions are in the map by now). */
void phase_conflicts(struct run *run);

/* Touch one region on the CPUs (core/touch_exec.c): probes, then the sweep; -1 for an invalid plan. */
int touch_execute(struct run *run, unsigned region, const struct touch_plan *tp, struct touch_result *res);
/* Where the plan puts an HPA ("region0 mem1 DPA 0x1000"), for the #MC handler; false if no region holds it. */
bool phase_touch_locate(const struct run *run, uint64_t hpa, char *where, size_t cap);

/* From the fault handler: put back the data of a touch round the boot CPU left open. */
void touch_on_fault(struct run *run);

/* Test builds only (core/testhooks.c): raise the configured exception at that point of the run. */
void testhook_fault(const struct run *run, bool in_touch);
/* Test builds only: the configured fault_test makes a CPU of this sweep hang. */
bool testhook_ap_hang(const struct run *run);
/* Test builds only: swap_targets misroutes the region planned in a window just before its commit. */
void testhook_before_commit(const struct run *run, struct region_plan *p);
/* Test builds only: restore_skew, how many bytes past its place the sweep restores each line's data. */
uint64_t testhook_restore_skew(const struct run *run, uint64_t granule);
/* Test builds only: fault_test = hang_in_touch stops the boot CPU here for good. */
void testhook_hang(const struct run *run);

#endif
