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
 * same readings.
 */
#include <errno.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "case.h"
#include "clock.h"
#include "conn.h"
#include "impair.h"
#include "kernel.h"
#include "nsexec.h"
#include "sockview.h"

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
#define SS_OUT		4096

static const unsigned int delays_ms[] = { 10, 50, 200 };

struct rto {
	struct lab *lab;
	unsigned int hz;
	unsigned int rto_min_us;
	int lfd, cfd, sfd;
	struct tuple tc;	/* the client's view */
	struct sockview sv;
};

/* One reading of the client's RTO, three ways. */
struct reading {
	struct tcp_info ti;	/* getsockopt(TCP_INFO) */
	uint32_t diag_rto_us;	/* INET_DIAG_INFO */
	double ss_rto_ms;	/* `ss -ti` */
	double want_ms;		/* the formula, from ti */
	int exchanges;		/* how many it took to settle */
};

static int full_io(int fd, char *buf, size_t len, bool out)
{
	while (len) {
		ssize_t n = out ? write(fd, buf, len) : read(fd, buf, len);

		if (n <= 0)
			return n ? -errno : -EPIPE;
		buf += n;
		len -= n;
	}
	return 0;
}

/*
 * @n request/response pairs.  Each request is answered at once, so its
 * ACK rides on the response: one RTT sample per pair at the client.
 */
static int exchange(struct rto *x, int n)
{
	char buf[MSG_BYTES] = { 0 };
	int err = 0;

	for (int i = 0; i < n && !err; i++) {
		err = full_io(x->cfd, buf, sizeof(buf), true);
		if (!err)
			err = full_io(x->sfd, buf, sizeof(buf), false);
		if (!err)
			err = full_io(x->sfd, buf, sizeof(buf), true);
		if (!err)
			err = full_io(x->cfd, buf, sizeof(buf), false);
	}
	return err;
}

/* Pairs until SETTLE_RTTS in a row kept mdev_us below rto_min; *@n: how many. */
static int settle(struct rto *x, int *n)
{
	int64_t deadline = now_ns() + SETTLE_S * NSEC_PER_SEC;
	struct tcp_info ti;
	int clean = 0, err;

	for (*n = 0; clean < SETTLE_RTTS; ) {
		socklen_t len = sizeof(ti);

		if (*n >= MAX_EXCHANGES || now_ns() >= deadline)
			return -ETIMEDOUT;
		err = exchange(x, 1);
		if (err)
			return err;
		++*n;
		if (getsockopt(x->cfd, IPPROTO_TCP, TCP_INFO, &ti, &len) < 0)
			return -errno;
		clean = 4ULL * ti.tcpi_rttvar < x->rto_min_us ? clean + 1 : 0;
	}
	return 0;
}

/*
 * __tcp_set_rto(): srtt/8 + rttvar_us, with rttvar_us >= max(mdev_us,
 * rto_min) (tcp_rtt_estimator()); usecs_to_jiffies() rounds up, and
 * tcpi_rto is jiffies_to_usecs() of the result.
 */
static double formula_ms(const struct rto *x, const struct tcp_info *ti)
{
	uint64_t var = 4ULL * ti->tcpi_rttvar, us;
	uint64_t j;

	us = ti->tcpi_rtt + (var > x->rto_min_us ? var : x->rto_min_us);
	j = (us * x->hz + 999999) / 1000000;
	return j * 1000.0 / x->hz;
}

/* `ss -ti` for the client's socket: its "rto:" field, in ms. */
static int ss_rto(struct rto *x, double *ms)
{
	char cmd[160], out[SS_OUT];
	const char *p;
	int status;

	snprintf(cmd, sizeof(cmd), "ss -Htin state established '( sport = :%u and dport = :%u )'",
		 x->tc.src.port, x->tc.dst.port);
	status = ns_run(&x->lab->host[LAB_CLIENT].ns, cmd, out, sizeof(out), SS_TIMEOUT_MS);
	if (status)
		return status < 0 ? status : -EIO;
	p = strstr(out, " rto:");
	if (!p)
		return -ENOENT;
	*ms = strtod(p + 5, NULL);
	return 0;
}

/* The connection is idle here: nothing moves icsk_rto between the three reads. */
static int read_rto(struct rto *x, struct reading *rd)
{
	socklen_t len = sizeof(rd->ti);
	struct tcp_info di;
	int err;

	if (getsockopt(x->cfd, IPPROTO_TCP, TCP_INFO, &rd->ti, &len) < 0)
		return -errno;
	err = sockview_tcp_info(&x->sv, &x->tc, TCPF(TCP_ESTABLISHED), &di);
	if (!err)
		err = ss_rto(x, &rd->ss_rto_ms);
	rd->diag_rto_us = di.tcpi_rto;
	rd->want_ms = formula_ms(x, &rd->ti);
	return err;
}

