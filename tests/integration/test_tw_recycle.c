// SPDX-License-Identifier: GPL-2.0
/*
 * tw_recycle against the real kernel, in its NAT lab, at tcp_timestamps
 * 1 and 2: the sysctl as this test's namespace shows it, and the SYNs
 * from behind one address whose TSval went back.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <unistd.h>

#include <cmocka.h>

#include "itest.h"

#define NFAMILIES	2
#define NVALUES		2	/* tcp_timestamps 1 and 2 */

static int setup(void **state)
{
	return itest_run(state, "tw_recycle");
}

static void test_all_pass(void **state)
{
	json_t *in;
	size_t i;
	int seen[3] = { 0 };

	ITEST_NEED_RUN(state);
	itest_assert_case_passed(*state, "tw_recycle", NFAMILIES * NVALUES);
	json_array_foreach(itest_instances(*state), i, in) {
		int ts = itest_param(in, "tcp_timestamps");

		assert_true(ts == 1 || ts == 2);
		seen[ts]++;
	}
	assert_int_equal(seen[1], NFAMILIES);
	assert_int_equal(seen[2], NFAMILIES);
}

/* A13 (K09): the sysctl is there or not, as it is in this test's namespace (4.11 on). */
static void test_recycle(void **state)
{
	bool exists = access("/proc/sys/net/ipv4/tcp_tw_recycle", F_OK) == 0;
	json_t *in;
	size_t i;

	ITEST_NEED_RUN(state);
	json_array_foreach(itest_instances(*state), i, in) {
		json_t *v = itest_verdict(in, "tcp_tw_recycle present");

		assert_true(itest_num(v, "measured") == exists);
		itest_assert_verdict(v, "confirmed");
		assert_string_equal(itest_str(v, "fact"), "K09");
		assert_string_equal(itest_str(v, "id"), "A13");
	}
}

/* A13 (K09): keyed offsets make TSvals go back behind one address at 1; one clock at 2. */
static void test_older_syns(void **state)
{
	json_t *in;
	size_t i;

	ITEST_NEED_RUN(state);
	json_array_foreach(itest_instances(*state), i, in) {
		json_t *v = itest_verdict(in, "SYNs from behind one NAT address");
		double older = itest_num(v, "measured");

		if (itest_param(in, "tcp_timestamps") == 2) {
			assert_true(older == 0);
			itest_assert_verdict(v, "refuted");
			continue;
		}
		assert_true(older >= 1);
		itest_assert_verdict(v, "confirmed");
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_all_pass),
		cmocka_unit_test(test_recycle),
		cmocka_unit_test(test_older_syns),
	};

	return cmocka_run_group_tests_name("tw_recycle (root, real kernel)", tests, setup,
					   itest_free);
}
