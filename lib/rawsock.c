// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <sys/socket.h>
#include <unistd.h>

#include "netns.h"
#include "rawsock.h"

/* IPPROTO_RAW: we write the IP header ourselves (protocol 0 is refused). */
int rawsock_open(const struct netns *ns, int family)
{
	return netns_socket(ns, family, SOCK_RAW, IPPROTO_RAW);
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
