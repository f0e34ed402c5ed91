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

#include "capture.h"
#include "case.h"
#include "clock.h"
#include "conn.h"
#include "craft.h"
#include "judges/old_duplicate.h"
#include "kernel.h"
#include "netstat.h"
#include "rawsock.h"
#include "sockview.h"
#include "wait.h"

#define PORT		9500
#define DATA_BYTES	100
#define SYNC_MS		2000
#define SETTLE_MS	3000	/* LAST_ACK ends on one veth round trip */
#define ANSWER_MS	1000	/* bound on a segment's answer over the veth */
/*
 * How long an RST that tcp_rfc1337=1 ignores must leave the TIME_WAIT in
 * place: an RST it obeys kills it within the softirq that delivers it.
 */
#define STAY_MS		300
#define PKT_MAX		(CRAFT_IPV6_HLEN + CRAFT_TCP_HLEN + CRAFT_TS_ALIGNED + DATA_BYTES)

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
	const struct tw_params *p;
	struct endpoint server;
	int lfd, raw;
	struct sockview sv[LAB_SERVER + 1];
	struct old_duplicate_fig fig;
};

static int read_all(int fd, size_t len)
{
	char buf[DATA_BYTES];

	while (len) {
		ssize_t n = read(fd, buf, len < sizeof(buf) ? len : sizeof(buf));

		if (n <= 0)
			return n ? -errno : -EPIPE;
		len -= n;
	}
	return 0;
}

/* Server data to the client, then an orderly close, client first (K02). */
static int time_wait(struct dup *x, struct tuple *tc)
{
	int64_t deadline = now_ns() + SETTLE_MS * NSEC_PER_MSEC;
	char buf[DATA_BYTES] = { 0 };
	struct watch w = { .states = TCPF_ALL };
	int cfd, sfd, err;

	err = conn_pair(x->lab, LAB_CLIENT, NULL, x->lfd, &x->server, &cfd, &sfd);
	if (err)
		return err;
	err = tuple_of_socket(cfd, tc);
	if (!err && write(sfd, buf, sizeof(buf)) != sizeof(buf))
		err = -EIO;
	if (!err)
		err = read_all(cfd, sizeof(buf));
	err = conn_close_orderly(cfd, sfd, NULL) ?: err;
	if (!err)
		err = wait_state(&x->sv[LAB_CLIENT], tc, TCPF(TCP_TIME_WAIT), deadline);
	tuple_reverse(tc, &w.t);
	return err ?: wait_gone(&x->sv[LAB_SERVER], &w, 1, deadline);
}

