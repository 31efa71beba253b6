// SPDX-License-Identifier: MIT
#include "core/config.h"

#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include "lib/bits.h"
#include "lib/fmt.h"

#define LINE_MAX 256

void config_defaults(struct cxlval_config *cfg)
{
	*cfg = (struct cxlval_config){ .mode = CONFIG_QUICK, .restore_decoders = true, .quick_mib = 4,
				       .timeout_ms = 20, .windows = ~0U, .verbosity = 1, .on_exit = ON_EXIT_RETURN,
				       .serial = SERIAL_AUTO, .serial_port = 0x3f8, .serial_baud = 115200,
				       .watchdog_s = 600 };
}

struct line {
	const char *source;
	int number;
	uint32_t value_offset;
	const char *key; /* static: a name from keys[], never the line buffer */
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

struct choice {
	const char *name;
	unsigned value;
};

#define CHOICES(...) (const struct choice[]){ __VA_ARGS__, { NULL, 0 } }

enum key_kind { KEY_BOOL, KEY_U32, KEY_CHOICE, KEY_WINDOWS };

/* One row per key: docs/config.md mirrors this table. */
struct config_key {
	const char *name;
	enum key_kind kind;
	size_t offset;
	uint32_t lo, hi;		/* KEY_U32 */
	const struct choice *choices;	/* KEY_CHOICE, NULL-terminated */
	bool test_only;			/* needs a -DCXLVAL_TEST_HOOKS build */
};

#define FIELD(f) offsetof(struct cxlval_config, f)

static const struct config_key keys[] = {
	{ "mode", KEY_CHOICE, FIELD(mode), 0, 0, CHOICES({ "quick", CONFIG_QUICK }, { "full", CONFIG_FULL }), false },
	{ "windows", KEY_WINDOWS, FIELD(windows), 0, 0, NULL, false },
	{ "destructive", KEY_BOOL, FIELD(destructive), 0, 0, NULL, false },
	{ "restore_decoders", KEY_BOOL, FIELD(restore_decoders), 0, 0, NULL, false },
	{ "quick_mib", KEY_U32, FIELD(quick_mib), 1, 65536, NULL, false },
	{ "timeout_ms", KEY_U32, FIELD(timeout_ms), 1, 10000, NULL, false },
	{ "verbosity", KEY_CHOICE, FIELD(verbosity), 0, 0,
	  CHOICES({ "debug", 0 }, { "info", 1 }, { "warn", 2 }, { "error", 3 }), false },
	{ "on_exit", KEY_CHOICE, FIELD(on_exit), 0, 0,
	  CHOICES({ "return", ON_EXIT_RETURN }, { "reset", ON_EXIT_RESET }, { "shutdown", ON_EXIT_SHUTDOWN }), false },
	{ "serial", KEY_CHOICE, FIELD(serial), 0, 0,
	  CHOICES({ "auto", SERIAL_AUTO }, { "on", SERIAL_ON }, { "off", SERIAL_OFF }), false },
	{ "serial_port", KEY_CHOICE, FIELD(serial_port), 0, 0,
	  CHOICES({ "com1", 0x3f8 }, { "com2", 0x2f8 }, { "com3", 0x3e8 }, { "com4", 0x2e8 }), false },
	{ "serial_baud", KEY_CHOICE, FIELD(serial_baud), 0, 0,
	  CHOICES({ "9600", 9600 }, { "19200", 19200 }, { "38400", 38400 }, { "57600", 57600 },
		  { "115200", 115200 }), false },
	{ "watchdog_s", KEY_U32, FIELD(watchdog_s), 30, 86400, NULL, false },
	{ "cpus", KEY_U32, FIELD(cpus), 0, CONFIG_MAX_CPUS, NULL, false },
	{ "bench", KEY_BOOL, FIELD(bench), 0, 0, NULL, false },
	{ "program", KEY_CHOICE, FIELD(program), 0, 0,
	  CHOICES({ "auto", PROGRAM_AUTO }, { "never", PROGRAM_NEVER }, { "always", PROGRAM_ALWAYS }), false },
	{ "crosscheck_firmware", KEY_BOOL, FIELD(crosscheck_firmware), 0, 0, NULL, false },
	{ "fault_test", KEY_CHOICE, FIELD(fault_test), 0, 0,
	  CHOICES({ "none", FAULT_NONE }, { "ud", FAULT_UD }, { "pf", FAULT_PF }, { "gp", FAULT_GP },
		  { "pf_in_touch", FAULT_PF_IN_TOUCH }, { "ap_hang", FAULT_AP_HANG },
		  { "swap_targets", FAULT_SWAP_TARGETS }, { "restore_skew", FAULT_RESTORE_SKEW },
		  { "hang_in_touch", FAULT_HANG_IN_TOUCH }, { "mc_in_touch", FAULT_MC_IN_TOUCH }), true },
};

static const struct config_key *find_key(const char *name)
{
	for (unsigned i = 0; i < ARRAY_SIZE(keys); i++)
		if (!strcmp(name, keys[i].name))
			return &keys[i];
	return NULL;
}

/* "quick or full", "debug, info, warn or error". */
static void choice_list(const struct choice *c, char *buf, size_t cap)
{
	size_t n = 0;

	buf[0] = '\0';
	for (unsigned i = 0; c[i].name; i++) {
		const char *sep = !i ? "" : c[i + 1].name ? ", " : " or ";

		n += (size_t)fmt_snprintf(buf + n, cap - n, "%s%s", sep, c[i].name);
		if (n >= cap)
			break;
	}
}

static void parse_choice(const struct line *l, const struct config_key *k, const char *v, unsigned *out)
{
	char allowed[96];

	for (unsigned i = 0; k->choices[i].name; i++)
		if (!strcmp(v, k->choices[i].name)) {
			*out = k->choices[i].value;
			return;
		}
	choice_list(k->choices, allowed, sizeof(allowed));
	bad(l, "%s = %s: expected %s", l->key, v, allowed);
}

const char *config_key_name(unsigned i)
{
	return i < ARRAY_SIZE(keys) ? keys[i].name : NULL;
}

const char *config_choice_name(const char *key, unsigned value)
{
	const struct config_key *k = find_key(key);

	for (unsigned i = 0; k && k->choices && k->choices[i].name; i++)
		if (k->choices[i].value == value)
			return k->choices[i].name;
	return "?";
}

static void unknown_key(const struct line *l, const char *name)
{
	char known[256];
	size_t n = 0;

	known[0] = '\0';
	for (unsigned i = 0; i < ARRAY_SIZE(keys) && n < sizeof(known); i++)
		n += (size_t)fmt_snprintf(known + n, sizeof(known) - n, "%s%s", i ? ", " : "", keys[i].name);
	diag_report(l->sink, DIAG_ERROR, l->source, l->number, NULL, NULL, DIAG_NO_OFFSET, "config.unknown_key",
		    "unknown key '%s' (known: %s)", name, known);
}

static void apply(struct cxlval_config *cfg, struct line *l, const char *name, const char *v)
{
	const struct config_key *k = find_key(name);
	char *field = (char *)cfg + (k ? k->offset : 0);

	if (!k) {
		unknown_key(l, name);
		return;
	}
	l->key = k->name; /* findings keep a pointer to the field name: never the line buffer */
#ifndef CXLVAL_TEST_HOOKS
	if (k->test_only) {
		bad(l, "%s = %s: %s is only available in test builds", l->key, v, l->key);
		return;
	}
#endif
	switch (k->kind) {
	case KEY_BOOL: parse_bool(l, v, (bool *)field); break;
	case KEY_U32: parse_u32(l, v, k->lo, k->hi, (uint32_t *)field); break;
	case KEY_CHOICE: parse_choice(l, k, v, (unsigned *)field); break;
	case KEY_WINDOWS: parse_windows(l, v, (uint32_t *)field); break;
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

static bool is_space16(uint16_t c)
{
	return c == ' ' || c == '\t';
}

size_t config_cmdline_lines(const uint16_t *opts, size_t bytes, char *out, size_t cap)
{
	size_t count = bytes / 2, n = 0, i = 0;

	if (!cap)
		return 0;
	out[0] = '\0';
	for (size_t j = 0; j < count && opts[j]; j++)
		if (opts[j] < 0x20 && !is_space16(opts[j]))
			return 0; /* binary load options, not a command line */
		else if (opts[j] >= 0x7f)
			return 0;
	/* The first word is the program itself. */
	while (i < count && opts[i] && is_space16(opts[i]))
		i++;
	while (i < count && opts[i] && !is_space16(opts[i]))
		i++;
	while (i < count && opts[i] && n + 2 < cap) {
		if (is_space16(opts[i])) {
			i++;
			continue;
		}
		while (i < count && opts[i] && !is_space16(opts[i]) && n + 2 < cap)
			out[n++] = (char)opts[i++];
		while (i < count && opts[i] && !is_space16(opts[i]))
			i++; /* a word longer than out: cut */
		out[n++] = '\n';
	}
	out[n] = '\0';
	return n;
}
