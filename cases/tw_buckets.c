// SPDX-License-Identifier: GPL-2.0
/*
 * A14: tcp_max_tw_buckets caps the TIME_WAIT sockets of a namespace
 * (K10).  inet_twsk_alloc() returns NULL once the namespace's tw_refcount
 * - 1 has reached the cap; tcp_time_wait() then counts
 * LINUX_MIB_TCPTIMEWAITOVERFLOW and closes the socket at once, with no
 * TIME_WAIT (net/ipv4/inet_timewait_sock.c: inet_twsk_alloc();
 * net/ipv4/tcp_minisocks.c: tcp_time_wait()).  The cap and the count are
 * the namespace's own since 4.11, so the lab's client namespace is
 * measured alone.  The article adds that the kernel logs "TCP: time wait
 * bucket table overflow": 3.x kernels did, current ones print nothing
 * (K10).  The judge, with each kernel window, is cases/judges/tw_buckets.c.
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
#include "judges/tw_buckets.h"
#include "kmsg.h"
#include "conngroup.h"
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
	int err = conngroup_settle(sv, LAB_PAIR_HOSTS, family, PORT, SETTLE_MS);

	for (int h = 0; h < LAB_PAIR_HOSTS && !err; h++)
		err = conngroup_count(&sv[h], family, TCPF_ALL & ~TCPF(TCP_LISTEN), PORT, o->left[h]);
	return err;
}

static unsigned int total(const unsigned int *counts)
{
	unsigned int n = 0;

	for (int s = 0; s < TCP_NSTATES; s++)
		n += counts[s];
	return n;
}

/* What was counted, as the judge (cases/judges/tw_buckets.c) reads it. */
static void figure(const struct lab *lab, const struct overflow *o, struct tw_buckets_fig *f)
{
	*f = (struct tw_buckets_fig){
		.version = lab->kernel->version, .cap = o->cap, .conns = o->conns,
		.tw_client = o->left[LAB_CLIENT][TCP_TIME_WAIT],
		.left_client = total(o->left[LAB_CLIENT]),
		.left_server = total(o->left[LAB_SERVER]),
		.overflow = o->ctr1 - o->ctr0,
		.log_err = o->kmsg_fd < 0 ? o->kmsg_fd : 0, .log = o->log,
	};
}

static int tw_buckets(struct lab *lab, const struct tw_params *p, struct tw_result *r)
{
	struct sockview sv[LAB_PAIR_HOSTS] = { 0 };
	const struct netns *client = &lab->host[LAB_CLIENT].ns;
	struct overflow o = { .kmsg_fd = -1 };
	struct tw_buckets_fig fig;
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

	err = conngroup_close(lab, p->family, PORT, o.conns, LAB_CLIENT, NULL, NULL);
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
	figure(lab, &o, &fig);
	tw_buckets_judge(&fig, r);
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
