/* SPDX-License-Identifier: GPL-2.0 */
/*
 * TCP connections between lab hosts, made the way an application makes
 * them: plain blocking sockets, each call bounded by a timeout.
 */
#ifndef TWLAB_CONN_H
#define TWLAB_CONN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "inet.h"

struct lab;

#define CONN_TIMEOUT_MS	5000

int conn_listen(const struct lab *lab, int host, const struct endpoint *ep);
/* From @src (port 0: the kernel picks one), or any address when NULL. */
int conn_connect(const struct lab *lab, int host, const struct endpoint *src,
		 const struct endpoint *dst);
/* A socket bound to @src, with SO_REUSEADDR if @reuseaddr; or -errno. */
int conn_bound(const struct lab *lab, int host, const struct endpoint *src, bool reuseaddr);
int conn_connect_fd(int fd, const struct endpoint *dst);
/*
 * connect() whose ephemeral search may pick @port only: IP_LOCAL_PORT_RANGE
 * (conn_port_range()), or before 6.3 @host's ip_local_port_range, which
 * then stays at @port for the host's later connect()s.
 */
int conn_connect_port(const struct lab *lab, int host, uint16_t port,
		      const struct endpoint *dst);
int conn_accept(int lfd, int timeout_ms);
/* connect() then accept(): *@cfd is the client's end, *@sfd the server's. */
int conn_pair(const struct lab *lab, int host, const struct endpoint *src,
	      int lfd, const struct endpoint *dst, int *cfd, int *sfd);
/* The same, from @port as conn_connect_port() picks it. */
int conn_pair_port(const struct lab *lab, int host, uint16_t port,
		   int lfd, const struct endpoint *dst, int *cfd, int *sfd);
/*
 * Exactly @len bytes, each call retried on EINTR: 0, -ETIMEDOUT when a
 * read or write waited SO_RCVTIMEO/SO_SNDTIMEO (CONN_TIMEOUT_MS), -EPIPE at
 * end of stream, or -errno.
 */
int conn_read_full(int fd, void *buf, size_t len);
int conn_write_full(int fd, const void *buf, size_t len);
/*
 * @from writes @len bytes of @msg, @to reads them all and they must match
 * (-EPROTO if not): one message across a connection.
 */
int conn_send_recv(int from, int to, const void *msg, size_t len);
/* 0 at end of stream, -ECONNRESET and kin as read() says, -ETIMEDOUT. */
int conn_wait_eof(int fd, int timeout_ms);
/*
 * An orderly close, @first_fd first: the other end closes once it has
 * read EOF, which sends the FIN that puts @first_fd's side in TIME_WAIT
 * (K02).  *@t_entry (may be NULL) is taken just before that last close.
 * Both fds are closed whatever happens.
 */
int conn_close_orderly(int first_fd, int second_fd, int64_t *t_entry);
/*
 * The same, but @first_fd shuts down and keeps its descriptor until it
 * reads the peer's FIN: tcp_fin() has moved it into TIME_WAIT by then.
 * Each time may be NULL: *@t_fin just before its FIN, *@t_peer just
 * before the peer's close (the entry is after it), *@t_entry once the
 * peer's FIN was read (the entry is before it).
 */
int conn_close_seen(int first_fd, int second_fd, int64_t *t_fin, int64_t *t_peer,
		    int64_t *t_entry);
int conn_linger_abort(int fd);
/* Narrow the ephemeral search of @fd to [@lo, @hi] (IP_LOCAL_PORT_RANGE, 6.3+). */
int conn_port_range(int fd, uint16_t lo, uint16_t hi);
int conn_rto_us(int fd, unsigned int *rto_us);
struct tcp_info;
/* getsockopt(TCP_INFO): tcp_get_info(), the figures ss and sock_diag show too. */
int conn_tcp_info(int fd, struct tcp_info *ti);

#endif
