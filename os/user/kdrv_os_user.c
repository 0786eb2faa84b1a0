// SPDX-License-Identifier: GPL-2.0 OR MIT
/* The seam on libc, so portable driver code runs unchanged in unit tests and fuzzers. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <sys/random.h>
#include <unistd.h>

#define KDRV_MODNAME "kdrv_user"
#include "kdrv/os.h"
#include "kdrv_os_user.h"

static pthread_mutex_t kdrv_user_log_lock = PTHREAD_MUTEX_INITIALIZER;

struct kdrv_user_faults kdrv_user_faults;
uint64_t kdrv_user_clock_skew_ms;

static char kdrv_user_logbuf[1 << 16];
static size_t kdrv_user_loglen;
static enum kdrv_boom kdrv_user_crash = KDRV_BOOM_NR;
static long kdrv_user_crash_calls;
static long kdrv_user_allocs, kdrv_user_procs;
static long kdrv_user_alloc_calls, kdrv_user_random_calls, kdrv_user_interrupt_calls;
static long kdrv_user_alloc_failed;
static size_t kdrv_user_script_pos;

void kdrv_user_reset(void)
{
	kdrv_user_faults = (struct kdrv_user_faults){
		.alloc_fail_after = -1,
		.random_fail_after = -1,
		.interrupt_after = -1,
	};
	pthread_mutex_lock(&kdrv_user_log_lock);
	kdrv_user_loglen = 0;
	kdrv_user_logbuf[0] = '\0';
	pthread_mutex_unlock(&kdrv_user_log_lock);
	kdrv_user_signal(false);
	__atomic_add_fetch(&kdrv_user_clock_skew_ms, 60000, __ATOMIC_RELAXED);
	kdrv_user_crash = KDRV_BOOM_NR;
	kdrv_user_crash_calls = 0;
	kdrv_user_alloc_calls = kdrv_user_random_calls = kdrv_user_interrupt_calls = 0;
	kdrv_user_alloc_failed = 0;
	kdrv_user_script_pos = 0;
}

const char *kdrv_user_log(void)
{
	return kdrv_user_logbuf;
}

enum kdrv_boom kdrv_user_last_crash(void)
{
	return kdrv_user_crash;
}

long kdrv_user_crashes(void)
{
	return kdrv_user_crash_calls;
}

long kdrv_user_alloc_failures(void)
{
	return kdrv_user_alloc_failed;
}

long kdrv_user_live_allocs(void)
{
	return kdrv_user_allocs;
}

long kdrv_user_live_procs(void)
{
	return kdrv_user_procs;
}

static size_t kdrv_user_sink_copy(struct kdrv_sink *sink, const void *src, size_t len)
{
	struct kdrv_user_sink *s = (struct kdrv_user_sink *)sink;
	size_t n = kdrv_min(len, s->limit - s->used);

	kdrv_user_might_sleep("a copy to the caller");
	memcpy(s->buf + s->used, src, n);
	s->used += n;
	return n;
}

void kdrv_user_sink_init(struct kdrv_user_sink *s, void *buf, size_t limit)
{
	s->sink.copy = kdrv_user_sink_copy;
	s->buf = buf;
	s->limit = limit;
	s->used = 0;
}

static size_t kdrv_user_source_copy(struct kdrv_source *source, void *dst, size_t len)
{
	struct kdrv_user_source *s = (struct kdrv_user_source *)source;
	size_t n = kdrv_min(len, s->limit - s->used);

	kdrv_user_might_sleep("a copy from the caller");
	memcpy(dst, s->buf + s->used, n);
	s->used += n;
	return n;
}

void kdrv_user_source_init(struct kdrv_user_source *s, const void *buf, size_t limit)
{
	s->source.copy = kdrv_user_source_copy;
	s->buf = buf;
	s->limit = limit;
	s->used = 0;
}

/* Fails when the countdown for this call site has run out. */
static bool kdrv_user_due(long after, long *calls)
{
	return after >= 0 && (*calls)++ >= after;
}

void kdrv_os_log(enum kdrv_log_level level, const char *fmt, ...)
{
	char line[1024];
	size_t n;
	va_list ap;

	(void)level;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	n = strlen(line);
	pthread_mutex_lock(&kdrv_user_log_lock);
	if (n < sizeof(kdrv_user_logbuf) - kdrv_user_loglen) {
		memcpy(kdrv_user_logbuf + kdrv_user_loglen, line, n + 1);
		kdrv_user_loglen += n;
	}
	pthread_mutex_unlock(&kdrv_user_log_lock);
	if (getenv("KDRV_USER_LOG"))
		fputs(line, stderr);
}

