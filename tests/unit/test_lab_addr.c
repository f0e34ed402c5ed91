// SPDX-License-Identifier: GPL-2.0
/*
 * lab_addr(): lab @id owns 198.18.0.0/24 + id and 2001:db8:id::/64; host
 * h, slot s is .(1 + h + 16 s).  Checked against inet_pton, not against
 * a second copy of the arithmetic.
 */
#include <arpa/inet.h>
#include <errno.h>
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
	};

	return cmocka_run_group_tests_name("lab_addr", tests, NULL, NULL);
}
