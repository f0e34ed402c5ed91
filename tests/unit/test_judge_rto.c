// SPDX-License-Identifier: GPL-2.0
/*
 * rto's judge on synthetic readings: at HZ=250 and rto_min 200 ms a
 * near-zero RTT gives ceil(200.016 ms / 4 ms) = 51 jiffies = 204 ms; at
 * HZ=300, 61 jiffies = 203.333 ms, which ss prints as "rto:203.333".
 */
#include "judge_test.h"
#include "judges/rto.h"

#define SS	"A15.ss_rto"
#define DIAG	"A15.diag_rto"
#define MIN	"A16.rto_min"
#define D10	"A16.rto_delay_10ms"
#define D50	"A16.rto_delay_50ms"
#define D200	"A16.rto_delay_200ms"
#define MAX	"A16.rto_max"

static struct rto_reading reading(unsigned int d, uint32_t rto_us, uint32_t rtt_us)
{
	return (struct rto_reading){
		.delay_ms = d, .tcpi_rto_us = rto_us, .diag_rto_us = rto_us,
		.ss_rto_ms = rto_us / 1000.0, .rtt_us = rtt_us, .rttvar_us = rtt_us / 50,
		.exchanges = 32,
	};
}

static struct rto_fig fig(void)
{
	return (struct rto_fig){
		.hz = 250, .version = KV(6, 18, 0), .rto_min_us = 200000,
		.rto_max_sysctl = true, .rto_max_ms = 120000,
		.base = reading(0, 204000, 16),
		.ndelayed = 3,
		.delayed = { reading(10, 212000, 10200), reading(50, 252000, 50600),
			     reading(200, 404000, 200600) },
		.max_read = true, .max_route_ms = 200000, .max_rto_us = 120000000,
	};
}

JT_DEFINE_JUDGE(rto)

static void as_the_kernel_says(void **state)
{
	struct tw_result r = judge(fig());

	(void)state;
	jt_expect(&r, SS, V_CONFIRMED, REL_INSIDE);
	jt_expect(&r, DIAG, V_CONFIRMED, REL_INSIDE);
	jt_expect(&r, MIN, V_CONFIRMED, REL_INSIDE);
	jt_expect(&r, D10, V_CONFIRMED, REL_INSIDE);
	jt_expect(&r, D50, V_CONFIRMED, REL_INSIDE);
	jt_expect(&r, D200, V_CONFIRMED, REL_INSIDE);
	jt_expect(&r, MAX, V_CONFIRMED, REL_INSIDE);
	jt_outcome(&r, R_PASS);
}

/*
 * The defect: ss's "203.333" was compared with tcpi_rto 203333 us by
 * exact floating-point equality, which fails at HZ=300.  Within ss's
 * six digits they agree; a digit off in the last place does not.
 */
static void hz300_ss_precision(void **state)
{
	struct rto_fig f = fig();
	struct tw_result r;

	(void)state;
	f.hz = 300;
	f.base = reading(0, 203333, 16);
	f.base.ss_rto_ms = 203.333;
	f.ndelayed = 0;
	r = judge(f);
	jt_expect(&r, SS, V_CONFIRMED, REL_INSIDE);
	jt_expect(&r, MIN, V_CONFIRMED, REL_INSIDE);
	jt_outcome(&r, R_PASS);
	f.base.ss_rto_ms = 203.334;
	f.base.diag_rto_us = 203334;
	r = judge(f);
	jt_expect(&r, SS, V_REFUTED, REL_OUTSIDE);
	jt_expect(&r, DIAG, V_REFUTED, REL_OUTSIDE);
	jt_outcome(&r, R_FAIL);
}

/*
 * The defect: before 6.15 the maximum was "confirmed" with a NaN figure.
 * It is read on every kernel (a route whose rto_min is above the cap):
 * TCP_RTO_MAX = 120*HZ before 6.15; not read, it is undecided.
 */
static void max_before_6_15(void **state)
{
	struct rto_fig f = fig();
	struct tw_result r;

	(void)state;
	f.version = KV(6, 1, 0);
	f.rto_max_sysctl = false;
	r = judge(f);
	jt_expect(&r, MAX, V_CONFIRMED, REL_INSIDE);
	jt_outcome(&r, R_PASS);
	f.max_rto_us = 200000000;	/* not clamped */
	r = judge(f);
	jt_expect(&r, MAX, V_REFUTED, REL_OUTSIDE);
	jt_outcome(&r, R_FAIL);
	f.max_read = false;
	r = judge(f);
	jt_expect(&r, MAX, V_INCONCLUSIVE, REL_STRADDLES);
	jt_outcome(&r, R_INCONCLUSIVE);
}

