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
 *   3. from the captures on the client's and client2's links, merged in
 *      capture order: every segment the two clients sent, and for each
 *      SYN whether its TSval is older, by more than TCP_PAWS_WINDOW, than
 *      the newest sent through the NAT before it -- the SYNs
 *      tcp_peer_is_proven() turned away under tcp_tw_recycle.
 */
#include <errno.h>
#include <netinet/tcp.h>
#include <stdlib.h>
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
#define NREC		(NCLIENTS * NCONN)
#define TCP_PAWS_WINDOW	1	/* include/net/tcp.h: replay window, in TSval ticks */

TW_CASE(tw_recycle,
	.summary = "tcp_tw_recycle; the SYNs its per-peer check dropped, from two clients behind one NAT",
	.claims = "A13",
	.shape = LAB_NAT,
	.captures = HOST(LAB_CLIENT2),
	.listen = { LISTEN(PORT) },	/* the server's address, which the NAT leaves alone */
	.vary = { { "tcp_timestamps", { "1", "2" } } },
	.needs = NEED_CAPTURE,
	.time_limit_s = 30);

static const int client_host[NCLIENTS] = { LAB_CLIENT, LAB_CLIENT2 };

/* Connection k is client k / NCONN's, of round k % NCONN. */
struct nat_run {
	struct lab *lab;
	const struct tw_fixture *fx;
	struct endpoint router;
	int via;				/* connections the server saw from the router */
	struct tuple t[NREC];			/* the client's view: inside address and port */
	uint32_t before_ms[NREC], after_ms[NREC];	/* CLOCK_MONOTONIC either side of connect() */
	const struct tcp_segment *syn[NREC];	/* in that client's capture */
	struct tcp_segment *segs[NCLIENTS];
	int nsegs[NCLIENTS];
};

/* A SYN's offset from CLOCK_MONOTONIC: in [lo, lo + width] (mod 2^32). */
struct syn_off {
	uint32_t lo, width;
};

/* Connection @k, accepted; whether the server sees it from the router's address. */
static int open_one(struct nat_run *x, int k, int *cfd, int *sfd)
{
	struct tuple seen;

	x->before_ms[k] = now_ns() / NSEC_PER_MSEC;
	*cfd = conn_connect(x->lab, client_host[k / NCONN], NULL, &x->fx->listen[0]);
	x->after_ms[k] = now_ns() / NSEC_PER_MSEC;
	if (*cfd < 0)
		return *cfd;
	*sfd = conn_accept(x->fx->lfd[0], CONN_TIMEOUT_MS);
	if (*sfd < 0)
		return *sfd;
	x->via += !tuple_of_socket(*sfd, &seen) &&
		  addr_eq(x->router.family, &seen.dst.addr, &x->router.addr);
	return tuple_of_socket(*cfd, &x->t[k]);
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
			err = open_one(x, c * NCONN + i, &cfd[c], &sfd[c]);
		for (int c = 0; c < NCLIENTS; c++) {
			int e = sfd[c] < 0 ? 0 : conn_close_orderly(cfd[c], sfd[c], NULL);

			if (sfd[c] < 0 && cfd[c] >= 0)
				close(cfd[c]);
			err = err ?: e;
		}
	}
	return err;
}

/* When capture @c's @k-th segment was seen; past its end, never. */
static int64_t seen_us(const struct nat_run *x, int c, int k)
{
	return k < x->nsegs[c] ? x->segs[c][k].ts_us : INT64_MAX;
}

/*
 * The SYNs whose TSval is older, by more than TCP_PAWS_WINDOW, than the
 * newest the clients sent through the NAT before them: to a server, one
 * peer whose clock went back.
 */
static int count_older(const struct nat_run *x)
{
	int k[NCLIENTS] = { 0 }, older = 0;
	uint32_t newest = 0;
	bool any = false;

	while (k[0] < x->nsegs[0] || k[1] < x->nsegs[1]) {
		/* the two captures merged in capture order: what reached the router first */
		int c = seen_us(x, 1, k[1]) < seen_us(x, 0, k[0]);
		const struct tcp_segment *s = &x->segs[c][k[c]++];

		if (!s->has_ts || !segment_on_any(s, x->t, NREC))
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

/* Could the two SYNs have the same offset? Their intervals overlap. */
static bool same_offset(struct syn_off a, struct syn_off b)
{
	int64_t d = (int32_t)(b.lo - a.lo);

	return d >= -(int64_t)b.width && d <= (int64_t)a.width;
}

/* Offsets no earlier one could equal: a lower bound on the distinct ones. */
static int distinct_offsets(const struct nat_run *x)
{
	struct syn_off o[NREC];
	int n = 0, k = 0;

	for (int i = 0; i < NREC; i++)
		if (x->syn[i] && x->syn[i]->has_ts)
			o[n++] = (struct syn_off){ .lo = x->syn[i]->tsval - x->after_ms[i],
						   .width = x->after_ms[i] - x->before_ms[i] };
	for (int i = 0; i < n; i++) {
		int j = 0;

		while (j < i && !same_offset(o[j], o[i]))
			j++;
		k += j == i;
	}
	return k;
}

static int measure(struct nat_run *x, struct tw_recycle_fig *f, struct tw_result *r)
{
	int err = run_rounds(x);

	if (err)
		return tw_error(r, err, "%d rounds of two connections through the NAT", NCONN);
	for (int c = 0; c < NCLIENTS; c++) {
		struct tcp_segment **segs = &x->segs[c];
		int n = capture_snapshot(x->fx->capture[client_host[c]], CAPTURE_SYNC_MS, segs);

		if (n < 0)
			return tw_error(r, n, "capture on client %d's link", c + 1);
		x->nsegs[c] = n;
		f->nsyn += segment_syns(*segs, *segs + n, &x->t[c * NCONN], NCONN,
					&x->syn[c * NCONN]);
	}
	if (x->via != f->nconn)
		return tw_error(r, -EPROTO, "%d of %d connections reached the server from another "
				"address than the router's: no NAT", f->nconn - x->via, f->nconn);
	f->older = count_older(x);
	f->distinct = distinct_offsets(x);
	return 0;
}

static int tw_recycle(struct lab *lab, const struct tw_params *p, struct tw_result *r)
{
	int lab_has = sysctl_exists(&lab->host[LAB_CLIENT].ns, "tcp_tw_recycle");
	int home_has = sysctl_exists(lab->home, "tcp_tw_recycle");
	struct tw_recycle_fig f = { .version = lab->kernel->version, .nconn = NREC,
				    .lab_has = lab_has > 0, .home_has = home_has > 0 };
	struct nat_run x = { .lab = lab, .fx = p->fx };
	int err;

	lab_endpoint(lab, LAB_ROUTER, 0, p->family, 0, &x.router);
	err = (lab_has < 0 ? lab_has : home_has < 0 ? home_has : 0) ?:
	      lab_sysctl_uint(lab, LAB_CLIENT, "tcp_timestamps", &f.timestamps);
	if (err)
		tw_error(r, err, "tcp_timestamps, tcp_tw_recycle");
	else
		err = measure(&x, &f, r);
	if (!err)
		tw_recycle_judge(&f, r);
	for (int c = 0; c < NCLIENTS; c++)
		free(x.segs[c]);
	return err;
}
