/* SPDX-License-Identifier: MIT */
/* xorshift64* for host tests: a fixed seed gives the same numbers on every run; print .state on failure. */
#ifndef CXLVAL_TEST_RNG_H
#define CXLVAL_TEST_RNG_H

#include <stdint.h>

struct test_rng {
	uint64_t state;
};

static inline uint64_t test_rng_next(struct test_rng *r)
{
	r->state ^= r->state >> 12;
	r->state ^= r->state << 25;
	r->state ^= r->state >> 27;
	return r->state * 0x2545f4914f6cdd1dULL;
}

#endif
