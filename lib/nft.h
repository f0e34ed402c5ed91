/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nftables in a lab namespace: rule text for libnftables, built by pure
 * functions, and a session that runs it there.
 *
 * libnftables parses and checks the text and sends it as one transaction
 * (all of it or nothing).  The one rule its grammar cannot say, the
 * xtables NFQUEUE target through nft_compat, is built with libnftnl on a
 * netlink socket of our own (nft_session_add_nfqueue()).  Both sockets are
 * made inside the lab namespace when the session opens, so every command
 * acts there and nowhere else.
 */
#ifndef TWLAB_NFT_H
#define TWLAB_NFT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct netns;
struct drop_match;

#define NFT_TEXT_MAX	2048

/* Lines of commands; the first error (-ENOSPC, -EINVAL) sticks. */
struct nft_text {
	char buf[NFT_TEXT_MAX];
	size_t len;
	int err;
};

/* A chain: family AF_UNSPEC is nftables' "inet", AF_INET "ip", AF_INET6 "ip6". */
struct nft_chain {
	int family;
	const char *table, *chain;
};

const char *nft_family_name(int family);
/* A device name that needs no escaping inside nftables' double quotes. */
bool nft_ifname_ok(const char *name);
/* The ruleset's NFPROTO_* for @family; -EAFNOSUPPORT if none. */
int nft_nfproto(int family);

void nft_text_init(struct nft_text *t);
/* "create table" fails if it exists: one owner per table. */
int nft_text_table(struct nft_text *t, int family, const char *table, bool create);
int nft_text_delete_table(struct nft_text *t, int family, const char *table);
int nft_text_counter(struct nft_text *t, int family, const char *table, const char *name);
/* A filter chain on @hook at @prio, policy accept; or a regular one if @hook is NULL. */
int nft_text_chain(struct nft_text *t, const struct nft_chain *c, const char *hook, int prio);
int nft_text_flush(struct nft_text *t, const struct nft_chain *c);
/*
 * In the rules below a packet to be lost gets the verdict `drop` when @to
 * is NULL, else `jump @to`: to a chain whose verdict loses it otherwise.
 */

/* Lose @percent (0 < p <= 100, to 0.01) of what leaves by @ifname, at random. */
int nft_text_loss(struct nft_text *t, const struct nft_chain *c, const char *ifname,
		  double percent, const char *to);
/*
 * Lose the next @m->count TCP segments that leave by @ifname and match @m,
 * counting those seen in the counter @seen and those lost in @dropped.
 */
int nft_text_drop(struct nft_text *t, const struct nft_chain *c, const char *ifname,
		  const struct drop_match *m, const char *seen, const char *dropped,
		  const char *to);
int nft_text_jump(struct nft_text *t, const struct nft_chain *c, const char *ifname,
		  const char *to);
/* nftables' own queue statement (nft_queue), with or without bypass. */
int nft_text_queue(struct nft_text *t, const struct nft_chain *c, uint16_t num, bool bypass);

struct nft_session;

/*
 * Open a session in @ns.  On failure *@sp is NULL if even the allocation
 * failed; otherwise nft_session_error() says why and the caller still
 * calls nft_session_close().
 */
int nft_session_open(struct nft_session **sp, const struct netns *ns);
/* Run @t as one transaction; its text is in nft_session_error() on failure. */
int nft_session_run(struct nft_session *s, const struct nft_text *t);
/*
 * Append to @c the rule `xt target NFQUEUE` (revision 3, queue @num, with
 * or without bypass), the rule iptables-nft makes for `-j NFQUEUE
 * --queue-num @num [--queue-bypass]`.
 */
int nft_session_add_nfqueue(struct nft_session *s, const struct nft_chain *c, uint16_t num,
			    bool bypass);
/* The packets counted so far by the named counter object @name. */
int nft_session_counter(struct nft_session *s, int family, const char *table,
			const char *name, uint64_t *packets);
const char *nft_session_error(const struct nft_session *s);
void nft_session_close(struct nft_session *s);

#endif
