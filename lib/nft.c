// SPDX-License-Identifier: GPL-2.0
/*
 * nftables rule text (pure) and a session in a lab namespace: see nft.h.
 *
 * libnftables because the rules (loss, the exact drop, NAT) are written in
 * nft's own language, built as text by pure, unit-tested functions and
 * committed as one transaction.  libnftnl, sent with libmnl, for the one
 * rule that language cannot say on a kernel without nft_queue: the
 * xtables NFQUEUE target through nft_compat, as iptables-nft sends it.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <net/if.h>
#include <netinet/in.h>

#include <libmnl/libmnl.h>
#include <libnftnl/common.h>
#include <libnftnl/expr.h>
#include <libnftnl/object.h>
#include <libnftnl/rule.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/x_tables.h>
#include <linux/netfilter/xt_NFQUEUE.h>
#include <nftables/libnftables.h>

#include "impair.h"
#include "netns.h"
#include "nft.h"

/*
 * `numgen inc mod N` counts 0, 1, ... N-1 and wraps (nft_ng_inc_gen(),
 * net/netfilter/nft_numgen.c; the counter starts at N-1 so that the first
 * packet gets 0).  The largest N nftables accepts makes "the first @count"
 * good for 2^32-1 matching packets, far beyond any lab.
 */
#define NUMGEN_INC_MOD	4294967295u
/* Random loss in hundredths of a percent: numgen random mod 10000. */
#define LOSS_SCALE	10000
#define NFT_NL_BUF	16384
#define NFT_NL_TIMEOUT_S 5

/* ---- rule text: pure ---- */

const char *nft_family_name(int family)
{
	switch (family) {
	case AF_UNSPEC:	return "inet";
	case AF_INET:	return "ip";
	case AF_INET6:	return "ip6";
	default:	return NULL;
	}
}

int nft_nfproto(int family)
{
	switch (family) {
	case AF_UNSPEC:	return NFPROTO_INET;
	case AF_INET:	return NFPROTO_IPV4;
	case AF_INET6:	return NFPROTO_IPV6;
	default:	return -EAFNOSUPPORT;
	}
}

void nft_text_init(struct nft_text *t)
{
	t->buf[0] = '\0';
	t->len = 0;
	t->err = 0;
}

static int fail(struct nft_text *t, int err)
{
	if (!t->err)
		t->err = err;
	return err;
}

static int add_line(struct nft_text *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Append one command and its newline, or nothing at all. */
static int add_line(struct nft_text *t, const char *fmt, ...)
{
	size_t room = sizeof(t->buf) - t->len;
	va_list ap;
	int n;

	if (t->err)
		return t->err;
	va_start(ap, fmt);
	n = vsnprintf(t->buf + t->len, room, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n + 1 >= room) {
		t->buf[t->len] = '\0';
		return fail(t, -ENOSPC);
	}
	t->buf[t->len + n] = '\n';
	t->buf[t->len + n + 1] = '\0';
	t->len += n + 1;
	return 0;
}

/* Table, chain and object names: nftables identifiers, nothing to quote. */
static bool ident_ok(const char *s)
{
	if (!s || !(isalpha((unsigned char)*s) || *s == '_'))
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '_')
			return false;
	return true;
}

bool nft_ifname_ok(const char *s)
{
	size_t n = s ? strlen(s) : 0;

	if (!n || n >= IFNAMSIZ)
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("-_.", *s))
			return false;
	return true;
}

static bool chain_ok(const struct nft_chain *c)
{
	return nft_family_name(c->family) && ident_ok(c->table) && ident_ok(c->chain);
}

/* What a packet to be lost is told: "drop", or "jump <to>". */
static int lose_text(const char *to, char *buf, size_t len)
{
	if (!to) {
		snprintf(buf, len, "drop");
		return 0;
	}
	if (!ident_ok(to) || (size_t)snprintf(buf, len, "jump %s", to) >= len)
		return -EINVAL;
	return 0;
}

int nft_text_table(struct nft_text *t, int family, const char *table, bool create)
{
	if (!nft_family_name(family) || !ident_ok(table))
		return fail(t, -EINVAL);
	return add_line(t, "%s table %s %s", create ? "create" : "add",
			nft_family_name(family), table);
}

int nft_text_delete_table(struct nft_text *t, int family, const char *table)
{
	if (!nft_family_name(family) || !ident_ok(table))
		return fail(t, -EINVAL);
	return add_line(t, "delete table %s %s", nft_family_name(family), table);
}

