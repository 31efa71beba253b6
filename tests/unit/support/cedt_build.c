// SPDX-License-Identifier: MIT
#include "unit/support/cedt_build.h"

#include <string.h>

void tb_put8(struct tbuf *t, uint8_t v)
{
	t->b[t->len++] = v;
}

void tb_put16(struct tbuf *t, uint16_t v)
{
	tb_put8(t, (uint8_t)v);
	tb_put8(t, (uint8_t)(v >> 8));
}

void tb_put32(struct tbuf *t, uint32_t v)
{
	tb_put16(t, (uint16_t)v);
	tb_put16(t, (uint16_t)(v >> 16));
}

void tb_put64(struct tbuf *t, uint64_t v)
{
	tb_put32(t, (uint32_t)v);
	tb_put32(t, (uint32_t)(v >> 32));
}

void tb_set16(struct tbuf *t, size_t off, uint16_t v)
{
	t->b[off] = (uint8_t)v;
	t->b[off + 1] = (uint8_t)(v >> 8);
}

void tb_set32(struct tbuf *t, size_t off, uint32_t v)
{
	tb_set16(t, off, (uint16_t)v);
	tb_set16(t, off + 2, (uint16_t)(v >> 16));
}

void tb_set64(struct tbuf *t, size_t off, uint64_t v)
{
	tb_set32(t, off, (uint32_t)v);
	tb_set32(t, off + 4, (uint32_t)(v >> 32));
}

void tb_header(struct tbuf *t, const char *signature)
{
	memset(t, 0, sizeof(*t));
	memcpy(t->b, signature, 4);
	t->b[8] = 1;
	memcpy(t->b + 10, "CXLVAL", 6);
	memcpy(t->b + 16, "UNITTEST", 8);
	t->len = 36;
}

void tb_finish(struct tbuf *t)
{
	uint8_t sum = 0;

	tb_set32(t, 4, (uint32_t)t->len);
	t->b[9] = 0;
	for (size_t i = 0; i < t->len; i++)
		sum = (uint8_t)(sum + t->b[i]);
	t->b[9] = (uint8_t)(0x100 - sum);
}

static size_t st_header(struct tbuf *t, uint8_t type, uint16_t len)
{
	size_t off = t->len;

	tb_put8(t, type);
	tb_put8(t, 0);
	tb_put16(t, len);
	return off;
}

size_t tb_chbs(struct tbuf *t, uint32_t uid, uint32_t version, uint64_t base, uint64_t length)
{
	size_t off = st_header(t, 0, 32);

	tb_put32(t, uid);
	tb_put32(t, version);
	tb_put32(t, 0);
	tb_put64(t, base);
	tb_put64(t, length);
	return off;
}

size_t tb_cfmws(struct tbuf *t, uint64_t base, uint64_t size, uint8_t eniw, uint8_t arith, uint32_t hbig,
		uint16_t restrictions, unsigned nr_targets, const uint32_t *targets)
{
	size_t off = st_header(t, 1, (uint16_t)(36 + 4 * nr_targets));

	tb_put32(t, 0);
	tb_put64(t, base);
	tb_put64(t, size);
	tb_put8(t, eniw);
	tb_put8(t, arith);
	tb_put16(t, 0);
	tb_put32(t, hbig);
	tb_put16(t, restrictions);
	tb_put16(t, 0);
	for (unsigned i = 0; i < nr_targets; i++)
		tb_put32(t, targets[i]);
	return off;
}

size_t tb_cxims(struct tbuf *t, uint8_t hbig, unsigned nr, const uint64_t *xormaps)
{
	size_t off = st_header(t, 2, (uint16_t)(8 + 8 * nr));

	tb_put16(t, 0);
	tb_put8(t, hbig);
	tb_put8(t, (uint8_t)nr);
	for (unsigned i = 0; i < nr; i++)
		tb_put64(t, xormaps[i]);
	return off;
}

size_t tb_mcfg_entry(struct tbuf *t, uint64_t base, uint16_t seg, uint8_t start, uint8_t end)
{
	size_t off = t->len;

	tb_put64(t, base);
	tb_put16(t, seg);
	tb_put8(t, start);
	tb_put8(t, end);
	tb_put32(t, 0);
	return off;
}
