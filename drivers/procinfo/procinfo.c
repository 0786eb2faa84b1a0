// SPDX-License-Identifier: GPL-2.0 OR MIT
/* kdrv_procinfo: looks a process up by pid, reports what the OS can tell and always releases it. */
#define KDRV_MODNAME "kdrv_procinfo"
#include "kdrv/driver.h"

/* References taken by lookups and not yet released; 0 whenever no lookup is running. */
static struct kdrv_counter kdrv_procinfo_outstanding;
static struct kdrv_counter kdrv_procinfo_lookups;

/*
 * Answers one request in place: 0, -EINVAL for a pid <= 0, -ESRCH for a pid
 * not visible or one whose process went away while it was being answered.
 * The kit zeroed @arg past the caller's @len bytes.
 */
static int kdrv_procinfo_query(struct kdrv_file *file, void *arg, size_t len)
{
	struct kdrv_procinfo *info = arg;
	struct kdrv_os_proc *proc;
	int32_t pid = info->pid;
	int err;

	memset(info, 0, sizeof(*info));
	info->pid = pid;
	info->size = (uint32_t)len;
	if (pid <= 0)
		return -KDRV_EINVAL;

	err = kdrv_os_proc_get(pid, &proc);
	if (err)
		return err;
	kdrv_counter_add(&kdrv_procinfo_outstanding, 1);
	kdrv_counter_add(&kdrv_procinfo_lookups, 1);

	err = kdrv_os_proc_fill(proc, info);
	if (err) {
		memset(info, 0, sizeof(*info));
		info->pid = pid;
		info->size = (uint32_t)len;
	}

	kdrv_os_proc_put(proc);
	kdrv_counter_add(&kdrv_procinfo_outstanding, -1);
	kdrv_dbg("pid %d: %d; outstanding process references: %lld", (int)pid, err,
		 (long long)kdrv_counter_read(&kdrv_procinfo_outstanding));
	return err;
}

static const struct kdrv_ioctl kdrv_procinfo_ioctls[] = {
	{
	    .linux_cmd = KDRV_IOCTL_PROCINFO_LINUX,
	    .nt_code = KDRV_IOCTL_PROCINFO_NT,
	    .size = sizeof(struct kdrv_procinfo),
	    .min_size = KDRV_PROCINFO_SIZE_V1,
	    .call = kdrv_procinfo_query,
	},
	{},
};

/* Outstanding references are a debugging aid, so only debug builds show them. */
static const struct kdrv_stat kdrv_procinfo_stats[] = {
	{ "lookups", &kdrv_procinfo_lookups },
#ifdef KDRV_DEBUG
	{ "outstanding", &kdrv_procinfo_outstanding },
#endif
	{},
};

KDRV_DRIVER(procinfo, "kdrv procinfo: an ioctl on /dev/kdrv-procinfo reports a process's facts") = {
	.linux_name = KDRV_LINUX_PROCINFO_NAME,
	.nt_name = KDRV_NT_PROCINFO_NAME,
	.mode = 0444,
	.ioctls = kdrv_procinfo_ioctls,
	.stats = kdrv_procinfo_stats,
};
