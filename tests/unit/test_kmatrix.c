// SPDX-License-Identifier: GPL-2.0
/*
 * twlab matrix's pure parts: the kernel specs --kernel takes, the command
 * line that tells the guest's /init what to run, qemu's argv, the "vm"
 * object added to a guest's JSON, a failed guest's console read for its
 * reason, and `twlab matrix` on the command line.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "cli.h"
#include "kmatrix.h"

#define UNUSED __attribute__((unused))
#define ARGC(a) ((int)(sizeof(a) / sizeof((a)[0])))

static char err[256];

/* -EINVAL, one line that quotes the spec and says what would do. */
static void assert_spec_bad(const char *s, const char *needle)
{
	struct km_spec k;
	char quoted[128];

	memset(err, 'x', sizeof(err));
	err[sizeof(err) - 1] = '\0';
	assert_int_equal(kspec_parse(s, &k, err, sizeof(err)), -EINVAL);
	snprintf(quoted, sizeof(quoted), "'%s'", s);
	assert_non_null(strstr(err, quoted));
	assert_non_null(strstr(err, needle));
	assert_null(strchr(err, '\n'));
}

static void assert_spec(const char *s, enum km_spec_kind kind, const char *name)
{
	struct km_spec k;

	assert_int_equal(kspec_parse(s, &k, err, sizeof(err)), 0);
	assert_int_equal(k.kind, kind);
	assert_string_equal(k.name, name);
}

static void spec_host_and_series(void **state UNUSED)
{
	assert_spec("host", KSPEC_HOST, "host");
	assert_spec("6.1", KSPEC_SERIES, "6.1");
	assert_spec("5.10", KSPEC_SERIES, "5.10");
	assert_spec("6.12", KSPEC_SERIES, "6.12");
	assert_spec("7.3", KSPEC_SERIES, "7.3");
}

/* Debian's two spellings of a release, with or without the flavour uname -r adds. */
static void spec_versions(void **state UNUSED)
{
	assert_spec("6.1.0-28", KSPEC_VERSION, "6.1.0-28");
	assert_spec("5.10.0-46", KSPEC_VERSION, "5.10.0-46");
	assert_spec("6.12.107+deb12", KSPEC_VERSION, "6.12.107+deb12");
	assert_spec("7.3.4+deb13", KSPEC_VERSION, "7.3.4+deb13");
	assert_spec("6.1.0-28-amd64", KSPEC_VERSION, "6.1.0-28");
	assert_spec("7.3.4+deb13-amd64", KSPEC_VERSION, "7.3.4+deb13");
}

static void spec_bad(void **state UNUSED)
{
	static const char *const bad[] = {
		"", "6", "6.", ".1", "6.1.", "6.1.0", "6.x", "v6.1", "6.1.0-", "6.1.0+deb",
		"6.1.0-28-arm64", "HOST", "host ", " 6.1", "6.1 ", "123.1", "6.1234",
		"6.1.0-28-amd64-amd64", "6.1.0-0.deb11.52", "-amd64", "6.1-amd64x",
		"6.1.0-28;reboot", "1.2.3.4",
		"6.1.0-2888888888888888888888888888888888888888888888888888888888",
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_spec_bad(bad[i], "a series (6.1");
}

/* A path or a .deb is an image file, whose name comes from the file later. */
static void spec_files(void **state UNUSED)
{
	static const char *const files[] = {
		"/tmp/k/vmlinuz", "arch/x86/boot/bzImage", "./6.1", "k.deb", "6.1/..",
	};
	struct km_spec k;

	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		assert_int_equal(kspec_parse(files[i], &k, err, sizeof(err)), 0);
		assert_int_equal(k.kind, KSPEC_FILE);
		assert_ptr_equal(k.path, files[i]);
		assert_string_equal(k.name, "");
		assert_null(k.modules);
	}
}

