// SPDX-License-Identifier: GPL-2.0
/*
 * The lab library against the real kernel: namespaces, veth, addresses,
 * the sysctl guard, sock_diag and the bounded waits.
 */
#include <errno.h>
#include <net/if.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "clock.h"
#include "conn.h"
#include "itest.h"
#include "lab.h"
#include "sockview.h"
#include "sysctl.h"
#include "wait.h"

struct fixture {
	struct netns home;
	struct lab lab;
};

static int setup(void **state)
{
	static struct fixture f;

	*state = &f;
	return itest_lab_up(&f.home, &f.lab, LAB_PAIR, 7);
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	itest_lab_down(&f->home, &f->lab);
	return 0;
}

/* Run if_nametoindex() for the lab's link in @ns. */
static unsigned int ifindex_in(const struct netns *ns)
{
	struct netns saved = NETNS_INIT;
	unsigned int idx;

	assert_int_equal(netns_enter(ns, &saved), 0);
	idx = if_nametoindex(LAB_IFNAME);
	assert_int_equal(netns_leave(&saved), 0);
	return idx;
}

static void test_namespaces_are_anonymous_and_distinct(void **state)
{
	struct fixture *f = *state;

	assert_false(netns_same(&f->lab.host[LAB_CLIENT].ns, &f->home));
	assert_false(netns_same(&f->lab.host[LAB_SERVER].ns, &f->home));
	assert_false(netns_same(&f->lab.host[LAB_CLIENT].ns, &f->lab.host[LAB_SERVER].ns));
	/* nothing named under /run/netns */
	assert_int_equal(system("[ -z \"$(ip netns list 2>/dev/null)\" ]"), 0);
}

static void test_veth_lives_only_in_the_lab(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(ifindex_in(&f->lab.host[LAB_CLIENT].ns), 2);
	assert_int_equal(ifindex_in(&f->lab.host[LAB_SERVER].ns), 2);
	assert_int_equal(ifindex_in(&f->home), 0);
}

static void test_tcp_across_the_veth(void **state)
{
	struct fixture *f = *state;
	int families[] = { AF_INET, AF_INET6 };

	for (size_t i = 0; i < 2; i++) {
		struct endpoint srv;
		int lfd, cfd, sfd;

		lab_endpoint(&f->lab, LAB_SERVER, 0, families[i], 9000, &srv);
		lfd = conn_listen(&f->lab, LAB_SERVER, &srv);
		assert_true(lfd >= 0);
		assert_int_equal(conn_pair(&f->lab, LAB_CLIENT, NULL, lfd, &srv, &cfd, &sfd), 0);
		close(cfd);
		close(sfd);
		close(lfd);
	}
}

static void test_sysctl_guard(void **state)
{
	struct fixture *f = *state;
	char before[64], after[64], lab_val[64];

	assert_int_equal(sysctl_read(&f->home, "tcp_fin_timeout", before, sizeof(before)), 0);
	/* a write aimed at the home namespace is refused, whatever the caller meant */
	assert_int_equal(sysctl_write(&f->home, &f->home, "tcp_fin_timeout", "7"), -EPERM);
	assert_int_equal(lab_sysctl_set(&f->lab, LAB_CLIENT, "tcp_fin_timeout", "7"), 0);
	assert_int_equal(lab_sysctl_get(&f->lab, LAB_CLIENT, "tcp_fin_timeout", lab_val,
					sizeof(lab_val)), 0);
	assert_string_equal(lab_val, "7");
	assert_int_equal(sysctl_read(&f->home, "tcp_fin_timeout", after, sizeof(after)), 0);
	assert_string_equal(before, after);
	assert_int_equal(sysctl_exists(&f->lab.host[LAB_CLIENT].ns, "tcp_tw_recycle"), 0);
}

/* A TIME_WAIT socket, its timer as sock_diag shows it, and bounded waits. */
static void test_sockview_and_wait(void **state)
{
	struct fixture *f = *state;
	struct sockview sv = { 0 };
	struct endpoint srv;
	struct sv_sock s;
	struct watch w = { .states = TCPF(TCP_TIME_WAIT) };
	int lfd, cfd, sfd;
	int64_t t0;

	assert_int_equal(sockview_open(&sv, &f->lab.host[LAB_CLIENT].ns), 0);
	lab_endpoint(&f->lab, LAB_SERVER, 0, AF_INET, 9001, &srv);
	lfd = conn_listen(&f->lab, LAB_SERVER, &srv);
	assert_true(lfd >= 0);
	assert_int_equal(conn_pair(&f->lab, LAB_CLIENT, NULL, lfd, &srv, &cfd, &sfd), 0);
	assert_int_equal(tuple_of_socket(cfd, &w.t), 0);
	assert_int_equal(sockview_find(&sv, &w.t, TCPF(TCP_ESTABLISHED), &s), 0);
	assert_int_equal(s.state, TCP_ESTABLISHED);

	close(cfd);
	assert_int_equal(conn_wait_eof(sfd, 1000), 0);
	close(sfd);
	assert_int_equal(wait_state(&sv, &w.t, TCPF(TCP_TIME_WAIT), now_ns() + NSEC_PER_SEC), 0);
	assert_int_equal(sockview_find(&sv, &w.t, TCPF(TCP_TIME_WAIT), &s), 0);
	assert_int_equal(s.timer, 3);			/* TIME_WAIT timer */
	assert_true(s.expires_ms > 55000 && s.expires_ms <= 60000);
	/* filtered by state in the kernel: not listed as ESTABLISHED */
	assert_int_equal(sockview_find(&sv, &w.t, TCPF(TCP_ESTABLISHED), NULL), -ENOENT);

	/* a wait that cannot succeed in time is an error, not a pass */
	t0 = now_ns();
	assert_int_equal(wait_gone(&sv, &w, 1, t0 + 50 * NSEC_PER_MSEC), -ETIMEDOUT);
	assert_true(now_ns() - t0 < 5 * NSEC_PER_SEC);
	assert_int_equal(w.gone_ns, 0);
	close(lfd);
	sockview_close(&sv);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_namespaces_are_anonymous_and_distinct),
		cmocka_unit_test(test_veth_lives_only_in_the_lab),
		cmocka_unit_test(test_tcp_across_the_veth),
		cmocka_unit_test(test_sysctl_guard),
		cmocka_unit_test(test_sockview_and_wait),
	};

	return cmocka_run_group_tests_name("lab library (root, real kernel)", tests,
					   setup, teardown);
}
