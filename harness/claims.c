// SPDX-License-Identifier: GPL-2.0
/*
 * Look-ups in the claims of docs/claims.md and the facts of
 * docs/kernel-facts.md, whose tables tools/docs2c.awk generates.
 */
#include <string.h>

#include "claims_gen.h"

/* A generated table's three look-ups, by the names claims.h gives them. */
#define TABLE_CALLS(tab, type, count, at, find)				\
	int count(void)								\
	{									\
		return tab##_count;						\
	}									\
	const type *at(int i)							\
	{									\
		return i >= 0 && i < tab##_count ? &tab[i] : NULL;		\
	}									\
	int find(const char *id)						\
	{									\
		for (int i = 0; i < tab##_count; i++)				\
			if (!strcmp(tab[i].id, id))				\
				return i;					\
		return -1;							\
	}

TABLE_CALLS(gen_claims, struct claim_info, claims_count, claim_at, claim_index)
TABLE_CALLS(gen_facts, struct fact_info, facts_count, fact_at, fact_index)
TABLE_CALLS(gen_subclaims, struct subclaim_info, subclaim_infos_count, subclaim_info_at,
	    subclaim_info_index)
