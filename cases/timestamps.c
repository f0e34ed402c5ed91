// SPDX-License-Identifier: GPL-2.0
/*
 * A10: the timestamp option takes 8 bytes, TSval and TSecr 4 bytes each.
 * A13: tcp_tw_recycle shortens TIME_WAIT and, behind NAT, drops SYNs
 * whose timestamps are older than the last seen from that address; it
 * was removed in 4.12.
 *
 * K14: the option is kind 8, length 10 (TCPOLEN_TIMESTAMP): kind, length
 * and the two 4-byte fields.  tcp_options_write() keeps it 4-byte aligned:
 * NOP, NOP, TS (TCPOLEN_TSTAMP_ALIGNED, 12) -- in a SYN, SACK_PERM takes
 * the two NOPs' place.
 *
 * K09: tcp_tw_recycle and its per-peer check (tcp_peer_is_proven()) are
 * gone since 4.12 (commit 4396e46187ca).  What broke it is still there to
 * see: a SYN's TSval is tcp_clock_ms() + tp->tsoffset, and with
 * tcp_timestamps = 1 the offset is a keyed hash of the connection --
 * of (saddr, daddr) in secure_tcp_ts_off() since commit 28ee1b746f49
 * (4.11), of the whole 4-tuple in secure_tcp_seq_and_ts_off() since commit
 * 165573e41f2f -- while with 2 it is 0 (those functions return 0 unless
 * tcp_timestamps is 1).  Two clients behind one address thus look like
 * two machines with unrelated clocks at 1, and like one clock at 2.
 *
 * Method, in a NAT lab (lab_nat_up(): client and client2 masqueraded
 * behind the router's outside address):
 *   1. whether /proc/sys/net/ipv4/tcp_tw_recycle exists;
 *   2. NCONN rounds: client, then client2, connect() to the server and
 *      are accepted, so the server holds one connection from each at
 *      once, both from the router's address (getpeername()); then each
 *      closes, client first.  CLOCK_MONOTONIC, which tcp_clock_ms() reads
 *      (ktime_get_ns()), is read either side of every connect(): the SYN's
 *      TSval minus that clock is its offset, to within the bracket;
 *   3. from the runner's capture on the client's link and one of ours on
 *      client2's: the TS option of every SYN, its SYN-ACK's TSecr, the
 *      option in later segments, each SYN's offset, and per round the two
 *      clients' TSvals against each other, less the time between their
 *      SYNs in the captures.
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
#include "sysctl.h"

#define PORT		9500
#define NCONN		50
#define NCLIENTS	2
#define SYNC_MS		2000
#define TS_TICK_MS	1	/* TSval counts tcp_clock_ms(): TCP_TS_HZ is 1000 */
#define INT32_SPAN	2147483648.0	/* |a signed 32-bit difference| is at most 2^31 */

static const int client_host[NCLIENTS] = { LAB_CLIENT, LAB_CLIENT2 };

struct conn_rec {
	struct tuple t;			/* the client's view: inside address and port */
	int64_t before, after;		/* CLOCK_MONOTONIC either side of connect() */
	bool ok, via_router;
	const struct tcp_segment *syn, *synack;	/* in that client's capture */
};

struct nat_run {
	struct lab *lab;
	int family;
	int timestamps;			/* tcp_timestamps as the clients have it */
	struct endpoint dst, router, client[NCLIENTS];
	int lfd;
	int ok[NCLIENTS];
	int failed;			/* the client whose connection failed, -1 if none */
	int err;
	struct conn_rec rec[NCLIENTS][NCONN];
	struct tcp_segment *segs[NCLIENTS];
	int nsegs[NCLIENTS];
};

/* A SYN's offset from CLOCK_MONOTONIC: in [lo, lo + width] (mod 2^32). */
struct syn_off {
	uint32_t lo, width;
};

