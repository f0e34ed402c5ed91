// SPDX-License-Identifier: GPL-2.0
/*
 * A06: TIME_WAIT sockets sit in the established hash (ehash); a separate
 * bind hash holds the bound ports.  Since 6.1 a namespace may have an
 * ehash of its own (K12).  The judge: cases/judges/tw_ehash.c.
 *
 * Method:
 *   1. tcp_ehash_entries and tcp_child_ehash_entries of the lab's client
 *      host, and of the namespace twlab started in, which made the lab and
 *      whose child setting chose the lab's table (tcp_set_hashinfo()); the
 *      boot log's ehash line, the global table's size;
 *   2. one TIME_WAIT socket on a port bound with SO_REUSEADDR; then a
 *      bind() to that port without SO_REUSEADDR, which the bind hash
 *      answers, and a connect() from that port, bound with SO_REUSEADDR,
 *      to the same server: only the ehash lookup of the 4-tuple
 *      (net/ipv4/inet_hashtables.c: __inet_check_established()) can
 *      answer that one.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "case.h"
#include "clock.h"
#include "conn.h"
#include "judges/tw_ehash.h"
#include "kmsg.h"
#include "sockview.h"
#include "sysctl.h"
#include "wait.h"

#define PORT		8210
#define SETTLE_MS	5000

static int tables(struct lab *lab, struct tw_ehash_fig *f)
{
	const struct netns *ns = &lab->host[LAB_CLIENT].ns;
	unsigned long bytes;
	struct kmsg_scan s;
	int err;

	if (kmsg_boot_hash("TCP established", &f->boot_entries, &bytes, &s))
		f->boot_entries = 0;
	err = sysctl_exists(ns, "tcp_ehash_entries");
	f->ehash_sysctl = err > 0;
	if (err <= 0)
		return err;
	return sysctl_read_long(ns, "tcp_ehash_entries", &f->lab_ehash) ?:
	       sysctl_read_long(ns, "tcp_child_ehash_entries", &f->lab_child) ?:
	       sysctl_read_long(lab->home, "tcp_ehash_entries", &f->home_ehash) ?:
	       sysctl_read_long(lab->home, "tcp_child_ehash_entries", &f->home_child);
}

/* A client socket bound to the client's address and @port (0: any). */
static int bound_socket(struct lab *lab, int family, uint16_t port, bool reuse)
{
	struct endpoint src;

	lab_endpoint(lab, LAB_CLIENT, 0, family, port, &src);
	return conn_bound(lab, LAB_CLIENT, &src, reuse);
}

/* 1 if a socket in @state holds 4-tuple @t, 0 if none, or -errno. */
static int holds(struct sockview *sv, const struct tuple *t, int state)
{
	int err = sockview_find(sv, t, TCPF(state), NULL);

	return err == -ENOENT ? 0 : err ? err : 1;
}

/* One connection closed client first: its 4-tuple in TIME_WAIT at the client. */
static int one_time_wait(struct lab *lab, struct sockview *sv, int family, int lfd,
			 const struct endpoint *server, struct tuple *t)
{
	int fd, sfd, err;

	fd = bound_socket(lab, family, 0, true);
	err = fd < 0 ? fd : conn_connect_fd(fd, server);
	if (err) {
		if (fd >= 0)
			close(fd);
		return err;
	}
	sfd = conn_accept(lfd, CONN_TIMEOUT_MS);
	err = sfd < 0 ? sfd : tuple_of_socket(fd, t);
	if (!err)
		return conn_close_orderly(fd, sfd, NULL) ?:
		       wait_state(sv, t, TCPF(TCP_TIME_WAIT), now_ns() + SETTLE_MS * NSEC_PER_MSEC);
	close(fd);
	if (sfd >= 0)
		close(sfd);
	return err;
}

/* Step 2: the two uses of the TIME_WAIT socket's port. */
static int lookups(struct lab *lab, struct sockview *sv, int family, struct tw_ehash_fig *f)
{
	int lfd, fd, sfd = -1, tw, est, err;
	struct endpoint server;
	struct tuple t;
	long ts;

	err = sysctl_read_long(&lab->host[LAB_CLIENT].ns, "tcp_timestamps", &ts);
	if (err)
		return err;
	f->timestamps = ts;
	lab_endpoint(lab, LAB_SERVER, 0, family, PORT, &server);
	lfd = conn_listen(lab, LAB_SERVER, &server);
	if (lfd < 0)
		return lfd;
	err = one_time_wait(lab, sv, family, lfd, &server, &t);
	if (err)
		goto out;
	f->port = t.src.port;

	fd = bound_socket(lab, family, t.src.port, false);
	f->bind_err = fd < 0 ? fd : 0;
	if (fd >= 0)
		close(fd);

	fd = bound_socket(lab, family, t.src.port, true);
	if (fd < 0) {
		err = fd;
		goto out;
	}
	f->connect_err = conn_connect_fd(fd, &server);
	if (!f->connect_err)
		err = sfd = conn_accept(lfd, CONN_TIMEOUT_MS);
	tw = holds(sv, &t, TCP_TIME_WAIT);
	est = holds(sv, &t, TCP_ESTABLISHED);
	err = err < 0 ? err : tw < 0 ? tw : est < 0 ? est : 0;
	f->tw_after = tw > 0;
	f->est_after = est > 0;
	close(fd);
	if (sfd >= 0)
		close(sfd);
out:
	close(lfd);
	return err;
}

static int tw_ehash(struct lab *lab, const struct tw_params *p, struct tw_result *r)
{
	struct tw_ehash_fig f = { .version = lab->kernel->version };
	struct sockview sv = { 0 };
	int err;

	err = tables(lab, &f);
	if (err)
		return tw_error(r, err, "tcp_ehash_entries, tcp_child_ehash_entries");
	err = sockview_open(&sv, &lab->host[LAB_CLIENT].ns);
	if (!err)
		err = lookups(lab, &sv, p->family, &f);
	if (err)
		tw_error(r, err, "a TIME_WAIT socket's port and 4-tuple");
	else
		tw_ehash_judge(&f, r);
	sockview_close(&sv);
	return err;
}

TW_CASE(tw_ehash,
	.summary = "where TIME_WAIT sockets are hashed: the ehash of a namespace, the bind hash",
	.claims = "A06",
	.needs = NEED_SOCK_DIAG | NEED_MACHINE_EHASH,
	.time_limit_s = 30);
