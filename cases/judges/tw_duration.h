/* SPDX-License-Identifier: GPL-2.0 */
/* What tw_duration measures, and its judge: see cases/tw_duration.c. */
#ifndef TWLAB_JUDGE_TW_DURATION_H
#define TWLAB_JUDGE_TW_DURATION_H

#include "case.h"

#define TW_DURATION_NCONN	24

struct tw_duration_fig {
	unsigned int hz;
	unsigned int fin_timeout_s;	/* the instance's tcp_fin_timeout */
	unsigned int rto_us;		/* the orphan's tcpi_rto just before its close() */
	unsigned int ack_rtt_us;	/* close() to FIN_WAIT2 seen: bounds the RTT sample
					 * the ACK of the FIN (delayed by the peer) gives */
	unsigned int armed_ms;		/* the FIN_WAIT2 timer as armed: idiag_expires at
					 * entry plus the time since (evidence) */
	struct tw_sample tw[TW_DURATION_NCONN];	/* ms from entry to gone */
	struct tw_sample orphan;	/* ms from FIN_WAIT2 entry to gone */
};

void tw_duration_judge(const struct tw_duration_fig *f, struct tw_result *r);
/* A lifetime's sample from its entry and end brackets, ns; on the kernel's clock (judge). */
struct tw_sample tw_lifetime_sample(int64_t t0, int64_t t_in, int64_t seen, int64_t gone,
				    int64_t lag, int64_t lag_err);
/* The most the RTO can be when FIN_WAIT2 is entered, us (judge). */
unsigned int tw_fin_wait2_rto_max_us(unsigned int hz, unsigned int rto_us,
				     unsigned int ack_rtt_us);

#endif
