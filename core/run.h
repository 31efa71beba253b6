/* SPDX-License-Identifier: MIT */
/* What one run learned, phase by phase; later phases read what earlier ones found. */
#ifndef CXLVAL_RUN_H
#define CXLVAL_RUN_H

#include "acpi/acpi.h"
#include "acpi/cedt.h"
#include "acpi/mcfg.h"
#include "core/diag.h"
#include "core/firmware.h"

struct run {
	const struct fw_facts *facts;
	struct diag_sink findings; /* logs every finding as it is made */
	struct acpi_tables acpi;
	bool have_acpi;
	struct cedt cedt; /* the first CEDT; further ones are parsed, reported, not used */
	bool have_cedt;
	struct mcfg mcfg;
	bool have_mcfg;
};

/* A diag sink that logs each finding as an event "finding". */
void run_findings_init(struct diag_sink *sink);

/* Phase "acpi": tables, CEDT, MCFG. */
void phase_acpi(struct run *run);

#endif
