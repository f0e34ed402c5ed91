/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Addresses and TCP 4-tuples, one representation for both families.
 */
#ifndef TWLAB_INET_H
#define TWLAB_INET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>
#include <sys/socket.h>

union inet_addr {
	struct in_addr v4;
	struct in6_addr v6;
};

struct endpoint {
	int family;
	union inet_addr addr;
	uint16_t port;		/* host order */
};

struct tuple {
	struct endpoint src;	/* the local end, as seen by its owner */
	struct endpoint dst;
};

#define INET_ADDRSTRLEN_MAX INET6_ADDRSTRLEN
#define ENDPOINT_STRLEN (INET6_ADDRSTRLEN + 9)	/* "[" addr "]:" port */
#define TUPLE_STRLEN (2 * ENDPOINT_STRLEN + 8)

socklen_t endpoint_to_sockaddr(const struct endpoint *ep, struct sockaddr_storage *ss);
int endpoint_from_sockaddr(struct endpoint *ep, const struct sockaddr *sa);
bool endpoint_eq(const struct endpoint *a, const struct endpoint *b);
/* 127.0.0.1 or ::1, port @port. */
void endpoint_loopback(int family, uint16_t port, struct endpoint *ep);
bool addr_eq(int family, const union inet_addr *a, const union inet_addr *b);
char *addr_fmt(int family, const union inet_addr *a, char *buf, size_t len);
char *endpoint_fmt(const struct endpoint *ep, char *buf, size_t len);
char *tuple_fmt(const struct tuple *t, char *buf, size_t len);

int tuple_of_socket(int fd, struct tuple *t);
void tuple_reverse(const struct tuple *t, struct tuple *rev);
bool tuple_eq(const struct tuple *a, const struct tuple *b);

const char *family_name(int family);	/* "ipv4", "ipv6" */

/* The bytes of an address of @family in a union inet_addr: 4 or 16. */
static inline size_t inet_addr_len(int family)
{
	return family == AF_INET ? sizeof(struct in_addr) : sizeof(struct in6_addr);
}

#endif
