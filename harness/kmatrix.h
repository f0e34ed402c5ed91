/* SPDX-License-Identifier: GPL-2.0 */
/*
 * twlab matrix: the suite on several kernels at once -- this one ("host")
 * and Debian kernels booted under qemu -- one JSON per kernel, then the
 * report over all of them.
 *
 *   kmatrix.c      the pure parts: kernel specs, the guest's kernel
 *                  command line, qemu's argv, the JSON's "vm" object,
 *                  a failed guest's console read for its reason
 *   kmatrix_run.c  fetching, booting, time limits, the summary, the report
 *
 * Fetching a kernel and making its initramfs are shell scripts,
 * ci/kernel-fetch.sh and ci/initramfs.sh, which the harness runs.
 */
#ifndef TWLAB_KMATRIX_H
#define TWLAB_KMATRIX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <jansson.h>

#include "case.h"

#define KM_MAX_KERNELS	16
#define KM_MAX_FILTERS	64	/* cases and claims, passed on to each kernel's run */
#define KM_SPEC_LEN	64	/* a release, as uname -r says it, fits */
#define KM_CMDLINE_MAX	2048	/* x86's COMMAND_LINE_SIZE, with its NUL */
#define KM_GUEST_RESULTS "/tmp/results"	/* where the guest mounts the results share */

enum km_spec_kind { KSPEC_HOST, KSPEC_SERIES, KSPEC_VERSION, KSPEC_FILE };

/*
 * What --kernel names: "host", a series "6.1", a version "6.1.0-28", or a
 * kernel image file (a path with a slash, or a .deb), whose name is its
 * release, read from the file by kmatrix_main().
 */
struct km_spec {
	enum km_spec_kind kind;
	char name[KM_SPEC_LEN];		/* normalised: no "-amd64"; also the file name */
	const char *path;		/* KSPEC_FILE: the image, as given */
	const char *modules;		/* KSPEC_FILE: --modules DIR, or NULL */
};

/* 0, or -EINVAL with a one-line message in @err.  @s outlives @k. */
int kspec_parse(const char *s, struct km_spec *k, char *err, size_t len);

/*
 * A bzImage's release from its first @n bytes: the setup header's
 * kernel_version string (Documentation/arch/x86/boot.rst), up to its first
 * space.  0, or -ENOEXEC when @buf is no bzImage, -E2BIG when @rel is short.
 */
int km_bzimage_release(const unsigned char *buf, size_t n, char *rel, size_t len);

/* The release in a kernel .deb's Package field ("linux-image-R[-unsigned]"). */
int km_deb_release(const char *package, char *rel, size_t len);

/* What the guest's /init is told on the kernel command line. */
struct km_boot {
	bool probe;			/* only come up and power off */
	const char *exe;		/* twlab, a path on the host's root */
	const char *kdir;		/* the kernel's unpacked packages, ditto */
	int jobs;			/* instances at once in the guest; 0: twlab's default */
	int nargs;
	const char *const *args;	/* cases and claims */
};

/* 0, -EINVAL (a space or comma where /init splits words), -E2BIG. */
int km_cmdline(const struct km_boot *b, char *buf, size_t len);

struct km_guest {
	const char *qemu;		/* "qemu-system-x86_64" */
	const char *accel;		/* "kvm" or "tcg" */
	int smp;
	int mem_mb;
	const char *kernel;
	const char *initrd;
	const char *cmdline;
	const char *console;		/* the serial console's log file */
	const char *results;		/* the writable share; NULL for none */
};

#define KM_ARGV_MAX	48

/*
 * qemu's argv, its strings in @buf: the argc, -EINVAL (a path qemu
 * cannot take), or -E2BIG.  argv[argc] is NULL.
 */
int km_qemu_argv(const struct km_guest *g, char *buf, size_t len, char **argv, int max);

/* How a guest ran, for the JSON's "vm" object. */
struct km_vm {
	const char *spec;		/* as --kernel named it */
	const char *accel;
	const char *packages;		/* the Debian packages it came from */
	int smp;
	int mem_mb;
	double boot_s;			/* qemu started -> /init ran twlab; < 0 unknown */
	double guest_boot_s;		/* the guest's own uptime then; < 0 unknown */
	double qemu_s;			/* qemu started -> qemu exited */
};

/*
 * Add "vm" to a run's JSON, and make the instances' "pcap" paths, which
 * the guest wrote under KM_GUEST_RESULTS, point at @host_dir instead.
 * 0 or -ENOMEM.
 */
int km_annotate(json_t *run, const struct km_vm *vm, const char *host_dir);

/* The instances of a run's JSON by result; -EINVAL if it has none. */
int km_outcomes(const json_t *run, int n[R_NOUTCOMES]);

/*
 * Each guest's CPUs when --smp is not given: the host's CPUs shared among
 * the guests that run at once, 1 to @most.  Emulated CPUs that outnumber
 * the real ones are descheduled holding guest locks, and the guest's
 * timed steps wait on them.
 */
int km_default_smp(int host_cpus, int guests_at_once, int most);

/* One kernel's line of the matrix's summary. */
struct km_row {
	const char *kernel;		/* as --kernel named it */
	const char *release;		/* "-" if unknown */
	const char *accel;		/* "kvm", "tcg"; "-" for the host */
	double boot_s, wall_s;		/* < 0: unknown */
	const int *n;			/* by outcome, R_NOUTCOMES of them */
	const char *error;		/* why it has no results; "" when it has */
};

/*
 * Whether @r makes the matrix fail: no results, or an instance that failed
 * or errored.  An inconclusive one does not: the observer could not tell.
 */
bool km_row_bad(const struct km_row *r);
/* The summary's table: a head line, then one line per kernel. */
void km_summary_head(FILE *f);
void km_summary_row(FILE *f, const struct km_row *r);
/* DIR/matrix.json: {"wall_s", "ok", "kernels": [{kernel, release, ..., counts}]} */
json_t *km_summary_json(const struct km_row *rows, int n, double wall_s);

/*
 * Why a guest gave no results, from its console: /init's last
 * "twlab-guest: error:" line, else the kernel's panic line, else qemu's
 * first complaint; false if none is there.
 */
bool km_console_reason(const char *console, char *buf, size_t len);

/*
 * What `twlab matrix` is asked to do.  The command line fills it (cli.h);
 * 0 or NULL in any field means its default.
 */
struct kmatrix_opts {
	int nkernels;
	struct km_spec kernels[KM_MAX_KERNELS];	/* --kernel, in order */
	const char *cache;		/* --cache DIR */
	const char *mirror;		/* --mirror URL, the Debian archive; NULL: apt's */
	const char *accel;		/* --accel auto|kvm|tcg; NULL: auto */
	int smp;			/* --smp N, each guest's CPUs */
	int guest_jobs;			/* --guest-jobs N, instances at once in a guest */
	int mem_mb;			/* --mem MB, each guest's memory */
	int timeout_s;			/* --timeout S per kernel */
	int jobs;			/* -j N: kernels at once */
	const char *out;		/* --out DIR */
	int nfilters;
	const char *const *filters;	/* the cases and claims to run */
};

/* kmatrix_run.c: `twlab matrix`; returns the exit status. */
int kmatrix_main(const struct kmatrix_opts *o);

#endif
