// SPDX-License-Identifier: GPL-2.0
/*
 * A03: TIME_WAIT keeps a delayed segment of an old connection from being
 * taken for part of a new one on the same 4-tuple.
 *
 * Today (K05, K17): a segment that reaches a TIME_WAIT socket goes
 * through tcp_timewait_state_process().  Old data (seq below tw_rcv_nxt)
 * is out of window: it is ACKed with tw_snd_nxt / tw_rcv_nxt
 * (TCP_TW_ACK_OOW; data is never rate-limited, tcp_oow_rate_limited())
 * and dropped.  A timestamp older than ts_recent makes PAWS reject it as
 * well (PAWSTimewait).  An RST whose seq is exactly tw_rcv_nxt kills the
 * TIME_WAIT at once unless tcp_rfc1337 is 1 (TIME-WAIT assassination),
 * in which case it is ignored and the timer runs on unchanged.
 *
 * Method, at tcp_rfc1337 = 0 and 1: two connections, each with server
 * data, closed client first, so the client holds two TIME_WAITs.  From
 * the server's namespace, through a raw socket, with headers built by
 * lib/craft.c and sequence numbers read from the capture:
 *   (a) the server's data segment again, byte for byte but the payload
 *       (same seq, ack, window, TS option): what the TIME_WAIT answers
 *       (the capture), that no socket and no accept() comes of it, and
 *       what the server -- which has no connection left -- does with the
 *       TIME_WAIT's ACK: it answers with an RST of seq tw_rcv_nxt;
 *   (b) an RST with seq = tw_rcv_nxt on the other connection: whether
 *       the TIME_WAIT is gone (sock_diag, a bounded wait) or stays, and
 *       then whether its timer was restarted (idiag_expires).
 * What the capture lacks (no answer, no RST) goes to the judge,
 * cases/judges/old_duplicate.c, which says so; it is never a verdict.
 */
#include <errno.h>
#include <math.h>
#include <netinet/tcp.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "case.h"
#include "clock.h"
#include "conn.h"
#include "craft.h"
#include "flowcap.h"
#include "judges/old_duplicate.h"
#include "kernel.h"
#include "netstat.h"
#include "rawsock.h"
#include "wait.h"

#define PORT		9500
#define DATA_BYTES	100
#define SETTLE_MS	3000	/* LAST_ACK ends on one veth round trip */
#define ANSWER_MS	1000	/* bound on a segment's answer over the veth */
/*
 * How long an RST that tcp_rfc1337=1 ignores must leave the TIME_WAIT in
 * place: an RST it obeys kills it within the softirq that delivers it.
 */
#define STAY_MS		300
#define PKT_MAX		(CRAFT_IPV6_HLEN + CRAFT_TCP_HLEN + CRAFT_TS_ALIGNED + DATA_BYTES)

TW_CASE(old_duplicate,
	.summary = "an old duplicate and an in-window RST injected at TIME_WAIT, by tcp_rfc1337",
	.claims = "A03",
	.vary = { { "tcp_rfc1337", { "0", "1" } } },
	.views = HOST(LAB_CLIENT) | HOST(LAB_SERVER),
	.listen = { LISTEN(PORT) },
	.needs = NEED_CAPTURE,
	.time_limit_s = 30);

/* One connection, now in TIME_WAIT at the client, as its capture tells it. */
struct old_conn {
	struct tuple tc;		/* the client's view */
	struct tcp_segment data;	/* the server's data segment */
	uint32_t snd_nxt, rcv_nxt;	/* the TIME_WAIT's tw_snd_nxt, tw_rcv_nxt */
	uint32_t ts_recent;		/* the server FIN's TSval: tw_ts_recent */
	int last;			/* index of the server's FIN in the capture */
};

struct dup {
	struct lab *lab;
	struct tw_fixture *fx;
	struct capture *cap;		/* the client's */
	int raw;
	struct old_duplicate_fig fig;
};

/*
 * Server data to the client, then an orderly close, client first (K02).
 * The fixture's listener stays throughout: it is where a new connection
 * would come from, were the old duplicate taken for one (the sockets and
 * accept()s counted after it), and it answers the TIME_WAIT's ACK with
 * the RST a closed port sends as well (tcp_rcv_state_process() returns 1
 * on an ACK in TCP_LISTEN: tcp_v4_send_reset(), as for no socket).
 */
static int time_wait(struct dup *x, struct tuple *tc)
{
	int64_t deadline = now_ns() + SETTLE_MS * NSEC_PER_MSEC;
	char buf[DATA_BYTES] = { 0 };
	struct watch w = { .states = TCPF_ALL };
	int cfd, sfd, err;

	err = conn_pair(x->lab, LAB_CLIENT, NULL, x->fx->lfd[0], &x->fx->listen[0], &cfd, &sfd);
	if (err)
		return err;
	err = tuple_of_socket(cfd, tc) ?: conn_send_recv(sfd, cfd, buf, sizeof(buf));
	err = conn_close_orderly(cfd, sfd, NULL) ?: err;
	if (!err)
		err = wait_state(&x->fx->sv[LAB_CLIENT], tc, TCPF(TCP_TIME_WAIT), deadline);
	tuple_reverse(tc, &w.t);
	return err ?: wait_gone(&x->fx->sv[LAB_SERVER], &w, 1, deadline);
}

