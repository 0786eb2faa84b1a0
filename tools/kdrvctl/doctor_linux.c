// SPDX-License-Identifier: GPL-2.0 OR MIT
/* `kdrvctl doctor` on Linux: why a kdrv module would not build or load for one kernel. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "doctor_linux.h"
#include "exit.h"

const char *kdrvctl_doc_config(const struct kdrvctl_doc *dc, const char *key, char *val, size_t cap)
{
	size_t klen = strlen(key), n;
	const char *p = dc->config;

	while (p && *p) {
		n = strcspn(p, "\n");
		if (n > klen && !strncmp(p, key, klen) && p[klen] == '=') {
			const char *v = p + klen + 1;
			size_t vlen = n - klen - 1;

			if (vlen >= 2 && v[0] == '"' && v[vlen - 1] == '"') {
				v++;
				vlen -= 2;
			}
			snprintf(val, cap, "%.*s", (int)vlen, v);
			return val;
		}
		p += n + (p[n] == '\n');
	}
	return NULL;
}

bool kdrvctl_doc_config_y(const struct kdrvctl_doc *dc, const char *key)
{
	char v[8];

	return kdrvctl_doc_config(dc, key, v, sizeof(v)) && !strcmp(v, "y");
}

/* Kbuild reads include/config/auto.conf; .config and /boot's copy say the same. */
static void doc_load_config(struct kdrvctl_doc *dc)
{
	static const char *const places[] = {
		"/lib/modules/%s/build/include/config/auto.conf",
		"/lib/modules/%s/build/.config",
		"/boot/config-%s",
	};
	char real[KDRVCTL_PATH];
	size_t i;

	for (i = 0; i < sizeof(places) / sizeof(places[0]) && !dc->config; i++) {
		dc->config =
		    kdrvctl_slurp(kdrvctl_sys(real, sizeof(real), places[i], dc->krel), NULL);
		if (dc->config)
			snprintf(dc->config_from, sizeof(dc->config_from), places[i], dc->krel);
	}
}

bool kdrvctl_doc_cmdline(const struct kdrvctl_doc *dc, const char *word, char *val, size_t cap)
{
	char line[4096], *tok, *save;
	size_t wlen = strlen(word);

	if (!dc->d.running || !kdrvctl_sys_line(line, sizeof(line), "/proc/cmdline"))
		return false;
	for (tok = strtok_r(line, " \t", &save); tok; tok = strtok_r(NULL, " \t", &save)) {
		/* Boot loader arguments after "--" go to init, not to the kernel. */
		if (!strcmp(tok, "--"))
			break;
		if (!strncmp(tok, word, wlen) && (!tok[wlen] || tok[wlen] == '=')) {
			snprintf(val, cap, "%s", tok[wlen] ? tok + wlen + 1 : "");
			return true;
		}
	}
	return false;
}

static void doc_check_kernel(struct kdrvctl_doc *dc)
{
	if (dc->d.running)
		kdrvctl_doctor_add(&dc->d, KDRVCTL_DOCTOR_OK, "kernel", NULL,
				   "%s is the running kernel", dc->krel);
	else if (kdrvctl_sys_exists("/lib/modules/%s", dc->krel) ||
		 kdrvctl_sys_exists("/boot/vmlinuz-%s", dc->krel))
		kdrvctl_doctor_add(&dc->d, KDRVCTL_DOCTOR_INFO, "kernel", NULL,
				   "%s is installed, not running (running: %s): what loading needs "
				   "is predicted from its configuration",
				   dc->krel, dc->running[0] ? dc->running : "none under --root");
	else {
		char fix[256];

		snprintf(fix, sizeof(fix), "sudo apt-get install linux-image-%s", dc->krel);
		kdrvctl_doctor_add(&dc->d, KDRVCTL_DOCTOR_FAIL, "kernel", fix,
				   "%s is not installed: no /lib/modules/%s nor /boot/vmlinuz-%s",
				   dc->krel, dc->krel, dc->krel);
	}
}

