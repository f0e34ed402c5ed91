// SPDX-License-Identifier: GPL-2.0
/*
 * The claims and kernel facts twlab knows, for the manual's CLAIMS AND
 * FACTS section: "A<TAB>ID<TAB>title" per claim, then "K<TAB>ID<TAB>title"
 * per fact.  They come from the tables `twlab explain` prints (docs/claims.md
 * and docs/kernel-facts.md, compiled in), so the manual cannot drift from it.
 */
#include <stdio.h>

#include "claims.h"

int main(void)
{
	for (int i = 0; i < claims_count(); i++)
		if (printf("A\t%s\t%s\n", claim_at(i)->id, claim_at(i)->text) < 0)
			return 1;
	for (int i = 0; i < facts_count(); i++)
		if (printf("K\t%s\t%s\n", fact_at(i)->id, fact_at(i)->title) < 0)
			return 1;
	return fflush(stdout) ? 1 : 0;
}
