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
#include <stdlib.h>
#include <unistd.h>

#include "capture.h"
#include "case.h"
#include "clock.h"
#include "conn.h"
#include "impair.h"
#include "judges/last_ack_syn.h"
#include "lastack.h"
#include "netstat.h"
#include "rtomin.h"
#include "sockview.h"
#include "wait.h"

#define PORT		9800
#define CLIENT_PORT	9801	/* bound explicitly, below the ephemeral range */
#define SYNC_MS		2000
#define SERVER_RTO_MIN_MS 1000	/* the server's FIN again after about 1 s, not 204 ms */

struct counters {
	uint64_t syn_challenge, challenge_ack;
	bool ok;
};

struct syn {
	struct lab *lab;
	const struct tw_params *p;
	struct sockview sv[LAB_SERVER + 1];
	struct impair *ip;
	struct endpoint src, server;
	int lfd, nfd, afd;
	struct lastack la;
	struct counters c0, c1;
	struct last_ack_syn_fig fig;
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
	x->fig.connect_err = conn_connect_fd(x->nfd, &x->server);
	x->fig.connect_ms = ns_to_ms(now_ns() - t0);
	if (x->fig.connect_err == -EADDRNOTAVAIL)
		return x->fig.connect_err;	/* the TIME_WAIT was not taken over: no experiment */
	if (!x->fig.connect_err) {
		x->afd = conn_accept(x->lfd, CONN_TIMEOUT_MS);
		if (x->afd < 0)
			return x->afd;
	}
	tuple_reverse(&x->la.tc, &w.t);
	err = wait_gone(&x->sv[LAB_SERVER], &w, 1, now_ns() + LASTACK_SETTLE_MS * NSEC_PER_MSEC);
	x->fig.last_ack_left = err == -ETIMEDOUT;
	return err == -ETIMEDOUT ? 0 : err;
}

static enum las_answer classify(const struct tcp_segment *a, uint32_t old_rcv_nxt)
{
	uint8_t f = a->flags & (TH_ACK | TH_SYN | TH_RST | TH_FIN);

	if (f & TH_RST)
		return LAS_RST;
	return f == TH_ACK && a->ack == old_rcv_nxt ? LAS_CHALLENGE : LAS_OTHER;
}

/* After the answer @a: the client's RSTs of its number, the SYN again, the handshake. */
static void after_answer(struct syn *x, const struct tcp_segment *syn1,
			 const struct tcp_segment *a, const struct tcp_segment *end)
{
	struct last_ack_syn_fig *f = &x->fig;
	const struct tcp_segment *s, *syn2, *hs;
	struct tuple ts;

	tuple_reverse(&x->la.tc, &ts);
	syn2 = segment_find(a, end, &x->la.tc, TH_SYN, TH_ACK);
	for (s = segment_find(a, end, &x->la.tc, TH_RST, 0); s && (!syn2 || s < syn2);
	     s = segment_find(s + 1, end, &x->la.tc, TH_RST, 0))
		if (s->seq == a->ack && !f->client_rsts++)
			f->rst_ms = seg_gap_ms(a, s);
	f->syn2_seen = syn2;
	if (syn2)
		f->syn2_ms = seg_gap_ms(a, syn2);
	/* the client's ACK of the SYN-ACK: connect() is done in the kernel */
	hs = segment_find(segment_find(syn2, end, &ts, TH_SYN | TH_ACK, 0), end, &x->la.tc,
			  TH_ACK, TH_SYN | TH_FIN | TH_RST);
	f->up_ms = hs ? seg_gap_ms(syn1, hs) : NAN;
}

