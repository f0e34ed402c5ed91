// SPDX-License-Identifier: GPL-2.0
/*
 * A07: "TIME_WAIT costs almost no memory: 8 bytes per connection", worked
 * out from the boot line "TCP established hash table entries: 8192
 * (order: 4, 65536 bytes)".  Those 8 bytes are one bucket of the
 * established hash (ehash): a struct inet_ehash_bucket, one pointer-sized
 * hlist_nulls_head (include/net/inet_hashtables.h), allocated at boot for
 * every bucket, used or not.  What a TIME_WAIT socket costs is its own
 * object, a struct tcp_timewait_sock from the tw_sock_TCP (IPv6:
 * tw_sock_TCPv6) slab cache (K11; net/ipv4/inet_timewait_sock.c:
 * inet_twsk_alloc()).
 *
 * A06: TIME_WAIT sockets sit in the ehash; a separate bind hash holds the
 * bound ports.  Since 6.1 a namespace may have an ehash of its own (K12).
 *
 * Method:
 *   1. the bytes one object of the cache takes in its slab: slab_size in
 *      /sys/kernel/slab/<cache> (SLUB), else the objsize column of
 *      /proc/slabinfo;
 *   2. holding the run's quiet lock, since slab counts are machine-wide,
 *      ROUNDS times: the cache's active_objs, NCONN TIME_WAIT sockets made
 *      at the client (each connection closed client first, to a server
 *      port of the round's own) and settled, active_objs again; the
 *      median of the rounds;
 *   3. the boot log's ehash line, read from the start of /dev/kmsg:
 *      bytes per bucket;
 *   4. tcp_ehash_entries and tcp_child_ehash_entries of the lab's client
 *      host, and of the namespace twlab started in, whose child setting
 *      chose the lab's table when the lab was made
 *      (net/ipv4/tcp_ipv4.c: tcp_set_hashinfo());
 *   5. one TIME_WAIT socket on a port bound with SO_REUSEADDR; then a
 *      bind() to that port without SO_REUSEADDR, which the bind hash
 *      answers, and a connect() from that port, bound with SO_REUSEADDR,
 *      to the same server: only the ehash lookup of the 4-tuple
 *      (net/ipv4/inet_hashtables.c: __inet_check_established()) can
 *      answer that one.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "case.h"
#include "clock.h"
#include "conn.h"
#include "kmsg.h"
#include "many.h"
#include "sockview.h"
#include "sysctl.h"
#include "wait.h"

#define NCONN		2000	/* TIME_WAIT sockets per round */
#define ROUNDS		5
#define PORT_SLAB	8200	/* 8200 .. 8200 + ROUNDS - 1 */
#define PORT_LOOKUP	8210
#define SETTLE_MS	5000
#define QUIET_MS	60000
#define EHASH_LOG	"TCP established hash table entries:"
#define SLAB_SYSFS	"/sys/kernel/slab"
#define SLABINFO	"/proc/slabinfo"

/*
 * active_objs counts every object of a CPU's slabs as in use, free or
 * not (mm/slub.c: get_slabinfo() subtracts only the free objects of the
 * node partial lists), and a CPU that runs out takes several partial
 * slabs at once (get_partial_node()): a reading is off by up to a few
 * slabs (16 objects each here) for each CPU that allocates.  We allocate
 * on one CPU (pin_here()), and a tenth of NCONN either way holds that.
 * The cache is the machine's: TIME_WAIT sockets that other labs make, or
 * free when their namespace goes, land in it too, and no token stops
 * them.  One round they spoil is outvoted by the others' median.
 */
#define TOLERANCE	0.10

struct cache {
	const char *name;
	long size;		/* bytes one object takes in its slab */
	long object_size;	/* the struct alone; -1 when unknown */
	long aliases;		/* other caches merged into it; -1 when unknown */
	const char *size_from;
	const char *count_from;
};

struct weighing {
	long grew[ROUNDS];		/* active objects of the cache, after - before */
	unsigned int tw[ROUNDS];	/* TIME_WAIT sockets sock_diag lists at the client */
};

struct lookup {
	struct tuple t;		/* the client's view of the TIME_WAIT 4-tuple */
	int timestamps;		/* tcp_timestamps of the client host */
	int bind_err;		/* bind() to its port without SO_REUSEADDR */
	int connect_err;	/* connect() from that port to the same server */
	bool tw_after, est_after;	/* what holds the 4-tuple afterwards */
};