int nft_text_counter(struct nft_text *t, int family, const char *table, const char *name)
{
	if (!nft_family_name(family) || !ident_ok(table) || !ident_ok(name))
		return fail(t, -EINVAL);
	return add_line(t, "add counter %s %s %s", nft_family_name(family), table, name);
}

int nft_text_chain(struct nft_text *t, const struct nft_chain *c, const char *hook, int prio)
{
	if (!chain_ok(c) || (hook && !ident_ok(hook)))
		return fail(t, -EINVAL);
	if (!hook)
		return add_line(t, "add chain %s %s %s", nft_family_name(c->family),
				c->table, c->chain);
	return add_line(t, "add chain %s %s %s { type filter hook %s priority %d; policy accept; }",
			nft_family_name(c->family), c->table, c->chain, hook, prio);
}

int nft_text_flush(struct nft_text *t, const struct nft_chain *c)
{
	if (!chain_ok(c))
		return fail(t, -EINVAL);
	return add_line(t, "flush chain %s %s %s", nft_family_name(c->family),
			c->table, c->chain);
}

/*
 * `numgen random mod 10000 < n` picks n in 10000 (nft_ng_random_gen():
 * reciprocal_scale() of a prandom_u32, so uniform to well below 0.01%).
 * At 100% nftables would refuse `< 10000` (out of the range 0-9999):
 * then the rule takes every packet.
 */
int nft_text_loss(struct nft_text *t, const struct nft_chain *c, const char *ifname,
		  double percent, const char *to)
{
	char lose[64];
	long n;

	if (!chain_ok(c) || !nft_ifname_ok(ifname) || !(percent > 0 && percent <= 100) ||
	    lose_text(to, lose, sizeof(lose)))
		return fail(t, -EINVAL);
	n = lround(percent * (LOSS_SCALE / 100));
	if (n < 1)
		return fail(t, -ERANGE);
	if (n >= LOSS_SCALE)
		return add_line(t, "add rule %s %s %s oifname \"%s\" %s",
				nft_family_name(c->family), c->table, c->chain, ifname, lose);
	return add_line(t, "add rule %s %s %s oifname \"%s\" numgen random mod %d < %ld %s",
			nft_family_name(c->family), c->table, c->chain, ifname,
			LOSS_SCALE, n, lose);
}

/* TH_FIN (bit 0) ... TH_URG (bit 5), then ECE and CWR, in nftables' names. */
static void tcp_flags_text(uint8_t flags, char *buf, size_t len)
{
	static const char *const name[8] = {
		"fin", "syn", "rst", "psh", "ack", "urg", "ecn", "cwr",
	};
	size_t off = 0;

	if (!flags) {
		snprintf(buf, len, "0x0");
		return;
	}
	for (int i = 0; i < 8; i++)
		if (flags & (1u << i))
			off += snprintf(buf + off, len - off, "%s%s", off ? "|" : "(", name[i]);
	snprintf(buf + off, len - off, ")");
}

/* In an inet table, a drop for one family says so; in ip or ip6 the table does. */
static int nfproto_match(int table_family, int family, const char **text)
{
	*text = "";
	if (family == AF_UNSPEC || family == table_family)
		return 0;
	if (table_family != AF_UNSPEC || (family != AF_INET && family != AF_INET6))
		return -EINVAL;
	*text = family == AF_INET ? " meta nfproto ipv4" : " meta nfproto ipv6";
	return 0;
}

/*
 * The budget is numgen inc, evaluated only by packets that got past every
 * match before it: the first @count of them read 0 .. count-1 and are
 * lost, every later one reads more and goes on.  @seen counts all that
 * matched, @dropped those lost.
 */