/* A13 (K09): the sysctl, in every lab host. */
static int recycle_verdict(struct lab *lab, bool *exists, struct tw_result *r)
{
	struct tw_verdict *v;
	int err = 0;

	*exists = false;
	for (int h = 0; h < lab->nhosts && !err; h++) {
		err = sysctl_exists(&lab->host[h].ns, "tcp_tw_recycle");
		*exists |= err > 0;
		err = err < 0 ? err : 0;
	}
	if (err)
		return tw_error(r, err, "tcp_tw_recycle");
	v = tw_verdict_add(r, "A13", "K09", *exists ? V_CONFIRMED : V_NA, "tcp_tw_recycle sysctl");
	if (*exists)
		tw_evidence(v, "/proc/sys/net/ipv4/tcp_tw_recycle exists: a kernel before 4.12. "
			    "Its shortened TIME_WAIT and NAT drops are not measured here");
	else
		tw_evidence(v, "/proc/sys/net/ipv4/tcp_tw_recycle is absent in all %d lab hosts: "
			    "removed in 4.12 (commit 4396e46187ca) with the per-peer timestamp "
			    "check, as the article says; TIME_WAIT keeps its full length (K01)",
			    lab->nhosts);
	return 0;
}

/* One connection from client @c, accepted; the peer the server sees. */
static int open_one(struct nat_run *x, int c, int i, int *cfd, int *sfd)
{
	struct conn_rec *rec = &x->rec[c][i];
	struct tuple seen;
	int err;

	rec->before = now_ns();
	*cfd = conn_connect(x->lab, client_host[c], NULL, &x->dst);
	rec->after = now_ns();
	if (*cfd < 0)
		return *cfd;
	*sfd = conn_accept(x->lfd, CONN_TIMEOUT_MS);
	if (*sfd < 0) {
		err = *sfd;
		close(*cfd);
		*cfd = -1;
		return err;
	}
	err = tuple_of_socket(*cfd, &rec->t) ?: tuple_of_socket(*sfd, &seen);
	if (err)
		return err;
	rec->ok = true;
	rec->via_router = addr_eq(x->family, &seen.dst.addr, &x->router.addr);
	x->ok[c]++;
	return 0;
}

/*
 * Both clients connect, and both connections are up at once; then each
 * closes, client first (its end keeps the TIME_WAIT, A01).  A connection
 * that fails ends the rounds: it is the measurement, not an error.
 */
static void run_rounds(struct nat_run *x)
{
	for (int i = 0; i < NCONN && x->failed < 0; i++) {
		int cfd[NCLIENTS] = { -1, -1 }, sfd[NCLIENTS] = { -1, -1 };

		for (int c = 0; c < NCLIENTS && x->failed < 0; c++) {
			x->err = open_one(x, c, i, &cfd[c], &sfd[c]);
			if (x->err)
				x->failed = c;
		}
		for (int c = 0; c < NCLIENTS; c++) {
			int err;

			if (cfd[c] < 0)
				continue;
			err = conn_close_orderly(cfd[c], sfd[c], NULL);
			if (err && x->failed < 0) {
				x->failed = c;
				x->err = err;
			}
		}
	}
}

/* Each connection's SYN and SYN-ACK, in its client's capture. */
static void find_handshakes(struct nat_run *x)
{
	for (int c = 0; c < NCLIENTS; c++) {
		const struct tcp_segment *s = x->segs[c], *end = s + x->nsegs[c];

		for (int i = 0; i < NCONN; i++) {
			struct conn_rec *rec = &x->rec[c][i];
			struct tuple rev;

			if (!rec->ok)
				continue;
			tuple_reverse(&rec->t, &rev);
			rec->syn = segment_find(s, end, &rec->t, TH_SYN, TH_ACK);
			rec->synack = segment_find(s, end, &rev, TH_SYN | TH_ACK, 0);
		}
	}
}

