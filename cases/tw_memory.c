// SPDX-License-Identifier: GPL-2.0
/*
 * A07: "TIME_WAIT costs almost no memory: 8 bytes per connection", worked
 * out from the boot line "TCP established hash table entries: 8192
 * (order: 4, 65536 bytes)".  Those 8 bytes are one ehash bucket, allocated
 * for every bucket at boot; a TIME_WAIT socket costs its own struct
 * tcp_timewait_sock, one object of the tw_sock_TCP (IPv6: tw_sock_TCPv6)
 * slab cache (K11).  The judge: cases/judges/tw_memory.c.
 *
 * Method:
 *   1. the bytes one object of the cache takes in its slab (lib/slab.c);
 *   2. holding the run's quiet lock, since slab counts are machine-wide,
 *      on one CPU, TW_MEMORY_ROUNDS times: the cache's objects in use, up
 *      to NCONN TIME_WAIT sockets made at the client (each connection
 *      closed client first, to a server port of the round's own) and
 *      settled, the objects in use again, and once more after an idle
 *      span as long as the round: what others did meanwhile; the lab's
 *      tcp_ehash_entries before the first round and after the last;
 *   3. the boot log's ehash line, read from the start of /dev/kmsg.
 */
#include <errno.h>
#include <stdio.h>

#include "case.h"
#include "clock.h"
#include "conngroup.h"
#include "cpu.h"
#include "ehash.h"
#include "judges/tw_memory.h"
#include "slab.h"

#define NCONN		2000	/* TIME_WAIT sockets per round, where the cap allows */
#define MIN_PER_ROUND	600
#define IDLE_MAX_MS	3000
#define PORT_SLAB	8200	/* 8200 .. 8200 + TW_MEMORY_ROUNDS - 1 */
#define QUIET_MS	60000

TW_CASE(tw_memory,
	.summary = "bytes per TIME_WAIT socket (slab) and per ehash bucket, against the article's 8",
	.claims = "A07",
	.needs = NEED_MACHINE_EHASH,
	.views = HOST(LAB_CLIENT) | HOST(LAB_SERVER),
	.time_limit_s = 90);

/*
 * One round: objects in use before and after @n connections closed client
 * first.  The cache is the machine's: other labs' TIME_WAIT sockets come
 * and go in it too, and no lock of ours stops them.  What they did during
 * the round is estimated from what they do right after it, with none of
 * ours being made: the objects in use over an idle span as long as the
 * round (at most IDLE_MAX_MS, scaled up to the round's length).
 */
static int weigh_round(struct lab *lab, const struct tw_params *p, struct tw_memory_fig *f,
		       int k, int n)
{
	int64_t start = now_ns(), round, idle;
	unsigned int tw[LAB_PAIR_HOSTS];
	long before, after, later;
	int err;

	err = slab_cache_active(f->cache, &before, &f->count_from) ?:
	      conngroup_close(lab, p->family, PORT_SLAB + k, n, LAB_CLIENT, NULL, NULL) ?:
	      conngroup_left(p->fx->sv, p->family, PORT_SLAB + k, tw, NULL) ?:
	      slab_cache_active(f->cache, &after, &f->count_from);
	if (err)
		return err;
	round = now_ns() - start;
	idle = round < IDLE_MAX_MS * NSEC_PER_MSEC ? round : IDLE_MAX_MS * NSEC_PER_MSEC;
	sleep_until_ns(now_ns() + idle);
	err = slab_cache_active(f->cache, &later, &f->count_from);
	if (err)
		return err;
	f->drift[k] = idle > 0 ? (long)((double)(later - after) * round / idle) : 0;
	f->grew[k] = after - before;
	f->tw[k] = tw[LAB_CLIENT];
	f->rounds = k + 1;
	/* fewer TIME_WAIT sockets than connections: the experiment, not the kernel (K10) */
	return f->tw[k] == (unsigned int)n ? 0 : -EAGAIN;
}

/*
 * tcp_set_hashinfo() caps a namespace's TIME_WAIT sockets at half its
 * table (K10): a guest with little memory has a small one, and a lab with
 * a table of its own (tcp_child_ehash_entries where twlab started) a
 * smaller one still.  The rounds' sockets stay within the cap, NCONN a
 * round where it allows; below MIN_PER_ROUND the lab's cap is raised, as
 * fewer make a reading's slack too wide to judge.
 */
static int per_round(struct lab *lab, int *n)
{
	unsigned int cap = 0;
	char val[16];
	int err;

	err = lab_sysctl_uint(lab, LAB_CLIENT, "tcp_max_tw_buckets", &cap);
	*n = cap / (TW_MEMORY_ROUNDS + 1) < NCONN ? cap / (TW_MEMORY_ROUNDS + 1) : NCONN;
	if (err || *n >= MIN_PER_ROUND)
		return err;
	*n = MIN_PER_ROUND;
	snprintf(val, sizeof(val), "%d", (TW_MEMORY_ROUNDS + 1) * MIN_PER_ROUND);
	return lab_sysctl_set(lab, LAB_CLIENT, "tcp_max_tw_buckets", val);
}

/* Step 2, the rounds. */
static int weigh(struct lab *lab, const struct tw_params *p, struct tw_memory_fig *f,
		 struct tw_result *r)
{
	cpu_set_t saved;
	int quiet, err, n;

	err = per_round(lab, &n);
	if (err)
		return tw_error(r, err, "tcp_max_tw_buckets of the client");
	quiet = tw_quiet_begin(p, QUIET_MS);
	if (quiet < 0)
		return tw_error(r, quiet, "the run's quiet lock, for %d s", QUIET_MS / 1000);
	/*
	 * Every allocation on the CPU we run on: the connections' packets cross
	 * the veth in softirq on the sending CPU, where tcp_time_wait() runs.
	 */
	err = cpu_pin_here(&saved);
	if (err) {
		tw_error(r, err, "pinning to one CPU");
		goto out;
	}
	for (int k = 0; k < TW_MEMORY_ROUNDS && !err; k++)
		err = weigh_round(lab, p, f, k, n);
	if (!err)
		err = ehash_size(&lab->host[LAB_CLIENT].ns, &f->ehash_after);
	cpu_unpin(&saved);
	if (err == -EAGAIN)
		tw_error(r, err, "%u connections in TIME_WAIT at the client in round %d, fewer "
			 "than the %d it made", f->tw[f->rounds - 1], f->rounds, n);
	else if (err)
		tw_error(r, err, "round %d, %d connections closed client first", f->rounds + 1, n);
out:
	tw_quiet_end(quiet);
	return err;
}

static int tw_memory(struct lab *lab, const struct tw_params *p, struct tw_result *r)
{
	struct tw_memory_fig f = {
		.version = lab->kernel->version, .word_bytes = lab->kernel->word_bytes,
		.cache = p->family == AF_INET ? "tw_sock_TCP" : "tw_sock_TCPv6",
	};
	int err;

	slab_cache_info(f.cache, &f.slab);
	ehash_boot_line(&f.boot);
	err = ehash_size(&lab->host[LAB_CLIENT].ns, &f.ehash_before);
	if (err)
		return tw_error(r, err, "tcp_ehash_entries");
	if (!f.slab.size || !(err = weigh(lab, p, &f, r)))
		tw_memory_judge(&f, r);
	return err;
}
