/* SPDX-License-Identifier: MIT */
/*
 * What every fuzzer checks after a parse beyond "no crash": a broken invariant
 * prints what broke and aborts, so libFuzzer keeps the input as a finding.
 * The harnesses re-read the raw input with these little-endian readers of
 * their own rather than the parser's, so a wrong offset shows as a mismatch.
 */
#ifndef CXLVAL_FUZZ_INVARIANT_H
#define CXLVAL_FUZZ_INVARIANT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "lib/diag.h"

static inline void fuzz_broken(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static inline void fuzz_broken(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "invariant broken: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	abort();
}

#define FUZZ_REQUIRE(cond, ...) \
	do { \
		if (!(cond)) \
			fuzz_broken(__VA_ARGS__); \
	} while (0)

static inline uint16_t fz_le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static inline uint32_t fz_le32(const uint8_t *p)
{
	return fz_le16(p) | (uint32_t)fz_le16(p + 2) << 16;
}

static inline uint64_t fz_le64(const uint8_t *p)
{
	return fz_le32(p) | (uint64_t)fz_le32(p + 4) << 32;
}

/*
 * A diag sink whose every finding must name a rule, say something, and, when
 * it gives a byte offset into the input, point inside it (offset 0, the start,
 * is allowed even for an empty input): a vendor looks that offset up.
 */
struct fuzz_findings {
	size_t input_len;
	bool offsets_in_input; /* false when offsets are relative to something else */
	bool end_ok;	       /* offset = input_len is allowed: text, where an empty value ends the file */
	bool unnamed_ok;       /* the table name may be empty (a table named by its own NUL signature) */
	unsigned seen;
};

static inline void fuzz_check_finding(void *ctx, const struct diag *d)
{
	struct fuzz_findings *f = ctx;

	f->seen++;
	FUZZ_REQUIRE(d->rule && d->rule[0] && d->message[0] && d->table && (d->table[0] || f->unnamed_ok),
		     "finding without rule, message or table (rule %s)", d->rule ? d->rule : "NULL");
	FUZZ_REQUIRE(d->severity <= DIAG_FATAL, "finding %s with severity %d", d->rule, d->severity);
	if (f->offsets_in_input && d->offset != DIAG_NO_OFFSET)
		FUZZ_REQUIRE(d->offset == 0 || d->offset < f->input_len + f->end_ok,
			     "finding %s at offset 0x%x of a %zu-byte input", d->rule, d->offset, f->input_len);
}

static inline struct diag_sink fuzz_sink(struct fuzz_findings *f)
{
	struct diag_sink s = { fuzz_check_finding, f, { 0 } };

	return s;
}

#endif
