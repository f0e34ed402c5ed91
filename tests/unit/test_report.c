// SPDX-License-Identifier: GPL-2.0
/*
 * twlab report, without gnuplot and without files: runs are built here
 * with jansson, loaded through report_load_text(), merged, and every
 * output checked as text -- the table's cells, the differences and the
 * facts they name, the Markdown, the HTML, and the gnuplot scripts that
 * report_gnuplot.c would run.  Malformed input must give one line that
 * names the file and the field.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "claims.h"
#include "report.h"

#define UNUSED __attribute__((unused))

/* ---- building runs ---- */

/* JSON has no NaN: a figure a case did not have is null. */
static json_t *figure(double x)
{
	return isnan(x) ? json_null() : json_real(x);
}

static json_t *verdict(const char *id, const char *kind, const char *what, double measured,
		       double lo, double hi, const char *unit, const char *fact)
{
	json_t *expected = isnan(lo) && isnan(hi) ? json_null() :
			   lo == hi ? json_real(lo) : json_pack("[oo]", figure(lo), figure(hi));

	return json_pack("{s:s, s:s, s:s, s:o, s:o, s:s, s:s, s:s}", "id", id, "verdict", kind,
			 "what", what, "measured", figure(measured), "expected", expected,
			 "unit", unit, "fact", fact, "evidence", "because");
}

static json_t *with_samples(json_t *v, int n, double min, double median, double max)
{
	json_object_set_new(v, "samples", json_pack("{s:i, s:f, s:f, s:f}", "n", n, "min", min,
						     "median", median, "max", max));
	json_object_set_new(v, "measured", json_real(median));
	return v;
}

static json_t *with_bounds(json_t *v, double above, double at_most, int probes)
{
	json_object_set_new(v, "bounds", json_pack("{s:f, s:f, s:i}", "above", above,
						   "at_most", at_most, "probes", probes));
	json_object_set_new(v, "measured", json_real(at_most));
	return v;
}

/* @claims: an array, taken over; NULL for none (a SKIP, say) */
static json_t *instance(const char *kase, const char *name, const char *result,
			const char *reason, json_t *claims)
{
	return json_pack("{s:s, s:s, s:s, s:{}, s:s, s:s, s:o, s:n, s:n, s:f, s:i}", "case", kase,
			 "name", name, "family", strstr(name, "ipv6") ? "ipv6" : "ipv4",
			 "params", "result", result, "reason", reason,
			 "claims", claims ?: json_array(), "pcap", "impair", "wall_s", 0.5,
			 "pcap_packets", 0);
}

static json_t *run(const char *release, int hz, const char *started)
{
	return json_pack("{s:s, s:{s:s, s:i, s:s, s:{s:s, s:s, s:n}}, s:s, s:f, s:[], s:[]}",
			 "schema", JSON_SCHEMA, "kernel", "release", release, "hz", hz, "hz_source", "/proc/config.gz",
			 "defaults", "tcp_tw_reuse", "2", "tcp_tw_reuse_delay", "1000",
			 "tcp_tw_recycle", "started", started, "wall_s", 64.5, "instances", "claims");
}

static void add(json_t *r, json_t *inst)
{
	assert_non_null(inst);
	assert_int_equal(json_array_append_new(json_object_get(r, "instances"), inst), 0);
}

/* tw_duration-like: two instances, lifetimes sampled, against HZ=250's window */
static void add_lifetimes(json_t *r, double shift, double hi)
{
	static const char *const names[] = { "tw_duration.ipv4", "tw_duration.ipv6" };

	for (int i = 0; i < 2; i++)
		add(r, instance("tw_duration", names[i], "pass", "", json_pack("[o]",
			with_samples(verdict("A02", "refined", "TIME_WAIT lifetime", 0, 60000, hi,
					     "ms", "K03"),
				     24, 60005 + shift, 61000 + shift + i * 100, 61990 + shift))));
}

static void add_active_closer(json_t *r, const char *kind)
{
	add(r, instance("active_closer", "active_closer.ipv4", "pass", "", json_pack("[oo]",
		verdict("A01", "confirmed", "TIME_WAIT at the client", 1, 1, 1, "sockets", "K02"),
		verdict("A01", kind, "TIME_WAIT at the server", 0, 0, 0, "sockets", "K02"))));
}

static void load(json_t *j, const char *path, struct rep_run *r)
{
	char *text = json_dumps(j, 0), err[512];

	assert_non_null(text);
	json_decref(j);
	if (report_load_text(path, text, r, err, sizeof(err)))
		fail_msg("%s", err);
	free(text);
}

/* Loads and merges @n runs, taking them over. */
static void merge(struct report *rep, json_t **runs, int n)
{
	struct rep_run *r = calloc(n, sizeof(*r));
	char path[32];

	assert_non_null(r);
	for (int i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "run%d.json", i);
		load(runs[i], path, &r[i]);
	}
	assert_int_equal(report_merge(rep, r, n), 0);
}

static const struct rep_row *row_of(const struct report *rep, const char *id)
{
	for (int r = 0; r < rep->nrows; r++)
		if (!strcmp(rep->row[r].id, id))
			return &rep->row[r];
	fail_msg("no row %s", id);
	return NULL;
}

