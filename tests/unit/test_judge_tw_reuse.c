// SPDX-License-Identifier: GPL-2.0
/*
 * tw_reuse's judge on synthetic probes.  On 6.18 connect() may take a
 * TIME_WAIT over at its entry stamp's ms + tcp_tw_reuse_delay + 1; on
 * 6.1 at the next whole second after its last timestamp, (-lag, 1004] ms
 * after the entry at HZ=250; on 4.14 after more than one whole second,
 * (1000 - lag, 2004].  Our FIN leaves at 5000.05 ms, the entry is seen
 * 0.05 ms later, so the stamp's ms is 5000.
 */
#include <math.h>

#include "judge_test.h"
#include "judges/tw_reuse.h"

#define THR_V	"A11.reuse_threshold.veth"
#define THR_L	"A11.reuse_threshold.loopback"
#define TAK_V	"A11.reuse_taken.veth"
#define TAK_L	"A11.reuse_taken.loopback"
#define INC	"A11.incoming_syn"
#define DEF	"A11.reuse_default"

#define FIN	5000.05

/* One TIME_WAIT: refused @refused ms after our FIN, taken over @taken ms after it. */
static struct tw_reuse_tw tw(double refused, double taken)
{
	return (struct tw_reuse_tw){
		.fin_ms = FIN, .entry_ms = FIN + 0.05,
		.refused_ms = FIN + refused, .taken_ms = FIN + taken,
	};
}

static struct tw_reuse_fig fig(unsigned int version, int reuse, int ts, unsigned int delay,
			       double refused, double taken)
{
	struct tw_reuse_fig f = {
		.version = version, .hz = 250, .reuse = reuse, .timestamps = ts,
		.delay_ms = delay, .incoming = 1, .reuse_default = -1,
	};

	for (int i = 0; i < TW_REUSE_NPATH; i++) {
		f.path[i].n = 3;
		f.path[i].probes = 300;
		f.path[i].max_age_ms = taken;
		for (int k = 0; k < 3; k++)
			f.path[i].tw[k] = tw(refused, taken);
	}
	return f;
}

static void never_taken(struct tw_reuse_path *p, double refused)
{
	for (int k = 0; k < p->n; k++)
		p->tw[k] = tw(refused, NAN);
}

JT_DEFINE_JUDGE(tw_reuse)

/* 6.18, delay 1000: taken at the stamp's ms + 1001, the article's "older than 1 s". */
static void delay_1000_confirmed(void **state)
{
	struct tw_result r = judge(fig(KV(6, 18, 0), 1, 1, 1000, 1000.85, 1000.95));

	(void)state;
	jt_expect(&r, THR_V, V_CONFIRMED, REL_INSIDE);
	jt_expect(&r, THR_L, V_CONFIRMED, REL_INSIDE);
	jt_expect(&r, TAK_V, V_CONFIRMED, REL_INSIDE);
	jt_expect(&r, INC, V_REFUTED, REL_INSIDE);
	assert_true(jt_verdict(&r, THR_V)->measured == 1001);
	jt_outcome(&r, R_PASS);
}

/* 6.18, delay 100: the kernel's window and the article's are apart. */
static void delay_100_refuted(void **state)
{
	struct tw_result r = judge(fig(KV(6, 18, 0), 1, 1, 100, 100.85, 100.95));

	(void)state;
	jt_expect(&r, THR_V, V_REFUTED, REL_INSIDE);
	jt_outcome(&r, R_PASS);
}

/* A bracket over two whole ms cannot tell 1000 from 1001: inconclusive. */
static void two_ms_inconclusive(void **state)
{
	struct tw_result r = judge(fig(KV(6, 18, 0), 1, 1, 1000, 999.5, 1001.2));

	(void)state;
	jt_expect(&r, THR_V, V_INCONCLUSIVE, REL_STRADDLES);
	jt_outcome(&r, R_INCONCLUSIVE);
}

