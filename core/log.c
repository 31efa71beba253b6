// SPDX-License-Identifier: MIT
#include "core/log.h"

#include <stdarg.h>
#include <string.h>

#include "lib/fmt.h"

static struct log_sink sinks[LOG_MAX_SINKS];
static unsigned nr_sinks;
static const char *phase = "boot";
static uint64_t (*clock_ns)(void);
static unsigned counts[LOG_ERROR + 1];
static void (*phase_hook)(void *ctx, const char *phase);
static void *phase_hook_ctx;
static uint64_t phase_start_ns;
static uint64_t flushed_ns; /* when the sinks were last flushed */

static const char *const level_names[] = { "debug", "info", "warn", "error" };

void log_init(void)
{
	nr_sinks = 0;
	phase = "boot";
	phase_hook = NULL;
	clock_ns = NULL;
	phase_start_ns = 0;
	flushed_ns = 0;
	memset(counts, 0, sizeof(counts));
}

int log_add_sink(const struct log_sink *sink)
{
	if (nr_sinks >= LOG_MAX_SINKS)
		return -1;
	sinks[nr_sinks++] = *sink;
	return 0;
}

/*
 * Leaving a phase logs how long it ran (phase.time); a phase entered again is
 * timed again. A new phase is a checkpoint: what the last one said is on the
 * medium before the next one touches hardware.
 */
void log_set_phase(const char *p)
{
	bool changed = strcmp(phase, p) != 0;
	uint64_t now = clock_ns ? clock_ns() : 0;

	if (clock_ns && changed) {
		struct log_event ev;

		log_begin(&ev, LOG_DEBUG, "phase.time");
		log_u64(&ev, "us", (now - phase_start_ns) / 1000);
		log_u64(&ev, "ms", (now - phase_start_ns) / 1000000);
		log_end(&ev);
		phase_start_ns = now;
	}
	if (changed)
		log_flush();
	phase = p;
	if (changed && phase_hook)
		phase_hook(phase_hook_ctx, p);
}

void log_on_phase(void (*fn)(void *ctx, const char *phase), void *ctx)
{
	phase_hook = fn;
	phase_hook_ctx = ctx;
}

const char *log_phase(void)
{
	return phase;
}

void log_set_clock(uint64_t (*now_ns)(void))
{
	clock_ns = now_ns;
}

unsigned log_count(enum log_level level)
{
	return level <= LOG_ERROR ? counts[level] : 0;
}

size_t json_escape(char *dst, size_t cap, const char *src)
{
	size_t n = 0;

	if (!cap)
		return 0;
	for (; src && *src; src++) {
		unsigned char c = (unsigned char)*src;
		char esc[8];
		size_t len;

		if (c == '"' || c == '\\')
			len = (size_t)fmt_snprintf(esc, sizeof(esc), "\\%c", c);
		else if (c == '\n')
			len = (size_t)fmt_snprintf(esc, sizeof(esc), "\\n");
		else if (c < 0x20 || c >= 0x7f) /* logs stay ASCII */
			len = (size_t)fmt_snprintf(esc, sizeof(esc), "\\u%04x", c);
		else
			len = (size_t)fmt_snprintf(esc, sizeof(esc), "%c", c);
		if (n + len >= cap)
			break;
		memcpy(dst + n, esc, len);
		n += len;
	}
	dst[n] = '\0';
	return n;
}

