/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The article's claims (docs/claims.md) and the kernel facts that the
 * expectations come from (docs/kernel-facts.md), compiled in from those
 * documents by tools/docs2c.awk, so that a report names each claim and
 * `twlab explain` prints each entry without the documents at hand.
 */
#ifndef TWLAB_CLAIMS_H
#define TWLAB_CLAIMS_H

struct claim_info {
	const char *id;		/* "A05r" */
	const char *text;	/* the entry's one-line title: a report row's text */
	const char *body;	/* the rest of the entry, Markdown */
};

struct fact_info {
	const char *id;		/* "K08" */
	const char *title;	/* one line */
	const char *body;	/* the rest of the entry, Markdown */
};

int claims_count(void);
const struct claim_info *claim_at(int i);
/* The claim's place in docs/claims.md, or -1 for an ID twlab does not know. */
int claim_index(const char *id);

/*
 * A sub-claim as its claim's "Sub-claims:" list gives it: what a judge's
 * TW_SUBCLAIM() (harness/judge.h) takes by ID.
 */
struct subclaim_info {
	const char *id;		/* "A02.tw_lifetime" */
	const char *unit;	/* "" for a count of nothing in particular */
	const char *fact;	/* the kernel fact its kernel window comes from */
	const char *what;	/* what is measured, for a person */
	const char *article;	/* the article's prediction, in its words */
};

int subclaim_infos_count(void);
const struct subclaim_info *subclaim_info_at(int i);
/* The sub-claim's place in the lists of docs/claims.md, or -1 for one they lack. */
int subclaim_info_index(const char *id);

int facts_count(void);
const struct fact_info *fact_at(int i);
/* The fact's place in docs/kernel-facts.md, or -1 for an ID twlab does not know. */
int fact_index(const char *id);

#endif
