// SPDX-License-Identifier: GPL-2.0
/*
 * What differs between the columns of a report, each difference with the
 * kernel fact that explains it:
 *   - a claim that has verdicts in some columns only, where the others ran
 *     its cases (that they did not run them at all is no difference);
 *   - an instance that gave a claim verdicts in some columns only: a SKIP
 *     for want of a sysctl, say -- one line, not one per verdict;
 *   - a verdict, matched by instance name, claim, "what" (and its place
 *     among verdicts of the same "what"), whose kind differs, or which
 *     one column's instance did not give while it gave others;
 *   - the same verdict with another expectation, or a figure more than
 *     REPORT_FIGURE_TOLERANCE away (timing jitter is no kernel difference);
 *   - HZ, and the sysctl defaults of a fresh namespace.
 * A verdict is only compared between the columns whose instance of that
 * name gave the claim verdicts: a run of A01 alone says nothing about A02.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ktap.h"
#include "report.h"

/* Below this many ms, twlab's waits (which poll each ms) cannot tell figures apart. */
#define MS_RESOLUTION	1.0

static const struct {
	const char *sysctl, *fact;
} sysctl_facts[] = {
	{ "tcp_tw_reuse", "K07" },
	{ "tcp_tw_reuse_delay", "K08" },
	{ "tcp_tw_recycle", "K09" },
	{ "tcp_timestamps", "K06" },
	{ "tcp_max_tw_buckets", "K10" },
	{ "tcp_ehash_entries", "K12" },
	{ "tcp_child_ehash_entries", "K12" },
	{ "tcp_rto_min_us", "K13" },
	{ "tcp_rto_max_ms", "K13" },
	{ "ip_local_port_range", "K15" },
	{ "tcp_fin_timeout", "K16" },
	{ "tcp_rfc1337", "K17" },
};

const char report_diff_note[] =
"Each line names the claim, the instance and the verdict, what differs, and in "
"brackets the kernel fact that explains it; under it, each column's value. A verdict "
"is compared between the columns that ran its instance. Figures within 10% (or 1 ms) "
"of each other count as the same: timing jitter is no kernel difference.";

const char report_diff_none[] =
"None: in the columns that ran the same instances every verdict agrees, every figure "
"is within 10% (or 1 ms), and HZ and the sysctl defaults are the same.";

const char report_differs_note[] =
"Only sub-claims whose conclusive verdict or kernel window differs between the columns, "
"or that one kernel judged where another ran its case and got no verdict (a skip for "
"want of a sysctl, say), each with the kernel fact that explains it in brackets; under "
"it, each column's verdict (where the difference is in one instance, that instance's). "
"Figures that move within their windows are no difference, and inconclusive verdicts "
"differ from nothing.";

const char report_differs_none[] =
"None: every sub-claim measured in more than one column has the same conclusive verdict "
"and the same kernel window in each.";

const char *report_diff_title(const struct rep_diff *d)
{
	switch (d->kind) {
	case DIFF_SUBCLAIM:
		if (d->gates && d->window)
			return "the verdict and the kernel's window differ";
		if (d->gates || d->window)
			return d->gates ? "the verdict differs" : "the kernel's window differs";
		return "judged on some kernels only";
	case DIFF_CLAIM:	return "has verdicts on some kernels only";
	case DIFF_INSTANCE:	return "gave verdicts on some kernels only";
	case DIFF_VERDICT:	return "the verdict differs";
	case DIFF_FIGURE:	return "the figure or its expectation differs";
	case DIFF_HZ:		return "HZ differs";
	default:		return "default differs";
	}
}

const char *report_sysctl_fact(const char *sysctl)
{
	for (size_t i = 0; i < sizeof(sysctl_facts) / sizeof(sysctl_facts[0]); i++)
		if (!strcmp(sysctl_facts[i].sysctl, sysctl))
			return sysctl_facts[i].fact;
	return "";
}

/* A new difference of @claim (may be NULL) in @subject (may be NULL); NULL without memory. */
static struct rep_diff *diff_add(struct rep_diffs *out, int nruns, enum rep_diff_kind kind,
				 const char *claim, const char *subject)
{
	struct rep_diff *nd = realloc(out->d, (out->n + 1) * sizeof(*nd)), *d;

	if (!nd)
		return NULL;
	out->d = nd;
	d = memset(&nd[out->n], 0, sizeof(*d));
	d->val = calloc(nruns ?: 1, sizeof(*d->val));
	if (!d->val)
		return NULL;
	d->kind = kind;
	d->claim = claim;
	d->subject = subject;
	out->n++;
	return d;
}

