// SPDX-License-Identifier: GPL-2.0
/*
 * A17: when the active closer's final ACK is lost, a new connection on
 * the same 4-tuple that arrives while the passive closer is still in
 * LAST_ACK is answered with an RST and cannot be established.
 *
 * Today (K18): a SYN that reaches a synchronized socket gets a challenge
 * ACK (RFC 5961 4.2: tcp_validate_incoming() -> tcp_send_challenge_ack()),
 * never an RST.  The connecting client, in SYN_SENT, finds that ACK
 * unacceptable (it acks the old sequence space) and answers with an RST
 * of exactly that sequence number, which resets the LAST_ACK socket; and
 * since no retransmission has happened yet, tcp_rcv_synsent_state_process()
 * re-arms the SYN's retransmission to TCP_TIMEOUT_MIN (2 jiffies) instead
 * of leaving it at TCP_TIMEOUT_INIT (1 s).  The retransmitted SYN finds
 * only the listener and connects.
 *
 * Method: lib/lastack.c puts the server's end in LAST_ACK with the
 * client's final ACK dropped; the client's first socket was bound to its
 * port with SO_REUSEADDR, so that a second socket can bind there too
 * (conn_bound()).  At once -- well before the server's FIN retransmission,
 * one RTO later -- that second socket connect()s to the server: with
 * timestamps on, connect() takes over the client's own TIME_WAIT (K06:
 * an explicit bind() gives tcp_twsk_unique() no twp).  Timed: connect();
 * from the capture: the peer's answer to the SYN, the client's next
 * segment, the SYN's retransmission; from the server's counters:
 * TCPSYNChallenge and TCPChallengeACK.
 */
#include <errno.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "capture.h"
#include "case.h"
#include "clock.h"
#include "conn.h"
#include "expect.h"
#include "impair.h"
#include "kernel.h"
#include "lastack.h"
#include "netstat.h"
#include "segutil.h"
#include "sockview.h"
#include "wait.h"

#define PORT		9800
#define CLIENT_PORT	9801	/* bound explicitly, below the ephemeral range */
#define SYNC_MS		2000
#define SLACK_MS	2	/* the handshake's round trips and the syscall */
#define TCP_TIMEOUT_MIN	2	/* jiffies, include/net/tcp.h */

struct counters {
	uint64_t syn_challenge, challenge_ack;
	bool ok;
};

struct syn {
	struct lab *lab;
	const struct tw_params *p;
	unsigned int hz;
	struct sockview sv[LAB_SERVER + 1];
	struct impair *ip;
	struct endpoint src, server;
	int lfd, nfd, afd;
	struct lastack la;
	int connect_err;
	double connect_ms;
	bool last_ack_left;		/* the server's LAST_ACK after the connect */
	struct counters c0, c1;
	/* from the capture */
	struct tcp_segment cfin, fin1, syn1, answer, rst, syn2, hs_ack;
	bool have_answer, have_rst, have_syn2, have_hs_ack, fin_retx_first;
};

static void read_counters(struct syn *x, struct counters *c)
{
	const struct netns *ns = &x->lab->host[LAB_SERVER].ns;

	c->ok = !netstat_read(ns, "TcpExt", "TCPSYNChallenge", &c->syn_challenge) &&
		!netstat_read(ns, "TcpExt", "TCPChallengeACK", &c->challenge_ack);
}

/* The old connection, from a port bound with SO_REUSEADDR, into LAST_ACK. */
static int into_last_ack(struct syn *x)
{
	int cfd, sfd, err;

	cfd = conn_bound(x->lab, LAB_CLIENT, &x->src, true);
	if (cfd < 0)
		return cfd;
	err = conn_connect_fd(cfd, &x->server);
	sfd = err ? err : conn_accept(x->lfd, CONN_TIMEOUT_MS);
	if (sfd < 0) {
		close(cfd);
		return sfd;
	}
	return lastack_enter(cfd, sfd, x->ip, &x->sv[LAB_CLIENT], &x->sv[LAB_SERVER], &x->la);
}

