// SPDX-License-Identifier: GPL-2.0
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "clock.h"
#include "conn.h"
#include "lab.h"

#ifndef IP_LOCAL_PORT_RANGE
#define IP_LOCAL_PORT_RANGE 51	/* include/uapi/linux/in.h, since 6.3 */
#endif

/* @fd when @err is 0; else @err, and @fd is closed: a socket made whole or not at all. */
static int fd_unless(int fd, int err)
{
	if (err)
		close(fd);
	return err ?: fd;
}

/* A v6 lab socket stays v6: no v4-mapped surprises in the tables. */
static int conn_socket(const struct lab *lab, int host, int family)
{
	struct timeval tv = { .tv_sec = guard_ms(CONN_TIMEOUT_MS) / 1000 };
	int one = 1, fd;

	fd = lab_socket(lab, host, family, SOCK_STREAM);
	if (fd < 0)
		return fd;
	return fd_unless(fd, (family == AF_INET6 &&
			      setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one)) < 0) ||
			     setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)) < 0 ||
			     setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) < 0 ?
			     -errno : 0);
}

static int bind_endpoint(int fd, const struct endpoint *ep)
{
	struct sockaddr_storage ss;
	socklen_t len = endpoint_to_sockaddr(ep, &ss);

	return bind(fd, (struct sockaddr *)&ss, len) < 0 ? -errno : 0;
}

int conn_listen(const struct lab *lab, int host, const struct endpoint *ep)
{
	int fd = conn_bound(lab, host, ep, true);

	if (fd < 0)
		return fd;
	return fd_unless(fd, listen(fd, SOMAXCONN) < 0 ? -errno : 0);
}

int conn_connect_fd(int fd, const struct endpoint *dst)
{
	struct sockaddr_storage ss;
	socklen_t len = endpoint_to_sockaddr(dst, &ss);

	return connect(fd, (struct sockaddr *)&ss, len) < 0 ? -errno : 0;
}

int conn_bound(const struct lab *lab, int host, const struct endpoint *src, bool reuseaddr)
{
	int one = 1, fd, err = 0;

	fd = conn_socket(lab, host, src->family);
	if (fd < 0)
		return fd;
	if (reuseaddr && setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0)
		err = -errno;
	if (!err)
		err = bind_endpoint(fd, src);
	return fd_unless(fd, err);
}

/* connect() from @src, or from the ports [@lo, @hi] when @hi is nonzero. */
static int connect_from(const struct lab *lab, int host, const struct endpoint *src,
			uint16_t lo, uint16_t hi, const struct endpoint *dst)
{
	int fd, err = 0;

	fd = src ? conn_bound(lab, host, src, false) : conn_socket(lab, host, dst->family);
	if (fd < 0)
		return fd;
	if (hi)
		err = conn_port_range(fd, lo, hi);
	if (!err)
		err = conn_connect_fd(fd, dst);
	return fd_unless(fd, err);
}

int conn_connect(const struct lab *lab, int host, const struct endpoint *src,
		 const struct endpoint *dst)
{
	return connect_from(lab, host, src, 0, 0, dst);
}

int conn_connect_port(const struct lab *lab, int host, uint16_t port,
		      const struct endpoint *dst)
{
	char range[32];
	int fd, err;

	fd = connect_from(lab, host, NULL, port, port, dst);
	if (fd != -ENOPROTOOPT)
		return fd;
	/*
	 * Before 6.3 there is no IP_LOCAL_PORT_RANGE: the host's own
	 * ip_local_port_range says it instead -- for its later connect()s too.
	 */
	snprintf(range, sizeof(range), "%u %u", port, port);
	err = lab_sysctl_set(lab, host, "ip_local_port_range", range);
	return err ? err : connect_from(lab, host, NULL, 0, 0, dst);
}

static int wait_readable(int fd, int timeout_ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	int n;

	do
		n = poll(&p, 1, timeout_ms);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	return n ? 0 : -ETIMEDOUT;
}

