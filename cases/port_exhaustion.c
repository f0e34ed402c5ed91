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
 * TIME_WAIT 4-tuples older than the reuse delay (K06, K08).
 *
 * Method:
 *   1. the client's range narrowed to NPORTS ports, tcp_tw_reuse=0: connect
 *      to server address A, client closing first, until connect() fails;
 *   2. then to server address B, the same way: as many again?
 *   3. tcp_tw_reuse=1, and once the reuse delay has passed for every
 *      TIME_WAIT, to A again: how many connect()s succeed now;
 *   4. the default range over loopback, as fast as one process can
 *      connect, accept and close, until connect() fails: the count, the
 *      time, the rate -- and so the rate the range sustains for one
 *      TIME_WAIT lifetime, against the article's 1000/s.
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
#include "expect.h"
#include "kernel.h"

#define PORT		9200
#define NPORTS		64	/* even: __inet_hash_connect() rounds the count down to even */
#define RANGE_LO	41000
#define CAP_MARGIN	1000	/* connections past the range that show it never ran dry */
#define ARTICLE_RATE	1000.0	/* connections per second */
#define QUIET_WAIT_MS	60000

struct exhaust {
	struct lab *lab;
	int family;
	int lfd;
	struct endpoint a, b;
	int64_t first_entry;	/* the oldest TIME_WAIT of step 1 */
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
		int64_t entry;
		int cfd, sfd, err;

		err = conn_pair(e->lab, LAB_CLIENT, NULL, e->lfd, dst, &cfd, &sfd);
		if (err) {
			*fail_err = err;
			break;
		}
		err = conn_close_orderly(cfd, sfd, &entry);
		if (err)
			return err;
		if (!e->first_entry)
			e->first_entry = entry;
	}
	return n;
}

static const char *errno_name(int err)
{
	switch (-err) {
	case 0:			return "none";
	case EADDRNOTAVAIL:	return "EADDRNOTAVAIL";
	case EADDRINUSE:	return "EADDRINUSE";
	case ETIMEDOUT:		return "ETIMEDOUT";
	case ECONNREFUSED:	return "ECONNREFUSED";
	default:		return strerror(-err);
	}
}

/* Steps 1 and 2: one destination runs dry; another has every port still. */
static int per_destination(struct exhaust *e, struct tw_result *r)
{
	struct tw_verdict *v;
	int n_a, n_b, err_a, err_b;

	n_a = fill(e, &e->a, NPORTS + 8, &err_a);
	if (n_a < 0)
		return n_a;
	n_b = fill(e, &e->b, NPORTS + 8, &err_b);
	if (n_b < 0)
		return n_b;

	v = tw_verdict_add(r, "A05", "K15", n_a == NPORTS && err_a == -EADDRNOTAVAIL ?
			   V_CONFIRMED : V_REFUTED, "the connect() that fails, one destination");
	tw_verdict_figure(v, n_a + 1, NPORTS + 1, NPORTS + 1, "th");
	tw_evidence(v, "ip_local_port_range %d %d (%d ports), tcp_tw_reuse=0: connect() #%d "
		    "failed with %s, every port held by a TIME_WAIT toward it", RANGE_LO,
		    RANGE_LO + NPORTS - 1, NPORTS, n_a + 1, errno_name(err_a));
	if (n_a != NPORTS || err_a != -EADDRNOTAVAIL)
		tw_fail(r, "connect() #%d failed with %s, expected #%d with EADDRNOTAVAIL",
			n_a + 1, errno_name(err_a), NPORTS + 1);

	v = tw_verdict_add(r, "A05r", "K15", n_b == NPORTS ? V_CONFIRMED : V_REFUTED,
			   "connections to a second server address after the first ran dry");
	tw_verdict_figure(v, n_b, NPORTS, NPORTS, "connections");
	tw_evidence(v, "the same %d ports served the second destination too (fail #%d: %s): "
		    "a TIME_WAIT blocks its 4-tuple, not its port; capacity %d in all",
		    NPORTS, n_b + 1, errno_name(err_b), n_a + n_b);
	if (n_b != NPORTS)
		tw_fail(r, "%d connections to the second address, expected %d", n_b, NPORTS);
	return 0;
}

/* Step 3: with reuse on, the same destination is open again after the delay. */
static int after_reuse(struct exhaust *e, struct tw_result *r)
{
	unsigned int delay_ms = 0;
	double lo_ms, hi_ms;
	struct tw_verdict *v;
	char val[32];
	int n, err_again, err;

	if (!lab_sysctl_get(e->lab, LAB_CLIENT, "tcp_tw_reuse_delay", val, sizeof(val)))
		delay_ms = atoi(val);
	err = lab_sysctl_set(e->lab, LAB_CLIENT, "tcp_tw_reuse", "1");
	if (err)
		return err;
	/* not a measurement: wait until K08's threshold has passed for all */
	expect_reuse_window(delay_ms, &lo_ms, &hi_ms);
	sleep_until_ns(e->first_entry + (int64_t)(hi_ms + 1000) * NSEC_PER_MSEC);
	e->first_entry = 0;
	n = fill(e, &e->a, NPORTS, &err_again);
	if (n < 0)
		return n;

	v = tw_verdict_add(r, "A05", "K08", n == NPORTS ? V_REFINED : V_REFUTED,
			   "connections to the exhausted destination with tcp_tw_reuse=1");
	tw_verdict_figure(v, n, NPORTS, NPORTS, "connections");
	tw_evidence(v, "timestamps on and the TIME_WAITs older than the reuse delay: "
		    "tcp_twsk_unique() hands their 4-tuples to connect(), well inside 2MSL");
	if (n != NPORTS)
		tw_fail(r, "%d of %d connections after enabling tcp_tw_reuse (%s)", n, NPORTS,
			errno_name(err_again));
	return lab_sysctl_set(e->lab, LAB_CLIENT, "tcp_tw_reuse", "0");
}

