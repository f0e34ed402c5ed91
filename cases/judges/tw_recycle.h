/* SPDX-License-Identifier: GPL-2.0 */
/* What tw_recycle measures, and its judge: see cases/tw_recycle.c. */
#ifndef TWLAB_JUDGE_TW_RECYCLE_H
#define TWLAB_JUDGE_TW_RECYCLE_H

#include "case.h"
#include "kernel.h"

struct tw_recycle_fig {
	unsigned int version;		/* KV() of the kernel */
	unsigned int timestamps;	/* tcp_timestamps of the NATed clients */
	bool lab_has;			/* tcp_tw_recycle in the lab's client namespace */
	bool home_has;			/* ... in the namespace twlab started in */
	int nconn;			/* connections through the NAT, both clients */
	int nsyn;			/* their SYNs in the two clients' captures */
	int older;			/* SYNs whose TSval is older, by more than TCP_PAWS_WINDOW,
					 * than the newest the clients sent from behind the NAT before */
	int distinct;			/* offsets from the clock, at least this many */
};

void tw_recycle_judge(const struct tw_recycle_fig *f, struct tw_result *r);

#endif
