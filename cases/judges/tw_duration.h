/* SPDX-License-Identifier: GPL-2.0 */
/* What tw_duration measures, and its judge: see cases/tw_duration.c. */
#ifndef TWLAB_JUDGE_TW_DURATION_H
#define TWLAB_JUDGE_TW_DURATION_H

#include "case.h"
#include "kernel.h"

#define TW_DURATION_NCONN	24

struct tw_duration_fig {
	unsigned int hz;
	unsigned int version;		/* KV() of the kernel */
	unsigned int fin_timeout_s;	/* the instance's tcp_fin_timeout */
	unsigned int rto_us;		/* the orphan's RTO, for tcp_fin_time() */
	int n;				/* TIME_WAIT lifetimes in @tw */
	struct tw_sample tw[TW_DURATION_NCONN];	/* ms from entry to gone */
	struct tw_sample orphan;	/* ms from FIN_WAIT2 entry to gone */
};

void tw_duration_judge(const struct tw_duration_fig *f, struct tw_result *r);

#endif
