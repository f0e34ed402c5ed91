// SPDX-License-Identifier: GPL-2.0
/* The run's one quiet lock (case.h: tw_quiet_begin()). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/file.h>
#include <unistd.h>

#include "case.h"
#include "clock.h"

/*
 * flock() on an open file description of our own, made from the run's
 * memfd: the kernel drops the lock when its last fd closes, so a killed
 * instance cannot keep it.
 */
int tw_quiet_begin(const struct tw_params *p, int timeout_ms)
{
	int64_t deadline = now_ns() + (int64_t)guard_ms(timeout_ms) * NSEC_PER_MSEC;
	char path[64];
	int fd;

	snprintf(path, sizeof(path), "/proc/self/fd/%d", p->quiet);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	while (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		int err = errno == EWOULDBLOCK ? -ETIMEDOUT : -errno;

		if (err != -ETIMEDOUT || now_ns() >= deadline) {
			close(fd);
			return err;
		}
		sleep_until_ns(now_ns() + 10 * NSEC_PER_MSEC);
	}
	return fd;
}

void tw_quiet_end(int token)
{
	if (token >= 0)
		close(token);
}
