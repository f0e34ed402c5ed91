// SPDX-License-Identifier: GPL-2.0
/*
 * lab_nat_up() against the real kernel: both clients reach the server
 * through the router, which the server sees as their one address; no
 * host has a default route and the server none to the clients; only the
 * router forwards, and only it holds the nft table; every veth lives in
 * the lab namespaces alone.
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
#include <netlink/cache.h>
#include <netlink/route/nexthop.h>
#include <netlink/route/route.h>
#include <nftables/libnftables.h>

#include "conn.h"
#include "itest.h"
#include "lab.h"
#include "nat.h"

#define LAB_ID		11
#define PORT		9600

static const int families[] = { AF_INET, AF_INET6 };
static const int clients[] = { LAB_CLIENT, LAB_CLIENT2 };

struct fixture {
	struct netns home;
	struct lab lab;
};

ITEST_LAB_GROUP(struct fixture, LAB_NAT, LAB_ID)

/* Run if_nametoindex(@name) in @ns. */
static unsigned int ifindex_in(const struct netns *ns, const char *name)
{
	struct netns saved = NETNS_INIT;
	unsigned int idx;

	assert_int_equal(netns_enter(ns, &saved), 0);
	idx = if_nametoindex(name);
	assert_int_equal(netns_leave(&saved), 0);
	return idx;
}

static void test_shape(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(f->lab.shape, LAB_NAT);
	assert_int_equal(f->lab.nhosts, LAB_MAX_HOSTS);
	for (int h = 0; h < LAB_MAX_HOSTS; h++) {
		assert_false(netns_same(&f->lab.host[h].ns, &f->home));
		for (int o = 0; o < h; o++)
			assert_false(netns_same(&f->lab.host[h].ns, &f->lab.host[o].ns));
	}
}

/*
 * Both clients at once, each family: the server accepts both from the
 * router's outside address, while each client's socket has its own
 * inside address.
 */
static void test_clients_reach_server_via_router(void **state)
{
	struct fixture *f = *state;

	for (size_t i = 0; i < 2; i++) {
		int cfd[2], sfd[2], lfd;
		struct endpoint srv, router;

		lab_endpoint(&f->lab, LAB_SERVER, 0, families[i], PORT, &srv);
		lab_endpoint(&f->lab, LAB_ROUTER, 0, families[i], 0, &router);
		lfd = conn_listen(&f->lab, LAB_SERVER, &srv);
		assert_true(lfd >= 0);
		for (int c = 0; c < 2; c++) {
			struct tuple tc, ts;
			struct endpoint me;

			assert_int_equal(conn_pair(&f->lab, clients[c], NULL, lfd, &srv,
						   &cfd[c], &sfd[c]), 0);
			lab_endpoint(&f->lab, clients[c], 0, families[i], 0, &me);
			assert_int_equal(tuple_of_socket(cfd[c], &tc), 0);
			assert_int_equal(tuple_of_socket(sfd[c], &ts), 0);	/* getpeername() */
			assert_true(addr_eq(families[i], &tc.src.addr, &me.addr));
			assert_true(endpoint_eq(&tc.dst, &srv));
			assert_true(addr_eq(families[i], &ts.dst.addr, &router.addr));
			assert_false(addr_eq(families[i], &ts.dst.addr, &me.addr));
		}
		for (int c = 0; c < 2; c++) {
			close(cfd[c]);
			close(sfd[c]);
		}
		close(lfd);
	}
}

struct routes {
	int defaults;		/* /0, of any type, in any table */
	int via;		/* with a gateway */
	bool via_ok;		/* each of them to the server's subnet, through the router */
};

static bool nl_addr_is(struct nl_addr *a, int family, const union inet_addr *want,
		       unsigned int plen)
{
	size_t len = family == AF_INET ? sizeof(want->v4) : sizeof(want->v6);

	return a && nl_addr_get_family(a) == family && nl_addr_get_len(a) == len &&
	       !memcmp(nl_addr_get_binary_addr(a), want, len) &&
	       nl_addr_get_prefixlen(a) == plen;
}

/* A route with a gateway in @host: is it the one lab_nat_up() adds? */
static bool via_router(struct lab *lab, int host, struct rtnl_route *rt)
{
	int family = rtnl_route_get_family(rt);
	struct rtnl_nexthop *nh = rtnl_route_nexthop_n(rt, 0);
	union inet_addr net, gw;
	unsigned int plen = family == AF_INET ? LAB_NAT_PLEN4 : LAB_NAT_PLEN6;
	unsigned int gw_plen = family == AF_INET ? 32 : 128;
	struct nl_addr *g = nh ? rtnl_route_nh_get_gateway(nh) : NULL;

	if (host != LAB_CLIENT && host != LAB_CLIENT2)
		return false;
	if (lab_nat_subnet(lab->id, LAB_SERVER, family, &net) ||
	    lab_nat_addr(lab->id, host, LAB_ROUTER, 0, family, &gw))
		return false;
	return nl_addr_is(rtnl_route_get_dst(rt), family, &net, plen) &&
	       nl_addr_is(g, family, &gw, gw_plen);
}

