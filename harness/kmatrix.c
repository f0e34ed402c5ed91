// SPDX-License-Identifier: GPL-2.0
/*
 * twlab matrix, the pure parts: what --kernel may name, what the guest is
 * told on its kernel command line, qemu's argv, and what the host adds to
 * a guest's JSON.  No process, file or clock here: the unit tests feed
 * these anything.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "kmatrix.h"

static int bad(char *err, size_t len, const char *s, const char *why)
{
	snprintf(err, len, "twlab: --kernel '%s': %s", s, why);
	return -EINVAL;
}

/* 1 to @max decimal digits at *@p, consumed. */
static bool digits(const char **p, int max)
{
	int n = 0;

	while (**p >= '0' && **p <= '9' && n <= max) {
		(*p)++;
		n++;
	}
	return n >= 1 && n <= max;
}

static bool is_series(const char *s)
{
	return digits(&s, 2) && *s++ == '.' && digits(&s, 3) && !*s;
}

/* 6.1.0-28, 6.12.107+deb12: the patch level, then Debian's ABI or +debN. */
static bool is_version(const char *s)
{
	if (!(digits(&s, 2) && *s++ == '.' && digits(&s, 3) && *s++ == '.' && digits(&s, 4)))
		return false;
	if (*s == '-')
		s++;
	else if (!strncmp(s, "+deb", 4))
		s += 4;
	else
		return false;
	return digits(&s, 4) && !*s;
}

int kspec_parse(const char *s, struct km_spec *k, char *err, size_t len)
{
	static const char forms[] = "name host, a series (6.1, 5.10, 7.3) or a Debian "
				    "kernel version (6.1.0-28, 6.12.107+deb12)";
	size_t n = strlen(s);
	char v[KM_SPEC_LEN];

	memset(k, 0, sizeof(*k));
	if (strchr(s, '/') || (n > 4 && !strcmp(s + n - 4, ".deb"))) {
		k->kind = KSPEC_FILE;
		k->path = s;
		return 0;
	}
	if (!strcmp(s, "host")) {
		k->kind = KSPEC_HOST;
		strcpy(k->name, "host");
		return 0;
	}
	if (strstr(s, "cloud") || strstr(s, "-rt"))
		return bad(err, len, s, "only the generic amd64 flavour boots: the cloud "
			   "one lacks 9p, the rt one is another scheduler; name the version "
			   "without a flavour");
	if (n >= sizeof(v))
		return bad(err, len, s, forms);
	/* "6.1.0-28-amd64", as uname -r says it, is "6.1.0-28" */
	if (n > 6 && !strcmp(s + n - 6, "-amd64"))
		n -= 6;
	memcpy(v, s, n);
	v[n] = '\0';
	if (is_series(v))
		k->kind = KSPEC_SERIES;
	else if (is_version(v))
		k->kind = KSPEC_VERSION;
	else
		return bad(err, len, s, forms);
	strcpy(k->name, v);
	return 0;
}

#define BZ_MAGIC_OFF	0x202	/* "HdrS" */
#define BZ_VERSION_OFF	0x20e	/* kernel_version: its offset less 0x200 */

int km_bzimage_release(const unsigned char *buf, size_t n, char *rel, size_t len)
{
	size_t off, end;

	if (n < BZ_VERSION_OFF + 2 || memcmp(buf + BZ_MAGIC_OFF, "HdrS", 4))
		return -ENOEXEC;
	off = 0x200 + (buf[BZ_VERSION_OFF] | buf[BZ_VERSION_OFF + 1] << 8);
	if (off == 0x200 || off >= n)
		return -ENOEXEC;
	for (end = off; end < n && buf[end] > ' ' && buf[end] < 0x7f; end++)
		;
	if (end == off || end == n)
		return -ENOEXEC;
	if (end - off >= len)
		return -E2BIG;
	memcpy(rel, buf + off, end - off);
	rel[end - off] = '\0';
	return 0;
}

