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
#include <netinet/tcp.h>
#include <stdlib.h>

#include "capture.h"
#include "case.h"
#include "conn.h"
#include "judges/timestamps.h"

#define PORT		9400
#define NCONN		TIMESTAMPS_NCONN

TW_CASE(timestamps,
	.summary = "the timestamp option's length on the wire, in SYNs and after",
	.claims = "A10",
	.listen = { LISTEN(PORT) },
	.needs = NEED_CAPTURE,
	.time_limit_s = 30);

/* The option's bytes in @s, alignment included (in a SYN: its length byte); 0 where none. */
static uint8_t option_bytes(const struct tcp_segment *s, bool syn)
{
	if (s->ts_offset < 0 || s->ts_kind != TCPOPT_TIMESTAMP)
		return 0;
	return syn ? s->ts_len : s->ts_offset + s->ts_len;
}

/* The option in what the client sent on @t, from the capture on its link; to the judge. */
static int judge_capture(struct capture *cap, const struct tuple *t, struct timestamps_fig *f,
			 struct tw_result *r)
{
	const struct tcp_segment *syn[NCONN];
	struct tcp_segment *segs;
	int n = capture_snapshot(cap, CAPTURE_SYNC_MS, &segs);

	if (n < 0)
		return tw_error(r, n, "the capture on the client's link");
	segment_syns(segs, segs + n, t, NCONN, syn);
	for (int i = 0; i < NCONN; i++)
		if (syn[i])
			f->syn_len[f->nsyn++] = option_bytes(syn[i], true);
	for (int k = 0; k < n && f->nlater < TIMESTAMPS_NLATER; k++)
		if (!(segs[k].flags & TH_SYN) && segment_on_any(&segs[k], t, NCONN))
			f->later_fill[f->nlater++] = option_bytes(&segs[k], false);
	free(segs);
	timestamps_judge(f, r);
	return 0;
}

static int timestamps(struct lab *lab, const struct tw_params *p, struct tw_result *r)
{
	struct timestamps_fig f = { 0 };
	struct tuple t[NCONN];
	int cfd, sfd, err;

	err = lab_sysctl_uint(lab, LAB_CLIENT, "tcp_timestamps", &f.timestamps);
	if (err)
		return tw_error(r, err, "tcp_timestamps of the client");
	for (int i = 0; i < NCONN && !err; i++) {
		err = conn_pair(lab, LAB_CLIENT, NULL, p->fx->lfd[0], &p->fx->listen[0], &cfd, &sfd);
		if (!err)
			err = tuple_of_socket(cfd, &t[i]) ?: conn_close_orderly(cfd, sfd, NULL);
	}
	if (err)
		return tw_error(r, err, "%d connections, closed client first", NCONN);
	return judge_capture(p->fx->capture[LAB_CLIENT], t, &f, r);
}