/* A13 (K09): every connection of both clients, through one address. */
static void nat_verdicts(struct nat_run *x, bool recycle, struct tw_result *r)
{
	char a[NCLIENTS][INET6_ADDRSTRLEN], out[INET6_ADDRSTRLEN];
	int via = 0;

	for (int c = 0; c < NCLIENTS; c++) {
		for (int i = 0; i < NCONN; i++)
			via += x->rec[c][i].via_router;
		addr_fmt(x->family, &x->client[c].addr, a[c], sizeof(a[c]));
	}
	addr_fmt(x->family, &x->router.addr, out, sizeof(out));
	for (int c = 0; c < NCLIENTS; c++) {
		char what[96];
		struct tw_verdict *v;

		snprintf(what, sizeof(what), "connections from NATed client %d", c + 1);
		v = tw_verdict_add(r, "A13", "K09", recycle ? V_REFINED : V_NA, what);
		tw_verdict_figure(v, x->ok[c], NCONN, NCONN, "");
		tw_evidence(v, "client %d (%s): %d of %d connect()s; both clients' %d in all, "
			    "a pair open at once each round, and %d of them accepted from the "
			    "router's %s (getpeername()); %s", c + 1, a[c], x->ok[c], NCONN,
			    x->ok[0] + x->ok[1], via, out,
			    recycle ? "tcp_tw_recycle at its default 0" :
			    "no tcp_tw_recycle, no per-peer check to drop a SYN");
	}
	if (x->failed >= 0)
		tw_fail(r, "a connection of client %d failed: %s", x->failed + 1,
			strerror(-x->err));
	if (via != x->ok[0] + x->ok[1])
		tw_fail(r, "%d of %d connections reached the server from another address than "
			"the router's %s", x->ok[0] + x->ok[1] - via, x->ok[0] + x->ok[1], out);
}

/* A10 (K14): the option in every SYN, and its echo in the SYN-ACK. */
static void syn_option_verdict(struct nat_run *x, struct tw_result *r)
{
	const struct tcp_segment *first = NULL;
	int nsyn = 0, bad = 0, echoed = 0;
	struct tw_verdict *v;

	for (int c = 0; c < NCLIENTS; c++)
		for (int i = 0; i < NCONN; i++) {
			const struct conn_rec *rec = &x->rec[c][i];
			const struct tcp_segment *s = rec->syn;

			if (!s)
				continue;
			first = first ?: s;
			nsyn++;
			bad += !s->has_ts || s->ts_kind != TCPOPT_TIMESTAMP ||
			       s->ts_len != first->ts_len || s->ts_offset != first->ts_offset ||
			       s->tsecr != 0;
			echoed += rec->synack && rec->synack->has_ts &&
				  rec->synack->tsecr == s->tsval;
		}
	v = tw_verdict_add(r, "A10", "K14", V_REFINED, "timestamp option length in captured SYNs");
	if (!first || !first->has_ts) {
		tw_verdict_figure(v, 0, TCPOLEN_TIMESTAMP, TCPOLEN_TIMESTAMP, "bytes");
		tw_evidence(v, "%d SYNs, the first with no timestamp option", nsyn);
		tw_fail(r, "no timestamp option in the SYNs");
		return;
	}
	tw_verdict_figure(v, first->ts_len, TCPOLEN_TIMESTAMP, TCPOLEN_TIMESTAMP, "bytes");
	tw_evidence(v, "%d SYNs: kind %u, length %u = kind, length, TSval (4), TSecr (4), at "
		    "option offset %d (behind MSS and SACK_PERM, which fills the NOPs' place); "
		    "TSecr 0, and %d SYN-ACKs echo the TSval as TSecr: the article's 8 bytes are "
		    "the two fields", nsyn, first->ts_kind, first->ts_len, first->ts_offset,
		    echoed);
	if (bad || first->ts_len != TCPOLEN_TIMESTAMP || nsyn != x->ok[0] + x->ok[1])
		tw_fail(r, "%d of %d SYNs (of %d connections) lack kind 8, length 10, TSecr 0, "
			"or differ from the first", bad, nsyn, x->ok[0] + x->ok[1]);
	if (echoed != nsyn)
		tw_fail(r, "%d of %d SYN-ACKs echo their SYN's TSval", echoed, nsyn);
}

