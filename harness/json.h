/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Results as JSON (jansson): the one format that crosses from a case's
 * process to the harness, and the one that --json writes.
 */
#ifndef TWLAB_JSON_H
#define TWLAB_JSON_H

#include <jansson.h>

#include "matrix.h"

struct kernel_info;

json_t *result_to_json(const struct tw_result *r);
int result_from_json(const json_t *j, struct tw_result *r);
json_t *instance_to_json(const struct tw_instance *in);
json_t *run_to_json(const struct kernel_info *k, const char *started, double wall_s,
		    const struct tw_instance *in, int n);
int run_write_json(const char *path, const struct kernel_info *k, const char *started,
		   double wall_s, const struct tw_instance *in, int n);

#endif
