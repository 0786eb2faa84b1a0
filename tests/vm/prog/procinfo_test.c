// SPDX-License-Identifier: GPL-2.0 OR MIT
/* In-VM assertions about /dev/kdrv-procinfo: lookups, errors, sizes, bad pointers, leaks. */
#define _GNU_SOURCE
#include <dirent.h>
#include <sched.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "kdrv/abi.h"

static int dev(void)
{
	return open_or_die(KDRV_LINUX_PROCINFO_DEV, O_RDONLY);
}

static int query(int fd, int32_t pid, struct kdrv_procinfo *info)
{
	memset(info, 0, sizeof(*info));
	info->size = sizeof(*info);
	info->pid = pid;
	return ioctl(fd, KDRV_IOCTL_PROCINFO_LINUX, info);
}

/* Field 4 (ppid), 3 (state), 22 (starttime, clock ticks) and 2 (comm) of /proc/PID/stat. */
static void stat_of(int32_t pid, int *ppid, char *state, unsigned long long *start, char *comm)
{
	char path[64], buf[1024], *l, *r;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	f = fopen(path, "r");
	if (!f || !fgets(buf, sizeof(buf), f))
		FAIL("read %s: %s", path, strerror(errno));
	fclose(f);
	l = strchr(buf, '(');
	r = strrchr(buf, ')');
	*r = '\0';
	snprintf(comm, KDRV_PROC_COMM_LEN, "%s", l + 1);
	if (sscanf(r + 2,
		   "%c %d %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %llu",
		   state, ppid, start) != 3)
		FAIL("parse %s", path);
}

static int match_pid(int32_t pid)
{
	struct kdrv_procinfo info;
	unsigned long long start;
	int fd = dev(), ppid;
	char state, comm[KDRV_PROC_COMM_LEN];
	long tick_ns = 1000000000L / sysconf(_SC_CLK_TCK);

	if (query(fd, pid, &info))
		FAIL("lookup of %d: %s", pid, strerror(errno));
	stat_of(pid, &ppid, &state, &start, comm);
	if (info.mask != (KDRV_PROC_TGID | KDRV_PROC_PPID | KDRV_PROC_STATE | KDRV_PROC_UID |
			  KDRV_PROC_START_TIME | KDRV_PROC_COMM))
		FAIL("mask 0x%x: Linux fills every field", info.mask);
	if (info.tgid != pid || info.ppid != ppid || strcmp(info.comm, comm))
		FAIL("pid %d: driver says tgid %d ppid %d comm '%s'; /proc says ppid %d comm '%s'",
		     pid, info.tgid, info.ppid, info.comm, ppid, comm);
	if (info.start_time_ns / (unsigned long long)tick_ns != start)
		FAIL("pid %d: start %llu ns is %llu ticks; /proc says %llu", pid,
		     (unsigned long long)info.start_time_ns,
		     (unsigned long long)info.start_time_ns / (unsigned long long)tick_ns, start);
	if (pid != getpid() && info.state != state)
		FAIL("pid %d: state %c, /proc says %c", pid, info.state, state);
	if (pid == getpid() && info.state != 'R')
		FAIL("self: state %c, expected R while running the ioctl", info.state);
	if (info.uid != (uint32_t)getuid() && pid == getpid())
		FAIL("self: uid %u, expected %u", info.uid, getuid());
	if (info.size != sizeof(info))
		FAIL("size %u, expected %zu", info.size, sizeof(info));
	return 0;
}

static int t_match(char **args)
{
	return match_pid((int32_t)arg_num(args[0]));
}

static int t_self(char **args)
{
	(void)args;
	return match_pid(getpid());
}

static int t_parent(char **args)
{
	(void)args;
	return match_pid(getppid());
}

static int t_reaped(char **args)
{
	struct kdrv_procinfo info;
	int fd = dev();
	pid_t child = fork();

	(void)args;
	if (child == 0)
		_exit(0);
	if (waitpid(child, NULL, 0) != child)
		FAIL("waitpid: %s", strerror(errno));
	EXPECT_ERRNO(query(fd, child, &info), ESRCH, "lookup of a reaped child");
	return 0;
}

