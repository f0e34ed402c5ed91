// SPDX-License-Identifier: GPL-2.0
/*
 * Lab set-up + tear-down benchmark, the twlab library's side.
 *
 * Each iteration is lab_pair_up() (two anonymous namespaces, a veth
 * between them, IPv4 + IPv6 addresses on both ends, each known to the
 * other end as a permanent neighbour, lo up) and then lab_down(),
 * timed together on CLOCK_MONOTONIC.  Before timing, one lab is checked
 * end to end: a TCP connection from the client host to a
 * listener on the server's lab address, for each family, must come up
 * with the lab addresses on both ends, so the figures can never be those
 * of a set-up that does not work.
 *
 * Output, one line on stdout:
 *   lib: n=200 min=0.412 median=0.501 max=1.920 ms
 * On any failure: one line on stderr and exit status 1.
 *
 * Namespace teardown in the kernel (cleanup_net) is asynchronous: what
 * lab_down() costs is what a test run waits for, and that is what is
 * measured.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "conn.h"
#include "inet.h"
#include "lab.h"
#include "netns.h"

#define BENCH_DEFAULT_N		200
#define BENCH_DEFAULT_ID	200	/* 198.18.200.0/24, 2001:db8:c8::/64 */
#define BENCH_PORT		5001

static const char *prog = "lab";

static void die(const char *what, int err)
{
	fprintf(stderr, "%s: %s: %s\n", prog, what, strerror(err < 0 ? -err : err));
	exit(1);
}

static void usage(void)
{
	fprintf(stderr, "usage: %s [-n ITERATIONS] [-i LAB_ID]\n", prog);
	exit(2);
}

static unsigned long parse_ulong(const char *s, unsigned long max)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end || *s == '-' || v > max)
		usage();
	return v;
}

/* One family: client connects to a listener on the server's address. */
static void check_family(const struct lab *lab, int family)
{
	struct endpoint srv, cli, want_cli;
	struct tuple t;
	char what[128], a[ENDPOINT_STRLEN], b[ENDPOINT_STRLEN];
	char c[ENDPOINT_STRLEN], d[ENDPOINT_STRLEN];
	int lfd, cfd, sfd, err;

	if ((err = lab_endpoint(lab, LAB_SERVER, 0, family, BENCH_PORT, &srv)) ||
	    (err = lab_endpoint(lab, LAB_CLIENT, 0, family, 0, &cli)))
		die("lab_endpoint", err);

	lfd = conn_listen(lab, LAB_SERVER, &srv);
	if (lfd < 0) {
		snprintf(what, sizeof(what), "check %s: listen on %s",
			 family_name(family), endpoint_fmt(&srv, a, sizeof(a)));
		die(what, lfd);
	}
	err = conn_pair(lab, LAB_CLIENT, &cli, lfd, &srv, &cfd, &sfd);
	if (err) {
		snprintf(what, sizeof(what), "check %s: connect to %s",
			 family_name(family), endpoint_fmt(&srv, a, sizeof(a)));
		die(what, err);
	}

	/* The server must see the client's lab address, on the lab port. */
	err = tuple_of_socket(sfd, &t);
	if (err)
		die("check: tuple_of_socket", err);
	want_cli = cli;
	want_cli.port = t.dst.port;
	if (!endpoint_eq(&t.src, &srv) || !endpoint_eq(&t.dst, &want_cli)) {
		fprintf(stderr, "%s: check %s: accepted %s <- %s, expected %s <- %s\n",
			prog, family_name(family),
			endpoint_fmt(&t.src, a, sizeof(a)),
			endpoint_fmt(&t.dst, b, sizeof(b)),
			endpoint_fmt(&srv, c, sizeof(c)),
			endpoint_fmt(&want_cli, d, sizeof(d)));
		exit(1);
	}
	close(cfd);
	close(sfd);
	close(lfd);
}

static void check_lab(unsigned int id, const struct netns *home)
{
	struct netns now = NETNS_INIT;
	struct lab lab;
	int err;

	err = lab_pair_up(&lab, id, home);
	if (err)
		die("check: lab_pair_up", err);
	check_family(&lab, AF_INET);
	check_family(&lab, AF_INET6);
	lab_down(&lab);

	/* And the library must have brought us home every time. */
	err = netns_current(&now);
	if (err)
		die("check: netns_current", err);
	if (!netns_same(&now, home)) {
		fprintf(stderr, "%s: check: thread left in a lab namespace\n", prog);
		exit(1);
	}
	netns_close(&now);
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	unsigned long n = BENCH_DEFAULT_N, id = BENCH_DEFAULT_ID;
	struct netns home = NETNS_INIT;
	double median;
	int64_t *t;
	int opt, err;

	if (argv[0] && strrchr(argv[0], '/'))
		prog = strrchr(argv[0], '/') + 1;
	else if (argv[0])
		prog = argv[0];
	while ((opt = getopt(argc, argv, "n:i:h")) != -1) {
		switch (opt) {
		case 'n': n = parse_ulong(optarg, 1000000); break;
		case 'i': id = parse_ulong(optarg, LAB_MAX_ID); break;
		default:  usage();
		}
	}
	if (optind != argc || n == 0)
		usage();

	t = calloc(n, sizeof(*t));
	if (!t)
		die("calloc", ENOMEM);
	err = netns_current(&home);
	if (err)
		die("netns_current", err);

	check_lab(id, &home);

	for (unsigned long i = 0; i < n; i++) {
		struct lab lab;
		int64_t t0 = now_ns();

		err = lab_pair_up(&lab, id, &home);
		if (err) {
			char what[64];

			lab_down(&lab);
			snprintf(what, sizeof(what), "iteration %lu: lab_pair_up", i);
			die(what, err);
		}
		lab_down(&lab);
		t[i] = now_ns() - t0;
	}

	qsort(t, n, sizeof(*t), cmp_i64);
	if (n % 2)
		median = ns_to_ms(t[n / 2]);
	else
		median = (ns_to_ms(t[n / 2 - 1]) + ns_to_ms(t[n / 2])) / 2;
	printf("lib: n=%lu min=%.3f median=%.3f max=%.3f ms\n",
	       n, ns_to_ms(t[0]), median, ns_to_ms(t[n - 1]));

	netns_close(&home);
	free(t);
	return 0;
}