int nft_text_drop(struct nft_text *t, const struct nft_chain *c, const char *ifname,
		  const struct drop_match *m, const char *seen, const char *dropped,
		  const char *to)
{
	char flags[96] = "", mask[40], sport[24] = "", dport[24] = "", lose[64];
	const char *proto;

	if (!chain_ok(c) || !nft_ifname_ok(ifname) || !ident_ok(seen) || !ident_ok(dropped) ||
	    nfproto_match(c->family, m->family, &proto) || (m->flags & ~m->mask) ||
	    !m->count || m->count >= NUMGEN_INC_MOD || lose_text(to, lose, sizeof(lose)))
		return fail(t, -EINVAL);
	if (m->mask) {
		tcp_flags_text(m->mask, mask, sizeof(mask));
		snprintf(flags, sizeof(flags), " tcp flags & %s == ", mask);
		tcp_flags_text(m->flags, flags + strlen(flags), sizeof(flags) - strlen(flags));
	}
	if (m->sport)
		snprintf(sport, sizeof(sport), " tcp sport %u", m->sport);
	if (m->dport)
		snprintf(dport, sizeof(dport), " tcp dport %u", m->dport);
	return add_line(t, "add rule %s %s %s oifname \"%s\"%s meta l4proto tcp%s%s%s"
			" counter name \"%s\" numgen inc mod %u < %u counter name \"%s\" %s",
			nft_family_name(c->family), c->table, c->chain, ifname, proto,
			flags, sport, dport, seen, NUMGEN_INC_MOD, m->count, dropped, lose);
}

int nft_text_jump(struct nft_text *t, const struct nft_chain *c, const char *ifname,
		  const char *to)
{
	if (!chain_ok(c) || !nft_ifname_ok(ifname) || !ident_ok(to))
		return fail(t, -EINVAL);
	return add_line(t, "add rule %s %s %s oifname \"%s\" jump %s",
			nft_family_name(c->family), c->table, c->chain, ifname, to);
}

int nft_text_queue(struct nft_text *t, const struct nft_chain *c, uint16_t num, bool bypass)
{
	if (!chain_ok(c))
		return fail(t, -EINVAL);
	return add_line(t, "add rule %s %s %s queue num %u%s", nft_family_name(c->family),
			c->table, c->chain, num, bypass ? " bypass" : "");
}

/* ---- a session in a lab namespace ---- */

struct nft_session {
	struct nft_ctx *ctx;		/* libnftables: text */
	struct mnl_socket *nl;		/* libnftnl: the compat rule, counters */
	unsigned int portid;
	uint32_t seq;
	char msg[512];
	char buf[NFT_NL_BUF];
};

/*
 * A bounded receive: an answer that never comes is -EAGAIN after
 * NFT_NL_TIMEOUT_S, never a hang.
 */
static int open_mnl(struct nft_session *s)
{
	struct timeval tv = { .tv_sec = NFT_NL_TIMEOUT_S };

	s->nl = mnl_socket_open2(NETLINK_NETFILTER, SOCK_CLOEXEC);
	if (!s->nl)
		return -errno;
	if (mnl_socket_bind(s->nl, 0, MNL_SOCKET_AUTOPID) < 0)
		return -errno;
	s->portid = mnl_socket_get_portid(s->nl);
	if (setsockopt(mnl_socket_get_fd(s->nl), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) < 0)
		return -errno;
	return 0;
}

/*
 * nft_ctx_new() opens libnftables' netlink socket at once (NFT_CTX_DEFAULT),
 * so making it here puts every later command in the lab.  It exit()s if
 * that socket cannot be made (netlink_init_error(), src/mnl.c), so ours,
 * of the same kind, is made first: if the kernel refuses, we fail first.
 * Its commands use `oifname`, a string the kernel compares, never `oif`,
 * whose name libnftables would resolve on a fresh rtnetlink socket in the
 * calling thread's namespace (src/iface.c).
 */
static int open_here(struct nft_session *s)
{
	int err;

	err = open_mnl(s);
	if (err) {
		snprintf(s->msg, sizeof(s->msg), "netlink socket for nftables: %s", strerror(-err));
		return err;
	}
	s->ctx = nft_ctx_new(NFT_CTX_DEFAULT);
	if (!s->ctx) {
		snprintf(s->msg, sizeof(s->msg), "nft_ctx_new failed");
		return -ENOMEM;
	}
	/* never print: commands' output is discarded, errors go to s->msg */
	if (nft_ctx_buffer_output(s->ctx) || nft_ctx_buffer_error(s->ctx)) {
		snprintf(s->msg, sizeof(s->msg), "cannot buffer libnftables' output");
		return -ENOMEM;
	}
	return 0;
}

int nft_session_open(struct nft_session **sp, const struct netns *ns)
{
	struct netns saved = NETNS_INIT;
	struct nft_session *s;
	int err, lerr;

	*sp = s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	err = netns_enter(ns, &saved);
	if (err) {
		snprintf(s->msg, sizeof(s->msg), "setns into the lab: %s", strerror(-err));
		return err;
	}
	err = open_here(s);
	lerr = netns_leave(&saved);
	if (lerr && !err) {
		err = lerr;
		snprintf(s->msg, sizeof(s->msg), "setns back home: %s", strerror(-err));
	}
	return err;
}

