// SPDX-License-Identifier: GPL-2.0
/*
 * A result as JSON, both ways: what an instance's child writes down its
 * pipe, the file --json writes (docs/result.schema.json), and the reader
 * that the runner and `twlab report` share.
 *
 * jansson because one small, stable API encodes and decodes, so what is
 * written and what is read cannot drift apart.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "json.h"
#include "kernel.h"
#include "scorecard.h"

/* JSON has no NaN or infinity: a figure the case did not have is null. */
static json_t *number_or_null(double x)
{
	return isfinite(x) ? json_real(x) : json_null();
}

/*
 * jansson refuses strings that are not UTF-8; ours are ASCII, but a cut
 * evidence line or a kernel string must not lose a whole verdict.
 */
static json_t *text(const char *s)
{
	char buf[512];
	size_t i;

	for (i = 0; s[i] && i < sizeof(buf) - 1; i++)
		buf[i] = (unsigned char)s[i] < 0x80 ? s[i] : '?';
	buf[i] = '\0';
	return json_string(buf);
}

static json_t *expected_to_json(const struct tw_verdict *v)
{
	if (isnan(v->lo) && isnan(v->hi))
		return json_null();
	if (v->lo == v->hi)
		return json_real(v->lo);
	return json_pack("[oo]", number_or_null(v->lo), number_or_null(v->hi));
}

/* A window's ends: null is unbounded (JSON has no infinity). */
static json_t *window_to_json(const struct tw_window *w)
{
	return json_pack("{s:o, s:o, s:b, s:b}", "lo", number_or_null(w->lo),
			 "hi", number_or_null(w->hi), "lo_open", w->lo_open, "hi_open", w->hi_open);
}

static json_t *verdict_to_json(const struct tw_verdict *v)
{
	json_t *j = json_pack("{s:o, s:o, s:s, s:o, s:o, s:o, s:o, s:o}",
			      "id", text(v->claim), "what", text(v->what),
			      "verdict", tw_verdict_name(v->kind),
			      "measured", number_or_null(v->measured),
			      "expected", expected_to_json(v),
			      "unit", text(v->unit), "fact", text(v->fact),
			      "evidence", text(v->evidence));

	if (j && v->id[0]) {
		json_object_set_new(j, "subclaim", text(v->id));
		json_object_set_new(j, "article", window_to_json(&v->art));
		json_object_set_new(j, "kernel", window_to_json(&v->kern));
		json_object_set_new(j, "kernel_rel", json_string(tw_rel_name(v->krel)));
		json_object_set_new(j, "uncertainty", json_pack("{s:o, s:o}",
			"below", number_or_null(v->below), "above", number_or_null(v->above)));
	}
	if (j && v->bounds)
		json_object_set_new(j, "bounds", json_pack("{s:o, s:o, s:i}",
			"above", number_or_null(v->min), "at_most", number_or_null(v->max),
			"probes", v->n));
	else if (j && v->n > 1)
		json_object_set_new(j, "samples", json_pack("{s:i, s:o, s:o, s:o}",
			"n", v->n, "min", number_or_null(v->min),
			"median", number_or_null(v->measured),
			"max", number_or_null(v->max)));
	return j;
}

json_t *result_to_json(const struct tw_result *r)
{
	json_t *claims = json_array();

	for (int i = 0; i < r->nverdicts; i++)
		if (json_array_append_new(claims, verdict_to_json(&r->v[i]))) {
			json_decref(claims);
			return NULL;
		}
	return json_pack("{s:s, s:o, s:o, s:o, s:o, s:i, s:o}", "result",
			 tw_outcome_name(r->outcome), "reason", text(r->reason),
			 "wall_s", number_or_null(r->wall_s), "claims", claims,
			 "pcap", r->pcap[0] ? text(r->pcap) : json_null(),
			 "pcap_packets", r->pcap_packets,
			 "impair", r->impair[0] ? text(r->impair) : json_null());
}

json_t *instance_to_json(const struct tw_instance *in)
{
	json_t *params = json_object();
	json_t *j = result_to_json(&in->r);

	if (!j || !params) {
		json_decref(params);
		json_decref(j);
		return NULL;
	}
	for (int i = 0; i < in->p.nset; i++)
		json_object_set_new(params, in->p.set[i].key, json_string(in->p.set[i].val));
	json_object_set_new(j, "case", json_string(in->c->name));
	json_object_set_new(j, "name", json_string(in->name));
	json_object_set_new(j, "family", json_string(family_name(in->p.family)));
	json_object_set_new(j, "params", params);
	return j;
}

