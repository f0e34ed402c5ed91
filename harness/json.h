/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Results as JSON (jansson): the one format that crosses from a case's
 * process to the harness, and the one that --json writes.
 */
#ifndef TWLAB_JSON_H
#define TWLAB_JSON_H

#include <stdbool.h>

#include <jansson.h>

#include "expand.h"

struct kernel_info;

/* Every results file says which shape it has: docs/result.schema.json. */
#define JSON_SCHEMA	"twlab-result/1"

json_t *result_to_json(const struct tw_result *r);
json_t *instance_to_json(const struct tw_instance *in);
json_t *run_to_json(const struct kernel_info *k, const char *started, double wall_s,
		    const struct tw_instance *in, int n);
int run_write_json(const char *path, const struct kernel_info *k, const char *started,
		   double wall_s, const struct tw_instance *in, int n);

/*
 * Reading: every field checked, a bad one named in one line in @err:
 * "<path>: <where>: <what is wrong>".  All return 0 or -EINVAL.
 */
struct json_in {
	const char *path;	/* the file, or "instance" for a case's pipe */
	char *err;
	size_t len;
};

int json_bad(const struct json_in *x, const char *where, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
const char *json_type_name(const json_t *j);
/* Every key of the NULL-ended @keys is in @obj, or the first missing one is named. */
int json_require(const struct json_in *x, const char *where, const json_t *obj,
		 const char *const *keys);
/* @key of @obj must be a string; absent or null is fine (then "") unless @required. */
int json_get_string(const struct json_in *x, const char *where, const json_t *obj,
		    const char *key, bool required, const char **out);
/* A figure: a number, or null (or absent) for none, read as NaN. */
int json_get_figure(const struct json_in *x, const char *where, const json_t *obj,
		    const char *key, double *out);
int json_get_count(const struct json_in *x, const char *where, const json_t *obj,
		   const char *key, int *out);
/* An object, or NULL in @out when absent or null. */
int json_get_object(const struct json_in *x, const char *where, const json_t *obj,
		    const char *key, json_t **out);
/* Exactly one of the names @name(0..@n-1), or a message listing them. */
int json_get_kind(const struct json_in *x, const char *where, const json_t *obj,
		  const char *key, const char *(*name)(int), int n, int *out);
int json_verdict_read(const struct json_in *x, const char *where, const json_t *v,
		      struct tw_verdict *out);
/* An instance's result: what result_to_json() wrote. */
int json_result_read(const struct json_in *x, const char *where, const json_t *j,
		     struct tw_result *r);

#endif
