// SPDX-License-Identifier: MIT
/* A small vsnprintf: the same bytes on the host and in UEFI. */
#include "lib/fmt.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

struct out {
	char *buf;
	size_t size, len;
};

static void put(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void pad(struct out *o, char c, int n)
{
	while (n-- > 0)
		put(o, c);
}

struct spec {
	bool left, zero;
	int width, prec;
	int length; /* 0 int, 1 long, 2 long long/size_t, -1 short, -2 char */
};

static void put_str(struct out *o, const struct spec *s, const char *str)
{
	size_t n;

	if (!str)
		str = "(null)";
	n = strlen(str);
	if (s->prec >= 0 && (size_t)s->prec < n)
		n = (size_t)s->prec;
	if (!s->left)
		pad(o, ' ', s->width - (int)n);
	for (size_t i = 0; i < n; i++)
		put(o, str[i]);
	if (s->left)
		pad(o, ' ', s->width - (int)n);
}

static void put_num(struct out *o, const struct spec *s, uint64_t v, bool negative, unsigned base,
		    bool upper, const char *prefix)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	int n = 0, ndigits, plen = (int)strlen(prefix) + (negative ? 1 : 0), zeros = 0;

	do {
		tmp[n++] = digits[v % base];
		v /= base;
	} while (v);
	ndigits = n;
	if (s->prec > n)
		zeros = s->prec - n;
	else if (s->zero && !s->left && s->prec < 0 && s->width > n + plen)
		zeros = s->width - n - plen;
	if (!s->left)
		pad(o, ' ', s->width - n - zeros - plen);
	if (negative)
		put(o, '-');
	while (*prefix)
		put(o, *prefix++);
	pad(o, '0', zeros);
	while (n)
		put(o, tmp[--n]);
	if (s->left)
		pad(o, ' ', s->width - ndigits - zeros - plen);
}

static const char *parse_spec(const char *f, struct spec *s, va_list *ap)
{
	memset(s, 0, sizeof(*s));
	s->prec = -1;
	for (;; f++) {
		if (*f == '-')
			s->left = true;
		else if (*f == '0')
			s->zero = true;
		else
			break;
	}
	if (*f == '*') {
		s->width = va_arg(*ap, int);
		f++;
	}
	while (*f >= '0' && *f <= '9')
		s->width = s->width * 10 + (*f++ - '0');
	if (*f == '.') {
		f++;
		s->prec = 0;
		if (*f == '*') {
			s->prec = va_arg(*ap, int);
			f++;
		}
		while (*f >= '0' && *f <= '9')
			s->prec = s->prec * 10 + (*f++ - '0');
	}
	for (;; f++) {
		if (*f == 'l')
			s->length = s->length >= 1 ? 2 : 1;
		else if (*f == 'h')
			s->length = s->length <= -1 ? -2 : -1;
		else if (*f == 'z' || *f == 'j' || *f == 't')
			s->length = 2;
		else
			break;
	}
	return f;
}

static uint64_t arg_unsigned(const struct spec *s, va_list *ap)
{
	switch (s->length) {
	case 2: return va_arg(*ap, unsigned long long);
	case 1: return va_arg(*ap, unsigned long);
	case -1: return (unsigned short)va_arg(*ap, unsigned int);
	case -2: return (unsigned char)va_arg(*ap, unsigned int);
	default: return va_arg(*ap, unsigned int);
	}
}

static int64_t arg_signed(const struct spec *s, va_list *ap)
{
	switch (s->length) {
	case 2: return va_arg(*ap, long long);
	case 1: return va_arg(*ap, long);
	case -1: return (short)va_arg(*ap, int);
	case -2: return (signed char)va_arg(*ap, int);
	default: return va_arg(*ap, int);
	}
}

static void convert(struct out *o, struct spec *s, char conv, va_list *ap)
{
	int64_t sv;
	char c[2] = { 0, 0 };

	switch (conv) {
	case 'd':
	case 'i':
		sv = arg_signed(s, ap);
		put_num(o, s, sv < 0 ? (uint64_t)0 - (uint64_t)sv : (uint64_t)sv, sv < 0, 10, false, "");
		break;
	case 'u':
		put_num(o, s, arg_unsigned(s, ap), false, 10, false, "");
		break;
	case 'x':
	case 'X':
		put_num(o, s, arg_unsigned(s, ap), false, 16, conv == 'X', "");
		break;
	case 'p':
		put_num(o, s, (uintptr_t)va_arg(*ap, void *), false, 16, false, "0x");
		break;
	case 's':
		put_str(o, s, va_arg(*ap, const char *));
		break;
	case 'c':
		c[0] = (char)va_arg(*ap, int);
		put_str(o, s, c);
		break;
	case '%':
		put(o, '%');
		break;
	default: /* unknown conversion: show it rather than guess */
		put(o, '%');
		put(o, conv);
		break;
	}
}

int fmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = { buf, size, 0 };
	struct spec s;
	va_list aq;

	va_copy(aq, ap);
	while (*fmt) {
		if (*fmt != '%') {
			put(&o, *fmt++);
			continue;
		}
		fmt = parse_spec(fmt + 1, &s, &aq);
		if (!*fmt)
			break;
		convert(&o, &s, *fmt++, &aq);
	}
	va_end(aq);
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return (int)o.len;
}

int fmt_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = fmt_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
