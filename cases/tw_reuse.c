// SPDX-License-Identifier: GPL-2.0
/*
 * A11: tcp_tw_reuse lets a new outgoing connection take over a TIME_WAIT
 * 4-tuple only when timestamps are on, reuse is on, and the TIME_WAIT
 * socket is older than one second; incoming connections never reuse;
 * the default is 0.
 *
 * Today (K06, K07, K08): tcp_twsk_unique() lets connect() take the
 * 4-tuple when the TIME_WAIT socket saw timestamps, tcp_tw_reuse is 1 (or
 * 2 and an address is loopback), and tcp_clock_ms() is past the entry into
 * TIME_WAIT plus tcp_tw_reuse_delay ms.
 *
 * Method, at each tcp_tw_reuse x tcp_timestamps x tcp_tw_reuse_delay,
 * over the veth and over loopback:
 *   1. client port P goes into TIME_WAIT toward the server (client first);
 *   2. d ms after that entry, connect() to the same server address and
 *      port, with the ephemeral search confined to P: it takes over the
 *      4-tuple, or fails with EADDRNOTAVAIL;
 *   3. d is searched: each round puts NPROBE fresh ports in TIME_WAIT at
 *      once and probes them at delays spread over the interval still open
 *      -- a bisection asking NPROBE questions per round, so a round costs
 *      one delay -- until the last failure and the first success are
 *      RESOLUTION_MS apart.
 * Incoming: the server closes first and holds the TIME_WAIT; the client
 * at once connects again from the same port (K05: tcp_tw_reuse has no say).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "case.h"
#include "clock.h"
#include "conn.h"
#include "expect.h"
#include "kernel.h"
#include "sockview.h"
#include "wait.h"

#define NPROBE		10
#define MAX_ROUNDS	6
#define RESOLUTION_MS	10
#define PORT_VETH	9100
#define PORT_LOOP	9101

struct path {
	const char *name;
	int server;		/* host of the listener: the client's own for loopback */
	bool loopback;
	struct endpoint src, dst;
	int lfd;
};

struct reuse {
	struct lab *lab;
	int family;
	int reuse, timestamps;
	unsigned int delay_ms;	/* 0: the kernel has no tcp_tw_reuse_delay */
	uint16_t next_port;
};

struct search {
	double above, at_most;	/* the last failing and the first succeeding delay */
	double lag_ms;		/* the most any entry stamp can lag its entry */
	bool found, monotonic;
	int probes, rounds;
};

/* Would tcp_twsk_unique() let this path's connect() take the 4-tuple? */
static bool reuse_expected(const struct reuse *rc, const struct path *pa)
{
	return rc->timestamps && (rc->reuse == 1 || (rc->reuse == 2 && pa->loopback));
}

/*
 * A TIME_WAIT at the client on a fresh port; its entry time in *@t_entry,
 * and in *@lag_ms how long before it the client's own FIN left.
 * The port must come from the ephemeral search here too: a port taken by
 * bind() leaves its bind bucket with fastreuse >= 0, and
 * __inet_hash_connect() then passes it by without asking
 * tcp_twsk_unique() at all.
 */
static int time_wait_at_client(struct reuse *rc, struct path *pa, uint16_t *port,
			       int64_t *t_entry, double *lag_ms)
{
	int64_t t_fin;
	int cfd, sfd, err;

	*port = rc->next_port++;
	cfd = conn_connect_port(rc->lab, LAB_CLIENT, *port, &pa->dst);
	if (cfd < 0)
		return cfd;
	sfd = conn_accept(pa->lfd, CONN_TIMEOUT_MS);
	if (sfd < 0) {
		close(cfd);
		return sfd;
	}
	t_fin = now_ns();
	err = conn_close_orderly(cfd, sfd, t_entry);
	*lag_ms = ns_to_ms(*t_entry - t_fin);
	return err;
}

/* 1 if it took over the 4-tuple, 0 if EADDRNOTAVAIL, else -errno. */
static int probe(struct reuse *rc, struct path *pa, uint16_t port)
{
	struct tuple t;
	int fd, sfd, err;

	fd = conn_connect_port(rc->lab, LAB_CLIENT, port, &pa->dst);
	if (fd == -EADDRNOTAVAIL)
		return 0;
	if (fd < 0)
		return fd;
	err = tuple_of_socket(fd, &t);
	sfd = conn_accept(pa->lfd, CONN_TIMEOUT_MS);
	if (sfd < 0)
		err = sfd;
	else
		close(sfd);
	close(fd);
	if (!err && t.src.port != port)
		err = -EPROTO;	/* the range was not honoured */
	return err ? err : 1;
}

