/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What a case is, what it is given, and what it gives back.
 *
 * A case measures and fills verdicts; it never prints.  The runner gives
 * it a lab whose hosts already carry the instance's sysctls; reporters
 * format what it filled.
 */
#ifndef TWLAB_CASE_H
#define TWLAB_CASE_H

#include <math.h>
#include <stdbool.h>

#include "judge.h"
#include "lab.h"
#include "sockview.h"

struct capture;
struct impair;

#define TW_MAX_VARY	6	/* sysctls one instance sets */
#define TW_MAX_VALUES	8	/* values per sysctl */
#define TW_MAX_VERDICTS	16
#define TW_REASON_LEN	256
#define TW_PATH_LEN	512
#define TW_MAX_LISTEN	4	/* listeners one case declares */

enum tw_need {
	NEED_SS		= 1 << 1,	/* iproute2's ss, for cross-checks */
	NEED_CAPTURE	= 1 << 2,	/* reads segments from the instance's capture */
	NEED_MACHINE_EHASH = 1 << 3,	/* its lab shares the machine's established hash, as by default */
	NEED_IMPAIR	= 1 << 4,	/* an impairment on the client's egress: tw_fixture.impair */
};

/* A set of lab hosts, for the fixture's declarations: HOST(LAB_CLIENT) | ... */
#define HOST(role)	(1u << (role))

enum tw_verdict_kind {
	V_CONFIRMED, V_REFUTED, V_REFINED, V_NA, V_INCONCLUSIVE, V_NKINDS
};
enum tw_outcome { R_PASS, R_FAIL, R_SKIP, R_ERROR, R_INCONCLUSIVE, R_NOUTCOMES };

/*
 * One sub-claim set against one measurement, as judge.h's rule decides
 * it.  @measured is the median of @n samples from @min to @max (a search
 * bound (@min, @max] with @bounds); each sample's truth lies within
 * -@below/+@above of it (the largest of those seen).  @lo, @hi repeat
 * the kernel window's ends for readers of the window alone.
 */
struct tw_verdict {
	char id[40];		/* sub-claim ID, "A02.tw_lifetime" */
	char claim[8];
	char fact[8];
	enum tw_verdict_kind kind;
	enum tw_rel krel;	/* the figure against the kernel's window */
	char what[96];
	double measured, lo, hi, min, max;
	double below, above;
	int n;
	bool bounds;
	struct tw_window art, kern;
	char unit[12];
	char evidence[320];
};

/*
 * pass: the kernel did what its source predicts (whatever that says of
 * the article); fail: it did not; skip: a feature it needs is missing;
 * error: the experiment itself broke (lab, timeout, crash); inconclusive:
 * the observer's uncertainty reaches across an edge a verdict turns on.
 */
struct tw_result {
	enum tw_outcome outcome;
	char reason[TW_REASON_LEN];
	double wall_s;
	char pcap[TW_PATH_LEN];		/* the instance's capture, "" if none */
	unsigned int pcap_packets;
	char impair[16];		/* "netem", "nft": what impaired its link; "" none */
	int nverdicts;
	struct tw_verdict v[TW_MAX_VERDICTS];
};

struct tw_sysctl {
	const char *key;
	const char *val;
	bool optional;		/* from a tw_vary marked optional */
	bool first;		/* the first of its values */
};

/*
 * A listener the runner opens for a case before it runs, with a backlog
 * of SOMAXCONN (lib/conn.c), and closes after: on the host's own address
 * of the instance's family, on the wildcard address (@any), or on its
 * loopback address (@loopback).
 */
struct tw_listen {
	uint16_t port;		/* 0: no listener */
	enum lab_role host;
	bool any;
	bool loopback;
};
#define LISTEN(port_)			{ .port = (port_), .host = LAB_SERVER }
#define LISTEN_ANY(port_)		{ .port = (port_), .host = LAB_SERVER, .any = true }
#define LISTEN_LOOPBACK(role, port_)	{ .port = (port_), .host = (role), .loopback = true }

/*
 * What the runner builds from a case's declaration before run() and tears
 * down after it, on one path, whatever run() returned (harness/fixture.c).
 * A case uses these; it never closes them.
 */
struct tw_fixture {
	struct sockview sv[LAB_MAX_HOSTS];	/* sock_diag on each host in .views */
	int lfd[TW_MAX_LISTEN];			/* .listen[i]'s socket, or -1 */
	struct endpoint listen[TW_MAX_LISTEN];	/* and its address */
	struct impair *impair;			/* NEED_IMPAIR: the client's egress */
	/*
	 * The client's lab link, into the instance's pcap (NULL without one);
	 * the links of the hosts in .captures, in memory only.
	 */
	struct capture *capture[LAB_MAX_HOSTS];
};

