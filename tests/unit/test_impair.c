// SPDX-License-Identifier: GPL-2.0
/*
 * The pure parts of lib/impair.c: the nftables text that lib/nft.c builds
 * (checked as exact strings, since nft parses exactly that), and the
 * delay line's queue of held packets (lib/delayline.c): order by due
 * time, FIFO among equals, the ring's wrap-around, due times across a
 * second boundary, and the timerfd expiry it asks for.
 */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <cmocka.h>

#include "clock.h"
#include "delayline.h"
#include "impair.h"
#include "nft.h"

#define UNUSED __attribute__((unused))
#define PURE_ACK (TH_FIN | TH_SYN | TH_RST | TH_PUSH | TH_ACK | TH_URG)

static const struct nft_chain inet_drop = { AF_UNSPEC, "twlab", "exact_drop" };
static const struct nft_chain inet_loss = { AF_UNSPEC, "twlab", "random_loss" };

/* @build's one line is @want, newline and all. */
#define ASSERT_TEXT(build, want)				\
	do {							\
		struct nft_text t_;				\
								\
		nft_text_init(&t_);				\
		assert_int_equal((build), 0);			\
		assert_string_equal(t_.buf, want "\n");		\
	} while (0)

#define ASSERT_FAILS(build, want)				\
	do {							\
		struct nft_text t_;				\
								\
		nft_text_init(&t_);				\
		assert_int_equal((build), (want));		\
		assert_int_equal(t_.err, (want));		\
		assert_string_equal(t_.buf, "");		\
	} while (0)

static void nft_tables(void **state UNUSED)
{
	ASSERT_TEXT(nft_text_table(&t_, AF_UNSPEC, "twlab", true), "create table inet twlab");
	ASSERT_TEXT(nft_text_table(&t_, AF_INET, "twlab", false), "add table ip twlab");
	ASSERT_TEXT(nft_text_table(&t_, AF_INET6, "twlab", false), "add table ip6 twlab");
	ASSERT_TEXT(nft_text_delete_table(&t_, AF_UNSPEC, "twlab"), "delete table inet twlab");
	ASSERT_TEXT(nft_text_counter(&t_, AF_UNSPEC, "twlab", "dropped"),
		    "add counter inet twlab dropped");
	ASSERT_FAILS(nft_text_table(&t_, AF_PACKET, "twlab", false), -EINVAL);
	ASSERT_FAILS(nft_text_table(&t_, AF_INET, "tw lab", false), -EINVAL);
	ASSERT_FAILS(nft_text_counter(&t_, AF_INET, "twlab", "1st"), -EINVAL);
}

static void nft_chains(void **state UNUSED)
{
	const struct nft_chain ip6 = { AF_INET6, "t", "out" };
	const struct nft_chain q = { AF_UNSPEC, "twlab", "delay_queue" };

	ASSERT_TEXT(nft_text_chain(&t_, &inet_loss, "postrouting", 10),
		    "add chain inet twlab random_loss { type filter hook postrouting priority 10; policy accept; }");
	ASSERT_TEXT(nft_text_chain(&t_, &ip6, "output", -5),
		    "add chain ip6 t out { type filter hook output priority -5; policy accept; }");
	ASSERT_TEXT(nft_text_chain(&t_, &q, NULL, 0), "add chain inet twlab delay_queue");
	ASSERT_TEXT(nft_text_flush(&t_, &inet_loss), "flush chain inet twlab random_loss");
	ASSERT_TEXT(nft_text_jump(&t_, &inet_loss, "tw0", "delay_queue"),
		    "add rule inet twlab random_loss oifname \"tw0\" jump delay_queue");
	ASSERT_TEXT(nft_text_queue(&t_, &q, 2, true),
		    "add rule inet twlab delay_queue queue num 2 bypass");
	ASSERT_TEXT(nft_text_queue(&t_, &q, 65535, false),
		    "add rule inet twlab delay_queue queue num 65535");
}

