/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The article's claims as ../shared/reference/claims.md lists them: an ID
 * and a one-line paraphrase, compiled in so that a report names each
 * claim without the reference folder at hand.
 */
#ifndef TWLAB_CLAIMS_H
#define TWLAB_CLAIMS_H

struct claim_info {
	const char *id;		/* "A05r" */
	const char *text;	/* the paraphrase */
};

int claims_count(void);
const struct claim_info *claim_at(int i);
/* The claim's place in claims.md, or -1 for an ID twlab does not know. */
int claim_index(const char *id);

#endif
