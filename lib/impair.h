/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Impaired lab links: random loss, a one-way delay, and "drop exactly
 * these packets", on the egress of one lab host's interface.
 *
 * netem through rtnetlink where the kernel has sch_netem (found by
 * trying, in the namespace itself); where it does not, the same effects
 * from nftables in the lab namespace: loss with `numgen random`, the exact
 * drop with a match on TCP flags and ports and a packet budget, and the
 * delay through a user-space delay line on NFQUEUE.  netem cannot pick
 * one packet, so the exact drop is always nftables.  Everything lives in
 * the lab namespace and dies with it.
 */
#ifndef TWLAB_IMPAIR_H
#define TWLAB_IMPAIR_H

#include <stdbool.h>
#include <stdint.h>

struct netns;
struct impair;

enum impair_mech {
	IMPAIR_BEST,	/* netem if the kernel has it, else nft */
	IMPAIR_NETEM,
	IMPAIR_NFT,
};

/* Drop the next @count egress TCP segments with (flags & @mask) == @flags. */
struct drop_match {
	int family;
	uint8_t flags, mask;	/* TH_* from netinet/tcp.h */
	uint16_t sport, dport;	/* host order; 0 matches any */
	unsigned int count;
};

/*
 * Impair the egress of @ifname in @ns with @want, or fail with
 * -EOPNOTSUPP when the kernel cannot give it (say which in
 * impair_error()).  The caller is any thread; the namespace is entered
 * only to open sockets.  On failure *@ip is NULL if even the allocation
 * failed; otherwise it holds the impair so impair_error() can say why,
 * and the caller still calls impair_close().  One impair per lab host
 * (-EBUSY for a second); calls on one impair must not overlap.
 */
int impair_open(struct impair **ip, const struct netns *ns, const char *ifname,
		enum impair_mech want);
enum impair_mech impair_mech(const struct impair *ip);
const char *impair_mech_name(enum impair_mech m);	/* "netem", "nft" */
const char *impair_error(const struct impair *ip);

/*
 * Under nftables a lost packet is reported sent, as under netem: TCP
 * retransmits it after its RTO, a UDP send() succeeds.  The delay line
 * holds packets in the kernel's queue; removing any base chain or table
 * in the same namespace meanwhile (another library's, say) makes the
 * kernel drop every held packet (nfqnl_nf_hook_drop()).
 */
int impair_loss(struct impair *ip, double percent);
int impair_delay(struct impair *ip, unsigned int ms);
int impair_drop(struct impair *ip, const struct drop_match *m);
/* How many packets the exact drop has dropped so far. */
int impair_dropped(struct impair *ip, uint64_t *n);
/*
 * How many packets the exact drops' matches have seen so far, dropped or
 * not (once per impair_drop() rule a packet meets): with impair_dropped(),
 * the proof that a budget was spent on the packets meant.
 */
int impair_matched(struct impair *ip, uint64_t *n);
/* Undo everything (qdisc, table, queue thread) and free; safe with NULL. */
void impair_close(struct impair *ip);

#endif
