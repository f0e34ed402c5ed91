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
#include <arpa/inet.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "case.h"
#include "clock.h"
#include "conn.h"
#include "judges/tw_reuse.h"
#include "kernel.h"
#include "sockview.h"
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

struct path {
	const char *name;
	int server;		/* host of the listener: the client's own for loopback */
	bool loopback;
	struct endpoint src, dst;
	int lfd;
};

struct reuse {
	struct lab *lab;
	int family;
	unsigned int delay_ms;	/* 0: the kernel has no tcp_tw_reuse_delay */
	uint16_t next_port;
	struct sockview sv;	/* the client's sockets */
};

/*
 * A TIME_WAIT at the client on a fresh port.  tcp_time_wait() stamps the
 * entry with the socket's cached clock, tp->tcp_mstamp (K08): refreshed
 * no earlier than our FIN's send, no later than the entry itself.  The
 * client shuts down rather than closes, so its descriptor reads the
 * server's FIN the moment tcp_fin() has moved it into TIME_WAIT: the
 * stamp lies between @t->fin_ms and @t->entry_ms.  The FIN leaves just
 * after a whole ms, so that both ends fall in one ms of tcp_clock_ms().
 * The port must come from the ephemeral search here too: a port taken by
 * bind() leaves its bind bucket with fastreuse >= 0, and
 * __inet_hash_connect() then passes it by without asking
 * tcp_twsk_unique() at all.
 */
static int time_wait_once(struct reuse *rc, struct path *pa, uint16_t port,
			  struct tw_reuse_tw *t)
{
	int64_t now, fin, entry;
	int cfd, sfd, err;

	cfd = conn_connect_port(rc->lab, LAB_CLIENT, port, &pa->dst);
	if (cfd < 0)
		return cfd;
	sfd = conn_accept(pa->lfd, CONN_TIMEOUT_MS);
	if (sfd < 0) {
		close(cfd);
		return sfd;
	}
	now = now_ns();
	sleep_until_ns(now - now % NSEC_PER_MSEC + NSEC_PER_MSEC + 20000);
	err = conn_close_seen(cfd, sfd, &fin, NULL, &entry);
	t->fin_ms = ns_to_ms(fin);
	t->entry_ms = ns_to_ms(entry);
	t->refused_ms = t->fin_ms;	/* nothing refused yet: reuse follows our FIN */
	t->taken_ms = NAN;
	return err;
}

/*
 * A TIME_WAIT whose FIN and entry we saw in one ms of the clock, so that
 * the stamp's ms is known where the threshold counts ms: one that a late
 * softirq spread over two is left alone, and another made -- whatever
 * its reuse will turn out to be.
 */
static int time_wait_at_client(struct reuse *rc, struct path *pa, uint16_t *port,
			       struct tw_reuse_tw *t)
{
	int err = 0;

	for (int i = 0; i < ENTRY_TRIES && !err; i++) {
		*port = rc->next_port++;
		err = time_wait_once(rc, pa, *port, t);
		if (!rc->delay_ms || floor(t->fin_ms) == floor(t->entry_ms))
			break;
	}
	return err;
}

/*
 * connect() from @port only: 1 if it took over the 4-tuple, 0 if
 * EADDRNOTAVAIL, else -errno.  tcp_twsk_unique() runs inside this
 * connect(), between *@t0 and *@t1: non-blocking, so that the bracket
 * holds the port search and the SYN's send, not the handshake.  Before
 * 6.3 there is no IP_LOCAL_PORT_RANGE, and conn_connect_port() narrows
 * the host's range instead, blocking.
 */
static int probe_connect(struct reuse *rc, struct path *pa, uint16_t port, int64_t *t0,
			 int64_t *t1)
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
		fd = conn_connect_port(rc->lab, LAB_CLIENT, port, &pa->dst);
		*t1 = now_ns();
		return fd;
	}
	*t0 = now_ns();
	if (!err)
		err = conn_connect_fd(fd, &pa->dst);
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
static int finish(struct path *pa, int fd, uint16_t port)
{
	struct tuple t;
	int sfd, err;

	sfd = conn_accept(pa->lfd, CONN_TIMEOUT_MS);
	err = tuple_of_socket(fd, &t);
	if (sfd < 0)
		err = sfd;
	else
		close(sfd);
	close(fd);
	if (!err && t.src.port != port)
		err = -EPROTO;	/* the range was not honoured */
	return err;
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
	int64_t now = now_ns(), tight;

	if (!rc->delay_ms) {
		sleep_until_ns(now + STEP_S_MS * NSEC_PER_MSEC);
		return;
	}
	tight = (int64_t)((t->entry_ms + rc->delay_ms - TIGHT_MS) * NSEC_PER_MSEC);
	if (now >= tight)
		sleep_until_ns(now + TIGHT_US * 1000);
	else
		sleep_until_ns(tight < now + STEP_MS * NSEC_PER_MSEC ? tight :
			       now + STEP_MS * NSEC_PER_MSEC);
}

