// SPDX-License-Identifier: GPL-2.0
/*
 * Timer-wheel windows, worked out by hand from kernel/time/timer.c
 * (LVL_CLK_SHIFT 3, LVL_BITS 6, LVL_START(n) = 63 << 3(n-1), granularity
 * 8^level) and checked here against the code, at every HZ Kconfig offers.
 */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "expect.h"

#define UNUSED __attribute__((unused))

/* Milliseconds as doubles: equal to well under a nanosecond. */
#define assert_ms(a, b) assert_true(fabs((a) - (double)(b)) < 1e-6)

static void check_window(unsigned int hz, unsigned long timeout, unsigned int level,
			 unsigned long gran, double lo_ms, double hi_ms)
{
	struct window w;

	assert_int_equal(expect_timer_window(hz, timeout, &w), 0);
	assert_int_equal(w.hz, hz);
	assert_int_equal(w.timeout_jiffies, timeout);
	assert_int_equal(w.level, level);
	assert_int_equal(w.gran_jiffies, gran);
	assert_ms(w.lo_ms, lo_ms);
	assert_ms(w.hi_ms, hi_ms);
}

static void check_tw(unsigned int hz, unsigned int level, unsigned long gran,
		     double hi_ms)
{
	struct window w;

	assert_int_equal(expect_tw_window(hz, &w), 0);
	assert_int_equal(w.timeout_jiffies, 60UL * hz);	/* TCP_TIMEWAIT_LEN */
	assert_int_equal(w.level, level);
	assert_int_equal(w.gran_jiffies, gran);
	assert_ms(w.lo_ms, 60000);
	assert_ms(w.hi_ms, hi_ms);
}

/* 6000 jiffies: level 3 (4032 <= 6000 < 32256); (6000 + 513) * 10 ms */
static void tw_hz100(void **state UNUSED)
{
	check_tw(100, 3, 512, 65130);
}

/* 15000 jiffies: level 3; (15000 + 513) * 4 ms */
static void tw_hz250(void **state UNUSED)
{
	check_tw(250, 3, 512, 62052);
}

/* 18000 jiffies: level 3; (18000 + 513) * 1000 / 300 ms, exactly 61710 */
static void tw_hz300(void **state UNUSED)
{
	check_tw(300, 3, 512, (18000.0 + 512 + 1) * 1000 / 300);
	check_tw(300, 3, 512, 61710);
}

/* 60000 jiffies: level 4 (32256 <= 60000 < 258048); 60000 + 4097 ms */
static void tw_hz1000(void **state UNUSED)
{
	check_tw(1000, 4, 4096, 64097);
}

/* The first jiffy of each level, and the last of the one before. */
static void level_boundaries(void **state UNUSED)
{
	static const struct { unsigned long t; unsigned int level; } b[] = {
		{ 1, 0 }, { 62, 0 }, { 63, 1 }, { 503, 1 }, { 504, 2 },
		{ 4031, 2 }, { 4032, 3 }, { 32255, 3 }, { 32256, 4 },
		{ 258047, 4 }, { 258048, 5 },
	};

	for (size_t i = 0; i < sizeof(b) / sizeof(b[0]); i++) {
		struct window w;

		assert_int_equal(expect_timer_window(1000, b[i].t, &w), 0);
		assert_int_equal(w.level, b[i].level);
		assert_int_equal(w.gran_jiffies, 1UL << (3 * b[i].level));
	}
}

static void window_at_boundaries(void **state UNUSED)
{
	/* level 0 still waits one granule: calc_index() always rounds up */
	check_window(1000, 62, 0, 1, 62, 64);
	check_window(1000, 63, 1, 8, 63, 72);
	check_window(1000, 503, 1, 8, 503, 512);
	check_window(1000, 504, 2, 64, 504, 569);
	check_window(1000, 4032, 3, 512, 4032, 4545);
	check_window(250, 4032, 3, 512, 16128, 18180);
}

/* The deepest level is LVL_DEPTH - 1: 8 at HZ > 100, 7 at HZ = 100. */
static void deepest_level(void **state UNUSED)
{
	struct window w;

	assert_int_equal(expect_timer_window(1000, 1UL << 40, &w), 0);
	assert_int_equal(w.level, 8);
	assert_int_equal(w.gran_jiffies, 1UL << 24);
	assert_int_equal(expect_timer_window(100, 1UL << 40, &w), 0);
	assert_int_equal(w.level, 7);
	assert_int_equal(w.gran_jiffies, 1UL << 21);
}

/* An orphaned FIN_WAIT2 at tcp_fin_timeout = 5 s, HZ = 250 (K16). */
static void fin_wait2_5s(void **state UNUSED)
{
	check_window(250, 1250, 2, 64, 5000, 5260);
}