/* A bzImage's setup header: "HdrS" at 0x202, kernel_version at 0x20e. */
static void bzimage_release(void **state UNUSED)
{
	static unsigned char img[0x400];
	char rel[KM_SPEC_LEN], small[4];

	assert_int_equal(km_bzimage_release(img, sizeof(img), rel, sizeof(rel)), -ENOEXEC);
	memcpy(img + 0x202, "HdrS", 4);
	assert_int_equal(km_bzimage_release(img, sizeof(img), rel, sizeof(rel)), -ENOEXEC);
	img[0x20e] = 0x00;
	img[0x20f] = 0x01;	/* the string at 0x300 */
	strcpy((char *)img + 0x300, "6.1.0-28-amd64 (builder@host) #1 SMP");
	assert_int_equal(km_bzimage_release(img, sizeof(img), rel, sizeof(rel)), 0);
	assert_string_equal(rel, "6.1.0-28-amd64");
	assert_int_equal(km_bzimage_release(img, sizeof(img), small, sizeof(small)), -E2BIG);
	/* a string that runs off the end of what was read */
	assert_int_equal(km_bzimage_release(img, 0x305, rel, sizeof(rel)), -ENOEXEC);
	assert_int_equal(km_bzimage_release(img, 0x100, rel, sizeof(rel)), -ENOEXEC);
}

static void deb_release(void **state UNUSED)
{
	char rel[KM_SPEC_LEN];

	assert_int_equal(km_deb_release("linux-image-6.1.0-28-amd64-unsigned", rel,
					sizeof(rel)), 0);
	assert_string_equal(rel, "6.1.0-28-amd64");
	assert_int_equal(km_deb_release("linux-image-6.18.0-rc1+", rel, sizeof(rel)), 0);
	assert_string_equal(rel, "6.18.0-rc1+");
	assert_int_equal(km_deb_release("linux-image-amd64", rel, sizeof(rel)), -ENOEXEC);
	assert_int_equal(km_deb_release("linux-image-6.1.0-28-amd64-dbg", rel, sizeof(rel)),
			 -ENOEXEC);
	assert_int_equal(km_deb_release("hello", rel, sizeof(rel)), -ENOEXEC);
}

/* The cloud flavour lacks 9p: say so, rather than "not a version". */
static void spec_flavours(void **state UNUSED)
{
	assert_spec_bad("6.1.0-28-cloud-amd64", "cloud one lacks 9p");
	assert_spec_bad("6.1-cloud", "cloud one lacks 9p");
	assert_spec_bad("6.1.0-28-rt-amd64", "generic amd64 flavour");
}

static void spec_short_buffer(void **state UNUSED)
{
	struct km_spec k;
	char small[8];

	assert_int_equal(kspec_parse("6.x", &k, small, sizeof(small)), -EINVAL);
	assert_string_equal(small, "twlab: ");
}