/* libnftables' error text, on one line: what nft(8) would have printed. */
static void take_error(struct nft_session *s, const char *what)
{
	const char *e = nft_ctx_get_error_buffer(s->ctx);
	size_t n;

	snprintf(s->msg, sizeof(s->msg), "%s: %s", what, e && *e ? e : "failed");
	n = strlen(s->msg);
	while (n && s->msg[n - 1] == '\n')
		s->msg[--n] = '\0';
	for (char *p = s->msg; *p; p++)
		if (*p == '\n')
			*p = ' ';
}

/*
 * libnftables returns -1 and no errno of its own; a request the kernel
 * refused leaves its error in errno (nft_netlink(), src/libnftables.c).
 */
int nft_session_run(struct nft_session *s, const struct nft_text *t)
{
	int err;

	if (t->err) {
		snprintf(s->msg, sizeof(s->msg), "building nftables commands: %s",
			 strerror(-t->err));
		return t->err;
	}
	errno = 0;
	err = nft_run_cmd_from_buffer(s->ctx, t->buf) ? (errno ? -errno : -EINVAL) : 0;
	nft_ctx_get_output_buffer(s->ctx);	/* discard, and rewind */
	if (err)
		take_error(s, "nft");
	return err;
}

/*
 * Read answers until the kernel acks (MNL_CB_STOP) or refuses (-1 and
 * errno).  With @seq 0 every sequence number is taken: a batch's error
 * may name its begin message rather than ours.
 */
static int nl_answer(struct nft_session *s, uint32_t seq, mnl_cb_t cb, void *data)
{
	ssize_t n;
	int rc;

	do {
		n = mnl_socket_recvfrom(s->nl, s->buf, sizeof(s->buf));
		if (n < 0)
			return -errno;
		errno = 0;
		rc = mnl_cb_run(s->buf, n, seq, s->portid, cb, data);
	} while (rc == MNL_CB_OK);
	if (rc < 0)
		return errno ? -errno : -EIO;
	return 0;
}

/*
 * The rule of `iptables-nft -A <chain> -j NFQUEUE --queue-num @num
 * [--queue-bypass]`: one `target` expression, xt NFQUEUE revision 3 with
 * its struct xt_NFQ_info_v3, which nft_compat hands to xt_NFQUEUE's
 * nfqueue_tg_v3() (net/netfilter/xt_NFQUEUE.c).  queues_total must be 1
 * (nfqueue_tg_check() refuses 0).  The info is XT_ALIGNed and zeroed:
 * libnftnl sends XT_ALIGN(len) bytes and takes the buffer's ownership.
 */
static struct nftnl_rule *nfqueue_rule(const struct nft_chain *c, int nfproto, uint16_t num,
				       bool bypass)
{
	struct xt_NFQ_info_v3 *info;
	struct nftnl_rule *r;
	struct nftnl_expr *e;

	r = nftnl_rule_alloc();
	e = nftnl_expr_alloc("target");
	info = calloc(1, XT_ALIGN(sizeof(*info)));
	if (!r || !e || !info) {
		free(info);
		if (e)
			nftnl_expr_free(e);
		if (r)
			nftnl_rule_free(r);
		return NULL;
	}
	info->queuenum = num;
	info->queues_total = 1;
	info->flags = bypass ? NFQ_FLAG_BYPASS : 0;
	nftnl_expr_set_str(e, NFTNL_EXPR_TG_NAME, "NFQUEUE");
	nftnl_expr_set_u32(e, NFTNL_EXPR_TG_REV, 3);
	nftnl_expr_set(e, NFTNL_EXPR_TG_INFO, info, XT_ALIGN(sizeof(*info)));
	nftnl_rule_set_u32(r, NFTNL_RULE_FAMILY, nfproto);
	nftnl_rule_set_str(r, NFTNL_RULE_TABLE, c->table);
	nftnl_rule_set_str(r, NFTNL_RULE_CHAIN, c->chain);
	nftnl_rule_add_expr(r, e);
	return r;
}

