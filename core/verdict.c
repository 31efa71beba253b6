// SPDX-License-Identifier: MIT
/* The per-window verdict (core/verdict.h). */
#include "core/verdict.h"

void verdict_set(struct window_verdict *v, unsigned w, enum window_status status, enum window_owner owner,
		 const char *reason, bool has_region)
{
	if (w >= RUN_MAX_WINDOWS)
		return;
	v[w] = (struct window_verdict){ status, owner, reason ? reason : "", has_region };
}

const char *window_status_name(enum window_status s)
{
	static const char *const names[] = { "not_verified", "verified_programmed", "verified_firmware", "failed" };

	return s <= WS_FAILED ? names[s] : "unknown";
}

const char *window_owner_name(enum window_owner o)
{
	static const char *const names[] = { "none", "firmware", "cxlval" };

	return o <= WO_CXLVAL ? names[o] : "unknown";
}
