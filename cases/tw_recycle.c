// SPDX-License-Identifier: GPL-2.0
/*
 * A13: tcp_tw_recycle shortens TIME_WAIT and, behind NAT, drops SYNs
 * whose timestamps are older than the last seen from that address; it
 * was removed in 4.12.  The judge, with the kernel facts (K09):
 * cases/judges/tw_recycle.c.
 *
 * Method, in a NAT lab (lab_nat_up(): client and client2 masqueraded
 * behind the router's outside address):
 *   1. whether tcp_tw_recycle exists in the lab, and in the namespace
 *      twlab started in;
 *   2. NCONN rounds: client, then client2, connect() to the server and
 *      are accepted, so the server holds one connection from each at
 *      once, both from the router's address (getpeername()); then each
 *      closes, client first.  CLOCK_MONOTONIC, which tcp_clock_ms() reads
 *      (ktime_get_ns()), is read either side of every connect(): the SYN's
 *      TSval minus that clock is its offset, to within the bracket;
 *   3. from the runner's capture on the client's link and one of ours on
 *      client2's, merged in capture order: every segment the two clients
 *      sent, and for each SYN whether its TSval is older, by more than
 *      TCP_PAWS_WINDOW, than the newest sent through the NAT before it --
 *      the SYNs tcp_peer_is_proven() turned away under tcp_tw_recycle.
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
#include "judges/tw_recycle.h"
#include "sysctl.h"

#define PORT		9500
#define NCONN		50
#define NCLIENTS	2
#define SYNC_MS		2000
#define TCP_PAWS_WINDOW	1	/* include/net/tcp.h: replay window, in TSval ticks */

static const int client_host[NCLIENTS] = { LAB_CLIENT, LAB_CLIENT2 };

struct conn_rec {
	struct tuple t;			/* the client's view: inside address and port */
	int64_t before, after;		/* CLOCK_MONOTONIC either side of connect() */
	bool via_router;
	const struct tcp_segment *syn;	/* in that client's capture */
};

struct nat_run {
	struct lab *lab;
	int family;
	struct endpoint dst, router;
	int lfd;
	struct conn_rec rec[NCLIENTS][NCONN];
	struct tcp_segment *segs[NCLIENTS];
	int nsegs[NCLIENTS];
};

/* A SYN's offset from CLOCK_MONOTONIC: in [lo, lo + width] (mod 2^32). */
struct syn_off {
	uint32_t lo, width;
};

static int recycle_exists(struct lab *lab, struct tw_recycle_fig *f)
{
	int lab_has = sysctl_exists(&lab->host[LAB_CLIENT].ns, "tcp_tw_recycle");
	int home_has = sysctl_exists(lab->home, "tcp_tw_recycle");

	if (lab_has < 0 || home_has < 0)
		return lab_has < 0 ? lab_has : home_has;
	f->lab_has = lab_has;
	f->home_has = home_has;
	return 0;
}

/* One connection from client @c, accepted; the peer the server sees. */
static int open_one(struct nat_run *x, int c, int i, int *cfd, int *sfd)
{
	struct conn_rec *rec = &x->rec[c][i];
	struct tuple seen;

	rec->before = now_ns();
	*cfd = conn_connect(x->lab, client_host[c], NULL, &x->dst);
	rec->after = now_ns();
	if (*cfd < 0)
		return *cfd;
	*sfd = conn_accept(x->lfd, CONN_TIMEOUT_MS);
	if (*sfd < 0)
		return *sfd;
	rec->via_router = !tuple_of_socket(*sfd, &seen) &&
			  addr_eq(x->family, &seen.dst.addr, &x->router.addr);
	return tuple_of_socket(*cfd, &rec->t);
}

/*
 * Both clients connect, and both connections are up at once; then each
 * closes, client first (its end keeps the TIME_WAIT, A01).  No mechanism
 * of this kernel drops them: a failure is the experiment's.
 */
static int run_rounds(struct nat_run *x)
{
	int err = 0;

	for (int i = 0; i < NCONN && !err; i++) {
		int cfd[NCLIENTS] = { -1, -1 }, sfd[NCLIENTS] = { -1, -1 };

		for (int c = 0; c < NCLIENTS && !err; c++)
			err = open_one(x, c, i, &cfd[c], &sfd[c]);
		for (int c = 0; c < NCLIENTS; c++) {
			if (cfd[c] >= 0 && sfd[c] >= 0) {
				int e = conn_close_orderly(cfd[c], sfd[c], NULL);

				err = err ?: e;
				continue;
			}
			if (cfd[c] >= 0)
				close(cfd[c]);
		}
	}
	return err;
}

static int find_syns(struct nat_run *x, int *via)
{
	int n = 0;

	*via = 0;
	for (int c = 0; c < NCLIENTS; c++) {
		const struct tcp_segment *s = x->segs[c], *end = s + x->nsegs[c];

		for (int i = 0; i < NCONN; i++) {
			struct conn_rec *rec = &x->rec[c][i];

			rec->syn = segment_find(s, end, &rec->t, TH_SYN, TH_ACK);
			n += rec->syn != NULL;
			*via += rec->via_router;
		}
	}
	return n;
}

