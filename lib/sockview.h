/* SPDX-License-Identifier: GPL-2.0 */
#ifndef TWLAB_SOCKVIEW_H
#define TWLAB_SOCKVIEW_H

#include <stdint.h>
#include <netinet/tcp.h>	/* TCP_ESTABLISHED ... TCP_CLOSING */

#include "inet.h"

struct mnl_socket;
struct netns;

/* include/net/tcp_states.h: the request-sock state libc does not name */
#define TCP_NEW_SYN_RECV	12
#define TCP_NSTATES		13
#define TCPF(state)	(1u << (state))
#define TCPF_ALL	((1u << TCP_NSTATES) - 2)

/* What sock_diag tells of one socket (struct inet_diag_msg). */
struct sv_sock {
	struct tuple t;
	uint8_t state;
	uint8_t timer;		/* 1 retransmit, 2 keepalive, 3 TIME_WAIT, 4 probe */
	uint32_t expires_ms;	/* time left on that timer */
	uint32_t inode;
};

struct sockview {
	struct mnl_socket *nl;
	unsigned int portid;
	unsigned int seq;
};

/* Return 0 to go on, anything else to stop the dump with that value. */
typedef int (*sockview_cb)(const struct sv_sock *s, void *arg);

int sockview_open(struct sockview *sv, const struct netns *ns);
void sockview_close(struct sockview *sv);
int sockview_dump(struct sockview *sv, int family, uint32_t states,
		  sockview_cb cb, void *arg);
int sockview_count(struct sockview *sv, int family, uint32_t states,
		   unsigned int counts[TCP_NSTATES]);
int sockview_find(struct sockview *sv, const struct tuple *t, uint32_t states,
		  struct sv_sock *out);
/* 1 if a socket with 4-tuple @t is in one of @states, 0 if none is, or -errno. */
int sockview_holds(struct sockview *sv, const struct tuple *t, uint32_t states);
/*
 * sockview_find(), and *@at the now_ns() just before and just after it:
 * the kernel read the socket (its state, idiag_expires) at one moment
 * between the two, no more is known of when.
 */
int sockview_find_at(struct sockview *sv, const struct tuple *t, uint32_t states,
		     struct sv_sock *out, int64_t at[2]);
/* The tcp_info of the socket with 4-tuple @t in @states (INET_DIAG_INFO), or -ENOENT. */
int sockview_tcp_info(struct sockview *sv, const struct tuple *t, uint32_t states,
		      struct tcp_info *ti);

const char *tcp_state_name(int state);

#endif
