// SPDX-License-Identifier: GPL-2.0
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "itest.h"
#include "kernel.h"

/* Every results file a test makes is checked against docs/result.schema.json. */
int itest_validate(const char *path)
{
	const char *validate = getenv("TWLAB_VALIDATE");
	char cmd[1024];

	if (!validate)
		return 0;
	snprintf(cmd, sizeof(cmd), "%s %s", validate, path);
	if (system(cmd)) {
		print_error("%s does not validate against docs/result.schema.json\n", path);
		return -1;
	}
	return 0;
}

/* The captures go to a folder of the test's own, removed with the results. */
int itest_run(void **state, const char *args)
{
	char path[] = "/tmp/twlab-itest-XXXXXX", out[] = "/tmp/twlab-itest-out-XXXXXX";
	const char *twlab = getenv("TWLAB");
	char cmd[1024];
	int fd, status;

	*state = NULL;
	if (!twlab || geteuid()) {
		print_message("skipped: needs root and TWLAB=path/to/twlab\n");
		return 0;
	}
	fd = mkstemp(path);
	if (fd < 0 || !mkdtemp(out))
		return -1;
	close(fd);
	snprintf(cmd, sizeof(cmd), "%s run %s --json %s --out %s >/dev/null", twlab, args,
		 path, out);
	print_message("running: %s\n", cmd);
	status = system(cmd);
	*state = json_load_file(path, 0, NULL);
	if (*state && itest_validate(path))
		json_decref(*state), *state = NULL;
	unlink(path);
	if (status)
		print_message("twlab exited with status %d\n", status);
	return *state ? 0 : -1;
}

int itest_lab_up(struct netns *home, struct lab *lab, enum lab_shape shape, unsigned int id)
{
	if (geteuid()) {
		print_error("these tests need root: they build network namespaces\n");
		return -1;
	}
	if (netns_current(home) || lab_up(lab, shape, id, home))
		return -1;
	return 0;
}

void itest_lab_down(struct netns *home, struct lab *lab)
{
	lab_down(lab);
	netns_close(home);
}

int itest_free(void **state)
{
	char dir[512] = "";
	json_t *in;
	size_t i;

	json_array_foreach(itest_instances(*state), i, in) {
		const char *pcap = itest_str(in, "pcap");

		if (*pcap && unlink(pcap) == 0 && !*dir) {
			snprintf(dir, sizeof(dir), "%s", pcap);
			*strrchr(dir, '/') = '\0';
		}
	}
	if (*dir)
		rmdir(dir);
	json_decref(*state);
	return 0;
}

json_t *itest_instances(json_t *root)
{
	return json_object_get(root, "instances");
}

const char *itest_str(json_t *obj, const char *key)
{
	return json_string_value(json_object_get(obj, key)) ?: "";
}

int itest_param(json_t *inst, const char *key)
{
	const char *v = json_string_value(json_object_get(json_object_get(inst, "params"), key));

	return v ? atoi(v) : -1;
}

bool itest_is_case(json_t *inst, const char *name)
{
	return !strcmp(itest_str(inst, "case"), name);
}

json_t *itest_verdict_maybe(json_t *inst, const char *what)
{
	json_t *v;
	size_t i;

	json_array_foreach(json_object_get(inst, "claims"), i, v)
		if (strstr(itest_str(v, "what"), what))
			return v;
	return NULL;
}

json_t *itest_subclaim_maybe(json_t *inst, const char *id)
{
	json_t *v;
	size_t i;

	json_array_foreach(json_object_get(inst, "claims"), i, v)
		if (!strcmp(itest_str(v, "subclaim"), id))
			return v;
	return NULL;
}

json_t *itest_subclaim(json_t *inst, const char *id)
{
	json_t *v = itest_subclaim_maybe(inst, id);

	if (!v)
		fail_msg("%s: no verdict on sub-claim %s", itest_str(inst, "name"), id);
	return v;
}

/* The verdict's window @key ("kernel", "article"): its ends, null as +-inf. */
void itest_window(json_t *v, const char *key, double *lo, double *hi)
{
	json_t *w = json_object_get(v, key);

	if (!json_is_object(w))
		fail_msg("%s: no %s window", itest_str(v, "subclaim"), key);
	*lo = json_is_number(json_object_get(w, "lo")) ?
	      json_number_value(json_object_get(w, "lo")) : -INFINITY;
	*hi = json_is_number(json_object_get(w, "hi")) ?
	      json_number_value(json_object_get(w, "hi")) : INFINITY;
}

void itest_assert_window(json_t *v, const char *key, double lo, double hi, double tol)
{
	double wlo, whi;

	itest_window(v, key, &wlo, &whi);
	if (!(fabs(wlo - lo) <= tol || wlo == lo) || !(fabs(whi - hi) <= tol || whi == hi))
		fail_msg("%s: %s window [%g, %g], recomputed [%g, %g]", itest_str(v, "subclaim"),
			 key, wlo, whi, lo, hi);
}

