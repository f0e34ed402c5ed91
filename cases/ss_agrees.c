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
 * twlab lists them once over sock_diag, with each TIME_WAIT timer
 * (idiag_expires); ss, run inside the same namespace, reads the same
 * kernel tables independently (K19).  The article's pipelines run
 * verbatim through sh, and `ss -Htano state time-wait` besides for the
 * timers.  The clock is read around the dump and around each ss run, so
 * the judge (cases/judges/ss_agrees.c) knows how far apart the two views
 * were taken: what ss prints is set against what sock_diag says it
 * should print, within what may change in between.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "case.h"
#include "judges/ss_agrees.h"
#include "clock.h"
#include "conn.h"
#include "kernel.h"
#include "nsexec.h"
#include "ssout.h"
#include "wait.h"

#define PORT_HTTPS	443
#define PORT_ALT	8080
#define HTTPS		0	/* the fixture's listeners */
#define ALT		1
#define PEER_A		0	/* client address slots */
#define PEER_B		1
#define MAX_FDS		64
#define SS_TIMEOUT_MS	5000
#define OUT_LEN		8192

static const struct mix {
	int peer;
	int listener;		/* HTTPS, ALT */
	int n;
	bool time_wait;
} mix[] = {
	{ PEER_A, HTTPS, 3, false },
	{ PEER_B, ALT,   2, false },
	{ PEER_A, HTTPS, 7, true },
	{ PEER_B, HTTPS, 4, true },
	{ PEER_A, ALT,   2, true },
};

/* The article's command lines, verbatim but for -H where we count lines. */
#define SS_TW_WC	"ss -tan state time-wait | wc -l"
#define SS_TW_WC_H	"ss -Htan state time-wait | wc -l"
#define SS_TW_PORT	"ss -Ho state time-wait '( sport = :443 )' | wc -l"
#define SS_STATES	"ss -ant | awk 'NR>1 {++s[$1]} END {for(k in s) print k,s[k]}'"
#define SS_PEERS	"ss -tan 'sport = :443' | awk '{print $(NF)\" \"$(NF-1)}' " \
			"| sed 's/:[^ ]*//g' | sort | uniq -c"
/* Not the article's: the TIME_WAIT timers, set against sock_diag's. */
#define SS_TIMERS	"ss -Htano state time-wait"

#define MIX_PORT_BASE	20000	/* below ip_local_port_range: no ephemeral port meets it */

TW_CASE(ss_agrees,
	.summary = "twlab's sock_diag counts against ss and the article's one-liners",
	.claims = "A08",
	.needs = NEED_SS,
	.views = HOST(LAB_SERVER),
	.listen = { LISTEN(PORT_HTTPS), LISTEN(PORT_ALT) },
	.time_limit_s = 30);

struct mixlab {
	struct lab *lab;
	struct tw_fixture *fx;
	int family;
	int fds[MAX_FDS];
	int nfds;
	unsigned int want[TCP_NSTATES];		/* the mix as built */
	struct ss_agrees_fig *fig;
	char tw_local[SS_AGREES_MAX_TW][ENDPOINT_STRLEN];	/* fig->tw[i]'s ends, as ss prints them */
	char tw_peer[SS_AGREES_MAX_TW][ENDPOINT_STRLEN];
	struct ss_uniq addr[SS_AGREES_MAX_KEYS];		/* distinct :443 peer addresses */
	unsigned int nconn;			/* connections made: each from MIX_PORT_BASE + its number */
	int64_t dump0, dump1;			/* the dump ran within these */
	int64_t ss0;				/* the first ss began */
	const char *cmd;			/* the last ss command line run ... */
	int64_t t0, t1;				/* ... within these */
};

