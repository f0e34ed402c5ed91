// SPDX-License-Identifier: GPL-2.0
/*
 * A09: the article's third remedy -- keep connections alive on the server
 * and let the client close them, "so the server holds no TIME_WAIT".
 * TIME_WAIT belongs to whichever end closes first (K02: tcp_time_wait()
 * is reached from FIN_WAIT2 and CLOSING only), so letting the client
 * close moves each TIME_WAIT to the client; what lowers their number is
 * fewer connections: one kept alive for many requests ends in one.
 * ("Keep-alive" here is the application's persistent connection, as in
 * HTTP, not SO_KEEPALIVE probes.)
 *
 * Method: NCONN request/response exchanges (a few bytes each way), made
 * in three patterns, each to a server port of its own so that their
 * counts never mix:
 *   1. one exchange per connection, the client closing each first;
 *   2. one exchange per connection, the server closing each first;
 *   3. all NCONN exchanges on one connection kept alive, which the client
 *      then closes first.
 * Observe: once neither host has a socket on that port in a transient
 * state (a bounded settle), how many TIME_WAIT sockets each host's own
 * sock_diag lists on it.  The counts are exact: no TIME_WAIT ends within
 * the case's 30 s (it lasts 60 s, A02), and nothing else uses these ports.
 *
 * Expected (K02, in cases/judges/closing_side.c): one per connection at
 * the end that closed first, none at the other; the client's counts are
 * the project's finding, judged as sub-claims of their own.
 */
#include <string.h>

#include "case.h"
#include "conn.h"
#include "conngroup.h"
#include "judges/closing_side.h"

#define NCONN		50
#define REQUEST		"GET\n"
#define ANSWER		"200\n"

TW_CASE(closing_side,
	.summary = "TIME_WAIT per side: client closes, server closes, one kept-alive connection",
	.claims = "A09",
	.views = HOST(LAB_CLIENT) | HOST(LAB_SERVER),
	.time_limit_s = 30);

/* Connections, exchanges on each, the end that closes first, the server port. */
static const struct cs_counted patterns[CS_NPATTERNS] = {
	[CS_CLIENT_CLOSES] = { NCONN, 1,     LAB_CLIENT, 8100 },
	[CS_SERVER_CLOSES] = { NCONN, 1,     LAB_SERVER, 8101 },
	[CS_KEEP_ALIVE]    = { 1,     NCONN, LAB_CLIENT, 8102 },
};

/* Before its close, each connection carries requests and answers, each read in full. */
static int talk(int cfd, int sfd, void *arg)
{
	const struct cs_counted *c = arg;
	int err = 0;

	for (int i = 0; i < c->exchanges && !err; i++)
		err = conn_send_recv(cfd, sfd, REQUEST, strlen(REQUEST)) ?:
		      conn_send_recv(sfd, cfd, ANSWER, strlen(ANSWER));
	return err;
}

static int closing_side(struct lab *lab, const struct tw_params *p, struct tw_result *r)
{
	struct closing_side_fig fig;

	for (int i = 0; i < CS_NPATTERNS; i++) {
		struct cs_counted *c = &fig.p[i];
		int err;

		*c = patterns[i];
		err = conngroup_close(lab, p->family, c->port, c->conns, c->first, talk, c) ?:
		      conngroup_left(p->fx->sv, p->family, c->port, c->tw, NULL);
		if (err)
			return tw_error(r, err, "%d connection(s) x %d exchange(s) to :%u",
					c->conns, c->exchanges, c->port);
	}
	closing_side_judge(&fig, r);
	return 0;
}
