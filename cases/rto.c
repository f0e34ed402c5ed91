// SPDX-License-Identifier: GPL-2.0
/*
 * A15: `ss --info` shows a connection's RTO (the article's example: 216 ms).
 * A16: Linux's minimum RTO is 200 ms and its maximum 120 s.
 *
 * Today (K13): tcp_set_rto() sets icsk_rto = __tcp_set_rto() = srtt/8 +
 * rttvar_us, in jiffies rounded up (usecs_to_jiffies()), at most
 * TCP_RTO_MAX.  tcp_rtt_estimator() keeps rttvar_us at least mdev_us and
 * at least tcp_rto_min_us (mdev_max_us starts each RTT there), so
 *
 *	rto = ceil((tcpi_rtt + max(4 * tcpi_rttvar, rto_min)) / jiffy)
 *
 * where tcp_get_info() reports tcpi_rtt = srtt_us / 8 and tcpi_rttvar =
 * mdev_us / 4.  rto_min is TCP_RTO_MIN = HZ/5, or since 6.11 the
 * per-netns tcp_rto_min_us; TCP_RTO_MAX is 120 s, since 6.15 the per-netns
 * tcp_rto_max_ms.
 *
 * Method: one connection, request/response pairs over it until the
 * estimator has settled (settle()).  At no added delay: the client's
 * tcpi_rto from getsockopt(TCP_INFO), from sock_diag (INET_DIAG_INFO) and
 * as `ss -ti` prints it in the client's namespace (an independent
 * reader); and the formula from tcpi_rtt and tcpi_rttvar of the same
 * TCP_INFO.  Then a one-way delay of 10, 50 and 200 ms on the client's
 * egress (lib/impair.h), raised in steps so that no step outruns the RTO
 * of the one before (no spurious timeout), settled again at each, and the
 * same readings.  Last, the cap: a fresh connection over a host route
 * with a locked rto_min of 200 s (`ip route ... rto_min 200000ms`, which
 * tcp_rto_min() prefers to every default): after its first RTT sample
 * tcp_bound_rto() clamps its RTO to the maximum, read from TCP_INFO at
 * once -- TCP_RTO_MAX on any kernel, no minutes of backoff.  The judge is
 * cases/judges/rto.c.
 */
#include <errno.h>
#include <math.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "case.h"
#include "clock.h"
#include "conn.h"
#include "impair.h"
#include "judges/rto.h"
#include "nsexec.h"
#include "rtomin.h"

#define PORT		9600
#define MSG_BYTES	64
/*
 * rttvar_us, which tcp_info does not show, sits above max(mdev_us,
 * rto_min) only after an RTT spike, and then falls by a quarter of its
 * excess per RTT toward mdev_max_us -- which is rto_min in every RTT whose
 * mdev_us stays below it.  After SETTLE_RTTS such exchanges in a row the
 * excess is below (3/4)^32 < 1e-4 of the spike: the RTO is the formula.
 * A noisy machine (RTT spikes from scheduling) only makes this take
 * longer; running out of exchanges or time is the experiment's error.
 */
#define SETTLE_RTTS	32
#define MAX_EXCHANGES	400
#define SETTLE_S	25	/* per stage; 32 exchanges at 200 ms take 6.4 s */
#define SS_TIMEOUT_MS	5000
#define MAX_ROUTE_MS	200000	/* a locked rto_min far above any TCP_RTO_MAX */

TW_CASE(rto,
	.summary = "a connection's RTO three ways (TCP_INFO, sock_diag, ss) at 0/10/50/200 ms delay, and its cap",
	.claims = "A15 A16",
	.needs = NEED_SS | NEED_IMPAIR,
	.views = HOST(LAB_CLIENT),
	.listen = { LISTEN(PORT) },
	.time_limit_s = 60);

static const unsigned int delays_ms[RTO_NDELAYS] = { 10, 50, 200 };
static const char msg[MSG_BYTES];	/* what each request and response carries */

struct rto {
	struct lab *lab;
	struct tw_fixture *fx;
	int cfd, sfd;
	struct tuple tc;	/* the client's view */
	struct rto_fig fig;
};

/*
 * A request/response pair.  The request is answered at once, so its ACK
 * rides on the response: one RTT sample at the client.
 */
static int exchange(int cfd, int sfd)
{
	return conn_send_recv(cfd, sfd, msg, sizeof(msg)) ?: conn_send_recv(sfd, cfd, msg, sizeof(msg));
}

/* Pairs until SETTLE_RTTS in a row kept mdev_us below rto_min; rd->exchanges: how many. */
static int settle(struct rto *x, struct rto_reading *rd)
{
	int64_t deadline = now_ns() + SETTLE_S * NSEC_PER_SEC;
	struct tcp_info ti;
	int clean = 0, err = 0;

	for (rd->exchanges = 0; clean < SETTLE_RTTS && !err; rd->exchanges++) {
		if (rd->exchanges >= MAX_EXCHANGES || now_ns() >= deadline)
			return -ETIMEDOUT;
		err = exchange(x->cfd, x->sfd) ?: conn_tcp_info(x->cfd, &ti);
		clean = 4ULL * ti.tcpi_rttvar < x->fig.rto_min_us ? clean + 1 : 0;
	}
	return err;
}

