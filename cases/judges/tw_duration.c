// SPDX-License-Identifier: GPL-2.0
/*
 * The judge of tw_duration (A02): pure, driven by tests/unit/test_judge_tw_duration.c.
 *
 * Both lifetimes are timer-wheel timers (K03) armed at jiffies + N, and
 * jiffies lags the wall clock by up to one tick when they are armed
 * (K20): in wall time they end in (N - 1 tick, N + granularity + 1 tick].
 */
#include <stdint.h>

#include "expect.h"
#include "judges/tw_duration.h"

TW_SUBCLAIM(sc_tw_lifetime, "A02.tw_lifetime");
TW_SUBCLAIM(sc_orphan, "A02.orphan_fin_wait2");

static struct tw_window timer_span(unsigned int hz, unsigned long jiffies)
{
	struct window w;

	if (expect_timer_span(hz, jiffies, &w))
		return win_any();
	return win_oc(w.lo_ms, w.hi_ms);
}

/*
 * tcp_ack() takes an RTT sample m from the ACK of the FIN, and the RTO
 * @rto_us then grows: tcp_sk(sk)->srtt/mdev after one sample
 * (tcp_rtt_estimator()): srtt/8 grows by at most m/8, and rttvar to at
 * most max(rttvar, 3/4 mdev + m) with mdev <= rttvar; so __tcp_set_rto() =
 * srtt/8 + rttvar grows by at most 9/8 m.  A retransmission of the FIN
 * doubles the RTO only after a whole RTO passed, so that path adds at most
 * the wait itself.  Plus one jiffy of rounding.
 */
unsigned int tw_fin_wait2_rto_max_us(unsigned int hz, unsigned int rto_us,
				     unsigned int ack_rtt_us)
{
	uint64_t max = rto_us + (uint64_t)ack_rtt_us * 9 / 8 + 1000000 / hz;

	return max > UINT32_MAX ? UINT32_MAX : (unsigned int)max;
}

/*
 * From its entry bracket (@t0, @t_in] and its end bracket (@seen, @gone]:
 * at most gone - t0, at least seen - t_in.  Both timers count jiffies
 * (K03).  A guest whose vCPU is not run loses ticks, and its jiffies then
 * fall behind CLOCK_MONOTONIC: the lifetime on our clock is longer than on
 * the kernel's by as much, @lag (+-@lag_err), which idiag_expires shows as
 * an expiry that drifts later (watch_lag_ns()); taken off where it is more
 * than its error.
 */
struct tw_sample tw_lifetime_sample(int64_t t0, int64_t t_in, int64_t seen, int64_t gone,
				    int64_t lag, int64_t lag_err)
{
	double most = (gone - t0) / 1e6, least = (seen - t_in) / 1e6;
	struct tw_sample s = { .x = most, .below = most - least };

	if (lag > lag_err) {
		s.x -= lag / 1e6;
		s.below += lag_err / 1e6;
		s.above += lag_err / 1e6;
	}
	return s;
}

/*
 * tcp_rcv_state_process(), FIN_WAIT1: tcp_time_wait(sk, TCP_FIN_WAIT2,
 * tcp_fin_time(sk)) when the ACK of our FIN comes, so the timer runs
 * from that ACK for max(tcp_fin_timeout, 3.5 x the RTO then in force):
 * never less than tcp_fin_timeout, at most 3.5 x the largest RTO the ACK
 * can have left (K16).
 */
static void judge_orphan(const struct tw_duration_fig *f, struct tw_result *r)
{
	unsigned int rto_max = tw_fin_wait2_rto_max_us(f->hz, f->rto_us, f->ack_rtt_us);
	unsigned long lo = expect_fin_time_jiffies(f->hz, f->fin_timeout_s, 0);
	unsigned long hi = expect_fin_time_jiffies(f->hz, f->fin_timeout_s, rto_max);
	struct tw_window k = timer_span(f->hz, hi);
	struct tw_verdict *v;

	k.lo = timer_span(f->hz, lo).lo;
	v = tw_judge(r, &sc_orphan, win_exact(f->fin_timeout_s * 1000.0), k, &f->orphan, 1);
	tw_evidence(v, "tcp_fin_time() = max(tcp_fin_timeout %u s, 3.5 x RTO) from the ACK of "
		    "the FIN, the RTO then <= %u ms (%u before close(), the ACK within %u ms): "
		    "%lu..%lu jiffies; armed <= %u ms (idiag_expires). tcp_fin_timeout sets this, "
		    "not TIME_WAIT", f->fin_timeout_s, rto_max / 1000, f->rto_us / 1000,
		    f->ack_rtt_us / 1000, lo, hi, f->armed_ms);
}

void tw_duration_judge(const struct tw_duration_fig *f, struct tw_result *r)
{
	struct tw_verdict *v;
	struct window w;

	expect_tw_window(f->hz, &w);
	v = tw_judge(r, &sc_tw_lifetime, win_exact(60000), timer_span(f->hz, w.timeout_jiffies),
		     f->tw, TW_DURATION_NCONN);
	tw_evidence(v, "TCP_TIMEWAIT_LEN = 60*HZ = %lu jiffies, filed at wheel level %u: rounded "
		    "up by up to %lu jiffies, plus the jiffy phase (K20) and one tick, at HZ=%u; "
		    "the same at tcp_fin_timeout=%u (K16)", w.timeout_jiffies, w.level,
		    w.gran_jiffies, f->hz, f->fin_timeout_s);
	judge_orphan(f, r);
}
