// SPDX-License-Identifier: GPL-2.0
/*
 * Endpoints and 4-tuples: how sockets are named in every report, and how
 * a socket seen from one end is matched against the other's.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/un.h>
#include <cmocka.h>

#include "inet.h"

#define UNUSED __attribute__((unused))

static struct endpoint ep(int family, const char *addr, uint16_t port)
{
	struct endpoint e;

	memset(&e, 0, sizeof(e));
	e.family = family;
	e.port = port;
	assert_int_equal(inet_pton(family, addr, &e.addr), 1);
	return e;
}

static void in_endpoint_fmt(void **state UNUSED)
{
	struct endpoint a = ep(AF_INET, "198.18.0.1", 443);
	struct endpoint b = ep(AF_INET6, "2001:db8::1", 443);
	struct endpoint c = ep(AF_INET6, "2001:db8:1ff::e2", 65535);
	struct endpoint d = ep(AF_INET, "198.19.255.226", 0);
	char buf[ENDPOINT_STRLEN];

	assert_string_equal(endpoint_fmt(&a, buf, sizeof(buf)), "198.18.0.1:443");
	assert_string_equal(endpoint_fmt(&b, buf, sizeof(buf)), "[2001:db8::1]:443");
	assert_string_equal(endpoint_fmt(&c, buf, sizeof(buf)), "[2001:db8:1ff::e2]:65535");
	assert_string_equal(endpoint_fmt(&d, buf, sizeof(buf)), "198.19.255.226:0");
	assert_ptr_equal(endpoint_fmt(&d, buf, sizeof(buf)), buf);
}

/* The longest endpoint there is fits ENDPOINT_STRLEN. */
static void in_endpoint_fmt_longest(void **state UNUSED)
{
	struct endpoint e = ep(AF_INET6, "ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255", 65535);
	char buf[ENDPOINT_STRLEN];

	assert_string_equal(endpoint_fmt(&e, buf, sizeof(buf)),
			    "[ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff]:65535");
	e = ep(AF_INET6, "::ffff:198.18.0.1", 80);
	assert_string_equal(endpoint_fmt(&e, buf, sizeof(buf)), "[::ffff:198.18.0.1]:80");
}

static void in_addr_fmt(void **state UNUSED)
{
	struct endpoint e = ep(AF_INET, "198.18.3.17", 1);
	char buf[INET6_ADDRSTRLEN], tiny[4];

	assert_string_equal(addr_fmt(AF_INET, &e.addr, buf, sizeof(buf)), "198.18.3.17");
	/* too small, or no family: "?" rather than garbage */
	assert_string_equal(addr_fmt(AF_INET, &e.addr, tiny, sizeof(tiny)), "?");
	assert_string_equal(addr_fmt(AF_UNIX, &e.addr, buf, sizeof(buf)), "?");
}

static void in_tuple_fmt(void **state UNUSED)
{
	struct tuple t = {
		.src = ep(AF_INET, "198.18.3.1", 40000),
		.dst = ep(AF_INET, "198.18.3.2", 443),
	};
	struct tuple u = {
		.src = ep(AF_INET6, "2001:db8:3::1", 40000),
		.dst = ep(AF_INET6, "2001:db8:3::2", 443),
	};
	char buf[TUPLE_STRLEN];

	assert_string_equal(tuple_fmt(&t, buf, sizeof(buf)),
			    "198.18.3.1:40000 -> 198.18.3.2:443");
	assert_string_equal(tuple_fmt(&u, buf, sizeof(buf)),
			    "[2001:db8:3::1]:40000 -> [2001:db8:3::2]:443");
}

static void in_endpoint_eq(void **state UNUSED)
{
	struct endpoint a = ep(AF_INET, "198.18.0.1", 443);
	struct endpoint b = ep(AF_INET, "198.18.0.1", 443);
	struct endpoint v6 = ep(AF_INET6, "2001:db8::1", 443);
	struct endpoint v6b = ep(AF_INET6, "2001:db8::1", 443);

	assert_true(endpoint_eq(&a, &b));
	b.port = 444;
	assert_false(endpoint_eq(&a, &b));
	b = ep(AF_INET, "198.18.0.2", 443);
	assert_false(endpoint_eq(&a, &b));
	assert_false(endpoint_eq(&a, &v6));
	assert_true(endpoint_eq(&v6, &v6b));
	v6b.addr.v6.s6_addr[15] = 2;	/* last byte only */
	assert_false(endpoint_eq(&v6, &v6b));
}