static void nft_loss(void **state UNUSED)
{
	const struct nft_chain ip = { AF_INET, "twlab", "loss" };

	ASSERT_TEXT(nft_text_loss(&t_, &inet_loss, "tw0", 10, NULL),
		    "add rule inet twlab random_loss oifname \"tw0\" numgen random mod 10000 < 1000 drop");
	ASSERT_TEXT(nft_text_loss(&t_, &inet_loss, "tw0", 10, "blackhole"),
		    "add rule inet twlab random_loss oifname \"tw0\" numgen random mod 10000 < 1000 jump blackhole");
	ASSERT_TEXT(nft_text_loss(&t_, &ip, "veth-a.1", 1, NULL),
		    "add rule ip twlab loss oifname \"veth-a.1\" numgen random mod 10000 < 100 drop");
	ASSERT_TEXT(nft_text_loss(&t_, &inet_loss, "tw0", 0.01, NULL),
		    "add rule inet twlab random_loss oifname \"tw0\" numgen random mod 10000 < 1 drop");
	ASSERT_TEXT(nft_text_loss(&t_, &inet_loss, "tw0", 33.333, NULL),
		    "add rule inet twlab random_loss oifname \"tw0\" numgen random mod 10000 < 3333 drop");
	ASSERT_TEXT(nft_text_loss(&t_, &inet_loss, "tw0", 99.99, NULL),
		    "add rule inet twlab random_loss oifname \"tw0\" numgen random mod 10000 < 9999 drop");
	/* nft refuses `< 10000` (the range is 0-9999): all is a plain drop */
	ASSERT_TEXT(nft_text_loss(&t_, &inet_loss, "tw0", 100, NULL),
		    "add rule inet twlab random_loss oifname \"tw0\" drop");
	ASSERT_TEXT(nft_text_loss(&t_, &inet_loss, "tw0", 100, "blackhole"),
		    "add rule inet twlab random_loss oifname \"tw0\" jump blackhole");
	ASSERT_FAILS(nft_text_loss(&t_, &inet_loss, "tw0", 10, "black hole"), -EINVAL);

	ASSERT_FAILS(nft_text_loss(&t_, &inet_loss, "tw0", 0, NULL), -EINVAL);
	ASSERT_FAILS(nft_text_loss(&t_, &inet_loss, "tw0", -1, NULL), -EINVAL);
	ASSERT_FAILS(nft_text_loss(&t_, &inet_loss, "tw0", 100.5, NULL), -EINVAL);
	ASSERT_FAILS(nft_text_loss(&t_, &inet_loss, "tw0", NAN, NULL), -EINVAL);
	ASSERT_FAILS(nft_text_loss(&t_, &inet_loss, "tw0", 0.004, NULL), -ERANGE);
}

/* Names that would need quoting, or break out of the quotes, are refused. */
static void nft_ifnames(void **state UNUSED)
{
	ASSERT_FAILS(nft_text_loss(&t_, &inet_loss, "tw 0", 1, NULL), -EINVAL);
	ASSERT_FAILS(nft_text_loss(&t_, &inet_loss, "tw0\" accept; drop \"", 1, NULL), -EINVAL);
	ASSERT_FAILS(nft_text_loss(&t_, &inet_loss, "", 1, NULL), -EINVAL);
	ASSERT_FAILS(nft_text_loss(&t_, &inet_loss, "abcdefghijklmnop", 1, NULL), -EINVAL);
	ASSERT_TEXT(nft_text_loss(&t_, &inet_loss, "abcdefghijklmno", 1, NULL),
		    "add rule inet twlab random_loss oifname \"abcdefghijklmno\" numgen random mod 10000 < 100 drop");
}

static void nft_drop_pure_ack(void **state UNUSED)
{
	struct drop_match m = {
		.family = AF_INET, .flags = TH_ACK, .mask = PURE_ACK, .sport = 40000, .count = 1,
	};

	ASSERT_TEXT(nft_text_drop(&t_, &inet_drop, "tw0", &m, "matched", "dropped", NULL),
		    "add rule inet twlab exact_drop oifname \"tw0\" meta nfproto ipv4 meta l4proto tcp"
		    " tcp flags & (fin|syn|rst|psh|ack|urg) == (ack) tcp sport 40000"
		    " counter name \"matched\" numgen inc mod 4294967295 < 1"
		    " counter name \"dropped\" drop");
	m.family = AF_INET6;
	m.count = 3;
	ASSERT_TEXT(nft_text_drop(&t_, &inet_drop, "tw0", &m, "matched", "dropped", NULL),
		    "add rule inet twlab exact_drop oifname \"tw0\" meta nfproto ipv6 meta l4proto tcp"
		    " tcp flags & (fin|syn|rst|psh|ack|urg) == (ack) tcp sport 40000"
		    " counter name \"matched\" numgen inc mod 4294967295 < 3"
		    " counter name \"dropped\" drop");
	ASSERT_TEXT(nft_text_drop(&t_, &inet_drop, "tw0", &m, "matched", "dropped", "blackhole"),
		    "add rule inet twlab exact_drop oifname \"tw0\" meta nfproto ipv6 meta l4proto tcp"
		    " tcp flags & (fin|syn|rst|psh|ack|urg) == (ack) tcp sport 40000"
		    " counter name \"matched\" numgen inc mod 4294967295 < 3"
		    " counter name \"dropped\" jump blackhole");
	m.family = AF_UNSPEC;
	ASSERT_TEXT(nft_text_drop(&t_, &inet_drop, "tw0", &m, "matched", "dropped", NULL),
		    "add rule inet twlab exact_drop oifname \"tw0\" meta l4proto tcp"
		    " tcp flags & (fin|syn|rst|psh|ack|urg) == (ack) tcp sport 40000"
		    " counter name \"matched\" numgen inc mod 4294967295 < 3"
		    " counter name \"dropped\" drop");
}

