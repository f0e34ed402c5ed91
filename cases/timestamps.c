// SPDX-License-Identifier: GPL-2.0
/*
 * A10: "the timestamp option takes 8 bytes in all, TSval and TSecr 4
 * bytes each".  K14: kind 8, length 10, 12 with the NOPs that align it.
 * The judge: cases/judges/timestamps.c.
 *
 * Method, at the client's tcp_timestamps:
 *   1. NCONN connections from the client to the server, each closed
 *      client first;
 *   2. from the runner's capture on the client's link: the TS option's
 *      length byte in each connection's SYN, as on the wire, and the bytes
 *      the option takes (its offset among the options plus its length) in
 *      every later segment the client sent.
 */
#include <errno.h>
#include <netinet/tcp.h>
#include <stdlib.h>
#include <unistd.h>

#include "capture.h"
#include "case.h"
#include "conn.h"
#include "judges/timestamps.h"
#include "sysctl.h"

#define PORT		9400
#define NCONN		TIMESTAMPS_NCONN
#define SYNC_MS		2000

static int connect_all(struct lab *lab, int family, struct tuple *t)
{
	struct endpoint server;
	int lfd, cfd, sfd, err = 0;

	lab_endpoint(lab, LAB_SERVER, 0, family, PORT, &server);
	lfd = conn_listen(lab, LAB_SERVER, &server);
	if (lfd < 0)
		return lfd;
	for (int i = 0; i < NCONN && !err; i++) {
		err = conn_pair(lab, LAB_CLIENT, NULL, lfd, &server, &cfd, &sfd);
		if (err)
			break;
		err = tuple_of_socket(cfd, &t[i]) ?: conn_close_orderly(cfd, sfd, NULL);
	}
	close(lfd);
	return err;
}

/* The option's bytes in @s, alignment included: 0 where it has none. */
static uint8_t option_bytes(const struct tcp_segment *s, bool syn)
{
	if (s->ts_offset < 0 || s->ts_kind != TCPOPT_TIMESTAMP)
		return 0;
	return syn ? s->ts_len : s->ts_offset + s->ts_len;
}

static bool ours(const struct tcp_segment *s, const struct tuple *t)
{
	for (int i = 0; i < NCONN; i++)
		if (tuple_eq(&s->t, &t[i]))
			return true;
	return false;
}

static void read_capture(const struct tcp_segment *segs, int n, const struct tuple *t,
			 struct timestamps_fig *f)
{
	for (int i = 0; i < NCONN; i++) {
		const struct tcp_segment *syn = segment_find(segs, segs + n, &t[i], TH_SYN, TH_ACK);

		if (syn)
			f->syn_len[f->nsyn++] = option_bytes(syn, true);
	}
	for (int k = 0; k < n && f->nlater < TIMESTAMPS_NLATER; k++)
		if (!(segs[k].flags & TH_SYN) && ours(&segs[k], t))
			f->later_fill[f->nlater++] = option_bytes(&segs[k], false);
}

static int timestamps(struct lab *lab, const struct tw_params *p, struct tw_result *r)
{
	struct timestamps_fig f = { .nconn = NCONN };
	struct tcp_segment *segs = NULL;
	struct tuple t[NCONN];
	long ts;
	int n, err;

	if (!p->fx->capture[LAB_CLIENT])
		return tw_error(r, -ENODEV, "no capture on the client's link");
	err = sysctl_read_long(&lab->host[LAB_CLIENT].ns, "tcp_timestamps", &ts);
	if (err)
		return tw_error(r, err, "tcp_timestamps of the client");
	f.timestamps = ts;
	err = connect_all(lab, p->family, t);
	if (err)
		return tw_error(r, err, "%d connections, closed client first", NCONN);
	n = capture_snapshot(p->fx->capture[LAB_CLIENT], SYNC_MS, &segs);
	if (n < 0)
		return tw_error(r, n, "the capture on the client's link");
	read_capture(segs, n, t, &f);
	free(segs);
	timestamps_judge(&f, r);
	return 0;
}

TW_CASE(timestamps,
	.summary = "the timestamp option's length on the wire, in SYNs and after",
	.claims = "A10",
	.needs = NEED_CAPTURE,
	.time_limit_s = 30);
