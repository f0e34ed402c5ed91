// SPDX-License-Identifier: GPL-2.0
/*
 * A17: when the active closer's final ACK is lost, a new connection on
 * the same 4-tuple that arrives while the passive closer is still in
 * LAST_ACK is answered with an RST and cannot be established.
 *
 * Today (K18): a SYN that reaches a synchronized socket gets a challenge
 * ACK (RFC 5961 4.2: tcp_validate_incoming() -> tcp_send_challenge_ack(),
 * since 3.6), never an RST.  The connecting client, in SYN_SENT, finds
 * that ACK unacceptable (it acks the old sequence space) and answers with
 * an RST of exactly that sequence number, which resets the LAST_ACK
 * socket; and since no retransmission has happened yet,
 * tcp_rcv_synsent_state_process() re-arms the SYN's retransmission to
 * TCP_TIMEOUT_MIN (2 jiffies) instead of leaving it at TCP_TIMEOUT_INIT
 * (1 s) -- since 5.6 (9603d47bad46, "tcp: Reduce SYN resend delay if a
 * suspicous ACK is received"); before, the SYN waited out the second.
 * The retransmitted SYN finds only the listener and connects.
 *
 * Method: lib/lastack.c puts the server's end in LAST_ACK with the
 * client's final ACK dropped, over a server route whose rto_min of 1 s
 * (lib/rtomin.h) keeps the LAST_ACK there some 1 s, not 204 ms, so that a
 * loaded machine still meets it; the client's first socket was bound to its
 * port with SO_REUSEADDR, so that a second socket can bind there too
 * (conn_bound()).  At once -- well before the server's FIN retransmission,
 * one RTO later -- that second socket connect()s to the server: with
 * timestamps on, connect() takes over the client's own TIME_WAIT (K06:
 * an explicit bind() gives tcp_twsk_unique() no twp).  Timed: connect();
 * from the capture: the peer's answer to the SYN (RST, challenge ACK,
 * other, none, or the capture lacks the SYN), the client's next
 * segment, the SYN's retransmission, timed on the capture's kernel
 * timestamps from the answer that re-armed it; from the server's
 * counters: TCPSYNChallenge and TCPChallengeACK.  The judge is
 * cases/judges/last_ack_syn.c.
 */
#include <errno.h>
#include <math.h>
#include <netinet/tcp.h>
#include <unistd.h>

#include "case.h"
#include "clock.h"
#include "conn.h"
#include "flowcap.h"
#include "impair.h"
#include "judges/last_ack_syn.h"
#include "lastack_fixture.h"
#include "netstat.h"
#include "rtomin.h"
#include "wait.h"

#define PORT		9800
#define CLIENT_PORT	9801	/* bound explicitly, below the ephemeral range */
#define SERVER_RTO_MIN_MS 1000	/* the server's FIN again after about 1 s, not 204 ms */

TW_CASE(last_ack_syn,
	.summary = "a new SYN on the 4-tuple while the peer sits in LAST_ACK: its answer, connect() time",
	.claims = "A17",
	LASTACK_FIXTURE(PORT),
	.time_limit_s = 30);

struct syn {
	struct lab *lab;
	struct tw_fixture *fx;
	struct endpoint src;
	int nfd, afd;			/* the new connection's ends */
	struct lastack la;
	struct last_ack_syn_fig fig;
};

/* The new connection on the same 4-tuple, timed; accept() it if it came. */
static int reconnect(struct syn *x)
{
	struct tuple ts;
	int64_t t0;
	int err;

	x->nfd = conn_bound(x->lab, LAB_CLIENT, &x->src, true);
	if (x->nfd < 0)
		return x->nfd;
	t0 = now_ns();
	x->fig.connect_err = conn_connect_fd(x->nfd, &x->fx->listen[0]);
	x->fig.connect_ms = ns_to_ms(now_ns() - t0);
	if (x->fig.connect_err == -EADDRNOTAVAIL)
		return x->fig.connect_err;	/* the TIME_WAIT was not taken over: no experiment */
	if (!x->fig.connect_err) {
		x->afd = conn_accept(x->fx->lfd[0], CONN_TIMEOUT_MS);
		if (x->afd < 0)
			return x->afd;
	}
	tuple_reverse(&x->la.tc, &ts);
	err = wait_stays(&x->fx->sv[LAB_SERVER], &ts, TCPF(TCP_LAST_ACK),
			 now_ns() + LASTACK_SETTLE_MS * NSEC_PER_MSEC, NULL);
	x->fig.last_ack_left = err > 0;
	return err < 0 ? err : 0;
}

static enum las_answer classify(const struct tcp_segment *a, uint32_t old_rcv_nxt)
{
	uint8_t f = a->flags & (TH_ACK | TH_SYN | TH_RST | TH_FIN);

	if (f & TH_RST)
		return LAS_RST;
	return f == TH_ACK && a->ack == old_rcv_nxt ? LAS_CHALLENGE : LAS_OTHER;
}