/* Either capture's next segment in capture order: what reached the router first. */
static const struct tcp_segment *next_seg(struct nat_run *x, int *k)
{
	const struct tcp_segment *a = k[0] < x->nsegs[0] ? &x->segs[0][k[0]] : NULL;
	const struct tcp_segment *b = k[1] < x->nsegs[1] ? &x->segs[1][k[1]] : NULL;

	if (a && (!b || a->ts_us <= b->ts_us)) {
		k[0]++;
		return a;
	}
	if (b)
		k[1]++;
	return b;
}

static bool is_ours(const struct nat_run *x, const struct tcp_segment *s)
{
	for (int c = 0; c < NCLIENTS; c++)
		for (int i = 0; i < NCONN; i++)
			if (tuple_eq(&s->t, &x->rec[c][i].t))
				return true;
	return false;
}

/*
 * The SYNs whose TSval is older, by more than TCP_PAWS_WINDOW, than the
 * newest the clients sent through the NAT before them: to a server, one
 * peer whose clock went back.
 */
static int count_older(struct nat_run *x)
{
	const struct tcp_segment *s;
	int k[NCLIENTS] = { 0 }, older = 0;
	uint32_t newest = 0;
	bool any = false;

	while ((s = next_seg(x, k))) {
		if (!s->has_ts || !is_ours(x, s))
			continue;
		if (any && (s->flags & TH_SYN) && !(s->flags & TH_ACK) &&
		    (int32_t)(newest - s->tsval) > TCP_PAWS_WINDOW)
			older++;
		if (!any || (int32_t)(s->tsval - newest) > 0)
			newest = s->tsval;
		any = true;
	}
	return older;
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

/* Offsets no earlier one could equal: a lower bound on the distinct ones. */
static int distinct_offsets(const struct nat_run *x)
{
	struct syn_off o[NCLIENTS * NCONN];
	int n = 0, k = 0;

	for (int c = 0; c < NCLIENTS; c++)
		for (int i = 0; i < NCONN; i++)
			if (x->rec[c][i].syn && x->rec[c][i].syn->has_ts)
				o[n++] = syn_offset(&x->rec[c][i]);
	for (int i = 0; i < n; i++) {
		int j = 0;

		while (j < i && !same_offset(o[j], o[i]))
			j++;
		k += j == i;
	}
	return k;
}

static int measure(struct nat_run *x, const struct tw_params *p, struct capture *cap2,
		   struct tw_recycle_fig *f, struct tw_result *r)
{
	int err, via;

	lab_endpoint(x->lab, LAB_SERVER, 0, p->family, PORT, &x->dst);
	lab_endpoint(x->lab, LAB_ROUTER, 0, p->family, 0, &x->router);
	x->lfd = conn_listen(x->lab, LAB_SERVER, &x->dst);
	if (x->lfd < 0)
		return tw_error(r, x->lfd, "listen");
	err = run_rounds(x);
	if (err)
		return tw_error(r, err, "%d rounds of two connections through the NAT", NCONN);
	x->nsegs[0] = capture_snapshot(p->fx->capture[LAB_CLIENT], SYNC_MS, &x->segs[0]);
	x->nsegs[1] = capture_snapshot(cap2, SYNC_MS, &x->segs[1]);
	for (int c = 0; c < NCLIENTS; c++)
		if (x->nsegs[c] < 0)
			return tw_error(r, x->nsegs[c], "capture on client %d's link", c + 1);
	f->nconn = NCLIENTS * NCONN;
	f->nsyn = find_syns(x, &via);
	if (via != f->nconn)
		return tw_error(r, -EPROTO, "%d of %d connections reached the server from another "
				"address than the router's: no NAT", f->nconn - via, f->nconn);
	f->older = count_older(x);
	f->distinct = distinct_offsets(x);
	return 0;
}

static int tw_recycle(struct lab *lab, const struct tw_params *p, struct tw_result *r)
{
	struct tw_recycle_fig f = { .version = lab->kernel->version };
	struct nat_run *x = calloc(1, sizeof(*x));
	struct capture *cap2 = NULL;
	long ts;
	int err;

	if (!x)
		return tw_error(r, -ENOMEM, "tw_recycle");
	x->lab = lab;
	x->family = p->family;
	x->lfd = -1;
	err = sysctl_read_long(&lab->host[LAB_CLIENT].ns, "tcp_timestamps", &ts) ?:
	      recycle_exists(lab, &f);
	if (err) {
		tw_error(r, err, "tcp_timestamps, tcp_tw_recycle");
		goto out;
	}
	f.timestamps = ts;
	if (!p->fx->capture[LAB_CLIENT]) {
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
	err = measure(x, p, cap2, &f, r);
	if (!err)
		tw_recycle_judge(&f, r);
out:
	if (x->lfd >= 0)
		close(x->lfd);
	capture_stop(cap2, NULL);
	for (int c = 0; c < NCLIENTS; c++)
		free(x->segs[c]);
	free(x);
	return err;
}

TW_CASE(tw_recycle,
	.summary = "tcp_tw_recycle; the SYNs its per-peer check dropped, from two clients behind one NAT",
	.claims = "A13",
	.vary = { { "tcp_timestamps", { "1", "2" } } },
	.needs = NEED_CAPTURE,
	.shape = LAB_NAT,
	.time_limit_s = 30);