/* A zombie is still a process: it is found, in state Z. */
static int t_zombie(char **args)
{
	struct kdrv_procinfo info;
	int fd = dev();
	pid_t child = fork();

	(void)args;
	if (child == 0)
		_exit(0);
	usleep(200000);
	if (query(fd, child, &info))
		FAIL("lookup of a zombie: %s", strerror(errno));
	if (info.state != 'Z')
		FAIL("zombie state %c", info.state);
	waitpid(child, NULL, 0);
	return 0;
}

static int t_bogus(char **args)
{
	struct kdrv_procinfo info;
	int fd = dev();

	(void)args;
	EXPECT_ERRNO(query(fd, 0, &info), EINVAL, "pid 0");
	EXPECT_ERRNO(query(fd, -1, &info), EINVAL, "pid -1");
	EXPECT_ERRNO(query(fd, INT32_MIN, &info), EINVAL, "pid INT32_MIN");
	EXPECT_ERRNO(query(fd, 4194304 + 1, &info), ESRCH, "pid above pid_max");
	EXPECT_ERRNO(query(fd, INT32_MAX, &info), ESRCH, "pid INT32_MAX");
	return 0;
}

static int t_badptr(char **args)
{
	long page = sysconf(_SC_PAGESIZE);
	char *p = mmap(NULL, 2 * (size_t)page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		       -1, 0);
	struct kdrv_procinfo *tail;
	int fd = dev();

	(void)args;
	EXPECT_ERRNO(ioctl(fd, KDRV_IOCTL_PROCINFO_LINUX, NULL), EFAULT, "NULL request");
	EXPECT_ERRNO(ioctl(fd, KDRV_IOCTL_PROCINFO_LINUX, (void *)8), EFAULT, "request at 8");
	munmap(p + page, (size_t)page);
	tail = (struct kdrv_procinfo *)(p + page - 16);
	tail->size = sizeof(*tail);
	tail->pid = getpid();
	EXPECT_ERRNO(ioctl(fd, KDRV_IOCTL_PROCINFO_LINUX, tail), EFAULT,
		     "request running into an unmapped page");
	if (mprotect(p, (size_t)page, PROT_READ))
		FAIL("mprotect: %s", strerror(errno));
	EXPECT_ERRNO(ioctl(fd, KDRV_IOCTL_PROCINFO_LINUX, tail), EFAULT, "read-only request");
	return 0;
}

static int t_sizes(char **args)
{
	unsigned char big[200];
	struct kdrv_procinfo info, *req = (struct kdrv_procinfo *)big;
	int fd = dev();

	(void)args;
	memset(&info, 0, sizeof(info));
	info.pid = getpid();
	EXPECT_ERRNO(ioctl(fd, KDRV_IOCTL_PROCINFO_LINUX, &info), EINVAL, "size 0");
	info.size = KDRV_PROCINFO_SIZE_V1 - 1;
	EXPECT_ERRNO(ioctl(fd, KDRV_IOCTL_PROCINFO_LINUX, &info), EINVAL, "size V1-1");

	memset(big, 0xee, sizeof(big));
	req->size = sizeof(big);
	req->pid = getpid();
	if (ioctl(fd, KDRV_IOCTL_PROCINFO_LINUX, req))
		FAIL("a newer client's 200-byte request: %s", strerror(errno));
	if (req->size != KDRV_PROCINFO_SIZE_V1 || req->tgid != getpid())
		FAIL("newer client: size %u tgid %d", req->size, req->tgid);
	if (big[KDRV_PROCINFO_SIZE_V1] != 0xee || big[sizeof(big) - 1] != 0xee)
		FAIL("the driver wrote past its own struct size into the client's newer fields");
	return 0;
}

static int t_unknown(char **args)
{
	struct kdrv_procinfo info;
	int fd = dev();

	(void)args;
	memset(&info, 0, sizeof(info));
	EXPECT_ERRNO(ioctl(fd, 0x1234, &info), ENOTTY, "ioctl 0x1234");
	EXPECT_ERRNO(ioctl(fd, _IOWR('k', 0xd1, struct kdrv_procinfo), &info), ENOTTY,
		     "neighbouring ioctl number");
	EXPECT_ERRNO(ioctl(fd, _IOR('k', 0xd0, struct kdrv_procinfo), &info), ENOTTY,
		     "same number, other direction");
	EXPECT_ERRNO(ioctl(fd, KDRV_IOCTL_PROCINFO_NT, &info), ENOTTY, "the Windows code");
	return 0;
}