int conn_accept(int lfd, int timeout_ms)
{
	int err, fd;

	err = wait_readable(lfd, guard_ms(timeout_ms));
	if (err)
		return err;
	fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

/* @fd, a connect()ed socket or -errno, and its accept()ed end from @lfd. */
static int pair_accept(int fd, int lfd, int *cfd, int *sfd)
{
	*cfd = fd;
	if (*cfd < 0)
		return *cfd;
	*sfd = conn_accept(lfd, CONN_TIMEOUT_MS);
	if (*sfd < 0) {
		int err = *sfd;

		close(*cfd);
		return err;
	}
	return 0;
}

int conn_pair(const struct lab *lab, int host, const struct endpoint *src,
	      int lfd, const struct endpoint *dst, int *cfd, int *sfd)
{
	return pair_accept(conn_connect(lab, host, src, dst), lfd, cfd, sfd);
}

int conn_pair_port(const struct lab *lab, int host, uint16_t port,
		   int lfd, const struct endpoint *dst, int *cfd, int *sfd)
{
	return pair_accept(conn_connect_port(lab, host, port, dst), lfd, cfd, sfd);
}

int conn_wait_eof(int fd, int timeout_ms)
{
	char buf[256];
	ssize_t n;
	int err;

	for (;;) {
		err = wait_readable(fd, guard_ms(timeout_ms));
		if (err)
			return err;
		n = read(fd, buf, sizeof(buf));
		if (n == 0)
			return 0;
		if (n < 0 && errno != EINTR)
			return -errno;
	}
}

int conn_close_orderly(int first_fd, int second_fd, int64_t *t_entry)
{
	int err;

	close(first_fd);
	err = conn_wait_eof(second_fd, CONN_TIMEOUT_MS);
	if (t_entry)
		*t_entry = now_ns();
	close(second_fd);
	return err;
}

static void stamp(int64_t *t)
{
	if (t)
		*t = now_ns();
}

int conn_close_seen(int first_fd, int second_fd, int64_t *t_fin, int64_t *t_peer,
		    int64_t *t_entry)
{
	int err;

	stamp(t_fin);
	err = shutdown(first_fd, SHUT_WR) < 0 ? -errno : 0;
	err = err ?: conn_wait_eof(second_fd, CONN_TIMEOUT_MS);
	stamp(t_peer);
	close(second_fd);
	err = err ?: conn_wait_eof(first_fd, CONN_TIMEOUT_MS);
	stamp(t_entry);
	close(first_fd);
	return err;
}

/*
 * The port then still comes from the ephemeral search, __inet_hash_connect()
 * with a twp, so tcp_twsk_unique() applies tcp_tw_reuse (K06) -- unlike a
 * bind() to the port, which would bypass it.
 */
int conn_port_range(int fd, uint16_t lo, uint16_t hi)
{
	uint32_t range = lo | (uint32_t)hi << 16;

	return setsockopt(fd, IPPROTO_IP, IP_LOCAL_PORT_RANGE, &range, sizeof(range)) < 0 ?
	       -errno : 0;
}

/* SO_LINGER {1, 0}: close() sends RST instead of FIN (tcp_close()). */
int conn_linger_abort(int fd)
{
	struct linger l = { .l_onoff = 1, .l_linger = 0 };

	return setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof(l)) < 0 ? -errno : 0;
}

int conn_rto_us(int fd, unsigned int *rto_us)
{
	struct tcp_info ti;
	int err = conn_tcp_info(fd, &ti);

	if (!err)
		*rto_us = ti.tcpi_rto;
	return err;
}

/* One loop for both directions: a short count moves on, EINTR goes again. */
static int full_io(int fd, char *buf, size_t len, bool out)
{
	while (len) {
		ssize_t n = out ? write(fd, buf, len) : read(fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return errno == EAGAIN ? -ETIMEDOUT : -errno;
		if (n == 0)
			return -EPIPE;
		buf += n;
		len -= n;
	}
	return 0;
}

int conn_read_full(int fd, void *buf, size_t len)
{
	return full_io(fd, buf, len, false);
}

int conn_write_full(int fd, const void *buf, size_t len)
{
	return full_io(fd, (char *)buf, len, true);
}

int conn_send_recv(int from, int to, const void *msg, size_t len)
{
	char buf[256];
	int err;

	if (len > sizeof(buf))
		return -EMSGSIZE;
	err = conn_write_full(from, msg, len) ?: conn_read_full(to, buf, len);
	if (!err && memcmp(buf, msg, len))
		err = -EPROTO;
	return err;
}

int conn_tcp_info(int fd, struct tcp_info *ti)
{
	socklen_t len = sizeof(*ti);

	return getsockopt(fd, IPPROTO_TCP, TCP_INFO, ti, &len) < 0 ? -errno : 0;
}
