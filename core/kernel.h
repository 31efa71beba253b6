/* SPDX-License-Identifier: MIT */
#ifndef CXLVAL_KERNEL_H
#define CXLVAL_KERNEL_H

#include "lib/firmware.h"
#include "lib/status.h"

struct cxlval_config;
struct diag_sink;
struct report;

/* Defaults, then cxlval.cfg, then the command line (which wins). */
void kernel_config(const struct fw_facts *facts, struct cxlval_config *cfg, struct diag_sink *sink);

/* The run's report, for the boot side to write out (also after a fault). */
const struct report *kernel_report(void);

/* From the exception handler: undo what can be undone (decoders) before the run ends. */
void kernel_on_fault(void);

/* Runs every phase on the captured firmware facts; returns the exit status. */
enum cxlval_status kernel_main(const struct fw_facts *facts);

#endif
