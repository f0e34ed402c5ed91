/* SPDX-License-Identifier: GPL-2.0 */
/* What rto measures, and its judge: see cases/rto.c. */
#ifndef TWLAB_JUDGE_RTO_H
#define TWLAB_JUDGE_RTO_H

#include <stdbool.h>
#include <stdint.h>

#include "case.h"
#include "kernel.h"

#define RTO_NDELAYS	3	/* one-way delays of 10, 50 and 200 ms */

/* One reading of the client's RTO, three ways, and what the formula takes. */
struct rto_reading {
	unsigned int delay_ms;		/* added one-way delay */
	uint32_t tcpi_rto_us;		/* getsockopt(TCP_INFO) */
	uint32_t diag_rto_us;		/* sock_diag INET_DIAG_INFO */
	double ss_rto_ms;		/* `ss -ti` prints it */
	uint32_t rtt_us, rttvar_us;	/* tcpi_rtt, tcpi_rttvar of the same TCP_INFO */
	int exchanges;			/* how many it took to settle */
	bool unsettled;			/* RTT spikes kept it from settling in time */
};

struct rto_fig {
	unsigned int hz;
	unsigned int version;		/* KV() of the kernel */
	unsigned int rto_min_us;	/* tcp_rto_min_us (6.11+), else TCP_RTO_MIN = HZ/5 */
	bool rto_max_sysctl;		/* tcp_rto_max_ms exists (6.15+) ... */
	unsigned int rto_max_ms;	/* ... and its value in the client's namespace */
	struct rto_reading base;	/* no added delay */
	int ndelayed;
	struct rto_reading delayed[RTO_NDELAYS];
	/*
	 * The cap, read: a connection whose route sets a locked rto_min of
	 * @max_route_ms, far above any cap, so that tcp_bound_rto() clamps its
	 * RTO after the first RTT sample.  @max_read false if it could not be.
	 */
	bool max_read;
	unsigned int max_route_ms;
	uint32_t max_rto_us;
};

void rto_judge(const struct rto_fig *f, struct tw_result *r);
/* The RTO that tcp_set_rto() sets from @rd's tcpi_rtt and tcpi_rttvar, in ms. */
double rto_formula_ms(const struct rto_fig *f, const struct rto_reading *rd);

#endif