void *kdrv_os_alloc(size_t size)
{
	void *p;

	kdrv_user_might_sleep("kdrv_os_alloc()");
	if (kdrv_user_due(kdrv_user_faults.alloc_fail_after, &kdrv_user_alloc_calls)) {
		kdrv_user_alloc_failed++;
		return NULL;
	}
	p = calloc(1, size);
	if (p)
		__atomic_fetch_add(&kdrv_user_allocs, 1, __ATOMIC_RELAXED);
	return p;
}

void kdrv_os_free(void *p)
{
	if (p)
		__atomic_fetch_sub(&kdrv_user_allocs, 1, __ATOMIC_RELAXED);
	free(p);
}

int kdrv_os_random_bytes(void *buf, size_t len)
{
	uint8_t *out = buf;
	size_t done = 0;

	if (kdrv_user_due(kdrv_user_faults.random_fail_after, &kdrv_user_random_calls))
		return -KDRV_EIO;
	if (kdrv_user_faults.random_script) {
		for (; done < len; done++) {
			out[done] = kdrv_user_faults.random_script[kdrv_user_script_pos];
			kdrv_user_script_pos =
			    (kdrv_user_script_pos + 1) % kdrv_user_faults.random_script_len;
		}
		return 0;
	}
	while (done < len) {
		ssize_t n = getrandom(out + done, len - done, 0);

		if (n < 0 && errno != EINTR)
			return -errno;
		if (n > 0)
			done += (size_t)n;
	}
	return 0;
}

void kdrv_os_yield(void)
{
}

bool kdrv_os_interrupted(void)
{
	if (kdrv_user_signal_pending())
		return true;
	return kdrv_user_due(kdrv_user_faults.interrupt_after, &kdrv_user_interrupt_calls);
}

/* write(2) reports EFAULT for an unreadable source instead of faulting the caller. */
bool kdrv_os_addr_readable(uintptr_t addr, const char **how)
{
	int fds[2];
	bool ok;

	*how = "write-to-pipe probe";
	if (pipe(fds))
		return false;
	ok = write(fds[1], (const void *)addr, 1) == 1;
	close(fds[0]);
	close(fds[1]);
	return ok;
}

int kdrv_os_crash(enum kdrv_boom mode, const char *why)
{
	kdrv_user_crash = mode;
	kdrv_user_crash_calls++;
	kdrv_os_log(KDRV_LOG_ERR, "crash(%d): %s\n", (int)mode, why);
	return 0;
}

/* A process seen through /proc/PID/stat, so tests compare against the same source of truth. */
struct kdrv_os_proc {
	int32_t pid;
};

int kdrv_os_proc_get(int32_t pid, struct kdrv_os_proc **proc)
{
	char path[64];
	struct kdrv_os_proc *p;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if (access(path, R_OK))
		return -KDRV_ESRCH;
	p = malloc(sizeof(*p));
	if (!p)
		return -KDRV_ENOMEM;
	p->pid = pid;
	kdrv_user_procs++;
	*proc = p;
	return 0;
}

/* A process reaped since kdrv_os_proc_get() has no /proc entry left: -ESRCH, as on Linux. */
int kdrv_os_proc_fill(struct kdrv_os_proc *proc, struct kdrv_procinfo *info)
{
	char path[64], buf[1024], *name, *end;
	unsigned long long start;
	FILE *f;
	int ppid;
	char state;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)proc->pid);
	f = fopen(path, "r");
	if (!f)
		return -KDRV_ESRCH;
	if (!fgets(buf, sizeof(buf), f))
		goto out_close;
	name = strchr(buf, '(');
	end = strrchr(buf, ')');
	if (!name || !end || end - name - 1 >= KDRV_PROC_COMM_LEN)
		goto out_close;
	memcpy(info->comm, name + 1, (size_t)(end - name - 1));
	info->mask |= KDRV_PROC_COMM;
	if (sscanf(end + 2,
		   "%c %d %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %llu",
		   &state, &ppid, &start) == 3) {
		info->state = state;
		info->ppid = ppid;
		info->start_time_ns =
		    start * (1000000000ull / (unsigned long long)sysconf(_SC_CLK_TCK));
		info->mask |= KDRV_PROC_STATE | KDRV_PROC_PPID | KDRV_PROC_START_TIME;
	}
out_close:
	fclose(f);
	return 0;
}

void kdrv_os_proc_put(struct kdrv_os_proc *proc)
{
	kdrv_user_procs--;
	free(proc);
}
