// SPDX-License-Identifier: GPL-2.0
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "inet.h"

socklen_t endpoint_to_sockaddr(const struct endpoint *ep, struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (ep->family == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)ss;

		sin->sin_family = AF_INET;
		sin->sin_addr = ep->addr.v4;
		sin->sin_port = htons(ep->port);
		return sizeof(*sin);
	} else {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;

		sin6->sin6_family = AF_INET6;
		sin6->sin6_addr = ep->addr.v6;
		sin6->sin6_port = htons(ep->port);
		return sizeof(*sin6);
	}
}

int endpoint_from_sockaddr(struct endpoint *ep, const struct sockaddr *sa)
{
	memset(ep, 0, sizeof(*ep));
	ep->family = sa->sa_family;
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *sin = (const struct sockaddr_in *)sa;

		ep->addr.v4 = sin->sin_addr;
		ep->port = ntohs(sin->sin_port);
	} else if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)sa;

		ep->addr.v6 = sin6->sin6_addr;
		ep->port = ntohs(sin6->sin6_port);
	} else {
		return -EAFNOSUPPORT;
	}
	return 0;
}

bool addr_eq(int family, const union inet_addr *a, const union inet_addr *b)
{
	if (family == AF_INET)
		return a->v4.s_addr == b->v4.s_addr;
	return !memcmp(&a->v6, &b->v6, sizeof(a->v6));
}

bool endpoint_eq(const struct endpoint *a, const struct endpoint *b)
{
	return a->family == b->family && a->port == b->port &&
	       addr_eq(a->family, &a->addr, &b->addr);
}

void endpoint_loopback(int family, uint16_t port, struct endpoint *ep)
{
	*ep = (struct endpoint){ .family = family, .port = port };
	if (family == AF_INET)
		ep->addr.v4.s_addr = htonl(INADDR_LOOPBACK);
	else
		ep->addr.v6 = in6addr_loopback;
}

char *addr_fmt(int family, const union inet_addr *a, char *buf, size_t len)
{
	if (!inet_ntop(family, a, buf, len))
		snprintf(buf, len, "?");
	return buf;
}

char *endpoint_fmt(const struct endpoint *ep, char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN];

	addr_fmt(ep->family, &ep->addr, a, sizeof(a));
	snprintf(buf, len, ep->family == AF_INET6 ? "[%s]:%u" : "%s:%u", a, ep->port);
	return buf;
}

char *tuple_fmt(const struct tuple *t, char *buf, size_t len)
{
	char s[ENDPOINT_STRLEN], d[ENDPOINT_STRLEN];

	snprintf(buf, len, "%s -> %s", endpoint_fmt(&t->src, s, sizeof(s)),
		 endpoint_fmt(&t->dst, d, sizeof(d)));
	return buf;
}

int tuple_of_socket(int fd, struct tuple *t)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	int err;

	if (getsockname(fd, (struct sockaddr *)&ss, &len) < 0)
		return -errno;
	err = endpoint_from_sockaddr(&t->src, (struct sockaddr *)&ss);
	if (err)
		return err;
	len = sizeof(ss);
	if (getpeername(fd, (struct sockaddr *)&ss, &len) < 0)
		return -errno;
	return endpoint_from_sockaddr(&t->dst, (struct sockaddr *)&ss);
}

void tuple_reverse(const struct tuple *t, struct tuple *rev)
{
	struct endpoint tmp = t->src;

	rev->src = t->dst;
	rev->dst = tmp;
}

bool tuple_eq(const struct tuple *a, const struct tuple *b)
{
	return endpoint_eq(&a->src, &b->src) && endpoint_eq(&a->dst, &b->dst);
}

const char *family_name(int family)
{
	return family == AF_INET ? "ipv4" : family == AF_INET6 ? "ipv6" : "?";
}
