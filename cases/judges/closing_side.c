// SPDX-License-Identifier: GPL-2.0
/*
 * The judge of closing_side (A09): pure, driven by
 * tests/unit/test_judge_closing_side.c.
 *
 * K02: TIME_WAIT belongs to the end that closes first, one socket per
 * connection, on every kernel.  So the kernel predicts, for each pattern
 * and host, exactly the pattern's connections at the end that closed
 * first and none at the other.  The article predicts the same where it
 * speaks: "the server holds no TIME_WAIT" when the client closes first,
 * and (A01) one per connection at a server that closes first.  Where the
 * TIME_WAIT goes instead -- to the client, one per connection, so that
 * only fewer connections lower the count -- the article is silent: those
 * two sub-claims are the project's, marked so.
 */
#include "judges/closing_side.h"

TW_SUBCLAIM(sc_cc_server, "A09.client_closes.server");
TW_SUBCLAIM(sc_cc_client, "A09.client_closes.client");
TW_SUBCLAIM(sc_sc_server, "A09.server_closes.server");
TW_SUBCLAIM(sc_sc_client, "A09.server_closes.client");
TW_SUBCLAIM(sc_ka_server, "A09.keep_alive.server");
TW_SUBCLAIM(sc_ka_client, "A09.keep_alive.client");

static const struct tw_subclaim *const subclaim[CS_NPATTERNS][LAB_PAIR_HOSTS] = {
	[CS_CLIENT_CLOSES] = { [LAB_CLIENT] = &sc_cc_client, [LAB_SERVER] = &sc_cc_server },
	[CS_SERVER_CLOSES] = { [LAB_CLIENT] = &sc_sc_client, [LAB_SERVER] = &sc_sc_server },
	[CS_KEEP_ALIVE]    = { [LAB_CLIENT] = &sc_ka_client, [LAB_SERVER] = &sc_ka_server },
};

/* Each pattern's count at each host: the pattern's connections, or none. */
void closing_side_judge(const struct closing_side_fig *f, struct tw_result *r)
{
	for (int p = 0; p < CS_NPATTERNS; p++) {
		const struct cs_counted *c = &f->p[p];

		for (int h = 0; h < LAB_PAIR_HOSTS; h++) {
			struct tw_window want = win_exact(h == c->first ? c->conns : 0);

			tw_judge_exact(r, subclaim[p][h], want, want, c->tw[h], "%d connection(s) "
				       "x %d exchange(s), the %s closing first: sock_diag of the %s "
				       "lists %u TIME-WAIT on :%u", c->conns, c->exchanges,
				       lab_role_name(c->first), lab_role_name(h), c->tw[h], c->port);
		}
	}
}
