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
 * sock_diag lists on it.  Expected (K02): one per connection at the end
 * that closed first, none at the other.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "case.h"
#include "many.h"
#include "sockview.h"

#define NCONN		50
#define SETTLE_MS	3000	/* a close settles in one veth round trip */
#define REQUEST		"GET\n"
#define ANSWER		"200\n"

static const struct pattern {
	const char *name;	/* as the verdicts say it */
	uint16_t port;
	int conns;
	int exchanges;		/* request/response pairs per connection */
	int first;		/* the end that closes first */
} patterns[] = {
	{ "client closes first",	  8100, NCONN, 1,     LAB_CLIENT },
	{ "server closes first",	  8101, NCONN, 1,     LAB_SERVER },
	{ "keep-alive, client closes", 8102, 1,     NCONN, LAB_CLIENT },
};

static const char *const host_name[LAB_PAIR_HOSTS] = {
	[LAB_CLIENT] = "client", [LAB_SERVER] = "server",
};

/* Exactly @len bytes, or -ETIMEDOUT (SO_RCVTIMEO, lib/conn.c), -EPIPE at EOF. */
static int read_full(int fd, char *buf, size_t len)
{
	while (len) {
		ssize_t n = read(fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return errno == EAGAIN ? -ETIMEDOUT : -errno;
		if (n == 0)
			return -EPIPE;
		buf += n;
		len -= n;
	}
	return 0;
}

static int send_recv(int from, int to, const char *msg)
{
	size_t len = strlen(msg);
	ssize_t n = write(from, msg, len);
	char buf[16];
	int err;

	if (n < 0)
		return -errno;
	if ((size_t)n != len)
		return -EIO;
	err = read_full(to, buf, len);
	if (!err && memcmp(buf, msg, len))
		err = -EPROTO;
	return err;
}

/* A request from the client, the server's answer, each read in full. */
static int exchange(int cfd, int sfd)
{
	int err = send_recv(cfd, sfd, REQUEST);

	return err ? err : send_recv(sfd, cfd, ANSWER);
}

/* What each connection of a pattern carries before it is closed. */
static int talk(int cfd, int sfd, void *arg)
{
	const struct pattern *pat = arg;
	int err = 0;

	for (int i = 0; i < pat->exchanges && !err; i++)
		err = exchange(cfd, sfd);
	return err;
}

/*
 * The remedy moves TIME_WAIT to the client rather than removing it: a
 * count of one per connection at the client is a refinement of the
 * article, not a confirmation.
 */
static void judge(struct tw_result *r, const struct pattern *pat, int h, unsigned int got)
{
	unsigned int want = h == pat->first ? pat->conns : 0;
	enum tw_verdict_kind kind = V_CONFIRMED;
	struct tw_verdict *v;
	char what[96];

	if (got != want)
		kind = V_REFUTED;
	else if (h == LAB_CLIENT && want > 1)
		kind = V_REFINED;
	snprintf(what, sizeof(what), "%s: TIME_WAIT at the %s", pat->name, host_name[h]);
	v = tw_verdict_add(r, "A09", "K02", kind, what);
	tw_verdict_figure(v, got, want, want, "sockets");
	tw_evidence(v, "%d connection(s) x %d exchange(s), %s closed first: sock_diag of "
		    "the %s lists %u TIME-WAIT on :%u%s", pat->conns, pat->exchanges,
		    host_name[pat->first], host_name[h], got, pat->port,
		    kind == V_REFINED ? ", one per connection: moved here, not removed" : "");
	if (got != want)
		tw_fail(r, "%s: %u TIME_WAIT socket(s) at the %s, expected %u (K02)",
			pat->name, got, host_name[h], want);
}

static int run_pattern(struct lab *lab, struct sockview *sv, int family,
		       const struct pattern *pat, struct tw_result *r)
{
	unsigned int counts[LAB_PAIR_HOSTS][TCP_NSTATES];
	int err;

	err = many_close(lab, family, pat->port, pat->conns, pat->first, talk, (void *)pat);
	if (!err)
		err = many_settle(sv, LAB_PAIR_HOSTS, family, pat->port, SETTLE_MS);
	for (int h = 0; h < LAB_PAIR_HOSTS && !err; h++)
		err = many_count(&sv[h], family, TCPF(TCP_TIME_WAIT), pat->port, counts[h]);
	if (err)
		return tw_error(r, err, "%s", pat->name);
	for (int h = 0; h < LAB_PAIR_HOSTS; h++)
		judge(r, pat, h, counts[h][TCP_TIME_WAIT]);
	return 0;
}

static int closing_side(struct lab *lab, const struct tw_params *p, struct tw_result *r)
{
	struct sockview sv[LAB_PAIR_HOSTS] = { 0 };
	int err = 0;

	err = lab_sockviews_open(lab, sv);
	if (err)
		goto out;
	for (size_t i = 0; i < sizeof(patterns) / sizeof(patterns[0]) && !err; i++)
		err = run_pattern(lab, sv, p->family, &patterns[i], r);
out:
	lab_sockviews_close(sv);
	return err;
}

TW_CASE(closing_side,
	.summary = "TIME_WAIT per side: client closes, server closes, one kept-alive connection",
	.claims = "A09",
	.needs = NEED_SOCK_DIAG,
	.time_limit_s = 30);
