// SPDX-License-Identifier: GPL-2.0
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <sys/stat.h>
#include <unistd.h>

#include "netns.h"

static int netns_open(const char *path, struct netns *ns)
{
	struct stat st;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0) {
		int err = -errno;

		close(fd);
		return err;
	}
	ns->fd = fd;
	ns->ino = st.st_ino;
	return 0;
}

int netns_current(struct netns *ns)
{
	return netns_open("/proc/thread-self/ns/net", ns);
}

/*
 * unshare() moves the calling thread into the new namespace; we pin it by
 * fd and step straight back, so the caller never notices the detour.
 */
int netns_new(struct netns *ns)
{
	struct netns home = NETNS_INIT;
	int err;

	err = netns_current(&home);
	if (err)
		return err;
	if (unshare(CLONE_NEWNET) < 0) {
		err = -errno;
		goto out;
	}
	err = netns_current(ns);
	if (setns(home.fd, CLONE_NEWNET) < 0 && !err) {
		err = -errno;
		netns_close(ns);
	}
out:
	netns_close(&home);
	return err;
}

void netns_close(struct netns *ns)
{
	if (ns->fd >= 0)
		close(ns->fd);
	ns->fd = -1;
	ns->ino = 0;
}

bool netns_same(const struct netns *a, const struct netns *b)
{
	return a->ino == b->ino;
}

int netns_enter(const struct netns *ns, struct netns *saved)
{
	int err;

	err = netns_current(saved);
	if (err)
		return err;
	if (setns(ns->fd, CLONE_NEWNET) < 0) {
		err = -errno;
		netns_close(saved);
	}
	return err;
}

int netns_leave(struct netns *saved)
{
	int err = 0;

	if (setns(saved->fd, CLONE_NEWNET) < 0)
		err = -errno;
	netns_close(saved);
	return err;
}