/* The new connection on the same 4-tuple, timed; accept() it if it came. */
static int reconnect(struct syn *x)
{
	struct watch w = { .states = TCPF(TCP_LAST_ACK) };
	int64_t t0;
	int err;

	x->nfd = conn_bound(x->lab, LAB_CLIENT, &x->src, true);
	if (x->nfd < 0)
		return x->nfd;
	t0 = now_ns();
	x->connect_err = conn_connect_fd(x->nfd, &x->server);
	x->connect_ms = ns_to_ms(now_ns() - t0);
	if (x->connect_err == -EADDRNOTAVAIL)
		return x->connect_err;	/* the TIME_WAIT was not taken over: no experiment */
	if (!x->connect_err) {
		x->afd = conn_accept(x->lfd, CONN_TIMEOUT_MS);
		if (x->afd < 0)
			return x->afd;
	}
	tuple_reverse(&x->la.tc, &w.t);
	err = wait_gone(&x->sv[LAB_SERVER], &w, 1, now_ns() + LASTACK_SETTLE_MS * NSEC_PER_MSEC);
	x->last_ack_left = err == -ETIMEDOUT;
	return err == -ETIMEDOUT ? 0 : err;
}

static int read_back(struct syn *x)
{
	const struct tcp_segment *end, *cfin, *fin1, *syn1, *a, *rst, *syn2, *fin2, *hs;
	struct tcp_segment *segs;
	struct tuple ts;
	int n, err = 0;

	n = capture_snapshot(x->p->capture, SYNC_MS, &segs);
	if (n < 0)
		return n;
	end = segs + n;
	tuple_reverse(&x->la.tc, &ts);
	cfin = segment_find(segs, end, &x->la.tc, TH_FIN, 0);
	fin1 = segment_find(segs, end, &ts, TH_FIN, 0);
	syn1 = segment_find(fin1, end, &x->la.tc, TH_SYN, TH_ACK);
	if (!cfin || !fin1 || !syn1) {
		err = -ENOENT;
		goto out;
	}
	x->cfin = *cfin;
	x->fin1 = *fin1;
	x->syn1 = *syn1;
	fin2 = segment_find(fin1 + 1, end, &ts, TH_FIN, 0);
	x->fin_retx_first = fin2 && fin2 < syn1;
	a = segment_find(syn1 + 1, end, &ts, 0, 0);
	rst = segment_find(a, end, &x->la.tc, TH_RST, 0);
	syn2 = segment_find(syn1 + 1, end, &x->la.tc, TH_SYN, TH_ACK);
	/* the client's ACK of the SYN-ACK: connect() is done in the kernel */
	hs = segment_find(segment_find(syn2, end, &ts, TH_SYN | TH_ACK, 0), end, &x->la.tc,
			  TH_ACK, TH_SYN | TH_FIN | TH_RST);
	x->have_hs_ack = hs;
	if (hs)
		x->hs_ack = *hs;
	x->have_answer = a;
	x->have_rst = rst && (!syn2 || rst < syn2);
	x->have_syn2 = syn2;
	if (a)
		x->answer = *a;
	if (x->have_rst)
		x->rst = *rst;
	if (syn2)
		x->syn2 = *syn2;
out:
	free(segs);
	return err;
}

static const char *flags_name(uint8_t f)
{
	if (f & TH_RST)
		return f & TH_ACK ? "RST+ACK" : "RST";
	if (f & TH_SYN)
		return f & TH_ACK ? "SYN+ACK" : "SYN";
	if (f & TH_FIN)
		return "FIN+ACK";
	return f & TH_ACK ? "ACK" : "none";
}