/* The scorecard: each claim's verdict, and the sub-claim and instance that decide it. */
static json_t *scorecard_to_json(const struct tw_instance *in, int n)
{
	struct claim_score s[SCORECARD_MAX];
	json_t *a = json_array();
	int ns = scorecard_build(in, n, s, SCORECARD_MAX);

	for (int i = 0; i < ns; i++)
		json_array_append_new(a, json_pack("{s:s, s:s, s:o, s:o}", "id", s[i].claim,
			"verdict", s[i].v ? tw_verdict_name(s[i].kind) : "not judged",
			"deciding", s[i].v ? text(scorecard_key(s[i].v)) : json_null(),
			"instance", s[i].v ? text(s[i].in->name) : json_null()));
	return a;
}

json_t *run_to_json(const struct kernel_info *k, const char *started, double wall_s,
		    const struct tw_instance *in, int n)
{
	json_t *insts = json_array(), *defaults = json_object();

	for (int i = 0; i < k->ndefaults; i++)
		json_object_set_new(defaults, k->defaults[i].key, k->defaults[i].present ?
				    text(k->defaults[i].val) : json_null());
	for (int i = 0; i < n; i++)
		if (json_array_append_new(insts, instance_to_json(&in[i]))) {
			json_decref(insts);
			json_decref(defaults);
			return NULL;
		}
	return json_pack("{s:s, s:{s:o, s:i, s:o, s:o}, s:s, s:f, s:o, s:o}",
			 "schema", JSON_SCHEMA, "kernel", "release", text(k->release), "hz", k->hz,
			 "hz_source", text(k->hz_source), "defaults", defaults,
			 "started", started, "wall_s", wall_s, "instances", insts,
			 "claims", scorecard_to_json(in, n));
}

int run_write_json(const char *path, const struct kernel_info *k, const char *started,
		   double wall_s, const struct tw_instance *in, int n)
{
	json_t *j = run_to_json(k, started, wall_s, in, n);
	int err;

	/*
	 * which twlab wrote it (the schema's "version"): the Makefile's
	 * TWLAB_VERSION, from debian/changelog
	 */
	if (!j || json_object_set_new(j, "version", json_string(TWLAB_VERSION))) {
		json_decref(j);
		return -ENOMEM;
	}
	err = json_dump_file(j, path, JSON_INDENT(2) | JSON_SORT_KEYS) ? -EIO : 0;
	json_decref(j);
	return err;
}

/*
 * The one reader.  Files come from other machines and other versions of
 * twlab, and an instance's result crosses a pipe from a process that may
 * have died half-way: every field is checked for its type first, and a
 * bad one is named in one line (file, where, what), never a crash or a
 * quiet hole.  docs/result.schema.json says the same for other readers.
 */
int json_bad(const struct json_in *x, const char *where, const char *fmt, ...)
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

const char *json_type_name(const json_t *j)
{
	switch (j ? json_typeof(j) : JSON_NULL) {
	case JSON_OBJECT:	return "an object";
	case JSON_ARRAY:	return "an array";
	case JSON_STRING:	return "a string";
	case JSON_INTEGER:
	case JSON_REAL:		return "a number";
	case JSON_TRUE:		return "true";
	case JSON_FALSE:	return "false";
	default:		return j ? "null" : "missing";
	}
}

int json_get_string(const struct json_in *x, const char *where, const json_t *obj,
		    const char *key, bool required, const char **out)
{
	const json_t *j = json_object_get(obj, key);

	*out = "";
	if ((!j || json_is_null(j)) && !required)
		return 0;
	if (!json_is_string(j))
		return json_bad(x, where, "'%s' is %s, not a string", key, json_type_name(j));
	*out = json_string_value(j);
	return 0;
}

