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

/* A dump of 1 ms (the machine's 262144-bucket hash) buys a rest of WAIT_DUTY ms. */
static void paced_by_the_dump(void **state)
{
	int64_t dl = MS(60000);

	(void)state;
	/* a 30 us dump (a namespace's own small hash): WAIT_FINE_US */
	assert_true(wait_paced_ns(MS(9), MS(9), MS(9) + 30000, dl) ==
		    MS(9) + 30000 + WAIT_FINE_US * 1000);
	assert_true(wait_paced_ns(MS(10), MS(9), MS(10), dl) == MS(10) + WAIT_DUTY * MS(1));
	assert_true(wait_paced_ns(MS(10), MS(9), MS(11), dl) == MS(11) + WAIT_DUTY * MS(2));
	/* a later wake stands; the deadline caps all */
	assert_true(wait_paced_ns(MS(500), MS(9), MS(10), dl) == MS(500));
	assert_true(wait_paced_ns(MS(10), MS(9), MS(10), MS(10)) == MS(10));
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

/*
 * The expiry idiag_expires puts on our clock drifts later only if jiffies
 * fell behind it; a timer already due (0 left) tells nothing of that.
 */
static void expiry_drift_is_the_lag(void **state)
{
	struct watch w = { 0 };
	int64_t err;

	(void)state;
	assert_true(watch_lag_ns(&w, &err) == 0);
	watch_note_due(&w, MS(0), MS(2), 60000);	/* due at 60001 ms, +-1 */
	watch_note_due(&w, MS(40000), MS(40004), 26500);	/* at 66502, +-2 */
	watch_note_due(&w, MS(66600), MS(66601), 0);	/* overdue: not counted */
	assert_true(watch_lag_ns(&w, &err) == MS(6501));
	assert_true(err == MS(3));
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
		cmocka_unit_test(paced_by_the_dump),
		cmocka_unit_test(expiry_drift_is_the_lag),
	};

	return cmocka_run_group_tests_name("wait: the end bracket, the next poll", tests, NULL, NULL);
}
