// SPDX-License-Identifier: GPL-2.0
/*
 * A05: a 4-tuple in TIME_WAIT cannot be reused for 2MSL, so 1000 new
 * connections a second run the default ephemeral range (32768-60999) dry.
 * A05r: the exhaustion is per destination, not per port.
 *
 * The ephemeral search, __inet_hash_connect(), takes a port for a
 * 4-tuple: a TIME_WAIT blocks that port toward its own destination only,
 * and connect() fails with EADDRNOTAVAIL once every port is blocked (K15);
 * with tcp_tw_reuse=1 and timestamps, tcp_twsk_unique() lends out
 * TIME_WAIT 4-tuples past the reuse threshold (K06, K08).
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
 * The judge is cases/judges/port_exhaustion.c.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "case.h"
#include "clock.h"
#include "conn.h"
#include "judges/port_exhaustion.h"
#include "judges/tw_reuse.h"
#include "kernel.h"

#define PORT		9200
#define NPORTS		PORT_EXHAUSTION_NPORTS
#define RANGE_LO	41000
#define ENTRY_SLACK_MS	100	/* past our view of the last entry, for the wait */
#define COARSE_MS	1000	/* between connect()s while no TIME_WAIT can be near its end */
#define NEAR_MS		59000	/* from here on, every ms: 60 s less a margin */
#define HOLD_LIMIT_MS	66000	/* a TIME_WAIT ends by 62.1 s at any HZ but 100 */

struct exhaust {
	struct lab *lab;
	int family;
	int lfd;
	struct endpoint a, b;
	int64_t last_entry;	/* the newest TIME_WAIT so far, no earlier than its entry */
};

/*
 * connect() to @dst and close client first until connect() fails or @max
 * succeeded.  Returns the successes; *@fail_err is connect()'s error.
 */
static int fill(struct exhaust *e, const struct endpoint *dst, int max, int *fail_err)
{
	int n;

	*fail_err = 0;
	for (n = 0; n < max; n++) {
		int cfd, sfd, err;

		err = conn_pair(e->lab, LAB_CLIENT, NULL, e->lfd, dst, &cfd, &sfd);
		if (err) {
			*fail_err = err;
			break;
		}
		err = conn_close_orderly(cfd, sfd, NULL);
		if (err)
			return err;
		/* the client entered TIME_WAIT on the server's FIN, sent by now */
		e->last_entry = now_ns();
	}
	return n;
}

/* A connect() that failed otherwise than for want of a port: the lab broke. */
static int not_exhaustion(int n, int max, int fail_err)
{
	return n < max && fail_err != -EADDRNOTAVAIL ? fail_err : 0;
}

/* Steps 1 and 2: one destination runs dry; another has every port still. */
static int per_destination(struct exhaust *e, struct port_exhaustion_fig *f)
{
	int err_a, err_b;

	f->one_dest = fill(e, &e->a, NPORTS + 8, &err_a);
	if (f->one_dest < 0)
		return f->one_dest;
	f->other_dest = fill(e, &e->b, NPORTS + 8, &err_b);
	if (f->other_dest < 0)
		return f->other_dest;
	return not_exhaustion(f->one_dest, NPORTS + 8, err_a) ?:
	       not_exhaustion(f->other_dest, NPORTS + 8, err_b);
}

/*
 * Step 3: with reuse on, the same destination is open again once the
 * threshold has passed for every TIME_WAIT -- the last to enter, not the
 * first: not a measurement, a wait past K08's latest for this kernel.
 */
static int after_reuse(struct exhaust *e, struct port_exhaustion_fig *f)
{
	unsigned int delay_ms = 0;
	double latest;
	char val[32];
	int err_again, err;

	if (!lab_sysctl_get(e->lab, LAB_CLIENT, "tcp_tw_reuse_delay", val, sizeof(val)))
		delay_ms = atoi(val);
	err = lab_sysctl_set(e->lab, LAB_CLIENT, "tcp_tw_reuse", "1");
	if (err)
		return err;
	latest = tw_reuse_latest_ms(f->version, f->hz, delay_ms) + ENTRY_SLACK_MS;
	sleep_until_ns(e->last_entry + (int64_t)(latest * NSEC_PER_MSEC));
	f->reopened = fill(e, &e->a, NPORTS, &err_again);
	if (f->reopened < 0)
		return f->reopened;
	err = not_exhaustion(f->reopened, NPORTS, err_again);
	return err ?: lab_sysctl_set(e->lab, LAB_CLIENT, "tcp_tw_reuse", "0");
}

/* The ports of the kernel's default ip_local_port_range. */
static int default_ports(const struct lab *lab)
{
	const struct kernel_info *k = lab->kernel;
	int lo, hi;

	for (int d = 0; d < k->ndefaults; d++)
		if (!strcmp(k->defaults[d].key, "ip_local_port_range") && k->defaults[d].present &&
		    sscanf(k->defaults[d].val, "%d %d", &lo, &hi) == 2)
			return hi - lo + 1;
	return -ENOENT;
}

/* Each port's TIME_WAIT began in (@lo, @hi]: after the server's close, before its FIN was read. */
struct held {
	int64_t lo[NPORTS], hi[NPORTS];
	int cfd[NPORTS], sfd[NPORTS];	/* the connections that got the ports back */
	int n;
};

