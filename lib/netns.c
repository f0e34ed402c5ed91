// SPDX-License-Identifier: GPL-2.0
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <sys/socket.h>
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
 * Made from inside @parent where one is given: a new namespace takes some
 * of its sizing from the one it is made in (tcp_child_ehash_entries,
 * net/ipv4/tcp_ipv4.c: tcp_set_hashinfo()).
 */
int netns_new_from(const struct netns *parent, struct netns *ns)
{
	struct netns home = NETNS_INIT;
	int err;

	err = netns_current(&home);
	if (err)
		return err;
	if (parent && setns(parent->fd, CLONE_NEWNET) < 0) {
		err = -errno;
		goto out;
	}
	if (unshare(CLONE_NEWNET) < 0)
		err = -errno;
	else
		err = netns_current(ns);
	if (setns(home.fd, CLONE_NEWNET) < 0 && !err) {
		err = -errno;
		netns_close(ns);
	}
out:
	netns_close(&home);
	return err;
}

int netns_new(struct netns *ns)
{
	return netns_new_from(NULL, ns);
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

/* Run @make inside @ns and come back; an fd made there is ours to use. */
static int netns_make(const struct netns *ns, int (*make)(const void *arg), const void *arg)
{
	struct netns saved = NETNS_INIT;
	int fd, err;

	err = netns_enter(ns, &saved);
	if (err)
		return err;
	fd = make(arg);
	if (netns_leave(&saved)) {
		if (fd >= 0)
			close(fd);
		return -EIO;
	}
	return fd;
}

struct socket_args {
	int domain, type, protocol;
};

static int make_socket(const void *arg)
{
	const struct socket_args *a = arg;
	int fd = socket(a->domain, a->type | SOCK_CLOEXEC, a->protocol);

	return fd < 0 ? -errno : fd;
}

int netns_socket(const struct netns *ns, int domain, int type, int protocol)
{
	struct socket_args a = { domain, type, protocol };

	return netns_make(ns, make_socket, &a);
}

struct open_args {
	const char *path;
	int flags;
};

static int make_open(const void *arg)
{
	const struct open_args *a = arg;
	int fd = open(a->path, a->flags | O_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

int netns_open_file(const struct netns *ns, const char *path, int flags)
{
	struct open_args a = { path, flags };

	return netns_make(ns, make_open, &a);
}

int netns_leave(struct netns *saved)
{
	int err = 0;

	if (setns(saved->fd, CLONE_NEWNET) < 0)
		err = -errno;
	netns_close(saved);
	return err;
}
