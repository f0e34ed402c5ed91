/* SPDX-License-Identifier: GPL-2.0 */
/*
 * From cases to instances: every address family times the cross product
 * of the sysctl values a case varies, each instance in a lab of its own.
 */
#ifndef TWLAB_EXPAND_H
#define TWLAB_EXPAND_H

#include "case.h"
#include "sysctl_spec.h"

#define INSTANCE_NAME_LEN 160

struct tw_instance {
	const struct tw_case *c;
	struct tw_params p;
	char name[INSTANCE_NAME_LEN];	/* "tw_duration.ipv4.tcp_fin_timeout=5" */
	unsigned int lab_id;
	struct tw_result r;
};

/* Instances of one case: how many there will be. */
int expand_count(const struct tw_case *c, int nfamilies);
/*
 * Fills @out with the instances of @cases, the command line's --set
 * overrides @ov (may be NULL) applied to each; returns the count, or
 * -E2BIG when it would pass @max.
 */
int expand_instances(const struct tw_case *const *cases, int ncases,
		     const int *families, int nfamilies,
		     const struct tw_override *ov, int nov,
		     struct tw_instance *out, int max);

#endif
