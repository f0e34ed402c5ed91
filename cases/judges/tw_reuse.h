/* SPDX-License-Identifier: GPL-2.0 */
/* What tw_reuse measures, and its judge: see cases/tw_reuse.c. */
#ifndef TWLAB_JUDGE_TW_REUSE_H
#define TWLAB_JUDGE_TW_REUSE_H

#include "case.h"
#include "kernel.h"

#define TW_REUSE_NTW	10

enum { TW_REUSE_VETH, TW_REUSE_LOOPBACK, TW_REUSE_NPATH };

/*
 * One TIME_WAIT, probed by connect() until taken over.  All times are
 * CLOCK_MONOTONIC in ms, the clock tcp_clock_ms() reads (ktime_get_ns()):
 * our FIN left at @fin_ms, the client read the server's FIN, so was in
 * TIME_WAIT, by @entry_ms; the kernel's entry stamp lies in between.
 * The last refused connect() began at @refused_ms (@fin_ms if none was);
 * the one that took the 4-tuple over had returned by @taken_ms (NAN if
 * none did).
 */
struct tw_reuse_tw {
	double fin_ms, entry_ms;
	double refused_ms, taken_ms;
};

struct tw_reuse_path {
	int probes;		/* connect()s made */
	double max_age_ms;	/* the oldest TIME_WAIT a probe met */
	int n;
	struct tw_reuse_tw tw[TW_REUSE_NTW];
};

struct tw_reuse_fig {
	unsigned int version;	/* KV() of the kernel */
	unsigned int hz;
	int reuse;		/* the instance's tcp_tw_reuse */
	int timestamps;		/* the instance's tcp_timestamps */
	unsigned int delay_ms;	/* tcp_tw_reuse_delay; 0 where the kernel has none */
	struct tw_reuse_path path[TW_REUSE_NPATH];
	int incoming;		/* SYN onto the server's TIME_WAIT: 1 connected, 0 not, -1 not run */
	int reuse_default;	/* tcp_tw_reuse in a new namespace; -1 where not judged */
};

/*
 * The latest, in ms after its entry, a TIME_WAIT with timestamps can be
 * taken over on this kernel (K08): for a case that waits until then.
 */
double tw_reuse_latest_ms(unsigned int version, unsigned int hz, unsigned int delay_ms);

void tw_reuse_judge(const struct tw_reuse_fig *f, struct tw_result *r);

#endif
