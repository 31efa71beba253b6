// SPDX-License-Identifier: MIT
/*
 * The hot loops the UEFI image runs (touch/lines.h), on host memory: the fill
 * writes line i's tag into all eight qwords, the check finds the first wrong
 * qword and what it held, and the raw baseline writes its pattern.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "touch/lines.h"

#define LINES 1024 /* more than the prefetch distance, so its bound is crossed */
#define FIRST 0xc75a000000001000ULL

static uint64_t buf[LINES * TOUCH_LINES_QWORDS] __attribute__((aligned(64)));

static void test_fill_writes_each_line_its_tag(void **state)
{
	memset(buf, 0xa5, sizeof(buf));
	touch_lines_fill(buf, sizeof(buf), FIRST);
	for (unsigned q = 0; q < LINES * TOUCH_LINES_QWORDS; q++)
		assert_int_equal(buf[q], FIRST + q / TOUCH_LINES_QWORDS);
}

static void test_check_names_the_first_wrong_qword(void **state)
{
	static const unsigned bad[] = { 0, 7, 13, 8 * 700 + 3, LINES * TOUCH_LINES_QWORDS - 1 };
	uint64_t observed = 0;

	touch_lines_fill(buf, sizeof(buf), FIRST);
	assert_int_equal(touch_lines_check(buf, sizeof(buf), FIRST, &observed), sizeof(buf));
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		uint64_t keep = buf[bad[i]];

		buf[bad[i]] ^= 1ULL << (i + 3); /* one data bit */
		assert_int_equal(touch_lines_check(buf, sizeof(buf), FIRST, &observed), bad[i] * 8ULL);
		assert_int_equal(observed, keep ^ 1ULL << (i + 3));
		buf[bad[i]] = keep;
	}
	/* A later block starts at its own first tag. */
	assert_int_equal(touch_lines_check(buf + 64, sizeof(buf) - 512, FIRST + 8, &observed), sizeof(buf) - 512);
	assert_int_equal(touch_lines_check(buf + 64, 512, FIRST, &observed), 0);
}

static void test_raw_baseline_writes_its_pattern(void **state)
{
	touch_lines_fill(buf, sizeof(buf), FIRST);
	assert_int_equal(touch_raw_fill_read(buf, sizeof(buf)), 0); /* an even number of equal qwords */
	for (unsigned q = 0; q < LINES * TOUCH_LINES_QWORDS; q++)
		assert_int_equal(buf[q], TOUCH_RAW_PATTERN);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fill_writes_each_line_its_tag),
		cmocka_unit_test(test_check_names_the_first_wrong_qword),
		cmocka_unit_test(test_raw_baseline_writes_its_pattern),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