/* Appends all of it or nothing, so a full buffer never holds half a field. */
static bool append(char *buf, size_t cap, size_t *len, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static bool append(char *buf, size_t cap, size_t *len, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = fmt_vsnprintf(buf + *len, cap - *len, fmt, ap);
	va_end(ap);
	if (*len + (size_t)n >= cap) {
		buf[*len] = '\0';
		return false;
	}
	*len += (size_t)n;
	return true;
}

void log_begin(struct log_event *ev, enum log_level level, const char *event)
{
	ev->level = level;
	ev->event = event;
	ev->msg[0] = ev->text[0] = ev->json[0] = '\0';
	ev->text_len = ev->json_len = 0;
	ev->truncated = false;
}

/* One field in both forms; a field that does not fit in either is left out of both. */
static void add_field(struct log_event *ev, const char *key, const char *text_val, const char *json_val)
{
	size_t tl = ev->text_len, jl = ev->json_len;
	bool quote = !*text_val || strchr(text_val, ' ');

	if (!append(ev->text, sizeof(ev->text), &tl, quote ? " %s=\"%s\"" : " %s=%s", key, text_val) ||
	    !append(ev->json, sizeof(ev->json), &jl, ",\"%s\":%s", key, json_val)) {
		ev->text[ev->text_len] = ev->json[ev->json_len] = '\0';
		ev->truncated = true;
		return;
	}
	ev->text_len = tl;
	ev->json_len = jl;
}

void log_str(struct log_event *ev, const char *key, const char *value)
{
	char v[LOG_TEXT_MAX / 2 + 2];

	if (!value)
		value = "";
	v[0] = '"';
	json_escape(v + 1, sizeof(v) - 2, value);
	strcat(v, "\"");
	add_field(ev, key, value, v);
}

void log_u64(struct log_event *ev, const char *key, uint64_t value)
{
	char v[24];

	fmt_snprintf(v, sizeof(v), "%llu", (unsigned long long)value);
	add_field(ev, key, v, v);
}

void log_i64(struct log_event *ev, const char *key, int64_t value)
{
	char v[24];

	fmt_snprintf(v, sizeof(v), "%lld", (long long)value);
	add_field(ev, key, v, v);
}

/* Hex goes into JSON as a string: addresses exceed the 2^53 a JSON number holds exactly. */
void log_hex(struct log_event *ev, const char *key, uint64_t value)
{
	char text[24], json[28];

	fmt_snprintf(text, sizeof(text), "0x%llx", (unsigned long long)value);
	fmt_snprintf(json, sizeof(json), "\"%s\"", text);
	add_field(ev, key, text, json);
}

void log_bool(struct log_event *ev, const char *key, bool value)
{
	add_field(ev, key, value ? "yes" : "no", value ? "true" : "false");
}

void log_msg(struct log_event *ev, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fmt_vsnprintf(ev->msg, sizeof(ev->msg), fmt, ap);
	va_end(ap);
}


static void write_line(enum log_sink_format format, enum log_level level, const char *line, size_t len)
{
	for (unsigned i = 0; i < nr_sinks; i++) {
		if (sinks[i].format != format || level < sinks[i].min_level)
			continue;
		sinks[i].write(sinks[i].ctx, line, len);
	}
}

static char text_line[LOG_TEXT_MAX * 2];
static char json_line[LOG_JSON_MAX + 2 * LOG_TEXT_MAX];

void log_end(struct log_event *ev)
{
	char esc[LOG_TEXT_MAX];
	size_t tl = 0, jl = 0;
	uint64_t ms = clock_ns ? clock_ns() / 1000000 : 0;

	if (ev->level <= LOG_ERROR)
		counts[ev->level]++;
	if (clock_ns)
		append(text_line, sizeof(text_line), &tl, "[%5llu.%03llu] ", (unsigned long long)(ms / 1000),
		       (unsigned long long)(ms % 1000));
	append(text_line, sizeof(text_line), &tl, "%s: %s%s", phase,
	       ev->level >= LOG_WARN ? (ev->level == LOG_ERROR ? "ERROR " : "WARNING ") : "", ev->event);
	if (ev->msg[0])
		append(text_line, sizeof(text_line), &tl, ": %s", ev->msg);
	append(text_line, sizeof(text_line), &tl, "%s%s\n", ev->text, ev->truncated ? " (truncated)" : "");

	append(json_line, sizeof(json_line), &jl, "{");
	if (clock_ns)
		append(json_line, sizeof(json_line), &jl, "\"t_ms\":%llu,", (unsigned long long)ms);
	append(json_line, sizeof(json_line), &jl, "\"level\":\"%s\",\"phase\":\"%s\",\"event\":\"%s\"",
	       level_names[ev->level], phase, ev->event);
	if (ev->msg[0]) {
		json_escape(esc, sizeof(esc), ev->msg);
		append(json_line, sizeof(json_line), &jl, ",\"msg\":\"%s\"", esc);
	}
	append(json_line, sizeof(json_line), &jl, "%s%s}\n", ev->json, ev->truncated ? ",\"truncated\":true" : "");

	write_line(LOG_SINK_TEXT, ev->level, text_line, strlen(text_line));
	write_line(LOG_SINK_JSON, ev->level, json_line, jl);
	/* An error may be the last thing a dying machine says; and nothing waits on the medium for long. */
	if (ev->level == LOG_ERROR || (clock_ns && clock_ns() - flushed_ns >= LOG_FLUSH_INTERVAL_NS))
		log_flush();
}

void log_printf(enum log_level level, const char *event, const char *fmt, ...)
{
	struct log_event ev;
	va_list ap;

	log_begin(&ev, level, event);
	va_start(ap, fmt);
	fmt_vsnprintf(ev.msg, sizeof(ev.msg), fmt, ap);
	va_end(ap);
	log_end(&ev);
}

void log_raw(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = fmt_vsnprintf(text_line, sizeof(text_line), fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(text_line) - 1)
		n = (int)sizeof(text_line) - 1;
	write_line(LOG_SINK_TEXT, LOG_ERROR, text_line, (size_t)n);
}

void log_progress(const char *line)
{
	for (unsigned i = 0; i < nr_sinks; i++)
		if (sinks[i].live && sinks[i].format == LOG_SINK_TEXT && LOG_INFO >= sinks[i].min_level)
			sinks[i].write(sinks[i].ctx, line, strlen(line));
}

void log_flush(void)
{
	if (clock_ns)
		flushed_ns = clock_ns();
	for (unsigned i = 0; i < nr_sinks; i++)
		if (sinks[i].flush)
			sinks[i].flush(sinks[i].ctx);
}