/* A10 (K14): with tcp_timestamps=0 (--set) no SYN may carry the option. */
static void no_option_verdict(struct nat_run *x, struct tw_result *r)
{
	int nsyn = 0, with = 0;
	struct tw_verdict *v;

	for (int c = 0; c < NCLIENTS; c++)
		for (int i = 0; i < NCONN; i++)
			if (x->rec[c][i].syn) {
				nsyn++;
				with += x->rec[c][i].syn->has_ts;
			}
	v = tw_verdict_add(r, "A10", "K14", V_NA, "SYNs with a timestamp option");
	tw_verdict_figure(v, with, 0, 0, "");
	tw_evidence(v, "tcp_timestamps=0: %d of %d SYNs carry the option; "
		    "nothing to measure its length on", with, nsyn);
	if (with)
		tw_fail(r, "tcp_timestamps=0, yet %d SYNs carry a timestamp option", with);
}

/* A10 (K14): what the option fills in every later segment a client sent. */
static void aligned_option_verdict(struct nat_run *x, struct tw_result *r)
{
	int n = 0, bad = 0, fill = -1;
	struct tw_verdict *v;

	for (int c = 0; c < NCLIENTS; c++) {
		const union inet_addr *me = &x->client[c].addr;

		for (int k = 0; k < x->nsegs[c]; k++) {
			const struct tcp_segment *s = &x->segs[c][k];

			if ((s->flags & TH_SYN) || !addr_eq(x->family, &s->t.src.addr, me))
				continue;
			if (fill < 0 && s->has_ts)
				fill = s->ts_offset + s->ts_len;
			bad += !s->has_ts || s->ts_offset + s->ts_len != fill;
			n++;
		}
	}
	v = tw_verdict_add(r, "A10", "K14", V_REFINED,
			   "bytes the timestamp option fills after the handshake (NOP, NOP, TS)");
	tw_verdict_figure(v, fill, TCPOLEN_TSTAMP_APPA, TCPOLEN_TSTAMP_APPA, "bytes");
	tw_evidence(v, "%d later segments from the clients, %d otherwise: TS at option offset "
		    "%d behind NOP, NOP: %d bytes (TCPOLEN_TSTAMP_ALIGNED), so the header stays "
		    "4-byte aligned", n, bad, fill < 0 ? -1 : fill - TCPOLEN_TIMESTAMP, fill);
	if (!n || bad || fill != TCPOLEN_TSTAMP_APPA)
		tw_fail(r, "%d of %d later segments do not carry NOP, NOP, TS", n ? bad : 0, n);
}

static struct syn_off syn_offset(const struct conn_rec *rec)
{
	uint32_t before_ms = rec->before / NSEC_PER_MSEC, after_ms = rec->after / NSEC_PER_MSEC;

	return (struct syn_off){ .lo = rec->syn->tsval - after_ms,
				 .width = after_ms - before_ms };
}

/* Could the two SYNs have the same offset? Their intervals overlap. */
static bool same_offset(struct syn_off a, struct syn_off b)
{
	int64_t d = (int32_t)(b.lo - a.lo);

	return d >= -(int64_t)b.width && d <= (int64_t)a.width;
}

static bool offset_zero(struct syn_off o)
{
	return (uint32_t)(0u - o.lo) <= o.width;
}

/* One offset the SYN allows, for the evidence: 0 whenever it can be. */
static uint32_t offset_shown(struct syn_off o)
{
	return offset_zero(o) ? 0 : o.lo;
}

/* Offsets no earlier one could equal: a lower bound on the distinct ones. */
static int distinct(const struct syn_off *o, int n)
{
	int k = 0;

	for (int i = 0; i < n; i++) {
		int j = 0;

		while (j < i && !same_offset(o[j], o[i]))
			j++;
		k += j == i;
	}
	return k;
}

