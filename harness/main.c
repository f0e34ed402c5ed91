// SPDX-License-Identifier: GPL-2.0
/*
 * twlab: the article's claims about TIME_WAIT, measured on this kernel.
 */
#include <errno.h>
#include <linux/capability.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "clock.h"
#include "explain.h"
#include "json.h"
#include "kernel.h"
#include "kmatrix.h"
#include "ktap.h"
#include "expand.h"
#include "netns.h"
#include "proc.h"
#include "progress.h"
#include "registry.h"
#include "report.h"
#include "runner.h"
#include "scorecard.h"
#include "sysctl_spec.h"

/* TWLAB_VERSION: the Makefile's, from debian/changelog, its one home */

#define MAX_INSTANCES	(LAB_MAX_ID + 1)

static const int families[] = { AF_INET, AF_INET6 };
#define NFAMILIES ((int)(sizeof(families) / sizeof(families[0])))

static bool has_cap(int cap)
{
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct d[2];

	if (syscall(SYS_capget, &h, d) < 0)
		return false;
	return d[cap / 32].effective & (1u << (cap % 32));
}

static int cmd_list(bool claims)
{
	if (claims) {
		explain_subclaims(stdout);
		return 0;
	}
	printf("%-16s %-10s %-9s %s\n", "CASE", "CLAIMS", "INSTANCES", "SUMMARY");
	for (int i = 0; i < registry_count(); i++) {
		const struct tw_case *c = registry_get(i);

		printf("%-16s %-10s %-9d %s\n", c->name, c->claims,
		       expand_count(c, NFAMILIES), c->summary);
	}
	return 0;
}

/* KTAP wants the plan's order; instances finish in any order. */
struct printer {
	struct tw_instance *in;
	bool *done;
	int next;
	struct ktap_totals totals;
	struct progress progress;	/* on stderr, between KTAP lines */
};

static void on_done(struct tw_instance *in, int index, void *arg)
{
	struct printer *pr = arg;

	(void)in;
	pr->done[index] = true;
	progress_done(&pr->progress);
	if (pr->done[pr->next])
		progress_clear(&pr->progress);
	while (pr->done[pr->next]) {
		ktap_instance(stdout, pr->next + 1, &pr->in[pr->next], &pr->totals);
		pr->next++;
	}
}

static void on_tick(int64_t last_deadline_ns, void *arg)
{
	struct printer *pr = arg;

	progress_update(&pr->progress, now_ns(), last_deadline_ns);
}

/* --out DIR, or ./twlab-out/<started>/; made with its parents, like mkdir -p. */
static int out_dir_make(const char *want, const char *started, char *dir, size_t len)
{
	int n = want ? snprintf(dir, len, "%s", want) :
		       snprintf(dir, len, "twlab-out/%s", started);

	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : proc_mkdir_p(dir);
}

/*
 * One lab built and dropped before the fan-out: a kernel that cannot make
 * one says so once, not in every instance; and the modules a lab needs
 * (veth) are loaded before dozens of instances race to autoload them.
 */
static int lab_probe(const struct netns *home)
{
	struct lab lab;
	int err;

	err = lab_pair_up(&lab, LAB_MAX_ID, home);
	lab_down(&lab);
	return err;
}

/*
 * A --set name that neither twlab nor this kernel knows is a typo: said
 * before anything runs, where a lab would only SKIP every instance.
 */
static int overrides_check(const struct cli *c)
{
	struct sysctl_names *k;
	char err[256];
	int ret;

	if (!c->nov)
		return 0;
	k = malloc(sizeof(*k));
	if (!k) {
		fprintf(stderr, "twlab: out of memory\n");
		return -ENOMEM;
	}
	sysctl_names_read(k, c->ov, c->nov);
	ret = override_names_check(c->ov, c->nov, k, err, sizeof(err));
	if (ret)
		fprintf(stderr, "%s\n", err);
	free(k);
	return ret;
}