/* A challenge ACK: a bare ACK of the old sequence space, rcv_nxt = the client FIN's end. */
static bool is_challenge_ack(const struct syn *x)
{
	return x->have_answer && (x->answer.flags & (TH_ACK | TH_SYN | TH_RST | TH_FIN)) == TH_ACK &&
	       x->answer.ack == seg_end_seq(&x->cfin);
}

static void judge_answer(struct syn *x, struct tw_result *r)
{
	bool ok = is_challenge_ack(x);
	struct tw_verdict *v;

	v = tw_verdict_add(r, "A17", "K18", ok ? V_REFUTED : V_CONFIRMED,
			   "SYN onto the peer's LAST_ACK: challenge ACKs it answers with");
	tw_verdict_figure(v, ok, 1, 1, "ACKs");
	tw_evidence(v, "SYN seq %u (old snd_nxt %u + %u: the TIME_WAIT taken over, K06) answered "
		    "with %s ack %u, no RST; server TCPSYNChallenge +%lld, TCPChallengeACK +%lld "
		    "(-1: unreadable)", x->syn1.seq, seg_end_seq(&x->cfin),
		    x->syn1.seq - seg_end_seq(&x->cfin),
		    x->have_answer ? flags_name(x->answer.flags) : "nothing",
		    x->have_answer ? x->answer.ack : 0,
		    x->c0.ok && x->c1.ok ? (long long)(x->c1.syn_challenge - x->c0.syn_challenge) : -1,
		    x->c0.ok && x->c1.ok ? (long long)(x->c1.challenge_ack - x->c0.challenge_ack) : -1);
	if (!ok)
		tw_fail(r, "the LAST_ACK peer answered the SYN with %s, expected a challenge ACK of %u",
			x->have_answer ? flags_name(x->answer.flags) : "nothing",
			seg_end_seq(&x->cfin));
}

/* tcp_rcv_synsent_state_process(): an unacceptable ACK draws RST seq = its ack. */
static void judge_rst(struct syn *x, struct tw_result *r)
{
	bool ok = x->have_rst && x->rst.seq == x->answer.ack && !x->last_ack_left;
	struct tw_verdict *v;

	v = tw_verdict_add(r, "A17", "K18", ok ? V_REFINED : V_REFUTED,
			   "the connecting client RSTs the challenge ACK, ending LAST_ACK");
	tw_verdict_figure(v, x->have_rst, 1, 1, "RSTs");
	tw_evidence(v, "from SYN_SENT: %s seq %u = the challenge ACK's ack, so exactly the "
		    "peer's rcv_nxt; the server's LAST_ACK socket %s", x->have_rst ?
		    flags_name(x->rst.flags) : "no RST", x->have_rst ? x->rst.seq : 0,
		    x->last_ack_left ? "is still there" : "is gone (tcp_reset())");
	if (!ok)
		tw_fail(r, "after the challenge ACK: %s, LAST_ACK %s", x->have_rst ? "an RST of the "
			"wrong seq" : "no RST", x->last_ack_left ? "still there" : "gone");
}

/*
 * The SYN again TCP_TIMEOUT_MIN jiffies after the challenge ACK, a level-0
 * timer (K03); the connection is up one round trip later.  Timed on the
 * capture, from the first SYN to the client's handshake ACK: connect()'s
 * own wall time adds however long the process took to be woken.
 */