static void nft_drop_variants(void **state UNUSED)
{
	const struct nft_chain ip = { AF_INET, "t", "d" };
	const struct nft_chain ip6 = { AF_INET6, "t", "d" };
	struct drop_match syn_ack = {
		.family = AF_INET, .flags = TH_SYN | TH_ACK, .mask = TH_SYN | TH_ACK | TH_RST,
		.dport = 80, .count = 2,
	};
	struct drop_match not_syn = { .flags = 0, .mask = TH_SYN, .sport = 1, .dport = 2, .count = 7 };
	struct drop_match any = { .count = 4294967294u };
	struct drop_match ecn = { .flags = 0xc0, .mask = 0xc0, .count = 1 };

	/* in an ip or ip6 table the family is the table's: no nfproto match */
	ASSERT_TEXT(nft_text_drop(&t_, &ip, "tw0", &syn_ack, "m", "d", NULL),
		    "add rule ip t d oifname \"tw0\" meta l4proto tcp"
		    " tcp flags & (syn|rst|ack) == (syn|ack) tcp dport 80"
		    " counter name \"m\" numgen inc mod 4294967295 < 2 counter name \"d\" drop");
	ASSERT_TEXT(nft_text_drop(&t_, &ip6, "tw0", &not_syn, "m", "d", NULL),
		    "add rule ip6 t d oifname \"tw0\" meta l4proto tcp"
		    " tcp flags & (syn) == 0x0 tcp sport 1 tcp dport 2"
		    " counter name \"m\" numgen inc mod 4294967295 < 7 counter name \"d\" drop");
	ASSERT_TEXT(nft_text_drop(&t_, &inet_drop, "tw0", &any, "m", "d", NULL),
		    "add rule inet twlab exact_drop oifname \"tw0\" meta l4proto tcp"
		    " counter name \"m\" numgen inc mod 4294967295 < 4294967294 counter name \"d\" drop");
	ASSERT_TEXT(nft_text_drop(&t_, &inet_drop, "tw0", &ecn, "m", "d", NULL),
		    "add rule inet twlab exact_drop oifname \"tw0\" meta l4proto tcp"
		    " tcp flags & (ecn|cwr) == (ecn|cwr)"
		    " counter name \"m\" numgen inc mod 4294967295 < 1 counter name \"d\" drop");
}

static void nft_drop_refused(void **state UNUSED)
{
	const struct nft_chain ip = { AF_INET, "t", "d" };
	struct drop_match m = { .family = AF_INET6, .flags = TH_ACK, .mask = TH_ACK, .count = 1 };

	ASSERT_FAILS(nft_text_drop(&t_, &ip, "tw0", &m, "m", "d", NULL), -EINVAL);	/* v6 in ip */
	m = (struct drop_match){ .family = AF_PACKET, .count = 1 };
	ASSERT_FAILS(nft_text_drop(&t_, &inet_drop, "tw0", &m, "m", "d", NULL), -EINVAL);
	m = (struct drop_match){ .flags = TH_SYN, .mask = TH_ACK, .count = 1 };
	ASSERT_FAILS(nft_text_drop(&t_, &inet_drop, "tw0", &m, "m", "d", NULL), -EINVAL);
	m = (struct drop_match){ .flags = TH_ACK, .mask = TH_ACK, .count = 0 };
	ASSERT_FAILS(nft_text_drop(&t_, &inet_drop, "tw0", &m, "m", "d", NULL), -EINVAL);
	m.count = 4294967295u;		/* numgen inc could never read that high */
	ASSERT_FAILS(nft_text_drop(&t_, &inet_drop, "tw0", &m, "m", "d", NULL), -EINVAL);
	m.count = 1;
	ASSERT_FAILS(nft_text_drop(&t_, &inet_drop, "tw0", &m, "m", "d\"", NULL), -EINVAL);
}