/*
 * A fresh TIME_WAIT, probed by connect() until taken over or @max_age_ms
 * old: a refusal leaves it as it was, so it brackets its own threshold
 * between its last refusal and the take-over, paced by pace().  One at a
 * time: on a slow machine (a guest under TCG) making several before the
 * first probe would let the first one's threshold pass unseen.
 */
static int scan_one(struct reuse *rc, struct path *pa, double max_age_ms,
		    struct tw_reuse_tw *t, struct tw_reuse_path *p)
{
	int64_t t0, t1;
	uint16_t port;
	int fd = -1, err;

	err = time_wait_at_client(rc, pa, &port, t);
	while (!err) {
		fd = probe_connect(rc, pa, port, &t0, &t1);
		p->probes++;
		p->max_age_ms = fmax(p->max_age_ms, ns_to_ms(t0) - t->entry_ms);
		if (fd >= 0) {
			t->taken_ms = ns_to_ms(t1);
			break;
		}
		if (fd != -EADDRNOTAVAIL)
			return fd;
		t->refused_ms = ns_to_ms(t0);
		if (ns_to_ms(t0) - t->entry_ms > max_age_ms)
			break;
		pace(rc, t);
	}
	return fd >= 0 ? finish(pa, fd, port) : err;
}

/*
 * Where the threshold is a whole ms, a bracket over two or more of them
 * cannot name it: a probe woke late, the machine was busy.  Such a
 * TIME_WAIT is replaced by a fresh one, probed the same way -- on the
 * bracket's width alone, never on where it lies, so a kernel that reuses
 * at the wrong ms is still seen to.
 */
static bool coarse(const struct tw_reuse_tw *t)
{
	return !isnan(t->taken_ms) && floor(t->taken_ms) - floor(t->refused_ms) > 1;
}

static int scan(struct reuse *rc, struct path *pa, int n, double max_age_ms,
		struct tw_reuse_path *p)
{
	int err = 0;

	for (p->n = 0; p->n < n && !err; p->n++) {
		struct tw_reuse_tw *t = &p->tw[p->n];

		err = scan_one(rc, pa, max_age_ms, t, p);
		for (int round = 0; round < RESCANS && rc->delay_ms && !err && coarse(t); round++)
			err = scan_one(rc, pa, max_age_ms, t, p);
	}
	return err;
}

/*
 * The server closes first and holds the TIME_WAIT; the client connects
 * again from the same port.  The SYN meets the TIME_WAIT socket in
 * tcp_timewait_state_process(): newer sequence or timestamp, TCP_TW_SYN,
 * a new connection (K05) -- whatever tcp_tw_reuse says.  The client's
 * own old socket must be gone first (LAST_ACK until the server's ACK
 * lands): a bind() to its port before that is EADDRINUSE, our race, not
 * the kernel's answer.  So both ends are waited for over sock_diag.
 */
static int incoming(struct reuse *rc, struct path *pa, int *connected)
{
	struct sockview sv_s = { 0 };
	struct endpoint src = pa->src;
	struct watch w = { .states = TCPF_ALL };
	struct tuple ts;
	int cfd, sfd, err;

	src.port = rc->next_port++;
	err = sockview_open(&sv_s, &rc->lab->host[LAB_SERVER].ns);
	if (!err)
		err = conn_pair(rc->lab, LAB_CLIENT, &src, pa->lfd, &pa->dst, &cfd, &sfd);
	if (err)
		goto out;
	err = tuple_of_socket(cfd, &w.t);
	err = conn_close_orderly(sfd, cfd, NULL) ?: err;
	tuple_reverse(&w.t, &ts);
	if (!err)
		err = wait_state(&sv_s, &ts, TCPF(TCP_TIME_WAIT), now_ns() + NSEC_PER_SEC);
	if (!err)
		err = wait_gone(&rc->sv, &w, 1, now_ns() + NSEC_PER_SEC);
	if (err)
		goto out;

	err = conn_pair(rc->lab, LAB_CLIENT, &src, pa->lfd, &pa->dst, &cfd, &sfd);
	*connected = !err;
	if (!err) {
		close(cfd);
		close(sfd);
	} else if (err == -ECONNREFUSED || err == -ECONNRESET || err == -ETIMEDOUT) {
		err = 0;	/* the kernel's answer: refused, reset or dropped */
	}
out:
	sockview_close(&sv_s);
	return err;
}