static void judge_connect(struct syn *x, struct tw_result *r)
{
	double gap = x->have_syn2 ? seg_gap_ms(&x->syn1, &x->syn2) : NAN;
	double up = x->have_hs_ack ? seg_gap_ms(&x->syn1, &x->hs_ack) : NAN;
	bool connected = !x->connect_err && x->have_hs_ack;
	struct tw_verdict *v;
	struct window w, init;
	bool ok;

	expect_timer_window(x->hz, TCP_TIMEOUT_MIN, &w);
	expect_timer_window(x->hz, x->hz, &init);	/* TCP_TIMEOUT_INIT = 1 s */
	v = tw_verdict_add(r, "A17", "K18", connected ? V_REFUTED : V_CONFIRMED,
			   "connect() while the peer is in LAST_ACK: time to establish");
	tw_verdict_figure(v, connected ? up : NAN, w.lo_ms, w.hi_ms + SLACK_MS, "ms");
	ok = connected && up > v->lo && up <= v->hi;
	tw_evidence(v, "%s %.1f ms after the first SYN (capture; connect() returned after %.1f ms "
		    "wall): the SYN went again at +%.1f ms, re-armed to TCP_TIMEOUT_MIN (%d "
		    "jiffies) on the unacceptable ACK; at TCP_TIMEOUT_INIT (1 s) it would be "
		    "(%.0f, %.0f] ms", connected ? "established, accept()ed," :
		    strerror(-x->connect_err), up, x->connect_ms, gap, TCP_TIMEOUT_MIN,
		    init.lo_ms, init.hi_ms);
	if (!ok)
		tw_fail(r, "connect() %s, %.1f ms from the first SYN to the handshake ACK (SYN again "
			"after %.1f ms), expected a connection in (%.0f, %.0f] ms", x->connect_err ?
			strerror(-x->connect_err) : "connected", up, gap, v->lo, v->hi);
}

static int run_experiment(struct syn *x, struct tw_result *r)
{
	uint64_t dropped = 0;
	int err;

	read_counters(x, &x->c0);
	err = into_last_ack(x);
	if (err)
		return tw_error(r, err, "into LAST_ACK with the final ACK dropped: %s",
				impair_error(x->ip));
	err = reconnect(x);
	if (err)
		return tw_error(r, err, "a new connect() on the 4-tuple");
	/* a budget left over would have dropped the new handshake's ACK */
	err = impair_dropped(x->ip, &dropped);
	if (err || dropped != 1)
		return tw_error(r, err ?: -EPROTO, "the drop took %llu ACKs, expected the final one",
				(unsigned long long)dropped);
	read_counters(x, &x->c1);
	err = read_back(x);
	if (err)
		return tw_error(r, err, "the old FINs and the new SYN in the capture");
	if (x->fin_retx_first)
		return tw_error(r, -ETIME, "the server's FIN went again before the new SYN: "
				"LAST_ACK was not met in time");
	judge_answer(x, r);
	judge_rst(x, r);
	judge_connect(x, r);
	return 0;
}

static int setup(struct syn *x)
{
	int err;

	err = lab_sockviews_open(x->lab, x->sv);
	if (err)
		return err;
	lab_endpoint(x->lab, LAB_CLIENT, 0, x->p->family, CLIENT_PORT, &x->src);
	lab_endpoint(x->lab, LAB_SERVER, 0, x->p->family, PORT, &x->server);
	x->lfd = conn_listen(x->lab, LAB_SERVER, &x->server);
	return x->lfd < 0 ? x->lfd : 0;
}

static int last_ack_syn(struct lab *lab, const struct tw_params *p, struct tw_result *r)
{
	struct syn x = { .lab = lab, .p = p, .hz = lab->kernel->hz, .lfd = -1, .nfd = -1,
			 .afd = -1 };
	int err;

	err = setup(&x);
	if (err) {
		tw_error(r, err, "set-up");
		goto out;
	}
	err = tw_impair_open(lab, LAB_CLIENT, &x.ip, r);
	if (!err)
		err = run_experiment(&x, r);
out:
	impair_close(x.ip);
	if (x.afd >= 0)
		close(x.afd);
	if (x.nfd >= 0)
		close(x.nfd);
	if (x.lfd >= 0)
		close(x.lfd);
	lab_sockviews_close(x.sv);
	return err;
}

TW_CASE(last_ack_syn,
	.summary = "a new SYN on the 4-tuple while the peer sits in LAST_ACK: its answer, connect() time",
	.claims = "A17",
	.needs = NEED_SOCK_DIAG | NEED_CAPTURE,
	.time_limit_s = 30);
