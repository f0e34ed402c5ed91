// SPDX-License-Identifier: GPL-2.0
/*
 * Impaired lab links: see impair.h.
 *
 * The mechanism is found by trying, in the lab namespace itself: a netem
 * qdisc is added on the interface, and a kernel without sch_netem says
 * so (-ENOENT, "Specified qdisc kind is unknown": qdisc_create() in
 * net/sched/sch_api.c, with no module to load).  Then nftables does it,
 * in one table, inet twlab, whose base chains all hook egress
 * (postrouting) in this order:
 *
 *   exact_drop  priority 0   the exact drops: the packets a case picked
 *                            are lost before chance plays
 *   random_loss priority 10  the random loss
 *   delay       priority 20  jump to delay_queue, which queues to NFQUEUE:
 *                            a dropped packet is never delayed, as in
 *                            netem, which drops at enqueue
 *
 * A packet the delay line accepts goes on from the hook after the one
 * that queued it (nf_reinject(), net/netfilter/nf_queue.c), so the queue
 * rule must be the last word on a packet: it lives in the last chain.
 *
 * What these rules see, and count, is what IP hands the device: a GSO
 * skb of several MSS is one packet to them, as it is to netem.
 *
 * A packet to be lost is not given `drop`.  On the way out, NF_DROP
 * comes back to the sender as -EPERM (nf_hook_slow()), and TCP takes a
 * failed __tcp_transmit_skb() as "not sent": tcp_write_xmit() keeps the
 * segment unsent and the probe timer sends it again later, with no
 * retransmission counted and no RTO backoff; a UDP sendto() fails.  That
 * is a local error, not a loss on the link.  netem reports its losses as
 * sent (NET_XMIT_SUCCESS | __NET_XMIT_BYPASS in netem_enqueue()), and so
 * must we: a lost packet jumps to the chain "blackhole", which queues it
 * without bypass to a queue no one binds.  nf_queue() then frees it and
 * returns 0, "stolen", and the sender goes on as if it had left (and
 * iptables-extensions(8) documents the drop: "if no userspace program is
 * listening on an NFQUEUE, then all packets that are to be queued are
 * dropped").
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <net/if.h>

#include <netlink/netlink.h>
#include <netlink/route/link.h>
#include <netlink/route/qdisc.h>
#include <netlink/route/qdisc/netem.h>
#include <netlink/route/tc.h>

#include "delayline.h"
#include "impair.h"
#include "netns.h"
#include "nft.h"
#include "rtnl.h"

#define IMPAIR_TABLE	"twlab"
#define IMPAIR_FAMILY	AF_UNSPEC	/* inet: one table for both families */
#define CTR_MATCHED	"matched"
#define CTR_DROPPED	"dropped"
#define NETEM_HANDLE	TC_HANDLE(0x7477, 0)	/* "tw" */

struct impair_chain {
	const char *name;
	int prio;
};

static const struct impair_chain chain_drop = { "exact_drop", 0 };
static const struct impair_chain chain_loss = { "random_loss", 10 };
static const struct impair_chain chain_delay = { "delay", 20 };
#define CHAIN_QUEUE	"delay_queue"
#define CHAIN_LOST	"blackhole"
/* No twlab code ever binds it: the lab namespace runs ours alone. */
#define QUEUE_LOST	65535

struct impair {
	enum impair_mech mech;
	struct netns ns;		/* our own fd on the lab host */
	char ifname[IFNAMSIZ];
	int ifindex;
	struct nl_sock *rtnl;
	bool netem_on;
	double loss;			/* netem's figures, sent whole each time */
	unsigned int delay_ms;
	struct nft_session *nft;
	bool own_table;			/* we made inet twlab: we delete it */
	struct delayline *dl;
	uint16_t queue_num;
	char msg[512];
};

