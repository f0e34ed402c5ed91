// SPDX-License-Identifier: GPL-2.0
/*
 * rto against the real kernel: ss, TCP_INFO and sock_diag report one RTO
 * (A15), and at every delay the RTO is __tcp_set_rto()'s, recomputed
 * here from the tcpi_rtt and tcpi_rttvar the case read and the run's HZ:
 * ceil((rtt + max(4 rttvar, tcp_rto_min_us)) / jiffy), K13; and the cap
 * is 120 s.  Each sub-claim's figure inside the kernel's window.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>

#include <cmocka.h>

#include "itest.h"

static const unsigned int delays[] = { 10, 50, 200 };

static int setup(void **state)
{
	return itest_run(state, "rto");
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
	json_t *in;
	size_t i;

	ITEST_NEED_RUN(state);
	json_array_foreach(itest_instances(*state), i, in) {
		itest_conclusive(in, "A15.ss_rto", "confirmed");
		itest_conclusive(in, "A15.diag_rto", "confirmed");
	}
}

/* At no delay: the formula to a jiffy, and at least tcp_rto_min_us. */
static void test_floor(void **state)
{
	unsigned int hz = itest_hz(*state), min = itest_rto_min_us(*state), rtt;
	json_t *in, *v;
	const char *e;
	size_t i;

	ITEST_NEED_RUN(state);
	json_array_foreach(itest_instances(*state), i, in) {
		v = itest_conclusive(in, "A16.rto_min", "confirmed");
		if (!v)
			continue;
		e = strstr(itest_str(v, "evidence"), "tcpi_rtt ");
		assert_non_null(e);
		assert_int_equal(sscanf(e, "tcpi_rtt %u us", &rtt), 1);
		assert_true(fabs(itest_num(v, "measured") - formula_ms(hz, rtt, 0, min)) <=
			    1000.0 / hz);
		assert_true(itest_num(v, "measured") * 1000 >= min);
		print_message("%s: RTO %.0f ms at no delay\n", itest_str(in, "name"),
			      itest_num(v, "measured"));
	}
}

/* At each delay: the formula to a jiffy, and at least the RTT above the floor. */
static void test_delays(void **state)
{
	unsigned int hz = itest_hz(*state), min = itest_rto_min_us(*state), rtt, var;
	json_t *in, *v;
	char id[64];
	const char *e;
	size_t i;

	ITEST_NEED_RUN(state);
	json_array_foreach(itest_instances(*state), i, in) {
		for (size_t d = 0; d < sizeof(delays) / sizeof(delays[0]); d++) {
			snprintf(id, sizeof(id), "A16.rto_delay_%ums", delays[d]);
			v = itest_conclusive(in, id, "confirmed");
			if (!v)
				continue;
			e = strstr(itest_str(v, "evidence"), "tcpi_rtt ");
			assert_non_null(e);
			assert_int_equal(sscanf(e, "tcpi_rtt %u us, tcpi_rttvar %u us", &rtt, &var), 2);
			assert_true(rtt >= delays[d] * 900);	/* srtt nears the delay from below */
			assert_true(fabs(itest_num(v, "measured") - formula_ms(hz, rtt, var, min)) <=
				    1000.0 / hz);
			assert_true(itest_num(v, "measured") * 1000 >= min + rtt);
			print_message("%s: RTO %.0f ms at %u ms delay (rtt %u us)\n",
				      itest_str(in, "name"), itest_num(v, "measured"), delays[d], rtt);
		}
	}
}

/* The cap, read through a route whose rto_min is above it: 120 s by default. */
static void test_max(void **state)
{
	json_t *in, *v;
	size_t i;

	ITEST_NEED_RUN(state);
	json_array_foreach(itest_instances(*state), i, in) {
		v = itest_conclusive(in, "A16.rto_max", "confirmed");
		if (v)
			assert_true(fabs(itest_num(v, "measured") - 120000) < 0.001);
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
