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
#include "judges/reuse_isn.h"
#include "judges/tw_reuse.h"
#include "kernel.h"

#define PORT		9300
#define DATA_BYTES	1000
#define SYNC_MS		2000
#define MAX_SEGS	256
#define ENTRY_SLACK_MS	100	/* past our view of the entry, for the wait */

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
	err = conn_close_orderly(cfd, sfd, NULL) ?: err;
	x->entry = now_ns();	/* the client entered TIME_WAIT on the FIN sent by now */
	return err;
}

/* The old FIN, the next SYN on the same 4-tuple, and a fresh SYN, from the capture. */
static int read_capture(struct isn *x, const struct tuple *fresh, struct reuse_isn_fig *f)
{
	const struct tcp_segment *fin, *syn, *fresh_syn;
	struct tcp_segment *segs;
	int n, err;

	err = capture_sync(x->p->fx->capture[LAB_CLIENT], SYNC_MS);
	if (err)
		return err;
	segs = calloc(MAX_SEGS, sizeof(*segs));
	if (!segs)
		return -ENOMEM;
	n = capture_segments(x->p->fx->capture[LAB_CLIENT], segs, MAX_SEGS);
	if (n > MAX_SEGS)
		n = MAX_SEGS;
	fin = segment_find(segs, segs + n, &x->old, TH_FIN, 0);
	syn = segment_find(fin, segs + n, &x->old, TH_SYN, TH_ACK);
	fresh_syn = segment_find(segs, segs + n, fresh, TH_SYN, TH_ACK);
	f->seen = fin && syn && fresh_syn;
	if (f->seen) {
		f->old_fin = fin->seq;
		f->new_syn = syn->seq;
		f->fresh_syn = fresh_syn->seq;
	}
	free(segs);
	return 0;
}

static int reuse_isn(struct lab *lab, const struct tw_params *p, struct tw_result *r)
{
	struct isn x = { .lab = lab, .p = p, .lfd = -1 };
	struct reuse_isn_fig fig = { .data_bytes = DATA_BYTES };
	unsigned int delay_ms = 0;
	struct tuple fresh;
	double latest;
	char val[32];
	int cfd, sfd, err;

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
	/* not a measurement: past K08's latest threshold, so connect() takes the 4-tuple */
	latest = tw_reuse_latest_ms(lab->kernel->version, lab->kernel->hz, delay_ms);
	sleep_until_ns(x.entry + (int64_t)((latest + ENTRY_SLACK_MS) * NSEC_PER_MSEC));
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
		err = read_capture(&x, &fresh, &fig);
	if (!err)
		reuse_isn_judge(&fig, r);
out:
	close(x.lfd);
	if (err)
		tw_error(r, err, "reuse ISN");
	return err;
}

TW_CASE(reuse_isn,
	.summary = "the sequence number a reusing connection starts at, from the capture",
	.claims = "A12",
	.needs = NEED_CAPTURE,
	.time_limit_s = 30);