int json_require(const struct json_in *x, const char *where, const json_t *obj,
		 const char *const *keys)
{
	for (; *keys; keys++)
		if (!json_object_get(obj, *keys))
			return json_bad(x, where, "'%s' is missing", *keys);
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

int json_get_figure(const struct json_in *x, const char *where, const json_t *obj,
		    const char *key, double *out)
{
	const json_t *j = json_object_get(obj, key);

	*out = figure(j);
	if (j && !is_figure(j))
		return json_bad(x, where, "'%s' is %s, not a number or null", key,
				json_type_name(j));
	return 0;
}

int json_get_count(const struct json_in *x, const char *where, const json_t *obj,
		   const char *key, int *out)
{
	const json_t *j = json_object_get(obj, key);

	if (!json_is_integer(j) || json_integer_value(j) < 0 ||
	    json_integer_value(j) > INT32_MAX)
		return json_bad(x, where, "'%s' is %s, not a count", key, json_type_name(j));
	*out = json_integer_value(j);
	return 0;
}

int json_get_object(const struct json_in *x, const char *where, const json_t *obj,
		    const char *key, json_t **out)
{
	json_t *j = json_object_get(obj, key);

	*out = NULL;
	if (!j || json_is_null(j))
		return 0;
	if (!json_is_object(j))
		return json_bad(x, where, "'%s' is %s, not an object", key, json_type_name(j));
	*out = j;
	return 0;
}

int json_get_kind(const struct json_in *x, const char *where, const json_t *obj,
		  const char *key, const char *(*name)(int), int n, int *out)
{
	char names[160] = "";
	const char *s;
	int err = json_get_string(x, where, obj, key, true, &s);

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
	return json_bad(x, where, "'%s' is \"%s\", not one of %s", key, s, names);
}

static const char *verdict_name_i(int i) { return tw_verdict_name(i); }
static const char *outcome_name_i(int i) { return tw_outcome_name(i); }
static const char *rel_name_i(int i) { return tw_rel_name(i); }

/* number, [lo, hi] (either may be null) or null */
static int get_expected(const struct json_in *x, const char *where, const json_t *v,
			struct tw_verdict *out)
{
	const json_t *e = json_object_get(v, "expected");

	if (!json_is_array(e)) {
		out->lo = out->hi = figure(e);
		if (e && !is_figure(e))
			return json_bad(x, where, "'expected' is %s, not a number, [lo, hi] "
					"or null", json_type_name(e));
		return 0;
	}
	if (json_array_size(e) != 2 || !is_figure(json_array_get(e, 0)) ||
	    !is_figure(json_array_get(e, 1)))
		return json_bad(x, where, "'expected' is an array, but not [lo, hi] of "
				"numbers or nulls");
	out->lo = figure(json_array_get(e, 0));
	out->hi = figure(json_array_get(e, 1));
	return 0;
}

/* samples {n, min, median, max} or bounds {above, at_most, probes}, as tw_verdict holds them */
static int get_spread(const struct json_in *x, const char *where, const json_t *v,
		      struct tw_verdict *out)
{
	json_t *s, *b;
	char at[192];
	int err;

	out->n = 1;
	out->min = out->max = NAN;
	err = json_get_object(x, where, v, "samples", &s) ?:
	      json_get_object(x, where, v, "bounds", &b);
	if (err)
		return err;
	if (s) {
		snprintf(at, sizeof(at), "%s.samples", where);
		return json_get_count(x, at, s, "n", &out->n) ?:
		       json_get_figure(x, at, s, "min", &out->min) ?:
		       json_get_figure(x, at, s, "max", &out->max) ?:
		       json_get_figure(x, at, s, "median", &out->measured);
	}
	if (b) {
		snprintf(at, sizeof(at), "%s.bounds", where);
		out->bounds = true;
		return json_get_count(x, at, b, "probes", &out->n) ?:
		       json_get_figure(x, at, b, "above", &out->min) ?:
		       json_get_figure(x, at, b, "at_most", &out->max);
	}
	return 0;
}

/* A window {lo, hi, lo_open, hi_open}; null ends are unbounded, an absent window is anything. */
static int get_window(const struct json_in *x, const char *where, const json_t *v,
		      const char *key, struct tw_window *out)
{
	json_t *w;
	char at[192];
	double lo, hi;
	int err = json_get_object(x, where, v, key, &w);

	*out = win_any();
	if (err || !w)
		return err;
	snprintf(at, sizeof(at), "%s.%s", where, key);
	err = json_get_figure(x, at, w, "lo", &lo) ?: json_get_figure(x, at, w, "hi", &hi);
	if (err)
		return err;
	*out = (struct tw_window){
		.lo = isnan(lo) ? -INFINITY : lo, .hi = isnan(hi) ? INFINITY : hi,
		.lo_open = json_is_true(json_object_get(w, "lo_open")),
		.hi_open = json_is_true(json_object_get(w, "hi_open")),
	};
	return 0;
}

/* What a sub-claim's verdict adds: its ID, both windows, the observer's uncertainty. */
static int get_subclaim(const struct json_in *x, const char *where, const json_t *v,
			struct tw_verdict *out)
{
	const char *id;
	json_t *u;
	int rel, err = json_get_string(x, where, v, "subclaim", false, &id);

	if (err || !*id)
		return err;
	snprintf(out->id, sizeof(out->id), "%s", id);
	err = get_window(x, where, v, "article", &out->art) ?:
	      get_window(x, where, v, "kernel", &out->kern) ?:
	      json_get_kind(x, where, v, "kernel_rel", rel_name_i, REL_OUTSIDE + 1, &rel) ?:
	      json_get_object(x, where, v, "uncertainty", &u);
	if (err)
		return err;
	out->krel = rel;
	if (u)
		err = json_get_figure(x, where, u, "below", &out->below) ?:
		      json_get_figure(x, where, u, "above", &out->above);
	if (isnan(out->below))
		out->below = 0;
	if (isnan(out->above))
		out->above = 0;
	return err;
}

static const char *const verdict_keys[] = {
	"id", "verdict", "what", "measured", "expected", "unit", "fact", "evidence", NULL
};

int json_verdict_read(const struct json_in *x, const char *where, const json_t *v,
		      struct tw_verdict *out)
{
	const char *claim, *what, *unit, *fact, *evidence;
	int kind, err;

	memset(out, 0, sizeof(*out));
	if (!json_is_object(v))
		return json_bad(x, where, "%s, not an object", json_type_name(v));
	err = json_require(x, where, v, verdict_keys) ?:
	      json_get_string(x, where, v, "id", true, &claim) ?:
	      json_get_kind(x, where, v, "verdict", verdict_name_i, V_NKINDS, &kind) ?:
	      json_get_string(x, where, v, "what", false, &what) ?:
	      json_get_string(x, where, v, "unit", false, &unit) ?:
	      json_get_string(x, where, v, "fact", false, &fact) ?:
	      json_get_string(x, where, v, "evidence", false, &evidence) ?:
	      json_get_figure(x, where, v, "measured", &out->measured) ?:
	      get_expected(x, where, v, out) ?:
	      get_spread(x, where, v, out) ?:
	      get_subclaim(x, where, v, out);
	if (err)
		return err;
	if (!*claim)
		return json_bad(x, where, "'id' is empty");
	out->kind = kind;
	snprintf(out->claim, sizeof(out->claim), "%s", claim);
	snprintf(out->what, sizeof(out->what), "%s", what);
	snprintf(out->unit, sizeof(out->unit), "%s", unit);
	snprintf(out->fact, sizeof(out->fact), "%s", fact);
	snprintf(out->evidence, sizeof(out->evidence), "%s", evidence);
	return 0;
}

static const char *const result_keys[] = {
	"result", "reason", "wall_s", "claims", "pcap", "pcap_packets", "impair", NULL
};

int json_result_read(const struct json_in *x, const char *where, const json_t *j,
		     struct tw_result *r)
{
	const char *reason, *pcap, *impair;
	const json_t *claims;
	char at[96];
	int outcome, packets = 0, err;

	memset(r, 0, sizeof(*r));
	if (!json_is_object(j))
		return json_bad(x, where, "%s, not an object", json_type_name(j));
	err = json_require(x, where, j, result_keys) ?:
	      json_get_kind(x, where, j, "result", outcome_name_i, R_NOUTCOMES, &outcome) ?:
	      json_get_string(x, where, j, "reason", false, &reason) ?:
	      json_get_figure(x, where, j, "wall_s", &r->wall_s) ?:
	      json_get_string(x, where, j, "pcap", false, &pcap) ?:
	      json_get_string(x, where, j, "impair", false, &impair) ?:
	      json_get_count(x, where, j, "pcap_packets", &packets);
	if (err)
		return err;
	r->outcome = outcome;
	r->pcap_packets = packets;
	snprintf(r->reason, sizeof(r->reason), "%s", reason);
	snprintf(r->pcap, sizeof(r->pcap), "%s", pcap);
	snprintf(r->impair, sizeof(r->impair), "%s", impair);
	claims = json_object_get(j, "claims");
	if (!json_is_array(claims))
		return json_bad(x, where, "'claims' is %s, not an array", json_type_name(claims));
	if (json_array_size(claims) > TW_MAX_VERDICTS)
		return json_bad(x, where, "'claims' holds %zu verdicts, more than %d",
				json_array_size(claims), TW_MAX_VERDICTS);
	for (size_t i = 0; i < json_array_size(claims); i++) {
		snprintf(at, sizeof(at), "%s%sclaims[%zu]", where, *where ? "." : "", i);
		err = json_verdict_read(x, at, json_array_get(claims, i), &r->v[i]);
		if (err)
			return err;
		r->nverdicts++;
	}
	return 0;
}
