/* SPDX-License-Identifier: GPL-2.0 */
#ifndef TWLAB_CLOCK_H
#define TWLAB_CLOCK_H

#include <errno.h>
#include <stdint.h>
#include <time.h>

#define NSEC_PER_MSEC	1000000LL
#define NSEC_PER_SEC	1000000000LL

static inline int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * NSEC_PER_SEC + ts.tv_nsec;
}

static inline double ns_to_ms(int64_t ns)
{
	return (double)ns / NSEC_PER_MSEC;
}

/*
 * How much slower than a bare machine this one runs: the run's
 * --time-scale, for an emulated (TCG) or loaded machine.  Every bound on
 * how long a step of the observer may take -- an accept(), a helper
 * process, a socket settling, a turn at the quiet lock -- is multiplied
 * by it; no window the kernel sets is.  1 unless the runner sets it.
 */
extern int clock_guard_scale;

static inline int guard_ms(int ms)
{
	return clock_guard_scale > 1 ? ms * clock_guard_scale : ms;
}

/* Sleep until @when on CLOCK_MONOTONIC, through signals. */
static inline void sleep_until_ns(int64_t when)
{
	struct timespec ts = {
		.tv_sec = when / NSEC_PER_SEC,
		.tv_nsec = when % NSEC_PER_SEC,
	};

	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
		;
}

#endif
