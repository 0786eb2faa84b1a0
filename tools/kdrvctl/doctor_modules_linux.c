// SPDX-License-Identifier: GPL-2.0 OR MIT
/* doctor: do the kdrv modules built in the tree, and those installed, match the kernel? */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "doctor_linux.h"
#include "modinfo.h"

/* What a set of modules turned out to be, for one finding. */
struct doc_mods {
	unsigned int total, bad, is_signed, unread;
	char first_bad[KDRVCTL_PATH + 512];
	char vermagic[256];
};

/* The vermagic of @path, compressed modules through kmod's modinfo; false when unread. */
static bool doc_vermagic(const char *path, char *vm, size_t cap, bool *is_signed, char *why,
			 size_t whycap)
{
	const char *argv[] = { "modinfo", "-F", "vermagic", path, NULL };
	size_t len = strlen(path);
	int err;

	*is_signed = false;
	if (len > 3 && !strcmp(path + len - 3, ".ko")) {
		err = kdrvctl_modinfo_read(path, "vermagic", vm, cap, is_signed);
		if (err)
			snprintf(why, whycap, "%s",
				 err == -ENOEXEC ? "not a kernel module" : strerror(-err));
		else if (!vm[0])
			snprintf(why, whycap, "no vermagic in its .modinfo");
		return !err && vm[0];
	}
	if (kdrvctl_run(vm, cap, argv)) {
		kdrvctl_first_line(vm);
		snprintf(why, whycap, "%s", vm[0] ? vm : "compressed, and modinfo is missing");
		return false;
	}
	kdrvctl_first_line(vm);
	return true;
}

/* Judges one module file against the kernel; @shown is its name in the finding. */
static void doc_judge_module(struct kdrvctl_doc *dc, struct doc_mods *m, const char *path,
			     const char *shown)
{
	char vm[256], why[256], rel[256];
	bool is_signed;

	m->total++;
	if (!doc_vermagic(path, vm, sizeof(vm), &is_signed, why, sizeof(why))) {
		m->unread++;
		if (!m->first_bad[0])
			snprintf(m->first_bad, sizeof(m->first_bad), "%s: %s", shown, why);
		return;
	}
	m->is_signed += is_signed;
	vm[strcspn(vm, "\n")] = '\0';
	while (vm[0] && vm[strlen(vm) - 1] == ' ')
		vm[strlen(vm) - 1] = '\0';
	snprintf(rel, sizeof(rel), "%.*s", (int)strcspn(vm, " "), vm);
	if (strcmp(rel, dc->krel)) {
		m->bad++;
		if (!m->first_bad[0])
			snprintf(m->first_bad, sizeof(m->first_bad),
				 "%s has vermagic '%s', built for %s", shown, vm, rel);
	} else if (!m->vermagic[0]) {
		snprintf(m->vermagic, sizeof(m->vermagic), "%s", vm);
	}
}

static bool doc_is_kdrv_module(const char *name)
{
	static const char *const exts[] = { ".ko", ".ko.xz", ".ko.zst", ".ko.gz" };
	size_t i, len = strlen(name), e;

	if (strncmp(name, "kdrv_", 5))
		return false;
	for (i = 0; i < sizeof(exts) / sizeof(exts[0]); i++) {
		e = strlen(exts[i]);
		if (len > e && !strcmp(name + len - e, exts[i]))
			return true;
	}
	return false;
}

/* The kdrv_*.ko files directly in @dir, judged; @shown names @dir in findings. */
static void doc_judge_dir(struct kdrvctl_doc *dc, struct doc_mods *m, const char *dir,
			  const char *shown)
{
	char path[KDRVCTL_PATH], name[KDRVCTL_PATH];
	struct dirent *de;
	DIR *d = opendir(dir);

	if (!d)
		return;
	while ((de = readdir(d))) {
		if (!doc_is_kdrv_module(de->d_name))
			continue;
		kdrvctl_path(path, sizeof(path), "%s/%s", dir, de->d_name);
		kdrvctl_path(name, sizeof(name), "%s/%s", shown, de->d_name);
		doc_judge_module(dc, m, path, name);
	}
	closedir(d);
}

/* The other kernels kdrv was built for in the tree, to say what exists instead. */
static void doc_other_builds(struct kdrvctl_doc *dc, char *list, size_t cap)
{
	char dir[KDRVCTL_PATH], sub[KDRVCTL_PATH];
	struct doc_mods m;
	struct dirent *de;
	DIR *d;

	list[0] = '\0';
	kdrvctl_path(dir, sizeof(dir), "%s/build/linux", dc->tree);
	d = opendir(dir);
	if (!d)
		return;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.' || !strcmp(de->d_name, dc->krel))
			continue;
		memset(&m, 0, sizeof(m));
		kdrvctl_path(sub, sizeof(sub), "%s/%s", dir, de->d_name);
		doc_judge_dir(dc, &m, sub, sub);
		if (m.total)
			kdrvctl_append(list, cap, de->d_name);
	}
	closedir(d);
}

