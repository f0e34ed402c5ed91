// SPDX-License-Identifier: GPL-2.0
/*
 * tw_ehash against the real kernel.  The lab's table is predicted here
 * from this namespace's /proc/sys, the one twlab starts in and makes its
 * labs from (net/ipv4/tcp_ipv4.c: tcp_set_hashinfo()).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>

#include "itest.h"

static int setup(void **state)
{
	return itest_run(state, "tw_ehash");
}

static void test_all_pass(void **state)
{
	ITEST_NEED_RUN(state);
	itest_assert_case_passed(*state, "tw_ehash", 2);
}

/* K12: a lab shares the global ehash (negative) unless our tcp_child_ehash_entries is set. */
static void test_ehash_of_a_namespace(void **state)
{
	long ehash, child;
	json_t *in, *v;
	size_t i;

	ITEST_NEED_RUN(state);
	if (!itest_read_long("/proc/sys/net/ipv4/tcp_ehash_entries", &ehash) ||
	    !itest_read_long("/proc/sys/net/ipv4/tcp_child_ehash_entries", &child)) {
		json_array_foreach(itest_instances(*state), i, in)
			itest_assert_verdict(itest_verdict(in, "tcp_ehash_entries"),
					     "not applicable");
		return;
	}
	json_array_foreach(itest_instances(*state), i, in) {
		v = itest_verdict(in, "tcp_ehash_entries");
		assert_string_equal(itest_str(v, "id"), "A06");
		assert_string_equal(itest_str(v, "fact"), "K12");
		if (child) {
			assert_true(itest_num(v, "measured") >= child);
			itest_assert_verdict(v, "refuted");
			continue;
		}
		assert_true(itest_num(v, "measured") < 0);
		if (ehash < 0)	/* we share it too: the same table */
			assert_true(itest_num(v, "measured") == ehash);
		itest_assert_verdict(v, "confirmed");
	}
}

/* The bind hash refuses the port; the ehash lookup of the 4-tuple answers connect() (K06). */
static void test_bind_and_ehash_lookup(void **state)
{
	json_t *in, *v;
	size_t i;

	ITEST_NEED_RUN(state);
	json_array_foreach(itest_instances(*state), i, in) {
		v = itest_verdict(in, "bind() to a TIME_WAIT socket's port");
		assert_true(itest_num(v, "measured") == 1);
		itest_assert_verdict(v, "confirmed");
		v = itest_verdict(in, "connect() onto a TIME_WAIT 4-tuple");
		assert_string_equal(itest_str(v, "fact"), "K06");
		assert_true(itest_num(v, "measured") == 1);
		itest_assert_verdict(v, "confirmed");
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_all_pass),
		cmocka_unit_test(test_ehash_of_a_namespace),
		cmocka_unit_test(test_bind_and_ehash_lookup),
	};

	return cmocka_run_group_tests_name("tw_ehash (root, real kernel)", tests,
					   setup, itest_free);
}
