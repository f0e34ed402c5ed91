// SPDX-License-Identifier: GPL-2.0
/*
 * TCP sockets of one namespace, as the kernel lists them over sock_diag.
 *
 * libmnl because libnl-idiag-3 sends only the legacy TCPDIAG_GETSOCK
 * dump (idiagnl_send_simple()), whose family the kernel ignores
 * (inet_diag_dump_compat() asks for AF_UNSPEC), and makes an allocated
 * object of every socket.  We send one SOCK_DIAG_BY_FAMILY
 * inet_diag_req_v2 for one family and a state bitmask (the kernel
 * filters, K19) and read each inet_diag_msg -- idiag_expires is the
 * TIME_WAIT timer we time against -- in place, as the kernel wrote it.
 * libmnl is also the netlink layer of lib/nft.c and lib/delayline.c.
 *
 * The netlink socket is created inside the lab namespace: sock_diag
 * answers for the namespace of the socket that asks (K19).
 */
#include <errno.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

#include <libmnl/libmnl.h>
#include <linux/inet_diag.h>
#include <linux/sock_diag.h>

#include "clock.h"
#include "netns.h"
#include "sockview.h"

static int count_none(const struct sv_sock *s, void *arg)
{
	(void)s;
	(void)arg;
	return 0;
}

/*
 * The first SOCK_DIAG_BY_FAMILY request of a kernel with sock_diag built
 * as modules loads inet_diag and tcp_diag (sock_diag_rcv_msg() ->
 * request_module(), inet_diag_lock_handler() -> sock_load_diag_module()):
 * 2.4 s of a Debian 5.10 guest under TCG, which the first measured entry
 * bracket once absorbed.  An empty dump (no state asked for: tcp_diag_dump()
 * returns at once) loads them before anything is measured.
 */
static int sockview_warm(struct sockview *sv)
{
	return sockview_dump(sv, AF_INET, 0, count_none, NULL) ?:
	       sockview_dump(sv, AF_INET6, 0, count_none, NULL);
}

int sockview_open(struct sockview *sv, const struct netns *ns)
{
	struct timeval tv = { .tv_sec = 2 };	/* a dump never takes this long */
	struct netns saved = NETNS_INIT;
	int err;

	err = netns_enter(ns, &saved);
	if (err)
		return err;
	sv->nl = mnl_socket_open2(NETLINK_SOCK_DIAG, SOCK_CLOEXEC);
	if (!sv->nl)
		err = -errno;
	if (netns_leave(&saved) && !err)
		err = -EIO;
	if (err)
		goto fail;
	if (mnl_socket_bind(sv->nl, 0, MNL_SOCKET_AUTOPID) < 0 ||
	    setsockopt(mnl_socket_get_fd(sv->nl), SOL_SOCKET, SO_RCVTIMEO,
		       &tv, sizeof(tv)) < 0) {
		err = -errno;
		goto fail;
	}
	sv->portid = mnl_socket_get_portid(sv->nl);
	sv->seq = time(NULL);
	err = sockview_warm(sv);
	if (err)
		goto fail;
	return 0;
fail:
	if (sv->nl)
		mnl_socket_close(sv->nl);
	sv->nl = NULL;
	return err;
}

void sockview_close(struct sockview *sv)
{
	if (sv->nl)
		mnl_socket_close(sv->nl);
	sv->nl = NULL;
}

struct dump_ctx {
	sockview_cb cb;
	void *arg;
	int ret;
};

static void endpoint_from_diag(struct endpoint *ep, int family,
			       const __be32 *addr, __be16 port)
{
	memset(ep, 0, sizeof(*ep));
	ep->family = family;
	ep->port = ntohs(port);
	memcpy(&ep->addr, addr, inet_addr_len(family));
}

static int dump_msg(const struct nlmsghdr *nlh, void *data)
{
	const struct inet_diag_msg *m = mnl_nlmsg_get_payload(nlh);
	struct dump_ctx *ctx = data;
	struct sv_sock s;

	if (nlh->nlmsg_len < NLMSG_LENGTH(sizeof(*m)))
		return MNL_CB_ERROR;
	endpoint_from_diag(&s.t.src, m->idiag_family, m->id.idiag_src, m->id.idiag_sport);
	endpoint_from_diag(&s.t.dst, m->idiag_family, m->id.idiag_dst, m->id.idiag_dport);
	s.state = m->idiag_state;
	s.timer = m->idiag_timer;
	s.expires_ms = m->idiag_expires;
	s.inode = m->idiag_inode;
	ctx->ret = ctx->cb(&s, ctx->arg);
	return ctx->ret ? MNL_CB_STOP : MNL_CB_OK;
}

/*
 * One dump of @family's TCP sockets in @states, with the attributes
 * @ext asks for (1 << (INET_DIAG_* - 1)); @msg_cb sees each message and
 * sets *@stop (through its context) to end the walk early.
 */
