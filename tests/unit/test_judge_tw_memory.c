// SPDX-License-Identifier: GPL-2.0
/*
 * tw_memory's judge on synthetic figures: a 6.18 host on which one
 * TIME_WAIT socket takes one 256-byte object (248-byte struct, 16 a slab)
 * of tw_sock_TCP, against the facts' window [240, 288] bytes.
 */
#include "judge_test.h"
#include "judges/tw_memory.h"

#define SOCKET	"A07.tw_socket_bytes"
#define GROWTH	"A07.ehash_bytes_per_tw"
#define BUCKET	"A07.ehash_bucket_bytes"
#define NCONN	2000

static struct tw_memory_fig fig(double objects_per_socket)
{
	struct tw_memory_fig f = {
		.version = KV(6, 18, 0), .word_bytes = 8, .cache = "tw_sock_TCP",
		.slab = { .size = 256, .object_size = 248, .objs_per_slab = 16 },
		.count_from = "active_objs, /proc/slabinfo", .rounds = TW_MEMORY_ROUNDS,
		.boot = { .entries = 262144, .bytes = 2097152, .note = "TCP established hash "
			  "table entries: 262144 (order: 9, 2097152 bytes, linear)" },
		.ehash_before = { true, -262144 }, .ehash_after = { true, -262144 },
	};

	for (int k = 0; k < f.rounds; k++) {
		f.grew[k] = (long)(objects_per_socket * NCONN) + (k - 2) * 8;
		f.tw[k] = NCONN;
	}
	return f;
}

JT_DEFINE_JUDGE(tw_memory)

/* One object per socket, a table that never grows, 8 bytes a bucket: as measured on 6.18. */
static void one_object_each(void **state)
{
	struct tw_result r = judge(fig(1));

	(void)state;
	jt_expect(&r, SOCKET, V_REFUTED, REL_INSIDE);
	jt_expect(&r, GROWTH, V_REFUTED, REL_INSIDE);
	jt_expect(&r, BUCKET, V_CONFIRMED, REL_INSIDE);
	jt_outcome(&r, R_PASS);
	assert_true(jt_verdict(&r, SOCKET)->measured == 256);
}

/* The defect: a slab that never grew read "refuted" and passed.  It is no TIME_WAIT at all. */
static void slab_never_grew_fails(void **state)
{
	struct tw_memory_fig f = fig(0);
	struct tw_result r;

	(void)state;
	for (int k = 0; k < f.rounds; k++)
		f.grew[k] = 0;
	r = judge(f);
	jt_expect(&r, SOCKET, V_REFUTED, REL_OUTSIDE);
	jt_outcome(&r, R_FAIL);
	assert_non_null(strstr(r.reason, SOCKET));
}

/* Two objects per socket, or a cache of another size than the facts give: fail. */
static void twice_or_wrong_size_fails(void **state)
{
	struct tw_memory_fig f = fig(1);
	struct tw_result r = judge(fig(2));

	(void)state;
	jt_expect(&r, SOCKET, V_REFUTED, REL_OUTSIDE);
	jt_outcome(&r, R_FAIL);
	f.slab.size = 512;
	r = judge(f);
	jt_expect(&r, SOCKET, V_REFUTED, REL_OUTSIDE);
	/* 5.10's window is [224, 264]: 6.1's 272-byte slab would not fit it */
	f = fig(1);
	f.version = KV(5, 10, 0);
	f.slab.size = 272;
	r = judge(f);
	jt_expect(&r, SOCKET, V_REFUTED, REL_OUTSIDE);
	f.slab.size = 248;
	r = judge(f);
	jt_expect(&r, SOCKET, V_REFUTED, REL_INSIDE);
}

/* One round spoiled by another lab's sockets is outvoted by the median. */
static void one_spoiled_round(void **state)
{
	struct tw_memory_fig f = fig(1);
	struct tw_result r;

	(void)state;
	f.grew[1] = 2 * NCONN;
	r = judge(f);
	jt_expect(&r, SOCKET, V_REFUTED, REL_INSIDE);
	jt_outcome(&r, R_PASS);
}