static int sysfs_long(const char *cache, const char *file, long *v)
{
	char path[256];
	FILE *f;
	int err;

	snprintf(path, sizeof(path), SLAB_SYSFS "/%s/%s", cache, file);
	f = fopen(path, "re");
	if (!f)
		return -errno;
	err = fscanf(f, "%ld", v) == 1 ? 0 : -EINVAL;
	fclose(f);
	return err;
}

/* "name <active_objs> <num_objs> <objsize> ...": the line of @cache. */
static int slabinfo_find(const char *cache, long *active, long *objsize)
{
	char line[512], name[64];
	long a, n, size;
	int err = -ENOENT;
	FILE *f;

	f = fopen(SLABINFO, "re");
	if (!f)
		return -errno;
	while (err && fgets(line, sizeof(line), f))
		if (sscanf(line, "%63s %ld %ld %ld", name, &a, &n, &size) == 4 &&
		    !strcmp(name, cache)) {
			*active = a;
			*objsize = size;
			err = 0;
		}
	fclose(f);
	return err;
}

/*
 * SLUB shows every cache in sysfs, a merged one as a link to the cache
 * it shares; SLAB (before 6.8) only in /proc/slabinfo.
 */
static int cache_size(struct cache *c)
{
	long active;

	c->object_size = c->aliases = -1;
	if (!sysfs_long(c->name, "slab_size", &c->size)) {
		sysfs_long(c->name, "object_size", &c->object_size);
		sysfs_long(c->name, "aliases", &c->aliases);
		c->size_from = "slab_size, " SLAB_SYSFS;
		return 0;
	}
	if (!slabinfo_find(c->name, &active, &c->size)) {
		c->size_from = "objsize, " SLABINFO;
		return 0;
	}
	return -ENOENT;
}

/* A merged cache has no line of its own in /proc/slabinfo; sysfs counts it. */
static int cache_active(struct cache *c, long *active)
{
	long objsize;

	if (!slabinfo_find(c->name, active, &objsize)) {
		c->count_from = "active_objs, " SLABINFO;
		return 0;
	}
	if (!sysfs_long(c->name, "objects", active)) {
		c->count_from = "objects, " SLAB_SYSFS;
		return 0;
	}
	return -ENOENT;
}

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

/* One round: active objects before and after NCONN connections closed client first. */
static int weigh_round(struct lab *lab, struct sockview *sv, int family, struct cache *c,
		       uint16_t port, long *grew, unsigned int *tw)
{
	unsigned int counts[TCP_NSTATES];
	long before, after;
	int err;

	err = cache_active(c, &before);
	if (!err)
		err = many_close(lab, family, port, NCONN, LAB_CLIENT, NULL, NULL);
	if (!err)
		err = many_settle(sv, LAB_PAIR_HOSTS, family, port, SETTLE_MS);
	if (!err)
		err = cache_active(c, &after);
	if (!err)
		err = many_count(&sv[LAB_CLIENT], family, TCPF(TCP_TIME_WAIT), port, counts);
	if (err)
		return err;
	*grew = after - before;
	*tw = counts[TCP_TIME_WAIT];
	return *tw == NCONN ? 0 : -EAGAIN;
}

static int weigh(struct lab *lab, struct sockview *sv, const struct tw_params *p,
		 struct cache *c, struct weighing *w)
{
	cpu_set_t saved;
	int quiet, err;

	quiet = tw_quiet_begin(p, QUIET_MS);
	if (quiet < 0)
		return quiet;
	err = pin_here(&saved);
	if (err)
		goto out;
	for (int k = 0; k < ROUNDS && !err; k++)
		err = weigh_round(lab, sv, p->family, c, PORT_SLAB + k, &w->grew[k], &w->tw[k]);
	sched_setaffinity(0, sizeof(saved), &saved);
out:
	tw_quiet_end(quiet);
	return err;
}