/* "K07" or "K07, K08": each fact once. */
static void fact_add(struct rep_diff *d, const char *fact)
{
	size_t l = strlen(d->fact);

	if (!*fact || strstr(d->fact, fact))
		return;
	snprintf(d->fact + l, sizeof(d->fact) - l, "%s%s", l ? ", " : "", fact);
}

static bool same_figure(double a, double b, const char *unit)
{
	double gap = fabs(a - b);

	if (isnan(a) || isnan(b))
		return isnan(a) && isnan(b);
	if (!strcmp(unit, "ms") && gap < MS_RESOLUTION)
		return true;
	return gap <= REPORT_FIGURE_TOLERANCE * fmax(fabs(a), fabs(b));
}

static bool same_exactly(double a, double b)
{
	return (isnan(a) && isnan(b)) || a == b;
}

bool report_same_window(const struct tw_verdict *a, const struct tw_verdict *b)
{
	struct tw_window wa = report_kern_window(a), wb = report_kern_window(b);

	return same_exactly(wa.lo, wb.lo) && same_exactly(wa.hi, wb.hi) &&
	       wa.lo_open == wb.lo_open && wa.hi_open == wb.hi_open;
}

/*
 * Sub-claims carry their observer's uncertainty: two figures differ only
 * when what each may be cannot overlap.  Older verdicts carry none, and
 * fall back to a tolerance.
 */
static bool same_figures(const struct tw_verdict *a, const struct tw_verdict *b)
{
	double alo, ahi, blo, bhi;

	if (!same_exactly(a->lo, b->lo) || !same_exactly(a->hi, b->hi) ||
	    strcmp(a->unit, b->unit) || a->bounds != b->bounds)
		return false;
	if (!a->id[0] || !b->id[0])
		return same_figure(a->measured, b->measured, a->unit) &&
		       same_figure(a->min, b->min, a->unit) && same_figure(a->max, b->max, a->unit);
	if (isnan(a->measured) || isnan(b->measured))
		return isnan(a->measured) && isnan(b->measured);
	report_reach(a, &alo, &ahi);
	report_reach(b, &blo, &bhi);
	return alo <= bhi && blo <= ahi;
}

static bool conclusive(enum tw_verdict_kind k)
{
	return k != V_INCONCLUSIVE && k < V_NKINDS;
}

static const struct rep_instance *instance_named(const struct rep_run *run, const char *name)
{
	for (int i = 0; i < run->ninst; i++)
		if (!strcmp(run->in[i].name, name))
			return &run->in[i];
	return NULL;
}

/* Which of @in's verdicts with @v's key (its sub-claim ID, never its wording) @v is. */
static int occurrence(const struct rep_instance *in, const struct tw_verdict *v)
{
	int occ = 0;

	for (const struct tw_verdict *w = in->r.v; w < v; w++)
		occ += !strcmp(w->claim, v->claim) && !strcmp(scorecard_key(w), scorecard_key(v));
	return occ;
}

static void verdict_text(const struct tw_verdict *v, const struct rep_instance *in,
			 char *buf, size_t len)
{
	char m[96], e[96];

	if (!v)
		snprintf(buf, len, "no such verdict (%s%s%.*s)", tw_outcome_name(in->r.outcome),
			 *in->r.reason ? ": " : "", (int)len / 2, in->r.reason);
	else
		snprintf(buf, len, "%s [%s]: measured %s, expected %s", tw_verdict_name(v->kind),
			 v->fact, ktap_measured(v, m, sizeof(m)), ktap_expected(v, e, sizeof(e)));
}

/* One verdict against its namesakes in every column that ran its instance. */
static int verdict_diff(const struct report *rep, const struct rep_instance *in,
			const struct tw_verdict *v, struct rep_diffs *out)
{
	const struct tw_verdict *w[REPORT_MAX_RUNS];
	const struct rep_instance *o[REPORT_MAX_RUNS];
	int occ = occurrence(in, v), ran = 0;
	bool kinds = true, figs = true;
	struct rep_diff *d;

	for (int c = 0; c < rep->nruns; c++) {
		o[c] = instance_named(&rep->run[c], in->name);
		if (o[c] && !report_gives(o[c], v->claim))
			o[c] = NULL;	/* instance_diff() says so, once */
		w[c] = o[c] ? report_verdict_at(o[c], v->claim, scorecard_key(v), occ) : NULL;
		ran += !!o[c];
		if (o[c] && (!w[c] || w[c]->kind != v->kind))
			kinds = false;
		else if (o[c] && !same_figures(w[c], v))
			figs = false;
	}
	if (ran < 2 || (kinds && figs))
		return 0;
	d = diff_add(out, rep->nruns, kinds ? DIFF_FIGURE : DIFF_VERDICT, v->claim, in->name);
	if (!d)
		return -ENOMEM;
	d->what = v->what;
	d->subclaim = v->id[0] ? v->id : NULL;
	for (int c = 0; c < rep->nruns; c++) {
		if (!o[c])
			continue;
		verdict_text(w[c], o[c], d->val[c], sizeof(d->val[c]));
		if (!w[c])
			continue;
		fact_add(d, w[c]->fact);
		/* two conclusive verdicts that differ: the kernel behaves otherwise */
		if (conclusive(w[c]->kind) && conclusive(v->kind) && w[c]->kind != v->kind)
			d->gates = true;
	}
	return 0;
}

