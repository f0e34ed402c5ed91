/* SPDX-License-Identifier: GPL-2.0 */
/* What tw_ehash measures, and its judge: see cases/tw_ehash.c. */
#ifndef TWLAB_JUDGE_TW_EHASH_H
#define TWLAB_JUDGE_TW_EHASH_H

#include "case.h"
#include "ehash.h"

struct tw_ehash_fig {
	struct ehash_size lab;		/* of the lab's client host */
	struct ehash_size home;		/* of the namespace that made the lab */
	struct ehash_boot boot;		/* the global ehash's boot line; entries 0 unseen */
	uint16_t port;			/* a TIME_WAIT socket's at the client, used twice: */
	unsigned int timestamps;	/* tcp_timestamps of the client host */
	int bind_err;			/* bind() to the port without SO_REUSEADDR */
	int connect_err;		/* connect() from the port to the same server */
	int tw_after, est_after;	/* what holds the 4-tuple afterwards: 1 or 0 */
};

void tw_ehash_judge(const struct tw_ehash_fig *f, struct tw_result *r);

#endif