static void judge_bytes(struct tw_result *r, const struct cache *c, const struct weighing *w)
{
	double lo = (1 - TOLERANCE) * c->size, hi = (1 + TOLERANCE) * c->size;
	double bytes[ROUNDS];
	struct tw_verdict *v;
	char what[96], size[64] = "";
	long least = w->grew[0], most = w->grew[0];

	for (int k = 0; k < ROUNDS; k++) {
		bytes[k] = (double)c->size * w->grew[k] / w->tw[k];
		least = w->grew[k] < least ? w->grew[k] : least;
		most = w->grew[k] > most ? w->grew[k] : most;
	}
	if (c->object_size > 0)
		snprintf(size, sizeof(size), "; the struct %ld B", c->object_size);
	if (c->aliases > 0)
		snprintf(size + strlen(size), sizeof(size) - strlen(size),
			 "; shared by %ld caches", c->aliases + 1);
	snprintf(what, sizeof(what), "memory per TIME_WAIT socket, %s slab", c->name);
	v = tw_verdict_add(r, "A07", "K11", V_REFUTED, what);
	tw_verdict_samples(v, bytes, ROUNDS, lo, hi, "bytes");
	tw_evidence(v, "%+ld..%+ld objects (%s) per %d TIME-WAIT, %ld B each (%s%s): one "
		    "object per socket", least, most, c->count_from, NCONN, c->size,
		    c->size_from, size);
	if (!(v->measured > lo && v->measured <= hi))
		tw_fail(r, "median %.1f bytes per TIME_WAIT socket, outside (%.1f, %.1f]: "
			"%+ld..%+ld %s objects per %d sockets", v->measured, lo, hi, least, most,
			c->name, NCONN);
}

static int slab_cost(struct lab *lab, struct sockview *sv, const struct tw_params *p,
		     struct tw_result *r)
{
	struct cache c = { .name = p->family == AF_INET ? "tw_sock_TCP" : "tw_sock_TCPv6" };
	struct weighing w = { 0 };
	struct tw_verdict *v;
	int err;

	if (cache_size(&c)) {
		v = tw_verdict_add(r, "A07", "K11", V_NA, "memory per TIME_WAIT socket, slab");
		tw_evidence(v, "no cache %s in " SLAB_SYSFS " or " SLABINFO ": the slab "
			    "allocator does not show it on this kernel", c.name);
		return 0;
	}
	err = weigh(lab, sv, p, &c, &w);
	if (err == -EAGAIN)
		return tw_error(r, err, "fewer than %d connections in TIME_WAIT at the client",
				NCONN);
	if (err)
		return tw_error(r, err, "weighing %d x %d TIME_WAIT sockets in %s", ROUNDS, NCONN,
				c.name);
	judge_bytes(r, &c, &w);
	return 0;
}

/*
 * The boot line the article divides: entries and bytes of the ehash
 * (mm/mm_init.c: alloc_large_system_hash() prints them).  It may have
 * been overwritten since boot: the log is a ring.
 */
static int bucket_bytes(struct tw_result *r, unsigned long *boot_entries)
{
	const char *what = "the article's 8 bytes: bytes per ehash bucket (boot log)";
	unsigned long entries = 0, bytes = 0;
	struct kmsg_scan s;
	struct tw_verdict *v;
	const char *line;
	int fd, order, err;

	fd = kmsg_open(false);
	if (fd < 0) {
		v = tw_verdict_add(r, "A07", "K11", V_NA, what);
		tw_evidence(v, "/dev/kmsg cannot be read: %s", strerror(-fd));
		return 0;
	}
	err = kmsg_scan(fd, EHASH_LOG, &s);
	close(fd);
	if (err)
		return tw_error(r, err, "reading /dev/kmsg");
	line = s.matches ? strstr(s.match, EHASH_LOG) : NULL;
	if (!line || sscanf(line + strlen(EHASH_LOG), " %lu (order: %d, %lu bytes",
			    &entries, &order, &bytes) != 3 || !entries) {
		v = tw_verdict_add(r, "A07", "K11", V_NA, what);
		if (s.matches)
			tw_evidence(v, "unexpected form: \"%s\"", s.match);
		else if (s.first_seq > 0)
			tw_evidence(v, "the log now starts at record %lld: the boot records "
				    "have been overwritten", s.first_seq);
		else
			tw_evidence(v, "no \"%s\" line in the kernel log", EHASH_LOG);
		return 0;
	}
	*boot_entries = entries;
	v = tw_verdict_add(r, "A07", "K11", V_REFINED, what);
	tw_verdict_figure(v, (double)bytes / entries, sizeof(void *), sizeof(void *), "bytes");
	tw_evidence(v, "\"%s\": one hlist_nulls_head pointer per bucket, allocated at boot "
		    "whether or not a socket uses it", s.match);
	if (bytes != entries * sizeof(void *))
		tw_fail(r, "%lu bytes for %lu ehash buckets: not one pointer each", bytes, entries);
	return 0;
}

static int read_num(const struct netns *ns, const char *key, long *v)
{
	char val[32], *end;
	int err = sysctl_read(ns, key, val, sizeof(val));

	if (err)
		return err;
	*v = strtol(val, &end, 10);
	return end == val ? -EINVAL : 0;
}

static long roundup_pow_of_two(long n)
{
	long p = 1;

	while (p < n)
		p <<= 1;
	return p;
}

