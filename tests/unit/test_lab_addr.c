// SPDX-License-Identifier: GPL-2.0
/*
 * lab_addr(): lab @id owns 198.18.0.0/24 + id and 2001:db8:id::/64; host
 * h, slot s is .(1 + h + 16 s).  lab_nat_addr(): the NAT shape cuts both
 * in quarters, one per link (lib/lab.h).  Checked against inet_pton, not
 * against a second copy of the arithmetic.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "lab.h"

#define UNUSED __attribute__((unused))

static void check_v4(unsigned int id, int host, int slot, const char *want)
{
	union inet_addr a, b;

	memset(&b, 0, sizeof(b));
	assert_int_equal(inet_pton(AF_INET, want, &b.v4), 1);
	memset(&a, 0xa5, sizeof(a));
	assert_int_equal(lab_addr(id, host, slot, AF_INET, &a), 0);
	assert_memory_equal(&a, &b, sizeof(a));	/* the unused bytes zeroed too */
}

static void check_v6(unsigned int id, int host, int slot, const char *want)
{
	union inet_addr a, b;

	assert_int_equal(inet_pton(AF_INET6, want, &b.v6), 1);
	memset(&a, 0xa5, sizeof(a));
	assert_int_equal(lab_addr(id, host, slot, AF_INET6, &a), 0);
	assert_memory_equal(&a.v6, &b.v6, sizeof(a.v6));
}

static void check_nat(unsigned int id, int link, int host, int slot, int family,
		      const char *want)
{
	union inet_addr a, b;

	memset(&b, 0, sizeof(b));
	assert_int_equal(inet_pton(family, want, &b), 1);
	memset(&a, 0xa5, sizeof(a));
	assert_int_equal(lab_nat_addr(id, link, host, slot, family, &a), 0);
	assert_memory_equal(&a, &b, sizeof(a));
}

static void check_subnet(unsigned int id, int link, int family, const char *want)
{
	union inet_addr a, b;

	memset(&b, 0, sizeof(b));
	assert_int_equal(inet_pton(family, want, &b), 1);
	memset(&a, 0xa5, sizeof(a));
	assert_int_equal(lab_nat_subnet(id, link, family, &a), 0);
	assert_memory_equal(&a, &b, sizeof(a));
}

/* Is @a inside @net/@plen? */
static bool in_prefix(const union inet_addr *a, const union inet_addr *net, unsigned int plen)
{
	const uint8_t *x = (const uint8_t *)a, *y = (const uint8_t *)net;
	unsigned int i;

	for (i = 0; i < plen / 8; i++)
		if (x[i] != y[i])
			return false;
	return plen % 8 == 0 || !((x[i] ^ y[i]) & (0xff00 >> (plen % 8)));
}

static void la_v4_hosts(void **state UNUSED)
{
	check_v4(3, LAB_CLIENT, 0, "198.18.3.1");
	check_v4(3, LAB_SERVER, 0, "198.18.3.2");
	check_v4(0, LAB_CLIENT, 0, "198.18.0.1");
	check_v4(0, LAB_SERVER, 0, "198.18.0.2");
}

static void la_v4_slots(void **state UNUSED)
{
	check_v4(3, LAB_CLIENT, 1, "198.18.3.17");
	check_v4(3, LAB_SERVER, 1, "198.18.3.18");
	check_v4(3, LAB_SERVER, LAB_MAX_SLOT, "198.18.3.226");
}

/* Past 255 labs the /24s run on into 198.19.0.0/16, up to its end. */
static void la_v4_second_16(void **state UNUSED)
{
	check_v4(255, LAB_CLIENT, 0, "198.18.255.1");
	check_v4(256, LAB_CLIENT, 0, "198.19.0.1");
	check_v4(300, LAB_CLIENT, 0, "198.19.44.1");
	check_v4(300, LAB_SERVER, 2, "198.19.44.34");
	check_v4(LAB_MAX_ID, LAB_SERVER, LAB_MAX_SLOT, "198.19.255.226");
}