/* The server's data segment and both FINs of @c, from the capture. */
static int read_back(struct dup *x, struct old_conn *c)
{
	const struct tcp_segment *s, *end, *cfin, *sfin;
	struct tcp_segment *segs;
	struct tuple ts;
	int n;

	n = capture_snapshot(x->p->fx->capture[LAB_CLIENT], SYNC_MS, &segs);
	if (n < 0)
		return n;
	end = segs + n;
	tuple_reverse(&c->tc, &ts);
	s = segment_find(segs, end, &ts, TH_ACK, TH_SYN | TH_FIN | TH_RST);
	while (s && !s->payload_len)
		s = segment_find(s + 1, end, &ts, TH_ACK, TH_SYN | TH_FIN | TH_RST);
	cfin = segment_find(segs, end, &c->tc, TH_FIN, 0);
	sfin = segment_find(segs, end, &ts, TH_FIN, 0);
	if (s && cfin && sfin) {
		c->data = *s;
		c->snd_nxt = seg_end_seq(cfin);
		c->rcv_nxt = seg_end_seq(sfin);
		c->ts_recent = sfin->tsval;
		c->last = sfin - segs;
	}
	free(segs);
	return s && cfin && sfin ? 0 : -ENOENT;
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

/*
 * Poll the capture until a segment at index @from or later matches
 * (@t, @flags, @not, and @seq unless @any_seq); *@out is a copy, the
 * return its index, or -ETIMEDOUT at @deadline.
 */
static int await_segment(struct dup *x, int from, const struct tuple *t, uint8_t flags,
			 uint8_t not, bool any_seq, uint32_t seq, int64_t deadline,
			 struct tcp_segment *out)
{
	for (;;) {
		const struct tcp_segment *s, *end;
		struct tcp_segment *segs;
		int n, idx = -1;

		n = capture_snapshot(x->p->fx->capture[LAB_CLIENT], SYNC_MS, &segs);
		if (n < 0)
			return n;
		end = segs + n;
		for (s = segment_find(segs + (from < n ? from : n), end, t, flags, not); s;
		     s = segment_find(s + 1, end, t, flags, not))
			if (any_seq || s->seq == seq) {
				*out = *s;
				idx = s - segs;
				break;
			}
		free(segs);
		if (idx >= 0)
			return idx;
		if (now_ns() >= deadline)
			return -ETIMEDOUT;
		sleep_until_ns(now_ns() + WAIT_POLL_MS * NSEC_PER_MSEC);
	}
}

/* 1 while the TIME_WAIT of @tc is still there after @stay_ms, 0 once gone. */
static int time_wait_stays(struct dup *x, const struct tuple *tc, int stay_ms, double *gone_ms)
{
	struct watch w = { .t = *tc, .states = TCPF(TCP_TIME_WAIT) };
	int64_t t0 = now_ns();
	int err;

	err = wait_gone(&x->sv[LAB_CLIENT], &w, 1, t0 + stay_ms * NSEC_PER_MSEC);
	if (err == -ETIMEDOUT)
		return 1;
	if (err)
		return err;
	*gone_ms = ns_to_ms(w.gone_ns - t0);
	return 0;
}

/* Sockets a segment could have made: any on PORT at the server but the listener, or at the client but the TIME_WAIT. */
static int stray_sockets(struct dup *x, const struct tuple *tc, unsigned int *n)
{
	unsigned int counts[TCP_NSTATES];
	struct sv_sock s;
	int err;

	err = sockview_count(&x->sv[LAB_SERVER], tc->src.family,
			     TCPF_ALL & ~TCPF(TCP_LISTEN) & ~TCPF(TCP_TIME_WAIT), counts);
	if (err)
		return err;
	*n = 0;
	for (int i = 0; i < TCP_NSTATES; i++)
		*n += counts[i];
	err = sockview_find(&x->sv[LAB_CLIENT], tc, TCPF_ALL & ~TCPF(TCP_TIME_WAIT), &s);
	if (err == -ENOENT)
		return 0;
	*n += !err;
	return err;
}

static uint64_t counter(struct dup *x, const char *name, bool *ok)
{
	uint64_t v = 0;

	*ok = !netstat_read(&x->lab->host[LAB_CLIENT].ns, "TcpExt", name, &v);
	return v;
}

static int peer_rst(struct dup *x, const struct old_conn *c, int aidx, struct tw_result *r);

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
	int64_t deadline = now_ns() + ANSWER_MS * NSEC_PER_MSEC;
	struct old_duplicate_fig *f = &x->fig;
	struct tcp_segment in, ack;
	uint64_t paws0, paws1;
	int idx, aidx, err, accepted;
	bool paws_ok;

	if (c->data.payload_len > sizeof(payload))
		return -EMSGSIZE;
	memset(payload, 'x', sizeof(payload));
	paws0 = counter(x, "PAWSTimewait", &paws_ok);
	err = inject(x, &cs);
	if (err)
		return tw_error(r, err, "raw send of the old data segment");

	idx = await_segment(x, c->last + 1, &c->data.t, c->data.flags, 0, false, c->data.seq,
			    deadline, &in);
	if (idx < 0)
		return tw_error(r, idx, "the injected segment never showed in the capture");
	aidx = await_segment(x, idx + 1, &c->tc, TH_ACK, TH_SYN | TH_FIN | TH_RST | TH_PUSH,
			     true, 0, deadline, &ack);
	if (aidx < 0 && aidx != -ETIMEDOUT)
		return tw_error(r, aidx, "capture");
	paws1 = counter(x, "PAWSTimewait", &paws_ok) - paws0;

	f->snd_nxt = c->snd_nxt;
	f->rcv_nxt = c->rcv_nxt;
	f->data_seq = in.seq;
	f->data_tsval = in.tsval;
	f->ts_recent = c->ts_recent;
	f->paws_want = c->data.has_ts && (int32_t)(c->ts_recent - c->data.tsval) > 0;
	f->paws = paws_ok ? (long long)paws1 : -1;
	f->answered = aidx >= 0;
	if (f->answered) {
		f->ack_seq = ack.seq;
		f->ack_ack = ack.ack;
		f->acks = ack.seq == c->snd_nxt && ack.ack == c->rcv_nxt && !ack.payload_len;
	}

	accepted = conn_accept(x->lfd, 0);
	if (accepted >= 0)
		close(accepted);
	err = stray_sockets(x, &c->tc, &f->stray);
	if (err)
		return tw_error(r, err, "sock_diag after the old duplicate");
	f->stray += accepted >= 0;
	return f->answered ? peer_rst(x, c, aidx, r) : 0;
}

