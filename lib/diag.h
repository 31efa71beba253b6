/* SPDX-License-Identifier: MIT */
/*
 * Diagnostics: how lower layers (acpi/, cxl/, mm/) report problems without
 * printing. A finding names where it is (table, structure index, field, byte
 * offset from the start of the table) so a vendor can find it in a hex dump.
 * core/ installs a sink that logs; host tests install one that records.
 */
#ifndef CXLVAL_DIAG_H
#define CXLVAL_DIAG_H

#include <stdint.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

enum diag_severity {
	DIAG_INFO,
	DIAG_WARN,  /* odd but usable */
	DIAG_ERROR, /* this item is not trustworthy and was dropped */
	DIAG_FATAL, /* the whole table/source is not trustworthy */
};

#define DIAG_NO_INDEX  (-1)
#define DIAG_NO_OFFSET UINT32_MAX

struct diag {
	enum diag_severity severity;
	const char *table;     /* "CEDT", "MCFG", "RSDP", ... or a component name */
	int index;             /* structure index within the table, DIAG_NO_INDEX if none */
	const char *structure; /* "CFMWS", "CHBS", ... or NULL */
	const char *field;     /* "ENIW", "Length", ... or NULL */
	uint32_t offset;       /* byte offset of the field from the start of the table */
	const char *rule;      /* short stable id of the violated rule, e.g. "cfmws.base_align" */
	char message[160];     /* human sentence with the offending values */
};

struct diag_sink {
	void (*emit)(void *ctx, const struct diag *d);
	void *ctx;
	unsigned count[DIAG_FATAL + 1];
};

/* Fill a struct diag and hand it to the sink. fmt is printf-like (lib/fmt.h). */
void diag_report(struct diag_sink *sink, enum diag_severity sev, const char *table,
		 int index, const char *structure, const char *field, uint32_t offset,
		 const char *rule, const char *fmt, ...) __attribute__((format(printf, 9, 10)));

void diag_vreport(struct diag_sink *sink, enum diag_severity sev, const char *table, int index,
		  const char *structure, const char *field, uint32_t offset, const char *rule, const char *fmt,
		  va_list ap);

/* "CEDT[3] CFMWS field ENIW at offset 0x5c: <message>": where, then what. */
int diag_format(const struct diag *d, char *buf, size_t cap);

static inline unsigned diag_errors(const struct diag_sink *s)
{
	return s ? s->count[DIAG_ERROR] + s->count[DIAG_FATAL] : 0;
}

const char *diag_severity_name(enum diag_severity sev);

#endif