/*
 * Rounds as a 6.1 guest under TCG gave them, while TIME_WAIT sockets made
 * a minute before ended: -114..273 B, the median 249 B of a 272-byte
 * object.  The middle rounds' spread reaches below the window: no verdict.
 */
static void noisy_rounds_are_inconclusive(void **state)
{
	struct tw_memory_fig f = fig(1);
	static const long grew[] = { -840, 1470, 1830, 1990, 2010 };
	struct tw_result r;

	(void)state;
	f.version = KV(6, 1, 0);
	f.slab.size = 272;
	f.slab.object_size = 264;
	for (int k = 0; k < f.rounds; k++)
		f.grew[k] = grew[k];
	r = judge(f);
	jt_expect(&r, SOCKET, V_INCONCLUSIVE, REL_STRADDLES);
	jt_outcome(&r, R_INCONCLUSIVE);
}

/*
 * Other labs made TIME_WAIT sockets all along: every round grew by two
 * objects a socket, and so did the idle spans after them.  Without the
 * drift that read as 512 bytes, a kernel fault; with it, no verdict.
 */
static void busy_machine_is_inconclusive(void **state)
{
	struct tw_memory_fig f = fig(2);
	struct tw_result r;

	(void)state;
	r = judge(f);
	jt_expect(&r, SOCKET, V_REFUTED, REL_OUTSIDE);
	for (int k = 0; k < f.rounds; k++)
		f.drift[k] = NCONN;
	r = judge(f);
	jt_expect(&r, SOCKET, V_INCONCLUSIVE, REL_STRADDLES);
	jt_outcome(&r, R_INCONCLUSIVE);
}

/* A median right at the window's edge, within one reading's slack: cannot tell. */
static void at_the_edge_is_inconclusive(void **state)
{
	struct tw_memory_fig f = fig(1);
	struct tw_result r;

	(void)state;
	f.slab.size = 288;
	r = judge(f);
	jt_expect(&r, SOCKET, V_INCONCLUSIVE, REL_STRADDLES);
	jt_outcome(&r, R_INCONCLUSIVE);
}

/* The article's 8 bytes per connection, were the table to grow by a bucket per socket. */
static void growing_table(void **state)
{
	struct tw_memory_fig f = fig(1);
	struct tw_result r;

	(void)state;
	f.ehash_after.entries = f.ehash_before.entries - TW_MEMORY_ROUNDS * NCONN;
	r = judge(f);
	jt_expect(&r, GROWTH, V_CONFIRMED, REL_OUTSIDE);
	jt_outcome(&r, R_FAIL);
	f.ehash_before.sysctl = false;
	r = judge(f);
	jt_expect(&r, GROWTH, V_INCONCLUSIVE, REL_STRADDLES);
}

/* 16 bytes a bucket, or a 32-bit kernel's 4; a boot line overwritten is undecided. */
static void bucket_sizes(void **state)
{
	struct tw_memory_fig f = fig(1);
	struct tw_result r;

	(void)state;
	f.boot.bytes = 2 * f.boot.bytes;
	r = judge(f);
	jt_expect(&r, BUCKET, V_REFUTED, REL_OUTSIDE);
	jt_outcome(&r, R_FAIL);
	f = fig(1);
	f.word_bytes = 4;
	f.boot.bytes /= 2;
	r = judge(f);
	jt_expect(&r, BUCKET, V_REFUTED, REL_INSIDE);
	f.boot.entries = 0;
	r = judge(f);
	jt_expect(&r, BUCKET, V_INCONCLUSIVE, REL_STRADDLES);
}

JT_DEFINE_COVERAGE(tw_memory)

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(one_object_each),
		cmocka_unit_test(slab_never_grew_fails),
		cmocka_unit_test(twice_or_wrong_size_fails),
		cmocka_unit_test(one_spoiled_round),
		cmocka_unit_test(noisy_rounds_are_inconclusive),
		cmocka_unit_test(busy_machine_is_inconclusive),
		cmocka_unit_test(at_the_edge_is_inconclusive),
		cmocka_unit_test(growing_table),
		cmocka_unit_test(bucket_sizes),
		cmocka_unit_test(coverage),
	};

	return cmocka_run_group_tests_name("judge tw_memory", tests, NULL, NULL);
}