static void doc_check_module_support(struct kdrvctl_doc *dc)
{
	static const char fix_boot[] =
	    "boot a kernel built with CONFIG_MODULES=y (Debian's: sudo apt-get install "
	    "linux-image-amd64), or try kdrv in QEMU instead: make demo";
	char why[512] = "", buf[64];

	if (!dc->d.running) {
		if (!dc->config)
			kdrvctl_doctor_add(&dc->d, KDRVCTL_DOCTOR_WARN, "modules", NULL,
					   "could not tell whether %s loads modules: its "
					   "configuration is unreadable",
					   dc->krel);
		else if (kdrvctl_doc_config_y(dc, "CONFIG_MODULES"))
			kdrvctl_doctor_add(&dc->d, KDRVCTL_DOCTOR_OK, "modules", NULL,
					   "%s loads modules (CONFIG_MODULES=y in %s)", dc->krel,
					   dc->config_from);
		else
			kdrvctl_doctor_add(&dc->d, KDRVCTL_DOCTOR_FAIL, "modules", fix_boot,
					   "%s was built without loadable modules (no "
					   "CONFIG_MODULES=y in %s)",
					   dc->krel, dc->config_from);
		return;
	}
	if (!kdrvctl_sys_exists("/proc/cmdline")) {
		kdrvctl_doctor_add(&dc->d, KDRVCTL_DOCTOR_WARN, "modules", "mount /proc",
				   "could not tell whether the running kernel loads modules: "
				   "/proc is not mounted");
		return;
	}
	if (!kdrvctl_sys_exists("/proc/modules"))
		kdrvctl_append(why, sizeof(why),
			       "it has no loadable module support (no /proc/modules)");
	if (kdrvctl_doc_cmdline(dc, "nomodule", buf, sizeof(buf)))
		kdrvctl_append(why, sizeof(why),
			       "'nomodule' on its command line turns loading off");
	if (kdrvctl_sys_line(buf, sizeof(buf), "/proc/sys/kernel/modules_disabled") &&
	    !strcmp(buf, "1"))
		kdrvctl_append(why, sizeof(why),
			       "kernel.modules_disabled=1: loading is off until the next boot");
	if (!why[0])
		kdrvctl_doctor_add(&dc->d, KDRVCTL_DOCTOR_OK, "modules", NULL,
				   "the running kernel loads modules (/proc/modules)");
	else if (!kdrvctl_sys_exists("/proc/modules"))
		kdrvctl_doctor_add(&dc->d, KDRVCTL_DOCTOR_FAIL, "modules", fix_boot,
				   "the running kernel cannot load modules: %s", why);
	else
		kdrvctl_doctor_add(&dc->d, KDRVCTL_DOCTOR_FAIL, "modules",
				   "remove 'nomodule' from the kernel command line "
				   "(GRUB_CMDLINE_LINUX in /etc/default/grub, then update-grub) "
				   "and kernel.modules_disabled from /etc/sysctl.conf and "
				   "/etc/sysctl.d/, then reboot",
				   "the running kernel refuses modules: %s", why);
}