/* After the answer @a: the client's RSTs of its number, the SYN again, the handshake. */
static void after_answer(const struct flowcap *fc, const struct tcp_segment *syn1,
			 const struct tcp_segment *a, struct last_ack_syn_fig *f)
{
	const struct tcp_segment *s, *syn2, *hs;

	syn2 = segment_find(a, fc->end, &fc->tc, TH_SYN, TH_ACK);
	for (s = segment_find(a, fc->end, &fc->tc, TH_RST, 0); s && (!syn2 || s < syn2);
	     s = segment_find(s + 1, fc->end, &fc->tc, TH_RST, 0))
		if (s->seq == a->ack && !f->client_rsts++)
			f->rst_ms = seg_gap_ms(a, s);
	f->syn2_seen = syn2;
	if (syn2)
		f->syn2_ms = seg_gap_ms(a, syn2);
	/* the client's ACK of the SYN-ACK: connect() is done in the kernel */
	hs = segment_find(segment_find(syn2, fc->end, &fc->ts, TH_SYN | TH_ACK, 0), fc->end,
			  &fc->tc, TH_ACK, TH_SYN | TH_FIN | TH_RST);
	f->up_ms = hs ? seg_gap_ms(syn1, hs) : NAN;
}

/* The new SYN after the server's FIN, the peer's answer, what followed: one look. */
static int read_back(const struct flowcap *fc, void *arg)
{
	const struct tcp_segment *syn1, *a;
	struct last_ack_syn_fig *f = arg;

	syn1 = segment_find(fc->sfin, fc->end, &fc->tc, TH_SYN, TH_ACK);
	f->answer = LAS_MISS;
	if (!fc->cfin || !syn1)
		return 1;
	f->late = fc->sfin2 && fc->sfin2 < syn1;
	f->old_rcv_nxt = seg_end_seq(fc->cfin);
	a = segment_find(syn1 + 1, fc->end, &fc->ts, 0, 0);
	f->answer = a ? classify(a, f->old_rcv_nxt) : LAS_NONE;
	if (a) {
		f->answer_flags = a->flags;
		f->answer_ack = a->ack;
		after_answer(fc, syn1, a, f);
	}
	return 1;
}

static int run_experiment(struct syn *x, struct tw_result *r)
{
	const struct netns *ns = &x->lab->host[LAB_SERVER].ns;
	struct capture *cap = x->fx->capture[LAB_CLIENT];
	struct flowcap_want fin = { .server = true, .flags = TH_FIN };
	long long sc = netstat_ext(ns, "TCPSYNChallenge"), ca = netstat_ext(ns, "TCPChallengeACK");
	uint64_t dropped;
	int err;

	/* the old connection, from a port bound with SO_REUSEADDR, into LAST_ACK */
	err = lastack_open(x->lab, &x->src, x->fx->lfd[0], &x->fx->listen[0], x->fx->impair,
			   x->fx->sv, &x->la);
	/* the server's FIN on the capture twice: its LAST_ACK came and went unseen */
	if (lastack_missed(err, &x->la) && flowcap_find(cap, &x->la.tc, 0, &fin) >= 0 && fin.n > 1) {
		x->fig.late = true;	/* the judge says nothing could be met */
		return 0;
	}
	if (err)
		return tw_error(r, err, "into LAST_ACK with the final ACK dropped: %s",
				impair_error(x->fx->impair));
	err = reconnect(x);
	if (err)
		return tw_error(r, err, "a new connect() on the 4-tuple");
	/* the tool: a budget left over would have dropped the new handshake's ACK */
	err = lastack_dropped(x->fx->impair, &dropped);
	if (err)
		return tw_error(r, err, "the drop took %llu ACKs, expected the final one",
				(unsigned long long)dropped);
	x->fig.syn_challenge = netstat_rise(sc, netstat_ext(ns, "TCPSYNChallenge"));
	x->fig.challenge_ack = netstat_rise(ca, netstat_ext(ns, "TCPChallengeACK"));
	err = flowcap_await(cap, &x->la.tc, 0, read_back, &x->fig);
	return err < 0 ? tw_error(r, err, "the capture") : 0;
}

static int last_ack_syn(struct lab *lab, const struct tw_params *p, struct tw_result *r)
{
	struct syn x = { .lab = lab, .fx = p->fx, .nfd = -1, .afd = -1,
			 .fig = { .hz = lab->kernel->hz, .version = lab->kernel->version } };
	int err;

	lab_endpoint(lab, LAB_CLIENT, 0, p->family, CLIENT_PORT, &x.src);
	/* the server's LAST_ACK outlasts a loaded machine's delays; no claim is about its length */
	x.fig.server_rto_min_ms = route_rto_min(&lab->host[LAB_SERVER].ns, LAB_IFNAME, p->family,
						&x.src.addr, SERVER_RTO_MIN_MS) ?
				  0 : SERVER_RTO_MIN_MS;
	err = run_experiment(&x, r);
	if (!err)
		last_ack_syn_judge(&x.fig, r);
	if (x.afd >= 0)
		close(x.afd);
	if (x.nfd >= 0)
		close(x.nfd);
	return err;
}
