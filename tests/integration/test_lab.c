// SPDX-License-Identifier: GPL-2.0
/*
 * The lab library against the real kernel: namespaces, veth, addresses,
 * the sysctl guard, sock_diag and the bounded waits; and that a lab never
 * waits on DAD or neighbour resolution.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <net/if.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <linux/if_addr.h>
#include <linux/neighbour.h>
#include <netlink/netlink.h>
#include <netlink/addr.h>
#include <netlink/cache.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/route/neighbour.h>

#include "clock.h"
#include "conn.h"
#include "cpu.h"
#include "itest.h"
#include "lab.h"
#include "sockview.h"
#include "sysctl.h"
#include "wait.h"

struct fixture {
	struct netns home;
	struct lab lab;
};

ITEST_LAB_GROUP(struct fixture, LAB_PAIR, 7)

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

/* One end of a lab link: a host's interface (tw0 is 2, the router's 2, 3, 4: lib/lab.c). */
struct end {
	int host;
	int ifindex;
};

/* @e's MAC, as the kernel has it. */
static struct nl_addr *end_mac(const struct lab *lab, struct end e)
{
	struct rtnl_link *l;
	struct nl_addr *mac;

	assert_int_equal(rtnl_link_get_kernel(lab->host[e.host].rtnl, e.ifindex, NULL, &l), 0);
	mac = nl_addr_clone(rtnl_link_get_addr(l));
	rtnl_link_put(l);
	assert_non_null(mac);
	return mac;
}

/* @at has a NUD_PERMANENT entry for @dst, at @mac, on its end of the link. */
static void assert_permanent(struct end at, struct nl_cache *neighs, struct nl_addr *dst,
			     struct nl_addr *mac)
{
	struct rtnl_neigh *n;
	char buf[64];

	n = rtnl_neigh_get(neighs, at.ifindex, dst);
	if (!n)
		fail_msg("host %d has no neighbour entry for %s", at.host,
			 nl_addr2str(dst, buf, sizeof(buf)));
	assert_int_equal(rtnl_neigh_get_state(n), NUD_PERMANENT);
	assert_int_equal(nl_addr_cmp(rtnl_neigh_get_lladdr(n), mac), 0);
	rtnl_neigh_put(n);
}

/*
 * Every global address on @from's end: usable now (not tentative; IPv6
 * without DAD at all), and in @to's neighbour table, permanent, at
 * @from's MAC.  Returns how many addresses there were.
 */
static int check_link_end(const struct lab *lab, struct end from, struct end to)
{
	struct nl_cache *addrs, *neighs;
	struct nl_addr *mac = end_mac(lab, from);
	struct nl_object *o;
	int n = 0;

	assert_int_equal(rtnl_addr_alloc_cache(lab->host[from.host].rtnl, &addrs), 0);
	assert_int_equal(rtnl_neigh_alloc_cache(lab->host[to.host].rtnl, &neighs), 0);
	for (o = nl_cache_get_first(addrs); o; o = nl_cache_get_next(o)) {
		struct rtnl_addr *a = (struct rtnl_addr *)o;
		struct nl_addr *local;

		if (rtnl_addr_get_ifindex(a) != from.ifindex ||
		    rtnl_addr_get_scope(a) != RT_SCOPE_UNIVERSE)
			continue;
		assert_false(rtnl_addr_get_flags(a) & IFA_F_TENTATIVE);
		if (rtnl_addr_get_family(a) == AF_INET6)
			assert_true(rtnl_addr_get_flags(a) & IFA_F_NODAD);
		/* the neighbour is the address itself, without its prefix */
		local = nl_addr_clone(rtnl_addr_get_local(a));
		nl_addr_set_prefixlen(local, nl_addr_get_len(local) * 8);
		assert_permanent(to, neighs, local, mac);
		nl_addr_put(local);
		n++;
	}
	nl_cache_free(neighs);
	nl_cache_free(addrs);
	nl_addr_put(mac);
	return n;
}

/* Both ends of the link @a - @b: at least @min addresses each. */
static void check_link(const struct lab *lab, struct end a, struct end b, int min)
{
	assert_true(check_link_end(lab, a, b) >= min);
	assert_true(check_link_end(lab, b, a) >= min);
}

/* Checked first, on the fixture's lab as lab_up() left it. */
static void test_pair_needs_no_dad_and_no_resolution(void **state)
{
	struct fixture *f = *state;
	struct end cli = { LAB_CLIENT, 2 }, srv = { LAB_SERVER, 2 };

	check_link(&f->lab, cli, srv, 2);
	/* an address added later is known to the peer too */
	assert_int_equal(lab_addr_add(&f->lab, LAB_SERVER, 1), 0);
	assert_int_equal(check_link_end(&f->lab, srv, cli), 4);
}

