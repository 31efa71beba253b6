/* SPDX-License-Identifier: MIT */
/* Exit statuses (../shared/DESIGN.md §7). Documented in README.md; keep them in sync. */
#ifndef CXLVAL_STATUS_H
#define CXLVAL_STATUS_H

enum cxlval_status {
	CXLVAL_PASS = 0,
	CXLVAL_ROUTING_FAILURE = 1,
	CXLVAL_FIRMWARE_CONFLICT = 2,
	CXLVAL_BAD_FIRMWARE_TABLES = 3,
	CXLVAL_TOOL_ERROR = 4,
	CXLVAL_EXCEPTION = 5,
	CXLVAL_NOT_VERIFIED = 6, /* no CFMWS window was verified: nothing to call a pass */
};

const char *cxlval_status_name(enum cxlval_status s);

#endif
