/* SPDX-License-Identifier: GPL-2.0 */
/* What active_closer measures, and its judge: see cases/active_closer.c. */
#ifndef TWLAB_JUDGE_ACTIVE_CLOSER_H
#define TWLAB_JUDGE_ACTIVE_CLOSER_H

#include <stdint.h>

#include "case.h"

/* The orderly ways of closing: by the end that closes first. */
enum ac_way { AC_CLIENT_FIRST, AC_SERVER_FIRST, AC_NWAYS };

struct active_closer_fig {
	/* TIME_WAIT sockets on the 4-tuple per host, after each way settled */
	unsigned int tw[AC_NWAYS][LAB_PAIR_HOSTS];
	unsigned int linger_tw[LAB_PAIR_HOSTS];	/* the same after SO_LINGER {1, 0} */
	uint64_t linger_rsts;			/* the client's Tcp OutRsts rise on that close() */
	int linger_read;			/* the server's read() then: 0 EOF, or -errno */
};

void active_closer_judge(const struct active_closer_fig *f, struct tw_result *r);

#endif
