// SPDX-License-Identifier: GPL-2.0
/*
 * A11: tcp_tw_reuse lets a new outgoing connection take over a TIME_WAIT
 * 4-tuple only when timestamps are on, reuse is on, and the TIME_WAIT
 * socket is older than one second; incoming connections never reuse;
 * the default is 0.
 *
 * Today (K06, K07, K08): tcp_twsk_unique() lets connect() take the
 * 4-tuple when the TIME_WAIT socket saw timestamps, tcp_tw_reuse is 1 (or
 * 2 and an address is loopback), and tcp_clock_ms() is past the entry into
 * TIME_WAIT plus tcp_tw_reuse_delay ms.
 *
 * Method, at each tcp_tw_reuse x tcp_timestamps x tcp_tw_reuse_delay,
 * over the veth and over loopback:
 *   1. a few client ports go into TIME_WAIT toward the server (client
 *      first), each FIN sent just after a whole ms;
 *   2. each is probed by connect() to the same server address and port,
 *      the ephemeral search confined to its port: it takes over the
 *      4-tuple, or fails with EADDRNOTAVAIL and leaves it as it was;
 *   3. so every TIME_WAIT brackets its own threshold, between its last
 *      refusal and its take-over: probed every 10 ms, and every 50 us
 *      within 2 ms of a threshold in ms.
 * The judge (cases/judges/tw_reuse.c) holds the brackets against the
 * kernel's rule for its version.
 * Incoming: the server closes first and holds the TIME_WAIT; once the
 * client's own socket is gone, it connects again from the same port
 * (K05: tcp_tw_reuse has no say).
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "case.h"
#include "clock.h"
#include "conn.h"
#include "judges/tw_reuse.h"
#include "kernel.h"
#include "wait.h"

#define STEP_MS		10	/* between probes of one TIME_WAIT, far from a ms threshold */
#define STEP_S_MS	2	/* between probes where the threshold is a whole second */
#define TIGHT_MS	2	/* probe every TIGHT_US this close to a ms threshold */
#define TIGHT_US	50
#define SCAN_MAX_MS	3000	/* past 2 s and a tick: the oldest kernels' threshold */
#define NTW_MS		3	/* TIME_WAITs per path where the threshold is in ms */
#define NTW_S		5	/* where it is a whole second, and each has its own */
#define ENTRY_TRIES	5	/* TIME_WAITs made for one whose entry falls in one ms */
#define RESCANS		3	/* rounds that replace TIME_WAITs bracketed too coarsely */
#define PORT_VETH	9100
#define PORT_LOOP	9101

TW_CASE(tw_reuse,
	.summary = "when connect() may take over a TIME_WAIT 4-tuple, and after how long",
	.claims = "A11",
	.vary = {
		{ "tcp_tw_reuse", { "0", "1", "2" } },
		{ "tcp_timestamps", { "0", "1" } },
		{ "tcp_tw_reuse_delay", { "1000", "100", "3000" }, .optional = true },
	},
	.views = HOST(LAB_CLIENT) | HOST(LAB_SERVER),
	/* by path: the server's veth address, and the client's own loopback */
	.listen = { [TW_REUSE_VETH] = LISTEN(PORT_VETH),
		    [TW_REUSE_LOOPBACK] = LISTEN_LOOPBACK(LAB_CLIENT, PORT_LOOP) },
	.time_limit_s = 120);

struct reuse {
	struct lab *lab;
	int family;
	unsigned int delay_ms;	/* 0: the kernel has no tcp_tw_reuse_delay */
	unsigned int next_port;
	int lfd;		/* the scanned path's listener: the fixture's .listen[path] */
	const struct endpoint *dst;
};

