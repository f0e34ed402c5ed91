/* SPDX-License-Identifier: GPL-2.0 */
/* What tw_buckets measures, and its judge: see cases/tw_buckets.c. */
#ifndef TWLAB_JUDGE_TW_BUCKETS_H
#define TWLAB_JUDGE_TW_BUCKETS_H

#include <stdbool.h>
#include <stdint.h>

#include "case.h"
#include "kernel.h"
#include "kmsg.h"

struct tw_buckets_fig {
	unsigned int version;		/* KV() of the kernel */
	int cap;			/* tcp_max_tw_buckets of the client's namespace */
	int conns;			/* connections closed client first, one after another */
	unsigned int tw_client;		/* TIME_WAIT sockets on the port at the client, after */
	unsigned int left_client;	/* sockets on the port at the client, any state */
	unsigned int left_server;	/* the same at the server */
	uint64_t overflow;		/* rise of the client's TcpExt TCPTimeWaitOverflow */
	int log_err;			/* 0, or -errno: /dev/kmsg could not be read */
	struct kmsg_scan log;		/* records written machine-wide meanwhile */
};

void tw_buckets_judge(const struct tw_buckets_fig *f, struct tw_result *r);

#endif