static const char *cell(const struct report *rep, const char *id, int col)
{
	static char buf[512];
	const struct rep_row *row = row_of(rep, id);

	return report_cell_text(row, &row->cell[col], buf, sizeof(buf));
}

static const struct rep_diff *diff_of(const struct rep_diffs *d, enum rep_diff_kind kind,
				      const char *claim_or_subject)
{
	for (int i = 0; i < d->n; i++)
		if (d->d[i].kind == kind &&
		    ((d->d[i].claim && !strcmp(d->d[i].claim, claim_or_subject)) ||
		     (d->d[i].subject && !strcmp(d->d[i].subject, claim_or_subject))))
			return &d->d[i];
	return NULL;
}

/* ---- loading ---- */

static void load_fields(void **state UNUSED)
{
	json_t *j = run("6.18.44", 250, "2026-01-02T03:04:05Z");
	struct rep_run r;

	add_lifetimes(j, 0, 62052);
	add(j, instance("tw_reuse", "tw_reuse.ipv4", "fail", "missed", json_pack("[oo]",
		with_bounds(verdict("A11", "refined", "reuse over veth", 0, 1000, 1001, "ms", "K08"),
			    999.2, 1001.7, 30),
		verdict("A11", "not applicable", "no figure", NAN, NAN, NAN, "", ""))));
	add(j, instance("tw_reuse", "tw_reuse.ipv6", "skip", "no sysctl", NULL));
	load(j, "r.json", &r);

	assert_string_equal(r.path, "r.json");
	assert_string_equal(r.release, "6.18.44");
	assert_int_equal(r.hz, 250);
	assert_string_equal(r.started, "2026-01-02T03:04:05Z");
	assert_true(r.wall_s == 64.5);
	assert_int_equal(r.ninst, 4);
	assert_string_equal(r.in[0].kase, "tw_duration");
	assert_int_equal(r.in[0].r.nverdicts, 1);
	assert_int_equal(r.in[0].r.v[0].n, 24);
	assert_true(r.in[0].r.v[0].min == 60005 && r.in[0].r.v[0].measured == 61000);
	assert_true(r.in[0].r.v[0].lo == 60000 && r.in[0].r.v[0].hi == 62052);
	assert_int_equal(r.in[2].r.outcome, R_FAIL);
	assert_true(r.in[2].r.v[0].bounds);
	assert_true(r.in[2].r.v[0].min == 999.2 && r.in[2].r.v[0].max == 1001.7);
	assert_int_equal(r.in[2].r.v[1].kind, V_NA);
	assert_true(isnan(r.in[2].r.v[1].measured) && isnan(r.in[2].r.v[1].lo));
	assert_int_equal(r.in[3].r.outcome, R_SKIP);
	assert_int_equal(r.in[3].r.nverdicts, 0);
	assert_string_equal(json_string_value(json_object_get(r.defaults, "tcp_tw_reuse")), "2");
	report_run_free(&r);
}

#define TOP "\"schema\": \"" JSON_SCHEMA "\", \"started\": \"t\", \"wall_s\": 1, \"claims\": []"
#define KERNEL "\"kernel\": {\"release\": \"6.18\"}"
#define INST(x) "{" TOP ", " KERNEL ", \"instances\": [" x "]}"
#define RESULT "\"result\": \"pass\", \"reason\": \"\", \"wall_s\": 0.1, \"pcap\": null, " \
	"\"pcap_packets\": 0, \"impair\": null"
#define CASE "\"case\": \"c\", \"name\": \"c.ipv4\", \"family\": \"ipv4\", \"params\": {}, " RESULT
#define VERDICT "\"id\": \"A01\", \"verdict\": \"confirmed\", \"what\": \"w\", \"measured\": null, " \
	"\"expected\": null, \"unit\": \"\", \"fact\": \"K01\", \"evidence\": \"\""
#define CLAIM(x) INST("{" CASE ", \"claims\": [{" VERDICT x "}]}")

/* The smallest file of this schema: no defaults, no hz, no params. */
static void load_minimal(void **state UNUSED)
{
	static const char text[] = INST("{" CASE ", \"claims\": [{" VERDICT "}]}");
	struct rep_run r;
	char err[256];

	if (report_load_text("min.json", text, &r, err, sizeof(err)))
		fail_msg("%s", err);
	assert_string_equal(r.started, "t");
	assert_int_equal(r.hz, 0);
	assert_null(r.defaults);
	assert_int_equal(json_object_size(r.in[0].params), 0);
	assert_true(isnan(r.in[0].r.v[0].measured));
	report_run_free(&r);
}

static void assert_malformed(const char *text, const char *needle)
{
	struct rep_run r;
	char err[512];

	memset(err, 'x', sizeof(err));
	if (report_load_text("bad.json", text, &r, err, sizeof(err)) != -EINVAL)
		fail_msg("accepted: %s", text);
	if (strncmp(err, "bad.json: ", 10) || !strstr(err, needle) || strchr(err, '\n'))
		fail_msg("for %s: said '%s', wanted one line naming bad.json and '%s'", text, err,
			 needle);
	assert_null(r.root);	/* nothing left to free */
}