/* A SKIP for want of a sysctl is explained by the fact about that sysctl. */
static void fact_from_reason(struct rep_diff *d, const char *reason)
{
	for (size_t i = 0; i < sizeof(sysctl_facts) / sizeof(sysctl_facts[0]); i++) {
		const char *at = strstr(reason, sysctl_facts[i].sysctl);
		size_t l = strlen(sysctl_facts[i].sysctl);

		/* whole names only: tcp_tw_reuse is not tcp_tw_reuse_delay */
		if (at && (at[l] == ' ' || at[l] == '=' || at[l] == ':' || at[l] == '\0'))
			fact_add(d, sysctl_facts[i].fact);
	}
}

static void facts_of_claim(struct rep_diff *d, const struct rep_instance *in, const char *id)
{
	for (int k = 0; k < in->r.nverdicts; k++)
		if (!strcmp(in->r.v[k].claim, id))
			fact_add(d, in->r.v[k].fact);
}

/* A claim with verdicts in some columns, and none in others that ran its cases. */
static int claim_diff(const struct report *rep, const struct rep_row *row,
		      struct rep_diffs *out)
{
	int gave = 0, silent = 0;
	struct rep_diff *d;

	for (int c = 0; c < rep->nruns; c++) {
		const struct rep_cell *cell = &row->cell[c];

		gave += cell->instances > 0;
		silent += !cell->instances && cell->silent;
	}
	if (!gave || !silent)
		return 0;
	d = diff_add(out, rep->nruns, DIFF_CLAIM, row->id, NULL);
	if (!d)
		return -ENOMEM;
	for (int c = 0; c < rep->nruns; c++) {
		const struct rep_run *run = &rep->run[c];

		if (row->cell[c].instances || row->cell[c].silent)
			report_head_text(&row->cell[c], d->val[c], sizeof(d->val[c]));
		for (int i = 0; i < run->ninst; i++)
			facts_of_claim(d, &run->in[i], row->id);
	}
	return 0;
}

/* An instance that gave the claim verdicts in one column and none (a SKIP) in another. */
static int instance_diff(const struct report *rep, const struct rep_instance *in,
			 const char *id, struct rep_diffs *out)
{
	const struct rep_instance *o[REPORT_MAX_RUNS];
	bool silent = false;
	struct rep_diff *d;

	for (int c = 0; c < rep->nruns; c++) {
		o[c] = instance_named(&rep->run[c], in->name);
		silent |= o[c] && !report_gives(o[c], id);
	}
	if (!silent)
		return 0;
	d = diff_add(out, rep->nruns, DIFF_INSTANCE, id, in->name);
	if (!d)
		return -ENOMEM;
	for (int c = 0; c < rep->nruns; c++) {
		int n = 0;

		if (!o[c])
			continue;
		for (int k = 0; k < o[c]->r.nverdicts; k++)
			n += !strcmp(o[c]->r.v[k].claim, id);
		if (n)
			snprintf(d->val[c], sizeof(d->val[c]), "%s: %d verdict%s on %s",
				 tw_outcome_name(o[c]->r.outcome), n, n == 1 ? "" : "s", id);
		else
			snprintf(d->val[c], sizeof(d->val[c]), "%s%s%.160s",
				 tw_outcome_name(o[c]->r.outcome), *o[c]->r.reason ? ": " : "",
				 o[c]->r.reason);
		facts_of_claim(d, o[c], id);
		fact_from_reason(d, o[c]->r.reason);
	}
	return 0;
}

/* Was @in's namesake, in an earlier column, compared already? */
static bool instance_seen_before(const struct report *rep, int col,
				 const struct rep_instance *in, const char *id)
{
	for (int c = 0; c < col; c++) {
		const struct rep_instance *o = instance_named(&rep->run[c], in->name);

		if (o && report_gives(o, id))
			return true;
	}
	return false;
}

