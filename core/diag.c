// SPDX-License-Identifier: MIT
#include "core/diag.h"

#include <stdarg.h>
#include <string.h>

#include "core/fmt.h"

void diag_report(struct diag_sink *sink, enum diag_severity sev, const char *table, int index,
		 const char *structure, const char *field, uint32_t offset, const char *rule,
		 const char *fmt, ...)
{
	struct diag d;
	va_list ap;

	if (!sink)
		return;
	memset(&d, 0, sizeof(d));
	d.severity = sev;
	d.table = table;
	d.index = index;
	d.structure = structure;
	d.field = field;
	d.offset = offset;
	d.rule = rule;
	va_start(ap, fmt);
	fmt_vsnprintf(d.message, sizeof(d.message), fmt, ap);
	va_end(ap);
	if (sev <= DIAG_FATAL)
		sink->count[sev]++;
	if (sink->emit)
		sink->emit(sink->ctx, &d);
}

const char *diag_severity_name(enum diag_severity sev)
{
	static const char *const names[] = { "info", "warning", "error", "fatal" };

	return sev <= DIAG_FATAL ? names[sev] : "unknown";
}
