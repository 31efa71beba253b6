/* SPDX-License-Identifier: MIT */
/* Bit-field helpers in the style of Linux <linux/bits.h> and <linux/bitfield.h>. */
#ifndef CXLVAL_BITS_H
#define CXLVAL_BITS_H

#include <stdint.h>

#define BIT(n) (1U << (n))
#define BIT_ULL(n) (1ULL << (n))
#define GENMASK(h, l) ((~0U << (l)) & (~0U >> (31 - (h))))
#define GENMASK_ULL(h, l) ((~0ULL << (l)) & (~0ULL >> (63 - (h))))

/* Shift of the lowest set bit of a constant, non-zero mask. */
#define FIELD_SHIFT(mask) (__builtin_ctzll((uint64_t)(mask)))
#define FIELD_GET(mask, reg) ((__typeof__(mask))(((reg) & (mask)) >> FIELD_SHIFT(mask)))
#define FIELD_PREP(mask, val) ((__typeof__(mask))(((__typeof__(mask))(val) << FIELD_SHIFT(mask)) & (mask)))

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define ALIGN_UP(x, a) (((x) + ((a) - 1)) & ~((__typeof__(x))(a) - 1))
#define ALIGN_DOWN(x, a) ((x) & ~((__typeof__(x))(a) - 1))
#define IS_ALIGNED(x, a) (((x) & ((__typeof__(x))(a) - 1)) == 0)

#define SZ_256 0x100ULL
#define SZ_4K 0x1000ULL
#define SZ_64K 0x10000ULL
#define SZ_1M 0x100000ULL
#define SZ_2M 0x200000ULL
#define SZ_256M 0x10000000ULL
#define SZ_1G 0x40000000ULL

#endif
