/* SPDX-License-Identifier: GPL-2.0 */
#ifndef TWLAB_EXPLAIN_H
#define TWLAB_EXPLAIN_H

#include <stdio.h>

/*
 * twlab explain [ID...]: each claim's (A01) or kernel fact's (K08) entry
 * on @out, as docs/claims.md and docs/kernel-facts.md have it, or what a
 * sub-claim (A02.tw_lifetime, harness/judge.h) measures; with no ID,
 * every ID and its title.  Returns the exit status: 0, or 2 after one line
 * on @err naming the first ID twlab does not know (then nothing is printed).
 */
int explain_main(const char *const *ids, int n, FILE *out, FILE *err);

/*
 * twlab list --claims: every sub-claim registered (judge.h), in the
 * claims' order, with its unit, kernel fact and the article's prediction.
 */
void explain_subclaims(FILE *out);

#endif