static void la_v6(void **state UNUSED)
{
	check_v6(3, LAB_CLIENT, 0, "2001:db8:3::1");
	check_v6(3, LAB_SERVER, 0, "2001:db8:3::2");
	check_v6(3, LAB_CLIENT, 1, "2001:db8:3::11");
	check_v6(0, LAB_SERVER, 0, "2001:db8::2");
	/* the lab ID is the third group, in hex */
	check_v6(300, LAB_CLIENT, 0, "2001:db8:12c::1");
	check_v6(LAB_MAX_ID, LAB_SERVER, LAB_MAX_SLOT, "2001:db8:1ff::e2");
}

/* Two labs, or two hosts, or two slots, never share an address. */
static void la_distinct(void **state UNUSED)
{
	union inet_addr a, b;

	assert_int_equal(lab_addr(1, LAB_CLIENT, 0, AF_INET, &a), 0);
	assert_int_equal(lab_addr(2, LAB_CLIENT, 0, AF_INET, &b), 0);
	assert_false(addr_eq(AF_INET, &a, &b));
	assert_int_equal(lab_addr(1, LAB_SERVER, 0, AF_INET, &b), 0);
	assert_false(addr_eq(AF_INET, &a, &b));
	assert_int_equal(lab_addr(1, LAB_CLIENT, 1, AF_INET, &b), 0);
	assert_false(addr_eq(AF_INET, &a, &b));
	assert_int_equal(lab_addr(257, LAB_CLIENT, 0, AF_INET6, &a), 0);
	assert_int_equal(lab_addr(1, LAB_CLIENT, 0, AF_INET6, &b), 0);
	assert_false(addr_eq(AF_INET6, &a, &b));
}

static void la_invalid(void **state UNUSED)
{
	union inet_addr a;

	assert_int_equal(lab_addr(LAB_MAX_ID + 1, LAB_CLIENT, 0, AF_INET, &a), -EINVAL);
	assert_int_equal(lab_addr(512, LAB_CLIENT, 0, AF_INET6, &a), -EINVAL);
	assert_int_equal(lab_addr(3, LAB_CLIENT, 15, AF_INET, &a), -EINVAL);
	assert_int_equal(lab_addr(3, LAB_CLIENT, -1, AF_INET, &a), -EINVAL);
	assert_int_equal(lab_addr(3, LAB_MAX_HOSTS, 0, AF_INET, &a), -EINVAL);
	assert_int_equal(lab_addr(3, -1, 0, AF_INET, &a), -EINVAL);
	assert_int_equal(lab_addr(3, LAB_CLIENT, 0, AF_UNIX, &a), -EAFNOSUPPORT);
}

/* lab_endpoint() is lab_addr() for the lab's own ID, plus family and port. */
static void la_endpoint(void **state UNUSED)
{
	struct lab lab = { .id = 7 };
	struct endpoint ep;
	char buf[ENDPOINT_STRLEN];

	assert_int_equal(lab_endpoint(&lab, LAB_SERVER, 0, AF_INET, 443, &ep), 0);
	assert_string_equal(endpoint_fmt(&ep, buf, sizeof(buf)), "198.18.7.2:443");
	assert_int_equal(lab_endpoint(&lab, LAB_CLIENT, 1, AF_INET6, 0, &ep), 0);
	assert_string_equal(endpoint_fmt(&ep, buf, sizeof(buf)), "[2001:db8:7::11]:0");
	lab.id = 512;
	assert_int_equal(lab_endpoint(&lab, LAB_SERVER, 0, AF_INET, 443, &ep), -EINVAL);
}

/* The NAT plan: each link's quarter, host h at 1 + h + 16 s in it. */
static void la_nat_v4(void **state UNUSED)
{
	check_nat(3, LAB_CLIENT, LAB_CLIENT, 0, AF_INET, "198.18.3.1");
	check_nat(3, LAB_CLIENT, LAB_ROUTER, 0, AF_INET, "198.18.3.3");
	check_nat(3, LAB_CLIENT2, LAB_CLIENT2, 0, AF_INET, "198.18.3.68");
	check_nat(3, LAB_CLIENT2, LAB_ROUTER, 0, AF_INET, "198.18.3.67");
	check_nat(3, LAB_SERVER, LAB_SERVER, 0, AF_INET, "198.18.3.130");
	check_nat(3, LAB_SERVER, LAB_ROUTER, 0, AF_INET, "198.18.3.131");
	check_nat(3, LAB_SERVER, LAB_SERVER, 1, AF_INET, "198.18.3.146");
	check_nat(300, LAB_CLIENT, LAB_CLIENT, 0, AF_INET, "198.19.44.1");
	check_nat(LAB_MAX_ID, LAB_CLIENT2, LAB_CLIENT2, LAB_NAT_MAX_SLOT, AF_INET,
		  "198.19.255.116");
}

