// SPDX-License-Identifier: MIT
#include "lib/diag.h"

#include <stdarg.h>
#include <string.h>

#include "lib/fmt.h"

void diag_report(struct diag_sink *sink, enum diag_severity sev, const char *table, int index,
		 const char *structure, const char *field, uint32_t offset, const char *rule,
		 const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_vreport(sink, sev, table, index, structure, field, offset, rule, fmt, ap);
	va_end(ap);
}

void diag_vreport(struct diag_sink *sink, enum diag_severity sev, const char *table, int index,
		  const char *structure, const char *field, uint32_t offset, const char *rule, const char *fmt,
		  va_list ap)
{
	struct diag d;

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
	fmt_vsnprintf(d.message, sizeof(d.message), fmt, ap);
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

int diag_format(const struct diag *d, char *buf, size_t cap)
{
	char where[96];
	size_t n = 0;

	n += (size_t)fmt_snprintf(where + n, sizeof(where) - n, "%s", d->table ? d->table : "?");
	if (d->index != DIAG_NO_INDEX && n < sizeof(where))
		n += (size_t)fmt_snprintf(where + n, sizeof(where) - n, "[%d]", d->index);
	if (d->structure && n < sizeof(where))
		n += (size_t)fmt_snprintf(where + n, sizeof(where) - n, " %s", d->structure);
	if (d->field && n < sizeof(where))
		n += (size_t)fmt_snprintf(where + n, sizeof(where) - n, " field %s", d->field);
	if (d->offset != DIAG_NO_OFFSET && n < sizeof(where))
		fmt_snprintf(where + n, sizeof(where) - n, " at offset 0x%x", d->offset);
	return fmt_snprintf(buf, cap, "%s: %s", where, d->message);
}
