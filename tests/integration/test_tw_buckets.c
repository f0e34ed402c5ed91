// SPDX-License-Identifier: GPL-2.0
/*
 * tw_buckets against the real kernel, at each tcp_max_tw_buckets = K it
 * varies: exactly K TIME_WAIT sockets, TCPTimeWaitOverflow up by the 20
 * closes past K, nothing else left behind (K10), and no "time wait
 * bucket table overflow" in the kernel log on this kernel.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "itest.h"

#define EXCESS	20	/* the case's connections past the cap */

static int setup(void **state)
{
	return itest_run(state, "tw_buckets");
}

/* Both families, at both caps the case varies. */
static void test_all_pass(void **state)
{
	int seen[2] = { 0 };
	json_t *in;
	size_t i;

	ITEST_NEED_RUN(state);
	assert_int_equal(json_array_size(itest_instances(*state)), 4);
	json_array_foreach(itest_instances(*state), i, in) {
		int k = itest_param(in, "tcp_max_tw_buckets");

		assert_true(k == 8 || k == 32);
		seen[k == 32]++;
	}
	assert_int_equal(seen[0], 2);
	assert_int_equal(seen[1], 2);
	itest_assert_all_pass(*state);
}

static void check(json_t *v, double want, const char *unit)
{
	assert_string_equal(itest_str(v, "id"), "A14");
	assert_string_equal(itest_str(v, "fact"), "K10");
	assert_string_equal(itest_str(v, "unit"), unit);
	assert_true(itest_num(v, "measured") == want);
	assert_true(itest_expected(v, 0) == want);
	itest_assert_verdict(v, "confirmed");
}

static void test_cap(void **state)
{
	json_t *in;
	size_t i;

	ITEST_NEED_RUN(state);
	json_array_foreach(itest_instances(*state), i, in) {
		int k = itest_param(in, "tcp_max_tw_buckets");

		check(itest_verdict(in, "TIME_WAIT sockets at the client"), k, "sockets");
		check(itest_verdict(in, "TCPTimeWaitOverflow"), EXCESS, "closes");
		check(itest_verdict(in, "sockets left on the server port"), k, "sockets");
		print_message("%s: %s\n", itest_str(in, "name"),
			      itest_str(itest_verdict(in, "TCPTimeWaitOverflow"), "evidence"));
	}
}

/* K10: current kernels only count the overflow; 3.x logged it. */
static void test_no_log_line(void **state)
{
	json_t *in, *v;
	size_t i;

	ITEST_NEED_RUN(state);
	json_array_foreach(itest_instances(*state), i, in) {
		v = itest_verdict(in, "time wait bucket table overflow");
		assert_string_equal(itest_str(v, "id"), "A14");
		if (!strcmp(itest_str(v, "verdict"), "not applicable")) {
			print_message("%s: %s\n", itest_str(in, "name"), itest_str(v, "evidence"));
			continue;
		}
		assert_true(itest_num(v, "measured") == 0);
		assert_true(itest_expected(v, 0) == 0);
		itest_assert_verdict(v, "refuted");
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_all_pass),
		cmocka_unit_test(test_cap),
		cmocka_unit_test(test_no_log_line),
	};

	return cmocka_run_group_tests_name("tw_buckets (root, real kernel)", tests,
					   setup, itest_free);
}