static bool readers_agree(const struct reading *rd)
{
	return rd->diag_rto_us == rd->ti.tcpi_rto && rd->ss_rto_ms * 1000 == rd->ti.tcpi_rto;
}

static void judge_readers(const struct reading *rd, struct tw_result *r)
{
	struct tw_verdict *v;
	double ms = rd->ti.tcpi_rto / 1000.0;

	v = tw_verdict_add(r, "A15", "K13", readers_agree(rd) ? V_CONFIRMED : V_REFUTED,
			   "RTO of a live connection as ss -ti prints it");
	tw_verdict_figure(v, rd->ss_rto_ms, ms, ms, "ms");
	tw_evidence(v, "ss -ti rto:%g; getsockopt(TCP_INFO) tcpi_rto %u us; sock_diag "
		    "INET_DIAG_INFO %u us: one tcp_get_info() behind all three",
		    rd->ss_rto_ms, rd->ti.tcpi_rto, rd->diag_rto_us);
	if (!readers_agree(rd))
		tw_fail(r, "RTO readers disagree: ss %g ms, TCP_INFO %u us, sock_diag %u us",
			rd->ss_rto_ms, rd->ti.tcpi_rto, rd->diag_rto_us);
}

static void judge_floor(struct rto *x, const struct reading *rd, struct tw_result *r)
{
	double ms = rd->ti.tcpi_rto / 1000.0;
	struct tw_verdict *v;
	bool ok = ms == rd->want_ms && rd->ti.tcpi_rto >= x->rto_min_us;

	v = tw_verdict_add(r, "A16", "K13", ok ? V_REFINED : V_REFUTED,
			   "RTO on the near-zero-RTT veth (minimum RTO)");
	tw_verdict_figure(v, ms, rd->want_ms, rd->want_ms, "ms");
	tw_evidence(v, "tcpi_rtt %u us + rto_min %u us (tcp_rto_min_us), rounded up to a "
		    "jiffy (HZ=%u): never 200 exactly once srtt > 0; readers agree: %s",
		    rd->ti.tcpi_rtt, x->rto_min_us, x->hz, readers_agree(rd) ? "yes" : "no");
	if (!ok)
		tw_fail(r, "RTO %.0f ms at no delay, expected %.0f (floor %u us)", ms, rd->want_ms,
			x->rto_min_us);
}

/* The formula, give or take one jiffy while rttvar_us still decays onto it. */
static void judge_delay(struct rto *x, unsigned int d, const struct reading *rd,
			double base_ms, struct tw_result *r)
{
	double ms = rd->ti.tcpi_rto / 1000.0, jiffy = 1000.0 / x->hz;
	double lo = rd->want_ms - jiffy, hi = rd->want_ms + jiffy;
	bool ok = ms > lo && ms <= hi && readers_agree(rd);
	struct tw_verdict *v;
	char what[96];

	snprintf(what, sizeof(what), "RTO with %u ms one-way delay", d);
	v = tw_verdict_add(r, "A16", "K13", ok ? V_CONFIRMED : V_REFUTED, what);
	tw_verdict_figure(v, ms, lo, hi, "ms");
	tw_evidence(v, "after %d exchanges: tcpi_rtt %u us, tcpi_rttvar %u us: ceil((rtt + "
		    "max(4 rttvar, %u)) / jiffy) = %.0f ms, %+.0f ms on no delay; ss -ti rto:%g, "
		    "sock_diag %u us", rd->exchanges, rd->ti.tcpi_rtt, rd->ti.tcpi_rttvar,
		    x->rto_min_us, rd->want_ms, ms - base_ms, rd->ss_rto_ms, rd->diag_rto_us);
	if (!ok)
		tw_fail(r, "RTO %.0f ms with %u ms delay, expected (%.0f, %.0f] (ss %g, sock_diag %u us)",
			ms, d, lo, hi, rd->ss_rto_ms, rd->diag_rto_us);
}

