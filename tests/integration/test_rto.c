// SPDX-License-Identifier: GPL-2.0
/*
 * rto against the real kernel: ss, TCP_INFO and sock_diag report one RTO
 * (A15), and at every delay the RTO is __tcp_set_rto()'s, recomputed
 * here from the tcpi_rtt and tcpi_rttvar the case read and the run's HZ:
 * ceil((rtt + max(4 rttvar, tcp_rto_min_us)) / jiffy), K13.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "itest.h"

static const unsigned int delays[] = { 10, 50, 200 };

static int setup(void **state)
{
	return itest_run(state, "rto");
}

static unsigned int run_hz(void **state)
{
	return itest_num(json_object_get(*state, "kernel"), "hz");
}

static unsigned int rto_min_us(void **state)
{
	json_t *d = json_object_get(json_object_get(*state, "kernel"), "defaults");
	const char *v = json_string_value(json_object_get(d, "tcp_rto_min_us"));

	return v ? strtoul(v, NULL, 10) : 200000;	/* HZ/5 before 6.11 */
}

static double formula_ms(unsigned int hz, unsigned int rtt, unsigned int rttvar,
			 unsigned int min_us)
{
	uint64_t var = 4ULL * rttvar, us = rtt + (var > min_us ? var : min_us);

	return (double)((us * hz + 999999) / 1000000) * 1000.0 / hz;
}

static void test_all_pass(void **state)
{
	json_t *in;
	size_t i;

	ITEST_NEED_RUN(state);
	itest_assert_case_passed(*state, "rto", 2);
	json_array_foreach(itest_instances(*state), i, in)
		assert_true(!strcmp(itest_str(in, "impair"), "nft") ||
			    !strcmp(itest_str(in, "impair"), "netem"));
}

static void test_readers_agree(void **state)
{
	json_t *in, *v;
	size_t i;

	ITEST_NEED_RUN(state);
	json_array_foreach(itest_instances(*state), i, in) {
		v = itest_verdict(in, "as ss -ti prints it");
		assert_string_equal(itest_str(v, "id"), "A15");
		assert_true(itest_num(v, "measured") == itest_expected(v, 0));
		itest_assert_verdict(v, "confirmed");
	}
}

/* At no delay: exactly the formula, and above tcp_rto_min_us. */
static void test_floor(void **state)
{
	unsigned int hz = run_hz(state), min = rto_min_us(state), rtt;
	json_t *in, *v;
	const char *e;
	size_t i;

	ITEST_NEED_RUN(state);
	json_array_foreach(itest_instances(*state), i, in) {
		v = itest_verdict(in, "near-zero-RTT veth");
		e = strstr(itest_str(v, "evidence"), "tcpi_rtt ");
		assert_non_null(e);
		assert_int_equal(sscanf(e, "tcpi_rtt %u us", &rtt), 1);
		assert_true(itest_expected(v, 0) == formula_ms(hz, rtt, 0, min));
		assert_true(itest_num(v, "measured") == itest_expected(v, 0));
		assert_true(itest_num(v, "measured") * 1000 >= min);
		itest_assert_verdict(v, "refined");
		print_message("%s: RTO %.0f ms at no delay\n", itest_str(in, "name"),
			      itest_num(v, "measured"));
	}
}

/* At each delay: the formula to a jiffy, and at least the RTT above the floor. */
static void test_delays(void **state)
{
	unsigned int hz = run_hz(state), min = rto_min_us(state), rtt, var;
	double jiffy = 1000.0 / hz;
	json_t *in, *v;
	char what[64];
	const char *e;
	size_t i;

	ITEST_NEED_RUN(state);
	json_array_foreach(itest_instances(*state), i, in) {
		for (size_t d = 0; d < sizeof(delays) / sizeof(delays[0]); d++) {
			double want;

			snprintf(what, sizeof(what), "RTO with %u ms one-way delay", delays[d]);
			v = itest_verdict(in, what);
			e = strstr(itest_str(v, "evidence"), "tcpi_rtt ");
			assert_non_null(e);
			assert_int_equal(sscanf(e, "tcpi_rtt %u us, tcpi_rttvar %u us", &rtt, &var), 2);
			want = formula_ms(hz, rtt, var, min);
			assert_true(rtt >= delays[d] * 900);	/* srtt nears the delay from below */
			assert_true(itest_expected(v, 0) == want - jiffy);
			assert_true(itest_expected(v, 1) == want + jiffy);
			assert_true(itest_num(v, "measured") > want - jiffy);
			assert_true(itest_num(v, "measured") <= want + jiffy);
			assert_true(itest_num(v, "measured") * 1000 >= min + rtt);
			itest_assert_verdict(v, "confirmed");
			print_message("%s: RTO %.0f ms at %u ms delay (rtt %u us)\n",
				      itest_str(in, "name"), itest_num(v, "measured"), delays[d], rtt);
		}
	}
}

static void test_max(void **state)
{
	json_t *in, *v;
	size_t i;

	ITEST_NEED_RUN(state);
	json_array_foreach(itest_instances(*state), i, in) {
		v = itest_verdict(in, "maximum RTO");
		assert_true(itest_expected(v, 0) == 120000);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_all_pass),
		cmocka_unit_test(test_readers_agree),
		cmocka_unit_test(test_floor),
		cmocka_unit_test(test_delays),
		cmocka_unit_test(test_max),
	};

	return cmocka_run_group_tests_name("rto (root, real kernel)", tests, setup, itest_free);
}
