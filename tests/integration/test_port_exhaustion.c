// SPDX-License-Identifier: GPL-2.0
/*
 * port_exhaustion against the real kernel: the failing connect(), the
 * per-destination capacity, reuse after the delay, and the default
 * range's count, each checked against K15/K08 with figures read here.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "itest.h"

#define NPORTS 64	/* the case's narrowed range */

static int setup(void **state)
{
	return itest_run(state, "port_exhaustion");
}

static void test_all_pass(void **state)
{
	ITEST_NEED_RUN(state);
	itest_assert_case_passed(*state, "port_exhaustion", 2);
}

static void test_exhaustion_per_destination(void **state)
{
	json_t *in;
	size_t i;

	ITEST_NEED_RUN(state);
	json_array_foreach(itest_instances(*state), i, in) {
		json_t *v = itest_verdict(in, "the connect() that fails");

		assert_int_equal(itest_num(v, "measured"), NPORTS + 1);
		assert_non_null(strstr(itest_str(v, "evidence"), "EADDRNOTAVAIL"));
		v = itest_verdict(in, "second server address");
		assert_int_equal(itest_num(v, "measured"), NPORTS);
		assert_string_equal(itest_str(v, "id"), "A05r");
		v = itest_verdict(in, "with tcp_tw_reuse=1");
		assert_int_equal(itest_num(v, "measured"), NPORTS);
	}
}

/* The default range, read from the run's own report of the kernel. */
static void test_default_range_and_rate(void **state)
{
	json_t *defaults, *in, *v;
	int lo, hi, seen = 0;
	size_t i;

	ITEST_NEED_RUN(state);
	defaults = json_object_get(json_object_get(*state, "kernel"), "defaults");
	assert_int_equal(sscanf(itest_str(defaults, "ip_local_port_range"), "%d %d", &lo, &hi), 2);
	json_array_foreach(itest_instances(*state), i, in) {
		if (!itest_verdict_maybe(in, "the default range gives"))
			continue;
		seen++;
		v = itest_verdict(in, "the default range gives");
		assert_int_equal(itest_num(v, "measured"), hi - lo + 1);
		v = itest_verdict(in, "per second the default range sustains");
		/* a port per TIME_WAIT lifetime: about 455-471/s, below 1000/s */
		assert_true(itest_num(v, "measured") < 1000);
		assert_true(itest_num(v, "measured") > (hi - lo + 1) / 70.0);
		print_message("%s\n", itest_str(itest_verdict(in, "the default range gives"),
						 "evidence"));
	}
	assert_int_equal(seen, 1);	/* measured once per run, in the ipv4 instance */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_all_pass),
		cmocka_unit_test(test_exhaustion_per_destination),
		cmocka_unit_test(test_default_range_and_rate),
	};

	return cmocka_run_group_tests_name("port_exhaustion (root, real kernel)", tests, setup,
					   itest_free);
}
