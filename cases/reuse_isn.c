// SPDX-License-Identifier: GPL-2.0
/*
 * A12: a connection that takes over a TIME_WAIT 4-tuple starts its
 * sequence numbers at the old connection's snd_nxt + 65535 + 2.
 *
 * tcp_twsk_unique() sets the new socket's write_seq to tw_snd_nxt + 65535
 * + 2 (1 if that wraps to 0) instead of drawing a fresh ISN from
 * secure_tcp_seq() (K05, K06): the new sequence space starts past
 * anything the old connection can still have in flight.
 *
 * Method (tcp_tw_reuse=1, timestamps on): the client sends DATA_BYTES
 * and closes first, so its port sits in TIME_WAIT; once the reuse delay
 * has passed, connect() again from that port only.  From the capture on
 * the lab link: the old connection's FIN (its snd_nxt is the FIN's
 * sequence number + 1) and the new SYN's sequence number.  A fresh
 * connection from another port shows what an ISN looks like otherwise.
 */
#include <errno.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "capture.h"
#include "case.h"
#include "clock.h"
#include "conn.h"
#include "expect.h"

#define PORT		9300
#define DATA_BYTES	1000
#define SYNC_MS		2000
#define MAX_SEGS	256

struct isn {
	struct lab *lab;
	const struct tw_params *p;
	struct endpoint dst;
	int lfd;
	uint16_t port;
	struct tuple old;	/* the client's view of the first connection */
	int64_t entry;
};

/* Connect from @port only, accept, and hand back both ends. */
static int pair_from_port(struct isn *x, uint16_t port, int *cfd, int *sfd)
{
	*cfd = conn_connect_port(x->lab, LAB_CLIENT, port, &x->dst);
	if (*cfd < 0)
		return *cfd;
	*sfd = conn_accept(x->lfd, CONN_TIMEOUT_MS);
	if (*sfd < 0) {
		close(*cfd);
		return *sfd;
	}
	return 0;
}

/* The first connection: some data, then the client closes first. */
static int first_connection(struct isn *x)
{
	char buf[DATA_BYTES] = { 0 };
	int cfd, sfd, err;

	err = pair_from_port(x, x->port, &cfd, &sfd);
	if (err)
		return err;
	err = tuple_of_socket(cfd, &x->old);
	if (!err && write(cfd, buf, sizeof(buf)) != sizeof(buf))
		err = -EIO;
	return conn_close_orderly(cfd, sfd, &x->entry) ?: err;
}

static int reuse_isn(struct lab *lab, const struct tw_params *p, struct tw_result *r)
{
	struct isn x = { .lab = lab, .p = p, .lfd = -1 };
	const struct tcp_segment *fin, *syn, *fresh_syn;
	struct tcp_segment *segs = NULL;
	unsigned int delay_ms = 0;
	uint32_t want;
	double lo_ms, hi_ms;
	struct tw_verdict *v;
	struct tuple fresh;
	char val[32];
	int cfd, sfd, n, err;

	err = lab_sysctl_set(lab, LAB_CLIENT, "tcp_tw_reuse", "1");
	if (!err)
		err = lab_sysctl_get(lab, LAB_CLIENT, "ip_local_port_range", val, sizeof(val));
	if (err)
		return tw_error(r, err, "sysctls");
	x.port = atoi(val);	/* IP_LOCAL_PORT_RANGE can only narrow the range */
	if (!lab_sysctl_get(lab, LAB_CLIENT, "tcp_tw_reuse_delay", val, sizeof(val)))
		delay_ms = atoi(val);
	lab_endpoint(lab, LAB_SERVER, 0, p->family, PORT, &x.dst);
	x.lfd = conn_listen(lab, LAB_SERVER, &x.dst);
	if (x.lfd < 0)
		return tw_error(r, x.lfd, "listen");

	err = first_connection(&x);
	if (err)
		goto out;
	/* not a measurement: past K08's threshold, so connect() takes the 4-tuple */
	expect_reuse_window(delay_ms, &lo_ms, &hi_ms);
	sleep_until_ns(x.entry + (int64_t)(hi_ms + 100) * NSEC_PER_MSEC);
	err = pair_from_port(&x, x.port, &cfd, &sfd);
	if (!err)
		err = conn_close_orderly(cfd, sfd, NULL);
	if (!err)	/* and one fresh connection, for comparison */
		err = pair_from_port(&x, x.port + 1, &cfd, &sfd);
	if (!err) {
		err = tuple_of_socket(cfd, &fresh);
		err = conn_close_orderly(cfd, sfd, NULL) ?: err;
	}
	if (!err)
		err = capture_sync(p->capture, SYNC_MS);
	segs = calloc(MAX_SEGS, sizeof(*segs));
	if (!err && !segs)
		err = -ENOMEM;
	if (err)
		goto out;
	n = capture_segments(p->capture, segs, MAX_SEGS);
	if (n > MAX_SEGS)
		n = MAX_SEGS;

	/* the old connection's first FIN, then the next SYN on the same 4-tuple */
	fin = segment_find(segs, segs + n, &x.old, TH_FIN, 0);
	syn = segment_find(fin, segs + n, &x.old, TH_SYN, TH_ACK);
	fresh_syn = segment_find(segs, segs + n, &fresh, TH_SYN, TH_ACK);
	if (!fin || !syn || !fresh_syn) {
		err = tw_error(r, -ENOENT, "the capture lacks the old FIN or the new SYN");
		goto out;
	}
	want = fin->seq + 1 + 65535 + 2;	/* wraps as u32 does */
	if (!want)
		want = 1;

	v = tw_verdict_add(r, "A12", "K05", syn->seq == want ? V_CONFIRMED : V_REFUTED,
			   "ISN of a connection that took over a TIME_WAIT 4-tuple");
	tw_verdict_figure(v, syn->seq, want, want, "");
	tw_evidence(v, "old snd_nxt %u (its FIN %u + 1, after %d bytes): new SYN %u = snd_nxt + "
		    "%d; its TSecr %u is the old peer's last TSval (ts_recent inherited), where "
		    "a fresh SYN (ISN %u from secure_tcp_seq()) has TSecr %u", fin->seq + 1,
		    fin->seq, DATA_BYTES, syn->seq, (int)(syn->seq - (fin->seq + 1)), syn->tsecr,
		    fresh_syn->seq, fresh_syn->tsecr);
	if (syn->seq != want)
		tw_fail(r, "the reusing SYN carried %u, expected snd_nxt + 65537 = %u",
			syn->seq, want);
out:
	free(segs);
	close(x.lfd);
	if (err && r->outcome != R_ERROR)
		tw_error(r, err, "reuse ISN");
	return err;
}

TW_CASE(reuse_isn,
	.summary = "the sequence number a reusing connection starts at, from the capture",
	.claims = "A12",
	.needs = NEED_CAPTURE,
	.time_limit_s = 30);