/* What an instance is given besides its lab. */
struct tw_params {
	int family;
	int nset;
	struct tw_sysctl set[TW_MAX_VARY];
	int quiet;		/* the run's one "quiet" lock: see tw_quiet_begin() */
	struct tw_fixture *fx;	/* the case's fixture, built by the runner */
};

/*
 * A sysctl a case varies.  An optional one is varied where the kernel has
 * it; where it does not, the instance at its first value runs without
 * it and the others SKIP, so the kernel's fixed behaviour is measured once.
 */
struct tw_vary {
	const char *key;
	const char *values[TW_MAX_VALUES];	/* NULL-terminated */
	bool optional;
};

struct tw_case {
	const char *name;
	const char *summary;
	const char *claims;		/* "A01 A09" */
	struct tw_vary vary[TW_MAX_VARY];
	unsigned int needs;		/* enum tw_need */
	enum lab_shape shape;		/* the lab it runs in: LAB_PAIR unless set */
	/* its fixture (struct tw_fixture) */
	unsigned int views;		/* HOST()s to watch over sock_diag */
	struct tw_listen listen[TW_MAX_LISTEN];
	unsigned int captures;		/* HOST()s whose lab link is captured besides the client's */
	int time_limit_s;
	int (*run)(struct lab *lab, const struct tw_params *p, struct tw_result *r);
};

void registry_add(const struct tw_case *c);

/*
 * Adding a case is adding a file: it registers itself before main().  The
 * declaration heads the file, after the method, and names its run() ahead.
 */
#define TW_CASE(fn, ...)						\
	static int fn(struct lab *lab, const struct tw_params *p, struct tw_result *r); \
	static const struct tw_case tw_case_##fn = {			\
		.name = #fn, .run = fn, __VA_ARGS__			\
	};								\
	static void __attribute__((constructor)) tw_register_##fn(void)	\
	{								\
		registry_add(&tw_case_##fn);				\
	}

/* For cases. */
const char *tw_param(const struct tw_params *p, const char *key);

/*
 * Judge @n samples of sub-claim @sc against the article's and the
 * kernel's windows (judge.h), add the verdict to @r and fold its result
 * into @r->outcome.  Returns the verdict for evidence.
 */
struct tw_verdict *tw_judge(struct tw_result *r, const struct tw_subclaim *sc,
			    struct tw_window article, struct tw_window kernel,
			    const struct tw_sample *s, int n);
/* One figure, known to within -@below/+@above. */
struct tw_verdict *tw_judge_one(struct tw_result *r, const struct tw_subclaim *sc,
				struct tw_window article, struct tw_window kernel,
				double x, double below, double above);
/* One figure known exactly (a count, a yes/no as 1/0), and its evidence. */
struct tw_verdict *tw_judge_exact(struct tw_result *r, const struct tw_subclaim *sc,
				  struct tw_window article, struct tw_window kernel, double x,
				  const char *fmt, ...) __attribute__((format(printf, 6, 7)));
/* A search narrowed the figure to (@lo, @hi] in @probes probes. */
struct tw_verdict *tw_judge_bounds(struct tw_result *r, const struct tw_subclaim *sc,
				   struct tw_window article, struct tw_window kernel,
				   double lo, double hi, int probes);
/*
 * A verdict of @kind with no figure, why in evidence: V_NA, the feature
 * the sub-claim is about is absent from this kernel (tw_judge_na());
 * V_INCONCLUSIVE, undecidable from what was observed, such as a capture
 * that missed it (tw_judge_undecided()).
 */
struct tw_verdict *tw_judge_said(struct tw_result *r, const struct tw_subclaim *sc,
				 enum tw_verdict_kind kind, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
#define tw_judge_na(r, sc, ...)		tw_judge_said(r, sc, V_NA, __VA_ARGS__)
#define tw_judge_undecided(r, sc, ...)	tw_judge_said(r, sc, V_INCONCLUSIVE, __VA_ARGS__)
/* The pure rule, for unit tests and reporters. */
enum tw_verdict_kind tw_rule(const struct tw_window *article, const struct tw_window *kernel,
			     const struct tw_sample *s, int n, enum tw_rel *krel);
void tw_evidence(struct tw_verdict *v, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* "; "-separated, to @r's reason, whatever its outcome. */
void tw_reason_add(struct tw_result *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int tw_fail(struct tw_result *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int tw_error(struct tw_result *r, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * A measurement that needs the CPU (a connect rate) or reads machine-wide
 * figures (slab counts) takes the run's single quiet lock, so that no two
 * such measurements overlap; waits elsewhere go on meanwhile.  It returns
 * a token for tw_quiet_end(), or -ETIMEDOUT when the lock does not come
 * within @timeout_ms.  An instance that dies holding it lets it go.
 */
int tw_quiet_begin(const struct tw_params *p, int timeout_ms);
void tw_quiet_end(int token);

const char *tw_verdict_name(enum tw_verdict_kind k);
const char *tw_outcome_name(enum tw_outcome o);

#endif
