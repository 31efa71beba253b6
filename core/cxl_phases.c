// SPDX-License-Identifier: MIT
/*
 * Phases "topology" .. "restore", window by window, and who proved what:
 * firmware's regions are audited and verified first (core/phase_fwregion.c),
 * then cxlval programs and touches the windows firmware left free (program
 * = auto), none (never) or every one it can (always); each window ends with
 * a verdict (core/verdict.h).
 */
#include "core/config.h"
#include "core/log.h"
#include "core/run.h"

/* A window cxlval may program: planned, selected, not firmware's (auto), and programming allowed. */
static bool programmable(struct run *r, unsigned w)
{
	const char *why = NULL, *what = NULL;

	if (r->plans[w].reason != PLAN_OK || (fwregion_holds_window(r, w) && r->program != PROGRAM_ALWAYS))
		return false;
	if (!(r->windows & (1U << (w & 31)))) {
		why = "not_selected";
		what = "not selected by 'windows' in the config";
	} else if (r->program == PROGRAM_NEVER) {
		why = "program_never";
		what = "program = never, nothing is programmed";
	}
	if (why) {
		log_printf(LOG_INFO, "region.skipped", "window %u: %s", w, what);
		verdict_set(r->verdict, w, WS_NOT_VERIFIED, WO_NONE, why, false);
	}
	return !why;
}

/*
 * Phases "topology" .. "restore", on our page tables. Firmware's regions are
 * audited and verified first; then program and touch run region by region;
 * a region is numbered by run_region_id (region0 is window 0 today, as the
 * log of every topology shows).
 */
void run_cxl_phases(struct run *r)
{
	if (!phase_topology(r))
		return;
	fwregion_audit(r);
	phase_plan(r);
	for (unsigned w = 0; w < r->topo.nr_windows; w++) {
		enum plan_reason why = r->plans[w].reason;

		verdict_set(r->verdict, w, WS_NOT_VERIFIED,
			    why == PLAN_FIRMWARE_DECODER || why == PLAN_LOCKED_DECODER ? WO_FIRMWARE : WO_NONE,
			    why == PLAN_OK ? "planned" : plan_reason_id(why), false);
	}
	fwregion_verify(r);
	for (unsigned w = 0; w < r->topo.nr_windows; w++) {
		enum window_status s;

		if (!programmable(r, w))
			continue;
		if (!phase_program(r, w)) {
			verdict_set(r->verdict, w, WS_FAILED, WO_CXLVAL, "commit_failed", false);
			continue;
		}
		s = phase_touch(r, w);
		verdict_set(r->verdict, w, s, WO_CXLVAL,
			    s == WS_FAILED ? "misrouted" : s == WS_NOT_VERIFIED ? "firmware_memory" : "", true);
	}
	phase_restore(r);
	fwregion_readback(r);
}
