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
#include <unistd.h>

#include "case.h"
#include "clock.h"
#include "conn.h"
#include "ehash.h"
#include "judges/tw_ehash.h"
#include "wait.h"

#define PORT		8210

TW_CASE(tw_ehash,
	.summary = "where TIME_WAIT sockets are hashed: the ehash of a namespace, the bind hash",
	.claims = "A06",
	.views = HOST(LAB_CLIENT),
	.listen = { LISTEN(PORT) },
	.needs = NEED_MACHINE_EHASH,
	.time_limit_s = 30);

/* A client socket bound to the client's address and @port (0: any). */
static int bound_socket(struct lab *lab, int family, uint16_t port, bool reuse)
{
	struct endpoint src;

	lab_endpoint(lab, LAB_CLIENT, 0, family, port, &src);
	return conn_bound(lab, LAB_CLIENT, &src, reuse);
}

/* One connection closed client first: its 4-tuple in TIME_WAIT at the client. */
static int one_time_wait(struct lab *lab, const struct tw_params *p, struct tuple *t)
{
	int fd, sfd, err;

	fd = bound_socket(lab, p->family, 0, true);
	if (fd < 0)
		return fd;
	err = conn_connect_fd(fd, &p->fx->listen[0]) ?: tuple_of_socket(fd, t);
	sfd = err ?: conn_accept(p->fx->lfd[0], CONN_TIMEOUT_MS);
	if (sfd < 0) {
		close(fd);
		return sfd;
	}
	return conn_close_orderly(fd, sfd, NULL) ?:
	       wait_state(&p->fx->sv[LAB_CLIENT], t, TCPF(TCP_TIME_WAIT),
			  now_ns() + WAIT_SETTLE_MS * NSEC_PER_MSEC);
}

/* Step 2: the two uses of the TIME_WAIT socket's port. */
static int lookups(struct lab *lab, const struct tw_params *p, struct tw_ehash_fig *f)
{
	struct sockview *sv = &p->fx->sv[LAB_CLIENT];
	int fd, sfd = -1, err;
	struct tuple t;

	err = lab_sysctl_uint(lab, LAB_CLIENT, "tcp_timestamps", &f->timestamps) ?:
	      one_time_wait(lab, p, &t);
	if (err)
		return err;
	f->port = t.src.port;
	fd = bound_socket(lab, p->family, t.src.port, false);
	f->bind_err = fd < 0 ? fd : 0;
	if (fd >= 0)
		close(fd);
	fd = bound_socket(lab, p->family, t.src.port, true);
	if (fd < 0)
		return fd;
	f->connect_err = conn_connect_fd(fd, &p->fx->listen[0]);
	if (!f->connect_err)
		err = sfd = conn_accept(p->fx->lfd[0], CONN_TIMEOUT_MS);
	f->tw_after = sockview_holds(sv, &t, TCPF(TCP_TIME_WAIT));
	f->est_after = sockview_holds(sv, &t, TCPF(TCP_ESTABLISHED));
	close(fd);
	if (sfd >= 0)
		close(sfd);
	return err < 0 ? err : f->tw_after < 0 ? f->tw_after : f->est_after < 0 ? f->est_after : 0;
}

static int tw_ehash(struct lab *lab, const struct tw_params *p, struct tw_result *r)
{
	struct tw_ehash_fig f = { 0 };
	int err;

	ehash_boot_line(&f.boot);
	err = ehash_size(&lab->host[LAB_CLIENT].ns, &f.lab) ?: ehash_size(lab->home, &f.home);
	if (err)
		return tw_error(r, err, "tcp_ehash_entries, tcp_child_ehash_entries");
	err = lookups(lab, p, &f);
	if (err)
		tw_error(r, err, "a TIME_WAIT socket's port and 4-tuple");
	else
		tw_ehash_judge(&f, r);
	return err;
}
