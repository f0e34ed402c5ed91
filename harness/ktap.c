// SPDX-License-Identifier: GPL-2.0
#include <math.h>
#include <string.h>

#include "kernel.h"
#include "ktap.h"

char *ktap_measured(const struct tw_verdict *v, char *buf, size_t len)
{
	char m[32], lo[32], hi[32];

	if (isnan(v->measured))
		snprintf(buf, len, "-");
	else if (v->bounds)
		snprintf(buf, len, "(%s, %s]%s%s (search, %d probes)",
			 tw_figure(v->min, lo, sizeof(lo)), tw_figure(v->max, hi, sizeof(hi)),
			 *v->unit ? " " : "", v->unit, v->n);
	else if (v->n > 1)
		snprintf(buf, len, "%s%s%s (min %s, max %s, n=%d)",
			 tw_figure(v->measured, m, sizeof(m)), *v->unit ? " " : "", v->unit,
			 tw_figure(v->min, lo, sizeof(lo)), tw_figure(v->max, hi, sizeof(hi)), v->n);
	else
		snprintf(buf, len, "%s%s%s", tw_figure(v->measured, m, sizeof(m)),
			 *v->unit ? " " : "", v->unit);
	if (!v->bounds && (v->below > 0 || v->above > 0)) {
		size_t at = strlen(buf);

		snprintf(buf + at, len - at, " -%s/+%s%s", tw_figure(v->below, lo, sizeof(lo)),
			 tw_figure(v->above, hi, sizeof(hi)), v->n > 1 ? " each" : "");
	}
	return buf;
}

char *ktap_expected(const struct tw_verdict *v, char *buf, size_t len)
{
	char lo[32], hi[32];

	if (isnan(v->lo) && isnan(v->hi))
		snprintf(buf, len, "-");
	else if (v->lo == v->hi)
		snprintf(buf, len, "%s%s%s", tw_figure(v->lo, lo, sizeof(lo)),
			 *v->unit ? " " : "", v->unit);
	else
		snprintf(buf, len, "(%s, %s]%s%s", tw_figure(v->lo, lo, sizeof(lo)),
			 tw_figure(v->hi, hi, sizeof(hi)), *v->unit ? " " : "", v->unit);
	return buf;
}

void ktap_header(FILE *f, const struct kernel_info *k, int n)
{
	fprintf(f, "KTAP version 1\n");
	fprintf(f, "# twlab on Linux %s, HZ=%u (from %s)\n", k->release, k->hz,
		k->hz_source);
	if (k->ndefaults) {
		fprintf(f, "# defaults in a new namespace:");
		for (int i = 0; i < k->ndefaults; i++)
			fprintf(f, "%s%s=%s", i % 5 ? " " : "\n#   ", k->defaults[i].key,
				k->defaults[i].present ? k->defaults[i].val : "(absent)");
		fprintf(f, "\n");
	}
	fprintf(f, "1..%d\n", n);
	fflush(f);
}

static void ktap_verdict(FILE *f, const struct tw_verdict *v)
{
	char m[96], e[96], a[64];

	if (isnan(v->measured)) {
		fprintf(f, "# %s %s: %s [%s]\n", v->id, tw_verdict_name(v->kind), v->what,
			v->fact);
	} else {
		fprintf(f, "# %s %s: %s: measured %s, article %s, kernel %s%s%s [%s]\n", v->id,
			tw_verdict_name(v->kind), v->what, ktap_measured(v, m, sizeof(m)),
			win_format(&v->art, a, sizeof(a)), win_format(&v->kern, e, sizeof(e)),
			*v->unit ? " " : "", v->unit, v->fact);
	}
	if (v->evidence[0])
		fprintf(f, "#   %s\n", v->evidence);
}

void ktap_instance(FILE *f, int number, const struct tw_instance *in,
		   struct ktap_totals *t)
{
	const struct tw_result *r = &in->r;

	if (r->impair[0])
		fprintf(f, "# impair: %s\n", r->impair);
	for (int i = 0; i < r->nverdicts; i++)
		ktap_verdict(f, &r->v[i]);
	switch (r->outcome) {
	case R_PASS:
		fprintf(f, "ok %d %s\n", number, in->name);
		break;
	case R_SKIP:
		fprintf(f, "ok %d %s # SKIP %s\n", number, in->name, r->reason);
		break;
	case R_INCONCLUSIVE:
		fprintf(f, "ok %d %s # SKIP inconclusive: %s\n", number, in->name, r->reason);
		break;
	default:
		fprintf(f, "# %s: %s\n", tw_outcome_name(r->outcome), r->reason);
		fprintf(f, "not ok %d %s\n", number, in->name);
		break;
	}
	t->count[r->outcome]++;
	fflush(f);
}

void ktap_footer(FILE *f, const struct ktap_totals *t)
{
	/* KTAP has no word for it: an inconclusive instance is a SKIP, counted apart too */
	fprintf(f, "# Totals: pass:%d fail:%d xfail:0 xpass:0 skip:%d error:%d\n",
		t->count[R_PASS], t->count[R_FAIL], t->count[R_SKIP] + t->count[R_INCONCLUSIVE],
		t->count[R_ERROR]);
	fprintf(f, "# inconclusive:%d (within skip above)\n", t->count[R_INCONCLUSIVE]);
	fflush(f);
}
