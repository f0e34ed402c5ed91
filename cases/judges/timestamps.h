/* SPDX-License-Identifier: GPL-2.0 */
/* What timestamps measures, and its judge: see cases/timestamps.c. */
#ifndef TWLAB_JUDGE_TIMESTAMPS_H
#define TWLAB_JUDGE_TIMESTAMPS_H

#include "case.h"

#define TIMESTAMPS_NCONN	20	/* connections made */
#define TIMESTAMPS_NLATER	(4 * TIMESTAMPS_NCONN)

struct timestamps_fig {
	unsigned int timestamps;	/* tcp_timestamps of the client host */
	int nsyn;			/* their SYNs in the capture */
	uint8_t syn_len[TIMESTAMPS_NCONN];	/* the TS option's length byte in each: 0 where none */
	int nlater;			/* the client's later segments in the capture */
	/* bytes the option takes in each, alignment included: 0 where none */
	uint8_t later_fill[TIMESTAMPS_NLATER];
};

void timestamps_judge(const struct timestamps_fig *f, struct tw_result *r);

#endif
