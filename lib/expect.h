/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Expectations computed from kernel source, never from round numbers.
 * Pure functions of HZ and the sysctls: unit-tested at HZ 100/250/300/1000.
 */
#ifndef TWLAB_EXPECT_H
#define TWLAB_EXPECT_H

#include <stdbool.h>

/*
 * When a timer-wheel timer armed for @timeout jiffies fires (K03):
 * in (timeout, timeout + granularity + 1 tick], where the granularity is
 * that of the wheel level @timeout falls in.
 */
struct window {
	unsigned int hz;
	unsigned long timeout_jiffies;
	unsigned int level;
	unsigned long gran_jiffies;
	double lo_ms;		/* exclusive */
	double hi_ms;		/* inclusive */
};

int expect_timer_window(unsigned int hz, unsigned long timeout_jiffies,
			struct window *w);
/*
 * The same, in wall time from the moment the timer was armed: jiffies
 * lags the wall clock by up to one tick when it is armed at jiffies + N
 * (K20), so it may fire up to one tick before N ticks of wall time have
 * passed.  @w->lo_ms is one tick below expect_timer_window()'s.
 */
int expect_timer_span(unsigned int hz, unsigned long timeout_jiffies, struct window *w);
/* TIME_WAIT: TCP_TIMEWAIT_LEN = 60*HZ jiffies (K01, K02, K03). */
int expect_tw_window(unsigned int hz, struct window *w);
/* @us in jiffies at @hz, rounded up, as usecs_to_jiffies() does (include/linux/jiffies.h). */
unsigned long expect_usecs_to_jiffies(unsigned int hz, unsigned long long us);
/* An orphaned FIN_WAIT2: tcp_fin_time() = max(fin_timeout, 3.5 RTO) (K16). */
unsigned long expect_fin_time_jiffies(unsigned int hz, unsigned int fin_timeout_s,
				      unsigned int rto_us);
bool window_holds(const struct window *w, double ms, double slack_ms);

#endif
