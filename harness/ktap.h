/* SPDX-License-Identifier: GPL-2.0 */
/*
 * KTAP v1 (Documentation/dev-tools/ktap.rst), shaped like kselftest's:
 * diagnostics first, then the result line, then the Totals line.
 */
#ifndef TWLAB_KTAP_H
#define TWLAB_KTAP_H

#include <stdio.h>

#include "expand.h"

struct kernel_info;

struct ktap_totals {
	int count[R_NOUTCOMES];
};

void ktap_header(FILE *f, const struct kernel_info *k, int n);
void ktap_instance(FILE *f, int number, const struct tw_instance *in,
		   struct ktap_totals *t);
void ktap_footer(FILE *f, const struct ktap_totals *t);
/* "61010 ms (min 60123, max 62003, n=24)"; "(60000, 62052] ms" */
char *ktap_measured(const struct tw_verdict *v, char *buf, size_t len);
char *ktap_expected(const struct tw_verdict *v, char *buf, size_t len);

#endif
