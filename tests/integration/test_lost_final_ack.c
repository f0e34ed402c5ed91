// SPDX-License-Identifier: GPL-2.0
/*
 * lost_final_ack against the real kernel (about 62 s: one whole
 * TIME_WAIT): with exactly the final ACK dropped, the server waits in
 * LAST_ACK and sends its FIN again one RTO later, the client's TIME_WAIT
 * ACKs it and restarts its timer (K04), and lives TCP_TIMEWAIT_LEN from
 * that second FIN (K03).  Each sub-claim's figure inside the kernel's
 * window.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <math.h>

#include <cmocka.h>

#include "expect.h"
#include "itest.h"

static int setup(void **state)
{
	return itest_run(state, "lost_final_ack");
}

static void test_all_pass(void **state)
{
	json_t *in, *v;
	size_t i;

	ITEST_NEED_RUN(state);
	itest_assert_case_passed(*state, "lost_final_ack", 2);
	json_array_foreach(itest_instances(*state), i, in) {
		assert_true(*itest_str(in, "impair"));
		v = itest_conclusive(in, "A04.last_ack", "confirmed");
		if (v)
			assert_true(itest_num(v, "measured") == 1);
		v = itest_conclusive(in, "A04.tw_answers", "confirmed");
		if (v)
			assert_true(itest_num(v, "measured") == 1);
	}
}

/* One RTO (at least 200 ms), far from two. */
static void test_fin_after_one_rto(void **state)
{
	json_t *in, *v;
	size_t i;

	ITEST_NEED_RUN(state);
	json_array_foreach(itest_instances(*state), i, in) {
		v = itest_conclusive(in, "A04.fin_retransmit", "confirmed");
		if (!v)
			continue;
		assert_true(itest_num(v, "measured") > 190 && itest_num(v, "measured") < 400);
		print_message("%s: FIN again after %.1f ms\n", itest_str(in, "name"),
			      itest_num(v, "measured"));
	}
}

/* The timer was armed at the second FIN, not at the entry one RTO before. */
static void test_timer_restarted(void **state)
{
	json_t *in, *v;
	size_t i;

	ITEST_NEED_RUN(state);
	json_array_foreach(itest_instances(*state), i, in) {
		v = itest_conclusive(in, "A04.tw_restart", "refuted");
		if (!v)
			continue;
		assert_true(fabs(itest_num(v, "measured")) < 50);
	}
}

static void test_lifetime(void **state)
{
	json_t *in, *v;
	struct window tw;
	size_t i;

	ITEST_NEED_RUN(state);
	assert_int_equal(expect_tw_window(itest_hz(*state), &tw), 0);
	json_array_foreach(itest_instances(*state), i, in) {
		v = itest_conclusive(in, "A04.tw_lifetime", "refined");
		if (!v)
			continue;
		assert_true(itest_num(v, "measured") <= tw.hi_ms);
		print_message("%s: %s\n", itest_str(in, "name"), itest_str(v, "evidence"));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_all_pass),
		cmocka_unit_test(test_fin_after_one_rto),
		cmocka_unit_test(test_timer_restarted),
		cmocka_unit_test(test_lifetime),
	};

	return cmocka_run_group_tests_name("lost_final_ack (root, real kernel)", tests, setup,
					   itest_free);
}
