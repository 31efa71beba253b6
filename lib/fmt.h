/* SPDX-License-Identifier: MIT */
/*
 * Our own printf-style formatter, identical on the host and in UEFI so that
 * logs and reports are byte-for-byte the same in both builds.
 * Supports: %% %c %s %.*s %d %i %u %x %X %p with flags '-', '0', width, precision,
 * and length modifiers hh h l ll z j t. Always NUL-terminates (when size > 0) and
 * returns the length the full output would have had, like C99 vsnprintf.
 */
#ifndef CXLVAL_FMT_H
#define CXLVAL_FMT_H

#include <stdarg.h>
#include <stddef.h>

int fmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int fmt_snprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
