// SPDX-License-Identifier: GPL-2.0
/*
 * The judge of lost_final_ack (A04): pure, driven by
 * tests/unit/test_judge_lost_final_ack.c.
 *
 * The kernel's part (K13, K03, K04): cases/lost_final_ack.c.  The FIN's
 * timer, a level-0 wheel timer armed at jiffies + N (the RTO, rounded up
 * to jiffies), fires in wall time (N - 1 tick, N + granularity + 1 tick]
 * (K20).
 */
#include "expect.h"
#include "judges/lost_final_ack.h"

#define TW_LEN_MS	60000.0		/* TCP_TIMEWAIT_LEN = 60 * HZ jiffies (K01) */

TW_SUBCLAIM(sc_last_ack, "A04.last_ack");
TW_SUBCLAIM(sc_fin_again, "A04.fin_retransmit");
TW_SUBCLAIM(sc_answer, "A04.tw_answers");
TW_SUBCLAIM(sc_restart, "A04.tw_restart");
TW_SUBCLAIM(sc_lifetime, "A04.tw_lifetime");

/*
 * The gap by the server's own clock: TSval is tcp_clock_ms() at the
 * send, so the two sends are (gap - 1, gap + 1) ms apart whatever the
 * two FINs met on their way to the capture; the capture's µs gap, held
 * inside that, is the figure.  Without timestamps, the capture alone,
 * give or take a tick for the later FIN's way to the capture.
 */
static struct tw_sample fin_gap(const struct lost_final_ack_fig *f)
{
	double lo, hi, x = f->fin_gap_ms;

	if (!f->fin_ts)
		return (struct tw_sample){ x, 1000.0 / f->hz, 0 };
	lo = f->fin_ts_gap - 1.0;
	hi = f->fin_ts_gap + 1.0;
	x = x < lo ? lo : x > hi ? hi : x;
	return (struct tw_sample){ x, x - lo, hi - x };
}

static void judge_last_ack(const struct lost_final_ack_fig *f, struct tw_result *r)
{
	if (!f->last_ack_seen && f->last_ack_late)
		tw_judge_undecided(r, &sc_last_ack, "no sock_diag poll saw the server's end before "
				   "the ACK of its retransmitted FIN, which ends LAST_ACK");
	else
		tw_judge_exact(r, &sc_last_ack, win_exact(1), win_exact(1), f->last_ack_seen,
			       "sock_diag, after the server's close() and before the ACK of its "
			       "FIN again: its end %s LAST_ACK, waiting for the final ACK, which "
			       "was dropped (K02)", f->last_ack_seen ? "in" : "not in");
}

static void judge_fin_again(const struct lost_final_ack_fig *f, struct tw_result *r)
{
	unsigned long j = expect_usecs_to_jiffies(f->hz, f->rto_us);
	struct tw_sample s = fin_gap(f);
	struct tw_verdict *v;
	struct window w;

	if (!f->fin1_seen) {
		tw_judge_undecided(r, &sc_fin_again, "the capture does not hold the server's FIN");
		return;
	}
	if (!f->fins_seen)	/* not within the watch: later, if ever */
		s = (struct tw_sample){ f->fin_gap_ms, 0, INFINITY };
	if (expect_timer_span(f->hz, j, &w)) {
		w.lo_ms = -INFINITY;
		w.hi_ms = INFINITY;
	}
	v = tw_judge(r, &sc_fin_again, win_cc(200, 120000), win_oc(w.lo_ms, w.hi_ms), &s, 1);
	tw_evidence(v, "FIN again %.2f ms later on the capture, %d ms by the server's TSvals%s; "
		    "tcpi_rto %u us = %lu jiffies at HZ=%u, a level-%u wheel timer, less the "
		    "jiffy phase (K20); %s", f->fin_gap_ms, f->fin_ts_gap,
		    f->fin_ts ? "" : " (no TS)", f->rto_us, j, f->hz, w.level,
		    f->loss_probes < 0 ? "TCPLossProbes unread" : f->loss_probes ?
		    "a tail-loss probe, which tcp_schedule_loss_probe() caps at the RTO" :
		    "sent by the retransmit timer");
}

static void judge_answer(const struct lost_final_ack_fig *f, struct tw_result *r)
{
	if (!f->fins_seen)
		tw_judge_undecided(r, &sc_answer, "the capture does not hold the retransmitted FIN");
	else
		tw_judge_exact(r, &sc_answer, win_exact(1), win_exact(1), f->answers,
			       "%d client ACK(s) of the retransmitted FIN's end, the first %.2f ms "
			       "after it (TCP_TW_ACK_OOW: a FIN is never rate-limited)", f->answers,
			       f->answer_ms);
}

/*
 * When the timer was armed, from idiag_expires (TCP_TIMEWAIT_LEN less its
 * age) read between since_fin2[0] and [1] ms after the second FIN: the
 * read's length is the sample's uncertainty.  The kernel restarts it as
 * it processes that FIN, between its capture and the ACK it draws; the
 * article's TIME_WAIT was armed at the entry, the first FIN.  Both a
 * tick either way (idiag_expires counts jiffies; jiffies_to_msecs()
 * rounds at HZ=300: 1 ms more).
 */
static void judge_restart(const struct lost_final_ack_fig *f, struct tw_result *r)
{
	double e = 1000.0 / f->hz + 1, gap = f->fin_gap_ms;
	struct tw_sample s = {
		.x = f->since_fin2[1] - f->tw_age_ms,
		.below = f->since_fin2[1] - f->since_fin2[0],
	};

	if (!f->fins_seen || !f->tw_read)
		tw_judge_undecided(r, &sc_restart, "%s", !f->tw_read ?
				   "the client's TIME_WAIT was not read after the second FIN" :
				   "the capture does not hold both server FINs");
	else
		tw_evidence(tw_judge(r, &sc_restart, win_cc(-gap - e, -gap + e),
				     win_cc(-e, f->answer_ms + e), &s, 1),
			    "TCP_TIMEWAIT_LEN less idiag_expires: %.0f ms old when read %.1f ms "
			    "after the second FIN, %.1f ms after the first (the entry): "
			    "inet_twsk_reschedule() re-armed it at the second, so TIME_WAIT lasts "
			    "one RTO longer", f->tw_age_ms, f->since_fin2[1], f->since_fin2[1] + gap);
}

static void judge_lifetime(const struct lost_final_ack_fig *f, struct tw_result *r)
{
	struct window w;

	if (!f->fins_seen || !f->tw_gone) {
		tw_judge_undecided(r, &sc_lifetime, "%s", !f->tw_gone ?
				   "the TIME_WAIT's end was not seen" :
				   "the capture does not hold the retransmitted FIN");
		return;
	}
	expect_tw_window(f->hz, &w);
	expect_timer_span(f->hz, w.timeout_jiffies, &w);
	tw_evidence(tw_judge(r, &sc_lifetime, win_exact(TW_LEN_MS), win_oc(w.lo_ms, w.hi_ms),
			     &f->lifetime, 1), "gone %.0f ms after the second FIN: 60*HZ = %lu jiffies on the wheel "
		    "(level %u, granularity %lu jiffies) from the restart, less the jiffy phase",
		    f->lifetime.x, w.timeout_jiffies, w.level, w.gran_jiffies);
}

void lost_final_ack_judge(const struct lost_final_ack_fig *f, struct tw_result *r)
{
	judge_last_ack(f, r);
	judge_fin_again(f, r);
	judge_answer(f, r);
	judge_restart(f, r);
	judge_lifetime(f, r);
}
