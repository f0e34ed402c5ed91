// SPDX-License-Identifier: GPL-2.0
#define _GNU_SOURCE
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "clock.h"
#include "netns.h"
#include "nsexec.h"
#include "proc.h"

/*
 * The helper is PID 1 of a PID namespace of its own.  PR_SET_PDEATHSIG
 * ties it to us, but is not inherited by the pipeline stages sh forks;
 * the PID namespace is what takes them along: when its PID 1 dies, the
 * kernel kills every process in it (zap_pid_ns_processes()).
 */
static pid_t fork_pid1(void)
{
	return syscall(SYS_clone, CLONE_NEWPID | SIGCHLD, NULL, NULL, NULL, NULL);
}

/*
 * Across a PID namespace getppid() says 0, so a parent that died before
 * prctl() shows as a hung-up lifeline: we hold its only write end.
 */
static bool parent_gone(int lifeline)
{
	struct pollfd p = { .fd = lifeline };

	return poll(&p, 1, 0) != 0;
}

/*
 * The tool is the observer's step, and a short one: on a loaded machine,
 * or beside an instance filling a port range, it would wait seconds for
 * its turn (a 10 s bound ran out for `ss -tan | wc -l` at load 40).  It
 * runs at nice -10 so that its answer comes in milliseconds; best effort.
 */
#define NSEXEC_NICE	-10

/*
 * stderr goes to /dev/null: ss without -t (the article's `ss -o state
 * time-wait`) asks every socket family and complains on stderr of those a
 * lab namespace does not answer for; KTAP on our stdout must stay clean.
 */
static void __attribute__((noreturn))
helper(const struct netns *ns, const char *cmd, int lifeline, int wfd)
{
	int null = open("/dev/null", O_WRONLY | O_CLOEXEC);

	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || parent_gone(lifeline) ||
	    setns(ns->fd, CLONE_NEWNET) < 0 || dup2(wfd, STDOUT_FILENO) < 0 ||
	    null < 0 || dup2(null, STDERR_FILENO) < 0)
		_exit(126);
	setpriority(PRIO_PROCESS, 0, NSEXEC_NICE);
	execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
	_exit(127);
}

int ns_run(const struct netns *ns, const char *cmd, char *out, size_t len, int timeout_ms)
{
	int64_t deadline = now_ns() + (int64_t)guard_ms(timeout_ms) * NSEC_PER_MSEC;
	int p[2], life[2] = { -1, -1 }, status, err = 0, werr;
	size_t got = 0;
	pid_t pid;

	if (pipe2(p, O_CLOEXEC) < 0)
		return -errno;
	if (pipe2(life, O_CLOEXEC) < 0) {
		err = -errno;
		goto fail;
	}
	fflush(NULL);
	pid = fork_pid1();
	if (pid < 0) {
		err = -errno;
		goto fail;
	}
	if (!pid) {
		close(life[1]);
		helper(ns, cmd, life[0], p[1]);
	}
	close(life[0]);
	close(p[1]);

	for (;;) {
		struct pollfd pfd = { .fd = p[0], .events = POLLIN };
		int64_t left = deadline - now_ns();
		char sink[512];
		ssize_t n;

		if (left <= 0) {
			err = -ETIMEDOUT;
			break;
		}
		if (poll(&pfd, 1, left / NSEC_PER_MSEC + 1) <= 0)
			continue;
		if (got < len - 1)
			n = read(p[0], out + got, len - 1 - got);
		else
			n = read(p[0], sink, sizeof(sink));	/* cut, but let it finish */
		if (n == 0)
			break;
		if (n < 0 && errno != EINTR) {
			err = -errno;
			break;
		}
		if (n > 0 && got < len - 1)
			got += n;
	}
	out[got] = '\0';
	close(p[0]);
	if (err)
		kill(pid, SIGKILL);	/* PID 1: the whole pipeline goes with it */
	werr = proc_wait(pid, &status);
	close(life[1]);
	if (err || werr)
		return err ?: werr;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -ECHILD;
fail:
	close(p[0]);
	close(p[1]);
	if (life[0] >= 0) {
		close(life[0]);
		close(life[1]);
	}
	return err;
}

int ns_run_ok(const struct netns *ns, const char *cmd, char *out, size_t len, int timeout_ms)
{
	int status = ns_run(ns, cmd, out, len, timeout_ms);

	return status > 0 ? -EIO : status;
}
