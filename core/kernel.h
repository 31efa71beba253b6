/* SPDX-License-Identifier: MIT */
#ifndef CXLVAL_KERNEL_H
#define CXLVAL_KERNEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

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

/* From the #MC handler: where the plan puts an HPA ("region0 mem1 DPA 0x1000"); false if nowhere. */
bool kernel_locate(uint64_t hpa, char *where, size_t cap);

/* Runs every phase on the captured firmware facts; returns the exit status. */
enum cxlval_status kernel_main(const struct fw_facts *facts);

#endif