static int row_diffs(const struct report *rep, const struct rep_row *row,
		     struct rep_diffs *out)
{
	int err = claim_diff(rep, row, out);

	for (int c = 0; c < rep->nruns && !err; c++)
		for (int i = 0; i < rep->run[c].ninst && !err; i++) {
			const struct rep_instance *in = &rep->run[c].in[i];

			if (!report_gives(in, row->id) || instance_seen_before(rep, c, in, row->id))
				continue;
			err = instance_diff(rep, in, row->id, out);
			for (int k = 0; k < in->r.nverdicts && !err; k++)
				if (!strcmp(in->r.v[k].claim, row->id))
					err = verdict_diff(rep, in, &in->r.v[k], out);
		}
	return err;
}

static int hz_diff(const struct report *rep, struct rep_diffs *out)
{
	int first = 0, differ = 0;
	struct rep_diff *d;

	for (int c = 0; c < rep->nruns; c++) {
		if (rep->run[c].hz && !first)
			first = rep->run[c].hz;
		differ |= rep->run[c].hz && rep->run[c].hz != first;
	}
	if (!differ)
		return 0;
	d = diff_add(out, rep->nruns, DIFF_HZ, NULL, NULL);
	if (!d)
		return -ENOMEM;
	fact_add(d, "K03");
	for (int c = 0; c < rep->nruns; c++)
		if (rep->run[c].hz)
			snprintf(d->val[c], sizeof(d->val[c]), "HZ=%d (from %s)", rep->run[c].hz,
				 *rep->run[c].hz_source ? rep->run[c].hz_source : "?");
	return 0;
}

/* null in the JSON is a sysctl the kernel does not have; a missing key, one not recorded. */
static const char *default_of(const struct rep_run *run, const char *key)
{
	json_t *j = json_object_get(run->defaults, key);

	if (!j)
		return NULL;
	return json_is_string(j) ? json_string_value(j) : "(absent)";
}

static bool default_seen_before(const struct report *rep, int col, const char *key)
{
	for (int c = 0; c < col; c++)
		if (json_object_get(rep->run[c].defaults, key))
			return true;
	return false;
}

static int default_diff(const struct report *rep, const char *key, struct rep_diffs *out)
{
	const char *first = NULL;
	bool differ = false;
	struct rep_diff *d;

	for (int c = 0; c < rep->nruns; c++) {
		const char *v = default_of(&rep->run[c], key);

		if (v && !first)
			first = v;
		differ |= v && strcmp(v, first);
	}
	if (!differ)
		return 0;
	d = diff_add(out, rep->nruns, DIFF_DEFAULT, NULL, key);
	if (!d)
		return -ENOMEM;
	fact_add(d, report_sysctl_fact(key));
	for (int c = 0; c < rep->nruns; c++)
		snprintf(d->val[c], sizeof(d->val[c]), "%s",
			 default_of(&rep->run[c], key) ?: "");
	return 0;
}

/* What a sub-claim differs in, between two instances of one name. */
struct sub_gap {
	bool kinds, windows;
	bool partial;			/* conclusive in one column, none where its case ran */
	const char *where;		/* the first instance where it does */
};

/* An instance of @c that gave the sub-claim nothing, where its namesake elsewhere did. */
static const struct rep_instance *silent_instance(const struct report *rep, int c,
						  const struct rep_row *row,
						  const struct rep_sub *sub)
{
	for (int i = 0; i < rep->run[c].ninst; i++) {
		const struct rep_instance *in = &rep->run[c].in[i];

		if (report_gives_sub(in, row->id, sub->key))
			continue;
		for (int c2 = 0; c2 < rep->nruns; c2++) {
			const struct rep_instance *o = instance_named(&rep->run[c2], in->name);

			if (c2 != c && o && report_gives_sub(o, row->id, sub->key))
				return in;
		}
	}
	return NULL;
}

/* "skip: sysctl tcp_tw_reuse_delay does not exist on this kernel" */
static void silent_text(struct rep_diff *d, const struct rep_instance *in, char *buf,
			size_t len)
{
	snprintf(buf, len, "no verdict in %s: %s%s%.160s", in->name,
		 tw_outcome_name(in->r.outcome), *in->r.reason ? ": " : "", in->r.reason);
	fact_from_reason(d, in->r.reason);
}