static int cmd_run(const struct cli *c)
{
	const struct tw_case *sel[REGISTRY_MAX];
	struct netns home = NETNS_INIT, nursery = NETNS_INIT;
	struct tw_instance *in = NULL;
	struct printer pr = { 0 };
	struct kernel_info k;
	const char *bad = NULL;
	char started[32], out[TW_PATH_LEN - INSTANCE_NAME_LEN - 8];
	int nsel, n, err, ret = 1;
	int64_t t0;

	nsel = registry_select(c->filters, c->nfilters, sel, REGISTRY_MAX, &bad);
	if (nsel < 0) {
		fprintf(stderr, "twlab: no case or claim named '%s'; 'twlab list' shows them\n", bad);
		return 2;
	}
	if (overrides_check(c))
		return 2;
	if (!has_cap(CAP_NET_ADMIN) || !has_cap(CAP_SYS_ADMIN)) {
		fprintf(stderr, "twlab: run needs CAP_NET_ADMIN and CAP_SYS_ADMIN to build its "
			"lab namespaces; run it as root (sudo twlab run)\n");
		return 2;
	}
	err = kernel_probe(&k);
	if (err) {
		fprintf(stderr, "twlab: cannot tell this kernel's HZ (no /proc/config.gz, "
			"/boot/config-%s or /proc/timer_list): %s\n", k.release, strerror(-err));
		return 1;
	}
	err = sysctl_defaults_read(&k);
	if (err) {
		fprintf(stderr, "twlab: cannot read sysctl defaults in a new namespace: %s\n",
			strerror(-err));
		return 1;
	}
	err = netns_current(&home);
	if (err) {
		fprintf(stderr, "twlab: cannot open /proc/thread-self/ns/net: %s\n", strerror(-err));
		return 1;
	}
	err = lab_probe(&home);
	if (err) {
		fprintf(stderr, "twlab: cannot build a lab (two network namespaces and a veth): %s; "
			"the kernel needs CONFIG_NET_NS and CONFIG_VETH\n", strerror(-err));
		netns_close(&home);
		return 1;
	}

	in = calloc(MAX_INSTANCES, sizeof(*in));
	pr.done = calloc(MAX_INSTANCES + 1, sizeof(*pr.done));
	if (!in || !pr.done) {
		fprintf(stderr, "twlab: out of memory\n");
		goto out;
	}
	n = expand_instances(sel, nsel, families, NFAMILIES, c->ov, c->nov, in, MAX_INSTANCES);
	if (n < 0) {
		fprintf(stderr, "twlab: more than %d instances, or more than %d sysctls per "
			"instance; name fewer cases or values\n", MAX_INSTANCES, TW_MAX_VARY);
		goto out;
	}
	pr.in = in;

	proc_utc_stamp(time(NULL), started, sizeof(started));
	err = out_dir_make(c->out, started, out, sizeof(out));
	if (err) {
		fprintf(stderr, "twlab: cannot make the output folder %s: %s; name another "
			"with --out DIR\n", out, strerror(-err));
		goto out;
	}
	t0 = now_ns();
	ktap_header(stdout, &k, n);
	/* a namespace where the kernel has none (before 6.1) just means the machine's hash */
	if (lab_nursery_open(&nursery, &home, LAB_NURSERY_BUCKETS))
		printf("# labs share the machine's established hash: this kernel has no "
		       "tcp_child_ehash_entries (6.1+), so every poll walks it\n");
	/* for a person watching: never into a pipe or a log */
	progress_init(&pr.progress, stderr, !c->quiet && isatty(STDOUT_FILENO) &&
		      isatty(STDERR_FILENO), n);
	err = runner_run(in, n, &(struct runner_opts){
		.jobs = c->jobs, .time_scale = c->time_scale, .kernel = &k, .home = &home,
		.nursery = nursery.fd >= 0 ? &nursery : NULL, .out_dir = out,
		.done = on_done, .tick = on_tick, .arg = &pr,
	});
	progress_clear(&pr.progress);
	if (err) {
		fprintf(stderr, "twlab: runner: %s\n", strerror(-err));
		goto out;
	}
	ktap_footer(stdout, &pr.totals);
	scorecard_print(stdout, in, n);
	printf("# wall time %.1f s; captures in %s/\n", ns_to_ms(now_ns() - t0) / 1000, out);

	if (c->json) {
		err = run_write_json(c->json, &k, started, ns_to_ms(now_ns() - t0) / 1000, in, n);
		if (err) {
			fprintf(stderr, "twlab: cannot write %s: %s\n", c->json, strerror(-err));
			goto out;
		}
	}
	ret = pr.totals.count[R_FAIL] || pr.totals.count[R_ERROR] ? 1 : 0;
out:
	free(pr.done);
	free(in);
	netns_close(&nursery);
	netns_close(&home);
	return ret;
}

int main(int argc, char **argv)
{
	char err[256];
	struct cli c;

	if (cli_parse(argc, argv, &c, err, sizeof(err))) {
		fprintf(stderr, "%s\n", err);
		return 2;
	}
	switch (c.cmd) {
	case CMD_HELP:
		fputs(cli_usage, stdout);
		return 0;
	case CMD_VERSION:
		printf("twlab %s\n", TWLAB_VERSION);
		return 0;
	case CMD_LIST:
		return cmd_list(c.list_claims);
	case CMD_RUN:
		return cmd_run(&c);
	case CMD_REPORT:
		return report_main(c.files, c.nfiles, c.out);
	case CMD_DIFF:
		return diff_main(c.files[0], c.files[1]);
	case CMD_MATRIX:
		return kmatrix_main(&c.km);
	case CMD_EXPLAIN:
		return explain_main(c.filters, c.nfilters, stdout, stderr);
	}
	return 2;
}
