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
 *      on one CPU, ROUNDS times: the cache's objects in use, up to NCONN
 *      TIME_WAIT sockets made at the client (each connection closed client
 *      first, to a server port of the round's own) and settled, the
 *      objects in use again, and once more after an idle span as long as
 *      the round: what others did meanwhile; the lab's tcp_ehash_entries
 *      before the first round and after the last;
 *   3. the boot log's ehash line, read from the start of /dev/kmsg.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/utsname.h>

#include "case.h"
#include "clock.h"
#include "judges/tw_memory.h"
#include "kmsg.h"
#include "conngroup.h"
#include "slab.h"
#include "sockview.h"
#include "sysctl.h"

#define NCONN		2000	/* TIME_WAIT sockets per round, where the cap allows */
#define MIN_PER_ROUND	600
#define IDLE_MAX_MS	3000
#define ROUNDS		TW_MEMORY_ROUNDS
#define PORT_SLAB	8200	/* 8200 .. 8200 + ROUNDS - 1 */
#define SETTLE_MS	5000
#define QUIET_MS	60000

/*
 * Every allocation on the CPU we run on: the connections' packets cross
 * the veth in softirq on the sending CPU, where tcp_time_wait() runs.
 */
static int pin_here(cpu_set_t *saved)
{
	int cpu = sched_getcpu();
	cpu_set_t one;

	if (cpu < 0 || sched_getaffinity(0, sizeof(*saved), saved) < 0)
		return -errno;
	CPU_ZERO(&one);
	CPU_SET(cpu, &one);
	return sched_setaffinity(0, sizeof(one), &one) < 0 ? -errno : 0;
}

/*
 * The cache is the machine's: other labs' TIME_WAIT sockets come and go in
 * it too, and no lock of ours stops them.  What they did during a round
 * is estimated from what they do right after it, with none of ours being
 * made: the objects in use over an idle span as long as the round (at
 * most IDLE_MAX_MS, scaled up to the round's length).
 */
static int drift(struct tw_memory_fig *f, int k, int64_t round_ns, long after)
{
	int64_t idle = round_ns < IDLE_MAX_MS * NSEC_PER_MSEC ? round_ns :
		       IDLE_MAX_MS * NSEC_PER_MSEC;
	const char *from;
	long later;
	int err;

	sleep_until_ns(now_ns() + idle);
	err = slab_cache_active(f->cache, &later, &from);
	if (err)
		return err;
	f->drift[k] = idle > 0 ? (long)((double)(later - after) * round_ns / idle) : 0;
	return 0;
}

/* One round: objects in use before and after @n connections closed client first. */
static int weigh_round(struct lab *lab, struct sockview *sv, int family,
		       struct tw_memory_fig *f, int k, int n)
{
	unsigned int counts[TCP_NSTATES];
	uint16_t port = PORT_SLAB + k;
	int64_t start = now_ns();
	long before, after;
	const char *from;
	int err;

	err = slab_cache_active(f->cache, &before, &from);
	if (!err)
		err = conngroup_close(lab, family, port, n, LAB_CLIENT, NULL, NULL);
	if (!err)
		err = conngroup_settle(sv, LAB_PAIR_HOSTS, family, port, SETTLE_MS);
	if (!err)
		err = slab_cache_active(f->cache, &after, &from);
	if (!err)
		err = conngroup_count(&sv[LAB_CLIENT], family, TCPF(TCP_TIME_WAIT), port, counts);
	if (!err)
		err = drift(f, k, now_ns() - start, after);
	if (err)
		return err;
	snprintf(f->count_from, sizeof(f->count_from), "%s", from);
	f->grew[k] = after - before;
	f->tw[k] = counts[TCP_TIME_WAIT];
	f->rounds = k + 1;
	/* fewer TIME_WAIT sockets than connections: the experiment, not the kernel (K10) */
	return f->tw[k] == (unsigned int)n ? 0 : -EAGAIN;
}

static int ehash_entries(struct lab *lab, struct tw_memory_fig *f, long *v)
{
	return f->ehash_sysctl ? sysctl_read_long(&lab->host[LAB_CLIENT].ns, "tcp_ehash_entries", v) : 0;
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
	char val[16];
	long cap;
	int err;

	err = sysctl_read_long(&lab->host[LAB_CLIENT].ns, "tcp_max_tw_buckets", &cap);
	if (err)
		return err;
	*n = cap / (ROUNDS + 1) < NCONN ? cap / (ROUNDS + 1) : NCONN;
	if (*n >= MIN_PER_ROUND)
		return 0;
	*n = MIN_PER_ROUND;
	snprintf(val, sizeof(val), "%d", (ROUNDS + 1) * MIN_PER_ROUND);
	return lab_sysctl_set(lab, LAB_CLIENT, "tcp_max_tw_buckets", val);
}

static int weigh(struct lab *lab, struct sockview *sv, const struct tw_params *p,
		 struct tw_memory_fig *f, struct tw_result *r)
{
	cpu_set_t saved;
	int quiet, err, n;

	err = per_round(lab, &n);
	if (err)
		return tw_error(r, err, "tcp_max_tw_buckets of the client");
	quiet = tw_quiet_begin(p, QUIET_MS);
	if (quiet < 0)
		return tw_error(r, quiet, "the run's quiet lock, for %d s", QUIET_MS / 1000);
	err = pin_here(&saved);
	if (err) {
		tw_error(r, err, "pinning to one CPU");
		goto out;
	}
	err = ehash_entries(lab, f, &f->ehash_before);
	for (int k = 0; k < ROUNDS && !err; k++)
		err = weigh_round(lab, sv, p->family, f, k, n);
	if (!err)
		err = ehash_entries(lab, f, &f->ehash_after);
	sched_setaffinity(0, sizeof(saved), &saved);
	if (err == -EAGAIN)
		tw_error(r, err, "%u connections in TIME_WAIT at the client in round %d, fewer "
			 "than the %d it made", f->tw[f->rounds - 1], f->rounds, n);
	else if (err)
		tw_error(r, err, "round %d of %d connections closed client first", f->rounds + 1,
			 n);
out:
	tw_quiet_end(quiet);
	return err;
}

/* The boot line the article divides; it may have been overwritten since boot. */
static void boot_line(struct tw_memory_fig *f)
{
	struct kmsg_scan s = { .first_seq = -1 };
	int err = kmsg_boot_hash("TCP established", &f->boot_entries, &f->boot_bytes, &s);

	if (!err)
		snprintf(f->boot_note, sizeof(f->boot_note), "%s", s.match);
	else if (err == -ENOENT && s.first_seq > 0)
		snprintf(f->boot_note, sizeof(f->boot_note), "the kernel log now starts at "
			 "record %lld: the boot records have been overwritten", s.first_seq);
	else if (err == -EBADMSG)
		snprintf(f->boot_note, sizeof(f->boot_note), "unexpected form: \"%.130s\"", s.match);
	else
		snprintf(f->boot_note, sizeof(f->boot_note), "the ehash boot line cannot be "
			 "read from /dev/kmsg: %s", strerror(-err));
	if (err)
		f->boot_entries = f->boot_bytes = 0;
}

/* The kernel's word, not ours: a 32-bit twlab may run on a 64-bit kernel. */
static unsigned int kernel_word_bytes(void)
{
	struct utsname u;

	if (uname(&u) < 0)
		return sizeof(void *);
	return strstr(u.machine, "64") || !strcmp(u.machine, "s390x") ? 8 : 4;
}

static int tw_memory(struct lab *lab, const struct tw_params *p, struct tw_result *r)
{
	struct sockview sv[LAB_PAIR_HOSTS] = { 0 };
	struct tw_memory_fig f = {
		.version = lab->kernel->version, .word_bytes = kernel_word_bytes(),
	};
	struct slab_cache c;
	int err;

	snprintf(f.cache, sizeof(f.cache), "%s",
		 p->family == AF_INET ? "tw_sock_TCP" : "tw_sock_TCPv6");
	f.cache_seen = !slab_cache_info(f.cache, &c);
	f.slab_size = f.cache_seen ? c.size : 0;
	f.object_size = f.cache_seen ? c.object_size : -1;
	f.objs_per_slab = f.cache_seen ? c.objs_per_slab : -1;
	err = sysctl_exists(&lab->host[LAB_CLIENT].ns, "tcp_ehash_entries");
	if (err < 0)
		return tw_error(r, err, "tcp_ehash_entries");
	f.ehash_sysctl = err > 0;
	boot_line(&f);

	err = lab_sockviews_open(lab, sv);
	if (err) {
		tw_error(r, err, "sock_diag views of the lab");
		goto out;
	}
	if (f.cache_seen)
		err = weigh(lab, sv, p, &f, r);
	if (!err)
		tw_memory_judge(&f, r);
out:
	lab_sockviews_close(sv);
	return err;
}

TW_CASE(tw_memory,
	.summary = "bytes per TIME_WAIT socket (slab) and per ehash bucket, against the article's 8",
	.claims = "A07",
	.needs = NEED_SOCK_DIAG | NEED_MACHINE_EHASH,
	.time_limit_s = 90);
