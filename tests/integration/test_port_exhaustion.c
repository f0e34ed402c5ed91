// SPDX-License-Identifier: GPL-2.0
/*
 * port_exhaustion against the real kernel: the failing connect(), the
 * per-destination capacity, reuse after the delay (K15, K08), and the rate
 * the default range sustains over a TIME_WAIT (K03), each decided
 * sub-claim's figure and evidence checked against what is recomputed here.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "expect.h"
#include "itest.h"

#define NPORTS 64	/* the case's narrowed range */

static int setup(void **state)
{
	return itest_run(state, "port_exhaustion");
}

static void test_all_pass(void **state)
{
	ITEST_NEED_RUN(state);
	itest_assert_case_passed(*state, "port_exhaustion", 2);
}

/*
 * @id decided: @n connect()s, as its evidence counts them, of a
 * NPORTS-port range, and the kernel's reason (@why) said.
 */
static void check_count(json_t *in, const char *id, const char *fact, const char *why)
{
	json_t *v = itest_conclusive(in, id, "confirmed");
	int n, ports;

	if (!v)
		return;
	assert_string_equal(itest_str(v, "fact"), fact);
	assert_int_equal(itest_num(v, "measured"), NPORTS);
	itest_evidence_scan(v, 2, "%d of a %d-port range", &n, &ports);
	assert_int_equal(n, NPORTS);
	assert_int_equal(ports, NPORTS);
	assert_non_null(strstr(itest_str(v, "evidence"), why));
}

/*
 * K15: connect() fails (EADDRNOTAVAIL) once every port holds a TIME_WAIT
 * toward one address, a second address gets them all again (a TIME_WAIT
 * holds its 4-tuple); K08: tcp_tw_reuse=1 lends each of them out.
 */
static void test_exhaustion_per_destination(void **state)
{
	json_t *in;
	size_t i;

	ITEST_NEED_RUN(state);
	json_array_foreach(itest_instances(*state), i, in) {
		check_count(in, "A05.exhaust_one_dest", "K15", "(EADDRNOTAVAIL)");
		check_count(in, "A05r.other_dest", "K15", "a TIME_WAIT blocks its 4-tuple");
		check_count(in, "A05.reuse_reopens", "K08", "tcp_twsk_unique() lent out");
	}
}

/*
 * The rate, from how long each port was held: TCP_TIMEWAIT_LEN on the
 * wheel at the run's HZ, less the jiffy phase (K03, K20), recomputed
 * here; the default range, from the run's own report of the kernel, over
 * that span.  Measured once per run, in the ipv4 instance.
 */
static void test_sustained_rate(void **state)
{
	json_t *defaults, *in, *v;
	int lo, hi, seen = 0;
	struct window tw;
	double ports;
	size_t i;

	ITEST_NEED_RUN(state);
	defaults = json_object_get(json_object_get(*state, "kernel"), "defaults");
	assert_int_equal(sscanf(itest_str(defaults, "ip_local_port_range"), "%d %d", &lo, &hi), 2);
	ports = hi - lo + 1;
	assert_int_equal(expect_tw_window(itest_hz(*state), &tw), 0);
	assert_int_equal(expect_timer_span(itest_hz(*state), tw.timeout_jiffies, &tw), 0);
	json_array_foreach(itest_instances(*state), i, in) {
		double hmin, hmax, rate;
		int nhold, range;

		if (!itest_subclaim_maybe(in, "A05.sustained_rate"))
			continue;
		seen++;
		v = itest_conclusive(in, "A05.sustained_rate", "confirmed");
		if (!v)
			continue;
		/* tcp_max_tw_buckets below the range would leave no kernel window (K10) */
		assert_true(atof(itest_str(defaults, "tcp_max_tw_buckets")) >= ports);
		rate = itest_num(v, "measured");
		itest_assert_window(v, "kernel", ports * 1000 / tw.hi_ms, ports * 1000 / tw.lo_ms,
				    1e-6);
		assert_true(rate - itest_below(v) >= ports * 1000 / tw.hi_ms);
		assert_true(rate < ports * 1000 / tw.lo_ms);
		itest_evidence_scan(v, 4, "%d ports of a narrowed range, each held in "
				    "TIME_WAIT within %lf-%lf s (entry to the connect() that got it "
				    "back): the default range's %d ports", &nhold, &hmin, &hmax,
				    &range);
		assert_int_equal(range, ports);
		assert_true(nhold > 0 && nhold <= NPORTS);
		/* each hold inside the span; printed to a tenth of a second */
		assert_true(hmin > tw.lo_ms / 1000 - 0.05 && hmax <= tw.hi_ms / 1000 + 0.05);
		print_message("%s: %.1f/s (-%.2f), held %.1f-%.1f s: [%.1f, %.1f)\n",
			      itest_str(in, "name"), rate, itest_below(v), hmin, hmax,
			      ports * 1000 / tw.hi_ms, ports * 1000 / tw.lo_ms);
	}
	assert_int_equal(seen, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_all_pass),
		cmocka_unit_test(test_exhaustion_per_destination),
		cmocka_unit_test(test_sustained_rate),
	};

	return cmocka_run_group_tests_name("port_exhaustion (root, real kernel)", tests, setup,
					   itest_free);
}