/* One round: n fresh TIME_WAITs, probed at @delay[] ms (ascending) after entry. */
static int round_of_probes(struct reuse *rc, struct path *pa, const double *delay, int n,
			   struct search *s)
{
	int64_t t_entry[NPROBE];
	uint16_t port[NPROBE];
	double at[NPROBE];
	int ok[NPROBE], err;

	for (int i = 0; i < n; i++) {
		double lag;

		err = time_wait_at_client(rc, pa, &port[i], &t_entry[i], &lag);
		if (err)
			return err;
		if (lag > s->lag_ms)
			s->lag_ms = lag;
	}
	for (int i = 0; i < n; i++) {
		sleep_until_ns(t_entry[i] + (int64_t)(delay[i] * NSEC_PER_MSEC));
		/* a loaded machine wakes us late: the probe's delay is when it ran */
		at[i] = ns_to_ms(now_ns() - t_entry[i]);
		ok[i] = probe(rc, pa, port[i]);
		if (ok[i] < 0)
			return ok[i];
	}
	for (int i = 0; i < n; i++) {
		if (ok[i] && at[i] < s->at_most)
			s->at_most = at[i];
		if (!ok[i] && at[i] > s->above)
			s->above = at[i];
		s->found |= ok[i];
	}
	s->probes += n;
	s->rounds++;
	return 0;
}

/*
 * Narrow (above, at_most] around the threshold.  Until a first success,
 * the probes reach up to @hi; after it, they fall strictly inside.
 */
static int search_threshold(struct reuse *rc, struct path *pa, double hi, struct search *s)
{
	double delay[NPROBE];
	int err;

	*s = (struct search){ .above = 0, .at_most = hi, .monotonic = true };
	while (s->rounds < MAX_ROUNDS) {
		double lo = s->above, top = s->at_most;
		int parts = s->found ? NPROBE + 1 : NPROBE;

		for (int i = 0; i < NPROBE; i++)
			delay[i] = lo + (top - lo) * (i + 1) / parts;
		err = round_of_probes(rc, pa, delay, NPROBE, s);
		if (err)
			return err;
		if (s->found && s->above >= s->at_most) {
			s->monotonic = false;	/* a failure after a success */
			break;
		}
		/*
		 * Without tcp_tw_reuse_delay the kernel compares whole seconds
		 * (K08): each TIME_WAIT has its own threshold, so there is no
		 * one figure to narrow down; one round shows the spread.
		 */
		if (!rc->delay_ms)
			break;
		if (!s->found || s->at_most - s->above <= RESOLUTION_MS)
			break;
	}
	return 0;
}