/* NPORTS TIME_WAITs toward @dst, one per port of the range. */
static int hold_all(struct exhaust *e, int lfd, const struct endpoint *dst, struct held *h)
{
	for (int i = 0; i < NPORTS; i++) {
		struct tuple t;
		int cfd, sfd, err;

		err = conn_pair(e->lab, LAB_CLIENT, NULL, lfd, dst, &cfd, &sfd);
		if (!err)
			err = tuple_of_socket(cfd, &t);
		if (!err && (t.src.port < RANGE_LO || t.src.port >= RANGE_LO + NPORTS))
			err = -ERANGE;
		if (err)
			return err;
		err = conn_close_seen(cfd, sfd, NULL, &h->lo[t.src.port - RANGE_LO],
				      &h->hi[t.src.port - RANGE_LO]);
		if (err)
			return err;
	}
	return 0;
}

/*
 * connect() until every port has come back, keeping each connection that
 * got one so that it is not handed out twice.  A port's hold ended
 * after the last connect() that found none free began, and before the
 * one that got it returned.
 */
static int await_ports(struct exhaust *e, int lfd, const struct endpoint *dst, struct held *h,
		       struct port_exhaustion_fig *f)
{
	int64_t first = h->lo[0], refused = 0;

	for (int i = 0; i < NPORTS; i++)
		first = h->lo[i] < first ? h->lo[i] : first;
	while (h->n < NPORTS) {
		int64_t t0 = now_ns(), t1;
		struct tuple t;
		int cfd, sfd, i, err;

		if (ns_to_ms(t0 - first) > HOLD_LIMIT_MS)
			return -ETIMEDOUT;
		err = conn_pair(e->lab, LAB_CLIENT, NULL, lfd, dst, &cfd, &sfd);
		t1 = now_ns();
		if (err == -EADDRNOTAVAIL) {
			refused = t0;
			sleep_until_ns(t0 + (ns_to_ms(t0 - first) < NEAR_MS ? COARSE_MS : 1) *
				       NSEC_PER_MSEC);
			continue;
		}
		h->cfd[h->n] = cfd;
		h->sfd[h->n] = sfd;
		h->n += !err;
		err = err ?: tuple_of_socket(cfd, &t);
		if (err)
			return err;
		i = t.src.port - RANGE_LO;
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
	struct endpoint c = e->a;
	struct held *h = calloc(1, sizeof(*h));
	char val[32];
	int lfd, err;

	if (!h)
		return -ENOMEM;
	f->default_ports = default_ports(e->lab);
	err = f->default_ports < 0 ? f->default_ports :
	      lab_sysctl_get(e->lab, LAB_CLIENT, "tcp_max_tw_buckets", val, sizeof(val));
	f->tw_buckets = atol(val);
	c.port = PORT + 1;
	lfd = err ? err : conn_listen(e->lab, LAB_SERVER, &c);
	if (lfd < 0) {
		free(h);
		return lfd;
	}
	err = hold_all(e, lfd, &c, h) ?: await_ports(e, lfd, &c, h, f);
	for (int i = 0; i < h->n; i++) {
		conn_linger_abort(h->cfd[i]);	/* RST: no TIME_WAIT left behind */
		close(h->cfd[i]);
		close(h->sfd[i]);
	}
	close(lfd);
	free(h);
	return err;
}

static int port_exhaustion(struct lab *lab, const struct tw_params *p, struct tw_result *r)
{
	struct exhaust e = { .lab = lab, .family = p->family, .lfd = -1 };
	struct endpoint any = { .family = p->family, .port = PORT };	/* both addresses */
	struct port_exhaustion_fig fig = {
		.version = lab->kernel->version, .hz = lab->kernel->hz, .nports = NPORTS,
		.reopened = -1,
	};
	char range[32];
	int err;

	snprintf(range, sizeof(range), "%d %d", RANGE_LO, RANGE_LO + NPORTS - 1);
	err = lab_sysctl_set(lab, LAB_CLIENT, "ip_local_port_range", range);
	if (!err)
		err = lab_sysctl_set(lab, LAB_CLIENT, "tcp_tw_reuse", "0");
	if (!err)
		err = lab_addr_add(lab, LAB_SERVER, 1);
	if (err)
		return tw_error(r, err, "lab set-up");

	lab_endpoint(lab, LAB_SERVER, 0, p->family, PORT, &e.a);
	lab_endpoint(lab, LAB_SERVER, 1, p->family, PORT, &e.b);
	e.lfd = conn_listen(lab, LAB_SERVER, &any);
	if (e.lfd < 0)
		return tw_error(r, e.lfd, "listen");

	err = per_destination(&e, &fig) ?: after_reuse(&e, &fig);
	/* a minute of waiting, the same for both families: once */
	if (!err && p->family == AF_INET)
		err = hold_time(&e, &fig);
	close(e.lfd);
	if (err)
		return tw_error(r, err, "port exhaustion");
	port_exhaustion_judge(&fig, r);
	return 0;
}

TW_CASE(port_exhaustion,
	.summary = "when connect() runs out of ports, per destination, and the rate a range sustains",
	.claims = "A05 A05r",
	.time_limit_s = 90);