/*
 * K12: a namespace shares the global ehash (and tcp_ehash_entries reads
 * its size negated) unless its parent's tcp_child_ehash_entries was set
 * when it was made; its own tcp_child_ehash_entries starts at 0.
 */
static int ehash_size(struct lab *lab, unsigned long boot_entries, struct tw_result *r)
{
	const struct netns *ns = &lab->host[LAB_CLIENT].ns;
	const char *what = "ehash of a lab namespace (tcp_ehash_entries)";
	long ehash, child, home_ehash, home_child, want;
	struct tw_verdict *v;
	int err;

	err = sysctl_exists(ns, "tcp_ehash_entries");
	if (err == 0) {
		v = tw_verdict_add(r, "A06", "K12", V_NA, what);
		tw_evidence(v, "no tcp_ehash_entries: before 6.1 every namespace shares the "
			    "one global ehash");
		return 0;
	}
	if (err > 0)
		err = read_num(ns, "tcp_ehash_entries", &ehash);
	if (!err)
		err = read_num(ns, "tcp_child_ehash_entries", &child);
	if (!err)
		err = read_num(lab->home, "tcp_ehash_entries", &home_ehash);
	if (!err)
		err = read_num(lab->home, "tcp_child_ehash_entries", &home_child);
	if (err)
		return tw_error(r, err, "tcp_ehash_entries, tcp_child_ehash_entries");

	want = home_child ? roundup_pow_of_two(home_child) : -home_ehash;
	v = tw_verdict_add(r, "A06", "K12", V_REFINED, what);
	tw_verdict_figure(v, ehash, want, want, "buckets");
	tw_evidence(v, "%s %ld buckets (boot log %lu); tcp_child_ehash_entries: %ld here, %ld "
		    "in the parent, which would give new namespaces their own", ehash < 0 ?
		    "negative: shares the global table of" : "a table of its own:", labs(ehash),
		    boot_entries, child, home_child);
	if (ehash != want || child)
		tw_fail(r, "tcp_ehash_entries %ld, tcp_child_ehash_entries %ld in the lab; "
			"expected %ld and 0 (K12)", ehash, child, want);
	return 0;
}

/* A client socket bound to the client's address and @port (0: any). */
static int bound_socket(struct lab *lab, int family, uint16_t port, bool reuse)
{
	struct endpoint src;

	lab_endpoint(lab, LAB_CLIENT, 0, family, port, &src);
	return conn_bound(lab, LAB_CLIENT, &src, reuse);
}

/* 1 if a socket in @state holds 4-tuple @t, 0 if none, or -errno. */
static int holds(struct sockview *sv, const struct tuple *t, int state)
{
	int err = sockview_find(sv, t, TCPF(state), NULL);

	return err == -ENOENT ? 0 : err ? err : 1;
}

/* Step 5: one TIME_WAIT socket, then the two lookups of its port. */
static int lookup(struct lab *lab, struct sockview *sv, int family, struct lookup *lk)
{
	int lfd, fd = -1, sfd = -1, tw, est, acc = 0, err;
	struct endpoint server;
	long ts;

	err = read_num(&lab->host[LAB_CLIENT].ns, "tcp_timestamps", &ts);
	if (err)
		return err;
	lk->timestamps = ts;
	lab_endpoint(lab, LAB_SERVER, 0, family, PORT_LOOKUP, &server);
	lfd = conn_listen(lab, LAB_SERVER, &server);
	if (lfd < 0)
		return lfd;

	fd = bound_socket(lab, family, 0, true);
	err = fd < 0 ? fd : conn_connect_fd(fd, &server);
	if (!err)
		err = sfd = conn_accept(lfd, CONN_TIMEOUT_MS);
	if (err >= 0)
		err = tuple_of_socket(fd, &lk->t);
	if (!err) {
		err = conn_close_orderly(fd, sfd, NULL);
		fd = sfd = -1;
	}
	if (!err)
		err = wait_state(&sv[LAB_CLIENT], &lk->t, TCPF(TCP_TIME_WAIT),
				 now_ns() + SETTLE_MS * NSEC_PER_MSEC);
	if (err)
		goto out;

	fd = bound_socket(lab, family, lk->t.src.port, false);
	lk->bind_err = fd < 0 ? fd : 0;
	if (fd >= 0)
		close(fd);

	fd = bound_socket(lab, family, lk->t.src.port, true);
	if (fd < 0) {
		err = fd;
		goto out;
	}
	lk->connect_err = conn_connect_fd(fd, &server);
	if (!lk->connect_err) {
		sfd = conn_accept(lfd, CONN_TIMEOUT_MS);
		acc = sfd < 0 ? sfd : 0;
	}
	tw = holds(&sv[LAB_CLIENT], &lk->t, TCP_TIME_WAIT);
	est = holds(&sv[LAB_CLIENT], &lk->t, TCP_ESTABLISHED);
	err = tw < 0 ? tw : est < 0 ? est : acc;
	lk->tw_after = tw > 0;
	lk->est_after = est > 0;
out:
	if (fd >= 0)
		close(fd);
	if (sfd >= 0)
		close(sfd);
	close(lfd);
	return err;
}