static void la_nat_v6(void **state UNUSED)
{
	check_nat(3, LAB_CLIENT, LAB_CLIENT, 0, AF_INET6, "2001:db8:3::1");
	check_nat(3, LAB_CLIENT, LAB_ROUTER, 0, AF_INET6, "2001:db8:3::3");
	check_nat(3, LAB_CLIENT2, LAB_CLIENT2, 0, AF_INET6, "2001:db8:3:0:4000::4");
	check_nat(3, LAB_CLIENT2, LAB_ROUTER, 0, AF_INET6, "2001:db8:3:0:4000::3");
	check_nat(3, LAB_SERVER, LAB_SERVER, 0, AF_INET6, "2001:db8:3:0:8000::2");
	check_nat(3, LAB_SERVER, LAB_ROUTER, 0, AF_INET6, "2001:db8:3:0:8000::3");
	check_nat(LAB_MAX_ID, LAB_SERVER, LAB_ROUTER, LAB_NAT_MAX_SLOT, AF_INET6,
		  "2001:db8:1ff:0:8000::33");
}

static void la_nat_subnets(void **state UNUSED)
{
	check_subnet(3, LAB_CLIENT, AF_INET, "198.18.3.0");
	check_subnet(3, LAB_CLIENT2, AF_INET, "198.18.3.64");
	check_subnet(3, LAB_SERVER, AF_INET, "198.18.3.128");
	check_subnet(3, LAB_CLIENT, AF_INET6, "2001:db8:3::");
	check_subnet(3, LAB_CLIENT2, AF_INET6, "2001:db8:3:0:4000::");
	check_subnet(3, LAB_SERVER, AF_INET6, "2001:db8:3:0:8000::");
}

/*
 * Every address of every slot lies in its own link's subnet and in no
 * other's, inside the lab's /24 and /64, and no two are the same.
 */
static void la_nat_disjoint(void **state UNUSED)
{
	static const int links[] = { LAB_CLIENT, LAB_CLIENT2, LAB_SERVER };
	static const struct { int family; unsigned int plen, lab_plen; } fam[] = {
		{ AF_INET, LAB_NAT_PLEN4, 24 }, { AF_INET6, LAB_NAT_PLEN6, 64 },
	};
	union inet_addr seen[3 * 2 * (LAB_NAT_MAX_SLOT + 1)];

	for (size_t f = 0; f < 2; f++) {
		int nseen = 0;
		union inet_addr lab_net;

		assert_int_equal(lab_nat_subnet(5, LAB_CLIENT, fam[f].family, &lab_net), 0);
		for (size_t l = 0; l < 3; l++)
			for (int end = 0; end < 2; end++)
				for (int slot = 0; slot <= LAB_NAT_MAX_SLOT; slot++) {
					int host = end ? LAB_ROUTER : links[l];
					union inet_addr a, net;

					assert_int_equal(lab_nat_addr(5, links[l], host, slot,
								      fam[f].family, &a), 0);
					assert_true(in_prefix(&a, &lab_net, fam[f].lab_plen));
					for (size_t o = 0; o < 3; o++) {
						assert_int_equal(lab_nat_subnet(5, links[o], fam[f].family,
										&net), 0);
						assert_true(in_prefix(&a, &net, fam[f].plen) == (o == l));
					}
					for (int i = 0; i < nseen; i++)
						assert_false(addr_eq(fam[f].family, &a, &seen[i]));
					seen[nseen++] = a;
				}
	}
}

