/* SPDX-License-Identifier: GPL-2.0 */
#ifndef TWLAB_REGISTRY_H
#define TWLAB_REGISTRY_H

#include <stdbool.h>

#include "case.h"

#define REGISTRY_MAX	64

int registry_count(void);
const struct tw_case *registry_get(int i);	/* sorted by name */
const struct tw_case *registry_find(const char *name);
/* @claims ("A01 A09", NULL: none) names @claim as a whole word, in any case. */
bool claims_has(const char *claims, const char *claim);
bool case_has_claim(const struct tw_case *c, const char *claim);
bool is_claim_id(const char *s);

/*
 * Select the cases named by @filters (case names or claim IDs; none means
 * all).  Fills @out, returns how many, or -ENOENT with *@bad set to the
 * first filter that matched nothing.
 */
int registry_select(const char *const *filters, int nfilters,
		    const struct tw_case **out, int max, const char **bad);

#endif