/* A13 (K09): how many offsets the clients' SYNs carry, against the clock. */
static void offsets_verdict(struct nat_run *x, struct tw_result *r)
{
	struct syn_off o[NCLIENTS * NCONN];
	int n = 0, per[NCLIENTS] = { 0 }, k[NCLIENTS], nonzero = 0, all;
	uint32_t example[NCLIENTS] = { 0 };
	struct tw_verdict *v;
	const char *how;

	for (int c = 0; c < NCLIENTS; c++) {
		for (int i = 0; i < NCONN; i++)
			if (x->rec[c][i].syn) {
				o[n] = syn_offset(&x->rec[c][i]);
				example[c] = per[c] ? example[c] : offset_shown(o[n]);
				nonzero += !offset_zero(o[n]);
				per[c]++;
				n++;
			}
		k[c] = distinct(o + n - per[c], per[c]);
	}
	all = distinct(o, n);
	if (x->timestamps != 1)
		how = "TSval is CLOCK_MONOTONIC in ms: no offset";
	else if (all == n)
		how = "one per connection: a hash of the 4-tuple (secure_tcp_seq_and_ts_off(), "
		      "commit 165573e41f2f)";
	else if (all == NCLIENTS && k[0] == 1 && k[1] == 1)
		how = "one per (saddr, daddr): secure_tcp_ts_off() (commit 28ee1b746f49)";
	else
		how = "neither one per connection nor one per address pair";

	v = tw_verdict_add(r, "A13", "K09", V_REFINED,
			   "distinct TSval offsets from the clock among the NATed clients' SYNs");
	if (x->timestamps == 1)
		tw_verdict_figure(v, all, NAN, NAN, "");
	else
		tw_verdict_figure(v, all, 1, 1, "");
	tw_evidence(v, "tcp_timestamps=%d: %d distinct in %d SYNs (client 1: %d of %d, first "
		    "+%u ms; client 2: %d of %d, first +%u ms), %d not 0; %s", x->timestamps,
		    all, n, k[0], per[0], example[0], k[1], per[1], example[1], nonzero, how);
	if (x->timestamps == 1 && all < NCLIENTS)
		tw_fail(r, "tcp_timestamps=1, yet the two clients' SYNs share one offset");
	if (x->timestamps != 1 && nonzero)
		tw_fail(r, "tcp_timestamps=%d, yet %d SYNs carry an offset from the clock",
			x->timestamps, nonzero);
}

/*
 * A13 (K09): per round, client 2's TSval less client 1's, less the time
 * between the two SYNs in the captures: what the server would see of two
 * machines behind one address.  Without offsets it is below one tick.
 */
static int difference_verdict(struct nat_run *x, struct tw_result *r)
{
	int64_t t_min = INT64_MAX, t_max = INT64_MIN;
	double d[NCONN], span_ms, lo, hi;
	struct tw_verdict *v;
	int n = 0, beyond = 0;

	for (int i = 0; i < NCONN; i++) {
		const struct tcp_segment *s1 = x->rec[0][i].syn, *s2 = x->rec[1][i].syn;

		if (!s1 || !s2)
			continue;
		d[n] = (int32_t)(s2->tsval - s1->tsval) - (s2->ts_us - s1->ts_us) / 1000.0;
		if (d[n] < 0)
			d[n] = -d[n];
		for (const struct tcp_segment *s = s1; s; s = s == s1 ? s2 : NULL) {
			t_min = s->ts_us < t_min ? s->ts_us : t_min;
			t_max = s->ts_us > t_max ? s->ts_us : t_max;
		}
		n++;
	}
	if (!n)
		return tw_error(r, -ENOENT, "no round has both clients' SYNs in the captures");
	/* beyond the whole run, no clock that ran during it can explain a difference */
	span_ms = (t_max - t_min) / 1000.0 + TS_TICK_MS;
	for (int i = 0; i < n; i++)
		beyond += d[i] > span_ms;
	lo = x->timestamps == 1 ? span_ms : -TS_TICK_MS;
	hi = x->timestamps == 1 ? INT32_SPAN : TS_TICK_MS;

	v = tw_verdict_add(r, "A13", "K09", V_REFINED,
			   "TSval difference between the NATed clients, less the time between their SYNs");
	tw_verdict_samples(v, d, n, lo, hi, "ms");
	if (x->timestamps == 1)
		tw_evidence(v, "tcp_timestamps=1, %d rounds: |client 2's TSval - client 1's - the "
			    "time between their SYNs|; %d beyond the %.0f ms the run took: to the "
			    "server, two machines with unrelated clocks behind one address",
			    n, beyond, span_ms);
	else
		tw_evidence(v, "tcp_timestamps=%d, %d rounds: |client 2's TSval - client 1's - the "
			    "time between their SYNs|, within one %d ms tick: no offset, and both "
			    "clients read this kernel's one clock", x->timestamps, n, TS_TICK_MS);
	if (!(v->measured > lo && v->measured <= hi))
		tw_fail(r, "the clients' TSvals differ by a median %.1f ms, expected (%.0f, %.0f]",
			v->measured, lo, hi);
	return 0;
}

