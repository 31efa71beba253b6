/* SPDX-License-Identifier: MIT */
/*
 * Shared by the report.html writers: report_out.c (text out), report_html.c
 * (the page and its tables), report_map.c (the address map), report_words.c
 * (event ids in plain words).
 * Not for other users: report.h is the interface.
 */
#ifndef CXLVAL_REPORT_HTML_H
#define CXLVAL_REPORT_HTML_H

#include <stdbool.h>
#include <stdint.h>

#include "core/report.h"

struct out {
	report_write_fn write;
	void *ctx;
};

void html_put(const struct out *o, const char *s);
void html_putf(const struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Text from firmware, devices and the log: nothing it holds can become markup. */
void html_text(const struct out *o, const char *s);

/* The physical address map: inline SVG rows that wrap, each range hoverable. */
void html_address_map(const struct out *o, const struct report *r);

/* "512 MiB" for 0x20000000; exact bytes when not a whole KiB/MiB/GiB/TiB. */
void report_size_words(uint64_t bytes, char *out, size_t cap);

/* A stable id ("fw_inside_window", "host_bridge") as words: "inside the window", "host bridge". */
const char *report_id_words(const char *id, char *out, size_t cap);

/* What Linux does with a finding of this rule and what the vendor should change. */
struct advice {
	const char *on_linux, *fix;
	bool note; /* what hardware did, not a defect to fix: shown as a note */
};
const struct advice *report_rule_advice(const char *rule);

#endif
