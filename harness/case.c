// SPDX-License-Identifier: GPL-2.0
/* The few helpers a case uses to fill its result (case.h). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
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

void tw_evidence(struct tw_verdict *v, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(v->evidence, sizeof(v->evidence), fmt, ap);
	va_end(ap);
}

static void reason_append(struct tw_result *r, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

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

void tw_reason_add(struct tw_result *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	reason_append(r, fmt, ap);
	va_end(ap);
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