static void judge_path(struct reuse *rc, struct path *pa, const struct search *s,
		       double hi, struct tw_result *r)
{
	bool want = reuse_expected(rc, pa);
	double lo_ms, hi_ms;
	struct tw_verdict *v;
	char what[96];

	snprintf(what, sizeof(what), "outgoing connect() takes over TIME_WAIT over %s", pa->name);
	expect_reuse_window(rc->delay_ms, &lo_ms, &hi_ms);
	/*
	 * tcp_time_wait() stamps the entry with the socket's cached clock,
	 * tp->tcp_mstamp, which no segment received in FIN_WAIT2 refreshes:
	 * it may be as old as the client's own FIN, up to lag_ms before the
	 * entry we time from.  Under load that is a few ms.
	 */
	lo_ms -= ceil(s->lag_ms);
	if (want && s->found) {
		bool fits = (s->monotonic || !rc->delay_ms) && s->above < hi_ms + 1 &&
			    s->at_most > lo_ms;

		v = tw_verdict_add(r, "A11", "K08", rc->delay_ms ? V_REFINED : V_CONFIRMED, what);
		tw_verdict_bounds(v, s->above, s->at_most, s->probes, lo_ms, hi_ms, "ms");
		if (rc->delay_ms)
			tw_evidence(v, "EADDRNOTAVAIL %.0f ms after the entry into TIME_WAIT, the "
				    "4-tuple taken over at %.0f ms (entry stamps lag by up to "
				    "%.2f ms); tcp_twsk_unique(): tcp_clock_ms() after "
				    "tw_entry_stamp + tcp_tw_reuse_delay, in ms", s->above,
				    s->at_most, s->lag_ms);
		else
			tw_evidence(v, "taken over from %.0f ms after the entry, refused up to "
				    "%.0f ms: tcp_twsk_unique() compares whole seconds against "
				    "tw_ts_recent_stamp, so each TIME_WAIT has a threshold of its "
				    "own", s->at_most, s->above);
		if (!fits)
			tw_fail(r, "%s: reuse threshold in (%.0f, %.0f] ms, expected (%.0f, %.0f]%s",
				pa->name, s->above, s->at_most, lo_ms, hi_ms,
				s->monotonic ? "" : ", and a failure after a success");
		return;
	}
	v = tw_verdict_add(r, "A11", rc->timestamps ? "K07" : "K06",
			   want || s->found ? V_REFUTED :
			   rc->reuse == 2 ? V_REFINED : V_CONFIRMED, what);
	tw_verdict_figure(v, s->found ? s->at_most : NAN, NAN, NAN, "ms");
	if (s->found)
		tw_evidence(v, "the 4-tuple was taken over %.0f ms after the entry, although "
			    "tcp_tw_reuse=%d, tcp_timestamps=%d", s->at_most, rc->reuse,
			    rc->timestamps);
	else
		tw_evidence(v, "EADDRNOTAVAIL at every delay up to %.0f ms (%d probes): %s", hi,
			    s->probes, !rc->timestamps ? "no timestamps, so tw_ts_recent_stamp "
			    "is 0" : rc->reuse == 2 ? "tcp_tw_reuse=2 is for loopback only" :
			    "tcp_tw_reuse=0");
	if (want != s->found)
		tw_fail(r, "%s: the 4-tuple was %staken over, expected %s", pa->name,
			s->found ? "" : "not ", want ? "reuse" : "none");
}

/*
 * The server closes first and holds the TIME_WAIT; the client connects
 * from the same port at once.  The SYN meets the TIME_WAIT socket in
 * tcp_timewait_state_process(): newer sequence or timestamp, TCP_TW_SYN,
 * a new connection (K05) -- whatever tcp_tw_reuse says.
 */
static int incoming(struct reuse *rc, struct path *pa, struct tw_result *r)
{
	struct sockview sv = { 0 };
	struct endpoint src = pa->src;
	struct tw_verdict *v;
	struct tuple tc, ts;
	int cfd, sfd, err;
	int64_t t0, t1;

	src.port = rc->next_port++;
	err = sockview_open(&sv, &rc->lab->host[LAB_SERVER].ns);
	if (!err)
		err = conn_pair(rc->lab, LAB_CLIENT, &src, pa->lfd, &pa->dst, &cfd, &sfd);
	if (err)
		goto out;
	err = tuple_of_socket(cfd, &tc);
	err = conn_close_orderly(sfd, cfd, NULL) ?: err;
	tuple_reverse(&tc, &ts);
	if (!err)
		err = wait_state(&sv, &ts, TCPF(TCP_TIME_WAIT), now_ns() + NSEC_PER_SEC);
	if (err)
		goto out;

	t0 = now_ns();
	err = conn_pair(rc->lab, LAB_CLIENT, &src, pa->lfd, &pa->dst, &cfd, &sfd);
	t1 = now_ns();
	v = tw_verdict_add(r, "A11", "K05", err ? V_CONFIRMED : V_REFINED,
			   "incoming SYN onto the server's TIME_WAIT 4-tuple");
	tw_verdict_figure(v, err ? NAN : ns_to_ms(t1 - t0), NAN, NAN, "ms");
	tw_evidence(v, "connect() from the same port %s; the SYN is judged by "
		    "tcp_timewait_state_process() (TCP_TW_SYN), not by tcp_tw_reuse=%d",
		    err ? strerror(-err) : "succeeded at once", rc->reuse);
	if (err) {
		tw_fail(r, "a new connection onto the server's TIME_WAIT failed: %s",
			strerror(-err));
		err = 0;
		goto out;
	}
	close(cfd);
	close(sfd);
out:
	sockview_close(&sv);
	return err;
}

