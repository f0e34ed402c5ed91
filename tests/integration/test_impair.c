// SPDX-License-Identifier: GPL-2.0
/*
 * lib/impair.c against the real kernel, on the client's end of a lab link:
 * the mechanism is chosen by trying (and agrees with the kernel's config),
 * an exact drop drops exactly one pure ACK of several and TCP carries on,
 * a lost data segment is retransmitted as after a loss on a wire, random
 * loss loses what it was told, the delay line delays by what it was told,
 * and impair_close() leaves nothing in the lab namespace.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <math.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <netinet/tcp.h>

#include <cmocka.h>
#include <zlib.h>

#include "clock.h"
#include "conn.h"
#include "impair.h"
#include "itest.h"
#include "lab.h"
#include "nsexec.h"

#define LAB_ID		500
#define IO_MS		3000	/* any one read: TCP recovers from a lost ACK well within */
#define LOSS_SENDS	2000
#define LOSS_PERCENT	10.0
#define LOSS_WITHIN	3.0	/* points: 4.5 sd of a binomial(2000, 0.1) */
#define DELAY_MS	50
#define DELAY_WITHIN	5.0	/* ms, on the median rise of the RTT */
#define PINGS		21
#define OUT_MAX		8192

struct fixture {
	struct netns home;
	struct lab lab;
	struct impair *ip;
};

ITEST_LAB_GROUP(struct fixture, LAB_PAIR, LAB_ID)

/* After each test, whatever it asserted: no impair left. */
static int test_teardown(void **state)
{
	struct fixture *f = *state;

	impair_close(f->ip);
	f->ip = NULL;
	return 0;
}

static void open_impair(struct fixture *f, enum impair_mech want)
{
	int err = impair_open(&f->ip, &f->lab.host[LAB_CLIENT].ns, LAB_IFNAME, want);

	if (err)
		fail_msg("impair_open(%s): %s: %s", impair_mech_name(want), strerror(-err),
			 impair_error(f->ip));
}

static void check(struct fixture *f, int err, const char *what)
{
	if (err)
		fail_msg("%s: %s: %s", what, strerror(-err), impair_error(f->ip));
}

/* What the kernel was built with, read independently of lib/impair.c. */
static bool config_has(const char *line)
{
	gzFile z = gzopen("/proc/config.gz", "r");
	char buf[256];
	bool found = false;

	if (!z)
		return false;
	while (!found && gzgets(z, buf, sizeof(buf)))
		found = !strncmp(buf, line, strlen(line));
	gzclose(z);
	return found;
}

/* Exactly @len bytes into @buf, each read bounded. */
static void read_full(int fd, char *buf, size_t len)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	size_t got = 0;

	while (got < len) {
		ssize_t n;

		assert_int_equal(poll(&p, 1, IO_MS), 1);
		n = read(fd, buf + got, len - got);
		assert_true(n > 0);
		got += n;
	}
}

/* @len bytes from @from arrive whole at @to. */
static void xfer(int from, int to, size_t len)
{
	char out[4096], in[4096];

	assert_true(len <= sizeof(out));
	for (size_t i = 0; i < len; i++)
		out[i] = (char)(i * 7 + len);
	assert_int_equal(write(from, out, len), (ssize_t)len);
	read_full(to, in, len);
	assert_memory_equal(in, out, len);
}

static void udp_pair(struct fixture *f, int family, uint16_t port, int *cfd, int *sfd)
{
	struct sockaddr_storage ss;
	struct endpoint srv;
	socklen_t sl;

	assert_int_equal(lab_endpoint(&f->lab, LAB_SERVER, 0, family, port, &srv), 0);
	*sfd = lab_socket(&f->lab, LAB_SERVER, family, SOCK_DGRAM);
	*cfd = lab_socket(&f->lab, LAB_CLIENT, family, SOCK_DGRAM);
	assert_true(*sfd >= 0 && *cfd >= 0);
	sl = endpoint_to_sockaddr(&srv, &ss);
	assert_int_equal(bind(*sfd, (struct sockaddr *)&ss, sl), 0);
	assert_int_equal(connect(*cfd, (struct sockaddr *)&ss, sl), 0);
	/* and back: the server answers with send() */
	sl = sizeof(ss);
	assert_int_equal(getsockname(*cfd, (struct sockaddr *)&ss, &sl), 0);
	assert_int_equal(connect(*sfd, (struct sockaddr *)&ss, sl), 0);
}