static void cmdline_probe(void **state UNUSED)
{
	char buf[KM_CMDLINE_MAX];

	assert_int_equal(km_cmdline(&(struct km_boot){ .probe = true }, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "console=ttyS0 panic=-1 loglevel=4 no_timer_check twlab.probe=1");
}

static void cmdline_run(void **state UNUSED)
{
	const char *args[] = { "active_closer", "A11" };
	char buf[KM_CMDLINE_MAX];

	assert_int_equal(km_cmdline(&(struct km_boot){
		.exe = "/src/build/twlab", .kdir = "/c/6.1.0-56-amd64", .nargs = 2, .args = args,
	}, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "console=ttyS0 panic=-1 loglevel=4 no_timer_check twlab.exe=/src/build/twlab "
			    "twlab.kdir=/c/6.1.0-56-amd64 twlab.args=active_closer,A11");
	/* no case named: the guest runs them all, so no twlab.args= at all */
	assert_int_equal(km_cmdline(&(struct km_boot){ .exe = "/t", .kdir = "/k" },
				    buf, sizeof(buf)), 0);
	assert_null(strstr(buf, "twlab.args"));
	assert_null(strstr(buf, "twlab.jobs"));
	/* how many instances the guest runs at once */
	assert_int_equal(km_cmdline(&(struct km_boot){ .exe = "/t", .kdir = "/k", .jobs = 12 },
				    buf, sizeof(buf)), 0);
	assert_non_null(strstr(buf, " twlab.jobs=12"));
}

/* /init splits at spaces, and the case list at commas. */
static void cmdline_bad_words(void **state UNUSED)
{
	const char *comma[] = { "a,b" }, *space[] = { "a b" }, *empty[] = { "" };
	char buf[KM_CMDLINE_MAX];

	assert_int_equal(km_cmdline(&(struct km_boot){ .exe = "/my dir/twlab", .kdir = "/k" },
				    buf, sizeof(buf)), -EINVAL);
	assert_int_equal(km_cmdline(&(struct km_boot){ .exe = "/t", .kdir = "/k\"" },
				    buf, sizeof(buf)), -EINVAL);
	assert_int_equal(km_cmdline(&(struct km_boot){ .exe = "/t" }, buf, sizeof(buf)), -EINVAL);
	assert_int_equal(km_cmdline(&(struct km_boot){ .exe = "/t", .kdir = "/k", .nargs = 1,
						       .args = comma }, buf, sizeof(buf)), -EINVAL);
	assert_int_equal(km_cmdline(&(struct km_boot){ .exe = "/t", .kdir = "/k", .nargs = 1,
						       .args = space }, buf, sizeof(buf)), -EINVAL);
	assert_int_equal(km_cmdline(&(struct km_boot){ .exe = "/t", .kdir = "/k", .nargs = 1,
						       .args = empty }, buf, sizeof(buf)), -EINVAL);
}

/* x86 keeps 2047 bytes of command line: more is an error, not a cut. */
static void cmdline_too_long(void **state UNUSED)
{
	const char *args[CLI_MAX_FILTERS];
	char buf[4 * KM_CMDLINE_MAX], small[40];

	for (int i = 0; i < CLI_MAX_FILTERS; i++)
		args[i] = "a_case_name_long_enough_that_64_overflow";	/* 41 with its comma */
	assert_int_equal(km_cmdline(&(struct km_boot){ .exe = "/t", .kdir = "/k",
			 .nargs = CLI_MAX_FILTERS, .args = args }, buf, sizeof(buf)), -E2BIG);
	assert_int_equal(km_cmdline(&(struct km_boot){ .exe = "/t", .kdir = "/k" },
				    small, sizeof(small)), -E2BIG);
}

static const struct km_guest guest = {
	.qemu = "qemu-system-x86_64", .accel = "tcg", .smp = 2, .mem_mb = 1024,
	.kernel = "/c/k/vmlinuz", .initrd = "/c/k/initramfs.cpio.gz",
	.cmdline = "console=ttyS0 panic=-1", .console = "/o/6.1.log", .results = "/o/6.1",
};

/* The argument after @opt, which must occur exactly once. */
static const char *after(char **argv, int argc, const char *opt)
{
	const char *v = NULL;
	int n = 0;

	for (int i = 0; i + 1 < argc; i++)
		if (!strcmp(argv[i], opt)) {
			v = argv[i + 1];
			n++;
		}
	assert_int_equal(n, 1);
	return v;
}

static int count(char **argv, int argc, const char *s)
{
	int n = 0;

	for (int i = 0; i < argc; i++)
		n += !strcmp(argv[i], s);
	return n;
}

static void qemu_guest(void **state UNUSED)
{
	char buf[4096], *argv[KM_ARGV_MAX];
	int argc = km_qemu_argv(&guest, buf, sizeof(buf), argv, KM_ARGV_MAX);

	assert_true(argc > 0);
	assert_null(argv[argc]);
	assert_string_equal(argv[0], "qemu-system-x86_64");
	assert_string_equal(after(argv, argc, "-accel"), "tcg");
	assert_string_equal(after(argv, argc, "-cpu"), "max");
	assert_string_equal(after(argv, argc, "-smp"), "2");
	assert_string_equal(after(argv, argc, "-m"), "1024");
	assert_string_equal(after(argv, argc, "-kernel"), "/c/k/vmlinuz");
	assert_string_equal(after(argv, argc, "-initrd"), "/c/k/initramfs.cpio.gz");
	assert_string_equal(after(argv, argc, "-append"), "console=ttyS0 panic=-1");
	assert_string_equal(after(argv, argc, "-chardev"),
			    "file,id=console,path=/o/6.1.log,append=on");
	assert_string_equal(after(argv, argc, "-serial"), "chardev:console");
	/* nothing by default: no NIC, so no way out of the guest but 9p */
	assert_int_equal(count(argv, argc, "-nodefaults"), 1);
	assert_int_equal(count(argv, argc, "-no-reboot"), 1);
	assert_int_equal(count(argv, argc, "-virtfs"), 2);
	assert_int_equal(count(argv, argc, "local,path=/,mount_tag=hostroot,readonly=on,"
			       "security_model=none,multidevs=remap"), 1);
	assert_int_equal(count(argv, argc, "local,path=/o/6.1,mount_tag=results,"
			       "security_model=none"), 1);
	assert_int_equal(count(argv, argc, "-enable-kvm"), 0);
}

/* The probe needs no share; kvm is asked for with -accel. */
static void qemu_probe(void **state UNUSED)
{
	struct km_guest g = guest;
	char buf[4096], *argv[KM_ARGV_MAX];
	int argc;

	g.accel = "kvm";
	g.results = NULL;
	g.smp = 1;
	argc = km_qemu_argv(&g, buf, sizeof(buf), argv, KM_ARGV_MAX);
	assert_true(argc > 0);
	assert_string_equal(after(argv, argc, "-accel"), "kvm");
	assert_string_equal(after(argv, argc, "-smp"), "1");
	assert_int_equal(count(argv, argc, "-virtfs"), 0);
}

/* QemuOpts take a comma as two; -kernel and -initrd cannot take one at all. */
static void qemu_commas(void **state UNUSED)
{
	struct km_guest g = guest;
	char buf[4096], *argv[KM_ARGV_MAX];
	int argc;

	g.console = "/o,p/6.1.log";
	g.results = "/o,p/6.1";
	argc = km_qemu_argv(&g, buf, sizeof(buf), argv, KM_ARGV_MAX);
	assert_true(argc > 0);
	assert_string_equal(after(argv, argc, "-chardev"),
			    "file,id=console,path=/o,,p/6.1.log,append=on");
	assert_int_equal(count(argv, argc, "local,path=/o,,p/6.1,mount_tag=results,"
			       "security_model=none"), 1);
	g.kernel = "/c,d/vmlinuz";
	assert_int_equal(km_qemu_argv(&g, buf, sizeof(buf), argv, KM_ARGV_MAX), -EINVAL);
}

static void qemu_bad(void **state UNUSED)
{
	struct km_guest g = guest;
	char buf[4096], *argv[KM_ARGV_MAX];

	g.accel = "xen";
	assert_int_equal(km_qemu_argv(&g, buf, sizeof(buf), argv, KM_ARGV_MAX), -EINVAL);
	g = guest;
	g.smp = 0;
	assert_int_equal(km_qemu_argv(&g, buf, sizeof(buf), argv, KM_ARGV_MAX), -EINVAL);
	g = guest;
	assert_int_equal(km_qemu_argv(&g, buf, 64, argv, KM_ARGV_MAX), -E2BIG);
	assert_int_equal(km_qemu_argv(&g, buf, sizeof(buf), argv, 8), -E2BIG);
}

static const char run_json[] =
	"{\"kernel\": {\"release\": \"6.1.0-56-amd64\", \"hz\": 250},"
	" \"instances\": ["
	"  {\"name\": \"a.ipv4\", \"result\": \"pass\", \"pcap\": \"/tmp/results/pcap/a.ipv4.pcap\"},"
	"  {\"name\": \"a.ipv6\", \"result\": \"fail\", \"pcap\": \"\"},"
	"  {\"name\": \"b.ipv4\", \"result\": \"skip\", \"pcap\": \"/elsewhere/b.pcap\"},"
	"  {\"name\": \"b.ipv6\", \"result\": \"pass\"}]}";

static void annotate_vm(void **state UNUSED)
{
	json_t *run = json_loads(run_json, 0, NULL), *vm, *in;

	assert_non_null(run);
	assert_int_equal(km_annotate(run, &(struct km_vm){
		.spec = "6.1", .accel = "tcg", .packages = "linux-image-6.1.0-56-amd64-unsigned",
		.smp = 2, .mem_mb = 1024, .boot_s = 7.456, .guest_boot_s = -1, .qemu_s = 40,
	}, "/out/6.1"), 0);
	vm = json_object_get(run, "vm");
	assert_string_equal(json_string_value(json_object_get(vm, "accel")), "tcg");
	assert_string_equal(json_string_value(json_object_get(vm, "spec")), "6.1");
	assert_string_equal(json_string_value(json_object_get(vm, "packages")),
			    "linux-image-6.1.0-56-amd64-unsigned");
	assert_int_equal(json_integer_value(json_object_get(vm, "smp")), 2);
	assert_int_equal(json_integer_value(json_object_get(vm, "mem_mb")), 1024);
	assert_float_equal(json_real_value(json_object_get(vm, "boot_s")), 7.46, 1e-9);
	assert_true(json_is_null(json_object_get(vm, "guest_boot_s")));
	assert_float_equal(json_real_value(json_object_get(vm, "qemu_s")), 40, 1e-9);
	/* captures the guest wrote in its share are where the host has that share */
	in = json_object_get(run, "instances");
	assert_string_equal(json_string_value(json_object_get(json_array_get(in, 0), "pcap")),
			    "/out/6.1/pcap/a.ipv4.pcap");
	assert_string_equal(json_string_value(json_object_get(json_array_get(in, 1), "pcap")), "");
	assert_string_equal(json_string_value(json_object_get(json_array_get(in, 2), "pcap")),
			    "/elsewhere/b.pcap");
	assert_null(json_object_get(json_array_get(in, 3), "pcap"));
	/* the rest of the run is untouched */
	assert_string_equal(json_string_value(json_object_get(json_object_get(run, "kernel"),
							      "release")), "6.1.0-56-amd64");
	json_decref(run);
}

static void outcomes(void **state UNUSED)
{
	json_t *run = json_loads(run_json, 0, NULL);
	json_t *empty = json_loads("{\"instances\": []}", 0, NULL);
	json_t *odd = json_loads("{\"instances\": [{\"result\": \"maybe\"}]}", 0, NULL);
	int n[R_NOUTCOMES];

	assert_int_equal(km_outcomes(run, n), 0);
	assert_int_equal(n[R_PASS], 2);
	assert_int_equal(n[R_FAIL], 1);
	assert_int_equal(n[R_SKIP], 1);
	assert_int_equal(n[R_ERROR], 0);
	assert_int_equal(km_outcomes(empty, n), -EINVAL);
	assert_int_equal(km_outcomes(odd, n), -EINVAL);
	json_decref(run);
	json_decref(empty);
	json_decref(odd);
}

/* Inconclusive has its own column and key, and never makes the matrix fail. */
static void summary_inconclusive(void **state UNUSED)
{
	int guest[R_NOUTCOMES] = { [R_PASS] = 60, [R_SKIP] = 6, [R_INCONCLUSIVE] = 4 };
	int bad[R_NOUTCOMES] = { [R_PASS] = 69, [R_ERROR] = 1 };
	const struct km_row rows[] = {
		{ "6.1", "6.1.0-57-amd64", "tcg", 30.4, 120.25, guest, "" },
		{ "host", "6.18.0", "-", -1, 65, bad, "" },
		{ "5.10", "-", "-", -1, -1, bad, "not fetched" },
	};
	char text[512];
	json_t *j, *k;
	FILE *f;

	assert_false(km_row_bad(&rows[0]));
	assert_true(km_row_bad(&rows[1]));
	assert_true(km_row_bad(&rows[2]));
	f = fmemopen(text, sizeof(text), "w");
	assert_non_null(f);
	km_summary_head(f);
	km_summary_row(f, &rows[0]);
	km_summary_row(f, &rows[2]);
	fclose(f);
	assert_non_null(strstr(text, " PASS  FAIL  SKIP INCONCL ERROR\n"));
	assert_non_null(strstr(text, "   60     0     6       4     0\n"));
	assert_non_null(strstr(text, "error: not fetched\n"));

	j = km_summary_json(rows, 1, 200.0);
	assert_true(json_is_true(json_object_get(j, "ok")));
	k = json_array_get(json_object_get(j, "kernels"), 0);
	assert_int_equal(json_integer_value(json_object_get(k, "inconclusive")), 4);
	assert_int_equal(json_integer_value(json_object_get(k, "skip")), 6);
	assert_int_equal(json_integer_value(json_object_get(k, "pass")), 60);
	assert_true(json_is_true(json_object_get(k, "ok")));
	json_decref(j);
	j = km_summary_json(rows, 3, 200.0);
	assert_true(json_is_false(json_object_get(j, "ok")));
	k = json_array_get(json_object_get(j, "kernels"), 2);
	assert_string_equal(json_string_value(json_object_get(k, "error")), "not fetched");
	json_decref(j);
}

/* Guests' CPUs never outnumber the host's, and each gets at least one. */
static void default_smp(void **state UNUSED)
{
	assert_int_equal(km_default_smp(2, 2, 2), 1);
	assert_int_equal(km_default_smp(2, 1, 2), 2);
	assert_int_equal(km_default_smp(8, 2, 2), 2);
	assert_int_equal(km_default_smp(1, 3, 2), 1);
	assert_int_equal(km_default_smp(4, 0, 2), 2);	/* host only: not used */
}

static void console_reasons(void **state UNUSED)
{
	char buf[128];

	assert_true(km_console_reason("[    1.0] booting\r\ntwlab-guest: error: insmod 9p.ko\r\n"
				      "twlab-guest: error: cannot mount the host's root (9p tag "
				      "hostroot)\r\n[    2.0] reboot: Power down\r\n",
				      buf, sizeof(buf)));
	assert_string_equal(buf, "error: cannot mount the host's root (9p tag hostroot)");
	assert_true(km_console_reason("[ 0.5] Kernel panic - not syncing: VFS: Unable to mount "
				      "root fs\n[ 0.6] ---[ end Kernel panic", buf, sizeof(buf)));
	assert_string_equal(buf, "Kernel panic - not syncing: VFS: Unable to mount root fs");
	assert_true(km_console_reason("qemu-system-x86_64: error: failed to set MSR 0x10a\n"
				      "qemu-system-x86_64: kvm.c: Assertion failed.\n",
				      buf, sizeof(buf)));
	assert_string_equal(buf, "qemu-system-x86_64: error: failed to set MSR 0x10a");
	/* /init's word beats the kernel's, which beats qemu's */
	assert_true(km_console_reason("qemu-system-x86_64: warning: x\nKernel panic - not "
				      "syncing: y\ntwlab-guest: error: z", buf, sizeof(buf)));
	assert_string_equal(buf, "error: z");
	assert_false(km_console_reason("twlab-guest: booted in 1.9 s\nok 1 x\n", buf, sizeof(buf)));
	assert_false(km_console_reason("", buf, sizeof(buf)));
}

static struct cli c;

static int parse(int argc, char *const *argv)
{
	memset(err, 'x', sizeof(err));
	err[sizeof(err) - 1] = '\0';
	return cli_parse(argc, argv, &c, err, sizeof(err));
}

static void assert_cli_bad(int argc, char *const *argv, const char *needle)
{
	assert_int_equal(parse(argc, argv), -EINVAL);
	assert_non_null(strstr(err, needle));
	assert_null(strchr(err, '\n'));
}

static void cli_matrix(void **state UNUSED)
{
	char *argv[] = { "twlab", "matrix", "--kernel", "host", "--kernel=6.1", "A01",
			 "-j", "3", "--out", "o", "--cache=cc", "--accel", "tcg", "--smp", "1",
			 "--mem=4096", "--timeout", "60", "tw_reuse", "--kernel", "6.1.0-28-amd64",
			 "--guest-jobs", "5" };

	assert_int_equal(parse(ARGC(argv), argv), 0);
	assert_string_equal(err, "");
	assert_int_equal(c.cmd, CMD_MATRIX);
	assert_int_equal(c.km.nkernels, 3);
	assert_int_equal(c.km.kernels[0].kind, KSPEC_HOST);
	assert_int_equal(c.km.kernels[1].kind, KSPEC_SERIES);
	assert_string_equal(c.km.kernels[1].name, "6.1");
	assert_int_equal(c.km.kernels[2].kind, KSPEC_VERSION);
	assert_string_equal(c.km.kernels[2].name, "6.1.0-28");
	assert_int_equal(c.jobs, 3);
	assert_string_equal(c.out, "o");
	assert_string_equal(c.km.cache, "cc");
	assert_string_equal(c.km.accel, "tcg");
	assert_int_equal(c.km.smp, 1);
	assert_int_equal(c.km.mem_mb, 4096);
	assert_int_equal(c.km.timeout_s, 60);
	assert_int_equal(c.km.guest_jobs, 5);
	assert_int_equal(c.nfilters, 2);
	assert_string_equal(c.filters[0], "A01");
	assert_string_equal(c.filters[1], "tw_reuse");
}

/* Images with and without modules, and the archive to fetch from. */
static void cli_matrix_images(void **state UNUSED)
{
	char *argv[] = { "twlab", "matrix", "--kernel", "/tmp/k/vmlinuz", "--modules",
			 "/tmp/k/lib/modules/6.1.0-28-amd64", "--kernel", "k.deb", "--kernel",
			 "6.1", "--mirror", "file:/srv/debian", "A02" };

	assert_int_equal(parse(ARGC(argv), argv), 0);
	assert_int_equal(c.km.nkernels, 3);
	assert_int_equal(c.km.kernels[0].kind, KSPEC_FILE);
	assert_string_equal(c.km.kernels[0].path, "/tmp/k/vmlinuz");
	assert_string_equal(c.km.kernels[0].modules, "/tmp/k/lib/modules/6.1.0-28-amd64");
	assert_int_equal(c.km.kernels[1].kind, KSPEC_FILE);
	assert_string_equal(c.km.kernels[1].path, "k.deb");
	assert_null(c.km.kernels[1].modules);
	assert_int_equal(c.km.kernels[2].kind, KSPEC_SERIES);
	assert_string_equal(c.km.mirror, "file:/srv/debian");
}

/* Left out, each is the caller's default: 0 or NULL. */
static void cli_matrix_defaults(void **state UNUSED)
{
	char *argv[] = { "twlab", "matrix", "--kernel", "5.10", "-j2" };

	assert_int_equal(parse(ARGC(argv), argv), 0);
	assert_int_equal(c.km.nkernels, 1);
	assert_int_equal(c.jobs, 2);
	assert_null(c.out);
	assert_null(c.km.cache);
	assert_null(c.km.accel);
	assert_int_equal(c.km.smp, 0);
	assert_int_equal(c.km.mem_mb, 0);
	assert_int_equal(c.km.timeout_s, 0);
	assert_int_equal(c.nfilters, 0);
}

static void cli_matrix_errors(void **state UNUSED)
{
	char *none[] = { "twlab", "matrix", "A01" };
	char *bad[] = { "twlab", "matrix", "--kernel", "6.x" };
	char *twice[] = { "twlab", "matrix", "--kernel", "6.1.0-28", "--kernel", "6.1.0-28-amd64" };
	char *accel[] = { "twlab", "matrix", "--kernel", "6.1", "--accel", "xen" };
	char *smp0[] = { "twlab", "matrix", "--kernel", "6.1", "--smp", "0" };
	char *smp65[] = { "twlab", "matrix", "--kernel", "6.1", "--smp", "65" };
	char *mem[] = { "twlab", "matrix", "--kernel", "6.1", "--mem", "128" };
	char *tmo[] = { "twlab", "matrix", "--kernel", "6.1", "--timeout", "1s" };
	char *jobs[] = { "twlab", "matrix", "--kernel", "6.1", "-j", "0" };
	char *json[] = { "twlab", "matrix", "--kernel", "6.1", "--json", "f" };
	char *dangling[] = { "twlab", "matrix", "--kernel" };
	char *cache[] = { "twlab", "matrix", "--kernel", "6.1", "--cache=" };
	char *mod0[] = { "twlab", "matrix", "--modules", "/m", "--kernel", "/k" };
	char *moddeb[] = { "twlab", "matrix", "--kernel", "k.deb", "--modules", "/m" };
	char *modser[] = { "twlab", "matrix", "--kernel", "6.1", "--modules", "/m" };
	char *mod2[] = { "twlab", "matrix", "--kernel", "/k", "--modules", "/m", "--modules", "/n" };
	char *img2[] = { "twlab", "matrix", "--kernel", "/k", "--kernel", "/k" };
	char *mirror[] = { "twlab", "matrix", "--kernel", "6.1", "--mirror", "srv/debian" };
	char *many[2 + 2 * (KM_MAX_KERNELS + 1)] = { "twlab", "matrix" };
	char names[KM_MAX_KERNELS + 1][16];

	assert_cli_bad(ARGC(none), none, "at least one --kernel");
	assert_cli_bad(ARGC(bad), bad, "'6.x'");
	assert_cli_bad(ARGC(twice), twice, "6.1.0-28 given twice");
	assert_cli_bad(ARGC(accel), accel, "auto, kvm or tcg");
	assert_cli_bad(ARGC(smp0), smp0, "--smp");
	assert_cli_bad(ARGC(smp65), smp65, "1 to 64");
	assert_cli_bad(ARGC(mem), mem, "256 to");
	assert_cli_bad(ARGC(tmo), tmo, "'1s'");
	assert_cli_bad(ARGC(jobs), jobs, "-j");
	assert_cli_bad(ARGC(json), json, "'--json'");
	assert_cli_bad(ARGC(dangling), dangling, "--kernel needs a value");
	assert_cli_bad(ARGC(cache), cache, "--cache=");
	assert_cli_bad(ARGC(mod0), mod0, "right after the --kernel");
	assert_cli_bad(ARGC(moddeb), moddeb, "holds its own modules");
	assert_cli_bad(ARGC(modser), modser, "right after the --kernel");
	assert_cli_bad(ARGC(mod2), mod2, "once");
	assert_cli_bad(ARGC(img2), img2, "/k given twice");
	assert_cli_bad(ARGC(mirror), mirror, "URL of a Debian archive");
	for (int i = 0; i <= KM_MAX_KERNELS; i++) {
		snprintf(names[i], sizeof(names[i]), "6.%d", i);
		many[2 + 2 * i] = "--kernel";
		many[3 + 2 * i] = names[i];
	}
	assert_cli_bad(ARGC(many), many, "at most 16");
	assert_int_equal(parse(ARGC(many) - 2, many), 0);
	assert_int_equal(c.km.nkernels, KM_MAX_KERNELS);
}

static void cli_usage_matrix(void **state UNUSED)
{
	assert_non_null(strstr(cli_usage, "twlab matrix --kernel K"));
	assert_non_null(strstr(cli_usage, "--cache D"));
	assert_non_null(strstr(cli_usage, "--accel A"));
	assert_non_null(strstr(cli_usage, "--mem MB"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(spec_host_and_series),
		cmocka_unit_test(spec_versions),
		cmocka_unit_test(spec_bad),
		cmocka_unit_test(spec_files),
		cmocka_unit_test(bzimage_release),
		cmocka_unit_test(deb_release),
		cmocka_unit_test(cli_matrix_images),
		cmocka_unit_test(spec_flavours),
		cmocka_unit_test(spec_short_buffer),
		cmocka_unit_test(cmdline_probe),
		cmocka_unit_test(cmdline_run),
		cmocka_unit_test(cmdline_bad_words),
		cmocka_unit_test(cmdline_too_long),
		cmocka_unit_test(qemu_guest),
		cmocka_unit_test(qemu_probe),
		cmocka_unit_test(qemu_commas),
		cmocka_unit_test(qemu_bad),
		cmocka_unit_test(annotate_vm),
		cmocka_unit_test(outcomes),
		cmocka_unit_test(summary_inconclusive),
		cmocka_unit_test(default_smp),
		cmocka_unit_test(console_reasons),
		cmocka_unit_test(cli_matrix),
		cmocka_unit_test(cli_matrix_defaults),
		cmocka_unit_test(cli_matrix_errors),
		cmocka_unit_test(cli_usage_matrix),
	};

	return cmocka_run_group_tests_name("kmatrix", tests, NULL, NULL);
}