static void load_malformed(void **state UNUSED)
{
	assert_malformed("", "not JSON");
	assert_malformed("{\"kernel\": ", "not JSON");
	assert_malformed("{\"kernel\": {} garbage", "line 1");
	assert_malformed("[]", "the top level is an array");
	/* another version's file, or none of twlab's: refused by its schema */
	assert_malformed("{" KERNEL ", \"instances\": []}", "'schema' is missing");
	assert_malformed("{\"schema\": \"twlab-result/0\"}", "'schema' is \"twlab-result/0\", not");
	assert_malformed("{" TOP ", " KERNEL "}", "'instances' is missing");
	assert_malformed("{" TOP ", " KERNEL ", \"instances\": {}}",
			 "'instances' is an object, not an array");
	assert_malformed("{" TOP ", \"instances\": []}", "'kernel' is missing");
	assert_malformed("{" TOP ", \"kernel\": [], \"instances\": []}", "'kernel' is an array");
	assert_malformed("{" TOP ", \"kernel\": {\"release\": 6}, \"instances\": []}",
			 "kernel: 'release' is a number, not a string");
	assert_malformed("{" TOP ", \"kernel\": {\"release\": \"\"}, \"instances\": []}",
			 "'release' is empty");
	assert_malformed("{" TOP ", \"kernel\": {\"release\": \"6\", \"hz\": \"250\"}, "
			 "\"instances\": []}", "'hz' is a string, not a count");
	assert_malformed("{" TOP ", \"kernel\": {\"release\": \"6\", \"defaults\": {\"a\": 1}}, "
			 "\"instances\": []}", "defaults.a is a number");
	assert_malformed("{\"schema\": \"" JSON_SCHEMA "\", " KERNEL ", \"started\": 5, "
			 "\"wall_s\": 1, \"claims\": [], \"instances\": []}", "'started' is a number");
	assert_malformed(INST("3"), "instances[0]: a number, not an object");
	assert_malformed(INST("{\"name\": \"x\"}"), "instances[0]: 'result' is missing");
	assert_malformed(INST("{" RESULT ", \"claims\": []}"), "instances[0]: 'case' is missing");
	assert_malformed(INST("{" CASE ", \"result\": \"PASS\", \"claims\": []}"),
			 "'result' is \"PASS\", not one of pass, fail");
	assert_malformed(INST("{" CASE "}"), "instances[0]: 'claims' is missing");
	assert_malformed(INST("{" CASE ", \"claims\": {}}"), "'claims' is an object");
	assert_malformed(INST("{" CASE ", \"params\": {\"k\": 1}, \"claims\": []}"),
			 "params.k is a number");
	assert_malformed(INST("{" CASE ", \"claims\": [7]}"), "instances[0].claims[0]: a number");
	assert_malformed(CLAIM(", \"verdict\": \"plausible\""), "not one of confirmed");
	assert_malformed(INST("{" CASE ", \"claims\": [{\"verdict\": \"refuted\"}]}"),
			 "claims[0]: 'id' is missing");
	assert_malformed(CLAIM(", \"measured\": \"61 s\""), "'measured' is a string");
	assert_malformed(CLAIM(", \"expected\": [1]"), "not [lo, hi]");
	assert_malformed(CLAIM(", \"expected\": [1, \"2\"]"), "not [lo, hi]");
	assert_malformed(CLAIM(", \"expected\": \"x\""), "'expected' is a string");
	assert_malformed(CLAIM(", \"unit\": 3"), "'unit' is a number");
	assert_malformed(CLAIM(", \"samples\": {\"n\": \"24\"}"),
			 "instances[0].claims[0].samples: 'n' is a string, not a count");
	assert_malformed(CLAIM(", \"bounds\": {\"probes\": 3, \"above\": \"x\"}"),
			 "claims[0].bounds: 'above' is a string");
	assert_malformed(CLAIM(", \"samples\": []"), "'samples' is an array, not an object");
	assert_malformed(CLAIM(", \"subclaim\": \"A01.x\", \"kernel_rel\": \"inside\", "
			       "\"kernel\": {\"lo\": \"0\"}"), "claims[0].kernel: 'lo' is a string");
}

static void load_missing_file(void **state UNUSED)
{
	struct rep_run r;
	char err[512];

	assert_int_equal(report_load("/nonexistent/run.json", &r, err, sizeof(err)), -ENOENT);
	assert_string_equal(err, "/nonexistent/run.json: No such file or directory");
	assert_int_equal(report_load("/", &r, err, sizeof(err)), -EISDIR);
	assert_non_null(strstr(err, "/: "));
}

/* ---- merging ---- */