/* Each of the NAT shape's three links, and the router's outside slot. */
static void test_nat_needs_no_dad_and_no_resolution(void **state)
{
	struct fixture *f = *state;
	struct end router_out = { LAB_ROUTER, 4 }, srv = { LAB_SERVER, 2 };
	struct lab nat;

	assert_int_equal(lab_up(&nat, LAB_NAT, 8, &f->home), 0);
	check_link(&nat, (struct end){ LAB_CLIENT, 2 }, (struct end){ LAB_ROUTER, 2 }, 2);
	check_link(&nat, (struct end){ LAB_CLIENT2, 2 }, (struct end){ LAB_ROUTER, 3 }, 2);
	check_link(&nat, srv, router_out, 2);
	assert_int_equal(lab_addr_add(&nat, LAB_ROUTER, 1), 0);
	assert_int_equal(check_link_end(&nat, router_out, srv), 4);
	lab_down(&nat);
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

struct closer {
	int fd;
	int64_t at, before, after;
};

/*
 * The closer shares the poller's CPU and, when it can, outranks it: it
 * wakes at @at wherever the poller is -- between its clock reading and
 * its dump included -- resets the connection (SO_LINGER {1, 0}: the
 * socket leaves the hash inside close()), then keeps the CPU 20 ms, so a
 * poller caught before its walk walks late.
 */
static void *close_at(void *arg)
{
	struct sched_param sp = { .sched_priority = 2 };	/* above the poller's (rtprio.h) */
	struct closer *c = arg;

	pthread_setschedparam(pthread_self(), SCHED_FIFO, &sp);	/* best effort */
	sleep_until_ns(c->at);
	c->before = now_ns();
	close(c->fd);
	c->after = now_ns();
	while (now_ns() < c->after + 20 * NSEC_PER_MSEC)
		;
	return NULL;
}

/* wait_gone()'s bracket (seen_ns, gone_ns] holds the instant the socket left the hash. */
static void test_gone_bracket_holds_the_end(void **state)
{
	struct fixture *f = *state;
	struct sockview sv = { 0 };
	cpu_set_t saved;
	struct endpoint srv;
	int lfd;

	assert_int_equal(sockview_open(&sv, &f->lab.host[LAB_CLIENT].ns), 0);
	lab_endpoint(&f->lab, LAB_SERVER, 0, AF_INET, 9002, &srv);
	lfd = conn_listen(&f->lab, LAB_SERVER, &srv);
	assert_true(lfd >= 0);
	assert_int_equal(cpu_pin_here(&saved), 0);
	for (int i = 0; i < 60; i++) {
		struct watch w = { .states = TCPF(TCP_ESTABLISHED) };
		struct closer c;
		pthread_t th;
		int sfd;

		assert_int_equal(conn_pair(&f->lab, LAB_CLIENT, NULL, lfd, &srv, &c.fd, &sfd), 0);
		assert_int_equal(tuple_of_socket(c.fd, &w.t), 0);
		assert_int_equal(conn_linger_abort(c.fd), 0);
		c.at = now_ns() + (2 + i % 7) * NSEC_PER_MSEC + i * 37 * 1000;
		assert_int_equal(pthread_create(&th, NULL, close_at, &c), 0);
		assert_int_equal(wait_gone(&sv, &w, 1, now_ns() + NSEC_PER_SEC), 0);
		assert_int_equal(pthread_join(th, NULL), 0);
		close(sfd);
		if (!(w.gone_ns >= c.before && w.seen_ns < c.after))
			fail_msg("iteration %d: the end was put in (%+.3f, %+.3f] ms of a close() "
				 "in [0, %.3f]", i, ns_to_ms(w.seen_ns - c.before),
				 ns_to_ms(w.gone_ns - c.before), ns_to_ms(c.after - c.before));
	}
	cpu_unpin(&saved);
	close(lfd);
	sockview_close(&sv);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pair_needs_no_dad_and_no_resolution),
		cmocka_unit_test(test_nat_needs_no_dad_and_no_resolution),
		cmocka_unit_test(test_namespaces_are_anonymous_and_distinct),
		cmocka_unit_test(test_veth_lives_only_in_the_lab),
		cmocka_unit_test(test_tcp_across_the_veth),
		cmocka_unit_test(test_sysctl_guard),
		cmocka_unit_test(test_sockview_and_wait),
		cmocka_unit_test(test_gone_bracket_holds_the_end),
	};

	return cmocka_run_group_tests_name("lab library (root, real kernel)", tests,
					   setup, teardown);
}
