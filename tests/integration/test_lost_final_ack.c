// SPDX-License-Identifier: GPL-2.0
/*
 * lost_final_ack against the real kernel (about 62 s: one whole
 * TIME_WAIT): with exactly the final ACK dropped, the server waits in
 * LAST_ACK and sends its FIN again one RTO later -- a level-0 wheel timer
 * whose window is recomputed here from the run's HZ and the server's
 * tcpi_rto -- the client's TIME_WAIT ACKs it and restarts its timer
 * (K04), and lives TCP_TIMEWAIT_LEN from that second FIN (K03).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "expect.h"
#include "itest.h"

#define SLACK_MS	2	/* the case's sampling: a poll and a dump */

static int setup(void **state)
{
	return itest_run(state, "lost_final_ack");
}

static unsigned int run_hz(void **state)
{
	return itest_num(json_object_get(*state, "kernel"), "hz");
}

static void test_all_pass(void **state)
{
	json_t *in, *v;
	size_t i;

	ITEST_NEED_RUN(state);
	itest_assert_case_passed(*state, "lost_final_ack", 2);
	json_array_foreach(itest_instances(*state), i, in) {
		assert_true(*itest_str(in, "impair"));
		v = itest_verdict(in, "waits in LAST_ACK");
		assert_true(itest_num(v, "measured") == 1);
		v = itest_verdict(in, "ACKs the retransmitted FIN");
		assert_true(itest_num(v, "measured") == 1);
		itest_assert_verdict(v, "confirmed");
	}
}

static void test_fin_after_one_rto(void **state)
{
	unsigned int hz = run_hz(state), rto_us;
	json_t *in, *v;
	struct window w;
	const char *e;
	size_t i;

	ITEST_NEED_RUN(state);
	json_array_foreach(itest_instances(*state), i, in) {
		v = itest_verdict(in, "retransmits its FIN after one RTO");
		e = strstr(itest_str(v, "evidence"), "tcpi_rto was ");
		assert_non_null(e);
		assert_int_equal(sscanf(e, "tcpi_rto was %u us", &rto_us), 1);
		assert_int_equal(expect_timer_window(hz, ((uint64_t)rto_us * hz + 999999) / 1000000,
						     &w), 0);
		assert_true(itest_expected(v, 0) == w.lo_ms);
		assert_true(itest_expected(v, 1) == w.hi_ms + SLACK_MS);
		assert_true(itest_num(v, "measured") > w.lo_ms);
		assert_true(itest_num(v, "measured") <= w.hi_ms + SLACK_MS);
		print_message("%s: FIN again after %.1f ms, RTO %u us\n", itest_str(in, "name"),
			      itest_num(v, "measured"), rto_us);
	}
}

/* The timer's age is the time since the second FIN, not since the entry. */
static void test_timer_restarted(void **state)
{
	double since2, since1;
	json_t *in, *v;
	const char *e;
	size_t i;

	ITEST_NEED_RUN(state);
	json_array_foreach(itest_instances(*state), i, in) {
		v = itest_verdict(in, "restarted by the retransmitted FIN");
		e = strstr(itest_str(v, "evidence"), "second FIN (");
		assert_non_null(e);
		assert_int_equal(sscanf(e, "second FIN (%lf ms before the read), not at the entry "
					"(%lf ms)", &since2, &since1), 2);
		assert_true(itest_num(v, "measured") > itest_expected(v, 0));
		assert_true(itest_num(v, "measured") <= itest_expected(v, 1));
		/* an unrestarted timer would be one RTO (>= 200 ms) older */
		assert_true(itest_num(v, "measured") < since1 - 100);
	}
}

static void test_lifetime(void **state)
{
	json_t *in, *v;
	struct window tw;
	size_t i;

	ITEST_NEED_RUN(state);
	assert_int_equal(expect_tw_window(run_hz(state), &tw), 0);
	json_array_foreach(itest_instances(*state), i, in) {
		v = itest_verdict(in, "lifetime, counted from the retransmitted FIN");
		assert_true(itest_expected(v, 0) == tw.lo_ms);
		assert_true(itest_expected(v, 1) == tw.hi_ms + SLACK_MS);
		assert_true(itest_num(v, "measured") > tw.lo_ms);
		assert_true(itest_num(v, "measured") <= tw.hi_ms + SLACK_MS);
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
