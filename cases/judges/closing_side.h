/* SPDX-License-Identifier: GPL-2.0 */
/* What closing_side measures, and its judge: see cases/closing_side.c. */
#ifndef TWLAB_JUDGE_CLOSING_SIDE_H
#define TWLAB_JUDGE_CLOSING_SIDE_H

#include "case.h"

/* The three ways the exchanges are made, in the order the case runs them. */
enum cs_pattern { CS_CLIENT_CLOSES, CS_SERVER_CLOSES, CS_KEEP_ALIVE, CS_NPATTERNS };

struct cs_counted {
	int conns;			/* connections made */
	int exchanges;			/* request/response pairs on each */
	int first;			/* LAB_CLIENT or LAB_SERVER: the end that closed first */
	uint16_t port;			/* the server port that tells them apart */
	unsigned int tw[LAB_PAIR_HOSTS];	/* TIME_WAIT on @port per host, settled */
};

struct closing_side_fig {
	struct cs_counted p[CS_NPATTERNS];
};

void closing_side_judge(const struct closing_side_fig *f, struct tw_result *r);

#endif