/* Taken half a second early, or refused past the threshold: the kernel failed. */
static void ms_outside_fails(void **state)
{
	struct tw_reuse_fig f = fig(KV(6, 18, 0), 1, 1, 1000, 499.9, 500.1);
	struct tw_result r;

	(void)state;
	r = judge(f);
	jt_expect(&r, THR_V, V_REFUTED, REL_OUTSIDE);
	jt_outcome(&r, R_FAIL);

	f = fig(KV(6, 18, 0), 1, 1, 1000, 1000.85, 1000.95);
	never_taken(&f.path[TW_REUSE_LOOPBACK], 2500);
	f.path[TW_REUSE_LOOPBACK].tw[0] = tw(1000.85, 1000.95);
	r = judge(f);
	jt_expect(&r, THR_L, V_REFUTED, REL_OUTSIDE);
	jt_outcome(&r, R_FAIL);

	/* no whole ms between refusal and take-over: not a clock in ms */
	r = judge(fig(KV(6, 18, 0), 1, 1, 1000, 1000.2, 1000.6));
	jt_expect(&r, THR_V, V_CONFIRMED, REL_OUTSIDE);
	jt_outcome(&r, R_FAIL);
}

/*
 * The defect: with a (0, 2000] window and probes 300 ms apart nothing
 * but "confirmed" came out.  6.1 reuses at the next whole second:
 * 0-1 s, which the article's "older than 1 s" does not hold.
 */
static void whole_second_kernel_refines(void **state)
{
	struct tw_reuse_fig f = fig(KV(6, 1, 0), 1, 1, 0, 0, 0);
	struct tw_result r;

	(void)state;
	for (int i = 0; i < TW_REUSE_NPATH; i++)
		for (int k = 0; k < 3; k++)
			f.path[i].tw[k] = tw(200 + 300 * k, 201 + 300 * k);
	r = judge(f);
	jt_expect(&r, THR_V, V_REFINED, REL_INSIDE);
	jt_outcome(&r, R_PASS);
}

/* A 6.1 kernel that waited 1.5 s has left its window: a failure. */
static void whole_second_kernel_too_late_fails(void **state)
{
	struct tw_result r = judge(fig(KV(6, 1, 0), 1, 1, 0, 1500, 1501));

	(void)state;
	jt_expect(&r, THR_V, V_CONFIRMED, REL_OUTSIDE);
	jt_outcome(&r, R_FAIL);
}

/* 4.14 counts more than one whole second: 1-2 s, the article's own kernel. */
static void old_kernel_confirmed(void **state)
{
	struct tw_result r = judge(fig(KV(4, 14, 0), 1, 1, 0, 1500, 1501));

	(void)state;
	jt_expect(&r, THR_V, V_CONFIRMED, REL_INSIDE);
	jt_outcome(&r, R_PASS);
}

/* The defect: a kernel that should reuse and did not fails the run, not the article. */
static void not_taken_fails(void **state)
{
	struct tw_reuse_fig f = fig(KV(6, 18, 0), 1, 1, 1000, 1000.85, 1000.95);
	struct tw_result r;

	(void)state;
	never_taken(&f.path[TW_REUSE_VETH], 3000);
	r = judge(f);
	jt_expect(&r, TAK_V, V_REFUTED, REL_OUTSIDE);
	jt_outcome(&r, R_FAIL);
	assert_non_null(strstr(r.reason, TAK_V));
}

/* Reuse off, or no timestamps: never taken over, as both say. */
static void off_confirmed(void **state)
{
	struct tw_reuse_fig f = fig(KV(6, 18, 0), 0, 1, 1000, 0, 0);
	struct tw_result r;

	(void)state;
	for (int i = 0; i < TW_REUSE_NPATH; i++)
		never_taken(&f.path[i], 3000);
	r = judge(f);
	jt_expect(&r, TAK_V, V_CONFIRMED, REL_INSIDE);
	jt_expect(&r, TAK_L, V_CONFIRMED, REL_INSIDE);
	assert_int_equal(r.nverdicts, 3);	/* no threshold without a take-over */
	jt_outcome(&r, R_PASS);

	f.reuse = 1;
	f.timestamps = 0;
	f.path[TW_REUSE_LOOPBACK].tw[1] = tw(1000.85, 1000.95);	/* without timestamps: a fault */
	r = judge(f);
	jt_expect(&r, TAK_V, V_CONFIRMED, REL_INSIDE);
	jt_expect(&r, TAK_L, V_REFUTED, REL_OUTSIDE);
	jt_outcome(&r, R_FAIL);
}