static void merge_two_kernels(void **state UNUSED)
{
	json_t *a = run("6.18.44", 250, "2026-01-01T00:00:00Z");
	json_t *b = run("6.1.0-28", 1000, "2026-01-01T00:00:00Z");
	struct report rep;

	/* b meets A02 before A01: the rows still follow claims.md */
	add_active_closer(a, "confirmed");
	add_lifetimes(a, 0, 62052);
	add_lifetimes(b, 1500, 64097);
	add_active_closer(b, "confirmed");
	merge(&rep, (json_t *[]){ a, b }, 2);

	assert_int_equal(rep.nruns, 2);
	assert_string_equal(rep.run[0].label, "6.18.44");
	assert_string_equal(rep.run[1].label, "6.1.0-28");
	assert_int_equal(rep.nrows, 2);
	assert_string_equal(rep.row[0].id, "A01");
	assert_string_equal(rep.row[1].id, "A02");
	assert_string_equal(rep.row[0].text, claim_at(claim_index("A01"))->text);
	assert_int_equal(rep.row[1].fig, FIG_SAMPLES);
	assert_string_equal(rep.row[1].unit, "ms");
	assert_int_equal(rep.row[1].cell[0].count[V_REFINED], 2);
	assert_int_equal(rep.row[1].cell[0].instances, 2);
	/* median of the two medians; range over every sample */
	assert_true(rep.row[1].cell[0].mid == 61050);
	assert_true(rep.row[1].cell[0].lo == 60005 && rep.row[1].cell[0].hi == 61990);
	assert_string_equal(cell(&rep, "A02", 0), "refined ×2: 61.0 s (60.0-62.0)");
	assert_string_equal(cell(&rep, "A02", 1), "refined ×2: 62.5 s (61.5-63.5)");
	assert_string_equal(cell(&rep, "A01", 1), "confirmed ×2: 0..1 sockets");
	report_free(&rep);
}

static void merge_same_kernel_twice(void **state UNUSED)
{
	json_t *r[4] = {
		run("6.18.44", 250, "2026-01-01T00:00:00Z"),
		run("6.18.44", 250, "2026-01-02T00:00:00Z"),
		run("6.1.0", 250, "2026-01-01T00:00:00Z"),
		run("6.18.44", 250, "2026-01-02T00:00:00Z"),	/* the same file twice */
	};
	struct report rep;

	for (int i = 0; i < 4; i++)
		add_active_closer(r[i], "confirmed");
	merge(&rep, r, 4);
	assert_int_equal(rep.nruns, 4);	/* kept apart, never pooled */
	assert_string_equal(rep.run[0].label, "6.18.44@2026-01-01T00:00:00Z");
	assert_string_equal(rep.run[1].label, "6.18.44@2026-01-02T00:00:00Z#1");
	assert_string_equal(rep.run[2].label, "6.1.0");
	assert_string_equal(rep.run[3].label, "6.18.44@2026-01-02T00:00:00Z#2");
	for (int c = 0; c < 4; c++)
		assert_string_equal(cell(&rep, "A01", c), "confirmed ×2: 0..1 sockets");
	report_free(&rep);
}

/*
 * A13 on one kernel only: where its case ran and skipped, a difference;
 * where the run never ran that case, "not run" and no difference.
 */
static void merge_claim_on_one_kernel(void **state UNUSED)
{
	json_t *old = run("4.9.0", 250, "2026-01-01T00:00:00Z");
	json_t *now = run("6.18.44", 250, "2026-01-01T00:00:00Z");
	json_t *other = run("6.6.0", 250, "2026-01-01T00:00:00Z");
	struct rep_diffs d;
	const struct rep_diff *x;
	struct report rep;

	add(old, instance("tw_recycle", "tw_recycle.ipv4", "pass", "", json_pack("[o]",
		verdict("A13", "confirmed", "TIME_WAIT with recycle", 3500, NAN, 4000, "ms", "K09"))));
	add(now, instance("tw_recycle", "tw_recycle.ipv4", "skip",
			  "sysctl tcp_tw_recycle does not exist on this kernel", NULL));
	add_active_closer(old, "confirmed");
	add_active_closer(now, "confirmed");
	add_active_closer(other, "confirmed");
	merge(&rep, (json_t *[]){ old, now, other }, 3);

	assert_string_equal(cell(&rep, "A13", 0), "confirmed ×1: 3500 ms");
	assert_string_equal(cell(&rep, "A13", 1), "no verdict from 1 instance (1 skipped)");
	assert_string_equal(cell(&rep, "A13", 2), "not run");
	assert_int_equal(report_diff(&rep, &d), 0);
	x = diff_of(&d, DIFF_CLAIM, "A13");
	assert_non_null(x);
	assert_string_equal(x->fact, "K09");
	assert_string_equal(x->val[0], "confirmed ×1: 3500 ms");
	assert_string_equal(x->val[1], "no verdict from 1 instance (1 skipped)");
	assert_string_equal(x->val[2], "");	/* never ran it: not compared */
	x = diff_of(&d, DIFF_INSTANCE, "tw_recycle.ipv4");
	assert_non_null(x);
	assert_string_equal(x->val[0], "pass: 1 verdict on A13");
	assert_string_equal(x->val[1], "skip: sysctl tcp_tw_recycle does not exist on this kernel");
	assert_string_equal(x->fact, "K09");
	assert_null(diff_of(&d, DIFF_CLAIM, "A01"));
	report_diffs_free(&d);
	report_free(&rep);
}