/*
 * A TIME_WAIT at the client on a fresh port, from the ephemeral search: a
 * port taken by bind() leaves its bind bucket with fastreuse >= 0, and
 * __inet_hash_connect() then never asks tcp_twsk_unique().  tcp_time_wait()
 * stamps the entry with the cached tp->tcp_mstamp (K08): refreshed no
 * earlier than our FIN's send, no later than the entry.  The client shuts
 * down rather than closes, so it reads the server's FIN once tcp_fin() has
 * moved it into TIME_WAIT: the stamp lies between @t->fin_ms and
 * @t->entry_ms.  The FIN leaves just after a whole ms, so both fall in one
 * ms of tcp_clock_ms(); where the threshold counts ms, one a late softirq
 * spread over two is left alone and another made, whatever its reuse will be.
 */
static int time_wait_at_client(struct reuse *rc, uint16_t *port, struct tw_reuse_tw *t)
{
	int64_t now, fin, entry;
	int cfd, sfd, err = 0;

	for (int i = 0; i < ENTRY_TRIES && !err; i++) {
		*port = rc->next_port++;
		err = conn_pair_port(rc->lab, LAB_CLIENT, *port, rc->lfd, rc->dst, &cfd, &sfd);
		if (err)
			break;
		now = now_ns();
		sleep_until_ns(now - now % NSEC_PER_MSEC + NSEC_PER_MSEC + 20000);
		err = conn_close_seen(cfd, sfd, &fin, NULL, &entry);
		/* nothing refused yet: reuse follows our FIN */
		*t = (struct tw_reuse_tw){ .fin_ms = ns_to_ms(fin), .entry_ms = ns_to_ms(entry),
					   .refused_ms = ns_to_ms(fin), .taken_ms = NAN };
		if (!rc->delay_ms || floor(t->fin_ms) == floor(t->entry_ms))
			break;
	}
	return err;
}

/*
 * connect() from @port only: its socket if it took over the 4-tuple,
 * -EADDRNOTAVAIL if not, else -errno.  tcp_twsk_unique() runs inside this
 * connect(), between *@t0 and *@t1: non-blocking, so that the bracket
 * holds the port search and the SYN's send, not the handshake.  Before
 * 6.3 there is no IP_LOCAL_PORT_RANGE, and conn_connect_port() narrows
 * the host's range instead, blocking.
 */
