// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <sys/socket.h>
#include <unistd.h>

#include "netns.h"
#include "rawsock.h"

/*
 * A socket belongs to the namespace it was made in for the rest of its
 * life: enter @ns just for socket(), as lab_socket() does (which has no
 * protocol argument, and protocol 0 is refused for SOCK_RAW).
 */
int rawsock_open(const struct netns *ns, int family)
{
	struct netns saved = NETNS_INIT;
	int fd, err;

	err = netns_enter(ns, &saved);
	if (err)
		return err;
	fd = socket(family, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_RAW);
	if (fd < 0)
		err = -errno;
	if (netns_leave(&saved) && !err) {
		close(fd);
		return -EIO;
	}
	return err ? err : fd;
}

/* The port must be 0: rawv6_sendmsg() reads a nonzero sin6_port as a protocol. */
int rawsock_send(int fd, const uint8_t *pkt, size_t len, const struct endpoint *dst)
{
	struct endpoint to = *dst;
	struct sockaddr_storage ss;
	socklen_t sl;
	ssize_t n;

	to.port = 0;
	sl = endpoint_to_sockaddr(&to, &ss);
	n = sendto(fd, pkt, len, 0, (struct sockaddr *)&ss, sl);
	if (n < 0)
		return -errno;
	return (size_t)n == len ? 0 : -EIO;
}