static int dump_run(struct sockview *sv, int family, uint32_t states, uint8_t ext,
		    mnl_cb_t msg_cb, void *data, const int *stop)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct inet_diag_req_v2 *req;
	struct nlmsghdr *nlh;
	unsigned int seq;
	ssize_t n;
	int ret;

	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = SOCK_DIAG_BY_FAMILY;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = seq = ++sv->seq;
	req = mnl_nlmsg_put_extra_header(nlh, sizeof(*req));
	req->sdiag_family = family;
	req->sdiag_protocol = IPPROTO_TCP;
	req->idiag_states = states;
	req->idiag_ext = ext;

	if (mnl_socket_sendto(sv->nl, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	do {
		n = mnl_socket_recvfrom(sv->nl, buf, sizeof(buf));
		if (n < 0)
			return -errno;
		ret = mnl_cb_run(buf, n, seq, sv->portid, msg_cb, data);
	} while (ret == MNL_CB_OK);
	if (ret == MNL_CB_ERROR)
		return -errno;
	/* A callback that stopped early leaves the rest of the dump queued. */
	while (*stop && (n = mnl_socket_recvfrom(sv->nl, buf, sizeof(buf))) > 0 &&
	       mnl_cb_run(buf, n, seq, sv->portid, NULL, NULL) == MNL_CB_OK)
		;
	return 0;
}

int sockview_dump(struct sockview *sv, int family, uint32_t states,
		  sockview_cb cb, void *arg)
{
	struct dump_ctx ctx = { .cb = cb, .arg = arg };
	int err;

	err = dump_run(sv, family, states, 0, dump_msg, &ctx, &ctx.ret);
	return err ? err : ctx.ret;
}

static int count_one(const struct sv_sock *s, void *arg)
{
	unsigned int *counts = arg;

	if (s->state < TCP_NSTATES)
		counts[s->state]++;
	return 0;
}

int sockview_count(struct sockview *sv, int family, uint32_t states,
		   unsigned int counts[TCP_NSTATES])
{
	memset(counts, 0, TCP_NSTATES * sizeof(counts[0]));
	return sockview_dump(sv, family, states, count_one, counts);
}

struct find_ctx {
	const struct tuple *t;
	struct sv_sock *out;
};

static int find_one(const struct sv_sock *s, void *arg)
{
	struct find_ctx *ctx = arg;

	if (!tuple_eq(&s->t, ctx->t))
		return 0;
	if (ctx->out)
		*ctx->out = *s;
	return 1;
}

/* 0 and *@out filled when a socket with 4-tuple @t is in @states, else -ENOENT. */
int sockview_find(struct sockview *sv, const struct tuple *t, uint32_t states,
		  struct sv_sock *out)
{
	struct find_ctx ctx = { .t = t, .out = out };
	int ret;

	ret = sockview_dump(sv, t->src.family, states, find_one, &ctx);
	if (ret < 0)
		return ret;
	return ret ? 0 : -ENOENT;
}

struct info_ctx {
	const struct tuple *t;
	struct tcp_info *ti;
	int found;
};

static int info_msg(const struct nlmsghdr *nlh, void *data)
{
	const struct inet_diag_msg *m = mnl_nlmsg_get_payload(nlh);
	struct info_ctx *ctx = data;
	const struct nlattr *a;
	struct tuple t;

	if (nlh->nlmsg_len < NLMSG_LENGTH(sizeof(*m)))
		return MNL_CB_ERROR;
	endpoint_from_diag(&t.src, m->idiag_family, m->id.idiag_src, m->id.idiag_sport);
	endpoint_from_diag(&t.dst, m->idiag_family, m->id.idiag_dst, m->id.idiag_dport);
	if (!tuple_eq(&t, ctx->t))
		return MNL_CB_OK;
	mnl_attr_for_each(a, nlh, sizeof(*m)) {
		size_t len = mnl_attr_get_payload_len(a);

		if (mnl_attr_get_type(a) != INET_DIAG_INFO)
			continue;
		/* an older kernel's tcp_info is shorter: the rest stays 0 */
		memcpy(ctx->ti, mnl_attr_get_payload(a),
		       len < sizeof(*ctx->ti) ? len : sizeof(*ctx->ti));
		ctx->found = 1;
	}
	return ctx->found ? MNL_CB_STOP : MNL_CB_OK;
}

int sockview_holds(struct sockview *sv, const struct tuple *t, uint32_t states)
{
	int err = sockview_find(sv, t, states, NULL);

	return err == -ENOENT ? 0 : err ? err : 1;
}

/*
 * INET_DIAG_INFO is filled by tcp_diag_get_info() -> tcp_get_info(), the
 * function behind getsockopt(TCP_INFO) too: both read one socket's
 * fields under its lock.  Full sockets only; TIME_WAIT has none.
 */
int sockview_tcp_info(struct sockview *sv, const struct tuple *t, uint32_t states,
		      struct tcp_info *ti)
{
	struct info_ctx ctx = { .t = t, .ti = ti };
	int err;

	memset(ti, 0, sizeof(*ti));
	err = dump_run(sv, t->src.family, states, 1 << (INET_DIAG_INFO - 1), info_msg,
		       &ctx, &ctx.found);
	if (err)
		return err;
	return ctx.found ? 0 : -ENOENT;
}

const char *tcp_state_name(int state)
{
	static const char *const names[TCP_NSTATES] = {	/* as ss prints them */
		[TCP_ESTABLISHED] = "ESTAB",	[TCP_SYN_SENT] = "SYN-SENT",
		[TCP_SYN_RECV] = "SYN-RECV",	[TCP_FIN_WAIT1] = "FIN-WAIT-1",
		[TCP_FIN_WAIT2] = "FIN-WAIT-2",	[TCP_TIME_WAIT] = "TIME-WAIT",
		[TCP_CLOSE] = "UNCONN",		[TCP_CLOSE_WAIT] = "CLOSE-WAIT",
		[TCP_LAST_ACK] = "LAST-ACK",	[TCP_LISTEN] = "LISTEN",
		[TCP_CLOSING] = "CLOSING",	[TCP_NEW_SYN_RECV] = "SYN-RECV",
	};

	if (state <= 0 || state >= TCP_NSTATES)
		return "UNKNOWN";
	return names[state];
}

int sockview_find_at(struct sockview *sv, const struct tuple *t, uint32_t states,
		     struct sv_sock *out, int64_t at[2])
{
	int err;

	at[0] = now_ns();
	err = sockview_find(sv, t, states, out);
	at[1] = now_ns();
	return err;
}