/* Reports the first way the headers fail kdrv's build, or that they serve. */
static void doc_check_headers(struct kdrvctl_doc *dc)
{
	char build[KDRVCTL_PATH], real[KDRVCTL_PATH], line[512], fix[256], rel[256];
	ssize_t n;
	char *inc;

	snprintf(build, sizeof(build), "/lib/modules/%s/build", dc->krel);
	snprintf(fix, sizeof(fix), "sudo apt-get install linux-headers-%s", dc->krel);
	if (!kdrvctl_sys_exists("%s", build)) {
		/* A dangling link: the headers package went, the image's link stayed. */
		kdrvctl_sys(real, sizeof(real), "/lib/modules/%s", dc->krel);
		n = strlen(real);
		snprintf(real + n, sizeof(real) - n, "/build");
		n = readlink(real, line, sizeof(line) - 1);
		line[n > 0 ? n : 0] = '\0';
		if (n > 0)
			kdrvctl_doctor_add(&dc->d, KDRVCTL_DOCTOR_FAIL, "headers", fix,
					   "no kernel headers for %s: %s points to %s, which is "
					   "missing",
					   dc->krel, build, line);
		else
			kdrvctl_doctor_add(&dc->d, KDRVCTL_DOCTOR_FAIL, "headers", fix,
					   "no kernel headers for %s: %s is missing", dc->krel,
					   build);
		return;
	}
	snprintf(fix, sizeof(fix), "sudo apt-get install --reinstall linux-headers-%s", dc->krel);
	if (!kdrvctl_sys_line(line, sizeof(line), "%s/Makefile", build)) {
		kdrvctl_doctor_add(&dc->d, KDRVCTL_DOCTOR_FAIL, "headers", fix,
				   "%s has no Makefile: not a kernel build tree", build);
		return;
	}
	/* Debian's per-flavour Makefile is one include of the -common package's. */
	if (!strncmp(line, "include /", 9)) {
		inc = line + 8;
		if (!kdrvctl_sys_exists("%s", inc)) {
			kdrvctl_doctor_add(&dc->d, KDRVCTL_DOCTOR_FAIL, "headers", fix,
					   "%s/Makefile includes %s, which is missing", build, inc);
			return;
		}
	}
	if (!kdrvctl_sys_exists("%s/scripts/Makefile.build", build)) {
		kdrvctl_doctor_add(&dc->d, KDRVCTL_DOCTOR_FAIL, "headers", fix,
				   "%s/scripts/Makefile.build is missing: the headers lack "
				   "Kbuild (Debian: linux-kbuild-*)",
				   build);
		return;
	}
	rel[0] = '\0';
	if (kdrvctl_sys(real, sizeof(real), "%s/include/generated/utsrelease.h", build) &&
	    kdrvctl_read(real, line, sizeof(line)) > 0)
		sscanf(line, "#define UTS_RELEASE \"%255[^\"]\"", rel);
	if (!rel[0])
		kdrvctl_doctor_add(&dc->d, KDRVCTL_DOCTOR_FAIL, "headers", fix,
				   "%s/include/generated/utsrelease.h does not name a kernel "
				   "release: the tree is not prepared",
				   build);
	else if (strcmp(rel, dc->krel))
		kdrvctl_doctor_add(&dc->d, KDRVCTL_DOCTOR_FAIL, "headers", fix,
				   "%s holds the headers of %s, not of %s", build, rel, dc->krel);
	else
		kdrvctl_doctor_add(&dc->d, KDRVCTL_DOCTOR_OK, "headers", NULL,
				   "%s: the headers of %s, with Kbuild", build, dc->krel);
}

/* The major version in a compiler's --version line: the first number of its last word. */
static long doc_cc_major(const char *line)
{
	const char *last = strrchr(line, ' ');

	return strtol(last ? last + 1 : line, NULL, 10);
}

/* Whether a Makefile fragment assigns CC (CC = ..., CC := ..., CC ?= ...). */
static bool doc_sets_cc(const char *mk)
{
	const char *p = mk;

	while (p && *p) {
		if (!strncmp(p, "CC", 2)) {
			const char *q = p + 2 + strspn(p + 2, " \t");

			if (*q == '=' || !strncmp(q, ":=", 2) || !strncmp(q, "?=", 2))
				return true;
		}
		p = strchr(p, '\n');
		p += p != NULL;
	}
	return false;
}

