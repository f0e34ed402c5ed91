// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "json.h"
#include "kernel.h"

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

static double number_or_nan(const json_t *j)
{
	return json_is_number(j) ? json_number_value(j) : NAN;
}

static json_t *expected_to_json(const struct tw_verdict *v)
{
	if (isnan(v->lo) && isnan(v->hi))
		return json_null();
	if (v->lo == v->hi)
		return json_real(v->lo);
	return json_pack("[oo]", number_or_null(v->lo), number_or_null(v->hi));
}

static void expected_from_json(const json_t *j, struct tw_verdict *v)
{
	if (json_is_array(j)) {
		v->lo = number_or_nan(json_array_get(j, 0));
		v->hi = number_or_nan(json_array_get(j, 1));
	} else {
		v->lo = v->hi = number_or_nan(j);
	}
}

/* A window's ends: null is unbounded (JSON has no infinity). */
static json_t *window_to_json(const struct tw_window *w)
{
	return json_pack("{s:o, s:o, s:b, s:b}", "lo", number_or_null(w->lo),
			 "hi", number_or_null(w->hi), "lo_open", w->lo_open, "hi_open", w->hi_open);
}

static struct tw_window window_from_json(const json_t *j)
{
	const json_t *lo = json_object_get(j, "lo"), *hi = json_object_get(j, "hi");

	if (!json_is_object(j))
		return win_any();
	return (struct tw_window){
		.lo = json_is_number(lo) ? json_number_value(lo) : -INFINITY,
		.hi = json_is_number(hi) ? json_number_value(hi) : INFINITY,
		.lo_open = json_is_true(json_object_get(j, "lo_open")),
		.hi_open = json_is_true(json_object_get(j, "hi_open")),
	};
}

static int rel_from_name(const char *s)
{
	for (int i = REL_INSIDE; i <= REL_OUTSIDE; i++)
		if (!strcmp(s, tw_rel_name(i)))
			return i;
	return REL_INSIDE;
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

static int kind_from_name(const char *s, const char *(*name)(int), int n)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(s, name(i)))
			return i;
	return -1;
}

static const char *verdict_name_i(int i) { return tw_verdict_name(i); }
static const char *outcome_name_i(int i) { return tw_outcome_name(i); }

static void copy_str(char *dst, size_t len, const json_t *j)
{
	snprintf(dst, len, "%s", json_is_string(j) ? json_string_value(j) : "");
}

static int verdict_from_json(const json_t *j, struct tw_verdict *v)
{
	const json_t *samples = json_object_get(j, "samples");
	const json_t *bounds = json_object_get(j, "bounds");
	int kind;

	memset(v, 0, sizeof(*v));
	kind = kind_from_name(json_string_value(json_object_get(j, "verdict")) ?: "",
			      verdict_name_i, V_NKINDS);
	if (kind < 0)
		return -EINVAL;
	v->kind = kind;
	copy_str(v->claim, sizeof(v->claim), json_object_get(j, "id"));
	copy_str(v->what, sizeof(v->what), json_object_get(j, "what"));
	copy_str(v->unit, sizeof(v->unit), json_object_get(j, "unit"));
	copy_str(v->fact, sizeof(v->fact), json_object_get(j, "fact"));
	copy_str(v->evidence, sizeof(v->evidence), json_object_get(j, "evidence"));
	copy_str(v->id, sizeof(v->id), json_object_get(j, "subclaim"));
	v->art = window_from_json(json_object_get(j, "article"));
	v->kern = window_from_json(json_object_get(j, "kernel"));
	v->krel = rel_from_name(json_string_value(json_object_get(j, "kernel_rel")) ?: "");
	v->below = number_or_nan(json_object_get(json_object_get(j, "uncertainty"), "below"));
	v->above = number_or_nan(json_object_get(json_object_get(j, "uncertainty"), "above"));
	if (isnan(v->below))
		v->below = 0;
	if (isnan(v->above))
		v->above = 0;
	v->measured = number_or_nan(json_object_get(j, "measured"));
	expected_from_json(json_object_get(j, "expected"), v);
	v->min = v->max = NAN;
	v->n = 1;
	if (json_is_object(samples)) {
		v->n = json_integer_value(json_object_get(samples, "n"));
		v->min = number_or_nan(json_object_get(samples, "min"));
		v->max = number_or_nan(json_object_get(samples, "max"));
	} else if (json_is_object(bounds)) {
		v->bounds = true;
		v->n = json_integer_value(json_object_get(bounds, "probes"));
		v->min = number_or_nan(json_object_get(bounds, "above"));
		v->max = number_or_nan(json_object_get(bounds, "at_most"));
	}
	return 0;
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

int result_from_json(const json_t *j, struct tw_result *r)
{
	const json_t *claims = json_object_get(j, "claims");
	int outcome;
	size_t n;

	memset(r, 0, sizeof(*r));
	outcome = kind_from_name(json_string_value(json_object_get(j, "result")) ?: "",
				 outcome_name_i, R_NOUTCOMES);
	if (outcome < 0 || !json_is_array(claims))
		return -EINVAL;
	r->outcome = outcome;
	copy_str(r->reason, sizeof(r->reason), json_object_get(j, "reason"));
	copy_str(r->pcap, sizeof(r->pcap), json_object_get(j, "pcap"));
	copy_str(r->impair, sizeof(r->impair), json_object_get(j, "impair"));
	r->pcap_packets = json_integer_value(json_object_get(j, "pcap_packets"));
	r->wall_s = number_or_nan(json_object_get(j, "wall_s"));
	n = json_array_size(claims);
	if (n > TW_MAX_VERDICTS)
		return -E2BIG;
	for (size_t i = 0; i < n; i++) {
		int err = verdict_from_json(json_array_get(claims, i), &r->v[i]);

		if (err)
			return err;
	}
	r->nverdicts = n;
	return 0;
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
	return json_pack("{s:{s:o, s:i, s:o, s:o}, s:s, s:f, s:o}",
			 "kernel", "release", text(k->release), "hz", k->hz,
			 "hz_source", text(k->hz_source), "defaults", defaults,
			 "started", started, "wall_s", wall_s, "instances", insts);
}

int run_write_json(const char *path, const struct kernel_info *k, const char *started,
		   double wall_s, const struct tw_instance *in, int n)
{
	json_t *j = run_to_json(k, started, wall_s, in, n);
	int err;

	/* which twlab wrote it: the Makefile's TWLAB_VERSION, from debian/changelog */
	if (!j || json_object_set_new(j, "twlab_version", json_string(TWLAB_VERSION))) {
		json_decref(j);
		return -ENOMEM;
	}
	err = json_dump_file(j, path, JSON_INDENT(2) | JSON_SORT_KEYS) ? -EIO : 0;
	json_decref(j);
	return err;
}
