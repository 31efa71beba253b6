/* SPDX-License-Identifier: MIT */
/*
 * A progress line for long phases: percentage, rate and time left, on the
 * console and serial only (plain text, one line per step, no cursor tricks:
 * serial-over-LAN consoles show control sequences as garbage). Pure: the
 * caller passes the time, so the host tests are exact.
 */
#ifndef CXLVAL_PROGRESS_H
#define CXLVAL_PROGRESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PROGRESS_STEP_PCT 10
#define PROGRESS_MIN_NS 1000000000ULL /* at most one line a second */

struct progress {
	char what[32];
	uint64_t total, unit_bytes; /* work items, and bytes each covers (0: the rate is items per second) */
	uint64_t start_ns, last_ns;
	unsigned next_pct;
	bool printed;
};

void progress_start(struct progress *p, const char *what, uint64_t total, uint64_t unit_bytes, uint64_t now_ns);
/*
 * True with a line in buf when one is due: every PROGRESS_STEP_PCT percent
 * but not more often than PROGRESS_MIN_NS, and at 100 % when an earlier line
 * was printed (a short phase prints nothing).
 */
bool progress_step(struct progress *p, uint64_t done, uint64_t now_ns, char *buf, size_t cap);

#endif