static void doc_check_compiler(struct kdrvctl_doc *dc)
{
	char text[256], name[128], want[160], kbuild[128], exe[KDRVCTL_PATH], seen[512], fix[512];
	char vars[KDRVCTL_PATH], num[32], then[200] = "";
	const char *argv[3], *pkg, *family;
	long want_major = 0;
	bool clang;
	char *kv;

	if (!kdrvctl_doc_config(dc, "CONFIG_CC_VERSION_TEXT", text, sizeof(text))) {
		kdrvctl_doctor_add(&dc->d, KDRVCTL_DOCTOR_INFO, "compiler", NULL,
				   dc->config ? "%s does not name the compiler it was built with "
						"(kernels before 5.8)"
					      : "could not tell which compiler built %s: its "
						"configuration is unreadable",
				   dc->krel);
		return;
	}
	clang = strstr(text, "clang");
	family = clang ? "clang" : "gcc";
	if (kdrvctl_doc_config(dc, clang ? "CONFIG_CLANG_VERSION" : "CONFIG_GCC_VERSION", num,
			       sizeof(num)))
		want_major = strtol(num, NULL, 10) / 10000;
	if (!want_major)
		want_major = doc_cc_major(text);
	/* "gcc-12 (Debian ...)" names its command; "gcc (GCC) 14.2.1" needs the version added. */
	snprintf(name, sizeof(name), "%.*s", (int)strcspn(text, " "), clang ? family : text);
	if (strchr(name, '-') && strspn(strrchr(name, '-') + 1, "0123456789"))
		snprintf(want, sizeof(want), "%s", name);
	else
		snprintf(want, sizeof(want), "%s-%ld", family, want_major);
	pkg = strstr(want, "-linux-gnu-") ? strstr(want, "-linux-gnu-") + 11 : want;

	/* Debian's headers pin CC to the kernel's own compiler; otherwise Kbuild calls gcc. */
	kv = kdrvctl_slurp(
	    kdrvctl_sys(vars, sizeof(vars), "/lib/modules/%s/build/.kernelvariables", dc->krel),
	    NULL);
	snprintf(kbuild, sizeof(kbuild), "%s", doc_sets_cc(kv) ? name : family);
	free(kv);
	if (strcmp(kbuild, want))
		snprintf(then, sizeof(then), ", then build with make linux CC=%s%s", want,
			 clang ? " LLVM=1" : "");

	if (!kdrvctl_which(kbuild, exe, sizeof(exe))) {
		snprintf(fix, sizeof(fix), "sudo apt-get install %s%s", pkg, then);
		kdrvctl_doctor_add(&dc->d, KDRVCTL_DOCTOR_FAIL, "compiler", fix,
				   "%s was built by '%s'; Kbuild would call %s, which is not "
				   "installed",
				   dc->krel, text, kbuild);
		return;
	}
	argv[0] = kbuild;
	argv[1] = "--version";
	argv[2] = NULL;
	if (kdrvctl_run(seen, sizeof(seen), argv)) {
		kdrvctl_first_line(seen);
		kdrvctl_doctor_add(&dc->d, KDRVCTL_DOCTOR_FAIL, "compiler", NULL,
				   "%s --version failed: %s", exe, seen);
		return;
	}
	kdrvctl_first_line(seen);
	if (!strcmp(seen, text)) {
		kdrvctl_doctor_add(&dc->d, KDRVCTL_DOCTOR_OK, "compiler", NULL,
				   "Kbuild calls %s: '%s', as %s was built", kbuild, seen,
				   dc->krel);
		return;
	}
	if (doc_cc_major(seen) != want_major) {
		snprintf(fix, sizeof(fix), "sudo apt-get install %s%s", pkg, then);
		kdrvctl_doctor_add(&dc->d, KDRVCTL_DOCTOR_FAIL, "compiler", fix,
				   "%s was built by '%s' (%s %ld); Kbuild would call %s, which is "
				   "'%s'",
				   dc->krel, text, family, want_major, kbuild, seen);
		return;
	}
	snprintf(fix, sizeof(fix),
		 "usually harmless; to build with exactly the kernel's compiler, install that "
		 "build of %s",
		 pkg);
	kdrvctl_doctor_add(&dc->d, KDRVCTL_DOCTOR_WARN, "compiler", fix,
			   "%s was built by '%s'; Kbuild would call %s, which is '%s': the same "
			   "major version, another build",
			   dc->krel, text, kbuild, seen);
}