static int probe_connect(struct reuse *rc, uint16_t port, int64_t *t0, int64_t *t1)
{
	int fd, err;

	*t0 = *t1 = now_ns();
	fd = lab_socket(rc->lab, LAB_CLIENT, rc->family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (fd < 0)
		return fd;
	err = conn_port_range(fd, port, port);
	if (err == -ENOPROTOOPT) {
		close(fd);
		*t0 = now_ns();
		fd = conn_connect_port(rc->lab, LAB_CLIENT, port, rc->dst);
		*t1 = now_ns();
		return fd;
	}
	*t0 = now_ns();
	err = err ?: conn_connect_fd(fd, rc->dst);
	*t1 = now_ns();
	if (err && err != -EINPROGRESS) {
		close(fd);
		return err;
	}
	return fd;
}

/*
 * The connect() that took a 4-tuple over, once the scan is done: its
 * handshake waits on softirqs, which a loaded machine runs late, and the
 * other TIME_WAITs' probes must not wait with it.
 */
static int finish(const struct reuse *rc, int fd, uint16_t port)
{
	int sfd = conn_accept(rc->lfd, CONN_TIMEOUT_MS);
	struct tuple t;
	int err = tuple_of_socket(fd, &t);

	if (sfd >= 0)
		close(sfd);
	close(fd);
	/* -EPROTO: the range was not honoured */
	return sfd < 0 ? sfd : err ?: (t.src.port != port ? -EPROTO : 0);
}

/*
 * Sleep until the next probe is due: where the threshold is a whole ms
 * (tcp_tw_reuse_delay), every STEP_MS until a TIME_WAIT comes within
 * TIGHT_MS of it, then every TIGHT_US; where it is a whole second, every
 * STEP_S_MS.  So the probes cost a few per cent of a CPU but for a few
 * ms around the one place where a bracket wider than a ms could not tell
 * the kernel's answer -- and even there they sleep, so as not to starve
 * ksoftirqd, and with it the lab's packets.
 */
static void pace(const struct reuse *rc, const struct tw_reuse_tw *t)
{
	int64_t now = now_ns(), step = STEP_MS * NSEC_PER_MSEC;
	int64_t tight = (int64_t)((t->entry_ms + rc->delay_ms - TIGHT_MS) * NSEC_PER_MSEC);

	if (!rc->delay_ms)
		sleep_until_ns(now + STEP_S_MS * NSEC_PER_MSEC);
	else if (now >= tight)
		sleep_until_ns(now + TIGHT_US * 1000);
	else
		sleep_until_ns(tight < now + step ? tight : now + step);
}

/*
 * A fresh TIME_WAIT, probed by connect() until taken over or @max_age_ms
 * old: a refusal leaves it as it was, so it brackets its own threshold
 * between its last refusal and the take-over, paced by pace().  One at a
 * time: on a slow machine (a guest under TCG) making several before the
 * first probe would let the first one's threshold pass unseen.
 */
static int scan_one(struct reuse *rc, double max_age_ms, struct tw_reuse_tw *t,
		    struct tw_reuse_path *p)
{
	int64_t t0, t1;
	uint16_t port;
	int fd, err = time_wait_at_client(rc, &port, t);

	while (!err) {
		fd = probe_connect(rc, port, &t0, &t1);
		p->probes++;
		p->max_age_ms = fmax(p->max_age_ms, ns_to_ms(t0) - t->entry_ms);
		if (fd >= 0) {
			t->taken_ms = ns_to_ms(t1);
			return finish(rc, fd, port);
		}
		if (fd != -EADDRNOTAVAIL)
			return fd;
		t->refused_ms = ns_to_ms(t0);
		if (ns_to_ms(t0) - t->entry_ms > max_age_ms)
			break;
		pace(rc, t);
	}
	return err;
}

/*
 * Where the threshold is a whole ms, a bracket over two or more of them
 * cannot name it: a probe woke late, the machine was busy.  Such a
 * TIME_WAIT is replaced by a fresh one, probed the same way -- on the
 * bracket's width alone, never on where it lies, so a kernel that reuses
 * at the wrong ms is still seen to.
 */
static int scan(struct reuse *rc, int n, double max_age_ms, struct tw_reuse_path *p)
{
	int err = 0;

	for (p->n = 0; p->n < n && !err; p->n++) {
		struct tw_reuse_tw *t = &p->tw[p->n];

		err = scan_one(rc, max_age_ms, t, p);
		for (int round = 0; round < RESCANS && rc->delay_ms && !err && !isnan(t->taken_ms) &&
		     floor(t->taken_ms) - floor(t->refused_ms) > 1; round++)
			err = scan_one(rc, max_age_ms, t, p);
	}
	return err;
}

/*
 * The SYN meets the server's TIME_WAIT in tcp_timewait_state_process():
 * newer sequence or timestamp, TCP_TW_SYN, a new connection (K05). The
 * client's own old socket must be gone first (LAST_ACK until the server's
 * ACK lands): a bind() to its port before is EADDRINUSE, our race, not the
 * kernel's answer.  So both ends are waited for over sock_diag.
 */
static int incoming(struct reuse *rc, struct tw_fixture *fx, int *connected)
{
	int lfd = fx->lfd[TW_REUSE_VETH], cfd, sfd, err;
	struct watch w = { .states = TCPF_ALL };
	struct endpoint src;
	struct tuple ts;

	lab_endpoint(rc->lab, LAB_CLIENT, 0, rc->family, rc->next_port++, &src);
	err = conn_pair(rc->lab, LAB_CLIENT, &src, lfd, &fx->listen[TW_REUSE_VETH], &cfd, &sfd);
	if (err)
		return err;
	err = tuple_of_socket(cfd, &w.t);
	err = conn_close_orderly(sfd, cfd, NULL) ?: err;	/* the server first */
	tuple_reverse(&w.t, &ts);
	err = err ?: wait_state(&fx->sv[LAB_SERVER], &ts, TCPF(TCP_TIME_WAIT),
				now_ns() + NSEC_PER_SEC) ?:
	      wait_gone(&fx->sv[LAB_CLIENT], &w, 1, now_ns() + NSEC_PER_SEC);
	if (err)
		return err;
	/* again from the same port, whatever tcp_tw_reuse says */
	err = conn_pair(rc->lab, LAB_CLIENT, &src, lfd, &fx->listen[TW_REUSE_VETH], &cfd, &sfd);
	*connected = !err;
	if (!err) {
		close(cfd);
		close(sfd);
	}
	/* refused, reset or dropped: the kernel's answer, not an error */
	return err == -ECONNREFUSED || err == -ECONNRESET || err == -ETIMEDOUT ? 0 : err;
}

/* tcp_tw_reuse's default, where every sysctl of the instance is the kernel's default; else -1. */
static int reuse_default(const struct lab *lab, const struct tw_params *p)
{
	const char *d;

	for (int i = 0; i < p->nset; i++) {
		d = kernel_default(lab->kernel, p->set[i].key);
		if (d && strcmp(d, p->set[i].val))
			return -1;
	}
	d = kernel_default(lab->kernel, "tcp_tw_reuse");
	return d ? atoi(d) : -1;
}

static int tw_reuse(struct lab *lab, const struct tw_params *p, struct tw_result *r)
{
	struct reuse rc = { .lab = lab, .family = p->family };
	struct tw_reuse_fig fig = {
		.version = lab->kernel->version, .hz = lab->kernel->hz, .incoming = -1,
		.reuse = atoi(tw_param(p, "tcp_tw_reuse") ?: "0"),
		.timestamps = atoi(tw_param(p, "tcp_timestamps") ?: "1"),
	};
	double max_age;
	int err;

	lab_sysctl_uint(lab, LAB_CLIENT, "tcp_tw_reuse_delay", &fig.delay_ms);
	rc.delay_ms = fig.delay_ms;
	/* past twice the threshold the kernel should have, and past 1-2 s */
	max_age = rc.delay_ms ? 2.0 * rc.delay_ms + 1000 : SCAN_MAX_MS;
	/*
	 * IP_LOCAL_PORT_RANGE narrows ip_local_port_range, it cannot leave it
	 * (inet_sk_get_local_port_range()): the probed ports come from its
	 * bottom, which nothing else in the lab uses.
	 */
	err = lab_sysctl_uint(lab, LAB_CLIENT, "ip_local_port_range", &rc.next_port);
	if (err)
		return tw_error(r, err, "ip_local_port_range");
	/*
	 * Probes wake within a us of their time, not 50 us late.  No higher
	 * priority: probes every 50 us at nice -20 or SCHED_FIFO, a few
	 * instances at once on two cores, starve ksoftirqd -- and the lab's
	 * own handshakes time out.  A late probe only widens a bracket.
	 */
	prctl(PR_SET_TIMERSLACK, 1UL);
	for (int i = 0; i < TW_REUSE_NPATH; i++) {
		rc.lfd = p->fx->lfd[i];
		rc.dst = &p->fx->listen[i];
		err = scan(&rc, rc.delay_ms ? NTW_MS : NTW_S, max_age, &fig.path[i]);
		if (err)
			return tw_error(r, err, "reuse over %s", i ? "loopback" : "veth");
	}
	err = incoming(&rc, p->fx, &fig.incoming);
	if (err)
		return tw_error(r, err, "incoming SYN onto TIME_WAIT");
	fig.reuse_default = reuse_default(lab, p);
	tw_reuse_judge(&fig, r);
	return 0;
}