/* (a) netem where the kernel has it, else nft: found by trying, as the config says. */
static void t_mech(void **state)
{
	struct fixture *f = *state;
	bool netem = config_has("CONFIG_NET_SCH_NETEM=y");
	int err;

	open_impair(f, IMPAIR_BEST);
	assert_int_equal(impair_mech(f->ip), netem ? IMPAIR_NETEM : IMPAIR_NFT);
	print_message("IMPAIR_BEST chose %s (CONFIG_NET_SCH_NETEM %s)\n",
		      impair_mech_name(impair_mech(f->ip)), netem ? "=y" : "not set");
	impair_close(f->ip);
	f->ip = NULL;

	err = impair_open(&f->ip, &f->lab.host[LAB_CLIENT].ns, LAB_IFNAME, IMPAIR_NETEM);
	if (netem) {
		assert_int_equal(err, 0);
		return;
	}
	assert_int_equal(err, -EOPNOTSUPP);
	assert_non_null(strstr(impair_error(f->ip), "netem"));
	print_message("IMPAIR_NETEM: %s\n", impair_error(f->ip));
	impair_close(f->ip);
	f->ip = NULL;

	/* one impair per lab host: a second one is refused, not mixed in */
	open_impair(f, IMPAIR_NFT);
	{
		struct impair *second = NULL;

		err = impair_open(&second, &f->lab.host[LAB_CLIENT].ns, LAB_IFNAME, IMPAIR_NFT);
		impair_close(second);
		assert_int_equal(err, -EBUSY);
	}
}

/*
 * (b) Drop one pure ACK of the client's: the server sends five chunks,
 * one at a time, and the client acks each at once (TCP_QUICKACK); the
 * rule sees them all and drops the first.  TCP recovers: the next
 * cumulative ACK covers the lost one.
 */
static void exact_drop(struct fixture *f, int family, uint16_t port)
{
	const uint8_t all = TH_FIN | TH_SYN | TH_RST | TH_PUSH | TH_ACK | TH_URG;
	struct endpoint srv;
	struct tuple tc;
	uint64_t dropped, matched;
	int lfd, cfd, sfd, one = 1;

	assert_int_equal(lab_endpoint(&f->lab, LAB_SERVER, 0, family, port, &srv), 0);
	lfd = conn_listen(&f->lab, LAB_SERVER, &srv);
	assert_true(lfd >= 0);
	assert_int_equal(conn_pair(&f->lab, LAB_CLIENT, NULL, lfd, &srv, &cfd, &sfd), 0);
	close(lfd);
	assert_int_equal(tuple_of_socket(cfd, &tc), 0);

	open_impair(f, IMPAIR_NFT);
	check(f, impair_drop(f->ip, &(struct drop_match){
		.family = family, .flags = TH_ACK, .mask = all,
		.sport = tc.src.port, .count = 1 }), "impair_drop");

	for (int i = 0; i < 5; i++) {
		assert_int_equal(setsockopt(cfd, IPPROTO_TCP, TCP_QUICKACK, &one, sizeof(one)), 0);
		xfer(sfd, cfd, 1000);
		usleep(20000);		/* each ACK its own segment */
	}
	xfer(cfd, sfd, 3000);
	xfer(sfd, cfd, 4000);
	xfer(cfd, sfd, 100);

	check(f, impair_dropped(f->ip, &dropped), "impair_dropped");
	check(f, impair_matched(f->ip, &matched), "impair_matched");
	print_message("%s: %llu of %llu pure ACKs from port %u dropped\n", family_name(family),
		      (unsigned long long)dropped, (unsigned long long)matched, tc.src.port);
	assert_int_equal(dropped, 1);
	assert_true(matched >= 3);
	close(cfd);
	close(sfd);
}

/*
 * A lost data segment is a loss to TCP, as on a wire: the sender thinks
 * it sent it, its RTO fires, and it is retransmitted (tcpi_total_retrans).
 * Under a plain nft `drop` it would be "not sent" instead, and go out
 * later with no retransmission counted (tcp_write_xmit()).
 */