static void merge_conflicting_verdicts(void **state UNUSED)
{
	json_t *a = run("6.18.44", 250, "2026-01-01T00:00:00Z");
	json_t *b = run("5.4.0", 250, "2026-01-01T00:00:00Z");
	const struct rep_diff *x;
	struct rep_diffs d;
	struct report rep;

	add_active_closer(a, "confirmed");
	add_active_closer(b, "refuted");
	merge(&rep, (json_t *[]){ a, b }, 2);
	assert_string_equal(cell(&rep, "A01", 0), "confirmed ×2: 0..1 sockets");
	assert_string_equal(cell(&rep, "A01", 1), "confirmed ×1, refuted ×1: 0..1 sockets");
	assert_int_equal(report_diff(&rep, &d), 0);
	assert_int_equal(d.n, 1);
	x = &d.d[0];
	assert_int_equal(x->kind, DIFF_VERDICT);
	assert_string_equal(x->claim, "A01");
	assert_string_equal(x->subject, "active_closer.ipv4");
	assert_string_equal(x->what, "TIME_WAIT at the server");
	assert_string_equal(x->fact, "K02");
	assert_string_equal(x->val[0], "confirmed [K02]: measured 0 sockets, expected 0 sockets");
	assert_string_equal(x->val[1], "refuted [K02]: measured 0 sockets, expected 0 sockets");
	report_diffs_free(&d);
	report_free(&rep);
}

/* A claim twlab does not know goes after those it does, with no text. */
static void merge_unknown_claim(void **state UNUSED)
{
	json_t *a = run("6.18.44", 250, "2026-01-01T00:00:00Z");
	struct report rep;

	add(a, instance("future", "future.ipv4", "pass", "", json_pack("[o]",
		verdict("A99", "confirmed", "x", 1, 1, 1, "", "K99"))));
	add_active_closer(a, "confirmed");
	merge(&rep, (json_t *[]){ a }, 1);
	assert_int_equal(rep.nrows, 2);
	assert_string_equal(rep.row[0].id, "A01");
	assert_string_equal(rep.row[1].id, "A99");
	assert_null(rep.row[1].text);
	assert_string_equal(cell(&rep, "A99", 0), "confirmed ×1: 1");
	report_free(&rep);
}

/* ---- cells ---- */

static void cell_texts(void **state UNUSED)
{
	struct rep_row row = { .fig = FIG_BOUNDS, .unit = "ms" };
	struct rep_cell c = { .count = { 2 }, .instances = 2, .nfig = 2, .lo = 999.17,
			      .hi = 1001.65, .mid = NAN };
	char buf[256];

	assert_string_equal(report_cell_text(&row, &c, buf, sizeof(buf)),
			    "confirmed ×2: 999..1002 ms");
	c.failed = 1;
	c.skipped = 3;
	c.count[V_REFINED] = 1;
	assert_string_equal(report_cell_text(&row, &c, buf, sizeof(buf)),
			    "confirmed ×2, refined ×1: 999..1002 ms; 1 of 2 instances failed; "
			    "3 more skipped");
	row = (struct rep_row){ .fig = FIG_PLAIN, .unit = "" };
	c = (struct rep_cell){ .count = { [V_REFUTED] = 1 }, .nfig = 1, .lo = 2, .hi = 2 };
	assert_string_equal(report_cell_text(&row, &c, buf, sizeof(buf)), "refuted ×1: 2");
	/* no figure at all: the counts alone */
	c.nfig = 0;
	assert_string_equal(report_cell_text(&row, &c, buf, sizeof(buf)), "refuted ×1");
	/* under 10 s, ms stay ms; small figures keep three digits */
	row = (struct rep_row){ .fig = FIG_PLAIN, .unit = "ms" };
	c = (struct rep_cell){ .count = { 1 }, .nfig = 2, .lo = 0.0367, .hi = 5196 };
	assert_string_equal(report_cell_text(&row, &c, buf, sizeof(buf)),
			    "confirmed ×1: 0.0367..5196 ms");
	/* a short buffer: cut, terminated */
	assert_string_equal(report_cell_text(&row, &c, buf, 10), "confirmed");
	c = (struct rep_cell){ 0 };
	assert_string_equal(report_cell_text(&row, &c, buf, sizeof(buf)), "not run");
}

/* ---- differences ---- */