int km_deb_release(const char *package, char *rel, size_t len)
{
	static const char *const prefixes[] = { "linux-image-", "linux-binary-unsigned-" };
	size_t n;

	for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++) {
		size_t p = strlen(prefixes[i]);

		if (strncmp(package, prefixes[i], p))
			continue;
		package += p;
		n = strlen(package);
		if (n > 9 && !strcmp(package + n - 9, "-unsigned"))
			n -= 9;
		/* linux-image-amd64 and the like are metapackages: no kernel in them */
		if (!n || package[0] < '0' || package[0] > '9' || strstr(package, "-dbg"))
			return -ENOEXEC;
		if (n >= len)
			return -E2BIG;
		memcpy(rel, package, n);
		rel[n] = '\0';
		return 0;
	}
	return -ENOEXEC;
}

/* /init splits the command line at spaces and the case list at commas. */
static bool word_ok(const char *s, const char *forbid)
{
	return *s && !strpbrk(s, forbid);
}

int km_cmdline(const struct km_boot *b, char *buf, size_t len)
{
	size_t n;
	int w;

	/*
	 * no_timer_check: on a loaded host a TCG guest misses the ten ticks
	 * that arch/x86/kernel/apic/io_apic.c: timer_irq_works() waits for,
	 * and check_timer() panics "IO-APIC + timer doesn't work!" -- the
	 * machine was slow, not the kernel wrong.
	 */
	w = snprintf(buf, len, "console=ttyS0 panic=-1 loglevel=4 no_timer_check");
	if (b->probe) {
		w += snprintf(buf + w, len > (size_t)w ? len - w : 0, " twlab.probe=1");
		return (size_t)w < len && w < KM_CMDLINE_MAX ? 0 : -E2BIG;
	}
	if (!b->exe || !b->kdir || !word_ok(b->exe, " \t\n\"") || !word_ok(b->kdir, " \t\n\""))
		return -EINVAL;
	w += snprintf(buf + w, len > (size_t)w ? len - w : 0, " twlab.exe=%s twlab.kdir=%s",
		      b->exe, b->kdir);
	if (b->jobs > 0)
		w += snprintf(buf + w, len > (size_t)w ? len - w : 0, " twlab.jobs=%d", b->jobs);
	for (int i = 0; i < b->nargs; i++) {
		if (!word_ok(b->args[i], " \t\n\","))
			return -EINVAL;
		n = len > (size_t)w ? len - w : 0;
		w += snprintf(buf + w, n, "%s%s", i ? "," : " twlab.args=", b->args[i]);
	}
	return (size_t)w < len && w < KM_CMDLINE_MAX ? 0 : -E2BIG;
}

/* argv built in one buffer: each argument is appended, then ended. */
struct argb {
	char *buf;
	size_t len, used;
	char **argv;
	int max, argc;
	int err;
	char *cur;
};

static void put(struct argb *b, const char *s, bool escape)
{
	if (!b->cur)
		b->cur = b->buf + b->used;
	for (; *s && !b->err; s++) {
		/* QemuOpts values: a comma is written twice */
		int reps = escape && *s == ',' ? 2 : 1;

		while (reps--) {
			if (b->used + 1 >= b->len) {
				b->err = -E2BIG;
				return;
			}
			b->buf[b->used++] = *s;
		}
	}
}

static void putf(struct argb *b, const char *fmt, ...)
{
	char tmp[64];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	put(b, tmp, false);
}

static void end(struct argb *b)
{
	if (!b->cur)
		b->cur = b->buf + b->used;
	if (b->err)
		return;
	if (b->used >= b->len || b->argc + 1 >= b->max) {
		b->err = -E2BIG;
		return;
	}
	b->buf[b->used++] = '\0';
	b->argv[b->argc++] = b->cur;
	b->argv[b->argc] = NULL;
	b->cur = NULL;
}

static void add(struct argb *b, const char *s)
{
	put(b, s, false);
	end(b);
}

