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
#define MAX_KEYS	SS_AGREES_MAX_KEYS
#define MAX_TW		SS_AGREES_MAX_TW

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
/* Not the article's: the TIME_WAIT timers, set against sock_diag's. */
#define SS_TIMERS	"ss -Htano state time-wait"

#define MIX_PORT_BASE	20000	/* below ip_local_port_range: no ephemeral port meets it */

struct mixlab {
	struct lab *lab;
	struct sockview sv;
	int family;
	int fds[MAX_FDS];
	int nfds;
	unsigned int want[TCP_NSTATES];		/* the mix as built */
	struct ss_agrees_fig *fig;
	char tw_local[MAX_TW][ENDPOINT_STRLEN];	/* fig->tw[i]'s ends, as ss prints them */
	char tw_peer[MAX_TW][ENDPOINT_STRLEN];
	char addr[MAX_KEYS][INET6_ADDRSTRLEN];	/* distinct :443 peer addresses */
	int err;
	unsigned int nconn;			/* connections made: each from MIX_PORT_BASE + its number */
	int64_t dump0, dump1;			/* the dump ran within these */
	int64_t ss0, ss1;			/* the first ss began, the last ended */
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

		for (int k = 0; k < x->n; k++) {
			int cfd, sfd;

			/*
			 * A port of its own: an ephemeral one may come round again,
			 * and its SYN would take over the server's TIME_WAIT on that
			 * 4-tuple (K05) -- one TIME_WAIT short of the mix.
			 */
			lab_endpoint(m->lab, LAB_CLIENT, x->peer, m->family,
				     MIX_PORT_BASE + m->nconn++, &src);
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
	}
	return 0;
}

/*
 * What the article's peer one-liner must print, worked out from sock_diag:
 * "peer local" per socket on :443, ports stripped by its sed.
 */
static int predict_peer(struct mixlab *m, const struct sv_sock *s)
{
	char peer[ENDPOINT_STRLEN], local[ENDPOINT_STRLEN], line[SS_KEY_LEN], key[SS_KEY_LEN];
	struct ss_agrees_fig *f = m->fig;
	char addr[INET6_ADDRSTRLEN];
	int n;

	snprintf(line, sizeof(line), "%s %s", endpoint_fmt(&s->t.dst, peer, sizeof(peer)),
		 endpoint_fmt(&s->t.src, local, sizeof(local)));
	ss_sed_strip_ports(line, key, sizeof(key));
	n = ss_uniq_add(f->want, f->nwant, MAX_KEYS, key, 1);
	if (n < 0)
		return n;
	if (n > f->nwant)
		f->want_listen[f->nwant] = s->state == TCP_LISTEN;
	f->nwant = n;
	if (s->state == TCP_LISTEN)
		return 0;
	addr_fmt(s->t.dst.family, &s->t.dst.addr, addr, sizeof(addr));
	for (int i = 0; i < f->naddr; i++)
		if (!strcmp(m->addr[i], addr))
			return 0;
	if (f->naddr == MAX_KEYS)
		return -E2BIG;
	memcpy(m->addr[f->naddr++], addr, sizeof(addr));
	return 0;
}

static int observe_one(const struct sv_sock *s, void *arg)
{
	struct mixlab *m = arg;
	struct ss_agrees_fig *f = m->fig;
	int i = f->ntw;

	f->have[s->state]++;
	if (s->state == TCP_TIME_WAIT) {
		if (i == MAX_TW)
			return m->err = -E2BIG;
		f->tw[i] = (struct ss_tw_seen){ s->expires_ms, s->t.src.port == PORT_HTTPS };
		endpoint_fmt(&s->t.src, m->tw_local[i], sizeof(m->tw_local[i]));
		endpoint_fmt(&s->t.dst, m->tw_peer[i], sizeof(m->tw_peer[i]));
		f->ntw++;
	}
	if (s->t.src.port == PORT_HTTPS)
		m->err = predict_peer(m, s);
	return m->err;
}

/* sock_diag's view, in one dump, and when it was taken. */
static int observe(struct mixlab *m)
{
	int err;

	m->dump0 = now_ns();
	err = sockview_dump(&m->sv, m->family, TCPF_ALL, observe_one, m);
	m->dump1 = now_ns();
	return err ?: m->err;
}

/* Run @cmd in the server's namespace; (*@t0, *@t1] brackets it, when not NULL. */
static int run_ss(struct mixlab *m, const char *cmd, char *out, int64_t *t0, int64_t *t1)
{
	int64_t begin = now_ns();
	int status = ns_run(&m->lab->host[LAB_SERVER].ns, cmd, out, OUT_LEN, SS_TIMEOUT_MS);
	int64_t end = now_ns();

	if (!m->ss0)
		m->ss0 = begin;
	m->ss1 = end;
	if (t0)
		*t0 = begin;
	if (t1)
		*t1 = end;
	if (status < 0)
		return status;
	return status ? -ECHILD : 0;
}

