// SPDX-License-Identifier: GPL-2.0
/*
 * A14: tcp_max_tw_buckets caps the TIME_WAIT sockets of a namespace, and
 * the kernel logs "TCP: time wait bucket table overflow" past the cap.
 * K10, with each kernel window, in cases/judges/tw_buckets.c: past the
 * cap a close skips TIME_WAIT and is only counted; the cap and the count
 * are the namespace's own since 4.11, so the lab's client namespace is
 * measured alone; 3.x kernels logged the line, current ones do not.
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
#include <unistd.h>

#include "case.h"
#include "conngroup.h"
#include "judges/tw_buckets.h"
#include "kmsg.h"
#include "netstat.h"

#define PORT		8300
#define EXCESS		20
#define MAX_CONN	20000	/* inside the default ephemeral range, 28232 ports */
#define OVERFLOW_LOG	"bucket table overflow"

TW_CASE(tw_buckets,
	.summary = "tcp_max_tw_buckets: the cap, TCPTimeWaitOverflow, and the log line",
	.claims = "A14",
	.vary = { { "tcp_max_tw_buckets", { "8", "32" } } },
	.views = HOST(LAB_CLIENT) | HOST(LAB_SERVER),
	.time_limit_s = 30);

static int tw_buckets(struct lab *lab, const struct tw_params *p, struct tw_result *r)
{
	const struct netns *client = &lab->host[LAB_CLIENT].ns;
	struct tw_buckets_fig f = { .version = lab->kernel->version };
	uint64_t ctr0, ctr1;
	unsigned int cap;
	int kfd, err;

	err = lab_sysctl_uint(lab, LAB_CLIENT, "tcp_max_tw_buckets", &cap);
	if (!err && cap > MAX_CONN - EXCESS)
		err = -ERANGE;
	if (err)
		return tw_error(r, err, "tcp_max_tw_buckets of the client host (at most %d here)",
				MAX_CONN - EXCESS);
	f.cap = cap;
	f.conns = cap + EXCESS;
	err = netstat_read(client, "TcpExt", "TCPTimeWaitOverflow", &ctr0);
	kfd = kmsg_open(true);
	f.log_err = kfd < 0 ? kfd : 0;
	err = err ?: conngroup_close(lab, p->family, PORT, f.conns, LAB_CLIENT, NULL, NULL) ?:
	      conngroup_left(p->fx->sv, p->family, PORT, f.tw, f.left) ?:
	      netstat_read(client, "TcpExt", "TCPTimeWaitOverflow", &ctr1) ?:
	      (kfd >= 0 ? kmsg_scan(kfd, OVERFLOW_LOG, &f.log) : 0);
	if (kfd >= 0)
		close(kfd);
	if (err)
		return tw_error(r, err, "closing %d connections at a cap of %d", f.conns, f.cap);
	f.overflow = ctr1 - ctr0;
	tw_buckets_judge(&f, r);
	return 0;
}
