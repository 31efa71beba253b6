/* SPDX-License-Identifier: MIT */
/* Builds ACPI tables byte by byte for host tests, with a correct checksum unless told otherwise. */
#ifndef CXLVAL_TEST_CEDT_BUILD_H
#define CXLVAL_TEST_CEDT_BUILD_H

#include <stddef.h>
#include <stdint.h>

struct tbuf {
	uint8_t b[8192];
	size_t len;
};

void tb_header(struct tbuf *t, const char *signature);
/* Sets Length to t->len and fixes the checksum. */
void tb_finish(struct tbuf *t);
void tb_put8(struct tbuf *t, uint8_t v);
void tb_put16(struct tbuf *t, uint16_t v);
void tb_put32(struct tbuf *t, uint32_t v);
void tb_put64(struct tbuf *t, uint64_t v);
void tb_set16(struct tbuf *t, size_t off, uint16_t v);
void tb_set32(struct tbuf *t, size_t off, uint32_t v);
void tb_set64(struct tbuf *t, size_t off, uint64_t v);

/* Each returns the offset of the structure it appended. */
size_t tb_chbs(struct tbuf *t, uint32_t uid, uint32_t version, uint64_t base, uint64_t length);
size_t tb_cfmws(struct tbuf *t, uint64_t base, uint64_t size, uint8_t eniw, uint8_t arith, uint32_t hbig,
		uint16_t restrictions, unsigned nr_targets, const uint32_t *targets);
size_t tb_cxims(struct tbuf *t, uint8_t hbig, unsigned nr, const uint64_t *xormaps);
size_t tb_mcfg_entry(struct tbuf *t, uint64_t base, uint16_t seg, uint8_t start, uint8_t end);

#endif
