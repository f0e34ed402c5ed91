// SPDX-License-Identifier: GPL-2.0
#include <errno.h>

#include "expect.h"

/* kernel/time/timer.c */
#define LVL_CLK_SHIFT	3
#define LVL_BITS	6
#define LVL_SIZE	(1UL << LVL_BITS)
#define LVL_SHIFT(n)	((n) * LVL_CLK_SHIFT)
#define LVL_GRAN(n)	(1UL << LVL_SHIFT(n))
#define LVL_START(n)	((LVL_SIZE - 1) << (((n) - 1) * LVL_CLK_SHIFT))
#define LVL_DEPTH(hz)	((hz) > 100 ? 9 : 8)

/* include/net/tcp.h */
#define TCP_TIMEWAIT_LEN(hz)	(60UL * (hz))

static double jiffies_to_ms(unsigned int hz, unsigned long j)
{
	return (double)j * 1000.0 / hz;
}

/*
 * calc_wheel_index() files a timer by its distance from now: the first
 * level whose LVL_START exceeds the delta.  calc_index() then rounds the
 * expiry up to the next multiple of that level's granularity -- always
 * strictly later, even when it already is a multiple -- and the timer
 * softirq may run up to one tick after that bucket is due.
 */
int expect_timer_window(unsigned int hz, unsigned long timeout, struct window *w)
{
	unsigned int lvl;

	if (!hz || !timeout)
		return -EINVAL;
	for (lvl = 0; lvl < (unsigned int)LVL_DEPTH(hz) - 1; lvl++)
		if (timeout < LVL_START(lvl + 1))
			break;
	w->hz = hz;
	w->timeout_jiffies = timeout;
	w->level = lvl;
	w->gran_jiffies = LVL_GRAN(lvl);
	w->lo_ms = jiffies_to_ms(hz, timeout);
	w->hi_ms = jiffies_to_ms(hz, timeout + w->gran_jiffies + 1);
	return 0;
}

int expect_timer_span(unsigned int hz, unsigned long timeout, struct window *w)
{
	int err = expect_timer_window(hz, timeout, w);

	if (!err)
		w->lo_ms -= jiffies_to_ms(hz, 1);
	return err;
}

int expect_tw_window(unsigned int hz, struct window *w)
{
	return expect_timer_window(hz, TCP_TIMEWAIT_LEN(hz), w);
}

unsigned long expect_usecs_to_jiffies(unsigned int hz, unsigned long long us)
{
	return (us * hz + 999999) / 1000000;
}

/*
 * include/net/tcp.h: tcp_fin_time(): fin_timeout in jiffies, but never less
 * than 3.5 RTO: (rto << 2) - (rto >> 1).
 */
unsigned long expect_fin_time_jiffies(unsigned int hz, unsigned int fin_timeout_s,
				      unsigned int rto_us)
{
	unsigned long fin = (unsigned long)fin_timeout_s * hz;
	unsigned long rto = expect_usecs_to_jiffies(hz, rto_us);
	unsigned long floor = (rto << 2) - (rto >> 1);

	return fin > floor ? fin : floor;
}

bool window_holds(const struct window *w, double ms, double slack_ms)
{
	return ms > w->lo_ms && ms <= w->hi_ms + slack_ms;
}
