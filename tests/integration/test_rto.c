// SPDX-License-Identifier: GPL-2.0
/*
 * rto against the real kernel: ss, TCP_INFO and sock_diag report one RTO
 * (A15), and at every delay the RTO is __tcp_set_rto()'s, recomputed
 * here from the tcpi_rtt and tcpi_rttvar the case read and the run's HZ:
 * ceil((rtt + max(4 rttvar, tcp_rto_min_us)) / jiffy), K13, or one jiffy
 * above it, never below; and the cap is 120 s (tcp_rto_max_ms since
 * 6.15).  Each decided sub-claim's figure inside the kernel's window; an
 * inconclusive one's figure is not checked.
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

#include "expect.h"
#include "itest.h"
#include "kernel.h"

static const unsigned int delays[] = { 10, 50, 200 };

static int setup(void **state)
{
	return itest_run(state, "rto");
}

/* __tcp_set_rto() from what TCP_INFO shows, in jiffies: usecs_to_jiffies() rounds up. */
static unsigned long formula_jiffies(unsigned int hz, unsigned int rtt, unsigned int rttvar,
				     unsigned int min_us)
{
	uint64_t var = 4ULL * rttvar, us = rtt + (var > min_us ? var : min_us);

	return expect_usecs_to_jiffies(hz, us);
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

/* TCP_INFO's tcpi_rto, as sock_diag passes it on and as ss prints it. */
static void test_readers_agree(void **state)
{
	unsigned int diag_us, info_us;
	json_t *in, *v;
	size_t i;

	ITEST_NEED_RUN(state);
	json_array_foreach(itest_instances(*state), i, in) {
		v = itest_conclusive(in, "A15.ss_rto", "confirmed");
		if (v) {
			itest_evidence_scan(v, 1, "TCP_INFO tcpi_rto %u us", &info_us);
			assert_true(fabs(itest_num(v, "measured") - info_us / 1000.0) <= 0.0005);
		}
		v = itest_conclusive(in, "A15.diag_rto", "confirmed");
		if (v) {
			itest_evidence_scan(v, 2, "INET_DIAG_INFO tcpi_rto %u us, "
					    "getsockopt(TCP_INFO) %u us", &diag_us, &info_us);
			assert_int_equal(diag_us, info_us);
			assert_true(itest_num(v, "measured") * 1000 == diag_us);
		}
	}
}

/*
 * One reading at @delay_ms, decided: the kernel's window is the formula,
 * recomputed here from the tcpi_rtt and tcpi_rttvar the case read and the
 * run's HZ, a jiffy either way; the RTO itself is the formula or one
 * jiffy above it.  rttvar_us, which TCP_INFO hides, is never below
 * max(4 tcpi_rttvar, rto_min) (tcp_rtt_estimator()), so never below; it
 * sits above only while a past RTT spike decays.  The number of exchanges
 * it took in *@exchanges.
 */
static int check_reading(json_t *v, unsigned int hz, unsigned int min_us,
			    unsigned int delay_ms, int *exchanges)
{
	unsigned int delay, rtt, var;
	double tick = 1000.0 / hz, ms = itest_num(v, "measured"), want;
	unsigned long j;
	long got;

	itest_evidence_scan(v, 4, "after %d exchanges at %u ms delay: tcpi_rtt %u us, "
			    "tcpi_rttvar %u us", exchanges, &delay, &rtt, &var);
	assert_int_equal(delay, delay_ms);
	j = formula_jiffies(hz, rtt, var, min_us);
	want = j * tick;
	itest_assert_window(v, "kernel", want - tick, want + tick, 1e-9);
	got = lround(ms / tick);
	assert_true(fabs(ms - got * tick) < 0.001);	/* jiffies_to_usecs(icsk_rto) */
	assert_true(got == (long)j || got == (long)j + 1);
	assert_true(ms * 1000 >= min_us + rtt);
	return got - (long)j;
}

/*
 * At no delay: the formula or a jiffy above, at least tcp_rto_min_us,
 * after at least SETTLE_RTTS exchanges, as cases/rto.c asks.  Not the
 * formula exactly, even when the first SETTLE_RTTS exchanges were clean:
 * the handshake's sample sets rttvar_us to max(2 RTT, rto_min)
 * (tcp_rtt_estimator()), and a handshake slowed past rto_min / 2 by a
 * busy machine leaves a decaying excess that TCP_INFO does not show.
 */
#define SETTLE_RTTS	32	/* cases/rto.c */

static void test_floor(void **state)
{
	json_t *in, *v;
	int exchanges;
	size_t i;

	ITEST_NEED_RUN(state);
	json_array_foreach(itest_instances(*state), i, in) {
		int above;

		v = itest_conclusive(in, "A16.rto_min", "confirmed");
		if (!v)
			continue;
		above = check_reading(v, itest_hz(*state), itest_rto_min_us(*state), 0, &exchanges);
		assert_true(exchanges >= SETTLE_RTTS);
		print_message("%s: RTO %.0f ms at no delay, the formula%s after %d exchanges\n",
			      itest_str(in, "name"), itest_num(v, "measured"),
			      above ? " and a jiffy" : "", exchanges);
	}
}

/* At each delay: the formula or a jiffy above, and at least the RTT above the floor. */
static void test_delays(void **state)
{
	json_t *in, *v;
	int exchanges;
	char id[64];
	size_t i;

	ITEST_NEED_RUN(state);
	json_array_foreach(itest_instances(*state), i, in) {
		for (size_t d = 0; d < sizeof(delays) / sizeof(delays[0]); d++) {
			unsigned int rtt;
			int above;

			snprintf(id, sizeof(id), "A16.rto_delay_%ums", delays[d]);
			v = itest_conclusive(in, id, "confirmed");
			if (!v)
				continue;
			above = check_reading(v, itest_hz(*state), itest_rto_min_us(*state),
					      delays[d], &exchanges);
			itest_evidence_scan(v, 1, "tcpi_rtt %u us", &rtt);
			assert_true(rtt >= delays[d] * 900);	/* srtt nears the delay from below */
			print_message("%s: RTO %.0f ms at %u ms delay (rtt %u us), the "
				      "formula%s\n", itest_str(in, "name"), itest_num(v, "measured"),
				      delays[d], rtt, above ? " and a jiffy" : "");
		}
	}
}

/*
 * The cap, read through a route whose rto_min is above it: TCP_RTO_MAX
 * (120 s), since 6.15 the namespace's tcp_rto_max_ms, whose default the
 * run reports.
 */
static void test_max(void **state)
{
	const char *sysctl;
	json_t *in, *v;
	double cap;
	size_t i;

	ITEST_NEED_RUN(state);
	sysctl = json_string_value(json_object_get(json_object_get(json_object_get(*state,
			"kernel"), "defaults"), "tcp_rto_max_ms"));
	cap = itest_version(*state) >= KV(6, 15, 0) && sysctl ? strtod(sysctl, NULL) : 120000;
	json_array_foreach(itest_instances(*state), i, in) {
		v = itest_conclusive(in, "A16.rto_max", "confirmed");
		if (!v)
			continue;
		itest_assert_window(v, "kernel", cap - 0.0005, cap + 0.0005, 1e-9);
		assert_true(fabs(itest_num(v, "measured") - cap) < 0.001);
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