void kdrvctl_doc_built(struct kdrvctl_doc *dc)
{
	char dir[KDRVCTL_PATH], sub[KDRVCTL_PATH], fix[2 * KDRVCTL_PATH], others[512],
	    also[540] = "";
	struct doc_mods m = { 0 };

	if (!dc->tree) {
		kdrvctl_doctor_add(&dc->d, KDRVCTL_DOCTOR_INFO, "built", NULL,
				   "no kdrv checkout found (run kdrvctl from one, or pass --tree "
				   "DIR): built modules not checked");
		return;
	}
	kdrvctl_path(dir, sizeof(dir), "%s/build/linux/%s", dc->tree, dc->krel);
	doc_judge_dir(dc, &m, dir, dir);
	kdrvctl_path(sub, sizeof(sub), "%s/signed", dir);
	doc_judge_dir(dc, &m, sub, sub);
	dc->built = m.total;
	dc->built_signed = m.is_signed;
	if (!m.total) {
		doc_other_builds(dc, others, sizeof(others));
		if (others[0])
			snprintf(also, sizeof(also), " (built for: %s)", others);
		snprintf(fix, sizeof(fix), "make linux KDIR=/lib/modules/%s/build", dc->krel);
		kdrvctl_doctor_add(&dc->d, KDRVCTL_DOCTOR_INFO, "built", fix,
				   "no kdrv module built for %s in %s%s", dc->krel, dir, also);
		return;
	}
	if (m.bad || m.unread) {
		snprintf(fix, sizeof(fix),
			 "rebuild them: rm -rf %s && make linux KDIR=/lib/modules/%s/build", dir,
			 dc->krel);
		kdrvctl_doctor_add(&dc->d, KDRVCTL_DOCTOR_FAIL, "built", fix,
				   "%u of %u modules will not load on %s (Invalid module format): "
				   "%s",
				   m.bad + m.unread, m.total, dc->krel, m.first_bad);
		return;
	}
	kdrvctl_doctor_add(&dc->d, KDRVCTL_DOCTOR_OK, "built", NULL,
			   "%s: %u module%s built for %s (vermagic '%s'), %u signed", dir, m.total,
			   m.total == 1 ? "" : "s", dc->krel, m.vermagic, m.is_signed);
}

/* kdrv modules installed under /lib/modules/KREL (DKMS's updates/dkms, extra, ...). */
static void doc_find_installed(struct kdrvctl_doc *dc, struct doc_mods *m, const char *dir,
			       const char *shown, int depth)
{
	char path[KDRVCTL_PATH], name[KDRVCTL_PATH];
	struct dirent *de;
	struct stat st;
	DIR *d = opendir(dir);

	if (!d)
		return;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		/* The kernel's own modules, and the headers, hold no kdrv module. */
		if (!depth && (!strcmp(de->d_name, "kernel") || !strcmp(de->d_name, "build") ||
			       !strcmp(de->d_name, "source")))
			continue;
		kdrvctl_path(path, sizeof(path), "%s/%s", dir, de->d_name);
		kdrvctl_path(name, sizeof(name), "%s/%s", shown, de->d_name);
		if (lstat(path, &st))
			continue;
		if (S_ISDIR(st.st_mode) && depth < 4)
			doc_find_installed(dc, m, path, name, depth + 1);
		else if (S_ISREG(st.st_mode) && doc_is_kdrv_module(de->d_name))
			doc_judge_module(dc, m, path, name);
	}
	closedir(d);
}

void kdrvctl_doc_installed(struct kdrvctl_doc *dc)
{
	char dir[KDRVCTL_PATH], shown[KDRVCTL_PATH], fix[512], exe[KDRVCTL_PATH];
	struct doc_mods m = { 0 };

	snprintf(shown, sizeof(shown), "/lib/modules/%s", dc->krel);
	doc_find_installed(dc, &m, kdrvctl_sys(dir, sizeof(dir), "%s", shown), shown, 0);
	if (!m.total) {
		kdrvctl_doctor_add(&dc->d, KDRVCTL_DOCTOR_INFO, "installed", NULL,
				   "no kdrv module installed under %s (load them from the tree "
				   "with insmod)",
				   shown);
	} else if (m.bad) {
		snprintf(fix, sizeof(fix),
			 "remove the stale modules and run sudo depmod %s, or reinstall them "
			 "(DKMS: sudo dkms install kdrv/VERSION -k %s)",
			 dc->krel, dc->krel);
		kdrvctl_doctor_add(&dc->d, KDRVCTL_DOCTOR_FAIL, "installed", fix,
				   "%u of %u installed modules will not load on %s: %s", m.bad,
				   m.total, dc->krel, m.first_bad);
	} else if (m.unread) {
		kdrvctl_doctor_add(
		    &dc->d, KDRVCTL_DOCTOR_WARN, "installed",
		    kdrvctl_which("modinfo", exe, sizeof(exe)) ? NULL : "sudo apt-get install kmod",
		    "%u of %u installed modules could not be checked: %s", m.unread, m.total,
		    m.first_bad);
	} else {
		kdrvctl_doctor_add(&dc->d, KDRVCTL_DOCTOR_OK, "installed", NULL,
				   "%s: %u module%s built for %s (vermagic '%s'), %u signed", shown,
				   m.total, m.total == 1 ? "" : "s", dc->krel, m.vermagic,
				   m.is_signed);
	}
}