/* Lines add up into one transaction; the first error sticks, and a full buffer is one. */
static void nft_text_lines(void **state UNUSED)
{
	struct nft_text t;
	int n = 0;

	nft_text_init(&t);
	assert_int_equal(nft_text_table(&t, AF_UNSPEC, "twlab", true), 0);
	assert_int_equal(nft_text_counter(&t, AF_UNSPEC, "twlab", "dropped"), 0);
	assert_string_equal(t.buf, "create table inet twlab\nadd counter inet twlab dropped\n");
	assert_int_equal(nft_text_counter(&t, AF_UNSPEC, "twlab", "bad name"), -EINVAL);
	assert_int_equal(nft_text_counter(&t, AF_UNSPEC, "twlab", "matched"), -EINVAL);
	assert_int_equal(t.err, -EINVAL);

	nft_text_init(&t);
	while (!nft_text_flush(&t, &inet_loss))
		n++;
	assert_int_equal(t.err, -ENOSPC);
	assert_int_equal(t.len, (size_t)n * strlen("flush chain inet twlab random_loss\n"));
	assert_int_equal(strlen(t.buf), t.len);
	assert_true(t.len < NFT_TEXT_MAX);
}

static void drain(struct dl_queue *q, int64_t now, const uint32_t *want, size_t n)
{
	struct dl_pkt p;

	for (size_t i = 0; i < n; i++) {
		assert_true(dlq_pop_due(q, now, &p));
		assert_int_equal(p.id, want[i]);
	}
	assert_false(dlq_pop_due(q, now, &p));
	assert_int_equal(q->len, 0);
}

static void dl_order(void **state UNUSED)
{
	static const uint32_t want[] = { 2, 3, 1, 4 };
	struct dl_queue q;

	assert_int_equal(dlq_init(&q, 8), 0);
	assert_int_equal(dlq_push(&q, 1, 300), 0);
	assert_int_equal(dlq_push(&q, 2, 100), 0);
	assert_int_equal(dlq_push(&q, 3, 200), 0);
	assert_int_equal(dlq_push(&q, 4, 400), 0);
	drain(&q, 1000, want, 4);
	dlq_free(&q);
}

/* Equal due times leave in the order they came: FIFO, as netem's tfifo. */
static void dl_fifo(void **state UNUSED)
{
	static const uint32_t same[] = { 10, 11, 12, 13, 14 };
	static const uint32_t mixed[] = { 1, 3, 5, 2, 4 };
	struct dl_queue q;

	assert_int_equal(dlq_init(&q, 8), 0);
	for (int i = 0; i < 5; i++)
		assert_int_equal(dlq_push(&q, same[i], 500), 0);
	drain(&q, 500, same, 5);
	assert_int_equal(dlq_push(&q, 1, 100), 0);
	assert_int_equal(dlq_push(&q, 2, 200), 0);
	assert_int_equal(dlq_push(&q, 3, 100), 0);
	assert_int_equal(dlq_push(&q, 4, 200), 0);
	assert_int_equal(dlq_push(&q, 5, 100), 0);
	drain(&q, 200, mixed, 5);
	dlq_free(&q);
}

/* Nothing leaves before it is due; at its due time it does. */
static void dl_due_only(void **state UNUSED)
{
	struct dl_queue q;
	struct dl_pkt p;

	assert_int_equal(dlq_init(&q, 4), 0);
	assert_false(dlq_pop_due(&q, INT64_MAX, &p));
	assert_int_equal(dlq_push(&q, 7, 1000), 0);
	assert_int_equal(dlq_push(&q, 8, 2000), 0);
	assert_false(dlq_pop_due(&q, 999, &p));
	assert_true(dlq_pop_due(&q, 1000, &p));
	assert_int_equal(p.id, 7);
	assert_int_equal(p.due_ns, 1000);
	assert_false(dlq_pop_due(&q, 1999, &p));
	assert_true(dlq_pop_due(&q, 2000, &p));
	assert_int_equal(p.id, 8);
	dlq_free(&q);
}