/* Run as pid 1 of a new pid namespace: pids are read in it, the outer ones are invisible. */
static int t_nsview(char **args)
{
	int32_t outer = (int32_t)arg_num(args[0]);
	struct kdrv_procinfo info;
	int fd = dev();

	if (getpid() != 1)
		FAIL("expected to be pid 1 of a new pid namespace, am %d", getpid());
	if (query(fd, 1, &info) || info.tgid != 1 || info.ppid != 0)
		FAIL("self as pid 1: %s, tgid %d, ppid %d (the parent is outside: 0)",
		     strerror(errno), info.tgid, info.ppid);
	EXPECT_ERRNO(query(fd, outer, &info), ESRCH, "a pid of the outer namespace");
	return 0;
}

static int t_many(char **args)
{
	long n = (long)arg_num(args[0]), i;
	struct kdrv_procinfo info;
	int fd = dev();

	for (i = 0; i < n; i++)
		if (query(fd, getpid(), &info))
			FAIL("lookup %ld of %ld: %s", i, n, strerror(errno));
	return 0;
}

/* Looks up @args[0] short-lived children @args[1] times each: a leaked reference pins each one. */
static int t_children(char **args)
{
	long n = (long)arg_num(args[0]), each = (long)arg_num(args[1]), i, j;
	struct kdrv_procinfo info;
	int fd = dev();

	for (i = 0; i < n; i++) {
		pid_t child = fork();

		if (child == 0) {
			pause();
			_exit(0);
		}
		for (j = 0; j < each; j++)
			if (query(fd, child, &info))
				FAIL("lookup of child %d: %s", child, strerror(errno));
		kill(child, SIGKILL);
		waitpid(child, NULL, 0);
	}
	return 0;
}

/*
 * Children that exit at once are reaped by the kernel itself (SIGCHLD ignored):
 * looking the newest one up until ESRCH races its release, and every answer
 * given meanwhile must still be true, each field with its bit.
 */
static int t_race(char **args)
{
	long n = (long)arg_num(args[0]), i, lookups = 0, answers = 0;
	char comm[KDRV_PROC_COMM_LEN] = "";
	struct kdrv_procinfo info;
	int fd = dev();

	if (prctl(PR_GET_NAME, comm))
		FAIL("read own comm: %s", strerror(errno));
	signal(SIGCHLD, SIG_IGN);
	for (i = 0; i < n; i++) {
		pid_t child = fork();

		if (child < 0)
			FAIL("fork: %s", strerror(errno));
		if (child == 0)
			_exit(0);
		for (;; lookups++) {
			if (query(fd, child, &info)) {
				if (errno != ESRCH)
					FAIL("lookup of dying child %d: %s", child,
					     strerror(errno));
				break;
			}
			answers++;
			if ((info.mask & KDRV_PROC_TGID) && info.tgid != child)
				FAIL("child %d: tgid bit set with tgid %d (state %c, mask 0x%x)",
				     child, info.tgid, info.state, info.mask);
			if ((info.mask & KDRV_PROC_COMM) && strcmp(info.comm, comm))
				FAIL("child %d: comm bit set with comm '%s', expected '%s'", child,
				     info.comm, comm);
			if ((info.mask & KDRV_PROC_START_TIME) && !info.start_time_ns)
				FAIL("child %d: start time bit set with 0", child);
			if ((info.mask & KDRV_PROC_STATE) && !strchr("RSDTtXZPI", info.state))
				FAIL("child %d: state bit set with state 0x%02x", child,
				     (unsigned char)info.state);
		}
	}
	printf("%ld children, %ld lookups, %ld answers, all true\n", n, lookups, answers);
	return 0;
}

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

/*
 * In a time namespace whose boot time is @args[0] s later, start times match /proc there.
 * /proc counts them in that namespace from 5.11 on; 5.10's shows them unshifted, and kdrv
 * must do the same, so the offset is checked on the clock, not on /proc.
 */