static void judge_bind(struct tw_result *r, const struct lookup *lk)
{
	bool refused = lk->bind_err == -EADDRINUSE;
	struct tw_verdict *v;

	v = tw_verdict_add(r, "A06", "K11", refused ? V_CONFIRMED : V_REFUTED,
			   "bind() to a TIME_WAIT socket's port without SO_REUSEADDR");
	tw_verdict_figure(v, refused, 1, 1, "refusals");
	tw_evidence(v, "%s: port %u stays in the bind hash while its TIME_WAIT socket holds "
		    "the bind bucket (inet_csk_bind_conflict())",
		    lk->bind_err ? strerror(-lk->bind_err) : "bound", lk->t.src.port);
	if (!refused)
		tw_fail(r, "bind() to port %u held by a TIME_WAIT socket: %s, expected EADDRINUSE",
			lk->t.src.port, lk->bind_err ? strerror(-lk->bind_err) : "success");
}

/*
 * The bound connect() goes straight to __inet_check_established(), which
 * walks the ehash chain of the 4-tuple: with timestamps the TIME_WAIT
 * socket there is handed over (tcp_twsk_unique() with no twp, K06);
 * without, connect() fails with EADDRNOTAVAIL.  Either way the 4-tuple
 * was found in the ehash.
 */
static void judge_lookup(struct tw_result *r, const struct lookup *lk)
{
	int want = lk->timestamps ? 0 : 1;
	bool ok = lk->timestamps ? !lk->connect_err && lk->est_after && !lk->tw_after :
				   lk->connect_err == -EADDRNOTAVAIL && lk->tw_after;
	struct tw_verdict *v;

	v = tw_verdict_add(r, "A06", "K06", ok ? V_CONFIRMED : V_REFUTED,
			   "connect() onto a TIME_WAIT 4-tuple: TIME_WAIT left on it");
	tw_verdict_figure(v, lk->tw_after, want, want, "sockets");
	if (lk->timestamps)
		tw_evidence(v, "connect() %s and an ESTAB %s the 4-tuple: the ehash lookup "
			    "(__inet_check_established()) found the TIME_WAIT and took it over",
			    lk->connect_err ? strerror(-lk->connect_err) : "succeeded",
			    lk->est_after ? "holds" : "does not hold");
	else
		tw_evidence(v, "tcp_timestamps=0; connect(): %s: the ehash lookup "
			    "(__inet_check_established()) found the TIME_WAIT and kept it",
			    lk->connect_err ? strerror(-lk->connect_err) : "succeeded");
	if (!ok)
		tw_fail(r, "connect() onto a TIME_WAIT 4-tuple with tcp_timestamps=%d: %s, "
			"TIME_WAIT %s", lk->timestamps,
			lk->connect_err ? strerror(-lk->connect_err) : "success",
			lk->tw_after ? "left" : "gone");
}

static int tw_memory(struct lab *lab, const struct tw_params *p, struct tw_result *r)
{
	struct sockview sv[LAB_PAIR_HOSTS] = { 0 };
	unsigned long boot_entries = 0;
	struct lookup lk = { 0 };
	int err;

	err = lab_sockviews_open(lab, sv);
	if (err)
		goto out;

	err = slab_cost(lab, sv, p, r);
	if (!err)
		err = bucket_bytes(r, &boot_entries);
	if (!err)
		err = ehash_size(lab, boot_entries, r);
	if (err)
		goto out;
	err = lookup(lab, sv, p->family, &lk);
	if (err) {
		tw_error(r, err, "a TIME_WAIT socket's port and 4-tuple");
		goto out;
	}
	judge_bind(r, &lk);
	judge_lookup(r, &lk);
out:
	lab_sockviews_close(sv);
	return err;
}

TW_CASE(tw_memory,
	.summary = "bytes per TIME_WAIT socket (slab) against the article's 8; where it is hashed",
	.claims = "A06 A07",
	.needs = NEED_SOCK_DIAG,
	.time_limit_s = 90);