/* A rule is added only inside a transaction: batch begin, NEWRULE, batch end. */
int nft_session_add_nfqueue(struct nft_session *s, const struct nft_chain *c, uint16_t num,
			    bool bypass)
{
	int nfproto = nft_nfproto(c->family);
	struct mnl_nlmsg_batch *b = NULL;
	struct nftnl_rule *r = NULL;
	struct nlmsghdr *nlh;
	int err = -ENOMEM;

	if (nfproto < 0 || !chain_ok(c)) {
		snprintf(s->msg, sizeof(s->msg), "NFQUEUE rule: bad chain");
		return -EINVAL;
	}
	r = nfqueue_rule(c, nfproto, num, bypass);
	b = mnl_nlmsg_batch_start(s->buf, sizeof(s->buf));
	if (!r || !b)
		goto out;
	nftnl_batch_begin(mnl_nlmsg_batch_current(b), ++s->seq);
	mnl_nlmsg_batch_next(b);
	nlh = nftnl_rule_nlmsg_build_hdr(mnl_nlmsg_batch_current(b), NFT_MSG_NEWRULE, nfproto,
					 NLM_F_CREATE | NLM_F_APPEND | NLM_F_ACK, ++s->seq);
	nftnl_rule_nlmsg_build_payload(nlh, r);
	mnl_nlmsg_batch_next(b);
	nftnl_batch_end(mnl_nlmsg_batch_current(b), ++s->seq);
	mnl_nlmsg_batch_next(b);
	err = 0;
	if (mnl_socket_sendto(s->nl, mnl_nlmsg_batch_head(b), mnl_nlmsg_batch_size(b)) < 0)
		err = -errno;
	if (!err)
		err = nl_answer(s, 0, NULL, NULL);
out:
	if (err)
		snprintf(s->msg, sizeof(s->msg), "xt NFQUEUE rule (nft_compat) in %s %s %s: %s",
			 nft_family_name(c->family), c->table, c->chain, strerror(-err));
	if (b)
		mnl_nlmsg_batch_stop(b);
	if (r)
		nftnl_rule_free(r);
	return err;
}

struct counter_answer {
	bool found;
	uint64_t packets;
};

static int on_counter(const struct nlmsghdr *nlh, void *data)
{
	struct counter_answer *a = data;
	struct nftnl_obj *o = nftnl_obj_alloc();

	if (!o)
		return MNL_CB_ERROR;
	if (!nftnl_obj_nlmsg_parse(nlh, o) && nftnl_obj_is_set(o, NFTNL_OBJ_CTR_PKTS)) {
		a->packets = nftnl_obj_get_u64(o, NFTNL_OBJ_CTR_PKTS);
		a->found = true;
	}
	nftnl_obj_free(o);
	return MNL_CB_OK;
}

int nft_session_counter(struct nft_session *s, int family, const char *table,
			const char *name, uint64_t *packets)
{
	struct counter_answer a = { 0 };
	int nfproto = nft_nfproto(family);
	struct nftnl_obj *o;
	struct nlmsghdr *nlh;
	int err = -ENOMEM;

	if (nfproto < 0)
		return nfproto;
	o = nftnl_obj_alloc();
	if (!o)
		goto out;
	nftnl_obj_set_str(o, NFTNL_OBJ_TABLE, table);
	nftnl_obj_set_str(o, NFTNL_OBJ_NAME, name);
	nftnl_obj_set_u32(o, NFTNL_OBJ_TYPE, NFT_OBJECT_COUNTER);
	nlh = nftnl_nlmsg_build_hdr(s->buf, NFT_MSG_GETOBJ, nfproto, NLM_F_ACK, ++s->seq);
	nftnl_obj_nlmsg_build_payload(nlh, o);
	err = 0;
	if (mnl_socket_sendto(s->nl, nlh, nlh->nlmsg_len) < 0)
		err = -errno;
	if (!err)
		err = nl_answer(s, s->seq, on_counter, &a);
	if (!err && !a.found)
		err = -ENOENT;
out:
	if (err)
		snprintf(s->msg, sizeof(s->msg), "reading counter %s %s %s: %s",
			 nft_family_name(family), table, name, strerror(-err));
	else
		*packets = a.packets;
	if (o)
		nftnl_obj_free(o);
	return err;
}

const char *nft_session_error(const struct nft_session *s)
{
	return s ? s->msg : "out of memory";
}

void nft_session_close(struct nft_session *s)
{
	if (!s)
		return;
	if (s->ctx)
		nft_ctx_free(s->ctx);
	if (s->nl)
		mnl_socket_close(s->nl);
	free(s);
}