static int t_timens(char **args)
{
	long offset = (long)arg_num(args[0]);
	struct timespec now;
	int status;
	pid_t child;
	FILE *f;

	if (unshare(CLONE_NEWTIME))
		FAIL("unshare(CLONE_NEWTIME): %s", strerror(errno));
	f = fopen("/proc/self/timens_offsets", "w");
	if (!f || fprintf(f, "boottime %ld 0\n", offset) < 0 || fclose(f))
		FAIL("set a boottime offset of %ld s: %s", offset, strerror(errno));
	child = fork();
	if (child == 0) {
		if (clock_gettime(CLOCK_BOOTTIME, &now) || now.tv_sec < offset)
			FAIL("CLOCK_BOOTTIME says %lld s: the offset of %ld s is not in force",
			     (long long)now.tv_sec, offset);
		exit(match_pid(getpid()));
	}
	if (child < 0 || waitpid(child, &status, 0) != child)
		FAIL("fork or wait: %s", strerror(errno));
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

/* Flags of /proc/PID/stat field 9. */
#define PF_WQ_WORKER 0x00000020
#define PF_KTHREAD 0x00200000

static int proc_comm_flags(int32_t pid, char *comm, size_t cap, unsigned long *flags)
{
	char path[64], buf[1024], *r;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/comm", pid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	if (!fgets(comm, (int)cap, f))
		comm[0] = '\0';
	fclose(f);
	comm[strcspn(comm, "\n")] = '\0';
	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	r = fgets(buf, sizeof(buf), f) ? strrchr(buf, ')') : NULL;
	fclose(f);
	if (!r || sscanf(r + 2, "%*c %*d %*d %*d %*d %*d %lu", flags) != 1)
		return -1;
	return 0;
}

/*
 * comm is the task's own 15-byte name. /proc shows the same, except that for a
 * workqueue worker it appends the workqueue it is serving ("kworker/0:1" here
 * is "kworker/0:1-events" there), and for a kernel thread named longer it
 * shows the whole name ("pool_workqueue_" here, "pool_workqueue_release" there).
 */
static int t_allcomm(char **args)
{
	long workers = 0, long_names = 0, tasks = 0;
	struct kdrv_procinfo info;
	char comm[64];
	struct dirent *d;
	unsigned long flags;
	DIR *proc = opendir("/proc");
	int fd = dev();

	(void)args;
	if (!proc)
		FAIL("opendir /proc: %s", strerror(errno));
	while ((d = readdir(proc))) {
		int32_t pid = (int32_t)atoi(d->d_name);
		size_t n;

		if (pid <= 0 || query(fd, pid, &info) ||
		    proc_comm_flags(pid, comm, sizeof(comm), &flags))
			continue;
		tasks++;
		n = strlen(info.comm);
		if (!strcmp(comm, info.comm))
			continue;
		if ((flags & PF_WQ_WORKER) && !strncmp(comm, info.comm, n) && comm[n] == '-') {
			workers++;
			continue;
		}
		if ((flags & PF_KTHREAD) && n == KDRV_PROC_COMM_LEN - 1 &&
		    !strncmp(comm, info.comm, n)) {
			long_names++;
			continue;
		}
		FAIL("pid %d: comm '%s', /proc says '%s' (flags 0x%lx)", pid, info.comm, comm,
		     flags);
	}
	closedir(proc);
	if (tasks < 10)
		FAIL("only %ld tasks compared", tasks);
	printf("%ld tasks match /proc: %ld workqueue workers shown with their queue, %ld kernel "
	       "threads with longer names\n",
	       tasks, workers, long_names);
	return 0;
}

int main(int argc, char **argv)
{
	static const struct test_cmd cmds[] = {
		{ "match", 1, t_match },   { "self", 0, t_self },     { "parent", 0, t_parent },
		{ "reaped", 0, t_reaped }, { "zombie", 0, t_zombie }, { "bogus", 0, t_bogus },
		{ "badptr", 0, t_badptr }, { "sizes", 0, t_sizes },   { "unknown", 0, t_unknown },
		{ "nsview", 1, t_nsview }, { "many", 1, t_many },     { "children", 2, t_children },
		{ "race", 1, t_race },	   { "timens", 1, t_timens }, { "allcomm", 0, t_allcomm },
		{ NULL, 0, NULL },
	};

	return run_cmd(cmds, argc, argv);
}
