/* SPDX-License-Identifier: GPL-2.0 */
/*
 * TCP connections between lab hosts, made the way an application makes
 * them: plain blocking sockets, each call bounded by a timeout.
 */
#ifndef TWLAB_CONN_H
#define TWLAB_CONN_H

#include "inet.h"

struct lab;

#define CONN_TIMEOUT_MS	5000

int conn_listen(const struct lab *lab, int host, const struct endpoint *ep);
/* From @src (port 0: the kernel picks one), or any address when NULL. */
int conn_connect(const struct lab *lab, int host, const struct endpoint *src,
		 const struct endpoint *dst);
int conn_accept(int lfd, int timeout_ms);
/* connect() then accept(): *@cfd is the client's end, *@sfd the server's. */
int conn_pair(const struct lab *lab, int host, const struct endpoint *src,
	      int lfd, const struct endpoint *dst, int *cfd, int *sfd);
/* 0 at end of stream, -ECONNRESET and kin as read() says, -ETIMEDOUT. */
int conn_wait_eof(int fd, int timeout_ms);
int conn_linger_abort(int fd);
int conn_rto_us(int fd, unsigned int *rto_us);

#endif
