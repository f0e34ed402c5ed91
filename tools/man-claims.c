// SPDX-License-Identifier: GPL-2.0
/*
 * The claims twlab knows, "ID<TAB>text" per line, for the manual's CLAIMS
 * AND FACTS section: from harness/claims.c, the table every report and
 * verdict names them from, so that the manual cannot drift from it.
 */
#include <stdio.h>

#include "claims.h"

int main(void)
{
	for (int i = 0; i < claims_count(); i++) {
		const struct claim_info *c = claim_at(i);

		if (printf("%s\t%s\n", c->id, c->text) < 0)
			return 1;
	}
	return fflush(stdout) ? 1 : 0;
}