/* An established connection, kept open to the end. */
static int keep(struct mixlab *m, int cfd, int sfd)
{
	if (m->nfds + 2 > MAX_FDS) {
		close(cfd);
		close(sfd);
		return -E2BIG;
	}
	m->fds[m->nfds++] = cfd;
	m->fds[m->nfds++] = sfd;
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
	return wait_state(&m->fx->sv[LAB_SERVER], &ts, TCPF(TCP_TIME_WAIT), now_ns() + NSEC_PER_SEC);
}

static int build_mix(struct mixlab *m)
{
	const struct tw_fixture *fx = m->fx;
	int err = lab_addr_add(m->lab, LAB_CLIENT, PEER_B);

	m->want[TCP_LISTEN] = 2;
	for (size_t i = 0; i < sizeof(mix) / sizeof(mix[0]) && !err; i++) {
		const struct mix *x = &mix[i];

		for (int k = 0; k < x->n && !err; k++) {
			struct endpoint src;
			int cfd, sfd;

			/*
			 * A port of its own: an ephemeral one may come round again,
			 * and its SYN would take over the server's TIME_WAIT on that
			 * 4-tuple (K05) -- one TIME_WAIT short of the mix.
			 */
			lab_endpoint(m->lab, LAB_CLIENT, x->peer, m->family,
				     MIX_PORT_BASE + m->nconn++, &src);
			err = conn_pair(m->lab, LAB_CLIENT, &src, fx->lfd[x->listener],
					&fx->listen[x->listener], &cfd, &sfd);
			if (!err)
				err = x->time_wait ? make_time_wait(m, cfd, sfd) : keep(m, cfd, sfd);
		}
		m->want[x->time_wait ? TCP_TIME_WAIT : TCP_ESTABLISHED] += x->n;
	}
	return err;
}

/* @key counted once more in @u, of *@n keys so far. */
static int tally(struct ss_uniq *u, int *n, const char *key)
{
	int k = ss_uniq_add(u, *n, SS_AGREES_MAX_KEYS, key, 1);

	*n = k < 0 ? *n : k;
	return k < 0 ? k : 0;
}

/*
 * What the article's peer one-liner must print, worked out from sock_diag:
 * "peer local" per socket on :443, ports stripped by its sed.
 */
static int predict_peer(struct mixlab *m, const struct sv_sock *s)
{
	char peer[ENDPOINT_STRLEN], local[ENDPOINT_STRLEN], line[SS_KEY_LEN], key[SS_KEY_LEN];
	struct ss_agrees_fig *f = m->fig;
	int n = f->nwant, err;

	snprintf(line, sizeof(line), "%s %s", endpoint_fmt(&s->t.dst, peer, sizeof(peer)),
		 endpoint_fmt(&s->t.src, local, sizeof(local)));
	ss_sed_strip_ports(line, key, sizeof(key));
	err = tally(f->want, &f->nwant, key);
	if (f->nwant > n)
		f->want_listen[n] = s->state == TCP_LISTEN;
	if (err || s->state == TCP_LISTEN)
		return err;
	addr_fmt(s->t.dst.family, &s->t.dst.addr, peer, sizeof(peer));
	return tally(m->addr, &f->naddr, peer);
}

static int observe_one(const struct sv_sock *s, void *arg)
{
	struct mixlab *m = arg;
	struct ss_agrees_fig *f = m->fig;
	int i = f->ntw;

	f->have[s->state]++;
	if (s->state == TCP_TIME_WAIT) {
		if (i == SS_AGREES_MAX_TW)
			return -E2BIG;
		f->tw[f->ntw++] = (struct ss_tw_seen){ s->expires_ms, s->t.src.port == PORT_HTTPS };
		endpoint_fmt(&s->t.src, m->tw_local[i], sizeof(m->tw_local[i]));
		endpoint_fmt(&s->t.dst, m->tw_peer[i], sizeof(m->tw_peer[i]));
	}
	return s->t.src.port == PORT_HTTPS ? predict_peer(m, s) : 0;
}