/* The server has no connection left: its listener answers the TIME_WAIT's ACK with an RST. */
static int peer_rst(struct dup *x, const struct old_conn *c, int aidx, struct tw_result *r)
{
	struct old_duplicate_fig *f = &x->fig;
	struct tcp_segment rst;
	double gone_ms = NAN;
	int err;

	err = await_segment(x, aidx + 1, &c->data.t, TH_RST, 0, true, 0,
			    now_ns() + ANSWER_MS * NSEC_PER_MSEC, &rst);
	if (err == -ETIMEDOUT)
		return 0;	/* the judge says none came */
	err = err < 0 ? err : time_wait_stays(x, &c->tc, STAY_MS, &gone_ms);
	if (err < 0)
		return tw_error(r, err, "the server's RST to the TIME_WAIT's ACK");
	f->peer_rst = true;
	f->peer_rst_seq = rst.seq;
	f->peer_rst_stays = err;
	return 0;
}

/* @s and the clock around reading it: [0] before, [1] after. */
static int read_tw(struct dup *x, const struct tuple *tc, struct sv_sock *s, int64_t t[2])
{
	int err;

	t[0] = now_ns();
	err = sockview_find(&x->sv[LAB_CLIENT], tc, TCPF(TCP_TIME_WAIT), s);
	t[1] = now_ns();
	return err;
}

/* (b): an RST of seq tw_rcv_nxt, the one in-window RST (K17). */
static int in_window_rst(struct dup *x, const struct old_conn *c, struct tw_result *r)
{
	struct craft_seg cs = { .seq = c->rcv_nxt, .flags = TH_RST };
	struct old_duplicate_fig *f = &x->fig;
	struct sv_sock before, after;
	struct tcp_segment seen;
	int64_t tb[2], ta[2];
	int stays, err;

	tuple_reverse(&c->tc, &cs.t);
	err = read_tw(x, &c->tc, &before, tb);
	if (!err)
		err = inject(x, &cs);
	if (!err)
		err = await_segment(x, c->last + 1, &cs.t, TH_RST, 0, false, cs.seq,
				    now_ns() + ANSWER_MS * NSEC_PER_MSEC, &seen);
	stays = err < 0 ? err : time_wait_stays(x, &c->tc, STAY_MS, &f->rst_gone_ms);
	if (stays < 0)
		return tw_error(r, stays, "in-window RST");
	f->rst_stays = stays;
	f->stay_ms = STAY_MS;
	if (!stays)
		return 0;
	err = read_tw(x, &c->tc, &after, ta);
	if (err)
		return tw_error(r, err, "TIME_WAIT after the ignored RST");
	f->timer_read = true;
	f->before_ms = before.expires_ms;
	f->after_ms = after.expires_ms;
	f->least_ms = ns_to_ms(ta[0] - tb[1]);
	f->most_ms = ns_to_ms(ta[1] - tb[0]);
	return 0;
}

static int setup(struct dup *x)
{
	int err;

	err = lab_sockviews_open(x->lab, x->sv);
	if (err)
		return err;
	lab_endpoint(x->lab, LAB_SERVER, 0, x->p->family, PORT, &x->server);
	x->lfd = conn_listen(x->lab, LAB_SERVER, &x->server);
	if (x->lfd < 0)
		return x->lfd;
	x->raw = rawsock_open(&x->lab->host[LAB_SERVER].ns, x->p->family);
	return x->raw < 0 ? x->raw : 0;
}

static int old_duplicate(struct lab *lab, const struct tw_params *p, struct tw_result *r)
{
	struct dup x = { .lab = lab, .p = p, .lfd = -1, .raw = -1 };
	struct old_conn a = { 0 }, b = { 0 };
	const char *rfc = tw_param(p, "tcp_rfc1337");
	int err;

	x.fig.rfc1337 = atoi(rfc ?: "0");
	x.fig.hz = lab->kernel->hz;
	x.fig.version = lab->kernel->version;
	err = setup(&x);
	if (!err)
		err = time_wait(&x, &a.tc);
	if (!err)
		err = time_wait(&x, &b.tc);
	if (!err)
		err = read_back(&x, &a);
	if (!err)
		err = read_back(&x, &b);
	if (err) {
		tw_error(r, err, "two connections into TIME_WAIT");
		goto out;
	}
	err = old_data(&x, &a, r);
	if (!err)
		err = in_window_rst(&x, &b, r);
	if (!err)
		old_duplicate_judge(&x.fig, r);
out:
	if (x.raw >= 0)
		close(x.raw);
	if (x.lfd >= 0)
		close(x.lfd);
	lab_sockviews_close(x.sv);
	return err;
}

TW_CASE(old_duplicate,
	.summary = "an old duplicate and an in-window RST injected at TIME_WAIT, by tcp_rfc1337",
	.claims = "A03",
	.vary = { { "tcp_rfc1337", { "0", "1" } } },
	.needs = NEED_SOCK_DIAG | NEED_CAPTURE,
	.time_limit_s = 30);
