// SPDX-License-Identifier: GPL-2.0
/*
 * ss_agrees' judge on synthetic views: sock_diag lists LISTEN 2, ESTAB 5
 * and 13 TIME_WAIT (11 on :443, 59 s left each); ss ran 0-2000 ms later,
 * its -o run 1770-1960 ms later, at HZ=250.
 */
#include "judge_test.h"
#include "judges/ss_agrees.h"

#define WC	"A08.tw_count_wc"
#define WC_H	"A08.tw_count"
#define PORT	"A08.tw_port"
#define ST_TW	"A08.states.time_wait"
#define ST	"A08.states.others"
#define PEERS	"A08.peers"
#define LINES	"A08.peer_lines"
#define TIMER	"A08.tw_timer"

static void key(struct ss_uniq *u, const char *k, unsigned int n)
{
	snprintf(u->key, sizeof(u->key), "%s", k);
	u->count = n;
}

static struct ss_agrees_fig fig(void)
{
	struct ss_agrees_fig f = {
		.hz = 250, .ntw = 13, .naddr = 2, .nwant = 3,
		.between_lo = 0, .between_hi = 2000,
		.timer_between_lo = 1770, .timer_between_hi = 1960,
		.wc = 14, .wc_h = 13, .port = 11, .ngot = 4, .ntimer = 13,
	};

	f.have[TCP_LISTEN] = f.hist[TCP_LISTEN] = 2;
	f.have[TCP_ESTABLISHED] = f.hist[TCP_ESTABLISHED] = 5;
	f.have[TCP_TIME_WAIT] = f.hist[TCP_TIME_WAIT] = 13;
	for (int i = 0; i < f.ntw; i++) {
		f.tw[i] = (struct ss_tw_seen){ 59000, i < 11 };
		f.timer[i] = (struct ss_timer_pair){ 59000 - 4 * i, 57000 - 4 * i, 1000 };
	}
	key(&f.want[0], "0.0.0.0 10.0.0.2", 1);
	f.want_listen[0] = true;
	key(&f.want[1], "10.0.0.1 10.0.0.2", 10);
	key(&f.want[2], "10.0.1.1 10.0.0.2", 4);
	key(&f.got[0], "Process Address", 1);	/* ss's header, through awk and sed */
	for (int i = 0; i < f.nwant; i++)
		f.got[i + 1] = f.want[i];
	return f;
}

/* The same over IPv6: the sed cuts each address at its first colon. */
static struct ss_agrees_fig fig6(void)
{
	struct ss_agrees_fig f = fig();

	f.nwant = 2;
	key(&f.want[0], "[ [2001", 1);
	key(&f.want[1], "[2001 [2001", 14);
	f.ngot = 3;
	for (int i = 0; i < f.nwant; i++)
		f.got[i + 1] = f.want[i];
	return f;
}

/* ss sees one TIME_WAIT on :443 less than sock_diag did, in every view. */
static void one_short(struct ss_agrees_fig *f)
{
	f->wc_h = 12;
	f->port = 10;
	f->hist[TCP_TIME_WAIT] = 12;
	f->got[2].count = 9;
}

JT_DEFINE_JUDGE(ss_agrees)

static void ss_agrees_ipv4(void **state)
{
	struct tw_result r = judge(fig());

	(void)state;
	jt_expect(&r, WC, V_REFUTED, REL_INSIDE);	/* 14: ss's header line, counted */
	jt_expect(&r, WC_H, V_CONFIRMED, REL_INSIDE);
	jt_expect(&r, PORT, V_CONFIRMED, REL_INSIDE);
	jt_expect(&r, ST_TW, V_CONFIRMED, REL_INSIDE);
	jt_expect(&r, ST, V_CONFIRMED, REL_INSIDE);
	jt_expect(&r, PEERS, V_CONFIRMED, REL_INSIDE);
	jt_expect(&r, LINES, V_CONFIRMED, REL_INSIDE);
	jt_expect(&r, TIMER, V_CONFIRMED, REL_INSIDE);
	jt_outcome(&r, R_PASS);
}

/* Two IPv6 peers print as one line: the article's one-liner, not ss, is off. */
static void ss_agrees_ipv6(void **state)
{
	struct tw_result r = judge(fig6());

	(void)state;
	jt_expect(&r, PEERS, V_REFUTED, REL_INSIDE);
	jt_expect(&r, LINES, V_CONFIRMED, REL_INSIDE);
	jt_outcome(&r, R_PASS);
}

/*
 * Issue 10: ss_agrees could never say "refuted".  Where ss's view leaves
 * the window sock_diag's sets it, each sub-claim says so, and the run fails.
 */
