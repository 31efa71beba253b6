/* SPDX-License-Identifier: MIT */
/*
 * cxlval.cfg: "key = value" lines, '#' or ';' comments. Every key is
 * validated; a bad value is a finding that names the line, the key and the
 * allowed values, and the default stays. Documented in docs/config.md.
 */
#ifndef CXLVAL_CONFIG_H
#define CXLVAL_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/diag.h"

/* cpus = 0 means all; more than the machine has is capped to what it has. */
#define CONFIG_MAX_CPUS 1024

enum config_mode { CONFIG_QUICK, CONFIG_FULL };
/* ap_hang: CPU 1 never finishes its first touch step (the late-CPU path). */
enum config_fault { FAULT_NONE, FAULT_UD, FAULT_PF, FAULT_GP, FAULT_AP_HANG };

struct cxlval_config {
	enum config_mode mode;
	bool destructive;
	bool restore_decoders;
	uint32_t quick_mib;  /* granule-by-granule sweep per region in quick mode */
	uint32_t timeout_ms; /* every hardware poll */
	uint32_t windows;    /* bit i: test CFMWS window i */
	uint32_t cpus;	     /* CPUs that touch memory; 0: all */
	bool bench;	     /* also time a raw rep-stosq fill + read of each region (destructive only) */
	enum config_fault fault_test; /* test builds only (-DCXLVAL_TEST_HOOKS): raise this exception */
};

void config_defaults(struct cxlval_config *cfg);

/* Applies a file's text over cfg; findings use source as the table name, the line as index. */
void config_parse(struct cxlval_config *cfg, const char *text, size_t len, const char *source,
		  struct diag_sink *sink);

#endif
