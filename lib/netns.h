/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Anonymous network namespaces, held only by file descriptors.
 *
 * A lab host is a namespace made by unshare(CLONE_NEWNET) and pinned by
 * an fd on /proc/thread-self/ns/net: it is never bind-mounted, so it has
 * no name anywhere in the filesystem and the kernel frees it, with every
 * link, route, nft table and socket in it, once the last fd and the last
 * socket go away: on exit, on a crash and on SIGKILL alike.
 */
#ifndef TWLAB_NETNS_H
#define TWLAB_NETNS_H

#include <stdbool.h>
#include <sys/types.h>

struct netns {
	int fd;
	ino_t ino;	/* nsfs inode: the namespace's identity */
};

#define NETNS_INIT { .fd = -1, .ino = 0 }

int netns_current(struct netns *ns);
int netns_new(struct netns *ns);
/* The same, made from inside @parent (NULL: here). */
int netns_new_from(const struct netns *parent, struct netns *ns);
void netns_close(struct netns *ns);
bool netns_same(const struct netns *a, const struct netns *b);

/*
 * Move the calling thread into @ns, saving where it was in @saved, and
 * back again.  Anything created in between (sockets, /proc/sys opens)
 * belongs to @ns for the rest of its life.
 */
int netns_enter(const struct netns *ns, struct netns *saved);
int netns_leave(struct netns *saved);

/*
 * A socket, or an open /proc file, made while inside @ns: it belongs to
 * @ns for the rest of its life (sockets), or shows @ns's view (/proc/net,
 * /proc/sys/net).  The fd, or -errno.
 */
int netns_socket(const struct netns *ns, int domain, int type, int protocol);
int netns_open_file(const struct netns *ns, const char *path, int flags);

#endif
