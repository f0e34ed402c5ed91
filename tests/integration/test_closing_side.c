// SPDX-License-Identifier: GPL-2.0
/*
 * closing_side against the real kernel: for each way of closing, one
 * TIME_WAIT socket per connection at the end that closed first and none
 * at the other (K02) -- so 50 short connections cost 50, wherever they
 * land, and 50 exchanges on one kept-alive connection cost one.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "itest.h"

#define NCONN	50	/* the case's connections per pattern, exchanges on the kept-alive one */

static int setup(void **state)
{
	return itest_run(state, "closing_side");
}

static void test_all_pass(void **state)
{
	ITEST_NEED_RUN(state);
	itest_assert_case_passed(*state, "closing_side", 2);
}

static void check(json_t *in, const char *what, double want, const char *kind)
{
	json_t *v = itest_verdict(in, what);

	assert_string_equal(itest_str(v, "id"), "A09");
	assert_string_equal(itest_str(v, "fact"), "K02");
	assert_string_equal(itest_str(v, "unit"), "sockets");
	assert_true(itest_num(v, "measured") == want);
	assert_true(itest_expected(v, 0) == want);
	itest_assert_verdict(v, kind);
}

/* The remedy works for the server, and moves the sockets to the client (the project's). */
static void test_client_closes(void **state)
{
	json_t *in;
	size_t i;

	ITEST_NEED_RUN(state);
	json_array_foreach(itest_instances(*state), i, in) {
		check(in, "client closes first: TIME_WAIT at the server", 0, "confirmed");
		/* moved, not removed: the project's sub-claim, judged by its count */
		check(in, "client closes first: TIME_WAIT at the client", NCONN, "confirmed");
	}
}

static void test_server_closes(void **state)
{
	json_t *in;
	size_t i;

	ITEST_NEED_RUN(state);
	json_array_foreach(itest_instances(*state), i, in) {
		check(in, "server closes first: TIME_WAIT at the server", NCONN, "confirmed");
		check(in, "server closes first: TIME_WAIT at the client", 0, "confirmed");
	}
}

static void test_keep_alive(void **state)
{
	json_t *in;
	size_t i;

	ITEST_NEED_RUN(state);
	json_array_foreach(itest_instances(*state), i, in) {
		check(in, "keep-alive, client closes: TIME_WAIT at the client", 1, "confirmed");
		check(in, "keep-alive, client closes: TIME_WAIT at the server", 0, "confirmed");
		print_message("%s: %s\n", itest_str(in, "name"), itest_str(itest_verdict(in,
			      "keep-alive, client closes: TIME_WAIT at the client"), "evidence"));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_all_pass),
		cmocka_unit_test(test_client_closes),
		cmocka_unit_test(test_server_closes),
		cmocka_unit_test(test_keep_alive),
	};

	return cmocka_run_group_tests_name("closing_side (root, real kernel)", tests,
					   setup, itest_free);
}