/* The instance whose every sysctl is the kernel's default says what it is. */
static void judge_default(struct lab *lab, const struct tw_params *p, struct tw_result *r)
{
	const struct kernel_info *k = lab->kernel;
	const char *def = NULL;
	struct tw_verdict *v;

	for (int i = 0; i < p->nset; i++)
		for (int d = 0; d < k->ndefaults; d++)
			if (!strcmp(k->defaults[d].key, p->set[i].key) &&
			    k->defaults[d].present && strcmp(k->defaults[d].val, p->set[i].val))
				return;
	for (int d = 0; d < k->ndefaults; d++)
		if (!strcmp(k->defaults[d].key, "tcp_tw_reuse") && k->defaults[d].present)
			def = k->defaults[d].val;
	if (!def)
		return;
	v = tw_verdict_add(r, "A11", "K07", atoi(def) ? V_REFUTED : V_CONFIRMED,
			   "tcp_tw_reuse default in a new namespace");
	tw_verdict_figure(v, atoi(def), 0, 0, "");
	tw_evidence(v, "the article's kernel defaulted to 0; 2 (loopback only) is the "
		    "default since 4.20");
}

static int path_open(struct reuse *rc, struct path *pa, bool loopback)
{
	int family = rc->family;

	memset(pa, 0, sizeof(*pa));
	pa->loopback = loopback;
	pa->name = loopback ? "loopback" : "veth";
	pa->server = loopback ? LAB_CLIENT : LAB_SERVER;
	if (loopback) {
		pa->src.family = pa->dst.family = family;
		if (family == AF_INET)
			pa->src.addr.v4.s_addr = htonl(INADDR_LOOPBACK);
		else
			pa->src.addr.v6 = in6addr_loopback;
		pa->dst = pa->src;
		pa->dst.port = PORT_LOOP;
	} else {
		lab_endpoint(rc->lab, LAB_CLIENT, 0, family, 0, &pa->src);
		lab_endpoint(rc->lab, LAB_SERVER, 0, family, PORT_VETH, &pa->dst);
	}
	pa->lfd = conn_listen(rc->lab, pa->server, &pa->dst);
	return pa->lfd < 0 ? pa->lfd : 0;
}

static int tw_reuse(struct lab *lab, const struct tw_params *p, struct tw_result *r)
{
	struct reuse rc = { .lab = lab, .family = p->family };
	struct path paths[2] = { { .lfd = -1 }, { .lfd = -1 } };
	const char *delay = tw_param(p, "tcp_tw_reuse_delay");
	char val[32];
	int err;

	rc.reuse = atoi(tw_param(p, "tcp_tw_reuse") ?: "0");
	rc.timestamps = atoi(tw_param(p, "tcp_timestamps") ?: "1");
	if (delay && !lab_sysctl_get(lab, LAB_CLIENT, "tcp_tw_reuse_delay", val, sizeof(val)))
		rc.delay_ms = atoi(val);
	/*
	 * IP_LOCAL_PORT_RANGE narrows ip_local_port_range, it cannot leave it
	 * (inet_sk_get_local_port_range()): the probed ports come from its
	 * bottom, which nothing else in the lab uses.
	 */
	err = lab_sysctl_get(lab, LAB_CLIENT, "ip_local_port_range", val, sizeof(val));
	if (err)
		return tw_error(r, err, "ip_local_port_range");
	rc.next_port = atoi(val);

	for (int i = 0; i < 2; i++) {
		double hi = 2.0 * (rc.delay_ms ?: 1000) + 1000;
		struct search s;

		err = path_open(&rc, &paths[i], i == 1);
		if (!err)
			err = search_threshold(&rc, &paths[i], hi, &s);
		if (err) {
			tw_error(r, err, "reuse over %s", i ? "loopback" : "veth");
			goto out;
		}
		judge_path(&rc, &paths[i], &s, hi, r);
	}
	err = incoming(&rc, &paths[0], r);
	if (err) {
		tw_error(r, err, "incoming SYN onto TIME_WAIT");
		goto out;
	}
	judge_default(lab, p, r);
out:
	for (int i = 0; i < 2; i++)
		if (paths[i].lfd >= 0)
			close(paths[i].lfd);
	return err;
}

TW_CASE(tw_reuse,
	.summary = "when connect() may take over a TIME_WAIT 4-tuple; the reuse delay, searched",
	.claims = "A11",
	.vary = {
		{ "tcp_tw_reuse", { "0", "1", "2" } },
		{ "tcp_timestamps", { "0", "1" } },
		{ "tcp_tw_reuse_delay", { "1000", "100", "3000" }, .optional = true },
	},
	.needs = NEED_SOCK_DIAG,
	.time_limit_s = 90);