static void diff_figures_and_kernel(void **state UNUSED)
{
	json_t *a = run("6.18.44", 250, "2026-01-01T00:00:00Z");
	json_t *b = run("6.18.45", 250, "2026-01-01T00:00:00Z");
	json_t *c = run("4.19.0", 1000, "2026-01-01T00:00:00Z");
	const struct rep_diff *x;
	struct rep_diffs d;
	struct report rep;

	/* b: the same window, 0.5% later: jitter, no difference */
	add_lifetimes(a, 0, 62052);
	add_lifetimes(b, 300, 62052);
	merge(&rep, (json_t *[]){ a, b }, 2);
	assert_int_equal(report_diff(&rep, &d), 0);
	assert_int_equal(d.n, 0);
	report_diffs_free(&d);
	report_free(&rep);

	/* c: HZ=1000, a wider window, no tcp_tw_reuse_delay, no tcp_tw_recycle recorded */
	a = run("6.18.44", 250, "2026-01-01T00:00:00Z");
	add_lifetimes(a, 0, 62052);
	add_lifetimes(c, 0, 64097);
	json_object_set_new(json_object_get(json_object_get(c, "kernel"), "defaults"),
			    "tcp_tw_reuse_delay", json_null());
	json_object_del(json_object_get(json_object_get(c, "kernel"), "defaults"), "tcp_tw_recycle");
	merge(&rep, (json_t *[]){ a, c }, 2);
	assert_int_equal(report_diff(&rep, &d), 0);
	x = diff_of(&d, DIFF_FIGURE, "tw_duration.ipv4");
	assert_non_null(x);
	assert_string_equal(x->fact, "K03");
	assert_non_null(strstr(x->val[0], "expected (60000, 62052] ms"));
	assert_non_null(strstr(x->val[1], "expected (60000, 64097] ms"));
	assert_non_null(diff_of(&d, DIFF_FIGURE, "tw_duration.ipv6"));
	assert_int_equal(d.d[2].kind, DIFF_HZ);
	assert_string_equal(d.d[2].fact, "K03");
	assert_string_equal(d.d[2].val[1], "HZ=1000 (from /proc/config.gz)");
	x = diff_of(&d, DIFF_DEFAULT, "tcp_tw_reuse_delay");
	assert_non_null(x);
	assert_string_equal(x->fact, "K08");
	assert_string_equal(x->val[0], "1000");
	assert_string_equal(x->val[1], "(absent)");
	/* recorded on one kernel only: nothing to compare */
	assert_null(diff_of(&d, DIFF_DEFAULT, "tcp_tw_recycle"));
	assert_null(diff_of(&d, DIFF_DEFAULT, "tcp_tw_reuse"));
	assert_int_equal(d.n, 4);
	report_diffs_free(&d);
	report_free(&rep);
}

static void diff_sysctl_facts(void **state UNUSED)
{
	assert_string_equal(report_sysctl_fact("tcp_tw_reuse"), "K07");
	assert_string_equal(report_sysctl_fact("tcp_tw_reuse_delay"), "K08");
	assert_string_equal(report_sysctl_fact("tcp_tw_recycle"), "K09");
	assert_string_equal(report_sysctl_fact("tcp_max_tw_buckets"), "K10");
	assert_string_equal(report_sysctl_fact("tcp_fin_timeout"), "K16");
	assert_string_equal(report_sysctl_fact("no_such_sysctl"), "");
}

/* ---- Markdown and HTML ---- */

static char *render(int (*fn)(FILE *, const struct report *, const struct rep_diffs *,
			      const struct rep_plot *),
		    const struct report *rep, const struct rep_diffs *d,
		    const struct rep_plot *plots)
{
	char *text = NULL;
	size_t len;
	FILE *f = open_memstream(&text, &len);

	assert_non_null(f);
	assert_int_equal(fn(f, rep, d, plots), 0);
	fclose(f);
	return text;
}

static int md(FILE *f, const struct report *rep, const struct rep_diffs *d,
	      const struct rep_plot *plots)
{
	(void)plots;
	return report_write_md(f, rep, d);
}

static void two_kernels(struct report *rep, struct rep_diffs *d, const char *second)
{
	json_t *a = run("6.18.44", 250, "2026-01-01T00:00:00Z");
	json_t *b = run(second, 250, "2026-01-01T00:00:00Z");

	add_active_closer(a, "confirmed");
	add_active_closer(b, "refuted");
	add_lifetimes(a, 0, 62052);
	merge(rep, (json_t *[]){ a, b }, 2);
	assert_int_equal(report_diff(rep, d), 0);
}

static void markdown(void **state UNUSED)
{
	struct rep_diffs d;
	struct report rep;
	char *text;

	two_kernels(&rep, &d, "5.4|evil");
	text = render(md, &rep, &d, NULL);
	assert_non_null(strstr(text, "| claim | 6.18.44 | 5.4\\|evil |\n|---|---|---|\n"));
	assert_non_null(strstr(text, "| **A01** The side that closes first"));
	assert_non_null(strstr(text, " | confirmed ×2: 0..1 sockets | confirmed ×1, refuted ×1: "
				     "0..1 sockets |\n"));
	assert_non_null(strstr(text, "| **A02** TIME_WAIT lasts 2MSL, 60 seconds on Linux "
				     "(`TCP_TIMEWAIT_LEN`) | refined ×2: 61.0 s "
				     "(60.0-62.0) | not run |"));
	assert_non_null(strstr(text, "Not measured in any of these runs: A03, A04, A05,"));
	assert_non_null(strstr(text, "## Differences between kernels\n"));
	assert_non_null(strstr(text, "- **A01** `active_closer.ipv4` TIME_WAIT at the server: "
				     "the verdict differs [K02]\n  - 6.18.44: confirmed"));
	assert_non_null(strstr(text, "  - 5.4\\|evil: refuted [K02]"));
	free(text);
	report_diffs_free(&d);
	report_free(&rep);
}