static int read_back(struct syn *x)
{
	const struct tcp_segment *end, *cfin, *fin1, *fin2, *syn1, *a;
	struct last_ack_syn_fig *f = &x->fig;
	struct tcp_segment *segs;
	struct tuple ts;
	int n;

	n = capture_snapshot(x->p->fx->capture[LAB_CLIENT], SYNC_MS, &segs);
	if (n < 0)
		return n;
	end = segs + n;
	tuple_reverse(&x->la.tc, &ts);
	cfin = segment_find(segs, end, &x->la.tc, TH_FIN, 0);
	fin1 = segment_find(segs, end, &ts, TH_FIN, 0);
	syn1 = segment_find(fin1, end, &x->la.tc, TH_SYN, TH_ACK);
	f->answer = LAS_MISS;
	if (cfin && fin1 && syn1) {
		fin2 = segment_find(fin1 + 1, end, &ts, TH_FIN, 0);
		f->late = fin2 && fin2 < syn1;
		f->old_rcv_nxt = seg_end_seq(cfin);
		a = segment_find(syn1 + 1, end, &ts, 0, 0);
		f->answer = a ? classify(a, f->old_rcv_nxt) : LAS_NONE;
		if (a) {
			f->answer_flags = a->flags;
			f->answer_ack = a->ack;
			after_answer(x, syn1, a, end);
		}
	}
	free(segs);
	return 0;
}

/* The server's FIN on the capture twice: its LAST_ACK came and went. */
static bool fin_again(struct syn *x)
{
	const struct tcp_segment *f1, *end;
	struct tcp_segment *segs;
	struct tuple ts;
	bool again;
	int n;

	n = capture_snapshot(x->p->fx->capture[LAB_CLIENT], SYNC_MS, &segs);
	if (n < 0)
		return false;
	end = segs + n;
	tuple_reverse(&x->la.tc, &ts);
	f1 = segment_find(segs, end, &ts, TH_FIN, 0);
	again = f1 && segment_find(f1 + 1, end, &ts, TH_FIN, 0);
	free(segs);
	return again;
}

static int run_experiment(struct syn *x, struct tw_result *r)
{
	uint64_t dropped = 0;
	int err;

	read_counters(x, &x->c0);
	err = into_last_ack(x);
	/*
	 * The server closed after reading EOF, yet no poll saw its LAST_ACK
	 * in time: if the capture shows the FIN again, the LAST_ACK was
	 * there and over before this process ran -- the machine, not the
	 * kernel: the judge says nothing could be met.
	 */
	if (err == -ETIMEDOUT && x->la.server_rto_us && fin_again(x)) {
		x->fig.late = true;
		last_ack_syn_judge(&x->fig, r);
		return 0;
	}
	if (err)
		return tw_error(r, err, "into LAST_ACK with the final ACK dropped: %s",
				impair_error(x->ip));
	err = reconnect(x);
	if (err)
		return tw_error(r, err, "a new connect() on the 4-tuple");
	/* the tool: a budget left over would have dropped the new handshake's ACK */
	err = impair_dropped(x->ip, &dropped);
	if (err || dropped != 1)
		return tw_error(r, err ?: -EPROTO, "the drop took %llu ACKs, expected the final one",
				(unsigned long long)dropped);
	read_counters(x, &x->c1);
	err = read_back(x);
	if (err)
		return tw_error(r, err, "the capture");
	x->fig.syn_challenge = x->c0.ok && x->c1.ok ?
			       (long long)(x->c1.syn_challenge - x->c0.syn_challenge) : -1;
	x->fig.challenge_ack = x->c0.ok && x->c1.ok ?
			       (long long)(x->c1.challenge_ack - x->c0.challenge_ack) : -1;
	last_ack_syn_judge(&x->fig, r);
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
	/* the server's LAST_ACK outlasts a loaded machine's delays; no claim is about its length */
	x->fig.server_rto_min_ms = route_rto_min(&x->lab->host[LAB_SERVER].ns, LAB_IFNAME,
						 x->p->family, &x->src.addr, SERVER_RTO_MIN_MS) ?
				   0 : SERVER_RTO_MIN_MS;
	x->lfd = conn_listen(x->lab, LAB_SERVER, &x->server);
	return x->lfd < 0 ? x->lfd : 0;
}

static int last_ack_syn(struct lab *lab, const struct tw_params *p, struct tw_result *r)
{
	struct syn x = { .lab = lab, .p = p, .lfd = -1, .nfd = -1, .afd = -1,
			 .fig = { .hz = lab->kernel->hz, .version = lab->kernel->version } };
	int err;

	err = setup(&x);
	if (err) {
		tw_error(r, err, "set-up");
		goto out;
	}
	x.ip = p->fx->impair;
	err = run_experiment(&x, r);
out:
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
	.needs = NEED_SOCK_DIAG | NEED_CAPTURE | NEED_IMPAIR,
	.time_limit_s = 30);
