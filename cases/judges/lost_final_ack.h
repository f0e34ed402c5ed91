/* SPDX-License-Identifier: GPL-2.0 */
/* What lost_final_ack measures, and its judge: see cases/lost_final_ack.c. */
#ifndef TWLAB_JUDGE_LOST_FINAL_ACK_H
#define TWLAB_JUDGE_LOST_FINAL_ACK_H

#include "case.h"

struct lost_final_ack_fig {
	unsigned int hz;
	unsigned int rto_us;		/* the server end's tcpi_rto just before its close() */
	/*
	 * sock_diag polls after the server's close(): @last_ack_seen 1 if one
	 * saw its end in LAST_ACK, 0 if none did; @last_ack_late if the last
	 * of them came after the ACK that may legitimately end it.
	 */
	int last_ack_seen;
	bool last_ack_late;
	/*
	 * The capture: both server FINs (same seq) and what followed; with
	 * the first alone, @fin_gap_ms is how long it was watched for the
	 * second, which never came.
	 */
	bool fin1_seen, fins_seen;
	double fin_gap_ms;		/* capture timestamps, first FIN to its retransmission */
	bool fin_ts;			/* both FINs carry TSval (a 1 ms clock since 4.13) */
	int fin_ts_gap;			/* TSval of the second less that of the first */
	int loss_probes;		/* the server's TCPLossProbes meanwhile, -1 unread */
	int answers;			/* client ACKs after the second FIN acking its end */
	double answer_ms;		/* the first of them, after the second FIN */
	/*
	 * The client's TIME_WAIT read right after the server's end was gone:
	 * @tw_age TCP_TIMEWAIT_LEN less idiag_expires; the read happened
	 * @since_fin2[0..1] ms after the second FIN (@fin_gap_ms more after
	 * the first).
	 */
	bool tw_read;
	double tw_age_ms;
	double since_fin2[2];
	/* the TIME_WAIT's end: ms from the second FIN to the first dump without it */
	bool tw_gone;
	struct tw_sample lifetime;
};

void lost_final_ack_judge(const struct lost_final_ack_fig *f, struct tw_result *r);

#endif
