// SPDX-License-Identifier: GPL-2.0
/* The few helpers a case uses to fill its result (case.h). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case.h"

const char *tw_verdict_name(enum tw_verdict_kind k)
{
	static const char *const names[V_NKINDS] = {
		[V_CONFIRMED] = "confirmed", [V_REFUTED] = "refuted",
		[V_REFINED] = "refined", [V_NA] = "not applicable",
		[V_INCONCLUSIVE] = "inconclusive",
	};

	return k < V_NKINDS ? names[k] : "?";
}

const char *tw_outcome_name(enum tw_outcome o)
{
	static const char *const names[R_NOUTCOMES] = {
		[R_PASS] = "pass", [R_FAIL] = "fail", [R_SKIP] = "skip", [R_ERROR] = "error",
		[R_INCONCLUSIVE] = "inconclusive",
	};

	return o < R_NOUTCOMES ? names[o] : "?";
}

const char *tw_param(const struct tw_params *p, const char *key)
{
	for (int i = 0; i < p->nset; i++)
		if (!strcmp(p->set[i].key, key))
			return p->set[i].val;
	return NULL;
}

struct tw_verdict *tw_verdict_add(struct tw_result *r, const char *claim,
				  const char *fact, enum tw_verdict_kind kind,
				  const char *what)
{
	struct tw_verdict *v;

	if (r->nverdicts >= TW_MAX_VERDICTS)
		abort();	/* a case declaring more is a bug in the case */
	v = &r->v[r->nverdicts++];
	memset(v, 0, sizeof(*v));
	snprintf(v->claim, sizeof(v->claim), "%s", claim);
	snprintf(v->fact, sizeof(v->fact), "%s", fact);
	snprintf(v->what, sizeof(v->what), "%s", what);
	v->kind = kind;
	v->measured = v->lo = v->hi = v->min = v->max = NAN;
	return v;
}

void tw_verdict_figure(struct tw_verdict *v, double measured, double lo,
		       double hi, const char *unit)
{
	v->measured = measured;
	v->lo = lo;
	v->hi = hi;
	v->n = 1;
	snprintf(v->unit, sizeof(v->unit), "%s", unit);
}

void tw_verdict_samples(struct tw_verdict *v, const double *x, int n,
			double lo, double hi, const char *unit)
{
	double *s = malloc(n * sizeof(*s));

	if (!s || n <= 0) {
		free(s);
		tw_verdict_figure(v, NAN, lo, hi, unit);
		return;
	}
	memcpy(s, x, n * sizeof(*s));
	tw_sort(s, n);
	tw_verdict_figure(v, tw_median(s, n), lo, hi, unit);
	v->min = s[0];
	v->max = s[n - 1];
	v->n = n;
	free(s);
}

void tw_verdict_bounds(struct tw_verdict *v, double above, double at_most, int probes,
		       double lo, double hi, const char *unit)
{
	tw_verdict_figure(v, at_most, lo, hi, unit);
	v->min = above;
	v->max = at_most;
	v->n = probes;
	v->bounds = true;
}

void tw_evidence(struct tw_verdict *v, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(v->evidence, sizeof(v->evidence), fmt, ap);
	va_end(ap);
}

static void reason_append(struct tw_result *r, const char *fmt, va_list ap)
{
	size_t len = strlen(r->reason);

	if (len && len + 2 < sizeof(r->reason)) {
		strcpy(r->reason + len, "; ");
		len += 2;
	}
	if (len < sizeof(r->reason))
		vsnprintf(r->reason + len, sizeof(r->reason) - len, fmt, ap);
}

int tw_fail(struct tw_result *r, const char *fmt, ...)
{
	va_list ap;

	if (r->outcome == R_PASS)
		r->outcome = R_FAIL;
	va_start(ap, fmt);
	reason_append(r, fmt, ap);
	va_end(ap);
	return 0;
}

int tw_error(struct tw_result *r, int err, const char *fmt, ...)
{
	va_list ap;

	r->outcome = R_ERROR;
	va_start(ap, fmt);
	reason_append(r, fmt, ap);
	va_end(ap);
	if (err) {
		size_t len = strlen(r->reason);

		snprintf(r->reason + len, sizeof(r->reason) - len, ": %s", strerror(-err));
	}
	return err ? err : -EIO;
}
