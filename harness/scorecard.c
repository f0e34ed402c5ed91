// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "claims.h"
#include "ktap.h"
#include "registry.h"
#include "scorecard.h"

/* Roll-up order: a refutation outweighs a refinement outweighs a confirmation. */
static int weight(enum tw_verdict_kind k)
{
	switch (k) {
	case V_REFUTED:		return 5;
	case V_REFINED:		return 4;
	case V_CONFIRMED:	return 3;
	case V_INCONCLUSIVE:	return 2;
	case V_NA:		return 1;
	default:		return 0;
	}
}

int scorecard_rank(enum tw_verdict_kind a, enum tw_verdict_kind b)
{
	return (weight(a) > weight(b)) - (weight(a) < weight(b));
}

const char *scorecard_key(const struct tw_verdict *v)
{
	return v->id[0] ? v->id : v->what;
}

void scorecard_roll(const struct score_src *src, int n, const char *claim,
		    const char *subclaim, struct claim_score *s)
{
	*s = (struct claim_score){ .claim = claim, .kind = V_NKINDS, .src = -1 };
	for (int i = 0; i < n; i++) {
		const struct tw_result *r = src[i].r;

		if (r->outcome == R_ERROR)
			continue;
		for (int j = 0; j < r->nverdicts; j++) {
			const struct tw_verdict *v = &r->v[j];

			if (strcmp(v->claim, claim) || v->kind >= V_NKINDS ||
			    (subclaim && strcmp(scorecard_key(v), subclaim)))
				continue;
			s->count[v->kind]++;
			/* the first of the heaviest decides: run order is stable */
			if (s->kind == V_NKINDS || scorecard_rank(v->kind, s->kind) > 0) {
				s->kind = v->kind;
				s->src = i;
				s->v = v;
			}
		}
	}
}

int scorecard_build(const struct tw_instance *in, int n, struct claim_score *out, int max)
{
	struct score_src *src = calloc(n ?: 1, sizeof(*src));
	int filled = 0;

	if (!src)
		return -ENOMEM;
	for (int i = 0; i < n; i++)
		src[i] = (struct score_src){ in[i].c->claims, in[i].name, &in[i].r };
	for (int c = 0; c < claims_count(); c++) {
		const char *id = claim_at(c)->id;
		bool run = false;

		for (int i = 0; i < n && !run; i++)
			run = claims_has(src[i].claims, id);
		if (!run)
			continue;
		if (filled == max) {
			filled = -E2BIG;
			break;
		}
		scorecard_roll(src, n, id, NULL, &out[filled]);
		out[filled].in = out[filled].src >= 0 ? &in[out[filled].src] : NULL;
		filled++;
	}
	free(src);
	return filled;
}

void scorecard_ktap(FILE *f, const struct claim_score *s, int n)
{
	char m[96];

	fprintf(f, "# Scorecard: each claim's verdict by the roll-up of docs/claims.md, the sub-claim = figure that decides it, in which instance [fact]\n");
	for (int i = 0; i < n; i++) {
		const struct tw_verdict *v = s[i].v;

		if (!v) {
			fprintf(f, "# %-4s not judged: no instance of its cases gave a verdict\n",
				s[i].claim);
			continue;
		}
		fprintf(f, "# %-4s %-14s %s = %s in %s [%s]\n", s[i].claim,
			tw_verdict_name(s[i].kind), scorecard_key(v),
			ktap_measured(v, m, sizeof(m)), s[i].in->name, v->fact);
	}
	fflush(f);
}

void scorecard_print(FILE *f, const struct tw_instance *in, int n)
{
	struct claim_score s[SCORECARD_MAX];
	int ns = scorecard_build(in, n, s, SCORECARD_MAX);

	if (ns > 0)
		scorecard_ktap(f, s, ns);
}
