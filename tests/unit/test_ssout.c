// SPDX-License-Identifier: GPL-2.0
/* ss -o's timers as print_ms_timer() writes them, read back with their resolution. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <errno.h>
#include <cmocka.h>

#include "ssout.h"

static void value(const char *s, unsigned int ms, unsigned int quantum)
{
	unsigned int got = 0, q = 0;

	if (ss_parse_timer_value(s, &got, &q))
		fail_msg("\"%s\" did not parse", s);
	if (got != ms || q != quantum)
		fail_msg("\"%s\": %u ms / %u, expected %u / %u", s, got, q, ms, quantum);
}

static void timer_values(void **state)
{
	unsigned int ms, q;

	(void)state;
	value("59sec", 59000, 1000);		/* 59.999 s prints so: truncated */
	value("10sec", 10000, 1000);
	value("5.460ms", 5460, 1);		/* iproute2 up to 6.x: "ms" after seconds */
	value("9.501sec", 9501, 1);		/* newer iproute2 */
	value("5sec", 5000, 1);			/* 5.000 s */
	value("476ms", 476, 1);
	value("1min", 60000, 1000);
	value("1min5sec", 65000, 1000);
	value("12min", 720000, 60000);
	value("", 0, 1);
	assert_int_equal(ss_parse_timer_value("59 sec", &ms, &q), -EINVAL);
	assert_int_equal(ss_parse_timer_value("5.460", &ms, &q), -EINVAL);
	assert_int_equal(ss_parse_timer_value("fast", &ms, &q), -EINVAL);
}

static void timer_lines(void **state)
{
	struct ss_timer_line t;

	(void)state;
	assert_int_equal(ss_parse_timer_line("0      0      192.0.2.2:32992 203.0.113.80:80 "
					     "timer:(timewait,5.460ms,0)", &t), 0);
	assert_string_equal(t.local, "192.0.2.2:32992");
	assert_string_equal(t.peer, "203.0.113.80:80");
	assert_int_equal(t.ms, 5460);
	assert_int_equal(ss_parse_timer_line("0 0 [2001:db8::2]:443 [2001:db8::1]:40000 "
					     "timer:(timewait,59sec,0)", &t), 0);
	assert_string_equal(t.peer, "[2001:db8::1]:40000");
	assert_int_equal(t.ms, 59000);
	assert_int_equal(t.quantum, 1000);
	assert_int_equal(ss_parse_timer_line("0 0 192.0.2.2:1 192.0.2.1:2 timer:(timewait,,0)",
					     &t), 0);
	assert_int_equal(t.ms, 0);
	assert_int_equal(ss_parse_timer_line("0 0 192.0.2.2:1 192.0.2.1:2", &t), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(timer_values),
		cmocka_unit_test(timer_lines),
	};

	return cmocka_run_group_tests_name("ssout", tests, NULL, NULL);
}