static void html(void **state UNUSED)
{
	struct rep_plot plots[REPORT_NPLOTS] = {
		[PLOT_LIFETIME] = { .title = "(a) t", .script = "s",
				    .svg = "<?xml version=\"1.0\"?>\n<svg viewBox=\"0 0 1 1\"><path "
					   "id='gpPt0'/><use xlink:href='#gpPt0' x=\"1\" "
					   "filter=\"url(#box)\" grid='1'/></svg>" },
		[PLOT_REUSE] = { .title = "(b) t", .absent = "No reuse data." },
		[PLOT_RTO] = { .title = "(c) t", .absent = "No rto.", .script = "s",
			       .error = "gnuplot is not installed" },
		[PLOT_TABLE] = { .title = "(d) t", .absent = "none" },
	};
	struct rep_diffs d;
	struct report rep;
	char *text;

	two_kernels(&rep, &d, "<script>alert(1)</script>");
	text = render(report_write_html, &rep, &d, plots);
	assert_true(!strncmp(text, "<!DOCTYPE html>", 15));
	assert_non_null(strstr(text, "<style>"));
	assert_null(strstr(text, "<script"));	/* escaped, and none of our own */
	assert_non_null(strstr(text, "&lt;script&gt;alert(1)&lt;/script&gt;"));
	assert_null(strstr(text, "http"));	/* nothing to fetch */
	assert_non_null(strstr(text, "<table class=\"claims\">"));
	assert_non_null(strstr(text, "<th>A01</th><td class=\"claim\">"));
	assert_non_null(strstr(text, "on Linux (<code>TCP_TIMEWAIT_LEN</code>)</td>"));
	assert_non_null(strstr(text, "<td class=\"mixed\">confirmed ×1, refuted ×1"));
	assert_non_null(strstr(text, "<td class=\"refined\">refined ×2: 61.0 s"));
	assert_non_null(strstr(text, "<td class=\"none\">not run</td>"));
	assert_non_null(strstr(text, "Differences between kernels"));
	/* the SVG inline, without its XML declaration, its ids its own */
	assert_non_null(strstr(text, "</h3></figcaption>\n<svg viewBox=\"0 0 1 1\"><path "
				     "id='p0-gpPt0'/><use xlink:href='#p0-gpPt0' x=\"1\" "
				     "filter=\"url(#p0-box)\" grid='1'/></svg>"));
	assert_null(strstr(text, "<?xml"));
	assert_non_null(strstr(text, "<figure id=\"plot-b\"><figcaption><h3>(b) t</h3>"
				     "</figcaption>\n<p>No reuse data.</p>"));
	assert_non_null(strstr(text, "<p>gnuplot is not installed</p>"));
	free(text);
	report_diffs_free(&d);
	report_free(&rep);
}

/* ---- gnuplot scripts ---- */

static char *script(const struct report *rep, enum rep_plot_id id)
{
	char *s = NULL;

	assert_int_equal(report_plot_script(rep, id, &s), 0);
	assert_non_null(strstr(s, "set terminal svg "));
	assert_null(strstr(s, "set output"));	/* SVG on stdout */
	return s;
}

static void plot_lifetimes(void **state UNUSED)
{
	json_t *a = run("6.18.44", 250, "2026-01-01T00:00:00Z");
	json_t *b = run("6.1'0", 1000, "2026-01-01T00:00:00Z");
	struct report rep;
	char *s;

	add_lifetimes(a, 0, 62052);
	add_lifetimes(b, 1500, 64097);
	add_active_closer(a, "confirmed");
	merge(&rep, (json_t *[]){ a, b }, 2);
	s = script(&rep, PLOT_LIFETIME);
	/* in seconds: x, window centre, box, window */
	assert_non_null(strstr(s, "$win << EOD\n 1 61.026 0.65 1.35 60 62.052\n"));
	assert_non_null(strstr(s, " 3 62.0485 2.65 3.35 60 64.097\n"));
	/* per kernel: x, median, min, max, label */
	assert_non_null(strstr(s, "$k0 << EOD\n 1 61 60.005 61.99 \"ipv4\"\n 2 61.1 60.005 61.99 "
				  "\"ipv6\"\nEOD\n"));
	assert_non_null(strstr(s, "$k1 << EOD\n 3 62.5 61.505 63.49 \"ipv4\"\n"));
	assert_non_null(strstr(s, "$k0 using 1:2:3:4:xtic(5) with yerrorbars"));
	assert_non_null(strstr(s, "title '6.1''0'"));	/* a quote, doubled */
	free(s);
	/* nothing of the kind: no script, and no plot */
	assert_int_equal(report_plot_script(&rep, PLOT_REUSE, &s), -ENODATA);
	assert_null(s);
	assert_int_equal(report_plot_script(&rep, PLOT_RTO, &s), -ENODATA);
	report_free(&rep);
}