static void t_drop_data_is_loss(void **state)
{
	struct fixture *f = *state;
	struct endpoint srv;
	struct tcp_info ti;
	socklen_t sl = sizeof(ti);
	struct tuple tc;
	uint64_t dropped;
	int lfd, cfd, sfd;

	assert_int_equal(lab_endpoint(&f->lab, LAB_SERVER, 0, AF_INET, 5006, &srv), 0);
	lfd = conn_listen(&f->lab, LAB_SERVER, &srv);
	assert_true(lfd >= 0);
	assert_int_equal(conn_pair(&f->lab, LAB_CLIENT, NULL, lfd, &srv, &cfd, &sfd), 0);
	close(lfd);
	assert_int_equal(tuple_of_socket(cfd, &tc), 0);

	open_impair(f, IMPAIR_NFT);
	check(f, impair_drop(f->ip, &(struct drop_match){
		.flags = TH_PUSH | TH_ACK, .mask = TH_PUSH | TH_ACK | TH_SYN | TH_FIN | TH_RST,
		.sport = tc.src.port, .count = 1 }), "impair_drop");
	xfer(cfd, sfd, 100);
	check(f, impair_dropped(f->ip, &dropped), "impair_dropped");
	assert_int_equal(getsockopt(cfd, IPPROTO_TCP, TCP_INFO, &ti, &sl), 0);
	print_message("data segment lost: %llu dropped, %u retransmitted\n",
		      (unsigned long long)dropped, ti.tcpi_total_retrans);
	assert_int_equal(dropped, 1);
	assert_true(ti.tcpi_total_retrans >= 1);	/* a plain drop: 0 */
	close(cfd);
	close(sfd);
}

static void t_drop_v4(void **state)
{
	exact_drop(*state, AF_INET, 5001);
}

static void t_drop_v6(void **state)
{
	exact_drop(*state, AF_INET6, 5002);
}

/*
 * (c) 10% random loss, counted at the server, whose buffer holds every
 * datagram: what it misses was lost on the link alone.  And, as on a
 * wire or under netem, the sender never hears of it: every send()
 * succeeds (a plain nft `drop` would fail it with EPERM).
 */
static void t_loss(void **state)
{
	struct fixture *f = *state;
	struct pollfd p = { .events = POLLIN };
	int cfd, sfd, size = 8 << 20, got = 0;
	char buf[64] = "loss";
	double lost;

	udp_pair(f, AF_INET, 5003, &cfd, &sfd);
	assert_int_equal(setsockopt(sfd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)), 0);
	xfer(cfd, sfd, 4);		/* ARP resolved before the loss starts */

	open_impair(f, IMPAIR_NFT);
	check(f, impair_loss(f->ip, LOSS_PERCENT), "impair_loss");
	for (int i = 0; i < LOSS_SENDS; i++)
		assert_int_equal(send(cfd, buf, sizeof(buf), 0), sizeof(buf));
	p.fd = sfd;
	while (poll(&p, 1, 200) == 1 && recv(sfd, buf, sizeof(buf), 0) > 0)
		got++;
	lost = 100.0 * (LOSS_SENDS - got) / LOSS_SENDS;
	print_message("loss %.0f%%: %d of %d datagrams arrived (%.2f%% lost)\n",
		      LOSS_PERCENT, got, LOSS_SENDS, lost);
	assert_true(fabs(lost - LOSS_PERCENT) < LOSS_WITHIN);

	/* loss 0 takes the rule away */
	check(f, impair_loss(f->ip, 0), "impair_loss(0)");
	for (int i = 0; i < 200; i++)
		xfer(cfd, sfd, 16);
	close(cfd);
	close(sfd);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Median RTT of a UDP ping-pong, client to server and back, in ms. */
static double rtt_ms(int cfd, int sfd)
{
	double rtt[PINGS];
	char buf[32];

	for (int i = 0; i < PINGS; i++) {
		int64_t t0 = now_ns();

		assert_int_equal(send(cfd, "ping", 4, 0), 4);
		read_full(sfd, buf, 4);
		assert_int_equal(send(sfd, "pong", 4, 0), 4);
		read_full(cfd, buf, 4);
		rtt[i] = ns_to_ms(now_ns() - t0);
	}
	qsort(rtt, PINGS, sizeof(rtt[0]), cmp_double);
	return rtt[PINGS / 2];
}

/* The queue bound in the lab, from the lab's own /proc/net. */
static int queues_bound(struct fixture *f)
{
	char out[OUT_MAX];
	int n = 0;

	assert_int_equal(ns_run(&f->lab.host[LAB_CLIENT].ns,
				"cat /proc/net/netfilter/nfnetlink_queue", out, sizeof(out), 5000), 0);
	for (char *p = out; (p = strchr(p, '\n')); p++)
		n++;
	return n;
}