static void doc_check_make(struct kdrvctl_doc *dc)
{
	char exe[KDRVCTL_PATH];

	if (kdrvctl_which("make", exe, sizeof(exe)))
		kdrvctl_doctor_add(&dc->d, KDRVCTL_DOCTOR_OK, "make", NULL, "%s", exe);
	else
		kdrvctl_doctor_add(&dc->d, KDRVCTL_DOCTOR_FAIL, "make", "sudo apt-get install make",
				   "make is not installed: Kbuild needs it");
}

static void doc_check_dkms(struct kdrvctl_doc *dc)
{
	const char *argv[] = { "dkms", "status", "kdrv", NULL };
	char out[4096], fix[256], *line, *save, mine[512] = "", others[512] = "";
	char ver[128] = "kdrv/VERSION";
	bool installed = false;
	int rc;

	rc = kdrvctl_run(out, sizeof(out), argv);
	if (rc < 0 && !out[0]) {
		kdrvctl_doctor_add(&dc->d, KDRVCTL_DOCTOR_INFO, "dkms", NULL,
				   "dkms is not installed: kdrv builds and loads without it");
		return;
	}
	if (rc) {
		kdrvctl_first_line(out);
		kdrvctl_doctor_add(&dc->d, KDRVCTL_DOCTOR_WARN, "dkms", NULL,
				   "dkms status kdrv failed (exit %d): %s", rc, out);
		return;
	}
	/* "kdrv/1.0, 6.12.117+deb12-cloud-amd64, x86_64: installed" per kernel. */
	for (line = strtok_r(out, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char pat[300], *comma = strchr(line, ',');

		if (strncmp(line, "kdrv", 4) || !comma)
			continue;
		snprintf(ver, sizeof(ver), "%.*s", (int)(comma - line), line);
		snprintf(pat, sizeof(pat), ", %s,", dc->krel);
		if (strstr(line, pat)) {
			installed |= strstr(line, ": installed") != NULL;
			kdrvctl_append(mine, sizeof(mine), line);
		} else {
			kdrvctl_append(others, sizeof(others), line);
		}
	}
	snprintf(fix, sizeof(fix), "sudo dkms install %s -k %s", ver, dc->krel);
	if (installed)
		kdrvctl_doctor_add(&dc->d, KDRVCTL_DOCTOR_OK, "dkms", NULL, "%s", mine);
	else if (mine[0])
		kdrvctl_doctor_add(&dc->d, KDRVCTL_DOCTOR_WARN, "dkms", fix,
				   "kdrv is in DKMS but not installed for %s: %s", dc->krel, mine);
	else if (others[0])
		kdrvctl_doctor_add(&dc->d, KDRVCTL_DOCTOR_WARN, "dkms", fix,
				   "kdrv is in DKMS for other kernels only: %s", others);
	else
		kdrvctl_doctor_add(&dc->d, KDRVCTL_DOCTOR_INFO, "dkms", NULL,
				   "kdrv is not registered with DKMS: build it from the tree "
				   "(make linux)");
}

static void doc_check_windows(struct kdrvctl_doc *dc)
{
	static const struct {
		const char *name, *alt, *pkg, *need;
	} tools[] = {
		{ "x86_64-w64-mingw32-gcc", NULL, "gcc-mingw-w64-x86-64", "make windows" },
		{ "osslsigncode", NULL, "osslsigncode", "make sign" },
		{ "wine", "wine64", "wine wine64", "the Wine suite" },
	};
	char exe[KDRVCTL_PATH], fix[256];
	size_t i;

	for (i = 0; i < sizeof(tools) / sizeof(tools[0]); i++) {
		if (kdrvctl_which(tools[i].name, exe, sizeof(exe)) ||
		    (tools[i].alt && kdrvctl_which(tools[i].alt, exe, sizeof(exe)))) {
			kdrvctl_doctor_add(&dc->d, KDRVCTL_DOCTOR_OK, tools[i].name, NULL,
					   "%s (for %s)", exe, tools[i].need);
			continue;
		}
		snprintf(
		    fix, sizeof(fix),
		    "sudo apt-get install %s (all Windows tools: sudo scripts/deps.sh windows)",
		    tools[i].pkg);
		kdrvctl_doctor_add(&dc->d, KDRVCTL_DOCTOR_WARN, tools[i].name, fix,
				   "not installed: only %s needs it, not the Linux modules",
				   tools[i].need);
	}
}

static bool doc_is_tree(const char *dir)
{
	char path[KDRVCTL_PATH];
	struct stat st;

	kdrvctl_path(path, sizeof(path), "%s/os/linux/Kbuild", dir);
	return !stat(path, &st);
}

/* The checkout this kdrvctl was built in (TREE/build/bin/kdrvctl), else the current one. */
static const char *doc_find_tree(char *out, size_t cap)
{
	ssize_t n = readlink("/proc/self/exe", out, cap - 1);
	char *tail;

	if (n > 0) {
		out[n] = '\0';
		tail = strstr(out, "/build/bin/");
		if (tail) {
			*tail = '\0';
			if (doc_is_tree(out))
				return out;
		}
	}
	if (getcwd(out, cap) && doc_is_tree(out))
		return out;
	return NULL;
}

static int doc_usage_error(const char *what, const char *arg)
{
	fprintf(stderr, "kdrvctl: doctor: %s; saw '%s'\nTry 'kdrvctl --help'.\n", what, arg);
	return KDRVCTL_USAGE;
}

int kdrvctl_doctor(const struct kdrvctl_doctor_opts *o)
{
	static struct kdrvctl_doc doc;
	static char tree[KDRVCTL_PATH];
	struct kdrvctl_doc *dc = &doc;
	struct utsname u;
	struct stat st;

	if (o->root && (stat(o->root, &st) || !S_ISDIR(st.st_mode)))
		return doc_usage_error("--root wants a directory", o->root);
	if (o->tree && !doc_is_tree(o->tree))
		return doc_usage_error("--tree wants a kdrv checkout (with os/linux/Kbuild)",
				       o->tree);
	kdrvctl_sysroot_set(o->root ? o->root : "");
	dc->tree = o->tree ? o->tree : doc_find_tree(tree, sizeof(tree));

	/* Under --root, the running kernel is the one that root's /proc says, if any. */
	if (kdrvctl_sysroot_is_real() && !uname(&u))
		snprintf(dc->running, sizeof(dc->running), "%s", u.release);
	else if (!kdrvctl_sysroot_is_real())
		kdrvctl_sys_line(dc->running, sizeof(dc->running), "/proc/sys/kernel/osrelease");
	if (!o->kernel && !dc->running[0])
		return doc_usage_error("the root has no proc/sys/kernel/osrelease to name the "
				       "running kernel: pass --kernel KREL",
				       o->root);
	if (snprintf(dc->krel, sizeof(dc->krel), "%s", o->kernel ? o->kernel : dc->running) >=
	    (int)sizeof(dc->krel))
		return doc_usage_error("a kernel release has at most 64 bytes", dc->krel);
	dc->d.kernel = dc->krel;
	dc->d.running = !strcmp(dc->krel, dc->running);
	doc_load_config(dc);

	doc_check_kernel(dc);
	doc_check_module_support(dc);
	doc_check_headers(dc);
	doc_check_compiler(dc);
	doc_check_make(dc);
	kdrvctl_doc_built(dc);
	kdrvctl_doc_installed(dc);
	kdrvctl_doc_secure_boot(dc);
	kdrvctl_doc_lockdown(dc);
	kdrvctl_doc_signatures(dc);
	doc_check_dkms(dc);
	doc_check_windows(dc);
	free(dc->config);
	return kdrvctl_doctor_report(&dc->d, o->json);
}