static void ss_disagrees_fails(void **state)
{
	struct ss_agrees_fig f = fig();
	struct tw_result r;

	(void)state;
	one_short(&f);
	f.wc = 13;		/* the article's number, but not what ss + wc print */
	f.hist[TCP_LISTEN] = 3;
	f.ngot = 5;
	key(&f.got[4], "10.0.2.1 10.0.0.2", 1);
	r = judge(f);
	jt_expect(&r, WC, V_CONFIRMED, REL_OUTSIDE);
	jt_expect(&r, WC_H, V_REFUTED, REL_OUTSIDE);
	jt_expect(&r, PORT, V_REFUTED, REL_OUTSIDE);
	jt_expect(&r, ST_TW, V_REFUTED, REL_OUTSIDE);
	jt_expect(&r, ST, V_REFUTED, REL_OUTSIDE);
	jt_expect(&r, PEERS, V_REFUTED, REL_OUTSIDE);
	jt_expect(&r, LINES, V_REFUTED, REL_OUTSIDE);
	jt_outcome(&r, R_FAIL);
	assert_true(jt_verdict(&r, LINES)->measured == 2);
}

/* IPv6 peers told apart by the one-liner would be the article right, and ss wrong. */
static void ipv6_peers_apart_fails(void **state)
{
	struct ss_agrees_fig f = fig6();
	struct tw_result r;

	(void)state;
	key(&f.got[2], "[2002 [2001", 1);
	f.ngot = 4;
	r = judge(f);
	jt_expect(&r, PEERS, V_CONFIRMED, REL_OUTSIDE);
	jt_outcome(&r, R_FAIL);
}

/*
 * The two observers read at different moments: a TIME_WAIT due in
 * between may be gone when ss looks.  One short is then inside the
 * window, and the article's exact count only refined.
 */
static void one_due_between_reads(void **state)
{
	struct ss_agrees_fig f = fig();
	struct tw_result r;

	(void)state;
	f.tw[0].expires_ms = 1500;
	one_short(&f);
	r = judge(f);
	jt_expect(&r, WC, V_REFINED, REL_INSIDE);
	jt_expect(&r, WC_H, V_REFINED, REL_INSIDE);
	jt_expect(&r, PORT, V_REFINED, REL_INSIDE);
	jt_expect(&r, ST_TW, V_REFINED, REL_INSIDE);
	jt_expect(&r, LINES, V_REFINED, REL_INSIDE);
	jt_outcome(&r, R_PASS);
	/* due later than ss's last read plus a tick: no excuse */
	f.tw[0].expires_ms = 2005;
	r = judge(f);
	jt_expect(&r, WC_H, V_REFUTED, REL_OUTSIDE);
}

/* A timer differs by the time between the reads, measured: not by more, not by less. */
static void timers_by_the_time_between(void **state)
{
	struct ss_agrees_fig f = fig();
	struct tw_result r;

	(void)state;
	f.timer_between_lo = 0;
	f.timer_between_hi = 10;	/* read together: 2 s apart cannot be */
	r = judge(f);
	jt_expect(&r, TIMER, V_REFUTED, REL_OUTSIDE);
	jt_outcome(&r, R_FAIL);
	assert_true(jt_verdict(&r, TIMER)->kern.lo == -4);
	assert_true(jt_verdict(&r, TIMER)->kern.hi == 10 + 4 + 1000);
	f.timer_between_lo = 1990;
	f.timer_between_hi = 2010;
	r = judge(f);
	jt_expect(&r, TIMER, V_CONFIRMED, REL_INSIDE);
	/* at ms resolution (under 10 s left) the window narrows to the reads */
	for (int i = 0; i < f.ntimer; i++)
		f.timer[i] = (struct ss_timer_pair){ 9000, 6995, 1 };
	r = judge(f);
	jt_expect(&r, TIMER, V_CONFIRMED, REL_INSIDE);
	f.timer[3].ss = 7030;
	r = judge(f);
	jt_expect(&r, TIMER, V_REFUTED, REL_OUTSIDE);
}

/* No TIME_WAIT seen by both: nothing to compare, so nothing decided. */
static void no_timer_is_inconclusive(void **state)
{
	struct ss_agrees_fig f = fig();
	struct tw_result r;

	(void)state;
	f.ntimer = 0;
	f.timer_unmatched = 13;
	r = judge(f);
	jt_expect(&r, TIMER, V_INCONCLUSIVE, REL_STRADDLES);
	jt_outcome(&r, R_INCONCLUSIVE);
}

JT_DEFINE_COVERAGE(ss_agrees)

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ss_agrees_ipv4),
		cmocka_unit_test(ss_agrees_ipv6),
		cmocka_unit_test(ss_disagrees_fails),
		cmocka_unit_test(ipv6_peers_apart_fails),
		cmocka_unit_test(one_due_between_reads),
		cmocka_unit_test(timers_by_the_time_between),
		cmocka_unit_test(no_timer_is_inconclusive),
		cmocka_unit_test(coverage),
	};

	return cmocka_run_group_tests_name("judge ss_agrees", tests, NULL, NULL);
}
