/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One verdict per claim, rolled up from its sub-claims by the rule in
 * docs/claims.md:
 *
 *   refuted if any conclusive sub-claim refutes; else refined if any
 *   refines; else confirmed if any confirms; with none conclusive,
 *   inconclusive if any is, else not applicable.
 *
 * The verdict that decides names the one figure a reader needs.
 */
#ifndef TWLAB_SCORECARD_H
#define TWLAB_SCORECARD_H

#include <stdio.h>

#include "expand.h"

#define SCORECARD_MAX	32	/* claims in the table, with room */

struct claim_score {
	const char *claim;		/* "A02" */
	enum tw_verdict_kind kind;	/* V_NKINDS: nothing the run measured judged it */
	const struct tw_instance *in;	/* the deciding verdict's instance (scorecard_build) */
	int src;			/* its index among the sources; -1 with V_NKINDS */
	const struct tw_verdict *v;	/* the deciding verdict, NULL with V_NKINDS */
	int count[V_NKINDS];		/* verdicts of each kind behind it */
};

/*
 * What the roll-up reads of an instance: the same for a live run's
 * tw_instance and for a report's instance loaded from JSON.
 */
struct score_src {
	const char *claims;		/* its case's "A01 A09"; NULL where unknown */
	const char *name;		/* the instance's */
	const struct tw_result *r;
};

/* The verdict @a roll-up prefers: -1, 0, 1 as @a ranks below, as, above @b. */
int scorecard_rank(enum tw_verdict_kind a, enum tw_verdict_kind b);
/*
 * Score every claim that the cases of @in check, in the order of the
 * claims table.  Instances that broke (error) judge nothing.  Returns the
 * count filled into @out, -E2BIG or -ENOMEM.
 */
int scorecard_build(const struct tw_instance *in, int n, struct claim_score *out, int max);
/*
 * The roll-up of @claim's verdicts over @src -- or, with @subclaim, of that
 * sub-claim's alone (matched by scorecard_key()): the same rule either way.
 */
void scorecard_roll(const struct score_src *src, int n, const char *claim,
		    const char *subclaim, struct claim_score *s);
/* What matches a verdict across runs: its sub-claim ID; its text only where it has none. */
const char *scorecard_key(const struct tw_verdict *v);
void scorecard_ktap(FILE *f, const struct claim_score *s, int n);
/* Build and print: what `twlab run` ends with. */
void scorecard_print(FILE *f, const struct tw_instance *in, int n);

#endif
