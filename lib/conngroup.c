// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "conn.h"
#include "lab.h"
#include "conngroup.h"
#include "wait.h"

int conngroup_close(const struct lab *lab, int family, uint16_t port, int n, int first,
		    conngroup_use_fn use, void *arg)
{
	struct endpoint server;
	int lfd, err = 0;

	lab_endpoint(lab, LAB_SERVER, 0, family, port, &server);
	lfd = conn_listen(lab, LAB_SERVER, &server);
	if (lfd < 0)
		return lfd;
	for (int i = 0; i < n && !err; i++) {
		int fd[LAB_PAIR_HOSTS];

		err = conn_pair(lab, LAB_CLIENT, NULL, lfd, &server,
				&fd[LAB_CLIENT], &fd[LAB_SERVER]);
		if (err)
			break;
		if (use)
			err = use(fd[LAB_CLIENT], fd[LAB_SERVER], arg);
		err = conn_close_orderly(fd[first], fd[first == LAB_CLIENT ? LAB_SERVER :
							 LAB_CLIENT], NULL) ?: err;
	}
	close(lfd);
	return err;
}

struct port_count {
	uint16_t port;
	unsigned int *counts;
	unsigned int total;
};

static int count_port(const struct sv_sock *s, void *arg)
{
	struct port_count *pc = arg;

	if (s->t.src.port != pc->port && s->t.dst.port != pc->port)
		return 0;
	if (s->state < TCP_NSTATES)
		pc->counts[s->state]++;
	pc->total++;
	return 0;
}

/* The kernel filters by state (K19); the port we filter here. */
static int dump_port(struct sockview *sv, int family, uint32_t states,
		     struct port_count *pc)
{
	memset(pc->counts, 0, TCP_NSTATES * sizeof(pc->counts[0]));
	pc->total = 0;
	return sockview_dump(sv, family, states, count_port, pc);
}

int conngroup_count(struct sockview *sv, int family, uint32_t states, uint16_t port,
		    unsigned int counts[TCP_NSTATES])
{
	struct port_count pc = { .port = port, .counts = counts };

	return dump_port(sv, family, states, &pc);
}

int conngroup_settle(struct sockview *sv, int nhosts, int family, uint16_t port,
		     int timeout_ms)
{
	int64_t deadline = now_ns() + guard_ms(timeout_ms) * NSEC_PER_MSEC;
	unsigned int counts[TCP_NSTATES];
	struct port_count pc = { .port = port, .counts = counts };
	int err = 0;

	for (int h = 0; h < nhosts && !err; h++) {
		for (;;) {
			err = dump_port(&sv[h], family, CONNGROUP_TRANSIENT, &pc);
			if (err || !pc.total)
				break;
			if (now_ns() >= deadline) {
				err = -ETIMEDOUT;
				break;
			}
			sleep_until_ns(now_ns() + WAIT_POLL_MS * NSEC_PER_MSEC);
		}
	}
	return err;
}

int conngroup_left(struct sockview sv[LAB_PAIR_HOSTS], int family, uint16_t port,
		   unsigned int tw[LAB_PAIR_HOSTS], unsigned int all[LAB_PAIR_HOSTS])
{
	unsigned int counts[TCP_NSTATES];
	struct port_count pc = { .port = port, .counts = counts };
	int err = conngroup_settle(sv, LAB_PAIR_HOSTS, family, port, WAIT_SETTLE_MS);

	for (int h = 0; h < LAB_PAIR_HOSTS && !err; h++) {
		err = dump_port(&sv[h], family, TCPF_ALL & ~TCPF(TCP_LISTEN), &pc);
		tw[h] = counts[TCP_TIME_WAIT];
		if (all)
			all[h] = pc.total;
	}
	return err;
}