/* The server's data segment and both FINs of the connection, from the capture. */
static int read_back(const struct flowcap *fc, void *arg)
{
	const struct tcp_segment *s;
	struct old_conn *c = arg;

	s = segment_find(fc->segs, fc->end, &fc->ts, TH_ACK, TH_SYN | TH_FIN | TH_RST);
	while (s && !s->payload_len)
		s = segment_find(s + 1, fc->end, &fc->ts, TH_ACK, TH_SYN | TH_FIN | TH_RST);
	if (!s || !fc->cfin || !fc->sfin)
		return -ENOENT;
	c->data = *s;
	c->snd_nxt = seg_end_seq(fc->cfin);
	c->rcv_nxt = seg_end_seq(fc->sfin);
	c->ts_recent = fc->sfin->tsval;
	c->last = fc->sfin - fc->segs;
	return 1;
}

static int inject(struct dup *x, const struct craft_seg *cs)
{
	uint8_t pkt[PKT_MAX];
	int len;

	len = craft_packet(cs, pkt, sizeof(pkt));
	if (len < 0)
		return len;
	return rawsock_send(x->raw, pkt, len, &cs->t.dst);
}

/* 1 while the TIME_WAIT of @tc is still there STAY_MS later, 0 once gone (@gone_ms after). */
static int tw_stays(struct dup *x, const struct tuple *tc, double *gone_ms)
{
	int64_t t0 = now_ns(), gone = t0;
	int stays;

	stays = wait_stays(&x->fx->sv[LAB_CLIENT], tc, TCPF(TCP_TIME_WAIT),
			   t0 + STAY_MS * NSEC_PER_MSEC, &gone);
	*gone_ms = ns_to_ms(gone - t0);
	return stays;
}

/* Sockets a segment could have made: any on PORT at the server but the listener, or at the client but the TIME_WAIT. */
static int stray_sockets(struct dup *x, const struct tuple *tc, unsigned int *n)
{
	unsigned int counts[TCP_NSTATES];
	int err;

	err = sockview_count(&x->fx->sv[LAB_SERVER], tc->src.family,
			     TCPF_ALL & ~TCPF(TCP_LISTEN) & ~TCPF(TCP_TIME_WAIT), counts);
	if (err)
		return err;
	*n = 0;
	for (int i = 0; i < TCP_NSTATES; i++)
		*n += counts[i];
	err = sockview_holds(&x->fx->sv[LAB_CLIENT], tc, TCPF_ALL & ~TCPF(TCP_TIME_WAIT));
	*n += err > 0;
	return err < 0 ? err : 0;
}

/* The server has no connection left: its listener answers the TIME_WAIT's ACK with an RST. */
static int peer_rst(struct dup *x, const struct old_conn *c, int aidx, struct tw_result *r)
{
	struct flowcap_want m = { .from = aidx + 1, .server = true, .flags = TH_RST };
	struct old_duplicate_fig *f = &x->fig;
	double gone_ms = NAN;
	int err;

	err = flowcap_find(x->cap, &c->tc, now_ns() + ANSWER_MS * NSEC_PER_MSEC, &m);
	if (err == -ETIMEDOUT)
		return 0;	/* the judge says none came */
	err = err < 0 ? err : tw_stays(x, &c->tc, &gone_ms);
	if (err < 0)
		return tw_error(r, err, "the server's RST to the TIME_WAIT's ACK");
	f->peer_rst = true;
	f->peer_rst_seq = m.seg.seq;
	f->peer_rst_stays = err;
	return 0;
}

/*
 * (a): the server's data segment again.  tcp_timewait_state_process():
 * out of window (seq < tw_rcv_nxt), so the ACK of tw_snd_nxt/tw_rcv_nxt;
 * PAWS too when its TSval is older than ts_recent (paws_win 0).
 */
