// SPDX-License-Identifier: GPL-2.0
/*
 * A14: tcp_max_tw_buckets caps the TIME_WAIT sockets of a namespace
 * (K10).  inet_twsk_alloc() returns NULL once the namespace's tw_refcount
 * - 1 has reached the cap; tcp_time_wait() then counts
 * LINUX_MIB_TCPTIMEWAITOVERFLOW and closes the socket at once, with no
 * TIME_WAIT (net/ipv4/inet_timewait_sock.c: inet_twsk_alloc();
 * net/ipv4/tcp_minisocks.c: tcp_time_wait()).  The article adds that the
 * kernel logs "TCP: time wait bucket table overflow": 3.x kernels did,
 * with net_info_ratelimited(); current ones print nothing (K10).
 *
 * One allocation per connection either way: an orphan that closed first
 * is handed to tcp_time_wait() already in FIN_WAIT2 when tcp_fin_time()
 * is no longer than TCP_TIMEWAIT_LEN, and the later FIN turns that
 * timewait socket to TIME_WAIT without a second one; otherwise the FIN
 * calls tcp_time_wait() once, in TIME_WAIT.
 *
 * Method, at the instance's tcp_max_tw_buckets = K, read back from the
 * client host, where the TIME_WAIT sockets are:
 *   1. note TcpExt TCPTimeWaitOverflow of the client host, and where the
 *      kernel log ends;
 *   2. M = K + EXCESS connections, one after another, each closed by the
 *      client first, so that each would enter TIME_WAIT at the client (A01);
 *   3. a bounded settle, until neither host has a socket on the server
 *      port in a transient state.
 * Observe: the TIME_WAIT sockets at the client, every socket left on the
 * server port at either host, the counter's rise, and the log records
 * written since step 1 that mention the overflow.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "case.h"
#include "kmsg.h"
#include "many.h"
#include "netstat.h"
#include "sockview.h"

#define PORT		8300
#define EXCESS		20
#define MAX_CONN	20000	/* inside the default ephemeral range, 28232 ports */
#define SETTLE_MS	3000
#define OVERFLOW_LOG	"bucket table overflow"

struct overflow {
	int cap, conns;
	uint64_t ctr0, ctr1;		/* TCPTimeWaitOverflow of the client host */
	unsigned int left[LAB_PAIR_HOSTS][TCP_NSTATES];	/* on PORT, after */
	int kmsg_fd;			/* -errno when the log cannot be read */
	struct kmsg_scan log;
};

static int read_cap(struct lab *lab, int *cap)
{
	char val[32], *end;
	long k;
	int err;

	err = lab_sysctl_get(lab, LAB_CLIENT, "tcp_max_tw_buckets", val, sizeof(val));
	if (err)
		return err;
	k = strtol(val, &end, 10);
	if (end == val || k < 0 || k + EXCESS > MAX_CONN)
		return -ERANGE;
	*cap = k;
	return 0;
}

/* Until neither host has a socket on PORT in a transient state; then count. */
static int count_left(struct sockview *sv, int family, struct overflow *o)
{
	int err = many_settle(sv, LAB_PAIR_HOSTS, family, PORT, SETTLE_MS);

	for (int h = 0; h < LAB_PAIR_HOSTS && !err; h++)
		err = many_count(&sv[h], family, TCPF_ALL & ~TCPF(TCP_LISTEN), PORT, o->left[h]);
	return err;
}

static unsigned int total(const unsigned int *counts)
{
	unsigned int n = 0;

	for (int s = 0; s < TCP_NSTATES; s++)
		n += counts[s];
	return n;
}

static void judge_cap(struct tw_result *r, const struct overflow *o)
{
	unsigned int tw = o->left[LAB_CLIENT][TCP_TIME_WAIT];
	struct tw_verdict *v;
	char what[96];

	snprintf(what, sizeof(what), "TIME_WAIT sockets at the client, tcp_max_tw_buckets=%d",
		 o->cap);
	v = tw_verdict_add(r, "A14", "K10", tw == (unsigned int)o->cap ? V_CONFIRMED : V_REFUTED,
			   what);
	tw_verdict_figure(v, tw, o->cap, o->cap, "sockets");
	tw_evidence(v, "%d connections closed client first, one after another; "
		    "inet_twsk_alloc() gave %u of them a timewait socket", o->conns, tw);
	if (tw != (unsigned int)o->cap)
		tw_fail(r, "%u TIME_WAIT sockets at the client, the cap is %d", tw, o->cap);
}

static void judge_counter(struct tw_result *r, const struct overflow *o)
{
	uint64_t rise = o->ctr1 - o->ctr0;
	int want = o->conns - o->cap;
	struct tw_verdict *v;

	v = tw_verdict_add(r, "A14", "K10", rise == (uint64_t)want ? V_CONFIRMED : V_REFUTED,
			   "TcpExt TCPTimeWaitOverflow rise at the client");
	tw_verdict_figure(v, rise, want, want, "closes");
	tw_evidence(v, "%llu -> %llu over %d closes at a cap of %d: one per close that found "
		    "the cap reached", (unsigned long long)o->ctr0,
		    (unsigned long long)o->ctr1, o->conns, o->cap);
	if (rise != (uint64_t)want)
		tw_fail(r, "TCPTimeWaitOverflow rose by %llu, expected %d",
			(unsigned long long)rise, want);
}

