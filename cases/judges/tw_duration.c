// SPDX-License-Identifier: GPL-2.0
/*
 * The judge of tw_duration (A02): pure, driven by tests/unit/test_judge_tw_duration.c.
 *
 * Both lifetimes are timer-wheel timers (K03) armed at jiffies + N, and
 * jiffies lags the wall clock by up to one tick when they are armed
 * (K20): in wall time they end in (N - 1 tick, N + granularity + 1 tick].
 */
#include <stdio.h>

#include "expect.h"
#include "judges/tw_duration.h"

TW_SUBCLAIM(sc_tw_lifetime,
	.id = "A02.tw_lifetime", .fact = "K03", .unit = "ms",
	.what = "TIME_WAIT lifetime, entry to gone",
	.article = "2MSL = 60 s");

TW_SUBCLAIM(sc_orphan,
	.id = "A02.orphan_fin_wait2", .fact = "K16", .unit = "ms",
	.what = "orphaned FIN_WAIT2 lifetime, ACK of the FIN to gone",
	.article = "(project) tcp_fin_timeout seconds, not TIME_WAIT's 60 s");

static struct tw_window timer_span(unsigned int hz, unsigned long jiffies)
{
	double lo, hi;

	return expect_timer_span(hz, jiffies, &lo, &hi) ? win_any() : win_oc(lo, hi);
}

static void judge_tw(const struct tw_duration_fig *f, struct tw_result *r)
{
	struct window w;
	struct tw_verdict *v;

	expect_tw_window(f->hz, &w);
	v = tw_judge(r, &sc_tw_lifetime, win_exact(60000), timer_span(f->hz, w.timeout_jiffies),
		     f->tw, f->n);
	tw_evidence(v, "TCP_TIMEWAIT_LEN = 60*HZ = %lu jiffies, filed at wheel level %u: rounded "
		    "up by up to %lu jiffies, plus the jiffy phase (K20) and one tick, at HZ=%u; "
		    "the same at tcp_fin_timeout=%u (K16)", w.timeout_jiffies, w.level,
		    w.gran_jiffies, f->hz, f->fin_timeout_s);
}

static void judge_orphan(const struct tw_duration_fig *f, struct tw_result *r)
{
	unsigned long j = expect_fin_time_jiffies(f->hz, f->fin_timeout_s, f->rto_us);
	struct tw_verdict *v;

	v = tw_judge(r, &sc_orphan, win_exact(f->fin_timeout_s * 1000.0), timer_span(f->hz, j),
		     &f->orphan, 1);
	tw_evidence(v, "tcp_fin_time() = max(tcp_fin_timeout %u s, 3.5 x RTO %u ms) = %lu "
		    "jiffies from the ACK of the FIN: tcp_fin_timeout sets this, not TIME_WAIT",
		    f->fin_timeout_s, f->rto_us / 1000, j);
}

void tw_duration_judge(const struct tw_duration_fig *f, struct tw_result *r)
{
	judge_tw(f, r);
	judge_orphan(f, r);
}
