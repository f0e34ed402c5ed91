// SPDX-License-Identifier: GPL-2.0
#include <sched.h>
#include <sys/prctl.h>

#include "rt.h"

#ifndef SCHED_RESET_ON_FORK
#define SCHED_RESET_ON_FORK	0x40000000	/* include/uapi/linux/sched.h */
#endif

/*
 * Each instance is a process of its own: the policy is its alone, and a
 * child it forks starts at SCHED_OTHER.  A caller must sleep between
 * probes: a FIFO task that spins starves ksoftirqd, and with it the
 * packets it waits for (RT throttling only bounds the damage).
 */
bool rt_begin(void)
{
	struct sched_param sp = { .sched_priority = 1 };

	prctl(PR_SET_TIMERSLACK, 1UL);
	return !sched_setscheduler(0, SCHED_FIFO | SCHED_RESET_ON_FORK, &sp);
}

void rt_end(bool rt)
{
	struct sched_param sp = { .sched_priority = 0 };

	if (rt)
		sched_setscheduler(0, SCHED_OTHER, &sp);
}
