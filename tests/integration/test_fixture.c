// SPDX-License-Identifier: GPL-2.0
/*
 * A case's fixture against the real kernel (harness/fixture.c): what a
 * TW_CASE() declares is there when run() would start -- each listener
 * listening where it was declared, as the host's own sock_diag lists it,
 * the impairment in place, the client's capture writing its file -- and
 * after fixture_teardown() none of it is left.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "fixture.h"
#include "itest.h"
#include "sockview.h"

#define LAB_ID		13
#define PORT_OWN	8500
#define PORT_LOOP	8501
#define PORT_ANY	8502

static const struct tw_case declared = {
	.name = "fixture_test",
	.views = HOST(LAB_CLIENT) | HOST(LAB_SERVER),
	.listen = { LISTEN(PORT_OWN), LISTEN_LOOPBACK(LAB_CLIENT, PORT_LOOP),
		    LISTEN_ANY(PORT_ANY) },
	.needs = NEED_IMPAIR | NEED_CAPTURE,
};

struct fixture {
	struct netns home;
	struct lab lab;
};

ITEST_LAB_GROUP(struct fixture, LAB_PAIR, LAB_ID)

struct listening {
	uint16_t port;
	struct endpoint at;	/* where the kernel says it listens */
	int n;
};

static int find_listener(const struct sv_sock *s, void *arg)
{
	struct listening *l = arg;

	if (s->t.src.port == l->port) {
		l->at = s->t.src;
		l->n++;
	}
	return 0;
}

/* How many listeners @sv lists on @port, and the address of the last. */
static int listeners(struct sockview *sv, int family, uint16_t port, struct endpoint *at)
{
	struct listening l = { .port = port };

	assert_int_equal(sockview_dump(sv, family, TCPF(TCP_LISTEN), find_listener, &l), 0);
	if (at)
		*at = l.at;
	return l.n;
}

static void check_family(struct lab *lab, int family)
{
	char pcap[] = "/tmp/twlab-fixture-XXXXXX";
	struct tw_result r = { 0 };
	struct tw_fixture fx;
	struct sockview sv[LAB_PAIR_HOSTS] = { 0 };
	struct endpoint at, own, loop;
	struct stat st;
	int fd = mkstemp(pcap);

	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(fixture_setup(&fx, lab, &declared, family, pcap, &r), 0);
	assert_int_equal(r.outcome, R_PASS);
	assert_non_null(fx.capture[LAB_CLIENT]);
	assert_non_null(fx.impair);
	assert_true(!strcmp(r.impair, "netem") || !strcmp(r.impair, "nft"));

	/* each listener where it was declared, seen by its host's own view */
	lab_endpoint(lab, LAB_SERVER, 0, family, PORT_OWN, &own);
	assert_int_equal(listeners(&fx.sv[LAB_SERVER], family, PORT_OWN, &at), 1);
	assert_true(endpoint_eq(&at, &own));
	assert_true(endpoint_eq(&fx.listen[0], &own));
	endpoint_loopback(family, PORT_LOOP, &loop);
	assert_int_equal(listeners(&fx.sv[LAB_CLIENT], family, PORT_LOOP, &at), 1);
	assert_true(endpoint_eq(&at, &loop));
	assert_int_equal(listeners(&fx.sv[LAB_SERVER], family, PORT_LOOP, NULL), 0);
	assert_int_equal(listeners(&fx.sv[LAB_SERVER], family, PORT_ANY, &at), 1);
	assert_true(at.port == PORT_ANY && fx.listen[2].port == PORT_ANY);
	assert_int_equal(fx.lfd[3], -1);

	fixture_teardown(&fx, &declared, &r);
	assert_int_equal(r.outcome, R_PASS);
	/* nothing left: no descriptor, no listener, the capture's file written */
	for (int i = 0; i < 3; i++)
		assert_true(fcntl(fx.lfd[i], F_GETFD) < 0 || fx.lfd[i] == -1);
	for (int h = 0; h < LAB_PAIR_HOSTS; h++) {
		assert_int_equal(sockview_open(&sv[h], &lab->host[h].ns), 0);
		assert_int_equal(listeners(&sv[h], family, PORT_OWN, NULL) +
				 listeners(&sv[h], family, PORT_LOOP, NULL) +
				 listeners(&sv[h], family, PORT_ANY, NULL), 0);
		sockview_close(&sv[h]);
	}
	assert_int_equal(stat(pcap, &st), 0);
	assert_true(st.st_size >= 24);	/* at least pcap's file header */
	unlink(pcap);
}

static void test_declared_is_built_and_torn_down(void **state)
{
	struct fixture *f = *state;

	check_family(&f->lab, AF_INET);
	check_family(&f->lab, AF_INET6);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_declared_is_built_and_torn_down),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
