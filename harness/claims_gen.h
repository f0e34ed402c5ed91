/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The tables that tools/docs2c.awk generates into $(BUILD)/gen/docs.c, in
 * the documents' order.  Only claims.c and the generated file see them.
 */
#ifndef TWLAB_CLAIMS_GEN_H
#define TWLAB_CLAIMS_GEN_H

#include "claims.h"

extern const struct claim_info gen_claims[];
extern const int gen_claims_count;
extern const struct fact_info gen_facts[];
extern const int gen_facts_count;
extern const struct subclaim_info gen_subclaims[];
extern const int gen_subclaims_count;

#endif
