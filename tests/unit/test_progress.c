// SPDX-License-Identifier: MIT
/* The progress line: when it prints, and what it says. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/progress.h"

#define S 1000000000ULL

static void test_steps_of_ten_percent_at_most_once_a_second(void **state)
{
	struct progress p;
	char line[128];
	unsigned lines = 0;

	progress_start(&p, "region0 touch", 1000, 1 << 20, 5 * S);
	assert_false(progress_step(&p, 100, 5 * S + S / 2, line, sizeof(line))); /* 10 % but too soon */
	assert_true(progress_step(&p, 150, 6 * S, line, sizeof(line)));
	assert_string_equal(line, "  region0 touch  15%  150/1000  150.0 MiB/s  5 s left\n");
	assert_false(progress_step(&p, 190, 8 * S, line, sizeof(line))); /* next line at 20 % */
	for (uint64_t done = 200, t = 9 * S; done < 1000; done += 50, t += S)
		lines += progress_step(&p, done, t, line, sizeof(line));
	assert_int_equal(lines, 8); /* 20, 30, ... 90 % */
	assert_true(progress_step(&p, 1000, 30 * S, line, sizeof(line)));
	assert_non_null(strstr(line, "100%  1000/1000"));
	assert_false(progress_step(&p, 1000, 31 * S, line, sizeof(line))); /* 100 % only once */
}

static void test_short_phase_prints_nothing(void **state)
{
	struct progress p;
	char line[128];

	progress_start(&p, "quick", 10, 64, 0);
	for (uint64_t done = 1; done <= 10; done++)
		assert_false(progress_step(&p, done, done * 1000, line, sizeof(line)));
	progress_start(&p, "items", 100, 0, 0);
	progress_start(&p, p.what, 100, 0, 0); /* restarting keeps the label */
	assert_true(progress_step(&p, 50, 2 * S, line, sizeof(line)));
	assert_string_equal(line, "  items  50%  50/100  25/s  2 s left\n");
	progress_start(&p, "empty", 0, 64, 0);
	assert_false(progress_step(&p, 0, 2 * S, line, sizeof(line)));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_steps_of_ten_percent_at_most_once_a_second),
		cmocka_unit_test(test_short_phase_prints_nothing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
