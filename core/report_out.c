// SPDX-License-Identifier: MIT
/*
 * Text out for report.html (report_html.c, report_map.c): through the
 * writer's callback, and anything that came from firmware, devices or the
 * log escaped so it cannot become markup.
 */
#include <stdarg.h>
#include <string.h>

#include "core/report_html.h"
#include "lib/fmt.h"

void html_put(const struct out *o, const char *s)
{
	o->write(o->ctx, s, strlen(s));
}

void html_putf(const struct out *o, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = fmt_vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n > 0)
		o->write(o->ctx, buf, strlen(buf));
}

void html_text(const struct out *o, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '<': html_put(o, "&lt;"); break;
		case '>': html_put(o, "&gt;"); break;
		case '&': html_put(o, "&amp;"); break;
		case '"': html_put(o, "&quot;"); break;
		case '\'': html_put(o, "&#39;"); break;
		default: o->write(o->ctx, s, 1);
		}
	}
}