/* Every route of @host, every table, both families. */
static void dump_routes(struct lab *lab, int host, struct routes *r)
{
	struct nl_cache *cache;
	struct nl_object *o;

	memset(r, 0, sizeof(*r));
	r->via_ok = true;
	assert_int_equal(rtnl_route_alloc_cache(lab->host[host].rtnl, AF_UNSPEC, 0, &cache), 0);
	for (o = nl_cache_get_first(cache); o; o = nl_cache_get_next(o)) {
		struct rtnl_route *rt = (struct rtnl_route *)o;
		struct nl_addr *dst = rtnl_route_get_dst(rt);
		struct rtnl_nexthop *nh = rtnl_route_get_nnexthops(rt) ?
					  rtnl_route_nexthop_n(rt, 0) : NULL;

		if (!dst || nl_addr_get_prefixlen(dst) == 0)
			r->defaults++;
		if (nh && rtnl_route_nh_get_gateway(nh)) {
			r->via++;
			r->via_ok &= via_router(lab, host, rt);
		}
	}
	nl_cache_free(cache);
}

/* connect() of a UDP socket: does @host have a route to @to? */
static int route_to(struct lab *lab, int host, const struct endpoint *to)
{
	int fd = lab_socket(lab, host, to->family, SOCK_DGRAM);
	int err;

	assert_true(fd >= 0);
	err = conn_connect_fd(fd, to);
	close(fd);
	return err;
}

static void test_routes(void **state)
{
	struct fixture *f = *state;

	for (int h = 0; h < LAB_MAX_HOSTS; h++) {
		struct routes r;
		bool client = h == LAB_CLIENT || h == LAB_CLIENT2;

		dump_routes(&f->lab, h, &r);
		assert_int_equal(r.defaults, 0);
		/* a client: one per family, to the server's subnet via the router */
		assert_int_equal(r.via, client ? 2 : 0);
		assert_true(r.via_ok);
	}
	/* the server cannot reach the clients' inside addresses: NAT hides them */
	for (size_t i = 0; i < 2; i++)
		for (int c = 0; c < 2; c++) {
			struct endpoint inside;

			lab_endpoint(&f->lab, clients[c], 0, families[i], 9, &inside);
			assert_int_equal(route_to(&f->lab, LAB_SERVER, &inside), -ENETUNREACH);
		}
}

static void test_forwarding_only_in_router(void **state)
{
	static const char *const keys[] = {
		"net.ipv4.ip_forward", "net.ipv6.conf.all.forwarding",
	};
	struct fixture *f = *state;
	char val[16];

	for (int h = 0; h < LAB_MAX_HOSTS; h++)
		for (size_t k = 0; k < 2; k++) {
			assert_int_equal(lab_sysctl_get(&f->lab, h, keys[k], val, sizeof(val)), 0);
			assert_string_equal(val, h == LAB_ROUTER ? "1" : "0");
		}
}

/* The clients and the server have LAB_IFNAME (where the runner captures). */
static void test_veths_only_in_lab(void **state)
{
	static const int links[] = { LAB_CLIENT, LAB_CLIENT2, LAB_SERVER };
	struct fixture *f = *state;

	for (size_t l = 0; l < 3; l++) {
		const char *rname = lab_router_ifname(links[l]);

		assert_int_equal(ifindex_in(&f->lab.host[links[l]].ns, LAB_IFNAME), 2);
		assert_true(ifindex_in(&f->lab.host[LAB_ROUTER].ns, rname) > 0);
		assert_int_equal(ifindex_in(&f->home, rname), 0);
	}
	assert_int_equal(ifindex_in(&f->lab.host[LAB_ROUTER].ns, LAB_IFNAME), 0);
	assert_int_equal(ifindex_in(&f->home, LAB_IFNAME), 0);
	assert_int_equal(system("[ -z \"$(ip -o link show type veth)\" ]"), 0);
	assert_int_equal(system("[ -z \"$(ip netns list 2>/dev/null)\" ]"), 0);
}

/* `nft list tables` in @ns: read-only, and what nft(8) would print. */
static void list_tables(const struct netns *ns, char *buf, size_t len)
{
	struct netns saved = NETNS_INIT;
	struct nft_ctx *nft;

	assert_int_equal(netns_enter(ns, &saved), 0);
	nft = nft_ctx_new(NFT_CTX_DEFAULT);
	assert_non_null(nft);
	assert_int_equal(nft_ctx_buffer_output(nft), 0);
	assert_int_equal(nft_ctx_buffer_error(nft), 0);
	assert_int_equal(nft_run_cmd_from_buffer(nft, "list tables"), 0);
	snprintf(buf, len, "%s", nft_ctx_get_output_buffer(nft));
	nft_ctx_free(nft);
	assert_int_equal(netns_leave(&saved), 0);
}

static void test_nat_table_only_in_router(void **state)
{
	struct fixture *f = *state;
	char tables[1024];

	for (int h = 0; h < LAB_MAX_HOSTS; h++) {
		list_tables(&f->lab.host[h].ns, tables, sizeof(tables));
		if (h == LAB_ROUTER)
			assert_string_equal(tables, "table inet " NAT_TABLE "\n");
		else
			assert_string_equal(tables, "");
	}
	list_tables(&f->home, tables, sizeof(tables));
	assert_null(strstr(tables, NAT_TABLE));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shape),
		cmocka_unit_test(test_clients_reach_server_via_router),
		cmocka_unit_test(test_routes),
		cmocka_unit_test(test_forwarding_only_in_router),
		cmocka_unit_test(test_veths_only_in_lab),
		cmocka_unit_test(test_nat_table_only_in_router),
	};

	return cmocka_run_group_tests_name("NAT lab (root, real kernel)", tests, setup, teardown);
}
