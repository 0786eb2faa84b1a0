// SPDX-License-Identifier: GPL-2.0 OR MIT
/* kdrv_procinfo: looks a process up by pid, reports what the OS can tell and always releases it. */
#define KDRV_MODNAME "kdrv_procinfo"
#include "kdrv/os.h"
#include "procinfo/procinfo.h"

static struct kdrv_counter kdrv_procinfo_refs;
static struct kdrv_counter kdrv_procinfo_count;

/**
 * kdrv_procinfo_copy_len() - how many bytes to copy in and out for a caller.
 * @user_size:	the caller's &struct kdrv_procinfo.size.
 * @len:	set to min(@user_size, our size).
 *
 * Return: 0, or -EINVAL when the caller's struct predates every version.
 */
int kdrv_procinfo_copy_len(uint32_t user_size, size_t *len)
{
	if (user_size < KDRV_PROCINFO_SIZE_V1)
		return -KDRV_EINVAL;
	*len = kdrv_min(user_size, sizeof(struct kdrv_procinfo));
	return 0;
}

/**
 * kdrv_procinfo_query() - answer one request in place.
 * @info:	the first @len bytes are the caller's request; the rest is zero.
 * @len:	from kdrv_procinfo_copy_len().
 *
 * Return: 0, -EINVAL for a pid <= 0, -ESRCH for a pid not visible or one
 * whose process went away while it was being answered.
 */
int kdrv_procinfo_query(struct kdrv_procinfo *info, size_t len)
{
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
	kdrv_counter_add(&kdrv_procinfo_refs, 1);
	kdrv_counter_add(&kdrv_procinfo_count, 1);

	err = kdrv_os_proc_fill(proc, info);
	if (err) {
		memset(info, 0, sizeof(*info));
		info->pid = pid;
		info->size = (uint32_t)len;
	}

	kdrv_os_proc_put(proc);
	kdrv_counter_add(&kdrv_procinfo_refs, -1);
	return err;
}

/* References taken by lookups and not yet released; 0 whenever no lookup is running. */
int64_t kdrv_procinfo_outstanding(void)
{
	return kdrv_counter_read(&kdrv_procinfo_refs);
}

int64_t kdrv_procinfo_lookups(void)
{
	return kdrv_counter_read(&kdrv_procinfo_count);
}