static void plot_reuse(void **state UNUSED)
{
	json_t *a = run("6.18.44", 250, "2026-01-01T00:00:00Z");
	json_t *old = run("4.19", 250, "2026-01-01T00:00:00Z");
	json_t *in;
	struct report rep;
	char *s;

	json_object_del(json_object_get(json_object_get(old, "kernel"), "defaults"),
			"tcp_tw_reuse_delay");
	in = instance("tw_reuse", "tw_reuse.ipv4.tcp_tw_reuse_delay=100", "pass", "", json_pack(
		"[o]", with_bounds(verdict("A11", "refined", "veth", 0, 100, 101, "ms", "K08"),
				   99.5, 101, 30)));
	json_object_set_new(json_object_get(in, "params"), "tcp_tw_reuse_delay",
			    json_string("100"));
	add(a, in);
	add(old, instance("tw_reuse", "tw_reuse.ipv4", "pass", "", json_pack("[o]",
		with_bounds(verdict("A11", "refined", "veth", 0, 1000, 2000, "ms", "K08"),
			    1400, 1650, 30))));
	merge(&rep, (json_t *[]){ a, old }, 2);
	s = script(&rep, PLOT_REUSE);
	/* one slot per delay, sorted; offsets from the delay */
	assert_non_null(strstr(s, "set xtics ('100 ms' 0, 'no sysctl (1 s)' 1)\n"));
	assert_non_null(strstr(s, "$k0 << EOD\n 0 1 -0.5 1 \"100 ms\"\nEOD\n"));
	assert_non_null(strstr(s, "$k1 << EOD\n 1 650 400 650 \"no sysctl (1 s)\"\nEOD\n"));
	assert_non_null(strstr(s, " 1 500 0.975 1.025 0 1000\n"));	/* K08's (1000, 2000] */
	free(s);
	report_free(&rep);
}

static void plot_rto(void **state UNUSED)
{
	json_t *a = run("6.18.44", 250, "2026-01-01T00:00:00Z");
	json_t *in;
	struct report rep;
	char *s;

	/* the delay from a parameter, or named in the verdict */
	in = instance("rto", "rto.ipv4.delay_ms=50", "pass", "", json_pack("[oo]",
		verdict("A16", "confirmed", "first RTO after the SYN", 1000, 1000, 1004, "ms", "K13"),
		verdict("A16", "confirmed", "retransmits", 3, 3, 3, "segments", "K13")));
	json_object_set_new(json_object_get(in, "params"), "delay_ms", json_string("50"));
	add(a, in);
	add(a, instance("rto", "rto.ipv6", "pass", "", json_pack("[ooo]",
		verdict("A16", "refined", "RTO on the veth (minimum RTO)", 204, 204, 204, "ms", "K13"),
		verdict("A16", "confirmed", "RTO with 10 ms one-way delay", 228, 224, 228, "ms", "K13"),
		verdict("A16", "refined", "maximum RTO (TCP_RTO_MAX)", 120000, 120000, 120000, "ms",
			"K13"))));
	merge(&rep, (json_t *[]){ a }, 1);
	s = script(&rep, PLOT_RTO);
	assert_non_null(strstr(s, "$k0 << EOD\n 50 1000 1000 1000 \"ipv4.delay_ms=50\"\n"
				  " 0 204 204 204 \"ipv6\"\n 10 228 228 228 \"ipv6\"\nEOD\n"));
	assert_non_null(strstr(s, " 10 226 9 11 224 228\n"));		/* its window */
	assert_null(strstr(s, "segments"));	/* only RTO figures in ms */
	assert_null(strstr(s, "120000"));	/* nor the maximum, a constant */
	free(s);
	report_free(&rep);
}

static void plot_table(void **state UNUSED)
{
	struct rep_diffs d;
	struct report rep;
	char *s;

	two_kernels(&rep, &d, "5.4.0");
	s = script(&rep, PLOT_TABLE);
	/* A01 on 5.4.0: half confirmed (green), half refuted (red), on the top row */
	assert_non_null(strstr(s, "0.7750 1 0.5500 1.0000 0.60 1.40 0x2e7d32\n"));
	assert_non_null(strstr(s, "1.2250 1 1.0000 1.4500 0.60 1.40 0xc62828\n"));
	assert_non_null(strstr(s, "set ytics ('A01' 1, 'A02' 0)"));
	assert_non_null(strstr(s, "set xtics ('6.18.44' 0, '5.4.0' 1)"));
	assert_non_null(strstr(s, "keyentry with boxes lc rgb '#c62828' title 'refuted'"));
	free(s);
	report_diffs_free(&d);
	report_free(&rep);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(load_fields),
		cmocka_unit_test(load_minimal),
		cmocka_unit_test(load_malformed),
		cmocka_unit_test(load_missing_file),
		cmocka_unit_test(merge_two_kernels),
		cmocka_unit_test(merge_same_kernel_twice),
		cmocka_unit_test(merge_claim_on_one_kernel),
		cmocka_unit_test(merge_conflicting_verdicts),
		cmocka_unit_test(merge_unknown_claim),
		cmocka_unit_test(cell_texts),
		cmocka_unit_test(diff_figures_and_kernel),
		cmocka_unit_test(diff_sysctl_facts),
		cmocka_unit_test(markdown),
		cmocka_unit_test(html),
		cmocka_unit_test(plot_lifetimes),
		cmocka_unit_test(plot_reuse),
		cmocka_unit_test(plot_rto),
		cmocka_unit_test(plot_table),
	};

	return cmocka_run_group_tests_name("report", tests, NULL, NULL);
}