int km_qemu_argv(const struct km_guest *g, char *buf, size_t len, char **argv, int max)
{
	struct argb b = { .buf = buf, .len = len, .argv = argv, .max = max };

	if (strcmp(g->accel, "kvm") && strcmp(g->accel, "tcg"))
		return -EINVAL;
	if (g->smp < 1 || g->smp > 64 || g->mem_mb < 128 || max < 1 || !len)
		return -EINVAL;
	/* -kernel and -initrd are not QemuOpts: a comma there has no escape */
	if (strchr(g->kernel, ',') || strchr(g->initrd, ','))
		return -EINVAL;
	argv[0] = NULL;
	add(&b, g->qemu);
	/* no default NIC, VGA or monitor: the guest has no way out but 9p */
	add(&b, "-nodefaults");
	add(&b, "-no-user-config");
	add(&b, "-display");
	add(&b, "none");
	add(&b, "-no-reboot");		/* a panic (panic=-1) ends qemu, too */
	add(&b, "-accel");
	add(&b, g->accel);
	/* -cpu host dies on an MSR the paravirtual KVM refuses (0x10a) */
	add(&b, "-cpu");
	add(&b, "max");
	add(&b, "-m");
	putf(&b, "%d", g->mem_mb);
	end(&b);
	add(&b, "-smp");
	putf(&b, "%d", g->smp);
	end(&b);
	add(&b, "-kernel");
	add(&b, g->kernel);
	add(&b, "-initrd");
	add(&b, g->initrd);
	add(&b, "-append");
	add(&b, g->cmdline);
	add(&b, "-chardev");
	put(&b, "file,id=console,path=", false);
	put(&b, g->console, true);
	put(&b, ",append=on", false);	/* qemu's own stderr goes there too */
	end(&b);
	add(&b, "-serial");
	add(&b, "chardev:console");
	if (g->results) {
		/* remap: the host's / spans several filesystems, whose inodes collide */
		add(&b, "-virtfs");
		add(&b, "local,path=/,mount_tag=hostroot,readonly=on,security_model=none,"
		     "multidevs=remap");
		add(&b, "-virtfs");
		put(&b, "local,path=", false);
		put(&b, g->results, true);
		put(&b, ",mount_tag=results,security_model=none", false);
		end(&b);
	}
	return b.err ?: b.argc;
}

/* Two decimals are all a boot time or a wall time is worth. */
static json_t *seconds(double s)
{
	return s < 0 || isnan(s) ? json_null() : json_real(round(s * 100) / 100);
}

static int pcap_rebase(json_t *run, const char *host_dir)
{
	const size_t plen = strlen(KM_GUEST_RESULTS "/");
	json_t *inst;
	size_t i;

	json_array_foreach(json_object_get(run, "instances"), i, inst) {
		const char *p = json_string_value(json_object_get(inst, "pcap"));
		char path[4096];

		if (!p || strncmp(p, KM_GUEST_RESULTS "/", plen))
			continue;
		snprintf(path, sizeof(path), "%s/%s", host_dir, p + plen);
		if (json_object_set_new(inst, "pcap", json_string(path)))
			return -ENOMEM;
	}
	return 0;
}

int km_annotate(json_t *run, const struct km_vm *vm, const char *host_dir)
{
	json_t *o;

	o = json_pack("{s:s, s:s, s:s, s:i, s:i, s:o, s:o, s:o}",
		      "spec", vm->spec, "accel", vm->accel, "packages", vm->packages ?: "",
		      "smp", vm->smp, "mem_mb", vm->mem_mb,
		      "boot_s", seconds(vm->boot_s), "guest_boot_s", seconds(vm->guest_boot_s),
		      "qemu_s", seconds(vm->qemu_s));
	if (!o || json_object_set_new(run, "vm", o))
		return -ENOMEM;
	return pcap_rebase(run, host_dir);
}

int km_outcomes(const json_t *run, int n[R_NOUTCOMES])
{
	const json_t *insts = json_object_get(run, "instances");
	json_t *inst;
	size_t i;

	memset(n, 0, sizeof(int) * R_NOUTCOMES);
	if (!json_is_array(insts) || !json_array_size(insts))
		return -EINVAL;
	json_array_foreach(insts, i, inst) {
		const char *r = json_string_value(json_object_get(inst, "result")) ?: "";
		int o;

		for (o = 0; o < R_NOUTCOMES; o++)
			if (!strcmp(r, tw_outcome_name(o)))
				break;
		if (o == R_NOUTCOMES)
			return -EINVAL;
		n[o]++;
	}
	return 0;
}

