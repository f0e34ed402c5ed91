// SPDX-License-Identifier: GPL-2.0
/*
 * The judge of old_duplicate (A03): pure, driven by
 * tests/unit/test_judge_old_duplicate.c.
 *
 * The kernel's part (K05, K17): cases/old_duplicate.c; an ignored RST
 * leaves the timer running (only a non-RST reschedules it).  Both hold
 * for every kernel this project runs on.
 */
#include "judges/old_duplicate.h"

TW_SUBCLAIM(sc_ack, "A03.old_data_ack");
TW_SUBCLAIM(sc_stray, "A03.old_data_sockets");
TW_SUBCLAIM(sc_peer_rst, "A03.peer_rst_stays");
TW_SUBCLAIM(sc_rst, "A03.rst_stays");
TW_SUBCLAIM(sc_timer, "A03.rst_timer");

static void judge_ack(const struct old_duplicate_fig *f, struct tw_result *r)
{
	tw_judge_exact(r, &sc_ack, win_exact(1), win_exact(1), f->acks,
		       "data seq %u below tw_rcv_nxt %u: %s%u ack %u (tw_snd_nxt %u); PAWS %s "
		       "(TSval %u, ts_recent %u), PAWSTimewait +%lld (-1: unread)", f->data_seq,
		       f->rcv_nxt, f->answered ? "answered seq " : "no answer; ",
		       f->answered ? f->ack_seq : 0, f->answered ? f->ack_ack : 0, f->snd_nxt,
		       f->paws_want ? "rejects it too" : "passes it", f->data_tsval, f->ts_recent,
		       f->paws);
}

static void judge_stray(const struct old_duplicate_fig *f, struct tw_result *r)
{
	tw_judge_exact(r, &sc_stray, win_exact(0), win_exact(0), f->stray,
		       "after the old data: %u socket(s) on the port at the server but the "
		       "listener, at the client but the TIME_WAIT, and accept()s", f->stray);
}

static void judge_peer_rst(const struct old_duplicate_fig *f, struct tw_result *r)
{
	bool inwin = f->peer_rst_seq == f->rcv_nxt;

	if (!f->answered || !f->peer_rst) {
		tw_judge_undecided(r, &sc_peer_rst, "%s", !f->answered ?
				   "no ACK from the TIME_WAIT for the peer to answer" :
				   "no RST from the closed peer on the capture");
		return;
	}
	tw_judge_exact(r, &sc_peer_rst, win_exact(1), win_exact(inwin ? f->rfc1337 : 1),
		       f->peer_rst_stays,
		       "the closed server's listener answered ACK %u with RST seq %u%s; "
		       "tcp_rfc1337=%d: %s", f->ack_ack, f->peer_rst_seq, inwin ? " = tw_rcv_nxt" :
		       ", out of window", f->rfc1337, f->peer_rst_stays ?
		       "the TIME_WAIT stays" : "the TIME_WAIT was killed by it (assassination, set "
		       "off by the old duplicate itself)");
}

static void judge_rst(const struct old_duplicate_fig *f, struct tw_result *r)
{
	struct tw_verdict *v;

	v = tw_judge_one(r, &sc_rst, win_exact(1), win_exact(f->rfc1337), f->rst_stays, 0, 0);
	if (f->rst_stays)
		tw_evidence(v, "RST seq tw_rcv_nxt, tcp_rfc1337=%d: still in TIME_WAIT %u ms after "
			    "it showed on the capture", f->rfc1337, f->stay_ms);
	else
		tw_evidence(v, "RST seq tw_rcv_nxt, tcp_rfc1337=%d: gone from sock_diag %.0f ms "
			    "after it showed on the capture (TIME-WAIT assassination)",
			    f->rfc1337, f->rst_gone_ms);
}

/*
 * idiag_expires counts jiffies: between two reads @least..@most ms apart
 * it fell by that to a tick either way, and jiffies_to_msecs() rounds at
 * HZ=300 (1 ms).  Restarted, it would have risen to TCP_TIMEWAIT_LEN.
 */
static void judge_timer(const struct old_duplicate_fig *f, struct tw_result *r)
{
	double e = 1000.0 / f->hz + 1, fall = (double)f->before_ms - f->after_ms;
	struct tw_window w = win_oc(f->least_ms - e, f->most_ms + e);

	if (f->timer_read)	/* else nothing stayed to be timed: tcp_rfc1337=0 */
		tw_judge_exact(r, &sc_timer, w, w, fall,
			       "idiag_expires %u ms before the RST, %u ms %.0f-%.0f ms later: "
			       "fell by %.0f ms, the time between, not put back to "
			       "TCP_TIMEWAIT_LEN",
			       f->before_ms, f->after_ms, f->least_ms, f->most_ms, fall);
}

void old_duplicate_judge(const struct old_duplicate_fig *f, struct tw_result *r)
{
	judge_ack(f, r);
	judge_stray(f, r);
	judge_peer_rst(f, r);
	judge_rst(f, r);
	judge_timer(f, r);
}
