// SPDX-License-Identifier: GPL-2.0
/*
 * A08: ss counts TIME_WAIT sockets, filters them by port, and counts
 * states and peers -- checked with the article's own command lines.
 *
 * Method: a server host holds a known mix of sockets:
 *   LISTEN       on :443 and :8080
 *   ESTABLISHED  3 from peer A to :443, 2 from peer B to :8080
 *   TIME_WAIT    7 from A and 4 from B to :443, 2 from A to :8080
 *                (the server closes those first, so it holds them)
 * twlab counts them over sock_diag; ss, run inside the same namespace,
 * reads the same kernel tables independently (K19).  The article's
 * pipelines run verbatim through sh, and what they print is set against
 * what sock_diag says they should print.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "case.h"
#include "clock.h"
#include "conn.h"
#include "nsexec.h"
#include "sockview.h"
#include "ssout.h"
#include "wait.h"

#define PORT_HTTPS	443
#define PORT_ALT	8080
#define PEER_A		0	/* client address slots */
#define PEER_B		1
#define MAX_FDS		64
#define SS_TIMEOUT_MS	5000
#define OUT_LEN		8192
#define MAX_KEYS	16

static const struct mix {
	int peer;
	uint16_t port;
	int n;
	bool time_wait;
} mix[] = {
	{ PEER_A, PORT_HTTPS, 3, false },
	{ PEER_B, PORT_ALT,   2, false },
	{ PEER_A, PORT_HTTPS, 7, true },
	{ PEER_B, PORT_HTTPS, 4, true },
	{ PEER_A, PORT_ALT,   2, true },
};

/* The article's command lines, verbatim but for -H where we count lines. */
#define SS_TW_WC	"ss -tan state time-wait | wc -l"
#define SS_TW_WC_H	"ss -Htan state time-wait | wc -l"
#define SS_TW_PORT	"ss -Ho state time-wait '( sport = :443 )' | wc -l"
#define SS_STATES	"ss -ant | awk 'NR>1 {++s[$1]} END {for(k in s) print k,s[k]}'"
#define SS_PEERS	"ss -tan 'sport = :443' | awk '{print $(NF)\" \"$(NF-1)}' " \
			"| sed 's/:[^ ]*//g' | sort | uniq -c"

struct mixlab {
	struct lab *lab;
	struct sockview sv;
	int family;
	int fds[MAX_FDS];
	int nfds;
	unsigned int want[TCP_NSTATES];
	unsigned int want_tw_https;
};

static int keep(struct mixlab *m, int fd)
{
	if (m->nfds == MAX_FDS) {
		close(fd);
		return -E2BIG;
	}
	m->fds[m->nfds++] = fd;
	return 0;
}

/* The server closes first and so ends in TIME_WAIT (A01). */
static int make_time_wait(struct mixlab *m, int cfd, int sfd)
{
	struct tuple tc, ts;
	int err;

	err = tuple_of_socket(cfd, &tc);
	err = conn_close_orderly(sfd, cfd, NULL) ?: err;
	if (err)
		return err;
	tuple_reverse(&tc, &ts);
	return wait_state(&m->sv, &ts, TCPF(TCP_TIME_WAIT), now_ns() + NSEC_PER_SEC);
}

static int build_mix(struct mixlab *m)
{
	struct endpoint https, alt, src;
	int lfd[2], err;

	err = lab_addr_add(m->lab, LAB_CLIENT, PEER_B);
	if (err)
		return err;
	lab_endpoint(m->lab, LAB_SERVER, 0, m->family, PORT_HTTPS, &https);
	lab_endpoint(m->lab, LAB_SERVER, 0, m->family, PORT_ALT, &alt);
	lfd[0] = conn_listen(m->lab, LAB_SERVER, &https);
	if (lfd[0] < 0 || (err = keep(m, lfd[0])))
		return lfd[0] < 0 ? lfd[0] : err;
	lfd[1] = conn_listen(m->lab, LAB_SERVER, &alt);
	if (lfd[1] < 0 || (err = keep(m, lfd[1])))
		return lfd[1] < 0 ? lfd[1] : err;
	m->want[TCP_LISTEN] = 2;

	for (size_t i = 0; i < sizeof(mix) / sizeof(mix[0]); i++) {
		const struct mix *x = &mix[i];
		int l = x->port == PORT_HTTPS ? lfd[0] : lfd[1];

		lab_endpoint(m->lab, LAB_CLIENT, x->peer, m->family, 0, &src);
		for (int k = 0; k < x->n; k++) {
			int cfd, sfd;

			err = conn_pair(m->lab, LAB_CLIENT, &src, l,
					x->port == PORT_HTTPS ? &https : &alt, &cfd, &sfd);
			if (!err && x->time_wait)
				err = make_time_wait(m, cfd, sfd);
			else if (!err && !(err = keep(m, cfd)))
				err = keep(m, sfd);
			if (err)
				return err;
		}
		m->want[x->time_wait ? TCP_TIME_WAIT : TCP_ESTABLISHED] += x->n;
		if (x->time_wait && x->port == PORT_HTTPS)
			m->want_tw_https += x->n;
	}
	return 0;
}

