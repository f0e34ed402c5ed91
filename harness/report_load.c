// SPDX-License-Identifier: GPL-2.0
/*
 * One `twlab run --json` file into a rep_run, every field checked for its
 * type first: the files come from other machines and other versions of
 * twlab, and a report must say which file is wrong, where and how, in
 * one line -- never crash on it or quietly print a hole.
 *
 * Strings are borrowed from the parsed JSON, which the run keeps.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

static int params_check(const struct json_in *x, const char *where, json_t *params)
{
	const char *key;
	json_t *v;

	json_object_foreach(params, key, v)
		if (!json_is_string(v))
			return json_bad(x, where, "params.%s is %s, not a string", key, json_type_name(v));
	return 0;
}

static int instance_load(const struct json_in *x, int i, json_t *j, struct rep_instance *in)
{
	static const char *const keys[] = { "case", "name", "family", "params", NULL };
	char where[64];
	int err;

	snprintf(where, sizeof(where), "instances[%d]", i);
	err = json_result_read(x, where, j, &in->r) ?:
	      json_require(x, where, j, keys) ?:
	      json_get_string(x, where, j, "case", true, &in->kase) ?:
	      json_get_string(x, where, j, "name", true, &in->name) ?:
	      json_get_string(x, where, j, "family", true, &in->family) ?:
	      json_get_object(x, where, j, "params", &in->params);
	return err ?: params_check(x, where, in->params);
}

static int kernel_load(const struct json_in *x, json_t *root, struct rep_run *run)
{
	json_t *k = json_object_get(root, "kernel"), *hz;
	const char *key;
	json_t *v;
	int err;

	if (!json_is_object(k))
		return json_bad(x, "", "'kernel' is %s, not an object",
			   k ? json_type_name(k) : "missing");
	err = json_get_string(x, "kernel", k, "release", true, &run->release) ?:
	      json_get_string(x, "kernel", k, "hz_source", false, &run->hz_source) ?:
	      json_get_object(x, "kernel", k, "defaults", &run->defaults) ?:
	      json_get_string(x, "", root, "started", false, &run->started) ?:
	      json_get_figure(x, "", root, "wall_s", &run->wall_s);
	if (err)
		return err;
	if (!*run->release)
		return json_bad(x, "kernel", "'release' is empty");
	hz = json_object_get(k, "hz");
	if (hz && !json_is_null(hz) && (err = json_get_count(x, "kernel", k, "hz", &run->hz)))
		return err;
	json_object_foreach(run->defaults, key, v)
		if (!json_is_string(v) && !json_is_null(v))
			return json_bad(x, "kernel", "defaults.%s is %s, not a string or null",
				   key, json_type_name(v));
	return 0;
}

static int run_load(const struct json_in *x, json_t *root, struct rep_run *run)
{
	static const char *const run_keys[] = { "kernel", "started", "wall_s", "instances",
						"claims", NULL };
	const char *schema;
	json_t *insts;
	int err;

	if (!json_is_object(root))
		return json_bad(x, "", "the top level is %s, not an object from 'twlab run --json'",
				json_type_name(root));
	if (!json_object_get(root, "schema"))
		return json_bad(x, "", "'schema' is missing: not from 'twlab run --json' of this "
				"version; rerun the suite with it");
	err = json_get_string(x, "", root, "schema", true, &schema);
	if (err)
		return err;
	if (strcmp(schema, JSON_SCHEMA))
		return json_bad(x, "", "'schema' is \"%s\", not \"%s\": written by another "
				"version of twlab; rerun the suite with this one", schema,
				JSON_SCHEMA);
	err = json_require(x, "", root, run_keys);
	if (err)
		return err;
	insts = json_object_get(root, "instances");
	if (!json_is_array(insts))
		return json_bad(x, "", "'instances' is %s, not an array", json_type_name(insts));
	err = kernel_load(x, root, run);
	if (err)
		return err;
	run->in = calloc(json_array_size(insts) ?: 1, sizeof(*run->in));	/* tw_result: large */
	if (!run->in)
		return -ENOMEM;
	run->ninst = json_array_size(insts);	/* all freed with the run, loaded or not */
	for (int i = 0; i < run->ninst; i++) {
		err = instance_load(x, i, json_array_get(insts, i), &run->in[i]);
		if (err)
			return err;
	}
	return 0;
}

static int load(const struct json_in *x, json_t *root, const json_error_t *jerr,
		struct rep_run *run)
{
	int err;

	memset(run, 0, sizeof(*run));
	run->path = x->path;
	if (!root)
		return json_bad(x, "", "not JSON: %s (line %d, column %d)", jerr->text,
			   jerr->line, jerr->column);
	run->root = root;
	err = run_load(x, root, run);
	if (err == -ENOMEM)
		snprintf(x->err, x->len, "%s: out of memory", x->path);
	if (err)
		report_run_free(run);
	return err;
}

int report_load_text(const char *path, const char *text, struct rep_run *run,
		     char *err, size_t len)
{
	const struct json_in x = { .path = path, .err = err, .len = len };
	json_error_t jerr;

	return load(&x, json_loads(text, 0, &jerr), &jerr, run);
}

int report_load(const char *path, struct rep_run *run, char *err, size_t len)
{
	const struct json_in x = { .path = path, .err = err, .len = len };
	json_error_t jerr;
	json_t *root;
	FILE *f;

	memset(run, 0, sizeof(*run));
	f = fopen(path, "r");
	if (!f) {
		int e = errno;

		snprintf(err, len, "%s: %s", path, strerror(e));
		return -e;
	}
	root = json_loadf(f, 0, &jerr);
	if (!root && ferror(f)) {
		int e = errno ?: EIO;

		fclose(f);
		snprintf(err, len, "%s: %s", path, strerror(e));
		return -e;
	}
	fclose(f);
	return load(&x, root, &jerr, run);
}

void report_run_free(struct rep_run *run)
{
	free(run->in);
	json_decref(run->root);
	memset(run, 0, sizeof(*run));
}
