/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The observer's own latency is part of every timing window (wait.c): a
 * poller that a busy machine keeps off the CPU for 200 ms widens its
 * sample's uncertainty by as much, and turns a verdict inconclusive.
 * While it waits on the kernel, the poller runs SCHED_FIFO at the lowest
 * real-time priority, so that no task of the normal class delays its
 * wake-up; it sleeps between polls, so it holds a CPU only for a dump,
 * and the kernel's RT throttling (sched_rt_runtime_us) bounds even that.
 * Best effort: where the policy is refused (a container without
 * CAP_SYS_NICE) the windows stay as wide as measured, and say so.
 */
#ifndef TWLAB_RTPRIO_H
#define TWLAB_RTPRIO_H

#include <sched.h>
#include <stdbool.h>

struct rt_saved {
	int policy;
	struct sched_param param;
	bool changed;
};

void rt_begin(struct rt_saved *s);
void rt_end(const struct rt_saved *s);

#endif