struct rate {
	int count, fail_err;
	int64_t elapsed_ns;
	int64_t tenth_ns[11];	/* when each tenth of @expect was reached */
	int expect;
	int limit;		/* connections at the most */
};

/*
 * One process connecting to itself as fast as it can: the thread stays in
 * the client's namespace for the loop, so each connection costs only the
 * system calls TCP needs.
 */
static int rate_loop(int lfd, const struct endpoint *dst, struct rate *rt)
{
	struct sockaddr_storage ss;
	socklen_t len = endpoint_to_sockaddr(dst, &ss);
	int64_t t0 = now_ns();
	int err = 0;

	for (rt->count = 0; rt->count < rt->limit; rt->count++) {
		int cfd, sfd;

		if (rt->count % (rt->expect / 10) == 0 && rt->count / (rt->expect / 10) <= 10)
			rt->tenth_ns[rt->count / (rt->expect / 10)] = now_ns() - t0;
		cfd = socket(dst->family, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (cfd < 0)
			return -errno;
		if (connect(cfd, (struct sockaddr *)&ss, len) < 0) {
			rt->fail_err = -errno;
			close(cfd);
			break;
		}
		sfd = conn_accept(lfd, CONN_TIMEOUT_MS);
		if (sfd < 0) {
			close(cfd);
			return sfd;
		}
		err = conn_close_orderly(cfd, sfd, NULL);
		if (err)
			return err;
	}
	rt->elapsed_ns = now_ns() - t0;
	return 0;
}

/* Connections per second over tenth @i of the range. */
static double tenth_rate(const struct rate *rt, int i)
{
	return (rt->expect / 10) / (ns_to_ms(rt->tenth_ns[i + 1] - rt->tenth_ns[i]) / 1000);
}

static int default_range(struct lab *lab, char *range, size_t len, int *ports)
{
	const struct kernel_info *k = lab->kernel;
	int lo, hi;

	for (int d = 0; d < k->ndefaults; d++)
		if (!strcmp(k->defaults[d].key, "ip_local_port_range") && k->defaults[d].present &&
		    sscanf(k->defaults[d].val, "%d %d", &lo, &hi) == 2) {
			snprintf(range, len, "%d %d", lo, hi);
			*ports = hi - lo + 1;
			return 0;
		}
	return -ENOENT;
}

static void judge_capped(const struct rate *rt, const char *range, int ports, long buckets,
			 struct tw_result *r)
{
	struct tw_verdict *v;

	v = tw_verdict_add(r, "A05", "K10", rt->count == rt->limit ? V_REFINED : V_REFUTED,
			   "connections the default range gives one destination");
	tw_verdict_figure(v, rt->count, rt->limit, rt->limit, "connections");
	tw_evidence(v, "ip_local_port_range %s (%d ports) but tcp_max_tw_buckets %ld: the "
		    "TIME_WAITs past the cap closed at once and freed their ports, so %d "
		    "connect()s never ran dry (stopped there; %s)", range, ports, buckets,
		    rt->count, rt->fail_err ? errno_name(rt->fail_err) : "no failure");
	if (rt->count != rt->limit)
		tw_fail(r, "connect() #%d failed with %s, though the TIME_WAIT cap %ld is below "
			"the %d ports", rt->count + 1, errno_name(rt->fail_err), buckets, ports);
}

static void judge_rate(const struct exhaust *e, const struct rate *rt, const char *range,
		       int ports, struct tw_result *r)
{
	double secs, sustain_lo, sustain_hi;
	struct tw_verdict *v;
	struct window tw;

	/* what the range sustains: one port per TIME_WAIT lifetime (K03) */
	expect_tw_window(e->lab->kernel->hz, &tw);
	secs = ns_to_ms(rt->elapsed_ns) / 1000;
	sustain_lo = rt->count / (tw.hi_ms / 1000);
	sustain_hi = rt->count / (tw.lo_ms / 1000);

	/*
	 * A machine that cannot fill the range within one TIME_WAIT lifetime
	 * (an emulated one) sees the oldest TIME_WAITs end and their ports
	 * come free first: it cannot run dry either.
	 */
	if (rt->count == rt->limit && ns_to_ms(rt->tenth_ns[10]) > tw.lo_ms) {
		v = tw_verdict_add(r, "A05", "K03", V_REFINED,
				   "connections the default range gives one destination");
		tw_verdict_figure(v, rt->count, rt->limit, rt->limit, "connections");
		tw_evidence(v, "filling ip_local_port_range %s took %.1f s, longer than a "
			    "TIME_WAIT: the first ports came free again, so %d connect()s never "
			    "ran dry", range, ns_to_ms(rt->tenth_ns[10]) / 1000, rt->count);
		return;
	}
	v = tw_verdict_add(r, "A05", "K15", rt->count == ports &&
			   rt->fail_err == -EADDRNOTAVAIL ? V_CONFIRMED : V_REFUTED,
			   "connections the default range gives one destination");
	tw_verdict_figure(v, rt->count, ports, ports, "connections");
	tw_evidence(v, "ip_local_port_range %s over loopback: %d connect()s in %.1f s, then %s; "
		    "%.0f/s over the first tenth, %.0f/s over the last: __inet_hash_connect() "
		    "walks past every port already taken", range, rt->count, secs,
		    errno_name(rt->fail_err), tenth_rate(rt, 0),
		    rt->count >= ports ? tenth_rate(rt, 9) : 0.0);
	if (rt->count != ports || rt->fail_err != -EADDRNOTAVAIL)
		tw_fail(r, "%d connections before %s, expected %d and EADDRNOTAVAIL",
			rt->count, errno_name(rt->fail_err), ports);

	v = tw_verdict_add(r, "A05", "K03", sustain_hi < ARTICLE_RATE ? V_CONFIRMED : V_REFUTED,
			   "new connections per second the default range sustains");
	tw_verdict_figure(v, sustain_lo, sustain_lo, sustain_hi, "conn/s");
	tw_evidence(v, "%d ports / a TIME_WAIT of %.2f-%.2f s = %.0f-%.0f/s, below the article's "
		    "%.0f/s: at that rate the range is gone in %.1f s", rt->count,
		    tw.lo_ms / 1000, tw.hi_ms / 1000, sustain_lo, sustain_hi, ARTICLE_RATE,
		    rt->count / ARTICLE_RATE);
}

/* Step 4, under the quiet lock: a rate is a CPU measurement. */
static int sustained_rate(struct exhaust *e, const struct tw_params *p, struct tw_result *r)
{
	struct netns saved = NETNS_INIT;
	struct endpoint lo = { .family = e->family, .port = PORT + 1 };
	struct rate rt = { 0 };
	char range[32], val[32];
	int ports, lfd, quiet, err;
	long buckets;

	err = default_range(e->lab, range, sizeof(range), &ports);
	if (!err && ports < 20)
		err = -ERANGE;
	if (!err)
		err = lab_sysctl_get(e->lab, LAB_CLIENT, "tcp_max_tw_buckets", val, sizeof(val));
	if (err)
		return err;
	/*
	 * tcp_max_tw_buckets scales with the machine's memory (the ehash); below
	 * the range, the TIME_WAITs past the cap close at once (K10) and
	 * their ports come free: then the range cannot run dry at all.
	 */
	buckets = atol(val);
	rt.expect = ports;
	rt.limit = ports + CAP_MARGIN;
	if (!err)
		err = lab_sysctl_set(e->lab, LAB_CLIENT, "ip_local_port_range", range);
	if (err)
		return err;
	if (e->family == AF_INET)
		lo.addr.v4.s_addr = htonl(INADDR_LOOPBACK);
	else
		lo.addr.v6 = in6addr_loopback;
	lfd = conn_listen(e->lab, LAB_CLIENT, &lo);
	if (lfd < 0)
		return lfd;

	quiet = tw_quiet_begin(p, QUIET_WAIT_MS);
	err = quiet < 0 ? quiet : 0;
	if (!err) {
		err = netns_enter(&e->lab->host[LAB_CLIENT].ns, &saved);
		if (!err) {
			err = rate_loop(lfd, &lo, &rt);
			err = netns_leave(&saved) ?: err;
		}
		tw_quiet_end(quiet);
	}
	close(lfd);
	if (err)
		return err;
	if (buckets < ports)
		judge_capped(&rt, range, ports, buckets, r);
	else
		judge_rate(e, &rt, range, ports, r);
	return 0;
}

static int port_exhaustion(struct lab *lab, const struct tw_params *p, struct tw_result *r)
{
	struct exhaust e = { .lab = lab, .family = p->family, .lfd = -1 };
	struct endpoint any = { .family = p->family, .port = PORT };	/* both addresses */
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

	err = per_destination(&e, r);
	if (!err)
		err = after_reuse(&e, r);
	/*
	 * Filling the whole default range costs tens of CPU seconds near its
	 * end; the search is the same code for both families, so it runs once.
	 */
	if (!err && p->family == AF_INET)
		err = sustained_rate(&e, p, r);
	close(e.lfd);
	if (err && r->outcome != R_ERROR)
		tw_error(r, err, "port exhaustion");
	return err;
}

TW_CASE(port_exhaustion,
	.summary = "when connect() runs out of ports, per destination, and the sustainable rate",
	.claims = "A05 A05r",
	.time_limit_s = 90);
