// SPDX-License-Identifier: GPL-2.0
/* The seam on the Linux kernel; linked into every kdrv module. */
#include <linux/bug.h>
#include <linux/mm.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/time_namespace.h>
#include <linux/uaccess.h>
#include <linux/uidgid.h>

#include "compat.h"

#define KDRV_MODNAME KBUILD_MODNAME
#include "kdrv/os.h"

static_assert(-KDRV_EFAULT == -EFAULT && KDRV_EINVAL == EINVAL && KDRV_ESRCH == ESRCH);
static_assert(KDRV_EIO == EIO && KDRV_ENOMEM == ENOMEM && KDRV_ENOTTY == ENOTTY);
static_assert(KDRV_EINTR == EINTR && KDRV_ERESTARTSYS == ERESTARTSYS && KDRV_EBUSY == EBUSY);
static_assert(KDRV_EPERM == EPERM && KDRV_ERANGE == ERANGE && KDRV_EOPNOTSUPP == EOPNOTSUPP);

void kdrv_os_log(enum kdrv_log_level level, const char *fmt, ...)
{
	static const char *const levels[] = {
		[KDRV_LOG_ERR] = KERN_ERR,
		[KDRV_LOG_WARN] = KERN_WARNING,
		[KDRV_LOG_INFO] = KERN_INFO,
		[KDRV_LOG_DEBUG] = KERN_DEBUG,
	};
	struct va_format vaf;
	va_list args;

	va_start(args, fmt);
	vaf.fmt = fmt;
	vaf.va = &args;
	printk("%s%pV", levels[level], &vaf);
	va_end(args);
}

void *kdrv_os_alloc(size_t size)
{
	return kvzalloc(size, GFP_KERNEL);
}

void kdrv_os_free(void *p)
{
	kvfree(p);
}

void kdrv_os_yield(void)
{
	cond_resched();
}

bool kdrv_os_interrupted(void)
{
	return signal_pending(current);
}

bool kdrv_os_addr_readable(uintptr_t addr, const char **how)
{
	u8 byte;

	*how = "copy_from_kernel_nofault";
	return !copy_from_kernel_nofault(&byte, (const void *)addr, 1);
}

int kdrv_os_crash(enum kdrv_boom mode, const char *why)
{
	switch (mode) {
	case KDRV_BOOM_WARN:
		WARN(1, "%s\n", why);
		return 0;
	case KDRV_BOOM_OOPS:
		pr_crit("%s: oopsing the calling task as asked\n", why);
		BUG();
	case KDRV_BOOM_PANIC:
		panic("%s\n", why);
	default:
		return -EOPNOTSUPP;
	}
}

/* The opaque process handle is the task_struct itself, holding one reference. */
/* find_get_pid() reads @pid in the caller's pid namespace, as /proc does. */
int kdrv_os_proc_get(int32_t pid, struct kdrv_os_proc **proc)
{
	struct task_struct *task;
	struct pid *p;

	p = find_get_pid(pid);
	if (!p)
		return -ESRCH;
	task = get_pid_task(p, PIDTYPE_PID);
	put_pid(p);
	if (!task)
		return -ESRCH;
	*proc = (struct kdrv_os_proc *)task;
	return 0;
}

/*
 * A task released while held keeps its task_struct but loses its pids, and
 * reads of it then give tgid 0 and state X. Everything is read first and
 * pid_alive() checked last: a task alive at the end was alive for every read.
 * The start time is counted as the caller's time namespace counts boot time,
 * as /proc/PID/stat does.
 */
int kdrv_os_proc_fill(struct kdrv_os_proc *proc, struct kdrv_procinfo *info)
{
	struct task_struct *task = (struct task_struct *)proc;
	struct pid_namespace *ns = task_active_pid_ns(current);
	bool alive;

	rcu_read_lock();
	info->tgid = task_tgid_nr_ns(task, ns);
	if (pid_alive(task))
		info->ppid = task_tgid_nr_ns(rcu_dereference(task->real_parent), ns);
	info->uid = from_kuid_munged(current_user_ns(), task_uid(task));
	info->state = task_state_to_char(task);
	info->start_time_ns = timens_add_boottime_ns(task->start_boottime);
	get_task_comm(info->comm, task);
	alive = pid_alive(task);
	rcu_read_unlock();

	if (!alive || !info->tgid)
		return -ESRCH;
	info->mask |= KDRV_PROC_TGID | KDRV_PROC_PPID | KDRV_PROC_UID | KDRV_PROC_STATE |
		      KDRV_PROC_START_TIME | KDRV_PROC_COMM;
	return 0;
}

void kdrv_os_proc_put(struct kdrv_os_proc *proc)
{
	put_task_struct((struct task_struct *)proc);
}
