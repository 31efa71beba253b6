// SPDX-License-Identifier: MIT
#include "core/config.h"

#include <stdarg.h>
#include <string.h>

#include "core/bits.h"

#define LINE_MAX 256

void config_defaults(struct cxlval_config *cfg)
{
	*cfg = (struct cxlval_config){ .mode = CONFIG_QUICK, .destructive = false, .restore_decoders = true,
				       .quick_mib = 16, .timeout_ms = 20, .windows = ~0U };
}

struct line {
	const char *source;
	int number;
	uint32_t value_offset;
	const char *key; /* static: one of known_keys */
	struct diag_sink *sink;
};

static void bad(const struct line *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void bad(const struct line *l, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_vreport(l->sink, DIAG_ERROR, l->source, l->number, NULL, l->key, l->value_offset, "config.bad_value",
		     fmt, ap);
	va_end(ap);
}

static bool parse_bool(const struct line *l, const char *v, bool *out)
{
	static const char *const yes[] = { "yes", "true", "1", "on" }, *const no[] = { "no", "false", "0", "off" };

	for (size_t i = 0; i < ARRAY_SIZE(yes); i++) {
		if (!strcmp(v, yes[i]))
			return *out = true, true;
		if (!strcmp(v, no[i]))
			return *out = false, true;
	}
	bad(l, "%s = %s: expected yes or no", l->key, v);
	return false;
}

static bool parse_u32(const struct line *l, const char *v, uint32_t lo, uint32_t hi, uint32_t *out)
{
	uint64_t n = 0;
	const char *p = v;

	for (; *p >= '0' && *p <= '9' && n <= hi; p++)
		n = n * 10 + (uint64_t)(*p - '0');
	if (p == v || *p || n < lo || n > hi) {
		bad(l, "%s = %s: expected a whole number from %u to %u", l->key, v, lo, hi);
		return false;
	}
	*out = (uint32_t)n;
	return true;
}

/* "all" or a comma-separated list of window indices and ranges (0,2,4-6). */
static bool parse_windows(const struct line *l, const char *v, uint32_t *out)
{
	uint32_t mask = 0;
	const char *p = v;

	if (!strcmp(v, "all"))
		return *out = ~0U, true;
	while (*p) {
		unsigned a = 0, b;
		int digits = 0;

		while (*p == ' ' || *p == '\t')
			p++;
		while (*p >= '0' && *p <= '9' && digits < 3)
			a = a * 10 + (unsigned)(*p++ - '0'), digits++;
		b = a;
		if (digits && *p == '-') {
			p++;
			b = 0;
			digits = 0;
			while (*p >= '0' && *p <= '9' && digits < 3)
				b = b * 10 + (unsigned)(*p++ - '0'), digits++;
		}
		while (*p == ' ' || *p == '\t')
			p++;
		if (!digits || a > b || b > 31 || (*p && *p != ',') || (*p == ',' && !p[1])) {
			bad(l, "%s = %s: expected all, or window indices 0-31 like 0,2,4-6", l->key, v);
			return false;
		}
		for (unsigned i = a; i <= b; i++)
			mask |= 1U << i;
		if (*p == ',')
			p++;
	}
	if (!mask) {
		bad(l, "%s = %s: expected all, or window indices 0-31 like 0,2,4-6", l->key, v);
		return false;
	}
	*out = mask;
	return true;
}

static void parse_fault(const struct line *l, const char *v, enum config_fault *out)
{
	static const char *const names[] = { "none", "ud", "pf", "gp", "ap_hang" };

#ifndef CXLVAL_TEST_HOOKS
	bad(l, "%s = %s: fault_test is only available in test builds", l->key, v);
	return;
#endif
	for (unsigned i = 0; i < ARRAY_SIZE(names); i++)
		if (!strcmp(v, names[i])) {
			*out = (enum config_fault)i;
			return;
		}
	bad(l, "%s = %s: expected none, ud, pf, gp or ap_hang", l->key, v);
}

/* Findings keep a pointer to the field name: it must be one of these, never the line buffer. */
static const char *const known_keys[] = { "mode",    "destructive", "restore_decoders", "quick_mib", "timeout_ms",
					  "windows", "fault_test",  "cpus",		"bench" };

static const char *static_key(const char *k)
{
	for (unsigned i = 0; i < ARRAY_SIZE(known_keys); i++)
		if (!strcmp(k, known_keys[i]))
			return known_keys[i];
	return NULL;
}

static void apply(struct cxlval_config *cfg, struct line *l, const char *k, const char *v)
{

	if (!strcmp(k, "mode")) {
		if (!strcmp(v, "quick") || !strcmp(v, "full"))
			cfg->mode = strcmp(v, "quick") ? CONFIG_FULL : CONFIG_QUICK;
		else
			bad(l, "%s = %s: expected quick or full", l->key, v);
	} else if (!strcmp(k, "destructive")) {
		parse_bool(l, v, &cfg->destructive);
	} else if (!strcmp(k, "restore_decoders")) {
		parse_bool(l, v, &cfg->restore_decoders);
	} else if (!strcmp(k, "quick_mib")) {
		parse_u32(l, v, 1, 65536, &cfg->quick_mib);
	} else if (!strcmp(k, "timeout_ms")) {
		parse_u32(l, v, 1, 10000, &cfg->timeout_ms);
	} else if (!strcmp(k, "windows")) {
		parse_windows(l, v, &cfg->windows);
	} else if (!strcmp(k, "cpus")) {
		parse_u32(l, v, 0, CONFIG_MAX_CPUS, &cfg->cpus);
	} else if (!strcmp(k, "bench")) {
		parse_bool(l, v, &cfg->bench);
	} else if (!strcmp(k, "fault_test")) {
		parse_fault(l, v, &cfg->fault_test);
	} else {
		diag_report(l->sink, DIAG_ERROR, l->source, l->number, NULL, NULL, DIAG_NO_OFFSET, "config.unknown_key",
			    "unknown key '%s' (known: mode, destructive, restore_decoders, quick_mib, timeout_ms, "
			    "windows, fault_test, cpus, bench)", k);
	}
}

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* Trims, lower-cases and strips a trailing comment; false for a line with nothing on it. */
static bool clean(char *s)
{
	char *end, *start = s;

	for (char *p = s; *p; p++) {
		if (*p == '#' || *p == ';') {
			*p = '\0';
			break;
		}
		*p = lower(*p);
	}
	while (*start == ' ' || *start == '\t')
		start++;
	memmove(s, start, strlen(start) + 1);
	end = s + strlen(s);
	while (end > s && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
		*--end = '\0';
	return *s;
}

static void parse_line(struct cxlval_config *cfg, struct line *l, char *text, uint32_t line_offset)
{
	char *eq, *value;
	uint32_t value_at;

	eq = strchr(text, '=');
	value_at = eq ? (uint32_t)(eq + 1 - text) : 0;
	while (eq && (text[value_at] == ' ' || text[value_at] == '\t'))
		value_at++;
	if (!clean(text))
		return;
	eq = strchr(text, '=');
	if (!eq || eq == text) {
		diag_report(l->sink, DIAG_ERROR, l->source, l->number, NULL, NULL, line_offset, "config.syntax",
			    "expected 'key = value', got '%s'", text);
		return;
	}
	*eq = '\0';
	value = eq + 1;
	clean(text);
	clean(value);
	l->key = static_key(text);
	l->value_offset = line_offset + value_at;
	apply(cfg, l, text, value);
}

void config_parse(struct cxlval_config *cfg, const char *text, size_t len, const char *source,
		  struct diag_sink *sink)
{
	size_t pos = 0;
	int number = 0;

	if (len >= 3 && !memcmp(text, "\xef\xbb\xbf", 3))
		pos = 3;
	while (pos < len) {
		char buf[LINE_MAX + 1];
		size_t n = 0, start = pos;
		bool binary = false;
		struct line l = { source, ++number, 0, NULL, sink };

		while (pos < len && text[pos] != '\n') {
			unsigned char c = (unsigned char)text[pos++];

			if (c < 0x20 && c != '\t' && c != '\r')
				binary = true;
			if (n < LINE_MAX)
				buf[n] = (char)c;
			n++;
		}
		pos++;
		if (n > LINE_MAX || binary) {
			diag_report(sink, DIAG_ERROR, source, number, NULL, NULL, (uint32_t)start,
				    n > LINE_MAX ? "config.too_long" : "config.syntax",
				    n > LINE_MAX ? "line longer than 256 bytes; ignored" : "control bytes in the line; ignored");
			continue;
		}
		buf[n] = '\0';
		parse_line(cfg, &l, buf, (uint32_t)start);
	}
}
