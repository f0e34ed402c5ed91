// SPDX-License-Identifier: GPL-2.0
/*
 * tw_reuse against the real kernel: the whole matrix once, then each
 * instance's verdicts against what tcp_twsk_unique() predicts for its
 * sysctls (K06, K07, K08), recomputed here.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>

#include <cmocka.h>

#include "expect.h"
#include "itest.h"

static int setup(void **state)
{
	return itest_run(state, "tw_reuse");
}

/* The path's verdict: bounds within the K08 window, or no reuse at all. */
static void check_path(json_t *in, const char *path, bool loopback)
{
	int reuse = itest_param(in, "tcp_tw_reuse"), ts = itest_param(in, "tcp_timestamps");
	int delay = itest_param(in, "tcp_tw_reuse_delay");
	bool want = ts && (reuse == 1 || (reuse == 2 && loopback));
	json_t *v = itest_verdict(in, path), *b = json_object_get(v, "bounds");
	double lo, hi, above, at_most;

	if (!want) {
		assert_true(json_is_null(json_object_get(v, "measured")));
		assert_null(b);
		return;
	}
	assert_non_null(b);
	expect_reuse_window(delay > 0 ? delay : 0, &lo, &hi);
	above = itest_num(b, "above");
	at_most = itest_num(b, "at_most");
	assert_true(at_most - above <= 10);	/* the search's resolution */
	/*
	 * The case widens K08's window below by how stale the entry stamp
	 * can be (its evidence says by how much): a few ms at most.
	 */
	assert_true(itest_expected(v, 1) == hi);
	assert_true(itest_expected(v, 0) <= lo && itest_expected(v, 0) >= lo - 10);
	assert_true(above < hi + 1 && at_most > itest_expected(v, 0));
	print_message("%s %s: (%.2f, %.2f] ms, K08 window (%.0f, %.0f]\n",
		      itest_str(in, "name"), path, above, at_most, itest_expected(v, 0), hi);
}

static void test_matrix_is_complete(void **state)
{
	ITEST_NEED_RUN(state);
	/* 3 x 2 x 3 values, both families */
	itest_assert_case_passed(*state, "tw_reuse", 36);
}

static void test_outgoing_reuse(void **state)
{
	json_t *in;
	size_t i;

	ITEST_NEED_RUN(state);
	json_array_foreach(itest_instances(*state), i, in) {
		check_path(in, "over veth", false);
		check_path(in, "over loopback", true);
	}
}

/* K05: an incoming SYN takes over the server's TIME_WAIT at every setting. */
static void test_incoming_ignores_tw_reuse(void **state)
{
	json_t *in;
	size_t i;

	ITEST_NEED_RUN(state);
	json_array_foreach(itest_instances(*state), i, in) {
		json_t *v = itest_verdict(in, "incoming SYN");

		assert_true(json_is_number(json_object_get(v, "measured")));
		itest_assert_verdict(v, "refined");
	}
}

/* Only the instance at the kernel's defaults reports the default. */
static void test_default_reported_once_per_family(void **state)
{
	json_t *in, *defaults;
	size_t i;
	int n = 0;

	ITEST_NEED_RUN(state);
	defaults = json_object_get(json_object_get(*state, "kernel"), "defaults");
	json_array_foreach(itest_instances(*state), i, in) {
		json_t *v = itest_verdict_maybe(in, "default");

		if (!v)
			continue;
		n++;
		assert_int_equal(itest_num(v, "measured"), atoi(itest_str(defaults, "tcp_tw_reuse")));
	}
	assert_int_equal(n, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_matrix_is_complete),
		cmocka_unit_test(test_outgoing_reuse),
		cmocka_unit_test(test_incoming_ignores_tw_reuse),
		cmocka_unit_test(test_default_reported_once_per_family),
	};

	return cmocka_run_group_tests_name("tw_reuse (root, real kernel)", tests, setup, itest_free);
}
