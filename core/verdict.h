/* SPDX-License-Identifier: MIT */
/*
 * The per-window verdict (event "window.verdict", docs/log.md): for every
 * CFMWS window, whether its memory was proven by touch, by whom the region
 * was built, or the stable reason it was not verified. A run that verified
 * no window ends not_verified (6), never pass.
 */
#ifndef CXLVAL_VERDICT_H
#define CXLVAL_VERDICT_H

#include <stdbool.h>

#include "cxl/topology.h"

#define RUN_MAX_WINDOWS CXL_MAX_WINDOWS

enum window_status { WS_NOT_VERIFIED, WS_VERIFIED_PROGRAMMED, WS_VERIFIED_FIRMWARE, WS_FAILED };
enum window_owner { WO_NONE, WO_FIRMWARE, WO_CXLVAL };

struct window_verdict {
	enum window_status status;
	enum window_owner owner;
	const char *reason; /* stable id; "" once verified */
	bool has_region;    /* the region is named regionN after the window */
};

/* Sets one window's verdict (reason NULL: none); out-of-range windows are ignored. */
void verdict_set(struct window_verdict *v, unsigned w, enum window_status status, enum window_owner owner,
		 const char *reason, bool has_region);

const char *window_status_name(enum window_status s);
const char *window_owner_name(enum window_owner o);

#endif
