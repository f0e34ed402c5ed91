// SPDX-License-Identifier: GPL-2.0
/*
 * Impaired-link benchmark: what lib/impair.c's delay and loss really do.
 *
 * One lab; an impair on the client's egress (IMPAIR_BEST: netem where the
 * kernel has it, else nftables and the NFQUEUE delay line).
 *
 * Delay: for 10, 50 and 200 ms, 100 UDP datagrams, one every 5 ms, each
 * carrying the CLOCK_MONOTONIC time it was sent; the server's socket (made
 * in the server namespace) stamps each on arrival on the same clock, so
 * arrival - send is the one-way delay, with no clock offset in it.  The
 * same figures with no delay set are printed first, as the floor.
 *
 * Loss: for 1%, 10% and 50%, 10,000 datagrams; the loss is what the
 * server never received.
 *
 * Output, on stdout:
 *   impair: mechanism nft
 *   delay none: n=100 min=0.009 median=0.012 max=0.031 ms one-way
 *   delay 10 ms: n=100 min=10.080 median=10.130 max=10.402 ms one-way
 *   loss 10%: sent=10000 received=9003 lost=9.97%
 * The figures are printed, never asserted (bench/README.md has the
 * targets).  On any failure: one line on stderr and exit status 1.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "impair.h"
#include "inet.h"
#include "lab.h"
#include "netns.h"

#define BENCH_DEFAULT_ID	210	/* 198.18.210.0/24: apart from bench/lab's 200 */
#define BENCH_PORT		5201
#define DELAY_N			100
#define DELAY_GAP_NS		(5 * NSEC_PER_MSEC)
#define LOSS_N			10000
#define LOSS_DRAIN_EVERY	100
#define QUIET_MS		300	/* no datagram for this long: the rest are lost */
#define RCVBUF			(16 << 20)

static const char *prog = "impair";

struct probe {
	uint32_t seq;
	int64_t sent_ns;
};

struct bench {
	struct lab lab;
	int cfd, sfd;		/* client's connected socket, server's bound one */
};

static void die(const char *what, int err)
{
	fprintf(stderr, "%s: %s: %s\n", prog, what, strerror(err < 0 ? -err : err));
	exit(1);
}

static void die_impair(const char *what, int err, const struct impair *ip)
{
	fprintf(stderr, "%s: %s: %s: %s\n", prog, what, strerror(-err), impair_error(ip));
	exit(1);
}

static void usage(void)
{
	fprintf(stderr, "usage: %s [-i LAB_ID]\n", prog);
	exit(2);
}

static void udp_pair(struct bench *b)
{
	struct sockaddr_storage ss;
	struct endpoint srv;
	socklen_t sl;
	int size = RCVBUF, err;

	err = lab_endpoint(&b->lab, LAB_SERVER, 0, AF_INET, BENCH_PORT, &srv);
	if (err)
		die("lab_endpoint", err);
	b->sfd = lab_socket(&b->lab, LAB_SERVER, AF_INET, SOCK_DGRAM | SOCK_NONBLOCK);
	b->cfd = lab_socket(&b->lab, LAB_CLIENT, AF_INET, SOCK_DGRAM);
	if (b->sfd < 0 || b->cfd < 0)
		die("lab_socket", b->sfd < 0 ? b->sfd : b->cfd);
	sl = endpoint_to_sockaddr(&srv, &ss);
	if (bind(b->sfd, (struct sockaddr *)&ss, sl) < 0 ||
	    connect(b->cfd, (struct sockaddr *)&ss, sl) < 0)
		die("bind/connect", errno);
	/* the loss runs must lose nothing to a full buffer */
	if (setsockopt(b->sfd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)) < 0)
		die("SO_RCVBUFFORCE", errno);
}

/* Wait for one datagram until @deadline; its arrival time, or 0 if none came. */
static int64_t receive(struct bench *b, int64_t deadline, struct probe *p)
{
	struct pollfd pfd = { .fd = b->sfd, .events = POLLIN };

	for (;;) {
		int64_t now = now_ns();
		struct timespec ts;

		ssize_t n = recv(b->sfd, p, sizeof(*p), 0);

		if (n == sizeof(*p))
			return now_ns();
		if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
			die("recv", errno);
		if (n >= 0)
			continue;	/* not one of ours */
		if (now >= deadline)
			return 0;
		ts.tv_sec = (deadline - now) / NSEC_PER_SEC;
		ts.tv_nsec = (deadline - now) % NSEC_PER_SEC;
		if (ppoll(&pfd, 1, &ts, NULL) < 0 && errno != EINTR)
			die("ppoll", errno);
	}
}

/* A lost datagram is sent as far as the sender knows, as on a wire. */
static void send_probe(struct bench *b, uint32_t seq)
{
	struct probe p = { .seq = seq, .sent_ns = now_ns() };

	if (send(b->cfd, &p, sizeof(p), 0) < 0)
		die("send", errno);
}

/*
 * DELAY_N datagrams, one every DELAY_GAP_NS, received as they arrive: a
 * send is never late for a receive, nor a receive for a send.
 */
