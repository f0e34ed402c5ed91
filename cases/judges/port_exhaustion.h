/* SPDX-License-Identifier: GPL-2.0 */
/* What port_exhaustion measures, and its judge: see cases/port_exhaustion.c. */
#ifndef TWLAB_JUDGE_PORT_EXHAUSTION_H
#define TWLAB_JUDGE_PORT_EXHAUSTION_H

#include "case.h"

#define PORT_EXHAUSTION_NPORTS	64	/* even: __inet_hash_connect() rounds the count down to even */

struct port_exhaustion_fig {
	unsigned int hz;
	int one_dest;			/* connect()s to one address before EADDRNOTAVAIL */
	int other_dest;			/* then to a second address, the same ports */
	int reopened;			/* then, tcp_tw_reuse=1 and past the threshold, to the first */
	/*
	 * The rate the default range sustains, from how long the kernel held
	 * each port of the narrowed range in TIME_WAIT: entry to the first
	 * connect() that got it back, each bracketed.  @nhold = 0: not measured.
	 */
	int default_ports;		/* ports in the kernel's default ip_local_port_range */
	long tw_buckets;		/* tcp_max_tw_buckets */
	int nhold;
	struct tw_sample hold[PORT_EXHAUSTION_NPORTS];	/* ms */
};

void port_exhaustion_judge(const struct port_exhaustion_fig *f, struct tw_result *r);

#endif
