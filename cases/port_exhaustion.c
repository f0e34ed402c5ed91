// SPDX-License-Identifier: GPL-2.0
/*
 * A05: a 4-tuple in TIME_WAIT cannot be reused for 2MSL, so 1000 new
 * connections a second run the default ephemeral range (32768-60999) dry.
 * A05r: the exhaustion is per destination, not per port.
 *
 * Method, the client's range narrowed to NPORTS ports:
 *   1. tcp_tw_reuse=0: connect to server address A, client closing
 *      first, until connect() fails;
 *   2. then to server address B, the same way: as many again?
 *   3. tcp_tw_reuse=1, and once the reuse threshold has passed for the
 *      last TIME_WAIT to enter, to A again: how many connect()s succeed;
 *   4. (IPv4) NPORTS more TIME_WAITs toward a third destination, then
 *      connect() to it every second, and every ms near the end of a
 *      TIME_WAIT, until each port has come back: how long the kernel held
 *      each one.  The rate the default range sustains is its ports over
 *      that hold -- measured, not the window's own bound.
 * The judge, with what the kernel does (K15, K06, K08, K03), is
 * cases/judges/port_exhaustion.c.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <unistd.h>

#include "case.h"
#include "clock.h"
#include "conn.h"
#include "judges/port_exhaustion.h"
#include "judges/tw_reuse.h"
#include "kernel.h"
#include "sysctl.h"

#define PORT		9200	/* on every address: steps 1-3 */
#define HOLD_PORT	(PORT + 1)	/* on address A: step 4 */
#define NPORTS		PORT_EXHAUSTION_NPORTS
#define RANGE_LO	41000
#define ENTRY_SLACK_MS	100	/* past our view of the last entry, for the wait */
#define COARSE_MS	1000	/* between connect()s while no TIME_WAIT can be near its end */
#define NEAR_MS		59000	/* from here on, every ms: 60 s less a margin */
#define HOLD_LIMIT_MS	66000	/* a TIME_WAIT ends by 62.1 s at any HZ but 100 */

TW_CASE(port_exhaustion,
	.summary = "when connect() runs out of ports, per destination, and the rate a range sustains",
	.claims = "A05 A05r",
	/* the default range's TIME_WAITs fit under the machine's cap, not a small lab's */
	.needs = NEED_MACHINE_EHASH,
	.listen = { LISTEN_ANY(PORT), LISTEN(HOLD_PORT) },
	.time_limit_s = 90);

struct exhaust {
	struct lab *lab;
	struct tw_fixture *fx;
	struct endpoint a, b;
	int64_t last_entry;	/* the newest TIME_WAIT so far, no earlier than its entry */
};

/*
 * connect() to @dst and close client first until connect() fails for want
 * of a port (EADDRNOTAVAIL: what is measured; any other error, the lab
 * broke) or *@n reach @max.
 */
static int fill(struct exhaust *e, const struct endpoint *dst, int max, int *n)
{
	int cfd, sfd, err = 0;

	for (*n = 0; *n < max && !err; ++*n) {
		err = conn_pair(e->lab, LAB_CLIENT, NULL, e->fx->lfd[0], dst, &cfd, &sfd);
		if (err)
			return err == -EADDRNOTAVAIL ? 0 : err;
		err = conn_close_orderly(cfd, sfd, NULL);
		/* the client entered TIME_WAIT on the server's FIN, sent by now */
		e->last_entry = now_ns();
	}
	return err;
}

/*
 * Step 3: with reuse on, the same destination is open again once the
 * threshold has passed for every TIME_WAIT -- the last to enter, not the
 * first: not a measurement, a wait past K08's latest for this kernel.
 */
static int after_reuse(struct exhaust *e, struct port_exhaustion_fig *f)
{
	unsigned int delay_ms = 0;	/* tcp_tw_reuse_delay, where the kernel has it */
	double latest;
	int err;

	lab_sysctl_uint(e->lab, LAB_CLIENT, "tcp_tw_reuse_delay", &delay_ms);
	err = lab_sysctl_set(e->lab, LAB_CLIENT, "tcp_tw_reuse", "1");
	if (err)
		return err;
	latest = tw_reuse_latest_ms(e->lab->kernel->version, f->hz, delay_ms) + ENTRY_SLACK_MS;
	sleep_until_ns(e->last_entry + (int64_t)(latest * NSEC_PER_MSEC));
	return fill(e, &e->a, NPORTS, &f->reopened) ?:
	       lab_sysctl_set(e->lab, LAB_CLIENT, "tcp_tw_reuse", "0");
}

/* The ports of the kernel's default ip_local_port_range. */
static int default_ports(const struct lab *lab)
{
	const char *range = kernel_default(lab->kernel, "ip_local_port_range");
	int lo, hi;

	if (!range || sscanf(range, "%d %d", &lo, &hi) != 2)
		return -ENOENT;
	return hi - lo + 1;
}