/* tcp_tw_reuse's default, where every sysctl of the instance is the kernel's default. */
static int reuse_default(struct lab *lab, const struct tw_params *p)
{
	const struct kernel_info *k = lab->kernel;

	for (int i = 0; i < p->nset; i++)
		for (int d = 0; d < k->ndefaults; d++)
			if (!strcmp(k->defaults[d].key, p->set[i].key) &&
			    k->defaults[d].present && strcmp(k->defaults[d].val, p->set[i].val))
				return -1;
	for (int d = 0; d < k->ndefaults; d++)
		if (!strcmp(k->defaults[d].key, "tcp_tw_reuse") && k->defaults[d].present)
			return atoi(k->defaults[d].val);
	return -1;
}

static int path_open(struct reuse *rc, struct path *pa, bool loopback)
{
	int family = rc->family;

	memset(pa, 0, sizeof(*pa));
	pa->loopback = loopback;
	pa->name = loopback ? "loopback" : "veth";
	pa->server = loopback ? LAB_CLIENT : LAB_SERVER;
	if (loopback) {
		pa->src.family = pa->dst.family = family;
		if (family == AF_INET)
			pa->src.addr.v4.s_addr = htonl(INADDR_LOOPBACK);
		else
			pa->src.addr.v6 = in6addr_loopback;
		pa->dst = pa->src;
		pa->dst.port = PORT_LOOP;
	} else {
		lab_endpoint(rc->lab, LAB_CLIENT, 0, family, 0, &pa->src);
		lab_endpoint(rc->lab, LAB_SERVER, 0, family, PORT_VETH, &pa->dst);
	}
	pa->lfd = conn_listen(rc->lab, pa->server, &pa->dst);
	return pa->lfd < 0 ? pa->lfd : 0;
}

static int tw_reuse(struct lab *lab, const struct tw_params *p, struct tw_result *r)
{
	struct reuse rc = { .lab = lab, .family = p->family };
	struct path paths[TW_REUSE_NPATH] = { { .lfd = -1 }, { .lfd = -1 } };
	struct tw_reuse_fig fig = {
		.version = lab->kernel->version, .hz = lab->kernel->hz, .incoming = -1,
	};
	char val[32];
	int err;

	fig.reuse = atoi(tw_param(p, "tcp_tw_reuse") ?: "0");
	fig.timestamps = atoi(tw_param(p, "tcp_timestamps") ?: "1");
	if (!lab_sysctl_get(lab, LAB_CLIENT, "tcp_tw_reuse_delay", val, sizeof(val)))
		rc.delay_ms = fig.delay_ms = atoi(val);
	fig.reuse_default = reuse_default(lab, p);
	/*
	 * IP_LOCAL_PORT_RANGE narrows ip_local_port_range, it cannot leave it
	 * (inet_sk_get_local_port_range()): the probed ports come from its
	 * bottom, which nothing else in the lab uses.
	 */
	err = lab_sysctl_get(lab, LAB_CLIENT, "ip_local_port_range", val, sizeof(val));
	if (err)
		return tw_error(r, err, "ip_local_port_range");
	rc.next_port = atoi(val);
	err = sockview_open(&rc.sv, &lab->host[LAB_CLIENT].ns);
	if (err)
		return tw_error(r, err, "sock_diag");

	/*
	 * Probes wake within a us of their time, not 50 us late.  No higher
	 * priority: probes every 50 us at nice -20 or SCHED_FIFO, a few
	 * instances at once on two cores, starve ksoftirqd -- and the lab's
	 * own handshakes time out.  A late probe only widens a bracket.
	 */
	prctl(PR_SET_TIMERSLACK, 1UL);
	for (int i = 0; i < TW_REUSE_NPATH; i++) {
		/* past twice the threshold the kernel should have, and past 1-2 s */
		double max_age = rc.delay_ms ? 2.0 * rc.delay_ms + 1000 : SCAN_MAX_MS;

		err = path_open(&rc, &paths[i], i == TW_REUSE_LOOPBACK);
		if (!err)
			err = scan(&rc, &paths[i], rc.delay_ms ? NTW_MS : NTW_S, max_age,
				   &fig.path[i]);
		if (err) {
			tw_error(r, err, "reuse over %s", paths[i].name);
			goto out;
		}
	}
	err = incoming(&rc, &paths[TW_REUSE_VETH], &fig.incoming);
	if (err) {
		tw_error(r, err, "incoming SYN onto TIME_WAIT");
		goto out;
	}
	tw_reuse_judge(&fig, r);
out:
	for (int i = 0; i < TW_REUSE_NPATH; i++)
		if (paths[i].lfd >= 0)
			close(paths[i].lfd);
	sockview_close(&rc.sv);
	return err;
}

TW_CASE(tw_reuse,
	.summary = "when connect() may take over a TIME_WAIT 4-tuple, and after how long",
	.claims = "A11",
	.vary = {
		{ "tcp_tw_reuse", { "0", "1", "2" } },
		{ "tcp_timestamps", { "0", "1" } },
		{ "tcp_tw_reuse_delay", { "1000", "100", "3000" }, .optional = true },
	},
	.needs = NEED_SOCK_DIAG,
	.time_limit_s = 120);
