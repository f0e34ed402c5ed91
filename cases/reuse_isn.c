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
#include <netinet/tcp.h>
#include <stdlib.h>

#include "capture.h"
#include "case.h"
#include "clock.h"
#include "conn.h"
#include "judges/reuse_isn.h"
#include "judges/tw_reuse.h"
#include "kernel.h"

#define PORT		9300
#define DATA_BYTES	1000
#define ENTRY_SLACK_MS	100	/* past our view of the entry, for the wait */

TW_CASE(reuse_isn,
	.summary = "the sequence number a reusing connection starts at, from the capture",
	.claims = "A12",
	.needs = NEED_CAPTURE,
	.listen = { LISTEN(PORT) },
	.time_limit_s = 30);

/*
 * A connection from @port only, closed client first, and its 4-tuple
 * (may be NULL), after @bytes of data from the client.
 */
static int connection(struct lab *lab, struct tw_fixture *fx, unsigned int port, size_t bytes,
		      struct tuple *t)
{
	static const char buf[DATA_BYTES];
	int cfd, sfd, err;

	err = conn_pair_port(lab, LAB_CLIENT, port, fx->lfd[0], &fx->listen[0], &cfd, &sfd);
	if (err)
		return err;
	err = t ? tuple_of_socket(cfd, t) : 0;
	err = err ?: conn_write_full(cfd, buf, bytes);
	return conn_close_orderly(cfd, sfd, NULL) ?: err;
}

/* The old FIN, the next SYN on the same 4-tuple, and a fresh SYN, from the capture. */
static int read_capture(struct capture *cap, const struct tuple *old, const struct tuple *fresh,
			struct reuse_isn_fig *f)
{
	const struct tcp_segment *fin, *syn, *fresh_syn;
	struct tcp_segment *segs;
	int n = capture_snapshot(cap, CAPTURE_SYNC_MS, &segs);

	if (n < 0)
		return n;
	fin = segment_find(segs, segs + n, old, TH_FIN, 0);
	syn = segment_find(fin, segs + n, old, TH_SYN, TH_ACK);
	fresh_syn = segment_find(segs, segs + n, fresh, TH_SYN, TH_ACK);
	if (fin && syn && fresh_syn)
		*f = (struct reuse_isn_fig){ .seen = true, .data_bytes = DATA_BYTES,
			.old_fin = fin->seq, .new_syn = syn->seq, .fresh_syn = fresh_syn->seq };
	free(segs);
	return 0;
}

static int reuse_isn(struct lab *lab, const struct tw_params *p, struct tw_result *r)
{
	struct reuse_isn_fig fig = { .data_bytes = DATA_BYTES };
	unsigned int port, delay_ms = 0;
	struct tuple old, fresh;
	double latest;
	int err;

	/* IP_LOCAL_PORT_RANGE can only narrow the range: the ports come from its bottom */
	err = lab_sysctl_set(lab, LAB_CLIENT, "tcp_tw_reuse", "1") ?:
	      lab_sysctl_uint(lab, LAB_CLIENT, "ip_local_port_range", &port);
	if (err)
		return tw_error(r, err, "sysctls");
	lab_sysctl_uint(lab, LAB_CLIENT, "tcp_tw_reuse_delay", &delay_ms);
	latest = tw_reuse_latest_ms(lab->kernel->version, lab->kernel->hz, delay_ms);
	/* the first connection: some data, then the client closes first */
	err = connection(lab, p->fx, port, DATA_BYTES, &old);
	/* in TIME_WAIT by now; not a measurement: past K08's latest, connect() takes it */
	if (!err)
		sleep_until_ns(now_ns() + (int64_t)((latest + ENTRY_SLACK_MS) * NSEC_PER_MSEC));
	/* then the reusing connection, and one fresh connection, for comparison */
	err = err ?: connection(lab, p->fx, port, 0, NULL) ?:
	      connection(lab, p->fx, port + 1, 0, &fresh) ?:
	      read_capture(p->fx->capture[LAB_CLIENT], &old, &fresh, &fig);
	if (!err)
		reuse_isn_judge(&fig, r);
	return err;	/* the runner names the case */
}