/* The closes past the cap skip TIME_WAIT and leave no socket at all. */
static void judge_left(struct tw_result *r, const struct overflow *o)
{
	unsigned int client = total(o->left[LAB_CLIENT]), server = total(o->left[LAB_SERVER]);
	struct tw_verdict *v;

	v = tw_verdict_add(r, "A14", "K10", client + server == (unsigned int)o->cap ?
			   V_CONFIRMED : V_REFUTED, "sockets left on the server port, both hosts");
	tw_verdict_figure(v, client + server, o->cap, o->cap, "sockets");
	tw_evidence(v, "client %u (%u TIME-WAIT), server %u: the %d closes past the cap were "
		    "closed at once (tcp_time_wait() -> tcp_done())", client,
		    o->left[LAB_CLIENT][TCP_TIME_WAIT], server, o->conns - o->cap);
	if (client + server != (unsigned int)o->cap)
		tw_fail(r, "%u sockets left on :%u by %d connections, expected %d",
			client + server, PORT, o->conns, o->cap);
}

/* K10: no current kernel prints the line; 3.x did (net_info_ratelimited()). */
static void judge_log(struct tw_result *r, const struct overflow *o)
{
	struct tw_verdict *v;

	if (o->kmsg_fd < 0 || (o->log.lost && !o->log.matches)) {
		v = tw_verdict_add(r, "A14", "K10", V_NA,
				   "kernel log \"time wait bucket table overflow\"");
		if (o->kmsg_fd < 0)
			tw_evidence(v, "/dev/kmsg cannot be read: %s", strerror(-o->kmsg_fd));
		else
			tw_evidence(v, "records written during the experiment were overwritten "
				    "before they could be read");
		return;
	}
	v = tw_verdict_add(r, "A14", "K10", o->log.matches ? V_CONFIRMED : V_REFUTED,
			   "kernel log \"time wait bucket table overflow\"");
	tw_verdict_figure(v, o->log.matches, 0, 0, "lines");
	if (o->log.matches)
		tw_evidence(v, "%u of %u new records, first: \"%s\"", o->log.matches,
			    o->log.records, o->log.match);
	else
		tw_evidence(v, "none of the %u records written machine-wide during the "
			    "%d overflows mentions it: tcp_time_wait() only counts", o->log.records,
			    o->conns - o->cap);
	if (o->log.matches)
		tw_fail(r, "the kernel logged \"%s\", which K10 says it no longer does",
			o->log.match);
}

static int tw_buckets(struct lab *lab, const struct tw_params *p, struct tw_result *r)
{
	struct sockview sv[LAB_PAIR_HOSTS] = { 0 };
	const struct netns *client = &lab->host[LAB_CLIENT].ns;
	struct overflow o = { .kmsg_fd = -1 };
	int err;

	err = read_cap(lab, &o.cap);
	if (err) {
		tw_error(r, err, "tcp_max_tw_buckets of the client host (at most %d here)",
			 MAX_CONN - EXCESS);
		goto out;
	}
	o.conns = o.cap + EXCESS;
	err = lab_sockviews_open(lab, sv);
	if (!err)
		err = netstat_read(client, "TcpExt", "TCPTimeWaitOverflow", &o.ctr0);
	if (err) {
		tw_error(r, err, "sock_diag and TcpExt of the lab hosts");
		goto out;
	}
	o.kmsg_fd = kmsg_open(true);

	err = many_close(lab, p->family, PORT, o.conns, LAB_CLIENT, NULL, NULL);
	if (!err)
		err = count_left(sv, p->family, &o);
	if (!err)
		err = netstat_read(client, "TcpExt", "TCPTimeWaitOverflow", &o.ctr1);
	if (!err && o.kmsg_fd >= 0)
		err = kmsg_scan(o.kmsg_fd, OVERFLOW_LOG, &o.log);
	if (err) {
		tw_error(r, err, "closing %d connections at a cap of %d", o.conns, o.cap);
		goto out;
	}
	judge_cap(r, &o);
	judge_counter(r, &o);
	judge_left(r, &o);
	judge_log(r, &o);
out:
	if (o.kmsg_fd >= 0)
		close(o.kmsg_fd);
	lab_sockviews_close(sv);
	return err;
}

TW_CASE(tw_buckets,
	.summary = "tcp_max_tw_buckets: the cap, TCPTimeWaitOverflow, and the log line",
	.claims = "A14",
	.vary = { { "tcp_max_tw_buckets", { "8", "32" } } },
	.needs = NEED_SOCK_DIAG,
	.time_limit_s = 30);