int km_default_smp(int host_cpus, int guests_at_once, int most)
{
	int n = guests_at_once > 0 ? host_cpus / guests_at_once : host_cpus;

	return n < 1 ? 1 : n > most ? most : n;
}

bool km_row_bad(const struct km_row *r)
{
	return *r->error || r->n[R_FAIL] || r->n[R_ERROR];
}

void km_summary_head(FILE *f)
{
	fprintf(f, "%-14s %-26s %-5s %7s %8s %5s %5s %5s %7s %5s\n", "KERNEL", "RELEASE",
		"ACCEL", "BOOT_S", "WALL_S", "PASS", "FAIL", "SKIP", "INCONCL", "ERROR");
}

static void secs_text(double s, char *buf, size_t len)
{
	if (s < 0)
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%.1f", s);
}

void km_summary_row(FILE *f, const struct km_row *r)
{
	char boot[16], wall[16];

	secs_text(r->boot_s, boot, sizeof(boot));
	secs_text(r->wall_s, wall, sizeof(wall));
	fprintf(f, "%-14s %-26s %-5s %7s %8s ", r->kernel, r->release, r->accel, boot, wall);
	if (*r->error)
		fprintf(f, "error: %s\n", r->error);
	else
		fprintf(f, "%5d %5d %5d %7d %5d\n", r->n[R_PASS], r->n[R_FAIL], r->n[R_SKIP],
			r->n[R_INCONCLUSIVE], r->n[R_ERROR]);
}

static json_t *row_json(const struct km_row *r)
{
	json_t *o = json_pack("{s:s, s:s, s:s, s:o, s:o, s:b}", "kernel", r->kernel,
			      "release", r->release, "accel", r->accel,
			      "boot_s", seconds(r->boot_s), "wall_s", seconds(r->wall_s),
			      "ok", !km_row_bad(r));

	if (!o)
		return NULL;
	if (*r->error) {
		json_object_set_new(o, "error", json_string(r->error));
		return o;
	}
	/* one count per outcome, inconclusive apart from skip and from pass */
	for (int i = 0; i < R_NOUTCOMES; i++)
		json_object_set_new(o, tw_outcome_name(i), json_integer(r->n[i]));
	return o;
}

json_t *km_summary_json(const struct km_row *rows, int n, double wall_s)
{
	json_t *kernels = json_array();
	bool ok = true;

	for (int i = 0; i < n && kernels; i++) {
		ok &= !km_row_bad(&rows[i]);
		if (json_array_append_new(kernels, row_json(&rows[i]))) {
			json_decref(kernels);
			return NULL;
		}
	}
	return kernels ? json_pack("{s:o, s:b, s:o}", "wall_s", seconds(wall_s), "ok", ok,
				   "kernels", kernels) : NULL;
}

/* The line at @p, without its end, into @buf. */
static void line_copy(const char *p, char *buf, size_t len)
{
	size_t n = strcspn(p, "\r\n");

	snprintf(buf, len, "%.*s", (int)n, p);
}

bool km_console_reason(const char *console, char *buf, size_t len)
{
	static const char tag[] = "twlab-guest: error: ", panic[] = "Kernel panic - not syncing:";
	static const char qemu[] = "qemu-system-x86_64: ";
	const char *err = NULL, *pan = NULL, *emu = NULL;

	for (const char *p = console; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		const char *t = strstr(p, tag), *k = strstr(p, panic);
		const char *eol = p + strcspn(p, "\n");

		if (t && t < eol)
			err = t + strlen("twlab-guest: ");
		if (k && k < eol && !pan)
			pan = k;
		if (!strncmp(p, qemu, strlen(qemu)) && !emu)
			emu = p;
	}
	if (err || pan || emu)
		line_copy(err ?: pan ?: emu, buf, len);
	return err || pan || emu;
}