static int set_msg(struct impair *ip, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Say why, and hand the error back. */
static int set_msg(struct impair *ip, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(ip->msg, sizeof(ip->msg), fmt, ap);
	va_end(ap);
	return err;
}

static struct nft_chain chain_of(const char *name)
{
	return (struct nft_chain){ IMPAIR_FAMILY, IMPAIR_TABLE, name };
}

static int run(struct impair *ip, const struct nft_text *t)
{
	int err = nft_session_run(ip->nft, t);

	if (err)
		set_msg(ip, err, "%s", nft_session_error(ip->nft));
	return err;
}

/* ---- netem ---- */

/*
 * The whole netem configuration, every time: libnl sends the TCA_OPTIONS
 * of netem as one struct, so a field left out would be reset to 0.
 * Loss is a u32 fraction of 2^32 - 1 (tc_netem_qopt.loss); delay, in
 * microseconds, libnl turns into ticks.
 */
static int netem_apply(struct impair *ip, int flags)
{
	struct rtnl_qdisc *q;
	int err;

	q = rtnl_qdisc_alloc();
	if (!q)
		return -ENOMEM;
	rtnl_tc_set_ifindex(TC_CAST(q), ip->ifindex);
	rtnl_tc_set_parent(TC_CAST(q), TC_H_ROOT);
	rtnl_tc_set_handle(TC_CAST(q), NETEM_HANDLE);
	err = nl_to_errno(rtnl_tc_set_kind(TC_CAST(q), "netem"));
	if (err)
		goto out;
	rtnl_netem_set_limit(q, DL_QUEUE_MAX);		/* holds what the delay line would */
	rtnl_netem_set_loss(q, (int)(uint32_t)llround(ip->loss / 100 * UINT32_MAX));
	rtnl_netem_set_delay(q, (int)(ip->delay_ms * 1000));
	err = nl_to_errno(rtnl_qdisc_add(ip->rtnl, q, flags));
out:
	rtnl_qdisc_put(q);
	return err;
}

/* A change to a running netem, said in impair_error() if it fails. */
static int netem_change(struct impair *ip)
{
	int err = netem_apply(ip, NLM_F_REPLACE);

	if (err)
		set_msg(ip, err, "changing the netem qdisc on %s: %s", ip->ifname,
			strerror(-err));
	return err;
}

static void netem_delete(struct impair *ip)
{
	struct rtnl_qdisc *q = rtnl_qdisc_alloc();

	if (!q)
		return;
	rtnl_tc_set_ifindex(TC_CAST(q), ip->ifindex);
	rtnl_tc_set_parent(TC_CAST(q), TC_H_ROOT);
	rtnl_tc_set_handle(TC_CAST(q), NETEM_HANDLE);
	rtnl_qdisc_delete(ip->rtnl, q);
	rtnl_qdisc_put(q);
}

/*
 * Try netem unless told not to.  Only "the kernel has no such qdisc"
 * falls back to nftables; any other failure is an error to report.
 */
static int pick_mech(struct impair *ip, enum impair_mech want)
{
	int err;

	ip->mech = IMPAIR_NFT;
	if (want == IMPAIR_NFT)
		return 0;
	err = netem_apply(ip, NLM_F_CREATE | NLM_F_EXCL);
	if (!err) {
		ip->mech = IMPAIR_NETEM;
		ip->netem_on = true;
		return 0;
	}
	if (err != -ENOENT && err != -EOPNOTSUPP)
		return set_msg(ip, err, "adding a netem qdisc on %s: %s", ip->ifname,
			       strerror(-err));
	if (want == IMPAIR_NETEM)
		return set_msg(ip, -EOPNOTSUPP,
			       "this kernel has no netem (CONFIG_NET_SCH_NETEM): adding a netem "
			       "qdisc on %s: %s", ip->ifname, strerror(-err));
	return 0;
}

/* ---- nftables ---- */

/*
 * nftables' own `queue` where the kernel has nft_queue (found by trying:
 * a transaction that fails changes nothing); else the xtables target
 * through nft_compat, as iptables-nft would.
 */
static int queue_rule(struct impair *ip, const struct nft_chain *c, uint16_t num, bool bypass)
{
	struct nft_text t;
	int err;

	nft_text_init(&t);
	nft_text_queue(&t, c, num, bypass);
	if (!nft_session_run(ip->nft, &t))
		return 0;
	err = nft_session_add_nfqueue(ip->nft, c, num, bypass);
	if (err)
		set_msg(ip, err, "%s", nft_session_error(ip->nft));
	return err;
}

/*
 * "create", not "add": a table that is already there belongs to another
 * impair of this lab host, whose rules and counters we would mix with ours.
 */
static int nft_setup(struct impair *ip)
{
	struct nft_chain lost = chain_of(CHAIN_LOST);
	struct nft_text t;
	int err;

	err = nft_session_open(&ip->nft, &ip->ns);
	if (err)
		return set_msg(ip, err, "%s", nft_session_error(ip->nft));
	nft_text_init(&t);
	nft_text_table(&t, IMPAIR_FAMILY, IMPAIR_TABLE, true);
	nft_text_counter(&t, IMPAIR_FAMILY, IMPAIR_TABLE, CTR_MATCHED);
	nft_text_counter(&t, IMPAIR_FAMILY, IMPAIR_TABLE, CTR_DROPPED);
	nft_text_chain(&t, &lost, NULL, 0);
	err = run(ip, &t);
	if (err == -EEXIST)
		return set_msg(ip, -EBUSY, "table %s %s already exists on this lab host: "
			       "one impair per lab host", nft_family_name(IMPAIR_FAMILY),
			       IMPAIR_TABLE);
	ip->own_table = !err;
	if (err)
		return err;
	return queue_rule(ip, &lost, QUEUE_LOST, false);
}

static void base_chain(struct nft_text *t, const struct impair_chain *ch)
{
	struct nft_chain c = chain_of(ch->name);

	nft_text_chain(t, &c, "postrouting", ch->prio);
}

/*
 * The jump comes last, once the queue rule is in: no packet ever meets a
 * half-built path.  Bypass: should the line stop, packets pass undelayed.
 */
static int delay_rules(struct impair *ip)
{
	struct nft_chain q = chain_of(CHAIN_QUEUE), d = chain_of(chain_delay.name);
	struct nft_text t;
	int err;

	nft_text_init(&t);
	base_chain(&t, &chain_delay);
	nft_text_chain(&t, &q, NULL, 0);
	err = run(ip, &t);
	if (err)
		return err;

	err = queue_rule(ip, &q, ip->queue_num, true);
	if (err)
		return err;

	nft_text_init(&t);
	nft_text_jump(&t, &d, ip->ifname, CHAIN_QUEUE);
	return run(ip, &t);
}

static int nft_delay(struct impair *ip, unsigned int ms)
{
	char why[256];
	int err;

	if (ip->dl) {
		delayline_set(ip->dl, ms);
		return 0;
	}
	if (!ms)
		return 0;
	/* the line listens before any rule can queue a packet to it */
	err = delayline_start(&ip->dl, &ip->ns, ip->queue_num, ms);
	if (err) {
		delayline_stop(ip->dl, why, sizeof(why));
		ip->dl = NULL;
		return set_msg(ip, err, "%s", why);
	}
	err = delay_rules(ip);
	if (err) {
		delayline_stop(ip->dl, NULL, 0);
		ip->dl = NULL;
	}
	return err;
}

static int nft_loss(struct impair *ip, double percent)
{
	struct nft_chain c = chain_of(chain_loss.name);
	struct nft_text t;

	nft_text_init(&t);
	base_chain(&t, &chain_loss);
	nft_text_flush(&t, &c);
	if (percent > 0)
		nft_text_loss(&t, &c, ip->ifname, percent, CHAIN_LOST);
	return run(ip, &t);
}

/* ---- the API ---- */

static int ifindex_of(struct impair *ip)
{
	struct rtnl_link *link = NULL;
	int err;

	err = nl_to_errno(rtnl_link_get_kernel(ip->rtnl, 0, ip->ifname, &link));
	if (err == -ENOENT)
		err = -ENODEV;
	if (err)
		return set_msg(ip, err, "interface %s on this lab host: %s", ip->ifname,
			       strerror(-err));
	ip->ifindex = rtnl_link_get_ifindex(link);
	rtnl_link_put(link);
	return 0;
}

/* Our own fd on the namespace: the delay line may be started long after open. */
static int netns_dup(const struct netns *from, struct netns *to)
{
	int fd = fcntl(from->fd, F_DUPFD_CLOEXEC, 0);

	if (fd < 0)
		return -errno;
	to->fd = fd;
	to->ino = from->ino;
	return 0;
}

int impair_open(struct impair **ipp, const struct netns *ns, const char *ifname,
		enum impair_mech want)
{
	struct impair *ip;
	int err;

	*ipp = ip = calloc(1, sizeof(*ip));
	if (!ip)
		return -ENOMEM;
	ip->ns = (struct netns)NETNS_INIT;
	if (!ifname || !*ifname || strlen(ifname) >= sizeof(ip->ifname) ||
	    (want != IMPAIR_BEST && want != IMPAIR_NETEM && want != IMPAIR_NFT))
		return set_msg(ip, -EINVAL, "impair_open: bad interface name or mechanism");
	strcpy(ip->ifname, ifname);
	err = netns_dup(ns, &ip->ns);
	if (err)
		return set_msg(ip, err, "dup of the lab's namespace fd: %s", strerror(-err));
	err = rtnl_open_in(&ip->ns, &ip->rtnl);
	if (err)
		return set_msg(ip, err, "rtnetlink in the lab: %s", strerror(-err));
	err = ifindex_of(ip);
	if (err)
		return err;
	/*
	 * Each lab host is a namespace of its own, with queues of its own
	 * (nfnl_queue_pernet()): any number but QUEUE_LOST would do.  The
	 * interface's index is one no other impair of this host could pick.
	 */
	ip->queue_num = (uint16_t)(ip->ifindex % QUEUE_LOST);
	err = pick_mech(ip, want);
	if (err)
		return err;
	/* netem cannot pick one packet: the exact drop is nftables' in both */
	return nft_setup(ip);
}

enum impair_mech impair_mech(const struct impair *ip)
{
	return ip->mech;
}

const char *impair_mech_name(enum impair_mech m)
{
	switch (m) {
	case IMPAIR_BEST:	return "best";
	case IMPAIR_NETEM:	return "netem";
	case IMPAIR_NFT:	return "nft";
	default:		return "?";
	}
}

const char *impair_error(const struct impair *ip)
{
	return ip ? ip->msg : "out of memory";
}

int impair_loss(struct impair *ip, double percent)
{
	if (!(percent >= 0 && percent <= 100))
		return set_msg(ip, -EINVAL, "loss %g%%: not in [0, 100]", percent);
	if (ip->mech == IMPAIR_NFT)
		return nft_loss(ip, percent);
	ip->loss = percent;
	return netem_change(ip);
}

int impair_delay(struct impair *ip, unsigned int ms)
{
	if (ms > INT32_MAX / 1000)
		return set_msg(ip, -ERANGE, "delay %u ms: too long", ms);
	if (ip->mech == IMPAIR_NFT)
		return nft_delay(ip, ms);
	ip->delay_ms = ms;
	return netem_change(ip);
}

/* Each call adds a rule with a budget of its own; all count in one counter pair. */
int impair_drop(struct impair *ip, const struct drop_match *m)
{
	struct nft_chain c = chain_of(chain_drop.name);
	struct nft_text t;

	nft_text_init(&t);
	base_chain(&t, &chain_drop);
	if (nft_text_drop(&t, &c, ip->ifname, m, CTR_MATCHED, CTR_DROPPED, CHAIN_LOST))
		return set_msg(ip, -EINVAL, "drop: bad match (family %d, flags %#x/%#x, count %u)",
			       m->family, m->flags, m->mask, m->count);
	return run(ip, &t);
}

static int counter(struct impair *ip, const char *name, uint64_t *n)
{
	int err = nft_session_counter(ip->nft, IMPAIR_FAMILY, IMPAIR_TABLE, name, n);

	if (err)
		set_msg(ip, err, "%s", nft_session_error(ip->nft));
	return err;
}

int impair_dropped(struct impair *ip, uint64_t *n)
{
	return counter(ip, CTR_DROPPED, n);
}

int impair_matched(struct impair *ip, uint64_t *n)
{
	return counter(ip, CTR_MATCHED, n);
}

/*
 * The jump to the queue goes first, so nothing more is queued; then the
 * line hands back what it holds; only then the table.  Not the table
 * first: unregistering a hook flushes every queue of the namespace with
 * NF_DROP (nf_queue_nf_hook_drop() -> nfqnl_nf_hook_drop()), so the
 * packets still held would be lost, where flushing a chain unregisters
 * nothing.  Whatever fails here, the namespace takes the rest with it
 * when it goes.
 */
void impair_close(struct impair *ip)
{
	struct nft_chain d = chain_of(chain_delay.name);
	struct nft_text t;

	if (!ip)
		return;
	if (ip->dl) {
		nft_text_init(&t);
		nft_text_flush(&t, &d);
		nft_session_run(ip->nft, &t);
	}
	delayline_stop(ip->dl, NULL, 0);
	if (ip->own_table) {
		nft_text_init(&t);
		nft_text_delete_table(&t, IMPAIR_FAMILY, IMPAIR_TABLE);
		nft_session_run(ip->nft, &t);
	}
	if (ip->netem_on)
		netem_delete(ip);
	nft_session_close(ip->nft);
	if (ip->rtnl)
		rtnl_close(ip->rtnl);
	netns_close(&ip->ns);
	free(ip);
}
