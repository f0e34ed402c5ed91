// SPDX-License-Identifier: GPL-2.0
/*
 * The judge of last_ack_syn (A17): pure, driven by
 * tests/unit/test_judge_last_ack_syn.c.
 *
 * The kernel's part (K18): cases/last_ack_syn.c.
 */
#include <errno.h>
#include <string.h>

#include "expect.h"
#include "judges/last_ack_syn.h"

#define TCP_TIMEOUT_MIN		2	/* jiffies, include/net/tcp.h */

TW_SUBCLAIM(sc_answer, "A17.answer");
TW_SUBCLAIM(sc_client_rst, "A17.client_rst");
TW_SUBCLAIM(sc_connects, "A17.connects");
TW_SUBCLAIM(sc_syn_again, "A17.syn_again");

static const char *answer_name(enum las_answer a)
{
	static const char *const names[] = {
		[LAS_NONE] = "no answer", [LAS_RST] = "an RST",
		[LAS_CHALLENGE] = "a challenge ACK", [LAS_OTHER] = "another segment",
		[LAS_MISS] = "(capture miss)",
	};

	return a <= LAS_MISS ? names[a] : "?";
}

static void judge_answer(const struct last_ack_syn_fig *f, struct tw_result *r)
{
	if (f->answer == LAS_MISS)
		tw_judge_undecided(r, &sc_answer, "the capture does not hold the new SYN: "
				   "its answer cannot be told");
	else
		tw_judge_exact(r, &sc_answer, win_exact(LAS_RST), win_exact(LAS_CHALLENGE),
			       f->answer, "answered with %s (flags 0x%02x, ack %u; the old "
			       "rcv_nxt, the client FIN's end, is %u); server TCPSYNChallenge "
			       "+%lld, TCPChallengeACK +%lld (-1: unread)",
			       answer_name(f->answer), f->answer_flags, f->answer_ack,
			       f->old_rcv_nxt, f->syn_challenge, f->challenge_ack);
}

static void judge_client_rst(const struct last_ack_syn_fig *f, struct tw_result *r)
{
	if (f->answer != LAS_CHALLENGE)
		tw_judge_undecided(r, &sc_client_rst, "no challenge ACK (%s) for the client to "
				   "reset", answer_name(f->answer));
	else
		tw_judge_exact(r, &sc_client_rst, win_exact(0), win_exact(1), f->client_rsts,
			       "from SYN_SENT, %d RST(s) of seq %u = the challenge ACK's ack, "
			       "exactly the peer's rcv_nxt (tcp_rcv_synsent_state_process()); "
			       "the server's LAST_ACK socket %s", f->client_rsts, f->answer_ack,
			       f->last_ack_left ? "is still there" : "is gone (tcp_reset())");
}

static void judge_connects(const struct last_ack_syn_fig *f, struct tw_result *r)
{
	int e = -f->connect_err;

	if (e && e != ECONNREFUSED && e != ECONNRESET)
		tw_judge_undecided(r, &sc_connects, "connect(): %s, neither a connection nor "
				   "the article's reset", strerror(e));
	else
		tw_judge_exact(r, &sc_connects, win_exact(0), win_exact(1), !e,
			       "connect() %s after %.1f ms (wall), %.1f ms from the first SYN "
			       "to the handshake's ACK on the capture",
			       e ? strerror(e) : "connected", f->connect_ms, f->up_ms);
}

/* Before 5.6 a stable kernel may carry the change: either timer, then. */
static struct tw_window syn_window(const struct last_ack_syn_fig *f)
{
	struct window min, init;

	if (expect_timer_span(f->hz, TCP_TIMEOUT_MIN, &min) ||
	    expect_timer_span(f->hz, f->hz, &init))
		return win_any();
	if (f->version >= KV(5, 6, 0))
		return win_oc(min.lo_ms, min.hi_ms);
	return win_oc(min.lo_ms, init.hi_ms);
}

/* Re-armed between the answer's arrival and the RST it draws. */
static void judge_syn_again(const struct last_ack_syn_fig *f, struct tw_result *r)
{
	struct tw_sample s = { f->syn2_ms, f->rst_ms > 0 ? f->rst_ms : 0, 0 };

	if (f->answer != LAS_CHALLENGE || !f->syn2_seen)
		tw_judge_undecided(r, &sc_syn_again, "%s", f->answer != LAS_CHALLENGE ?
				   "no challenge ACK to re-arm the SYN's timer" :
				   "no second SYN on the capture");
	else
		tw_evidence(tw_judge(r, &sc_syn_again, win_cc(1, 0), syn_window(f), &s, 1),
			    "the SYN again %.2f ms after the challenge ACK arrived (the RST went "
			    "at +%.2f ms): re-armed to TCP_TIMEOUT_MIN = %d jiffies at HZ=%u%s, "
			    "less the jiffy phase (K20); not TCP_TIMEOUT_INIT (1 s)", f->syn2_ms,
			    f->rst_ms, TCP_TIMEOUT_MIN, f->hz, f->version >= KV(5, 6, 0) ? "" :
			    " (before 5.6 only where 9603d47bad46 was backported)");
}

void last_ack_syn_judge(const struct last_ack_syn_fig *f, struct tw_result *r)
{
	if (f->late) {
		const struct tw_subclaim *all[] = { &sc_answer, &sc_client_rst, &sc_connects,
						    &sc_syn_again };

		for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
			tw_judge_undecided(r, all[i], "the server's FIN went again before a new "
					   "SYN met its LAST_ACK (the machine too slow to meet it, "
					   "its RTO floor %u ms)", f->server_rto_min_ms);
		return;
	}
	judge_answer(f, r);
	judge_client_rst(f, r);
	judge_connects(f, r);
	judge_syn_again(f, r);
}