static void one_way(struct bench *b, int64_t *ow)
{
	int64_t next = now_ns(), t;
	uint32_t sent = 0, got = 0;
	struct probe p;

	while (got < DELAY_N) {
		if (sent < DELAY_N && now_ns() >= next) {
			send_probe(b, sent++);
			next += DELAY_GAP_NS;
			continue;
		}
		t = receive(b, sent < DELAY_N ? next : now_ns() + QUIET_MS * NSEC_PER_MSEC, &p);
		if (t) {
			if (p.seq != got)
				die("delay: a datagram arrived out of order", EPROTO);
			ow[got++] = t - p.sent_ns;
		} else if (sent == DELAY_N) {
			die("delay: datagrams lost", ETIMEDOUT);
		}
	}
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

static void print_delay(const char *label, int64_t *ow)
{
	qsort(ow, DELAY_N, sizeof(*ow), cmp_i64);
	printf("delay %s: n=%d min=%.3f median=%.3f max=%.3f ms one-way\n", label, DELAY_N,
	       ns_to_ms(ow[0]), (ns_to_ms(ow[DELAY_N / 2 - 1]) + ns_to_ms(ow[DELAY_N / 2])) / 2,
	       ns_to_ms(ow[DELAY_N - 1]));
}

static void bench_delay(struct bench *b)
{
	static const unsigned int ms[] = { 10, 50, 200 };
	int64_t ow[DELAY_N];
	struct impair *ip = NULL;
	char label[16];
	int err;

	err = impair_open(&ip, &b->lab.host[LAB_CLIENT].ns, LAB_IFNAME, IMPAIR_BEST);
	if (err)
		die_impair("impair_open", err, ip);
	printf("impair: mechanism %s\n", impair_mech_name(impair_mech(ip)));
	one_way(b, ow);
	print_delay("none", ow);
	for (size_t i = 0; i < sizeof(ms) / sizeof(ms[0]); i++) {
		err = impair_delay(ip, ms[i]);
		if (err)
			die_impair("impair_delay", err, ip);
		one_way(b, ow);
		snprintf(label, sizeof(label), "%u ms", ms[i]);
		print_delay(label, ow);
	}
	impair_close(ip);
}

/* Take what the server has; @quiet_ns > 0: until it has been quiet that long. */
static unsigned int drain(struct bench *b, int64_t quiet_ns)
{
	unsigned int n = 0;
	struct probe p;

	while (receive(b, now_ns() + quiet_ns, &p))
		n++;
	return n;
}

static void bench_loss(struct bench *b)
{
	static const double percent[] = { 1, 10, 50 };
	struct impair *ip = NULL;
	unsigned int got;
	int err;

	/* a fresh impair: no delay line in the path of the loss runs */
	err = impair_open(&ip, &b->lab.host[LAB_CLIENT].ns, LAB_IFNAME, IMPAIR_BEST);
	if (err)
		die_impair("impair_open", err, ip);
	for (size_t i = 0; i < sizeof(percent) / sizeof(percent[0]); i++) {
		err = impair_loss(ip, percent[i]);
		if (err)
			die_impair("impair_loss", err, ip);
		got = 0;
		for (uint32_t seq = 0; seq < LOSS_N; seq++) {
			send_probe(b, seq);
			if (seq % LOSS_DRAIN_EVERY == LOSS_DRAIN_EVERY - 1)
				got += drain(b, 0);
		}
		got += drain(b, QUIET_MS * NSEC_PER_MSEC);
		printf("loss %g%%: sent=%d received=%u lost=%.2f%%\n", percent[i], LOSS_N, got,
		       100.0 * (LOSS_N - got) / LOSS_N);
	}
	impair_close(ip);
}

int main(int argc, char **argv)
{
	unsigned long id = BENCH_DEFAULT_ID;
	struct netns home = NETNS_INIT;
	struct bench b = { .cfd = -1, .sfd = -1 };
	struct probe p;
	char *end;
	int opt, err;

	if (argv[0] && strrchr(argv[0], '/'))
		prog = strrchr(argv[0], '/') + 1;
	while ((opt = getopt(argc, argv, "i:h")) != -1) {
		if (opt != 'i')
			usage();
		errno = 0;
		id = strtoul(optarg, &end, 10);
		if (errno || end == optarg || *end || *optarg == '-' || id > LAB_MAX_ID)
			usage();
	}
	if (optind != argc)
		usage();

	err = netns_current(&home);
	if (!err)
		err = lab_pair_up(&b.lab, id, &home);
	if (err)
		die("lab_pair_up", err);
	udp_pair(&b);
	/* the lab works (and ARP is resolved) before anything is timed */
	send_probe(&b, 0);
	if (!receive(&b, now_ns() + 2 * NSEC_PER_SEC, &p))
		die("check: no datagram crossed the lab", ETIMEDOUT);

	bench_delay(&b);
	bench_loss(&b);

	close(b.cfd);
	close(b.sfd);
	lab_down(&b.lab);
	netns_close(&home);
	return 0;
}