/* The ring wraps many times over, and stays sorted when an insert straddles the end. */
static void dl_ring(void **state UNUSED)
{
	struct dl_queue q;
	struct dl_pkt p;
	uint32_t next = 0;

	assert_int_equal(dlq_init(&q, 3), 0);
	for (uint32_t id = 0; id < 3; id++)
		assert_int_equal(dlq_push(&q, id, 10 * (int64_t)id), 0);
	assert_int_equal(dlq_push(&q, 99, 0), -ENOSPC);
	for (uint32_t id = 3; id < 100; id++) {
		assert_true(dlq_pop_due(&q, INT64_MAX, &p));
		assert_int_equal(p.id, next++);
		assert_int_equal(dlq_push(&q, id, 10 * (int64_t)id), 0);
	}
	/* head is now mid-ring: one due before the other two goes in front */
	assert_true(dlq_pop_due(&q, INT64_MAX, &p));
	assert_int_equal(p.id, 97);
	assert_int_equal(dlq_push(&q, 500, 975), 0);
	{
		static const uint32_t want[] = { 500, 98, 99 };

		drain(&q, INT64_MAX, want, 3);
	}
	dlq_free(&q);
	assert_int_equal(dlq_init(&q, 0), -EINVAL);
}

static void dl_due_time(void **state UNUSED)
{
	struct timespec a = { .tv_sec = 1, .tv_nsec = 999999999 }, ts;

	assert_int_equal(dl_due_ns(&a, 1), 2000999999LL);
	dl_ns_timespec(dl_due_ns(&a, 1), &ts);
	assert_int_equal(ts.tv_sec, 2);
	assert_int_equal(ts.tv_nsec, 999999);

	a = (struct timespec){ .tv_sec = 5, .tv_nsec = 990000000 };
	dl_ns_timespec(dl_due_ns(&a, 50), &ts);
	assert_int_equal(ts.tv_sec, 6);
	assert_int_equal(ts.tv_nsec, 40000000);

	/* exactly onto the boundary, and across several seconds */
	a = (struct timespec){ .tv_sec = 9, .tv_nsec = 800000000 };
	dl_ns_timespec(dl_due_ns(&a, 200), &ts);
	assert_int_equal(ts.tv_sec, 10);
	assert_int_equal(ts.tv_nsec, 0);
	dl_ns_timespec(dl_due_ns(&a, 2500), &ts);
	assert_int_equal(ts.tv_sec, 12);
	assert_int_equal(ts.tv_nsec, 300000000);

	/* zero delay: due on arrival; and a clock of days keeps its nanoseconds */
	a = (struct timespec){ .tv_sec = 864000, .tv_nsec = 1 };
	assert_int_equal(dl_due_ns(&a, 0), 864000 * NSEC_PER_SEC + 1);
	assert_int_equal(dl_timespec_ns(&a), 864000 * NSEC_PER_SEC + 1);
}

/* The timerfd is armed, absolute, at the head's due time; disarmed when empty. */
static void dl_wakeup(void **state UNUSED)
{
	struct timespec a = { .tv_sec = 41, .tv_nsec = 970000000 };
	struct itimerspec its;
	struct dl_queue q;
	struct dl_pkt p;

	assert_int_equal(dlq_init(&q, 4), 0);
	memset(&its, 0xa5, sizeof(its));
	dlq_next_wakeup(&q, &its);
	assert_int_equal(its.it_value.tv_sec, 0);
	assert_int_equal(its.it_value.tv_nsec, 0);
	assert_int_equal(its.it_interval.tv_sec, 0);
	assert_int_equal(its.it_interval.tv_nsec, 0);

	assert_int_equal(dlq_push(&q, 1, dl_due_ns(&a, 50)), 0);
	assert_int_equal(dlq_push(&q, 2, dl_due_ns(&a, 10)), 0);
	dlq_next_wakeup(&q, &its);
	assert_int_equal(its.it_value.tv_sec, 41);
	assert_int_equal(its.it_value.tv_nsec, 980000000);
	assert_int_equal(its.it_interval.tv_sec, 0);
	assert_int_equal(its.it_interval.tv_nsec, 0);

	assert_true(dlq_pop_due(&q, dl_due_ns(&a, 10), &p));
	dlq_next_wakeup(&q, &its);
	assert_int_equal(its.it_value.tv_sec, 42);
	assert_int_equal(its.it_value.tv_nsec, 20000000);
	dlq_free(&q);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(nft_tables),
		cmocka_unit_test(nft_chains),
		cmocka_unit_test(nft_loss),
		cmocka_unit_test(nft_ifnames),
		cmocka_unit_test(nft_drop_pure_ack),
		cmocka_unit_test(nft_drop_variants),
		cmocka_unit_test(nft_drop_refused),
		cmocka_unit_test(nft_text_lines),
		cmocka_unit_test(dl_order),
		cmocka_unit_test(dl_fifo),
		cmocka_unit_test(dl_due_only),
		cmocka_unit_test(dl_ring),
		cmocka_unit_test(dl_due_time),
		cmocka_unit_test(dl_wakeup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
