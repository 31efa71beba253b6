/* SPDX-License-Identifier: MIT */
/*
 * cxlval.cfg: "key = value" lines, '#' or ';' comments; the same keys as
 * "key=value" words on the UEFI shell command line, which override the file.
 * Every key is validated; a bad value is a finding that names the source,
 * the line, the key and the allowed values, and the default stays. The keys
 * are one table in config.c; docs/config.md documents them.
 */
#ifndef CXLVAL_CONFIG_H
#define CXLVAL_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/diag.h"

enum config_mode { CONFIG_QUICK, CONFIG_FULL };
/*
 * FAULT_PF_IN_TOUCH: a page fault after a region's decoders are committed, before it is touched.
 * FAULT_AP_HANG: CPU 1 never finishes its first touch step (the late-CPU path).
 * FAULT_SWAP_TARGETS: a real misrouting: the first interleaving port decoder's first two targets are
 *   swapped after the plan, before commit (every line reaches the other device; read-back cannot tell).
 * FAULT_RESTORE_SKEW: the sweep puts each line's saved data back one granule further on.
 * FAULT_HANG_IN_TOUCH: the boot CPU stops for good where a region's first touch would start (the log checkpoint).
 * FAULT_MC_IN_TOUCH: int 18 where FAULT_PF_IN_TOUCH faults: the #MC handler's path.
 */
enum config_fault { FAULT_NONE, FAULT_UD, FAULT_PF, FAULT_GP, FAULT_PF_IN_TOUCH, FAULT_AP_HANG,
		    FAULT_SWAP_TARGETS, FAULT_RESTORE_SKEW, FAULT_HANG_IN_TOUCH, FAULT_MC_IN_TOUCH };

/* cpus = 0 means all; more than the machine has is capped to what it has. */
#define CONFIG_MAX_CPUS 1024
/* What happens after the run on hardware; QEMU always leaves through isa-debug-exit. */
enum config_on_exit { ON_EXIT_RETURN, ON_EXIT_RESET, ON_EXIT_SHUTDOWN };
/*
 * Who programs decoders: auto verifies firmware's regions and programs only
 * windows firmware left free; never writes no decoder, global control or
 * DVSEC (a read-only audit); always programs what the planner can and leaves
 * firmware's regions to the audit alone, as cxlval did before it verified them.
 */
enum config_program { PROGRAM_AUTO, PROGRAM_NEVER, PROGRAM_ALWAYS };
/* Serial output: auto = only when the firmware console does not already reach a UART. */
enum config_serial { SERIAL_AUTO, SERIAL_ON, SERIAL_OFF };

/* Choice-valued fields are unsigned so the key table can store them all the same way. */
struct cxlval_config {
	unsigned mode;		  /* enum config_mode */
	bool destructive;
	bool restore_decoders;
	uint32_t quick_mib;	  /* granule-by-granule sweep per region in quick mode */
	uint32_t timeout_ms;	  /* every hardware poll */
	uint32_t windows;	  /* bit i: test CFMWS window i */
	unsigned verbosity;	  /* enum log_level: least level shown on console and serial */
	unsigned on_exit;	  /* enum config_on_exit */
	unsigned serial;	  /* enum config_serial */
	unsigned serial_port;	  /* I/O port of the UART */
	unsigned serial_baud;
	uint32_t watchdog_s;	  /* UEFI watchdog for the whole run */
	uint32_t cpus;		  /* CPUs that touch memory; 0: all */
	unsigned program;	  /* enum config_program */
	bool crosscheck_firmware; /* per-device cross-check of firmware's unlocked regions (writes decoders) */
	bool bench;		  /* also time a raw rep-stosq fill + read of each region (destructive only) */
	unsigned fault_test;	  /* enum config_fault; test builds only (-DCXLVAL_TEST_HOOKS) */
};

void config_defaults(struct cxlval_config *cfg);

/* Applies a file's text over cfg; findings use source as the table name, the line as index. */
void config_parse(struct cxlval_config *cfg, const char *text, size_t len, const char *source,
		  struct diag_sink *sink);

/*
 * The UEFI shell's LoadOptions (UCS-2: "cxlval.efi mode=full windows=0") as
 * config lines: every word after the first becomes one line. Options that are
 * not printable UCS-2 text (a boot manager's binary data) give no lines.
 * Returns the length written to out (NUL-terminated), 0 when there is nothing.
 */
size_t config_cmdline_lines(const uint16_t *opts, size_t bytes, char *out, size_t cap);

/* The i-th key's name, NULL past the last: lets tests prove every key is covered. */
const char *config_key_name(unsigned i);

/* Names for the log and the report. */
const char *config_choice_name(const char *key, unsigned value);

#endif
