/* SPDX-License-Identifier: GPL-2.0 */
/* What tw_buckets measures, and its judge: see cases/tw_buckets.c. */
#ifndef TWLAB_JUDGE_TW_BUCKETS_H
#define TWLAB_JUDGE_TW_BUCKETS_H

#include "case.h"
#include "kernel.h"
#include "kmsg.h"

struct tw_buckets_fig {
	unsigned int version;		/* KV() of the kernel */
	int cap;			/* tcp_max_tw_buckets of the client's namespace */
	int conns;			/* connections closed client first, one after another */
	unsigned int tw[LAB_PAIR_HOSTS];	/* TIME_WAIT sockets on the port per host, after */
	unsigned int left[LAB_PAIR_HOSTS];	/* sockets on the port per host, any state */
	uint64_t overflow;		/* rise of the client's TcpExt TCPTimeWaitOverflow */
	int log_err;			/* 0, or -errno: /dev/kmsg could not be read */
	struct kmsg_scan log;		/* records written machine-wide meanwhile */
};

void tw_buckets_judge(const struct tw_buckets_fig *f, struct tw_result *r);

#endif
