// SPDX-License-Identifier: GPL-2.0
/*
 * last_ack_syn against the real kernel: a SYN onto the peer's LAST_ACK
 * draws a challenge ACK, not an RST (K18); the client RSTs it from
 * SYN_SENT, which ends the LAST_ACK; and the SYN, re-armed to
 * TCP_TIMEOUT_MIN (2 jiffies), goes again far sooner than the 1 s of
 * TCP_TIMEOUT_INIT.  Each sub-claim's figure inside the kernel's window.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "expect.h"
#include "itest.h"


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

/* A challenge ACK (2), not the article's RST (1); the client RSTs it. */
static void test_challenge_ack_then_rst(void **state)
{
	json_t *in, *v;
	size_t i;

	ITEST_NEED_RUN(state);
	json_array_foreach(itest_instances(*state), i, in) {
		v = itest_conclusive(in, "A17.answer", "refuted");
		if (v) {
			assert_true(itest_num(v, "measured") == 2);
			assert_non_null(strstr(itest_str(v, "evidence"), "a challenge ACK"));
		}
		v = itest_conclusive(in, "A17.client_rst", "refuted");
		if (v) {
			assert_true(itest_num(v, "measured") == 1);
			assert_non_null(strstr(itest_str(v, "evidence"), "is gone"));
		}
		itest_conclusive(in, "A17.connects", "refuted");
	}
}

/* The SYN again far sooner than TCP_TIMEOUT_INIT (1 s) after the challenge ACK. */
static void test_connect_time(void **state)
{
	unsigned int hz = itest_num(json_object_get(*state, "kernel"), "hz");
	struct window init;
	json_t *in, *v;
	size_t i;

	ITEST_NEED_RUN(state);
	assert_int_equal(expect_timer_window(hz, hz, &init), 0);
	json_array_foreach(itest_instances(*state), i, in) {
		double ms;

		v = itest_conclusive(in, "A17.syn_again", "refuted");
		if (!v)
			continue;
		ms = itest_num(v, "measured");
		assert_true(ms < init.lo_ms / 10);
		print_message("%s: the SYN again %.2f ms after the challenge ACK\n",
			      itest_str(in, "name"), ms);
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