static int run_ss(struct mixlab *m, const char *cmd, char *out)
{
	int status = ns_run(&m->lab->host[LAB_SERVER].ns, cmd, out, OUT_LEN, SS_TIMEOUT_MS);

	if (status < 0)
		return status;
	return status ? -ECHILD : 0;
}

static int run_ss_count(struct mixlab *m, const char *cmd, long *n)
{
	char out[OUT_LEN], *end;
	int err = run_ss(m, cmd, out);

	if (err)
		return err;
	*n = strtol(out, &end, 10);
	return end == out ? -EINVAL : 0;
}

/* The article's `ss -tan state time-wait | wc -l`, and ss's own -H. */
static int check_tw_count(struct mixlab *m, const unsigned int *have, struct tw_result *r)
{
	struct tw_verdict *v;
	long wc, wc_h;
	int err;

	err = run_ss_count(m, SS_TW_WC, &wc);
	if (!err)
		err = run_ss_count(m, SS_TW_WC_H, &wc_h);
	if (err)
		return tw_error(r, err, "%s", SS_TW_WC);
	v = tw_verdict_add(r, "A08", "K19", wc == have[TCP_TIME_WAIT] ? V_CONFIRMED : V_REFINED,
			   "TIME-WAIT count by `" SS_TW_WC "`");
	tw_verdict_figure(v, wc, have[TCP_TIME_WAIT], have[TCP_TIME_WAIT], "sockets");
	tw_evidence(v, "wc -l counts ss's header line too; `ss -H` prints %ld, sock_diag %u",
		    wc_h, have[TCP_TIME_WAIT]);
	if (wc != wc_h + 1 || wc_h != have[TCP_TIME_WAIT])
		tw_fail(r, "ss counts %ld (%ld with -H) TIME-WAIT sockets, sock_diag %u",
			wc, wc_h, have[TCP_TIME_WAIT]);
	return 0;
}

static int check_port_filter(struct mixlab *m, struct tw_result *r)
{
	struct tw_verdict *v;
	long n;
	int err;

	err = run_ss_count(m, SS_TW_PORT, &n);
	if (err)
		return tw_error(r, err, "%s", SS_TW_PORT);
	v = tw_verdict_add(r, "A08", "K19", n == m->want_tw_https ? V_CONFIRMED : V_REFUTED,
			   "TIME-WAIT on :443 by ss's filter '( sport = :443 )'");
	tw_verdict_figure(v, n, m->want_tw_https, m->want_tw_https, "sockets");
	tw_evidence(v, "ss's filter runs in the kernel as inet_diag bytecode");
	if (n != m->want_tw_https)
		tw_fail(r, "ss's port filter found %ld TIME-WAIT sockets on :443, expected %u",
			n, m->want_tw_https);
	return 0;
}

static int check_states(struct mixlab *m, const unsigned int *have, struct tw_result *r)
{
	unsigned int hist[TCP_NSTATES];
	int agree = 0, seen = 0, err;
	char out[OUT_LEN];
	struct tw_verdict *v;

	err = run_ss(m, SS_STATES, out);
	if (!err)
		err = ss_parse_histogram(out, hist);
	if (err)
		return tw_error(r, err, "the article's state histogram");
	for (int s = 1; s < TCP_NSTATES; s++) {
		seen += have[s] || hist[s];
		agree += (have[s] || hist[s]) && have[s] == hist[s];
	}
	v = tw_verdict_add(r, "A08", "K19", agree == seen ? V_CONFIRMED : V_REFUTED,
			   "states counted by the article's `ss -ant | awk` histogram");
	tw_verdict_figure(v, agree, seen, seen, "states");
	tw_evidence(v, "awk: LISTEN %u, ESTAB %u, TIME-WAIT %u; sock_diag: %u, %u, %u",
		    hist[TCP_LISTEN], hist[TCP_ESTABLISHED], hist[TCP_TIME_WAIT],
		    have[TCP_LISTEN], have[TCP_ESTABLISHED], have[TCP_TIME_WAIT]);
	if (agree != seen)
		tw_fail(r, "the awk histogram agrees with sock_diag on %d of %d states", agree, seen);
	return 0;
}

/*
 * What the article's peer one-liner must print, worked out from sock_diag:
 * "peer local" per socket on :443, ports stripped by its sed.
 */
