// SPDX-License-Identifier: GPL-2.0
/*
 * The judge of active_closer (A01): pure, driven by
 * tests/unit/test_judge_active_closer.c.
 *
 * K02: tcp_time_wait() is reached from FIN_WAIT2 and CLOSING only, the
 * states of the end that sent the first FIN; the end that received it
 * goes CLOSE_WAIT -> LAST_ACK -> CLOSE.  One TIME_WAIT at the active
 * closer, none at the passive one, on every kernel.
 *
 * The article says nothing of an abortive close.  What SO_LINGER {1, 0}
 * does is the project's own sub-claim, marked so, never the article's:
 * tcp_close() sees the zero linger and calls tcp_disconnect(), which
 * sends one RST (tcp_send_active_reset(), Tcp OutRsts) and goes straight
 * to CLOSE: no FIN, no TIME_WAIT at either end.
 */
#include <errno.h>
#include <string.h>

#include "judges/active_closer.h"

TW_SUBCLAIM(sc_cc_client, "A01.client_closes.client");
TW_SUBCLAIM(sc_cc_server, "A01.client_closes.server");
TW_SUBCLAIM(sc_sc_server, "A01.server_closes.server");
TW_SUBCLAIM(sc_sc_client, "A01.server_closes.client");
TW_SUBCLAIM(sc_linger_tw, "A01.linger_tw");
TW_SUBCLAIM(sc_linger_rst, "A01.linger_rst");

/* One TIME_WAIT at the end that closed first, none at the other (K02). */
static const struct orderly {
	const struct tw_subclaim *sc;
	enum ac_way way;
	int host;
	unsigned int want;
} orderly[] = {
	{ &sc_cc_client, AC_CLIENT_FIRST, LAB_CLIENT, 1 },
	{ &sc_cc_server, AC_CLIENT_FIRST, LAB_SERVER, 0 },
	{ &sc_sc_server, AC_SERVER_FIRST, LAB_SERVER, 1 },
	{ &sc_sc_client, AC_SERVER_FIRST, LAB_CLIENT, 0 },
};

static void judge_linger(const struct active_closer_fig *f, struct tw_result *r)
{
	unsigned int tw = f->linger_tw[LAB_CLIENT] + f->linger_tw[LAB_SERVER];

	tw_judge_exact(r, &sc_linger_tw, win_exact(0), win_exact(0), tw,
		       "client %u, server %u: the client closed first, yet tcp_close() -> "
		       "tcp_disconnect() goes to CLOSE without tcp_time_wait()",
		       f->linger_tw[LAB_CLIENT], f->linger_tw[LAB_SERVER]);
	tw_judge_exact(r, &sc_linger_rst, win_exact(1), win_exact(1), f->linger_rsts,
		       "Tcp OutRsts of the client host rose by %llu; the server's read() "
		       "returned %s", (unsigned long long)f->linger_rsts,
		       f->linger_read == -ECONNRESET ? "ECONNRESET" :
		       f->linger_read ? strerror(-f->linger_read) : "EOF");
}

void active_closer_judge(const struct active_closer_fig *f, struct tw_result *r)
{
	for (const struct orderly *o = orderly; o < orderly + sizeof(orderly) / sizeof(*o); o++) {
		unsigned int got = f->tw[o->way][o->host];

		tw_judge_exact(r, o->sc, win_exact(o->want), win_exact(o->want), got,
			       "the %s's sock_diag lists %u TIME-WAIT on the 4-tuple once both "
			       "ends closed and neither is in a transient state",
			       lab_role_name(o->host), got);
	}
	judge_linger(f, r);
}
