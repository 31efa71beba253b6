/* SPDX-License-Identifier: MIT */
/*
 * The touch engine's hot loops on x86-64, in one place for both builds that
 * run them: the UEFI image (boot/touch_efi.c, over CXL windows) and the host
 * DRAM benchmark (tests/bench/bench_dram.c, over a host buffer), so the
 * benchmark measures exactly the code that runs on hardware.
 *
 * Tags go out as non-temporal stores (movnti): no read-for-ownership, no
 * cache pollution, and after the sfence they are globally visible, so the
 * read-back comes from memory (the device), not from a cache. A line is
 * checked with eight loads folded into one compare, with a prefetch ahead;
 * only a line that fails is read again to find the word.
 */
#ifndef CXLVAL_TOUCH_LINES_H
#define CXLVAL_TOUCH_LINES_H

#include <stdint.h>

#define TOUCH_LINES_QWORDS 8 /* per 64-byte line */
/*
 * The check asks for the line this far ahead (32 lines) while it compares:
 * one CPU's read stream then keeps more misses in flight than the hardware
 * prefetcher alone starts. Never past the block: beyond it may be memory
 * cxlval does not own, or an HPA no decoder routes.
 */
#define TOUCH_LINES_PREFETCH_QWORDS 256

static inline void touch_stream64(uint64_t *p, uint64_t v)
{
	__asm__ volatile("movnti %1, %0" : "=m"(*p) : "r"(v));
}

static inline void touch_store_fence(void)
{
	__asm__ volatile("sfence" : : : "memory");
}

/* Line i of [p, p + len) gets first + i in all eight qwords. len: whole lines. */
static inline void touch_lines_fill(uint64_t *p, uint64_t len, uint64_t first)
{
	uint64_t *end = p + len / 8;

	for (uint64_t v = first; p < end; p += TOUCH_LINES_QWORDS, v++) {
		touch_stream64(p + 0, v);
		touch_stream64(p + 1, v);
		touch_stream64(p + 2, v);
		touch_stream64(p + 3, v);
		touch_stream64(p + 4, v);
		touch_stream64(p + 5, v);
		touch_stream64(p + 6, v);
		touch_stream64(p + 7, v);
	}
	touch_store_fence();
}

/* Bytes from p that hold their tags; at the first wrong qword, its value in *observed. */
static inline uint64_t touch_lines_check(const volatile uint64_t *p, uint64_t len, uint64_t first,
					 uint64_t *observed)
{
	for (uint64_t q = 0, v = first; q < len / 8; q += TOUCH_LINES_QWORDS, v++) {
		uint64_t diff;

		if (q + TOUCH_LINES_PREFETCH_QWORDS < len / 8)
			__builtin_prefetch((const void *)&p[q + TOUCH_LINES_PREFETCH_QWORDS]);
		diff = (p[q] ^ v) | (p[q + 1] ^ v) | (p[q + 2] ^ v) | (p[q + 3] ^ v) | (p[q + 4] ^ v) | (p[q + 5] ^ v) |
		       (p[q + 6] ^ v) | (p[q + 7] ^ v);
		if (!diff)
			continue;
		/* Rare: find the word again (a second read; the first wrong value is the one reported). */
		for (unsigned i = 0; i < TOUCH_LINES_QWORDS; i++)
			if (p[q + i] != v) {
				*observed = p[q + i];
				return (q + i) * 8;
			}
	}
	return len;
}

/*
 * The baseline a firmware engineer would write: one rep stosq of a constant,
 * then one read per qword. Not zero: a memory test cannot use zero (an
 * unrouted read returns 0), and this machine's CPU stores zeros through a
 * fast path (rep stosq of 0 ran 88 GiB/s, of any other value 39, the speed
 * of every non-temporal store form): the engine must match the real work.
 */
#define TOUCH_RAW_PATTERN 0xa5a5a5a5a5a5a5a5ULL

static inline uint64_t touch_raw_fill_read(void *dst, uint64_t len)
{
	const volatile uint64_t *p = dst;
	uint64_t count = len / 8, x = 0;

	__asm__ volatile("rep stosq" : "+D"(dst), "+c"(count) : "a"(TOUCH_RAW_PATTERN) : "memory");
	for (uint64_t q = 0; q < len / 8; q++)
		x ^= p[q];
	return x;
}

#endif
