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

/*
 * A sub-claim's verdict: its ID, the kernel's window (@klo, @khi] and the
 * observer's uncertainty, as json.c writes them.
 */
static json_t *with_sub(json_t *v, const char *id, double klo, double khi, double below,
			double above)
{
	json_object_set_new(v, "subclaim", json_string(id));
	json_object_set_new(v, "article", json_pack("{s:n, s:n, s:b, s:b}", "lo", "hi",
						    "lo_open", 0, "hi_open", 0));
	json_object_set_new(v, "kernel", json_pack("{s:o, s:o, s:b, s:b}", "lo", figure(klo),
						   "hi", figure(khi), "lo_open", klo != khi,
						   "hi_open", 0));
	json_object_set_new(v, "kernel_rel", json_string("inside"));
	json_object_set_new(v, "uncertainty", json_pack("{s:f, s:f}", "below", below,
							"above", above));
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

/* The words of every verdict: what a reworded case would change. */
static const char *what_lifetime = "TIME_WAIT lifetime";
static const char *what_server = "TIME_WAIT at the server";

/* tw_duration-like: two instances, lifetimes sampled, against HZ=250's window */
static void add_lifetimes(json_t *r, double shift, double hi)
{
	static const char *const names[] = { "tw_duration.ipv4", "tw_duration.ipv6" };

	for (int i = 0; i < 2; i++)
		add(r, instance("tw_duration", names[i], "pass", "", json_pack("[o]",
			with_sub(with_samples(verdict("A02", "refined", what_lifetime, 0, 60000, hi,
						      "ms", "K03"),
					      24, 60005 + shift, 61000 + shift + i * 100,
					      61990 + shift),
				 "A02.tw_lifetime", 59996, hi, 1, 2))));
}

static void add_active_closer(json_t *r, const char *kind)
{
	add(r, instance("active_closer", "active_closer.ipv4", "pass", "", json_pack("[oo]",
		with_sub(verdict("A01", "confirmed", "TIME_WAIT at the client", 1, 1, 1, "sockets",
				 "K02"), "A01.client_closes.client", 1, 1, 0, 0),
		with_sub(verdict("A01", kind, what_server, 0, 0, 0, "sockets", "K02"),
			 "A01.client_closes.server", 0, 0, 0, 0))));
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
	/* a run borrows its path: it must outlive the run */
	static const char *const path[] = { "run0.json", "run1.json", "run2.json", "run3.json" };
	struct rep_run *r = calloc(n, sizeof(*r));

	assert_non_null(r);
	assert_true(n <= 4);
	for (int i = 0; i < n; i++)
		load(runs[i], path[i], &r[i]);
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

/* The headline's cell of claim @id in column @col. */
static const char *cell(const struct report *rep, const char *id, int col)
{
	static char buf[512];
	const struct rep_row *row = row_of(rep, id);

	return report_head_text(&row->cell[col], buf, sizeof(buf));
}

/* A sub-claim's cell. */
static const char *sub_cell(const struct report *rep, const char *key, int col)
{
	static char buf[512];
	char claim[8];
	const struct rep_sub *sub;

	snprintf(claim, sizeof(claim), "%.*s", (int)strcspn(key, "."), key);
	sub = report_sub(row_of(rep, claim), key);
	if (!sub)
		fail_msg("no sub-claim %s", key);
	return report_cell_text(&sub->cell[col], buf, sizeof(buf));
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

static char *render(int (*fn)(FILE *, const struct report *, const struct rep_diffs *,
			      const struct rep_plot *),
		    const struct report *rep, const struct rep_diffs *d,
		    const struct rep_plot *plots);
static int md(FILE *f, const struct report *rep, const struct rep_diffs *d,
	      const struct rep_plot *plots);

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
	/* A02's one sub-claim, as this twlab declares it */
	assert_int_equal(rep.row[1].nsub, 1);
	assert_string_equal(rep.row[1].sub[0].key, "A02.tw_lifetime");
	assert_true(rep.row[1].sub[0].has_id);
	assert_string_equal(rep.row[1].sub[0].what, subclaim_find("A02.tw_lifetime")->what);
	assert_int_equal(rep.row[1].cell[0].s.kind, V_REFINED);
	assert_int_equal(rep.row[1].cell[0].s.count[V_REFINED], 2);
	assert_int_equal(rep.row[1].cell[0].instances, 2);
	/* the first of the heaviest decides: the ipv4 instance's median */
	assert_string_equal(rep.row[1].cell[0].in->name, "tw_duration.ipv4");
	assert_string_equal(cell(&rep, "A02", 0), "refined: 61.0 s");
	assert_string_equal(cell(&rep, "A02", 1), "refined: 62.5 s");
	assert_string_equal(sub_cell(&rep, "A02.tw_lifetime", 0),
			    "refined: 61.0 s (60.005-61.99, n=24, -0.001/+0.002 each); "
			    "kernel (59.996, 62.052] s [K03]");
	assert_string_equal(sub_cell(&rep, "A02.tw_lifetime", 1),
			    "refined: 62.5 s (61.505-63.49, n=24, -0.001/+0.002 each); "
			    "kernel (59.996, 64.097] s [K03]");
	assert_string_equal(cell(&rep, "A01", 1), "confirmed: 1 sockets");
	assert_int_equal(rep.row[0].nsub, 2);
	assert_string_equal(sub_cell(&rep, "A01.client_closes.server", 1),
			    "confirmed: 0 sockets; kernel 0 sockets [K02]");
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
		assert_string_equal(cell(&rep, "A01", c), "confirmed: 1 sockets");
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

	assert_string_equal(cell(&rep, "A13", 0), "confirmed: 3500 ms");
	assert_string_equal(cell(&rep, "A13", 1), "no verdict: 1 skipped");
	assert_string_equal(cell(&rep, "A13", 2), "not run");
	assert_int_equal(report_diff(&rep, &d), 0);
	x = diff_of(&d, DIFF_CLAIM, "A13");
	assert_non_null(x);
	assert_string_equal(x->fact, "K09");
	assert_string_equal(x->val[0], "confirmed: 3500 ms");
	assert_string_equal(x->val[1], "no verdict: 1 skipped");
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
	assert_string_equal(cell(&rep, "A01", 0), "confirmed: 1 sockets");
	/* a refutation outweighs: its figure decides, never a count of kinds */
	assert_string_equal(cell(&rep, "A01", 1), "refuted: 0 sockets");
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
	assert_string_equal(cell(&rep, "A99", 0), "confirmed: 1");
	report_free(&rep);
}

/*
 * A sub-claim measured by several instances (ipv4, ipv6, sysctl values):
 * one word by the same rule, the deciding instance's figure, and which
 * instance that was.
 */
static void merge_subclaim_instances(void **state UNUSED)
{
	json_t *a = run("6.18.44", 250, "2026-01-01T00:00:00Z");
	const struct rep_row *row;
	struct rep_diffs d;
	struct report rep;
	char *text;

	add(a, instance("tw_duration", "tw_duration.ipv4", "pass", "", json_pack("[o]",
		with_sub(verdict("A02", "confirmed", "x", 60500, 60000, 62052, "ms", "K03"),
			 "A02.tw_lifetime", 59996, 62052, 4, 0))));
	add(a, instance("tw_duration", "tw_duration.ipv6", "pass", "", json_pack("[o]",
		with_sub(verdict("A02", "refined", "x", 61100, 60000, 62052, "ms", "K03"),
			 "A02.tw_lifetime", 59996, 62052, 4, 0))));
	add(a, instance("tw_duration", "tw_duration.ipv4.tcp_fin_timeout=5", "error", "broke",
			json_pack("[o]", with_sub(verdict("A02", "refuted", "x", 1, 60000, 62052,
							  "ms", "K03"),
						  "A02.tw_lifetime", 59996, 62052, 4, 0))));
	merge(&rep, (json_t *[]){ a }, 1);
	row = row_of(&rep, "A02");
	/* a broken instance judges nothing; of the others, refined outweighs */
	assert_int_equal(row->sub[0].cell[0].s.kind, V_REFINED);
	assert_string_equal(row->sub[0].cell[0].in->name, "tw_duration.ipv6");
	assert_int_equal(row->sub[0].cell[0].instances, 3);
	assert_int_equal(row->sub[0].cell[0].failed, 1);
	assert_string_equal(cell(&rep, "A02", 0), "refined: 61.1 s");
	assert_string_equal(sub_cell(&rep, "A02.tw_lifetime", 0),
			    "refined: 61.1 s -0.004/+0; kernel (59.996, 62.052] s [K03]; "
			    "1 of 3 instances failed");
	/* they disagree: which decided, and what each gave */
	assert_int_equal(report_differs(&rep, &d), 0);
	text = render(md, &rep, &d, NULL);
	assert_non_null(strstr(text, "1 of 3 instances failed (in ipv6) — by instance: ipv4 "
				     "confirmed: 60.5 s -0.004/+0; kernel (59.996, 62.052] s [K03]; "
				     "ipv6 refined: 61.1 s"));
	free(text);
	report_diffs_free(&d);
	report_free(&rep);
}

/* ---- cells ---- */

static void cell_texts(void **state UNUSED)
{
	struct tw_verdict v = {
		.id = "A11.reuse_threshold.veth", .claim = "A11", .fact = "K08",
		.kind = V_CONFIRMED, .measured = 1001.65, .min = 999.17, .max = 1001.65, .n = 30,
		.bounds = true, .kern = win_oc(1000, 2004), .unit = "ms",
	};
	struct rep_cell c = { .s = { .kind = V_CONFIRMED, .v = &v }, .instances = 2 };
	char buf[256];

	assert_string_equal(report_cell_text(&c, buf, sizeof(buf)),
			    "confirmed: (999, 1002] ms (search); kernel (1000, 2004] ms [K08]");
	assert_string_equal(report_head_text(&c, buf, sizeof(buf)), "confirmed: (999, 1002] ms");
	c.failed = 1;
	assert_string_equal(report_cell_text(&c, buf, sizeof(buf)),
			    "confirmed: (999, 1002] ms (search); kernel (1000, 2004] ms [K08]; "
			    "1 of 2 instances failed");
	/* a short buffer: cut, terminated */
	assert_string_equal(report_cell_text(&c, buf, 10), "confirmed");
	/* a count, at least a bound */
	v = (struct tw_verdict){ .id = "A14.tw_cap", .fact = "K10", .kind = V_REFINED,
				 .measured = 64, .n = 1, .kern = win_at_least(64), .unit = "sockets" };
	c = (struct rep_cell){ .s = { .kind = V_REFINED, .v = &v } };
	assert_string_equal(report_cell_text(&c, buf, sizeof(buf)),
			    "refined: 64 sockets; kernel >= 64 sockets [K10]");
	/* under 10 s, ms stay ms; small figures keep three digits, uncertainty too */
	v = (struct tw_verdict){ .id = "A16.rto_min", .fact = "K13", .kind = V_INCONCLUSIVE,
				 .measured = 0.0367, .below = 0.0005, .above = 0.0005, .n = 1,
				 .kern = win_any(), .unit = "ms" };
	c.s.kind = V_INCONCLUSIVE;
	assert_string_equal(report_cell_text(&c, buf, sizeof(buf)),
			    "inconclusive: 0.0367 ms -0.0005/+0.0005; kernel any [K13]");
	/* tens of seconds in seconds, the window alike */
	v = (struct tw_verdict){ .id = "A02.tw_lifetime", .fact = "K03", .kind = V_REFINED,
				 .measured = 61010, .below = 4, .n = 1,
				 .kern = win_oc(59996, 62052), .unit = "ms" };
	c.s.kind = V_REFINED;
	assert_string_equal(report_cell_text(&c, buf, sizeof(buf)),
			    "refined: 61.01 s -0.004/+0; kernel (59.996, 62.052] s [K03]");
	assert_string_equal(report_head_text(&c, buf, sizeof(buf)), "refined: 61.01 s");
	/* no figure: the word alone */
	v = (struct tw_verdict){ .id = "A13.recycle", .fact = "K09", .kind = V_NA,
				 .measured = NAN, .kern = win_any() };
	c.s.kind = V_NA;
	assert_string_equal(report_head_text(&c, buf, sizeof(buf)), "not applicable");
	assert_string_equal(report_cell_text(&c, buf, sizeof(buf)),
			    "not applicable: no figure; kernel any [K09]");
	/* none: why */
	c = (struct rep_cell){ .s = { .kind = V_NKINDS } };
	assert_string_equal(report_cell_text(&c, buf, sizeof(buf)), "not run");
	assert_string_equal(report_word(&c), "not run");
	c.silent = c.skipped = 1;
	assert_string_equal(report_head_text(&c, buf, sizeof(buf)), "no verdict: 1 skipped");
	c.silent = 2;
	assert_string_equal(report_cell_text(&c, buf, sizeof(buf)), "no verdict from 2 instances");
	assert_string_equal(report_word(&c), "no verdict");
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

static const struct rep_diff *differs_of(const struct rep_diffs *d, const char *subclaim)
{
	for (int i = 0; i < d->n; i++)
		if (d->d[i].kind == DIFF_SUBCLAIM && d->d[i].subclaim &&
		    !strcmp(d->d[i].subclaim, subclaim))
			return &d->d[i];
	return NULL;
}

/* The report's section: only a conclusive verdict or a kernel window that differs. */
static void differs_section(void **state UNUSED)
{
	json_t *a = run("6.18.44", 250, "2026-01-01T00:00:00Z");
	json_t *c = run("4.19.0", 1000, "2026-01-01T00:00:00Z");
	const struct rep_diff *x;
	struct rep_diffs d;
	struct report rep;

	add_active_closer(a, "confirmed");
	add_active_closer(c, "refuted");
	add_lifetimes(a, 0, 62052);
	add_lifetimes(c, 0, 64097);
	/* inconclusive against confirmed: nothing a reader can tell apart */
	add(a, instance("tw_buckets", "tw_buckets.ipv4", "inconclusive", "", json_pack("[o]",
		with_sub(verdict("A14", "inconclusive", "x", 64, 64, 64, "sockets", "K10"),
			 "A14.tw_cap", 64, 64, 0, 0))));
	add(c, instance("tw_buckets", "tw_buckets.ipv4", "pass", "", json_pack("[o]",
		with_sub(verdict("A14", "confirmed", "x", 64, 64, 64, "sockets", "K10"),
			 "A14.tw_cap", 64, 64, 0, 0))));
	/* judged where the sysctl exists, skipped where it does not */
	add(a, instance("tw_reuse", "tw_reuse.ipv4.tcp_tw_reuse_delay=100", "pass", "",
			json_pack("[o]", with_sub(with_bounds(verdict("A11", "confirmed", "x", 0, 100,
								      101, "ms", "K08"), 99.5, 101, 30),
						  "A11.reuse_threshold.veth", 100, 101, 0, 0))));
	add(c, instance("tw_reuse", "tw_reuse.ipv4.tcp_tw_reuse_delay=100", "skip",
			"sysctl tcp_tw_reuse_delay does not exist on this kernel", NULL));
	json_object_set_new(json_object_get(json_object_get(c, "kernel"), "defaults"),
			    "tcp_tw_reuse_delay", json_null());
	merge(&rep, (json_t *[]){ a, c }, 2);
	assert_int_equal(report_differs(&rep, &d), 0);

	x = differs_of(&d, "A01.client_closes.server");
	assert_non_null(x);
	assert_true(x->gates && !x->window);
	assert_string_equal(x->fact, "K02");
	assert_string_equal(x->subject, "active_closer.ipv4");
	assert_string_equal(report_diff_title(x), "the verdict differs");
	assert_string_equal(x->val[0], "confirmed: 0 sockets; kernel 0 sockets [K02]");
	assert_string_equal(x->val[1], "refuted: 0 sockets; kernel 0 sockets [K02]");
	/* HZ moves the window: the same verdict, another window */
	x = differs_of(&d, "A02.tw_lifetime");
	assert_non_null(x);
	assert_true(x->window && !x->gates);
	assert_string_equal(x->fact, "K03");
	assert_string_equal(report_diff_title(x), "the kernel's window differs");
	assert_non_null(strstr(x->val[1], "kernel (59.996, 64.097] s [K03]"));
	assert_string_equal(x->what, subclaim_find("A02.tw_lifetime")->what);
	/* alike, or inconclusive on one side: no line */
	assert_null(differs_of(&d, "A01.client_closes.client"));
	assert_null(differs_of(&d, "A14.tw_cap"));
	x = differs_of(&d, "A11.reuse_threshold.veth");
	assert_non_null(x);
	assert_true(x->partial && !x->gates && !x->window);
	assert_string_equal(report_diff_title(x), "judged on some kernels only");
	assert_string_equal(x->fact, "K08");
	assert_string_equal(x->val[0], "confirmed: (99.5, 101] ms (search); kernel (100, 101] ms "
					"[K08]");
	assert_string_equal(x->val[1], "no verdict in tw_reuse.ipv4.tcp_tw_reuse_delay=100: skip: "
					"sysctl tcp_tw_reuse_delay does not exist on this kernel");
	/* then the settings */
	assert_int_equal(d.n, 5);
	assert_int_equal(d.d[3].kind, DIFF_HZ);
	assert_int_equal(d.d[4].kind, DIFF_DEFAULT);
	assert_string_equal(d.d[4].fact, "K08");
	for (int i = 0; i < d.n; i++)
		assert_true(*d.d[i].fact);	/* every line names a fact */
	report_diffs_free(&d);
	report_free(&rep);
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
	assert_int_equal(report_differs(rep, d), 0);
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
	/* one word a cell, the deciding figure, the sub-claim that decides */
	assert_non_null(strstr(text, " | **confirmed** 1 sockets (A01.client_closes.client) | "
				     "**refuted** 0 sockets (A01.client_closes.server) |\n"));
	assert_non_null(strstr(text, "| **A02** TIME_WAIT lasts 2MSL, 60 seconds on Linux "
				     "(`TCP_TIMEWAIT_LEN`) | **refined** 61.0 s "
				     "(A02.tw_lifetime) | not run |"));
	assert_null(strstr(text, "×"));		/* no counts of verdicts */
	assert_non_null(strstr(text, "Not measured in any of these runs: A03, A04, A05,"));
	assert_non_null(strstr(text, "## What differs between these kernels\n"));
	assert_non_null(strstr(text, "- **A01** `A01.client_closes.server` in "
				     "`active_closer.ipv4`: the verdict differs [K02]\n"
				     "  - 6.18.44: confirmed: 0 sockets; kernel 0 sockets [K02]\n"
				     "  - 5.4\\|evil: refuted: 0 sockets"));
	/* each claim's sub-claims, each cell with figure, window and fact */
	assert_non_null(strstr(text, "## Sub-claims against kernels\n"));
	assert_non_null(strstr(text, "\n### A02 TIME_WAIT lasts"));
	assert_non_null(strstr(text, "| `A02.tw_lifetime` "));
	assert_non_null(strstr(text, " | **refined**: 61.0 s (60.005-61.99, n=24, -0.001/+0.002 "
				     "each); kernel (59.996, 62.052] s [K03] (2 instances alike) |"));
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
	assert_non_null(strstr(text, "<table class=\"claims\"><colgroup>"));
	assert_non_null(strstr(text, "<th><a href=\"#claim-A01\">A01</a></th><td class=\"claim\">"));
	assert_non_null(strstr(text, "on Linux (<code>TCP_TIMEWAIT_LEN</code>)</td>"));
	/* the headline: coloured by the one verdict, its figure, the sub-claim deciding */
	assert_non_null(strstr(text, "<td class=\"refuted\"><b class=\"word\">refuted</b>0 sockets"
				     "<br><small>A01.client_closes.server</small></td>"));
	assert_non_null(strstr(text, "<td class=\"refined\"><b class=\"word\">refined</b>61.0 s"));
	assert_non_null(strstr(text, "<td class=\"none\"><b class=\"word\">not run</b></td>"));
	assert_null(strstr(text, "×"));
	assert_non_null(strstr(text, "What differs between these kernels"));
	assert_non_null(strstr(text, "<b>A01</b> <code>A01.client_closes.server</code> in "
				     "<code>active_closer.ipv4</code>: the verdict differs [K02]"));
	/* each claim opens into its sub-claims, with the per-instance breakdown */
	assert_non_null(strstr(text, "<details id=\"claim-A02\"><summary><b>A02</b> "));
	assert_non_null(strstr(text, "<th><code>A02.tw_lifetime</code><br><small>"));
	assert_non_null(strstr(text, "<b class=\"word\">refined</b>61.0 s (60.005-61.99, n=24, "
				     "-0.001/+0.002 each); kernel (59.996, 62.052] s [K03] "
				     "<small>(2 instances alike)</small></td>"));
	assert_non_null(strstr(text, "@media print{"));
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
	/* a window a little thicker than it is, so that an exact one shows */
	assert_non_null(strstr(s, "$win << EOD\n 1 61.024 0.65 1.35 59.994 62.054\n"));
	assert_non_null(strstr(s, " 3 62.0465 2.65 3.35 59.994 64.099\n"));
	/* per kernel: x, median, lowest and highest sample with their uncertainty, label */
	assert_non_null(strstr(s, "$k0 << EOD\n 1 61 60.004 61.992 \"ipv4\"\n 2 61.1 60.004 61.992 "
				  "\"ipv6\"\nEOD\n"));
	assert_non_null(strstr(s, "$k1 << EOD\n 3 62.5 61.504 63.492 \"ipv4\"\n"));
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
		"[oo]", with_sub(with_bounds(verdict("A11", "refined", "veth", 0, 100, 101, "ms",
						     "K08"), 99.5, 101, 30),
				 "A11.reuse_threshold.veth", 100, 101, 0, 0),
		/* bounds, but not of the threshold: not plotted */
		with_sub(with_bounds(verdict("A11", "refined", "threshold", 0, 5, 6, "ms", "K08"),
				     5, 6, 3), "A11.other", 5, 6, 0, 0)));
	json_object_set_new(json_object_get(in, "params"), "tcp_tw_reuse_delay",
			    json_string("100"));
	add(a, in);
	/* the threshold as samples, each known to within -9 ms */
	in = instance("tw_reuse", "tw_reuse.ipv6.tcp_tw_reuse_delay=3000", "pass", "", json_pack(
		"[o]", with_sub(with_samples(verdict("A11", "refined", "lo", 0, 3001, 3001, "ms",
						     "K08"), 3, 3001, 3001, 3005),
				"A11.reuse_threshold.loopback", 3001, 3001, 9, 0)));
	json_object_set_new(json_object_get(in, "params"), "tcp_tw_reuse_delay",
			    json_string("3000"));
	add(a, in);
	add(old, instance("tw_reuse", "tw_reuse.ipv4", "pass", "", json_pack("[o]",
		with_sub(with_bounds(verdict("A11", "refined", "veth", 0, 1000, 2000, "ms", "K08"),
				     1400, 1650, 30), "A11.reuse_threshold.loopback", 1000, 2000,
			 0, 0))));
	merge(&rep, (json_t *[]){ a, old }, 2);
	s = script(&rep, PLOT_REUSE);
	/* one slot per delay, sorted; offsets from the delay */
	assert_non_null(strstr(s, "set xtics ('100 ms' 0, 'no sysctl (1 s)' 1, '3000 ms' 2)\n"));
	assert_non_null(strstr(s, "$k0 << EOD\n 0 1 -0.5 1 \"100 ms\"\n 2 1 -8 5 \"3000 ms\"\nEOD\n"));
	assert_non_null(strstr(s, "$k1 << EOD\n 1 650 400 650 \"no sysctl (1 s)\"\nEOD\n"));
	assert_non_null(strstr(s, " 1 500 0.97 1.03 -0.25 1000.25\n"));	/* K08's (1000, 2000] */
	free(s);
	report_free(&rep);
}

static void plot_rto(void **state UNUSED)
{
	json_t *a = run("6.18.44", 250, "2026-01-01T00:00:00Z");
	struct report rep;
	char *s;

	/* the delay from the sub-claim's ID, never from a verdict's words */
	add(a, instance("rto", "rto.ipv4", "pass", "", json_pack("[ooo]",
		with_sub(verdict("A16", "confirmed", "x", 1000, 1000, 1004, "ms", "K13"),
			 "A16.rto_delay_50ms", 1000, 1004, 0, 0),
		with_sub(verdict("A15", "confirmed", "RTO by ss", 216, 216, 216, "ms", "K13"),
			 "A15.ss_rto", 216, 216, 0, 0),
		with_sub(verdict("A16", "refined", "maximum RTO", 120000, 120000, 120000, "ms",
				 "K13"), "A16.rto_max", 120000, 120000, 0, 0))));
	add(a, instance("rto", "rto.ipv6", "pass", "", json_pack("[ooo]",
		with_sub(verdict("A16", "refined", "x", 204, 200, 208, "ms", "K13"),
			 "A16.rto_min", 200, 208, 0, 0),
		with_sub(verdict("A16", "confirmed", "x", 228, 224, 228, "ms", "K13"),
			 "A16.rto_delay_10ms", 224, 228, 0.5, 0.5),
		/* no ID: whatever its words say, not plotted */
		verdict("A16", "confirmed", "RTO with 30 ms one-way delay", 7777, 224, 228, "ms",
			"K13"))));
	merge(&rep, (json_t *[]){ a }, 1);
	s = script(&rep, PLOT_RTO);
	assert_non_null(strstr(s, "$k0 << EOD\n 50 1000 1000 1000 \"ipv4\"\n"
				  " 0 204 204 204 \"ipv6\"\n 10 228 227.5 228.5 \"ipv6\"\nEOD\n"));
	assert_non_null(strstr(s, " 10 226 9 11 223.5 228.5\n"));		/* its window */
	assert_null(strstr(s, "216"));		/* ss's RTO is no figure against delay */
	assert_null(strstr(s, "120000"));	/* nor the maximum, a constant */
	assert_null(strstr(s, "7777"));
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
	/* A01: confirmed (green) on 6.18.44, refuted (red) on 5.4.0, on the top row */
	assert_non_null(strstr(s, "0 1 -0.45 0.45 0.60 1.40 0x2e7d32\n"));
	assert_non_null(strstr(s, "1 1 0.55 1.45 0.60 1.40 0xc62828\n"));
	assert_non_null(strstr(s, "set ytics ('A01' 1, 'A02' 0)"));
	assert_non_null(strstr(s, "set xtics ('6.18.44' 0, '5.4.0' 1)"));
	assert_non_null(strstr(s, "keyentry with boxes lc rgb '#c62828' title 'refuted'"));
	free(s);
	report_diffs_free(&d);
	report_free(&rep);
}

/* ---- sub-claims are their IDs ---- */

/* Every kind of verdict the report shows or plots, with words that a case may change. */
static struct report *reworded(const char *words)
{
	json_t *r[2] = { run("6.18.44", 250, "2026-01-01T00:00:00Z"),
			 run("6.1.0", 250, "2026-01-01T00:00:00Z") };
	struct report *rep = calloc(1, sizeof(*rep));
	json_t *in;

	assert_non_null(rep);
	what_lifetime = what_server = words;
	for (int c = 0; c < 2; c++) {
		add_lifetimes(r[c], c * 700, 62052);
		add_active_closer(r[c], c ? "refuted" : "confirmed");
		in = instance("tw_reuse", "tw_reuse.ipv4", "pass", "", json_pack("[o]",
			with_sub(with_bounds(verdict("A11", "refined", words, 0, 1000, 1004, "ms",
						     "K08"), 999.5, 1001 + c, 30),
				 "A11.reuse_threshold.veth", 1000, 1004, 0, 0)));
		json_object_set_new(json_object_get(in, "params"), "tcp_tw_reuse_delay",
				    json_string("1000"));
		add(r[c], in);
		add(r[c], instance("rto", "rto.ipv4", "pass", "", json_pack("[oo]",
			with_sub(verdict("A16", "confirmed", words, 1000 + c, 1000, 1004, "ms",
					 "K13"), "A16.rto_delay_50ms", 1000, 1004 + c, 0, 0),
			with_sub(verdict("A16", "refined", words, 204, 200, 208, "ms", "K13"),
				 "A16.rto_min", 200, 208, 0, 0))));
	}
	merge(rep, r, 2);
	what_lifetime = "TIME_WAIT lifetime";
	what_server = "TIME_WAIT at the server";
	return rep;
}

/* Renaming a sub-claim's text changes no report cell and no plot. */
static void rename_changes_nothing(void **state UNUSED)
{
	struct report *rep[2] = { reworded("the lifetime, as first worded"),
				  reworded("Renamed: something else entirely, RTO delay 7 ms") };
	struct rep_plot plots[2][REPORT_NPLOTS];
	struct rep_diffs d[2];
	char *md_text[2], *html_text[2];

	for (int i = 0; i < 2; i++) {
		assert_int_equal(report_differs(rep[i], &d[i]), 0);
		memset(plots[i], 0, sizeof(plots[i]));
		for (int p = 0; p < REPORT_NPLOTS; p++) {
			plots[i][p].title = "t";
			assert_int_equal(report_plot_script(rep[i], p, &plots[i][p].script), 0);
		}
		md_text[i] = render(md, rep[i], &d[i], NULL);
		html_text[i] = render(report_write_html, rep[i], &d[i], plots[i]);
	}
	/* every cell, headline and sub-claim, in both runs */
	assert_int_equal(rep[0]->nrows, rep[1]->nrows);
	for (int r = 0; r < rep[0]->nrows; r++) {
		const struct rep_row *a = &rep[0]->row[r], *b = &rep[1]->row[r];

		assert_int_equal(a->nsub, b->nsub);
		for (int c = 0; c < 2; c++) {
			char x[512], y[512];

			assert_string_equal(report_head_text(&a->cell[c], x, sizeof(x)),
					    report_head_text(&b->cell[c], y, sizeof(y)));
			for (int s = 0; s < a->nsub; s++) {
				assert_string_equal(a->sub[s].key, b->sub[s].key);
				assert_string_equal(report_cell_text(&a->sub[s].cell[c], x, sizeof(x)),
						    report_cell_text(&b->sub[s].cell[c], y, sizeof(y)));
			}
		}
	}
	/* every plot has its data, and the same */
	for (int p = 0; p < REPORT_NPLOTS; p++)
		assert_string_equal(plots[0][p].script, plots[1][p].script);
	assert_non_null(strstr(plots[0][PLOT_RTO].script, " 50 1000 "));
	assert_non_null(strstr(plots[0][PLOT_REUSE].script, "A11") ||
			strstr(plots[0][PLOT_REUSE].script, "1000 ms"));
	/* and so the whole of report.md and report.html */
	assert_string_equal(md_text[0], md_text[1]);
	assert_string_equal(html_text[0], html_text[1]);
	assert_null(strstr(md_text[1], "Renamed"));
	for (int i = 0; i < 2; i++) {
		free(md_text[i]);
		free(html_text[i]);
		report_plots_free(plots[i]);
		report_diffs_free(&d[i]);
		report_free(rep[i]);
		free(rep[i]);
	}
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
		cmocka_unit_test(merge_subclaim_instances),
		cmocka_unit_test(cell_texts),
		cmocka_unit_test(diff_figures_and_kernel),
		cmocka_unit_test(diff_sysctl_facts),
		cmocka_unit_test(differs_section),
		cmocka_unit_test(markdown),
		cmocka_unit_test(html),
		cmocka_unit_test(plot_lifetimes),
		cmocka_unit_test(plot_reuse),
		cmocka_unit_test(plot_rto),
		cmocka_unit_test(plot_table),
		cmocka_unit_test(rename_changes_nothing),
	};

	return cmocka_run_group_tests_name("report", tests, NULL, NULL);
}