static double uncertainty(json_t *v, const char *side)
{
	return itest_num(json_object_get(v, "uncertainty"), side);
}

double itest_below(json_t *v)
{
	return uncertainty(v, "below");
}

double itest_above(json_t *v)
{
	return uncertainty(v, "above");
}

void itest_evidence_scan(json_t *v, int n, const char *fmt, ...)
{
	const char *e = itest_str(v, "evidence"), *at;
	size_t head = strcspn(fmt, "%");
	char what[64];
	va_list ap;
	int got;

	snprintf(what, sizeof(what), "%.*s", (int)head, fmt);
	at = strstr(e, what);
	if (!at)
		fail_msg("%s: no '%s' in its evidence: %s", itest_str(v, "subclaim"), what, e);
	va_start(ap, fmt);
	got = vsscanf(at, fmt, ap);
	va_end(ap);
	if (got != n)
		fail_msg("%s: '%s' matched %d of %d in its evidence: %s", itest_str(v, "subclaim"),
			 fmt, got, n, e);
}

json_t *itest_verdict(json_t *inst, const char *what)
{
	json_t *v = itest_verdict_maybe(inst, what);

	if (!v)
		fail_msg("%s: no verdict '%s'", itest_str(inst, "name"), what);
	return v;
}

/*
 * The verdict on @id when the observer decided it: inside the kernel's
 * window and @kind.  An inconclusive one (the observer's uncertainty
 * straddles an edge, under load) decides nothing, so no figure of it may
 * be checked: NULL, and said.
 */
json_t *itest_conclusive(json_t *inst, const char *id, const char *kind)
{
	json_t *v = itest_subclaim(inst, id);

	if (!strcmp(itest_str(v, "verdict"), "inconclusive")) {
		print_message("# inconclusive: %s: %s: %s\n", itest_str(inst, "name"), id,
			      itest_str(v, "evidence"));
		return NULL;
	}
	if (strcmp(itest_str(v, "kernel_rel"), "inside"))
		fail_msg("%s: %s %s the kernel's window: %s", itest_str(inst, "name"), id,
			 itest_str(v, "kernel_rel"), itest_str(v, "evidence"));
	if (strcmp(itest_str(v, "verdict"), kind))
		fail_msg("%s: %s %s, expected %s: %s", itest_str(inst, "name"), id,
			 itest_str(v, "verdict"), kind, itest_str(v, "evidence"));
	return v;
}

double itest_num(json_t *obj, const char *key)
{
	json_t *j = json_object_get(obj, key);

	if (!json_is_number(j))
		fail_msg("'%s' is not a number", key);
	return json_number_value(j);
}

unsigned int itest_hz(json_t *root)
{
	return itest_num(json_object_get(root, "kernel"), "hz");
}

unsigned int itest_version(json_t *root)
{
	return kernel_version_parse(itest_str(json_object_get(root, "kernel"), "release"));
}

unsigned int itest_rto_min_us(json_t *root)
{
	json_t *d = json_object_get(json_object_get(root, "kernel"), "defaults");
	const char *v = json_string_value(json_object_get(d, "tcp_rto_min_us"));

	return v ? strtoul(v, NULL, 10) : 200000;
}

double itest_expected(json_t *v, int i)
{
	json_t *e = json_object_get(v, "expected");

	if (json_is_array(e))
		return json_number_value(json_array_get(e, i));
	if (!json_is_number(e))
		fail_msg("%s: no expected figure", itest_str(v, "what"));
	return json_number_value(e);
}

void itest_assert_verdict(json_t *v, const char *kind)
{
	if (strcmp(itest_str(v, "verdict"), kind))
		fail_msg("%s: verdict %s, expected %s", itest_str(v, "what"),
			 itest_str(v, "verdict"), kind);
}

void itest_assert_case_passed(json_t *root, const char *name, size_t n)
{
	json_t *in;
	size_t i;

	assert_int_equal(json_array_size(itest_instances(root)), n);
	json_array_foreach(itest_instances(root), i, in)
		if (!itest_is_case(in, name))
			fail_msg("%s: not an instance of %s", itest_str(in, "name"), name);
	itest_assert_all_pass(root);
}

void itest_assert_all_pass(json_t *root)
{
	json_t *in;
	size_t i;

	/* inconclusive is neither: the observer could not decide, and says why */
	json_array_foreach(itest_instances(root), i, in) {
		const char *result = itest_str(in, "result");

		if (!strcmp(result, "inconclusive"))
			print_message("%s: inconclusive: %s\n", itest_str(in, "name"),
				      itest_str(in, "reason"));
		else if (strcmp(result, "pass"))
			fail_msg("%s: %s: %s", itest_str(in, "name"), result,
				 itest_str(in, "reason"));
	}
}

bool itest_read_long(const char *path, long *v)
{
	FILE *f = fopen(path, "re");
	bool ok;

	if (!f)
		return false;
	ok = fscanf(f, "%ld", v) == 1;
	fclose(f);
	return ok;
}