static void invalid(void **state UNUSED)
{
	struct window w;

	assert_int_equal(expect_timer_window(0, 100, &w), -EINVAL);
	assert_int_equal(expect_timer_window(250, 0, &w), -EINVAL);
	assert_int_equal(expect_tw_window(0, &w), -EINVAL);
}

static void fin_time(void **state UNUSED)
{
	/* fin_timeout wins over 3.5 RTO */
	assert_int_equal(expect_fin_time_jiffies(250, 5, 200000), 1250);
	assert_int_equal(expect_fin_time_jiffies(1000, 60, 200000), 60000);
	/* rto 50 jiffies: (50 << 2) - (50 >> 1) = 175 */
	assert_int_equal(expect_fin_time_jiffies(250, 0, 200000), 175);
	/* the same 200 ms at HZ 1000: rto 200 jiffies, 800 - 100 */
	assert_int_equal(expect_fin_time_jiffies(1000, 0, 200000), 700);
	assert_int_equal(expect_fin_time_jiffies(1000, 1, 200000), 1000);
	/* odd rto: 51 -> 204 - 25 = 179 */
	assert_int_equal(expect_fin_time_jiffies(1000, 0, 51000), 179);
	/* a long RTO (backoff) outlasts fin_timeout: 3 s rto at HZ 250 */
	assert_int_equal(expect_fin_time_jiffies(250, 5, 3000000), 2625);
	/* and at HZ 100: rto 20 jiffies, 80 - 10 */
	assert_int_equal(expect_fin_time_jiffies(100, 0, 200000), 70);
}

/*
 * tcpi_rto is jiffies_to_usecs(icsk_rto), truncated where HZ does not
 * divide 10^6: at HZ 300, 61 jiffies read back as 203333 us and must
 * round up to 61 again, not down to 60.
 */
static void fin_time_rto_rounding(void **state UNUSED)
{
	assert_int_equal(expect_fin_time_jiffies(300, 0, 203333), (61 << 2) - (61 >> 1));
	assert_int_equal(expect_fin_time_jiffies(300, 0, 200000), (60 << 2) - (60 >> 1));
	assert_int_equal(expect_fin_time_jiffies(250, 0, 0), 0);
}

/* usecs_to_jiffies() rounds up: one microsecond past a tick is the next tick. */
static void usecs_rounding(void **state UNUSED)
{
	assert_int_equal(expect_usecs_to_jiffies(250, 0), 0);
	assert_int_equal(expect_usecs_to_jiffies(250, 1), 1);
	assert_int_equal(expect_usecs_to_jiffies(250, 4000), 1);
	assert_int_equal(expect_usecs_to_jiffies(250, 4001), 2);
	assert_int_equal(expect_usecs_to_jiffies(250, 204000), 51);
	assert_int_equal(expect_usecs_to_jiffies(300, 203333), 61);
	assert_int_equal(expect_usecs_to_jiffies(1000, 120000000ULL), 120000);
}

static void holds(void **state UNUSED)
{
	struct window w;

	assert_int_equal(expect_tw_window(250, &w), 0);
	assert_false(window_holds(&w, 60000, 0));	/* lo is exclusive */
	assert_true(window_holds(&w, 60000.001, 0));
	assert_true(window_holds(&w, 61000, 0));
	assert_true(window_holds(&w, 62052, 0));	/* hi is inclusive */
	assert_false(window_holds(&w, 62052.001, 0));
	assert_false(window_holds(&w, 59000, 0));
	assert_false(window_holds(&w, NAN, 100));
	/* slack widens the top only */
	assert_true(window_holds(&w, 62060, 10));
	assert_true(window_holds(&w, 62062, 10));
	assert_false(window_holds(&w, 62062.5, 10));
	assert_false(window_holds(&w, 60000, 10));
	assert_false(window_holds(&w, 59999, 10));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(tw_hz100),
		cmocka_unit_test(tw_hz250),
		cmocka_unit_test(tw_hz300),
		cmocka_unit_test(tw_hz1000),
		cmocka_unit_test(level_boundaries),
		cmocka_unit_test(window_at_boundaries),
		cmocka_unit_test(deepest_level),
		cmocka_unit_test(fin_wait2_5s),
		cmocka_unit_test(invalid),
		cmocka_unit_test(fin_time),
		cmocka_unit_test(fin_time_rto_rounding),
		cmocka_unit_test(usecs_rounding),
		cmocka_unit_test(holds),
	};

	return cmocka_run_group_tests_name("expect", tests, NULL, NULL);
}