static void instances_compare(const struct report *rep, const struct rep_row *row,
			      const struct rep_sub *sub, struct sub_gap *g)
{
	for (int c = 0; c < rep->nruns; c++)
		for (int i = 0; i < rep->run[c].ninst; i++) {
			const struct rep_instance *in = &rep->run[c].in[i];
			const struct tw_verdict *v = report_verdict_at(in, row->id, sub->key, 0);

			for (int c2 = c + 1; v && c2 < rep->nruns; c2++) {
				const struct rep_instance *o = instance_named(&rep->run[c2], in->name);
				const struct tw_verdict *w = o ? report_verdict_at(o, row->id, sub->key, 0) : NULL;
				bool kinds, windows;

				if (!w)
					continue;
				kinds = conclusive(v->kind) && conclusive(w->kind) && v->kind != w->kind;
				windows = !report_same_window(v, w);
				g->kinds |= kinds;
				g->windows |= windows;
				if ((kinds || windows) && !g->where)
					g->where = in->name;
			}
		}
}

static int sub_differs(const struct report *rep, const struct rep_row *row,
		       const struct rep_sub *sub, struct rep_diffs *out)
{
	enum tw_verdict_kind first = V_NKINDS;
	struct sub_gap g = { 0 };
	const struct tw_subclaim *sc;
	struct rep_diff *d;

	bool lacks = false;

	/* rolled up: instances of other names (other sysctl values) count too */
	for (int c = 0; c < rep->nruns; c++) {
		enum tw_verdict_kind k = sub->cell[c].s.kind;

		lacks |= k == V_NKINDS && silent_instance(rep, c, row, sub);
		if (!conclusive(k))
			continue;
		g.kinds |= first != V_NKINDS && k != first;
		first = first == V_NKINDS ? k : first;
	}
	g.partial = lacks && first != V_NKINDS;
	instances_compare(rep, row, sub, &g);
	if (!g.kinds && !g.windows && !g.partial)
		return 0;
	d = diff_add(out, rep->nruns, DIFF_SUBCLAIM, row->id, g.where);
	if (!d)
		return -ENOMEM;
	d->subclaim = sub->has_id ? sub->key : NULL;
	d->what = sub->has_id ? sub->what : sub->key;
	d->gates = g.kinds;
	d->window = g.windows;
	d->partial = g.partial;
	for (int c = 0; c < rep->nruns; c++) {
		const struct rep_instance *o = g.where ? instance_named(&rep->run[c], g.where) : NULL;
		const struct tw_verdict *w = o ? report_verdict_at(o, row->id, sub->key, 0) : NULL;
		const struct rep_cell *cell = &sub->cell[c];
		const struct rep_instance *quiet = cell->s.v ? NULL :
						   silent_instance(rep, c, row, sub);

		if (w)
			report_verdict_text(w, d->val[c], sizeof(d->val[c]));
		else if (quiet)
			silent_text(d, quiet, d->val[c], sizeof(d->val[c]));
		else if (cell->s.v || cell->silent)
			report_cell_text(cell, d->val[c], sizeof(d->val[c]));
		if (cell->s.v)
			fact_add(d, cell->s.v->fact);
	}
	sc = sub->has_id ? subclaim_find(sub->key) : NULL;
	if (sc)
		fact_add(d, sc->fact);
	return 0;
}

/* HZ and the sysctl defaults that differ: what explains the lines before them. */
static int settings_diffs(const struct report *rep, struct rep_diffs *out)
{
	int err = hz_diff(rep, out);
	const char *key;
	json_t *v;

	for (int c = 0; c < rep->nruns && !err; c++)
		json_object_foreach(rep->run[c].defaults, key, v)
			if (!err && !default_seen_before(rep, c, key))
				err = default_diff(rep, key, out);
	return err;
}

int report_differs(const struct report *rep, struct rep_diffs *out)
{
	int err = 0;

	memset(out, 0, sizeof(*out));
	for (int r = 0; r < rep->nrows && !err; r++)
		for (int s = 0; s < rep->row[r].nsub && !err; s++)
			err = sub_differs(rep, &rep->row[r], &rep->row[r].sub[s], out);
	err = err ?: settings_diffs(rep, out);
	if (err)
		report_diffs_free(out);
	return err;
}

int report_diff(const struct report *rep, struct rep_diffs *out)
{
	int err = 0;

	memset(out, 0, sizeof(*out));
	for (int r = 0; r < rep->nrows && !err; r++)
		err = row_diffs(rep, &rep->row[r], out);
	err = err ?: settings_diffs(rep, out);
	if (err)
		report_diffs_free(out);
	return err;
}

void report_diffs_free(struct rep_diffs *d)
{
	for (int i = 0; i < d->n; i++)
		free(d->d[i].val);
	free(d->d);
	memset(d, 0, sizeof(*d));
}
