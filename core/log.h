/* SPDX-License-Identifier: MIT */
/*
 * The event log (../shared/DESIGN.md §7). One event per line: human text
 * ("[phase] event key=value ...") for console and serial, and the same event
 * as one JSON object per line for log.jsonl. Sinks may buffer (the log
 * files write in large pieces); log_flush() is the checkpoint that puts
 * everything said so far on the medium. It runs at every change of phase,
 * after every error event, at least every LOG_FLUSH_INTERVAL_NS, and
 * wherever a step may hang or fault (decoder commits, the first touch of a
 * region, the cross-check, an exception, the end), so a crash loses nothing
 * said before the step that crashed.
 *
 *   struct log_event ev;
 *   log_begin(&ev, LOG_INFO, "cedt.cfmws");
 *   log_u64(&ev, "index", 0);
 *   log_hex(&ev, "base", base);
 *   log_end(&ev);
 */
#ifndef CXLVAL_LOG_H
#define CXLVAL_LOG_H

#include <stdint.h>
#include <stdbool.h>
#include <stddef.h>

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR };

#define LOG_TEXT_MAX 1024
#define LOG_JSON_MAX 2048

struct log_event {
	enum log_level level;
	const char *event;
	char msg[LOG_TEXT_MAX / 2];
	char text[LOG_TEXT_MAX]; /* " key=value" pairs */
	char json[LOG_JSON_MAX]; /* ",\"key\":value" pairs */
	size_t text_len, json_len;
	bool truncated; /* a field did not fit and was left out */
};

enum log_sink_format { LOG_SINK_TEXT, LOG_SINK_JSON };

struct log_sink {
	enum log_sink_format format;
	enum log_level min_level;
	/* Writes one complete line (with '\n'). Must not call back into log. */
	void (*write)(void *ctx, const char *line, size_t len);
	void (*flush)(void *ctx); /* NULL: write puts the line out at once */
	void *ctx;
	bool live; /* someone watches it (console, serial): progress lines go here only */
};

#define LOG_MAX_SINKS 6
#define LOG_FLUSH_INTERVAL_NS 1000000000ULL

void log_init(void);
int log_add_sink(const struct log_sink *sink);
void log_set_phase(const char *phase);
const char *log_phase(void);
/* fn runs after every change of phase, in the new phase (core/phase_paging.c: which page tables it runs on). */
void log_on_phase(void (*fn)(void *ctx, const char *phase), void *ctx);
/* Clock for the "t_ms" field; NULL leaves it out (host tests stay deterministic). */
void log_set_clock(uint64_t (*now_ns)(void));

void log_begin(struct log_event *ev, enum log_level level, const char *event);
void log_str(struct log_event *ev, const char *key, const char *value);
void log_u64(struct log_event *ev, const char *key, uint64_t value);
void log_i64(struct log_event *ev, const char *key, int64_t value);
void log_hex(struct log_event *ev, const char *key, uint64_t value);
void log_bool(struct log_event *ev, const char *key, bool value);
/* Free text: shown first in the text form, "msg" in JSON. */
void log_msg(struct log_event *ev, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void log_end(struct log_event *ev);

/* One-line shorthand for a plain message event. */
void log_printf(enum log_level level, const char *event, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Raw text on the text sinks only (banners, the final summary), at every verbosity; JSON sinks ignore it. */
void log_raw(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A progress line (core/progress.h) on the live text sinks at info level; the files do not keep it. */
void log_progress(const char *line);

/* Checkpoint: every buffered line goes to its medium now (see above). */
void log_flush(void);
unsigned log_count(enum log_level level);

/* JSON string escaping, shared with the report writers. Returns bytes written. */
size_t json_escape(char *dst, size_t cap, const char *src);

#endif