/* tcp_tw_reuse=2: loopback only since 4.19; before it, 2 is as 1. */
static void reuse_2_by_version(void **state)
{
	struct tw_reuse_fig f = fig(KV(6, 18, 0), 2, 1, 1000, 1000.85, 1000.95);
	struct tw_result r;

	(void)state;
	never_taken(&f.path[TW_REUSE_VETH], 3000);
	r = judge(f);
	jt_expect(&r, TAK_V, V_REFUTED, REL_INSIDE);
	jt_expect(&r, TAK_L, V_CONFIRMED, REL_INSIDE);
	jt_outcome(&r, R_PASS);

	f = fig(KV(4, 14, 0), 2, 1, 0, 1500, 1501);
	r = judge(f);
	jt_expect(&r, TAK_V, V_CONFIRMED, REL_INSIDE);
	jt_expect(&r, THR_V, V_CONFIRMED, REL_INSIDE);
	jt_outcome(&r, R_PASS);

	never_taken(&f.path[TW_REUSE_VETH], 3000);
	r = judge(f);
	jt_expect(&r, TAK_V, V_REFUTED, REL_OUTSIDE);
	jt_outcome(&r, R_FAIL);
}

/*
 * The defect seen on 7.3: "in (972, 960]", a refusal after a take-over,
 * reported as a failure.  Probes that contradict each other decide
 * nothing: inconclusive.
 */
static void contradiction_inconclusive(void **state)
{
	struct tw_result r = judge(fig(KV(7, 3, 0), 1, 1, 1000, 972, 960));

	(void)state;
	jt_expect(&r, THR_V, V_INCONCLUSIVE, REL_STRADDLES);
	jt_outcome(&r, R_INCONCLUSIVE);
}

/* The whole-second kernels' window has edges too: a bracket across one decides nothing. */
static void age_straddle_inconclusive(void **state)
{
	struct tw_result r = judge(fig(KV(6, 1, 0), 1, 1, 0, 1003, 1005));

	(void)state;
	jt_expect(&r, THR_L, V_INCONCLUSIVE, REL_STRADDLES);
	jt_outcome(&r, R_INCONCLUSIVE);
}

static void incoming_and_default(void **state)
{
	struct tw_reuse_fig f = fig(KV(6, 18, 0), 2, 1, 1000, 1000.85, 1000.95);
	struct tw_result r;

	(void)state;
	never_taken(&f.path[TW_REUSE_VETH], 3000);
	f.incoming = 0;
	f.reuse_default = 2;
	r = judge(f);
	jt_expect(&r, INC, V_CONFIRMED, REL_OUTSIDE);
	jt_expect(&r, DEF, V_REFUTED, REL_INSIDE);
	jt_outcome(&r, R_FAIL);

	f.incoming = 1;
	f.reuse_default = 0;
	r = judge(f);
	jt_expect(&r, DEF, V_CONFIRMED, REL_OUTSIDE);
	jt_outcome(&r, R_FAIL);

	f.version = KV(4, 14, 0);
	f.delay_ms = 0;
	f.reuse = 0;
	never_taken(&f.path[TW_REUSE_LOOPBACK], 3000);
	r = judge(f);
	jt_expect(&r, DEF, V_CONFIRMED, REL_INSIDE);
	jt_outcome(&r, R_PASS);
}

/*
 * What port_exhaustion and reuse_isn wait for before they count on reuse:
 * the latest a TIME_WAIT can be taken over, by version.  The 0-2 s of
 * old was too short on the oldest kernels and counted from the first
 * entry, not the last.
 */
static void latest_by_version(void **state)
{
	(void)state;
	assert_true(tw_reuse_latest_ms(KV(6, 18, 0), 250, 1000) == 1001);
	assert_true(tw_reuse_latest_ms(KV(6, 18, 0), 250, 3000) == 3001);
	assert_true(tw_reuse_latest_ms(KV(6, 13, 0), 250, 0) == 1004);
	assert_true(tw_reuse_latest_ms(KV(4, 14, 0), 100, 0) == 2010);
}

JT_DEFINE_COVERAGE(tw_reuse)

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(delay_1000_confirmed),
		cmocka_unit_test(delay_100_refuted),
		cmocka_unit_test(two_ms_inconclusive),
		cmocka_unit_test(ms_outside_fails),
		cmocka_unit_test(whole_second_kernel_refines),
		cmocka_unit_test(whole_second_kernel_too_late_fails),
		cmocka_unit_test(old_kernel_confirmed),
		cmocka_unit_test(not_taken_fails),
		cmocka_unit_test(off_confirmed),
		cmocka_unit_test(reuse_2_by_version),
		cmocka_unit_test(contradiction_inconclusive),
		cmocka_unit_test(age_straddle_inconclusive),
		cmocka_unit_test(incoming_and_default),
		cmocka_unit_test(latest_by_version),
		cmocka_unit_test(coverage),
	};

	return cmocka_run_group_tests_name("judge tw_reuse", tests, NULL, NULL);
}