static void la_nat_invalid(void **state UNUSED)
{
	union inet_addr a;

	/* the router names no link; a link holds only its host and the router */
	assert_int_equal(lab_nat_addr(3, LAB_ROUTER, LAB_ROUTER, 0, AF_INET, &a), -EINVAL);
	assert_int_equal(lab_nat_addr(3, LAB_CLIENT, LAB_SERVER, 0, AF_INET, &a), -EINVAL);
	assert_int_equal(lab_nat_addr(3, LAB_SERVER, LAB_CLIENT2, 0, AF_INET6, &a), -EINVAL);
	assert_int_equal(lab_nat_addr(3, LAB_MAX_HOSTS, LAB_ROUTER, 0, AF_INET, &a), -EINVAL);
	assert_int_equal(lab_nat_addr(3, LAB_CLIENT, LAB_CLIENT, LAB_NAT_MAX_SLOT + 1, AF_INET,
				      &a), -EINVAL);
	assert_int_equal(lab_nat_addr(3, LAB_CLIENT, LAB_CLIENT, -1, AF_INET, &a), -EINVAL);
	assert_int_equal(lab_nat_addr(LAB_MAX_ID + 1, LAB_CLIENT, LAB_CLIENT, 0, AF_INET, &a),
			 -EINVAL);
	assert_int_equal(lab_nat_addr(3, LAB_CLIENT, LAB_CLIENT, 0, AF_UNIX, &a), -EAFNOSUPPORT);
	assert_int_equal(lab_nat_subnet(3, LAB_ROUTER, AF_INET, &a), -EINVAL);
	assert_int_equal(lab_nat_subnet(LAB_MAX_ID + 1, LAB_SERVER, AF_INET, &a), -EINVAL);
}

/* In the NAT shape an endpoint is on its host's link; the router's outside. */
static void la_nat_endpoint(void **state UNUSED)
{
	struct lab lab = { .id = 7, .shape = LAB_NAT };
	struct endpoint ep;
	char buf[ENDPOINT_STRLEN];

	assert_int_equal(lab_endpoint(&lab, LAB_SERVER, 0, AF_INET, 443, &ep), 0);
	assert_string_equal(endpoint_fmt(&ep, buf, sizeof(buf)), "198.18.7.130:443");
	assert_int_equal(lab_endpoint(&lab, LAB_ROUTER, 0, AF_INET, 0, &ep), 0);
	assert_string_equal(endpoint_fmt(&ep, buf, sizeof(buf)), "198.18.7.131:0");
	assert_int_equal(lab_endpoint(&lab, LAB_CLIENT, 0, AF_INET6, 0, &ep), 0);
	assert_string_equal(endpoint_fmt(&ep, buf, sizeof(buf)), "[2001:db8:7::1]:0");
	assert_int_equal(lab_endpoint(&lab, LAB_CLIENT2, 0, AF_INET6, 80, &ep), 0);
	assert_string_equal(endpoint_fmt(&ep, buf, sizeof(buf)), "[2001:db8:7:0:4000::4]:80");
	assert_int_equal(lab_endpoint(&lab, LAB_SERVER, LAB_NAT_MAX_SLOT + 1, AF_INET, 0, &ep),
			 -EINVAL);
}

/* The router's three ends: named, distinct, valid, and none is LAB_IFNAME. */
static void la_router_ifnames(void **state UNUSED)
{
	const char *n[] = {
		lab_router_ifname(LAB_CLIENT), lab_router_ifname(LAB_CLIENT2),
		lab_router_ifname(LAB_SERVER),
	};

	for (int i = 0; i < 3; i++) {
		assert_non_null(n[i]);
		assert_true(strlen(n[i]) > 0 && strlen(n[i]) < IFNAMSIZ);
		assert_string_not_equal(n[i], LAB_IFNAME);
		for (int j = 0; j < i; j++)
			assert_string_not_equal(n[i], n[j]);
	}
	assert_null(lab_router_ifname(LAB_ROUTER));
	assert_null(lab_router_ifname(-1));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(la_v4_hosts),
		cmocka_unit_test(la_v4_slots),
		cmocka_unit_test(la_v4_second_16),
		cmocka_unit_test(la_v6),
		cmocka_unit_test(la_distinct),
		cmocka_unit_test(la_invalid),
		cmocka_unit_test(la_endpoint),
		cmocka_unit_test(la_nat_v4),
		cmocka_unit_test(la_nat_v6),
		cmocka_unit_test(la_nat_subnets),
		cmocka_unit_test(la_nat_disjoint),
		cmocka_unit_test(la_nat_invalid),
		cmocka_unit_test(la_nat_endpoint),
		cmocka_unit_test(la_router_ifnames),
	};

	return cmocka_run_group_tests_name("lab_addr", tests, NULL, NULL);
}