/* (d) the client's egress delayed by 50 ms: the RTT rises by as much. */
static void delay(struct fixture *f, int family, uint16_t port)
{
	double base, delayed, after;
	int cfd, sfd;

	udp_pair(f, family, port, &cfd, &sfd);
	base = rtt_ms(cfd, sfd);
	open_impair(f, IMPAIR_NFT);
	check(f, impair_delay(f->ip, DELAY_MS), "impair_delay");
	assert_int_equal(queues_bound(f), 1);
	delayed = rtt_ms(cfd, sfd);
	impair_close(f->ip);
	f->ip = NULL;
	after = rtt_ms(cfd, sfd);
	print_message("%s: RTT median %.3f ms, with %d ms delay %.3f ms (+%.3f), after close %.3f ms\n",
		      family_name(family), base, DELAY_MS, delayed, delayed - base, after);
	assert_true(fabs(delayed - base - DELAY_MS) < DELAY_WITHIN);
	assert_true(after < base + 1.0);
	assert_int_equal(queues_bound(f), 0);
	close(cfd);
	close(sfd);
}

static void t_delay_v4(void **state)
{
	delay(*state, AF_INET, 5004);
}

static void t_delay_v6(void **state)
{
	delay(*state, AF_INET6, 5005);
}

/*
 * Datagrams still held by the delay line at impair_close() are handed on,
 * not lost: the line lets go before the table (and its hooks) goes.
 */
static void t_close_releases(void **state)
{
	struct fixture *f = *state;
	struct pollfd p = { .events = POLLIN };
	char buf[16];
	int cfd, sfd, got = 0;

	udp_pair(f, AF_INET, 5007, &cfd, &sfd);
	xfer(cfd, sfd, 4);
	open_impair(f, IMPAIR_NFT);
	check(f, impair_delay(f->ip, 200), "impair_delay");
	for (int i = 0; i < 10; i++)
		assert_int_equal(send(cfd, "held", 4, 0), 4);
	p.fd = sfd;
	assert_int_equal(poll(&p, 1, 50), 0);	/* held, for now */
	impair_close(f->ip);
	f->ip = NULL;
	while (poll(&p, 1, 500) == 1 && recv(sfd, buf, sizeof(buf), 0) > 0)
		got++;
	assert_int_equal(got, 10);
	close(cfd);
	close(sfd);
}

static void ruleset(struct fixture *f, char *out, size_t len)
{
	assert_int_equal(ns_run(&f->lab.host[LAB_CLIENT].ns, "nft list ruleset", out, len, 5000), 0);
}

/* (e) every mechanism in place, then impair_close(): nothing left behind. */
static void t_close_clean(void **state)
{
	struct fixture *f = *state;
	char out[OUT_MAX];

	open_impair(f, IMPAIR_NFT);
	check(f, impair_drop(f->ip, &(struct drop_match){ .flags = TH_SYN, .mask = TH_SYN,
		.dport = 9, .count = 3 }), "impair_drop");
	check(f, impair_loss(f->ip, 1), "impair_loss");
	check(f, impair_delay(f->ip, 10), "impair_delay");
	ruleset(f, out, sizeof(out));
	assert_non_null(strstr(out, "table inet twlab"));
	assert_non_null(strstr(out, "numgen inc mod 4294967295 < 3"));
	assert_non_null(strstr(out, "numgen random mod 10000 < 100 jump blackhole"));
	assert_non_null(strstr(out, "jump delay_queue"));
	/* nft cannot print the compat rule back as text; its netlink form shows it */
	assert_int_equal(ns_run(&f->lab.host[LAB_CLIENT].ns,
				"nft --debug=netlink list chain inet twlab delay_queue",
				out, sizeof(out), 5000), 0);
	assert_non_null(strstr(out, "[ target name NFQUEUE rev 3 ]"));

	impair_close(f->ip);
	f->ip = NULL;
	ruleset(f, out, sizeof(out));
	assert_string_equal(out, "");
	assert_int_equal(queues_bound(f), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(t_mech, test_teardown),
		cmocka_unit_test_teardown(t_drop_v4, test_teardown),
		cmocka_unit_test_teardown(t_drop_v6, test_teardown),
		cmocka_unit_test_teardown(t_drop_data_is_loss, test_teardown),
		cmocka_unit_test_teardown(t_loss, test_teardown),
		cmocka_unit_test_teardown(t_delay_v4, test_teardown),
		cmocka_unit_test_teardown(t_delay_v6, test_teardown),
		cmocka_unit_test_teardown(t_close_releases, test_teardown),
		cmocka_unit_test_teardown(t_close_clean, test_teardown),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