/* For AF_INET only the four address bytes count, whatever is behind them. */
static void in_addr_eq_v4_ignores_rest(void **state UNUSED)
{
	struct endpoint a = ep(AF_INET, "198.18.0.1", 443);
	struct endpoint b = a;

	memset((char *)&b.addr + sizeof(b.addr.v4), 0xff,
	       sizeof(b.addr) - sizeof(b.addr.v4));
	assert_true(addr_eq(AF_INET, &a.addr, &b.addr));
	assert_true(endpoint_eq(&a, &b));
}

static void in_tuple_reverse(void **state UNUSED)
{
	struct tuple t = {
		.src = ep(AF_INET, "198.18.3.1", 40000),
		.dst = ep(AF_INET, "198.18.3.2", 443),
	};
	struct tuple r, rr;

	tuple_reverse(&t, &r);
	assert_true(endpoint_eq(&r.src, &t.dst));
	assert_true(endpoint_eq(&r.dst, &t.src));
	assert_int_equal(r.src.port, 443);
	assert_int_equal(r.dst.port, 40000);
	assert_false(tuple_eq(&t, &r));
	tuple_reverse(&r, &rr);
	assert_true(tuple_eq(&t, &rr));
}

/* Reversing in place must not lose the source to the overwrite. */
static void in_tuple_reverse_in_place(void **state UNUSED)
{
	struct tuple t = {
		.src = ep(AF_INET6, "2001:db8:3::1", 40000),
		.dst = ep(AF_INET6, "2001:db8:3::2", 443),
	};
	struct tuple orig = t;

	tuple_reverse(&t, &t);
	assert_true(endpoint_eq(&t.src, &orig.dst));
	assert_true(endpoint_eq(&t.dst, &orig.src));
}

static void in_tuple_eq(void **state UNUSED)
{
	struct tuple a = {
		.src = ep(AF_INET, "198.18.3.1", 40000),
		.dst = ep(AF_INET, "198.18.3.2", 443),
	};
	struct tuple b = a;

	assert_true(tuple_eq(&a, &b));
	b.src.port = 40001;
	assert_false(tuple_eq(&a, &b));
	b = a;
	b.dst.port = 80;
	assert_false(tuple_eq(&a, &b));
	b = a;
	b.dst = ep(AF_INET, "198.18.3.3", 443);
	assert_false(tuple_eq(&a, &b));
	/* same addresses and ports, other family: not the same connection */
	b = a;
	b.src.family = b.dst.family = AF_INET6;
	assert_false(tuple_eq(&a, &b));
}

/* What a socket gives (getsockname) back to an endpoint, both ways. */
static void in_sockaddr_round_trip(void **state UNUSED)
{
	static const struct { int family; const char *addr; uint16_t port; } e[] = {
		{ AF_INET, "198.18.3.1", 40000 },
		{ AF_INET6, "2001:db8:3::2", 443 },
	};

	for (size_t i = 0; i < sizeof(e) / sizeof(e[0]); i++) {
		struct endpoint a = ep(e[i].family, e[i].addr, e[i].port), b;
		struct sockaddr_storage ss;
		socklen_t len = endpoint_to_sockaddr(&a, &ss);

		assert_int_equal(len, e[i].family == AF_INET ? sizeof(struct sockaddr_in)
							     : sizeof(struct sockaddr_in6));
		assert_int_equal(ss.ss_family, e[i].family);
		/* the port goes out in network order */
		assert_int_equal(ntohs(((struct sockaddr_in *)&ss)->sin_port), e[i].port);
		assert_int_equal(endpoint_from_sockaddr(&b, (struct sockaddr *)&ss), 0);
		assert_true(endpoint_eq(&a, &b));
	}
}

static void in_sockaddr_bad_family(void **state UNUSED)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	struct endpoint e;

	assert_int_equal(endpoint_from_sockaddr(&e, (struct sockaddr *)&sun), -EAFNOSUPPORT);
}

static void in_family_name(void **state UNUSED)
{
	assert_string_equal(family_name(AF_INET), "ipv4");
	assert_string_equal(family_name(AF_INET6), "ipv6");
	assert_string_equal(family_name(AF_UNIX), "?");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(in_endpoint_fmt),
		cmocka_unit_test(in_endpoint_fmt_longest),
		cmocka_unit_test(in_addr_fmt),
		cmocka_unit_test(in_tuple_fmt),
		cmocka_unit_test(in_endpoint_eq),
		cmocka_unit_test(in_addr_eq_v4_ignores_rest),
		cmocka_unit_test(in_tuple_reverse),
		cmocka_unit_test(in_tuple_reverse_in_place),
		cmocka_unit_test(in_tuple_eq),
		cmocka_unit_test(in_sockaddr_round_trip),
		cmocka_unit_test(in_sockaddr_bad_family),
		cmocka_unit_test(in_family_name),
	};

	return cmocka_run_group_tests_name("inet", tests, NULL, NULL);
}
