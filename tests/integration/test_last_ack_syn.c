// SPDX-License-Identifier: GPL-2.0
/*
 * last_ack_syn against the real kernel: a SYN onto the peer's LAST_ACK
 * draws a challenge ACK, not an RST (K18); the client RSTs it from
 * SYN_SENT, which ends the LAST_ACK; and the SYN, re-armed to
 * TCP_TIMEOUT_MIN (2 jiffies), connects within that level-0 timer's
 * window -- recomputed here from the run's HZ -- far from the 1 s of
 * TCP_TIMEOUT_INIT.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "expect.h"
#include "itest.h"

#define TCP_TIMEOUT_MIN	2	/* jiffies */
#define SLACK_MS	2

static int setup(void **state)
{
	return itest_run(state, "last_ack_syn");
}

static void test_all_pass(void **state)
{
	json_t *in;
	size_t i;

	ITEST_NEED_RUN(state);
	itest_assert_case_passed(*state, "last_ack_syn", 2);
	json_array_foreach(itest_instances(*state), i, in)
		assert_true(*itest_str(in, "impair"));
}

static void test_challenge_ack_then_rst(void **state)
{
	json_t *in, *v;
	size_t i;

	ITEST_NEED_RUN(state);
	json_array_foreach(itest_instances(*state), i, in) {
		v = itest_verdict(in, "challenge ACKs it answers with");
		assert_string_equal(itest_str(v, "fact"), "K18");
		assert_true(itest_num(v, "measured") == 1);
		assert_non_null(strstr(itest_str(v, "evidence"), "answered with ACK ack"));
		itest_assert_verdict(v, "refuted");

		v = itest_verdict(in, "RSTs the challenge ACK");
		assert_true(itest_num(v, "measured") == 1);
		assert_non_null(strstr(itest_str(v, "evidence"), "is gone"));
	}
}

static void test_connect_time(void **state)
{
	unsigned int hz = itest_num(json_object_get(*state, "kernel"), "hz");
	struct window w, init;
	json_t *in, *v;
	size_t i;

	ITEST_NEED_RUN(state);
	assert_int_equal(expect_timer_window(hz, TCP_TIMEOUT_MIN, &w), 0);
	assert_int_equal(expect_timer_window(hz, hz, &init), 0);
	json_array_foreach(itest_instances(*state), i, in) {
		double ms;

		v = itest_verdict(in, "time to establish");
		ms = itest_num(v, "measured");
		assert_true(itest_expected(v, 0) == w.lo_ms);
		assert_true(itest_expected(v, 1) == w.hi_ms + SLACK_MS);
		assert_true(ms > w.lo_ms && ms <= w.hi_ms + SLACK_MS);
		assert_true(ms < init.lo_ms);
		itest_assert_verdict(v, "refuted");
		print_message("%s: connected %.1f ms after the first SYN\n", itest_str(in, "name"), ms);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_all_pass),
		cmocka_unit_test(test_challenge_ack_then_rst),
		cmocka_unit_test(test_connect_time),
	};

	return cmocka_run_group_tests_name("last_ack_syn (root, real kernel)", tests, setup,
					   itest_free);
}