/* Each port's TIME_WAIT began in (@lo, @hi]: after the server's close, before its FIN was read. */
struct held {
	int64_t lo[NPORTS], hi[NPORTS];
	int cfd[NPORTS], sfd[NPORTS];	/* the connections that got the ports back */
	int n;
};

/* A connection toward HOLD_PORT; *@i: its client port's place in the range. */
static int hold_conn(struct exhaust *e, int *cfd, int *sfd, int *i)
{
	struct tuple t;
	int err = conn_pair(e->lab, LAB_CLIENT, NULL, e->fx->lfd[1], &e->fx->listen[1], cfd, sfd);

	if (err)
		return err;
	err = tuple_of_socket(*cfd, &t);
	*i = t.src.port - RANGE_LO;
	if (!err && (*i < 0 || *i >= NPORTS))
		err = -ERANGE;
	if (err) {
		close(*cfd);
		close(*sfd);
	}
	return err;
}

/* NPORTS TIME_WAITs toward HOLD_PORT, one per port of the range. */
static int hold_all(struct exhaust *e, struct held *h)
{
	int cfd, sfd, i, err = 0;

	for (int k = 0; k < NPORTS && !err; k++)
		err = hold_conn(e, &cfd, &sfd, &i) ?:
		      conn_close_seen(cfd, sfd, NULL, &h->lo[i], &h->hi[i]);
	return err;
}

/*
 * connect() until every port has come back, keeping each connection that
 * got one so that it is not handed out twice.  A port's hold ended
 * after the last connect() that found none free began, and before the
 * one that got it returned.
 */
static int await_ports(struct exhaust *e, struct held *h, struct port_exhaustion_fig *f)
{
	int64_t first = h->lo[0], refused = 0;

	for (int i = 0; i < NPORTS; i++)
		first = h->lo[i] < first ? h->lo[i] : first;
	while (h->n < NPORTS) {
		int64_t t0 = now_ns(), t1;
		int i, err;

		if (ns_to_ms(t0 - first) > HOLD_LIMIT_MS)
			return -ETIMEDOUT;
		err = hold_conn(e, &h->cfd[h->n], &h->sfd[h->n], &i);
		t1 = now_ns();
		if (err == -EADDRNOTAVAIL) {
			refused = t0;
			sleep_until_ns(t0 + (ns_to_ms(t0 - first) < NEAR_MS ? COARSE_MS : 1) *
				       NSEC_PER_MSEC);
			continue;
		}
		if (err)
			return err;
		h->n++;
		f->hold[f->nhold++] = (struct tw_sample){
			.x = ns_to_ms(t1 - h->lo[i]),
			.below = ns_to_ms(t1 - h->lo[i]) - fmax(ns_to_ms(refused - h->hi[i]), 0),
		};
	}
	return 0;
}

/* Step 4: how long the kernel holds a port, hence what the default range sustains. */
static int hold_time(struct exhaust *e, struct port_exhaustion_fig *f)
{
	struct held h = { 0 };
	int err;

	f->default_ports = default_ports(e->lab);
	err = f->default_ports < 0 ? f->default_ports :
	      sysctl_read_long(&e->lab->host[LAB_CLIENT].ns, "tcp_max_tw_buckets", &f->tw_buckets);
	err = err ?: hold_all(e, &h) ?: await_ports(e, &h, f);
	for (int i = 0; i < h.n; i++) {
		conn_linger_abort(h.cfd[i]);	/* RST: no TIME_WAIT left behind */
		close(h.cfd[i]);
		close(h.sfd[i]);
	}
	return err;
}

static int port_exhaustion(struct lab *lab, const struct tw_params *p, struct tw_result *r)
{
	struct exhaust e = { .lab = lab, .fx = p->fx };
	struct port_exhaustion_fig fig = {
		.hz = lab->kernel->hz, .reopened = -1,
	};
	char range[32];
	int err;

	snprintf(range, sizeof(range), "%d %d", RANGE_LO, RANGE_LO + NPORTS - 1);
	err = lab_sysctl_set(lab, LAB_CLIENT, "ip_local_port_range", range) ?:
	      lab_sysctl_set(lab, LAB_CLIENT, "tcp_tw_reuse", "0") ?:
	      lab_addr_add(lab, LAB_SERVER, 1);
	if (err)
		return tw_error(r, err, "lab set-up");
	lab_endpoint(lab, LAB_SERVER, 0, p->family, PORT, &e.a);
	lab_endpoint(lab, LAB_SERVER, 1, p->family, PORT, &e.b);
	/* steps 1 and 2: one destination runs dry; another has every port still */
	err = fill(&e, &e.a, NPORTS + 8, &fig.one_dest) ?: fill(&e, &e.b, NPORTS + 8, &fig.other_dest) ?:
	      after_reuse(&e, &fig);
	/* a minute of waiting, the same for both families: once */
	if (!err && p->family == AF_INET)
		err = hold_time(&e, &fig);
	if (!err)
		port_exhaustion_judge(&fig, r);
	return err;	/* the runner names the case */
}
