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

struct ctx {
	const char *path;
	char *err;
	size_t len;
};

static int __attribute__((format(printf, 3, 4)))
bad(const struct ctx *x, const char *where, const char *fmt, ...)
{
	size_t off;
	va_list ap;

	snprintf(x->err, x->len, "%s: %s%s", x->path, where, *where ? ": " : "");
	off = strlen(x->err);
	va_start(ap, fmt);
	vsnprintf(x->err + off, x->len - off, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static const char *type_name(const json_t *j)
{
	switch (json_typeof(j)) {
	case JSON_OBJECT:	return "an object";
	case JSON_ARRAY:	return "an array";
	case JSON_STRING:	return "a string";
	case JSON_INTEGER:
	case JSON_REAL:		return "a number";
	case JSON_TRUE:		return "true";
	case JSON_FALSE:	return "false";
	default:		return "null";
	}
}

/* @key of @obj must be a string; absent is fine (then "") unless @required. */
static int get_string(const struct ctx *x, const char *where, const json_t *obj,
		      const char *key, bool required, const char **out)
{
	const json_t *j = json_object_get(obj, key);

	*out = "";
	if (!j && !required)
		return 0;
	if (!j)
		return bad(x, where, "'%s' is missing", key);
	if (!json_is_string(j))
		return bad(x, where, "'%s' is %s, not a string", key, type_name(j));
	*out = json_string_value(j);
	return 0;
}

static bool is_figure(const json_t *j)
{
	return json_is_number(j) || json_is_null(j);
}

static double figure(const json_t *j)
{
	return json_is_number(j) ? json_number_value(j) : NAN;
}

/* A figure: a number, or null (or absent) for none. */
static int get_figure(const struct ctx *x, const char *where, const json_t *obj,
		      const char *key, double *out)
{
	const json_t *j = json_object_get(obj, key);

	*out = figure(j);
	if (j && !is_figure(j))
		return bad(x, where, "'%s' is %s, not a number or null", key, type_name(j));
	return 0;
}

static int get_count(const struct ctx *x, const char *where, const json_t *obj,
		     const char *key, int *out)
{
	const json_t *j = json_object_get(obj, key);

	if (!json_is_integer(j) || json_integer_value(j) < 0 ||
	    json_integer_value(j) > INT32_MAX)
		return bad(x, where, "'%s' is %s, not a count", key, j ? type_name(j) : "missing");
	*out = json_integer_value(j);
	return 0;
}

static int get_object(const struct ctx *x, const char *where, const json_t *obj,
		      const char *key, json_t **out)
{
	json_t *j = json_object_get(obj, key);

	*out = NULL;
	if (!j || json_is_null(j))
		return 0;
	if (!json_is_object(j))
		return bad(x, where, "'%s' is %s, not an object", key, type_name(j));
	*out = j;
	return 0;
}

/* Exactly one of the names @name(0..@n-1), or a message listing them. */
static int get_kind(const struct ctx *x, const char *where, const json_t *obj,
		    const char *key, const char *(*name)(int), int n, int *out)
{
	char names[128] = "";
	const char *s;
	int err = get_string(x, where, obj, key, true, &s);

	if (err)
		return err;
	for (int i = 0; i < n; i++) {
		if (!strcmp(s, name(i))) {
			*out = i;
			return 0;
		}
		snprintf(names + strlen(names), sizeof(names) - strlen(names), "%s%s",
			 i ? ", " : "", name(i));
	}
	return bad(x, where, "'%s' is \"%s\", not one of %s", key, s, names);
}

static const char *verdict_name_i(int i) { return tw_verdict_name(i); }
static const char *outcome_name_i(int i) { return tw_outcome_name(i); }

/* number, [lo, hi] (either may be null) or null */
static int get_expected(const struct ctx *x, const char *where, const json_t *v,
			struct tw_verdict *out)
{
	const json_t *e = json_object_get(v, "expected");

	if (!json_is_array(e)) {
		out->lo = out->hi = figure(e);
		if (e && !is_figure(e))
			return bad(x, where, "'expected' is %s, not a number, [lo, hi] or null",
				   type_name(e));
		return 0;
	}
	if (json_array_size(e) != 2 || !is_figure(json_array_get(e, 0)) ||
	    !is_figure(json_array_get(e, 1)))
		return bad(x, where, "'expected' is an array, but not [lo, hi] of numbers or nulls");
	out->lo = figure(json_array_get(e, 0));
	out->hi = figure(json_array_get(e, 1));
	return 0;
}

/* samples {n, min, median, max} or bounds {above, at_most, probes}, as tw_verdict holds them */
static int get_spread(const struct ctx *x, const char *where, const json_t *v,
		      struct tw_verdict *out)
{
	json_t *s = NULL, *b = NULL;
	char at[192];
	int err;

	out->n = 1;
	out->min = out->max = NAN;
	err = get_object(x, where, v, "samples", &s) ?: get_object(x, where, v, "bounds", &b);
	if (err)
		return err;
	if (s) {
		snprintf(at, sizeof(at), "%s.samples", where);
		return get_count(x, at, s, "n", &out->n) ?:
		       get_figure(x, at, s, "min", &out->min) ?:
		       get_figure(x, at, s, "max", &out->max) ?:
		       get_figure(x, at, s, "median", &out->measured);
	}
	if (b) {
		snprintf(at, sizeof(at), "%s.bounds", where);
		out->bounds = true;
		return get_count(x, at, b, "probes", &out->n) ?:
		       get_figure(x, at, b, "above", &out->min) ?:
		       get_figure(x, at, b, "at_most", &out->max);
	}
	return 0;
}

static void copy(char *dst, size_t len, const char *s)
{
	snprintf(dst, len, "%s", s);
}

static int verdict_load(const struct ctx *x, const char *where, const json_t *v,
			struct tw_verdict *out)
{
	const char *id, *what, *unit, *fact, *evidence;
	int kind, err;

	memset(out, 0, sizeof(*out));
	if (!json_is_object(v))
		return bad(x, where, "%s, not an object", type_name(v));
	err = get_string(x, where, v, "id", true, &id) ?:
	      get_kind(x, where, v, "verdict", verdict_name_i, V_NKINDS, &kind) ?:
	      get_string(x, where, v, "what", false, &what) ?:
	      get_string(x, where, v, "unit", false, &unit) ?:
	      get_string(x, where, v, "fact", false, &fact) ?:
	      get_string(x, where, v, "evidence", false, &evidence) ?:
	      get_figure(x, where, v, "measured", &out->measured) ?:
	      get_expected(x, where, v, out) ?:
	      get_spread(x, where, v, out);
	if (err)
		return err;
	if (!*id)
		return bad(x, where, "'id' is empty");
	out->kind = kind;
	copy(out->claim, sizeof(out->claim), id);
	copy(out->what, sizeof(out->what), what);
	copy(out->unit, sizeof(out->unit), unit);
	copy(out->fact, sizeof(out->fact), fact);
	copy(out->evidence, sizeof(out->evidence), evidence);
	return 0;
}

static int params_check(const struct ctx *x, const char *where, json_t *params)
{
	const char *key;
	json_t *v;

	json_object_foreach(params, key, v)
		if (!json_is_string(v))
			return bad(x, where, "params.%s is %s, not a string", key, type_name(v));
	return 0;
}

static int instance_load(const struct ctx *x, int i, json_t *j, struct rep_instance *in)
{
	char where[64], at[96];
	json_t *claims;
	int result, err;

	snprintf(where, sizeof(where), "instances[%d]", i);
	if (!json_is_object(j))
		return bad(x, where, "%s, not an object", type_name(j));
	err = get_string(x, where, j, "case", true, &in->kase) ?:
	      get_string(x, where, j, "name", true, &in->name) ?:
	      get_string(x, where, j, "family", false, &in->family) ?:
	      get_string(x, where, j, "reason", false, &in->reason) ?:
	      get_kind(x, where, j, "result", outcome_name_i, R_NOUTCOMES, &result) ?:
	      get_object(x, where, j, "params", &in->params);
	if (err)
		return err;
	in->result = result;
	err = params_check(x, where, in->params);
	if (err)
		return err;
	claims = json_object_get(j, "claims");
	if (!json_is_array(claims))
		return bad(x, where, "'claims' is %s, not an array",
			   claims ? type_name(claims) : "missing");
	in->v = calloc(json_array_size(claims) ?: 1, sizeof(*in->v));
	if (!in->v)
		return -ENOMEM;
	for (size_t c = 0; c < json_array_size(claims); c++) {
		snprintf(at, sizeof(at), "%s.claims[%zu]", where, c);
		err = verdict_load(x, at, json_array_get(claims, c), &in->v[c]);
		if (err)
			return err;
		in->nv++;
	}
	return 0;
}

static int kernel_load(const struct ctx *x, json_t *root, struct rep_run *run)
{
	json_t *k = json_object_get(root, "kernel"), *hz;
	const char *key;
	json_t *v;
	int err;

	if (!json_is_object(k))
		return bad(x, "", "'kernel' is %s, not an object",
			   k ? type_name(k) : "missing");
	err = get_string(x, "kernel", k, "release", true, &run->release) ?:
	      get_string(x, "kernel", k, "hz_source", false, &run->hz_source) ?:
	      get_object(x, "kernel", k, "defaults", &run->defaults) ?:
	      get_string(x, "", root, "started", false, &run->started) ?:
	      get_figure(x, "", root, "wall_s", &run->wall_s);
	if (err)
		return err;
	if (!*run->release)
		return bad(x, "kernel", "'release' is empty");
	hz = json_object_get(k, "hz");
	if (hz && !json_is_null(hz) && (err = get_count(x, "kernel", k, "hz", &run->hz)))
		return err;
	json_object_foreach(run->defaults, key, v)
		if (!json_is_string(v) && !json_is_null(v))
			return bad(x, "kernel", "defaults.%s is %s, not a string or null",
				   key, type_name(v));
	return 0;
}

static int run_load(const struct ctx *x, json_t *root, struct rep_run *run)
{
	json_t *insts;
	int err;

	if (!json_is_object(root))
		return bad(x, "", "the top level is %s, not an object from 'twlab run --json'",
			   type_name(root));
	insts = json_object_get(root, "instances");
	if (!insts)
		return bad(x, "", "no 'instances': not a file from 'twlab run --json'");
	if (!json_is_array(insts))
		return bad(x, "", "'instances' is %s, not an array", type_name(insts));
	err = kernel_load(x, root, run);
	if (err)
		return err;
	run->in = calloc(json_array_size(insts) ?: 1, sizeof(*run->in));
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

static int load(const struct ctx *x, json_t *root, const json_error_t *jerr,
		struct rep_run *run)
{
	int err;

	memset(run, 0, sizeof(*run));
	run->path = x->path;
	if (!root)
		return bad(x, "", "not JSON: %s (line %d, column %d)", jerr->text,
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
	const struct ctx x = { .path = path, .err = err, .len = len };
	json_error_t jerr;

	return load(&x, json_loads(text, 0, &jerr), &jerr, run);
}

int report_load(const char *path, struct rep_run *run, char *err, size_t len)
{
	const struct ctx x = { .path = path, .err = err, .len = len };
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
	for (int i = 0; i < run->ninst; i++)
		free(run->in[i].v);
	free(run->in);
	json_decref(run->root);
	memset(run, 0, sizeof(*run));
}
