/* SPDX-License-Identifier: MIT */
/*
 * The run's report (docs/report.md): report.json and report.html, written by
 * cxlval itself at the end of a run. The report is built from the log: a log
 * sink keeps the events the report shows (one copy of each event line, in
 * the caller's buffer), so the report says exactly what the log says, with
 * the same field names. Writers stream text through a callback.
 */
#ifndef CXLVAL_REPORT_H
#define CXLVAL_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define REPORT_SCHEMA "cxlval-report"
#define REPORT_SCHEMA_VERSION 1
#define REPORT_MAX_EVENTS 4096

struct report_event {
	uint16_t section; /* index into the section table in report.c */
	uint32_t off, len; /* the event's JSON object in buf */
};

struct report {
	char *buf;
	size_t cap, used;
	struct report_event ev[REPORT_MAX_EVENTS];
	unsigned count;
	unsigned dropped; /* events that did not fit: the report says so */
	const char *run_name; /* "0001" or NULL */
};

typedef void (*report_write_fn)(void *ctx, const char *text, size_t len);

/* Installs the collecting log sink; buf holds the kept events. */
void report_init(struct report *r, char *buf, size_t cap);
int report_attach_log(struct report *r);
/* Keeps one JSON event line if the report shows that event (the log sink calls this). */
void report_collect(struct report *r, const char *line, size_t len);

void report_write_json(const struct report *r, report_write_fn write, void *ctx);
void report_write_html(const struct report *r, report_write_fn write, void *ctx);
/* cxl-list.json: what cxlval programmed or found committed, shaped like `cxl list -RDET` (docs/report.md). */
void report_write_cxl_list(const struct report *r, report_write_fn write, void *ctx);

/*
 * Field `key` of a flat JSON object as produced by the log: strings
 * unescaped, numbers and booleans as their text. False when absent.
 */
bool report_field(const char *obj, size_t len, const char *key, char *out, size_t cap);

/* The final summary on console and serial: a few lines of text, each passed to write. */
void report_write_summary(const struct report *r, report_write_fn write, void *ctx);

#define REPORT_VALUE_MAX 256
/* Field key of the i-th event of a section, "" when absent; false when there is no such event. */
bool report_get(const struct report *r, const char *section, unsigned i, const char *key, char *out);
unsigned report_count(const struct report *r, const char *section);
/* "0x1f" or "31" as a number. */
uint64_t report_u64(const char *s);

/* Section names and iteration, shared by the two writers. */
unsigned report_section_count(void);
const char *report_section_name(unsigned s);
bool report_section_single(unsigned s);
/* The i-th kept event of section s, or NULL. */
const char *report_section_event(const struct report *r, unsigned s, unsigned i, size_t *len);

#endif