static int run_ss_count(struct mixlab *m, const char *cmd, long *n)
{
	char out[OUT_LEN], *end;
	int err = run_ss(m, cmd, out, NULL, NULL);

	if (err)
		return err;
	*n = strtol(out, &end, 10);
	return end == out ? -EINVAL : 0;
}

static int timer_line(char *line, void *arg)
{
	struct mixlab *m = arg;
	struct ss_agrees_fig *f = m->fig;
	struct ss_timer_line t;
	int err;

	if (!line[strspn(line, " ")])
		return 0;
	err = ss_parse_timer_line(line, &t);
	if (err)
		return err;
	for (int i = 0; i < f->ntw; i++) {
		if (strcmp(t.local, m->tw_local[i]) || strcmp(t.peer, m->tw_peer[i]))
			continue;
		f->timer[f->ntimer++] = (struct ss_timer_pair){
			.sd = f->tw[i].expires_ms, .ss = t.ms, .quantum = t.quantum,
		};
		return 0;
	}
	f->timer_unmatched++;
	return 0;
}

static int read_timers(struct mixlab *m)
{
	struct ss_agrees_fig *f = m->fig;
	char out[OUT_LEN];
	int64_t t0, t1;
	int err;

	err = run_ss(m, SS_TIMERS, out, &t0, &t1);
	if (!err)
		err = ss_each_line(out, timer_line, m);
	f->timer_between_lo = ns_to_ms(t0 - m->dump1);
	f->timer_between_hi = ns_to_ms(t1 - m->dump0);
	return err;
}

/* ss's view: the article's command lines, then the timers. */
static int read_ss(struct mixlab *m, struct tw_result *r)
{
	struct ss_agrees_fig *f = m->fig;
	char out[OUT_LEN];
	const char *what;
	int err;

	what = SS_TW_WC;
	err = run_ss_count(m, SS_TW_WC, &f->wc) ?: run_ss_count(m, SS_TW_WC_H, &f->wc_h);
	if (!err) {
		what = SS_TW_PORT;
		err = run_ss_count(m, SS_TW_PORT, &f->port);
	}
	if (!err) {
		what = SS_STATES;
		err = run_ss(m, SS_STATES, out, NULL, NULL) ?: ss_parse_histogram(out, f->hist);
	}
	if (!err) {
		what = SS_PEERS;
		err = run_ss(m, SS_PEERS, out, NULL, NULL);
		f->ngot = err ? 0 : ss_parse_uniq(out, f->got, MAX_KEYS);
		if (f->ngot < 0)
			err = f->ngot;
	}
	if (!err) {
		what = SS_TIMERS;
		err = read_timers(m);
	}
	f->between_lo = ns_to_ms(m->ss0 - m->dump1);
	f->between_hi = ns_to_ms(m->ss1 - m->dump0);
	return err ? tw_error(r, err, "%s", what) : 0;
}

static int ss_agrees(struct lab *lab, const struct tw_params *p, struct tw_result *r)
{
	struct mixlab *m = calloc(1, sizeof(*m));
	struct ss_agrees_fig *fig = calloc(1, sizeof(*fig));
	int err = -ENOMEM;

	if (!m || !fig)
		goto out;
	*m = (struct mixlab){ .lab = lab, .family = p->family, .fig = fig };
	fig->hz = lab->kernel->hz;
	fig->version = lab->kernel->version;
	err = sockview_open(&m->sv, &lab->host[LAB_SERVER].ns);
	if (!err)
		err = build_mix(m);
	if (!err)
		err = observe(m);
	if (err) {
		tw_error(r, err, "building the socket mix");
		goto out;
	}
	/* the experiment is the mix: sock_diag must list it before ss is asked */
	for (int s = 1; s < TCP_NSTATES; s++)
		if (fig->have[s] != m->want[s])
			tw_error(r, -EPROTO, "sock_diag sees %u %s sockets, the mix has %u",
				 fig->have[s], tcp_state_name(s), m->want[s]);
	err = read_ss(m, r);
	if (!err)
		ss_agrees_judge(fig, r);
out:
	for (int i = 0; m && i < m->nfds; i++)
		close(m->fds[i]);
	if (m)
		sockview_close(&m->sv);
	free(fig);
	free(m);
	return err;
}

TW_CASE(ss_agrees,
	.summary = "twlab's sock_diag counts against ss and the article's one-liners",
	.claims = "A08",
	.needs = NEED_SOCK_DIAG | NEED_SS,
	.time_limit_s = 30);