static int read_timestamps(struct lab *lab, int *ts, struct tw_result *r)
{
	char val[16];
	int err;

	err = lab_sysctl_get(lab, LAB_CLIENT, "tcp_timestamps", val, sizeof(val));
	if (err)
		return tw_error(r, err, "tcp_timestamps of the client");
	*ts = atoi(val);
	return 0;
}

static int timestamps(struct lab *lab, const struct tw_params *p, struct tw_result *r)
{
	struct nat_run *x = calloc(1, sizeof(*x));
	struct capture *cap2 = NULL;
	bool recycle;
	int err;

	if (!x)
		return tw_error(r, -ENOMEM, "timestamps");
	x->lab = lab;
	x->family = p->family;
	x->lfd = -1;
	x->failed = -1;
	err = read_timestamps(lab, &x->timestamps, r) ?: recycle_verdict(lab, &recycle, r);
	if (err)
		goto out;
	if (!p->capture) {
		err = tw_error(r, -ENODEV, "no capture on the client's link");
		goto out;
	}
	/* the runner captures the client's link only; client2's is ours */
	err = capture_start(&cap2, &lab->host[LAB_CLIENT2].ns, LAB_IFNAME, NULL);
	if (err) {
		tw_error(r, err, "capture on client2's link%s%s", cap2 ? ": " : "",
			 cap2 ? capture_error(cap2) : "");
		goto out;
	}
	lab_endpoint(lab, LAB_SERVER, 0, p->family, PORT, &x->dst);
	lab_endpoint(lab, LAB_ROUTER, 0, p->family, 0, &x->router);
	for (int c = 0; c < NCLIENTS; c++)
		lab_endpoint(lab, client_host[c], 0, p->family, 0, &x->client[c]);
	x->lfd = conn_listen(lab, LAB_SERVER, &x->dst);
	if (x->lfd < 0) {
		err = tw_error(r, x->lfd, "listen");
		goto out;
	}
	run_rounds(x);
	x->nsegs[0] = capture_snapshot(p->capture, SYNC_MS, &x->segs[0]);
	x->nsegs[1] = capture_snapshot(cap2, SYNC_MS, &x->segs[1]);
	for (int c = 0; c < NCLIENTS && !err; c++)
		if (x->nsegs[c] < 0)
			err = tw_error(r, x->nsegs[c], "capture on client %d's link", c + 1);
	if (err)
		goto out;
	find_handshakes(x);
	nat_verdicts(x, recycle, r);
	if (!x->timestamps) {
		no_option_verdict(x, r);
		goto out;
	}
	syn_option_verdict(x, r);
	aligned_option_verdict(x, r);
	offsets_verdict(x, r);
	err = difference_verdict(x, r);
out:
	if (x->lfd >= 0)
		close(x->lfd);
	capture_stop(cap2, NULL);
	for (int c = 0; c < NCLIENTS; c++)
		free(x->segs[c]);
	free(x);
	return err;
}

TW_CASE(timestamps,
	.summary = "the timestamp option in SYNs; tcp_tw_recycle; two clients behind one NAT",
	.claims = "A10 A13",
	.vary = { { "tcp_timestamps", { "1", "2" } } },
	.needs = NEED_CAPTURE,
	.shape = LAB_NAT,
	.time_limit_s = 30);