/* TCP_RTO_MAX: a sysctl since 6.15 (K13); not something a few minutes can measure. */
static void judge_max(struct rto *x, struct tw_result *r)
{
	struct tw_verdict *v;
	char val[32];

	if (lab_sysctl_get(x->lab, LAB_CLIENT, "tcp_rto_max_ms", val, sizeof(val))) {
		v = tw_verdict_add(r, "A16", "K13", V_CONFIRMED, "maximum RTO (TCP_RTO_MAX)");
		tw_verdict_figure(v, NAN, 120000, 120000, "ms");
		tw_evidence(v, "no tcp_rto_max_ms: TCP_RTO_MAX is the constant 120*HZ");
		return;
	}
	v = tw_verdict_add(r, "A16", "K13", V_REFINED, "maximum RTO (TCP_RTO_MAX)");
	tw_verdict_figure(v, atof(val), 120000, 120000, "ms");
	tw_evidence(v, "tcp_rto_max_ms = %s in a new namespace: 120 s by default but a per-netns "
		    "sysctl, as tcp_rto_min_us = %u is for the minimum", val, x->rto_min_us);
	if (atof(val) != 120000)
		tw_fail(r, "tcp_rto_max_ms defaults to %s, expected 120000", val);
}

/* Delays in steps; each read once the estimator has settled on it. */
static int delayed(struct rto *x, double base_ms, struct tw_result *r)
{
	struct impair *ip = NULL;
	struct reading rd;
	int err;

	err = tw_impair_open(x->lab, LAB_CLIENT, &ip, r);
	if (err)
		goto out;
	for (size_t i = 0; i < sizeof(delays_ms) / sizeof(delays_ms[0]); i++) {
		unsigned int d = delays_ms[i];

		err = impair_delay(ip, d);
		if (err) {
			tw_error(r, err, "delay %u ms: %s", d, impair_error(ip));
			goto out;
		}
		err = settle(x, &rd.exchanges);
		if (!err)
			err = read_rto(x, &rd);
		if (err) {
			tw_error(r, err, "settling and the RTO at %u ms delay (%d exchanges)", d,
				 rd.exchanges);
			goto out;
		}
		/* not a measurement: only that the delay line is in the path (srtt nears d from below) */
		if (rd.ti.tcpi_rtt < d * 900) {
			err = tw_error(r, -EIO, "delay %u ms set (%s), yet tcpi_rtt is %u us",
				       d, r->impair, rd.ti.tcpi_rtt);
			goto out;
		}
		judge_delay(x, d, &rd, base_ms, r);
	}
out:
	impair_close(ip);
	return err;
}

static void read_rto_min(struct rto *x)
{
	char val[32];

	/* before 6.11 there is no sysctl: TCP_RTO_MIN = HZ/5 jiffies */
	if (lab_sysctl_get(x->lab, LAB_CLIENT, "tcp_rto_min_us", val, sizeof(val)))
		x->rto_min_us = 200000;
	else
		x->rto_min_us = strtoul(val, NULL, 10);
}

static int setup(struct rto *x, int family)
{
	struct endpoint server;
	int one = 1, err;

	err = sockview_open(&x->sv, &x->lab->host[LAB_CLIENT].ns);
	if (err)
		return err;
	lab_endpoint(x->lab, LAB_SERVER, 0, family, PORT, &server);
	x->lfd = conn_listen(x->lab, LAB_SERVER, &server);
	if (x->lfd < 0)
		return x->lfd;
	err = conn_pair(x->lab, LAB_CLIENT, NULL, x->lfd, &server, &x->cfd, &x->sfd);
	if (err)
		return err;
	/* no Nagle wait for a response whose request is unacknowledged: one sample per pair */
	if (setsockopt(x->cfd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)) < 0 ||
	    setsockopt(x->sfd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)) < 0)
		return -errno;
	return tuple_of_socket(x->cfd, &x->tc);
}

static int rto(struct lab *lab, const struct tw_params *p, struct tw_result *r)
{
	struct rto x = { .lab = lab, .hz = lab->kernel->hz, .lfd = -1, .cfd = -1, .sfd = -1 };
	struct reading rd;
	int err;

	read_rto_min(&x);
	err = setup(&x, p->family);
	if (!err)
		err = settle(&x, &rd.exchanges);
	if (!err)
		err = read_rto(&x, &rd);
	if (err) {
		tw_error(r, err, "RTO at no added delay");
		goto out;
	}
	judge_readers(&rd, r);
	judge_floor(&x, &rd, r);
	judge_max(&x, r);
	err = delayed(&x, rd.ti.tcpi_rto / 1000.0, r);
out:
	if (x.cfd >= 0)
		close(x.cfd);
	if (x.sfd >= 0)
		close(x.sfd);
	if (x.lfd >= 0)
		close(x.lfd);
	sockview_close(&x.sv);
	return err;
}

TW_CASE(rto,
	.summary = "a connection's RTO three ways (TCP_INFO, sock_diag, ss) at 0/10/50/200 ms delay",
	.claims = "A15 A16",
	.needs = NEED_SOCK_DIAG | NEED_SS,
	.time_limit_s = 60);
