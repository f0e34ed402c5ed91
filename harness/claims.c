// SPDX-License-Identifier: GPL-2.0
/*
 * Look-ups in the claims of docs/claims.md and the facts of
 * docs/kernel-facts.md, whose tables tools/docs2c.awk generates.
 */
#include <string.h>

#include "claims_gen.h"

int claims_count(void)
{
	return gen_claims_count;
}

const struct claim_info *claim_at(int i)
{
	return i >= 0 && i < gen_claims_count ? &gen_claims[i] : NULL;
}

int claim_index(const char *id)
{
	for (int i = 0; i < gen_claims_count; i++)
		if (!strcmp(gen_claims[i].id, id))
			return i;
	return -1;
}

int facts_count(void)
{
	return gen_facts_count;
}

const struct fact_info *fact_at(int i)
{
	return i >= 0 && i < gen_facts_count ? &gen_facts[i] : NULL;
}

int fact_index(const char *id)
{
	for (int i = 0; i < gen_facts_count; i++)
		if (!strcmp(gen_facts[i].id, id))
			return i;
	return -1;
}