struct peers {
	struct ss_uniq want[MAX_KEYS];
	int nwant;
	char addr[MAX_KEYS][INET6_ADDRSTRLEN];	/* distinct peer addresses */
	int naddr;
	int nkeys_conn;				/* distinct keys of connections */
	const char *conn_key;
	int err;
};

static int predict_peer(const struct sv_sock *s, void *arg)
{
	char peer[ENDPOINT_STRLEN], local[ENDPOINT_STRLEN], line[SS_KEY_LEN], key[SS_KEY_LEN];
	char addr[INET6_ADDRSTRLEN];
	struct peers *p = arg;
	int before = p->nwant;

	if (s->t.src.port != PORT_HTTPS)
		return 0;
	snprintf(line, sizeof(line), "%s %s", endpoint_fmt(&s->t.dst, peer, sizeof(peer)),
		 endpoint_fmt(&s->t.src, local, sizeof(local)));
	ss_sed_strip_ports(line, key, sizeof(key));
	p->nwant = ss_uniq_add(p->want, p->nwant, MAX_KEYS, key, 1);
	if (p->nwant < 0)
		return p->err = p->nwant;
	if (s->state == TCP_LISTEN)
		return 0;
	p->nkeys_conn += p->nwant > before;
	p->conn_key = ss_uniq_find(p->want, p->nwant, key)->key;
	addr_fmt(s->t.dst.family, &s->t.dst.addr, addr, sizeof(addr));
	for (int i = 0; i < p->naddr; i++)
		if (!strcmp(p->addr[i], addr))
			return 0;
	if (p->naddr < MAX_KEYS)
		memcpy(p->addr[p->naddr++], addr, sizeof(addr));
	return 0;
}

static int check_peers(struct mixlab *m, struct tw_result *r)
{
	struct ss_uniq got[MAX_KEYS];
	struct peers p = { 0 };
	struct tw_verdict *v;
	char out[OUT_LEN];
	int ngot, match = 0, err;

	err = sockview_dump(&m->sv, m->family, TCPF_ALL, predict_peer, &p);
	if (!err)
		err = p.err;
	if (!err)
		err = run_ss(m, SS_PEERS, out);
	if (err)
		return tw_error(r, err, "the article's peer one-liner");
	ngot = ss_parse_uniq(out, got, MAX_KEYS);
	if (ngot < 0)
		return tw_error(r, ngot, "parsing the peer one-liner's output");
	for (int i = 0; i < p.nwant; i++) {
		const struct ss_uniq *g = ss_uniq_find(got, ngot, p.want[i].key);

		match += g && g->count == p.want[i].count;
	}
	v = tw_verdict_add(r, "A08", "K19", p.nkeys_conn == p.naddr ? V_CONFIRMED : V_REFINED,
			   "peers of :443 by the article's awk|sed|uniq one-liner");
	tw_verdict_figure(v, p.nkeys_conn, p.naddr, p.naddr, "peers");
	if (p.nkeys_conn == p.naddr)
		tw_evidence(v, "each peer's count equals sock_diag's; plus ss's header line");
	else
		tw_evidence(v, "its sed strips from the first colon, so %d IPv6 peers print as "
			    "the one key \"%s\"", p.naddr, p.conn_key);
	/* every predicted line, and ss's header line ("Address Peer") besides */
	if (match != p.nwant || ngot != p.nwant + 1)
		tw_fail(r, "the peer one-liner printed %d lines, %d of %d as predicted from sock_diag",
			ngot, match, p.nwant);
	return 0;
}

static int ss_agrees(struct lab *lab, const struct tw_params *p, struct tw_result *r)
{
	struct mixlab m = { .lab = lab, .family = p->family };
	unsigned int have[TCP_NSTATES];
	int err;

	err = sockview_open(&m.sv, &lab->host[LAB_SERVER].ns);
	if (!err)
		err = build_mix(&m);
	if (!err)
		err = sockview_count(&m.sv, p->family, TCPF_ALL, have);
	if (err) {
		tw_error(r, err, "building the socket mix");
		goto out;
	}
	for (int s = 1; s < TCP_NSTATES; s++)
		if (have[s] != m.want[s])
			tw_fail(r, "sock_diag sees %u %s sockets, the mix has %u",
				have[s], tcp_state_name(s), m.want[s]);

	err = check_tw_count(&m, have, r);
	if (!err)
		err = check_port_filter(&m, r);
	if (!err)
		err = check_states(&m, have, r);
	if (!err)
		err = check_peers(&m, r);
out:
	for (int i = 0; i < m.nfds; i++)
		close(m.fds[i]);
	sockview_close(&m.sv);
	return err;
}

TW_CASE(ss_agrees,
	.summary = "twlab's sock_diag counts against ss and the article's one-liners",
	.claims = "A08",
	.needs = NEED_SOCK_DIAG | NEED_SS,
	.time_limit_s = 30);