/* sock_diag's view, in one dump, and when it was taken. */
static int observe(struct mixlab *m)
{
	int err;

	m->dump0 = now_ns();
	err = sockview_dump(&m->fx->sv[LAB_SERVER], m->family, TCPF_ALL, observe_one, m);
	m->dump1 = now_ns();
	return err;
}

/* Run @cmd in the server's namespace, noting what and when. */
static int run_ss(struct mixlab *m, const char *cmd, char *out)
{
	int err;

	m->cmd = cmd;
	m->t0 = now_ns();
	m->ss0 = m->ss0 ?: m->t0;
	err = ns_run_ok(&m->lab->host[LAB_SERVER].ns, cmd, out, OUT_LEN, SS_TIMEOUT_MS);
	m->t1 = now_ns();
	return err;
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

/* One line of `ss -o`, set beside sock_diag's timer of the same socket. */
static int timer_line(char *line, void *arg)
{
	struct mixlab *m = arg;
	struct ss_agrees_fig *f = m->fig;
	struct ss_timer_line t;
	int i = 0, err;

	if (!line[strspn(line, " ")])
		return 0;
	err = ss_parse_timer_line(line, &t);
	while (!err && i < f->ntw && (strcmp(t.local, m->tw_local[i]) || strcmp(t.peer, m->tw_peer[i])))
		i++;
	if (!err && i == f->ntw)
		f->timer_unmatched++;
	else if (!err)
		f->timer[f->ntimer++] = (struct ss_timer_pair){ f->tw[i].expires_ms, t.ms, t.quantum };
	return err;
}

/* ss's view: the article's command lines, then the timers. */
static int read_ss(struct mixlab *m, struct tw_result *r)
{
	struct ss_agrees_fig *f = m->fig;
	const struct { const char *cmd; long *n; } counts[] = {
		{ SS_TW_WC, &f->wc }, { SS_TW_WC_H, &f->wc_h }, { SS_TW_PORT, &f->port },
	};
	char out[OUT_LEN];
	int err = 0;

	for (int i = 0; i < 3 && !err; i++)
		err = run_ss_count(m, counts[i].cmd, counts[i].n);
	err = err ?: run_ss(m, SS_STATES, out) ?: ss_parse_histogram(out, f->hist);
	err = err ?: run_ss(m, SS_PEERS, out);
	if (!err && (f->ngot = ss_parse_uniq(out, f->got, SS_AGREES_MAX_KEYS)) < 0)
		err = f->ngot;
	if (!err) {
		err = run_ss(m, SS_TIMERS, out) ?: ss_each_line(out, timer_line, m);
		f->timer_between_lo = ns_to_ms(m->t0 - m->dump1);
		f->timer_between_hi = ns_to_ms(m->t1 - m->dump0);
	}
	f->between_lo = ns_to_ms(m->ss0 - m->dump1);
	f->between_hi = ns_to_ms(m->t1 - m->dump0);
	return err ? tw_error(r, err, "%s", m->cmd) : 0;
}

static int ss_agrees(struct lab *lab, const struct tw_params *p, struct tw_result *r)
{
	struct ss_agrees_fig fig = { .hz = lab->kernel->hz };
	struct mixlab m = { .lab = lab, .fx = p->fx, .family = p->family, .fig = &fig };
	int err;

	err = build_mix(&m) ?: observe(&m);
	if (err)
		err = tw_error(r, err, "building the socket mix");
	/* the experiment is the mix: sock_diag must list it before ss is asked */
	for (int s = 1; s < TCP_NSTATES && !err; s++)
		if (fig.have[s] != m.want[s])
			err = tw_error(r, -EPROTO, "sock_diag sees %u %s sockets, the mix has %u",
				       fig.have[s], tcp_state_name(s), m.want[s]);
	err = err ?: read_ss(&m, r);
	if (!err)
		ss_agrees_judge(&fig, r);
	for (int i = 0; i < m.nfds; i++)
		close(m.fds[i]);
	return err;
}