/* Since 6.15 the cap is the namespace's tcp_rto_max_ms: 60 s refutes the article's 120 s. */
static void max_sysctl(void **state)
{
	struct rto_fig f = fig();
	struct tw_result r;

	(void)state;
	f.rto_max_ms = 60000;
	f.max_rto_us = 60000000;
	r = judge(f);
	jt_expect(&r, MAX, V_REFUTED, REL_INSIDE);
	jt_outcome(&r, R_PASS);
	f.max_rto_us = 120000000;	/* the sysctl ignored */
	r = judge(f);
	jt_expect(&r, MAX, V_CONFIRMED, REL_OUTSIDE);
	jt_outcome(&r, R_FAIL);
}

/* A lowered tcp_rto_min_us (6.11+): the RTO below 200 ms, as the kernel says. */
static void lower_minimum(void **state)
{
	struct rto_fig f = fig();
	struct tw_result r;

	(void)state;
	f.rto_min_us = 50000;
	f.base = reading(0, 52000, 16);
	f.delayed[0] = reading(10, 64000, 10200);
	f.delayed[1] = reading(50, 104000, 50600);
	f.delayed[2] = reading(200, 252000, 200600);
	f.delayed[2].rttvar_us = 0;
	r = judge(f);
	jt_expect(&r, MIN, V_REFUTED, REL_INSIDE);
	jt_expect(&r, D10, V_REFUTED, REL_INSIDE);
	jt_expect(&r, D50, V_REFUTED, REL_INSIDE);
	jt_expect(&r, D200, V_CONFIRMED, REL_INSIDE);
	jt_outcome(&r, R_PASS);
}

/* An RTO the formula does not give fails; ss that printed nothing is undecided. */
static void off_the_formula(void **state)
{
	struct rto_fig f = fig();
	struct tw_result r;

	(void)state;
	f.base.tcpi_rto_us = f.base.diag_rto_us = 196000;
	f.base.ss_rto_ms = NAN;
	f.delayed[0].tcpi_rto_us = 220000;
	f.delayed[1].tcpi_rto_us = 300000;
	f.delayed[2].tcpi_rto_us = 199000;
	r = judge(f);
	jt_expect(&r, SS, V_INCONCLUSIVE, REL_STRADDLES);
	jt_expect(&r, MIN, V_REFUTED, REL_OUTSIDE);
	jt_expect(&r, D10, V_CONFIRMED, REL_OUTSIDE);
	jt_expect(&r, D50, V_CONFIRMED, REL_OUTSIDE);
	jt_expect(&r, D200, V_REFUTED, REL_OUTSIDE);
	jt_outcome(&r, R_FAIL);
	/* 200 ms (not 204): a whole jiffy short, yet on the article's minimum */
	f = fig();
	f.base.tcpi_rto_us = 200000;
	r = judge(f);
	jt_expect(&r, MIN, V_CONFIRMED, REL_OUTSIDE);
}

/* An estimator that RTT spikes kept from settling is the machine: undecided, never a fail. */
static void unsettled_is_undecided(void **state)
{
	struct rto_fig f = fig();
	struct tw_result r;

	(void)state;
	f.delayed[2].unsettled = true;
	f.delayed[2].tcpi_rto_us = 480000;	/* rttvar_us still above the formula */
	r = judge(f);
	jt_expect(&r, D200, V_INCONCLUSIVE, REL_STRADDLES);
	jt_expect(&r, D50, V_CONFIRMED, REL_INSIDE);
	jt_outcome(&r, R_INCONCLUSIVE);
}

JT_DEFINE_COVERAGE(rto)

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(as_the_kernel_says),
		cmocka_unit_test(hz300_ss_precision),
		cmocka_unit_test(max_before_6_15),
		cmocka_unit_test(max_sysctl),
		cmocka_unit_test(lower_minimum),
		cmocka_unit_test(off_the_formula),
		cmocka_unit_test(unsettled_is_undecided),
		cmocka_unit_test(coverage),
	};

	return cmocka_run_group_tests_name("judge rto", tests, NULL, NULL);
}
