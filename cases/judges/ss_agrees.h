/* SPDX-License-Identifier: GPL-2.0 */
/* What ss_agrees measures, and its judge: see cases/ss_agrees.c. */
#ifndef TWLAB_JUDGE_SS_AGREES_H
#define TWLAB_JUDGE_SS_AGREES_H

#include <stdbool.h>
#include <stdint.h>

#include "case.h"
#include "ssout.h"

#define SS_AGREES_MAX_TW	32
#define SS_AGREES_MAX_KEYS	16

/* A TIME_WAIT socket as sock_diag listed it. */
struct ss_tw_seen {
	uint32_t expires_ms;		/* idiag_expires: time left on its timer */
	bool https;			/* on :443, what ss's port filter selects */
};

/* One TIME_WAIT socket's timer as both observers read it, in ms. */
struct ss_timer_pair {
	double sd;			/* sock_diag's idiag_expires */
	double ss;			/* what `ss -o` printed, truncated ... */
	double quantum;			/* ... to this resolution */
};

struct ss_agrees_fig {
	unsigned int hz;

	/* sock_diag's view of the server host, one dump */
	unsigned int have[TCP_NSTATES];
	int ntw;
	struct ss_tw_seen tw[SS_AGREES_MAX_TW];
	int naddr;			/* distinct peer addresses of the :443 connections */
	int nwant;			/* the peer one-liner's lines, worked out from it */
	struct ss_uniq want[SS_AGREES_MAX_KEYS];
	bool want_listen[SS_AGREES_MAX_KEYS];	/* that line is the listener's */

	/* ms from that dump to ss's reads: in [lo, hi], from clocks read around both */
	double between_lo, between_hi;		/* any of the ss commands */
	double timer_between_lo, timer_between_hi;	/* the `ss -o` one */

	/* ss's view: what the article's command lines printed */
	long wc;			/* `ss -tan state time-wait | wc -l` */
	long wc_h;			/* the same with -H */
	long port;			/* TIME-WAIT on :443 by ss's filter */
	unsigned int hist[TCP_NSTATES];	/* the awk histogram of `ss -ant` */
	int ngot;
	struct ss_uniq got[SS_AGREES_MAX_KEYS];	/* the peer one-liner's lines */
	int ntimer;
	struct ss_timer_pair timer[SS_AGREES_MAX_TW];
	int timer_unmatched;		/* ss timer lines of no socket sock_diag listed */
};

void ss_agrees_judge(const struct ss_agrees_fig *f, struct tw_result *r);

#endif
