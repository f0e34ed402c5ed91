// SPDX-License-Identifier: GPL-2.0
/*
 * watch_note(): how one sock_diag poll moves a watched socket's end
 * bracket (seen_ns, gone_ns].  The dump is taken at an unknown instant
 * inside [start, end]; a poller that loses its CPU between its clock
 * reading and the walk must not date the end before the walk.
 * wait_wake_ns(): when wait_gone() polls next.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "clock.h"
#include "wait.h"

#define MS(x)	((int64_t)(x) * NSEC_PER_MSEC)

/*
 * The lost_final_ack run of issue 10: the poll that missed the LAST_ACK
 * read its clock 134 ms after the close(), then waited 80 ms for a CPU;
 * the walk ran after the ACK at 210.5 ms.  Its end, not its start, bounds
 * the state's end.
 */
static void missed_is_gone_by_the_end(void **state)
{
	struct watch w = { 0 };
	int64_t ack = MS(210.5);

	(void)state;
	watch_note(&w, true, MS(133), MS(133.3));
	watch_note(&w, false, MS(134), MS(214));
	assert_true(w.gone_ns == MS(214));
	assert_true(w.seen_ns == MS(133));
	assert_true(w.seen_ns < ack && ack <= w.gone_ns);
}

/* A socket seen is known present from the start of that poll on; the last such poll counts. */
static void seen_is_the_latest_start(void **state)
{
	struct watch w = { 0 };

	(void)state;
	for (int i = 0; i < 5; i++)
		watch_note(&w, true, MS(10 * i), MS(10 * i + 3));
	assert_true(w.seen_ns == MS(40));
	assert_true(w.gone_ns == 0);
}

/* What the caller knew before the wait stays when no poll sees the socket. */
static void caller_knowledge_kept(void **state)
{
	struct watch w = { .seen_ns = MS(50) };

	(void)state;
	watch_note(&w, true, MS(20), MS(21));	/* an older poll cannot move it back */
	assert_true(w.seen_ns == MS(50));
	watch_note(&w, false, MS(60), MS(62));
	assert_true(w.seen_ns == MS(50) && w.gone_ns == MS(62));
}

/* Once gone, later polls change nothing: the socket cannot come back. */
static void gone_is_final(void **state)
{
	struct watch w = { 0 };

	(void)state;
	watch_note(&w, false, MS(5), MS(6));
	watch_note(&w, true, MS(7), MS(8));
	watch_note(&w, false, MS(9), MS(10));
	assert_true(w.gone_ns == MS(6) && w.seen_ns == 0);
}

/* A punctual machine: the poll comes WAIT_LEAD_MS before the timer, in naps of WAIT_NAP_MS. */
static void wake_before_the_timer(void **state)
{
	int64_t dl = MS(100000);

	(void)state;
	assert_true(wait_wake_ns(0, MS(500), 0, dl) == MS(500 - WAIT_LEAD_MS));
	assert_true(wait_wake_ns(0, MS(5000), 0, dl) == MS(WAIT_NAP_MS));
	assert_true(wait_wake_ns(MS(4900), MS(5000), 0, dl) == MS(5000 - WAIT_LEAD_MS));
	/* due now, or a socket with no timer of its own: poll finely */
	assert_true(wait_wake_ns(MS(10), MS(10), 0, dl) == MS(10) + WAIT_FINE_US * 1000);
	assert_true(wait_wake_ns(0, MS(5000), 0, MS(300)) == MS(300));
}

/*
 * A guest that wakes us 111 ms late (6.1 under TCG) slept past a 5 s
 * FIN_WAIT2 timer: once a nap shows it, the approach starts twice that
 * before the timer.
 */
static void late_machine_starts_earlier(void **state)
{
	(void)state;
	assert_true(wait_wake_ns(MS(4000), MS(5000), MS(111), MS(100000)) == MS(5000 - 222));
	assert_true(wait_wake_ns(MS(4000), MS(5000), MS(5), MS(100000)) ==
		    MS(5000 - WAIT_LEAD_MS));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(missed_is_gone_by_the_end),
		cmocka_unit_test(seen_is_the_latest_start),
		cmocka_unit_test(caller_knowledge_kept),
		cmocka_unit_test(gone_is_final),
		cmocka_unit_test(wake_before_the_timer),
		cmocka_unit_test(late_machine_starts_earlier),
	};

	return cmocka_run_group_tests_name("wait: the end bracket, the next poll", tests, NULL, NULL);
}