/* `ss -ti` for the client's socket: its "rto:" field, in ms. */
static int ss_rto(struct rto *x, double *ms)
{
	char cmd[160], out[4096];
	const char *p;
	int err;

	snprintf(cmd, sizeof(cmd), "ss -Htin state established '( sport = :%u and dport = :%u )'",
		 x->tc.src.port, x->tc.dst.port);
	err = ns_run_ok(&x->lab->host[LAB_CLIENT].ns, cmd, out, sizeof(out), SS_TIMEOUT_MS);
	p = err ? NULL : strstr(out, " rto:");
	if (p)
		*ms = strtod(p + 5, NULL);
	return err ?: p ? 0 : -ENOENT;
}

/* The connection is idle here: nothing moves icsk_rto between the three reads. */
static int read_rto(struct rto *x, unsigned int delay_ms, struct rto_reading *rd)
{
	struct tcp_info ti, di;
	int err = conn_tcp_info(x->cfd, &ti);

	if (err)
		return err;
	rd->delay_ms = delay_ms;
	rd->tcpi_rto_us = ti.tcpi_rto;
	rd->rtt_us = ti.tcpi_rtt;
	rd->rttvar_us = ti.tcpi_rttvar;
	err = sockview_tcp_info(&x->fx->sv[LAB_CLIENT], &x->tc, TCPF(TCP_ESTABLISHED), &di);
	rd->diag_rto_us = err ? 0 : di.tcpi_rto;
	rd->ss_rto_ms = NAN;
	if (!err)
		err = ss_rto(x, &rd->ss_rto_ms);
	return err == -ENOENT ? 0 : err;	/* no rto: field: the judge says so */
}

/*
 * One stage: @d ms of delay (none at 0: the impairment holds no rule
 * then), the estimator settled on it, the RTO read.
 */
static int stage(struct rto *x, unsigned int d, struct rto_reading *rd, struct tw_result *r)
{
	int err = d ? impair_delay(x->fx->impair, d) : 0;

	if (err)
		return tw_error(r, err, "delay %u ms: %s", d, impair_error(x->fx->impair));
	err = settle(x, rd);
	rd->unsettled = err == -ETIMEDOUT;	/* the machine: the judge says so */
	if (!err || rd->unsettled)
		err = read_rto(x, d, rd);
	if (err)
		return tw_error(r, err, "settling and the RTO at %u ms delay (%d exchanges)", d,
				rd->exchanges);
	/* not a measurement: only that the delay line is in the path (srtt nears d from below) */
	if (rd->rtt_us < d * 900)
		return tw_error(r, -EIO, "delay %u ms set (%s), yet tcpi_rtt is %u us", d,
				r->impair, rd->rtt_us);
	return 0;
}

/* The cap: the RTO of a connection over that route, after its first RTT sample. */
static int read_max(struct rto *x, struct tw_result *r)
{
	const struct endpoint *srv = &x->fx->listen[0];
	struct tcp_info ti;
	int cfd, sfd, err;

	if (route_rto_min(&x->lab->host[LAB_CLIENT].ns, LAB_IFNAME, srv->family, &srv->addr,
			  MAX_ROUTE_MS))
		return 0;	/* the judge says the cap went unread */
	err = conn_pair(x->lab, LAB_CLIENT, NULL, x->fx->lfd[0], srv, &cfd, &sfd);
	if (err)
		return tw_error(r, err, "a connection over the rto_min route");
	err = conn_send_recv(cfd, sfd, msg, sizeof(msg)) ?: conn_tcp_info(cfd, &ti);
	x->fig.max_read = !err;
	x->fig.max_route_ms = MAX_ROUTE_MS;
	x->fig.max_rto_us = err ? 0 : ti.tcpi_rto;
	close(cfd);
	close(sfd);
	return err ? tw_error(r, err, "a connection over the rto_min route") : 0;
}

/* Before 6.11 there is no tcp_rto_min_us: TCP_RTO_MIN = HZ/5 jiffies; before 6.15 no tcp_rto_max_ms. */
static void read_sysctls(struct rto *x)
{
	x->fig.rto_min_us = 200000;	/* lab_sysctl_uint() leaves it where the sysctl is absent */
	lab_sysctl_uint(x->lab, LAB_CLIENT, "tcp_rto_min_us", &x->fig.rto_min_us);
	x->fig.rto_max_sysctl = !lab_sysctl_uint(x->lab, LAB_CLIENT, "tcp_rto_max_ms",
						 &x->fig.rto_max_ms);
}

static int rto(struct lab *lab, const struct tw_params *p, struct tw_result *r)
{
	struct rto x = { .lab = lab, .fx = p->fx,
			 .fig = { .hz = lab->kernel->hz, .version = lab->kernel->version } };
	int one = 1, err;

	read_sysctls(&x);
	err = conn_pair(lab, LAB_CLIENT, NULL, p->fx->lfd[0], &p->fx->listen[0], &x.cfd, &x.sfd);
	if (err)
		return tw_error(r, err, "connect");
	/* no Nagle wait for a response whose request is unacknowledged: one sample per pair */
	if (setsockopt(x.cfd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)) < 0 ||
	    setsockopt(x.sfd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)) < 0)
		err = -errno;
	err = err ?: tuple_of_socket(x.cfd, &x.tc);
	err = err ? tw_error(r, err, "the connection") : stage(&x, 0, &x.fig.base, r);
	for (int i = 0; i < RTO_NDELAYS && !err; i++) {
		err = stage(&x, delays_ms[i], &x.fig.delayed[i], r);
		x.fig.ndelayed += !err;
	}
	err = err ?: read_max(&x, r);
	if (!err)
		rto_judge(&x.fig, r);
	close(x.cfd);
	close(x.sfd);
	return err;
}