static int old_data(struct dup *x, const struct old_conn *c, struct tw_result *r)
{
	uint8_t payload[DATA_BYTES];
	struct craft_seg cs = {
		.t = c->data.t, .seq = c->data.seq, .ack = c->data.ack,
		.flags = c->data.flags, .window = c->data.window,
		.has_ts = c->data.has_ts, .tsval = c->data.tsval, .tsecr = c->data.tsecr,
		.payload = payload, .payload_len = c->data.payload_len,
	};
	struct flowcap_want in = { .from = c->last + 1, .server = true, .flags = c->data.flags,
				.seq_is = true, .seq = c->data.seq };
	struct flowcap_want ack = { .flags = TH_ACK, .not = TH_SYN | TH_FIN | TH_RST | TH_PUSH };
	int64_t deadline = now_ns() + ANSWER_MS * NSEC_PER_MSEC;
	const struct netns *ns = &x->lab->host[LAB_CLIENT].ns;
	struct old_duplicate_fig *f = &x->fig;
	int idx, aidx, err, accepted;
	long long paws;

	if (c->data.payload_len > sizeof(payload))
		return -EMSGSIZE;
	memset(payload, 'x', sizeof(payload));
	paws = netstat_ext(ns, "PAWSTimewait");
	err = inject(x, &cs);
	if (err)
		return tw_error(r, err, "raw send of the old data segment");

	idx = flowcap_find(x->cap, &c->tc, deadline, &in);
	if (idx < 0)
		return tw_error(r, idx, "the injected segment never showed in the capture");
	ack.from = idx + 1;
	aidx = flowcap_find(x->cap, &c->tc, deadline, &ack);
	if (aidx < 0 && aidx != -ETIMEDOUT)
		return tw_error(r, aidx, "capture");
	f->paws = netstat_rise(paws, netstat_ext(ns, "PAWSTimewait"));

	f->snd_nxt = c->snd_nxt;
	f->rcv_nxt = c->rcv_nxt;
	f->data_seq = in.seg.seq;
	f->data_tsval = in.seg.tsval;
	f->ts_recent = c->ts_recent;
	f->paws_want = c->data.has_ts && (int32_t)(c->ts_recent - c->data.tsval) > 0;
	f->answered = aidx >= 0;
	if (f->answered) {
		f->ack_seq = ack.seg.seq;
		f->ack_ack = ack.seg.ack;
		f->acks = ack.seg.seq == c->snd_nxt && ack.seg.ack == c->rcv_nxt &&
			  !ack.seg.payload_len;
	}

	accepted = conn_accept(x->fx->lfd[0], 0);
	if (accepted >= 0)
		close(accepted);
	err = stray_sockets(x, &c->tc, &f->stray);
	if (err)
		return tw_error(r, err, "sock_diag after the old duplicate");
	f->stray += accepted >= 0;
	return f->answered ? peer_rst(x, c, aidx, r) : 0;
}

/* (b): an RST of seq tw_rcv_nxt, the one in-window RST (K17). */
static int in_window_rst(struct dup *x, const struct old_conn *c, struct tw_result *r)
{
	struct craft_seg cs = { .seq = c->rcv_nxt, .flags = TH_RST };
	struct flowcap_want m = { .from = c->last + 1, .server = true, .flags = TH_RST,
			       .seq_is = true, .seq = c->rcv_nxt };
	struct sockview *sv = &x->fx->sv[LAB_CLIENT];
	struct old_duplicate_fig *f = &x->fig;
	struct sv_sock before, after;
	int64_t tb[2], ta[2];
	int stays, err;

	tuple_reverse(&c->tc, &cs.t);
	err = sockview_find_at(sv, &c->tc, TCPF(TCP_TIME_WAIT), &before, tb) ?: inject(x, &cs);
	if (!err)
		err = flowcap_find(x->cap, &c->tc, now_ns() + ANSWER_MS * NSEC_PER_MSEC, &m);
	stays = err < 0 ? err : tw_stays(x, &c->tc, &f->rst_gone_ms);
	if (stays < 0)
		return tw_error(r, stays, "in-window RST");
	f->rst_stays = stays;
	f->stay_ms = STAY_MS;
	if (!stays)
		return 0;
	err = sockview_find_at(sv, &c->tc, TCPF(TCP_TIME_WAIT), &after, ta);
	if (err)
		return tw_error(r, err, "TIME_WAIT after the ignored RST");
	f->timer_read = true;
	f->before_ms = before.expires_ms;
	f->after_ms = after.expires_ms;
	f->least_ms = ns_to_ms(ta[0] - tb[1]);
	f->most_ms = ns_to_ms(ta[1] - tb[0]);
	return 0;
}

static int old_duplicate(struct lab *lab, const struct tw_params *p, struct tw_result *r)
{
	struct dup x = { .lab = lab, .fx = p->fx, .cap = p->fx->capture[LAB_CLIENT] };
	struct old_conn a = { 0 }, b = { 0 };
	const char *rfc = tw_param(p, "tcp_rfc1337");
	int err;

	x.fig.rfc1337 = atoi(rfc ?: "0");
	x.fig.hz = lab->kernel->hz;
	err = time_wait(&x, &a.tc) ?: time_wait(&x, &b.tc);
	if (!err)
		err = flowcap_await(x.cap, &a.tc, 0, read_back, &a);
	if (err >= 0)
		err = flowcap_await(x.cap, &b.tc, 0, read_back, &b);
	if (err < 0)
		return tw_error(r, err, "two connections into TIME_WAIT");
	/* the server's own segments, but for the kernel that sent none of them */
	x.raw = rawsock_open(&lab->host[LAB_SERVER].ns, p->family);
	if (x.raw < 0)
		return tw_error(r, x.raw, "a raw socket in the server's namespace");
	err = old_data(&x, &a, r) ?: in_window_rst(&x, &b, r);
	close(x.raw);
	if (!err)
		old_duplicate_judge(&x.fig, r);
	return err;
}
