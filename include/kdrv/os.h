/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* The seam: everything portable driver code may ask of the OS layer beneath it. */
#ifndef KDRV_OS_H
#define KDRV_OS_H

/*
 * Found on the include path of the OS layer being built (os/<os>/include):
 * fixed-width types, bool, size_t, memcpy/memset/snprintf, kdrv_wipe(),
 * struct kdrv_counter with kdrv_counter_add(), kdrv_counter_add_return() and
 * kdrv_counter_read() (atomic, safe in any context), struct kdrv_ratelimit
 * with KDRV_RATELIMIT_INIT() and kdrv_os_ratelimit(), KDRV_LOG_PREFIX, and
 * the locks: struct kdrv_mutex and struct kdrv_spinlock (see below), and
 * struct kdrv_random_stream (see "random streams").
 */
#include <kdrv_os_base.h>

#include "kdrv/abi.h"
#include "kdrv/errno.h"

static inline size_t kdrv_min(size_t a, size_t b)
{
	return a < b ? a : b;
}

/*
 * For a stack buffer that is written before it is read: kernels built with
 * CONFIG_INIT_STACK_ALL_ZERO (Debian's are) would otherwise clear it on every
 * call, which costs a small read of a 512-byte buffer a good part of its time.
 */
#ifdef __has_attribute
#if __has_attribute(__uninitialized__)
#define kdrv_uninitialized __attribute__((__uninitialized__))
#endif
#endif
#ifndef kdrv_uninitialized
#define kdrv_uninitialized
#endif

/* The log prefix; kernel builds know the module's name (KDRV_OS_MODNAME), tests may not. */
#ifndef KDRV_MODNAME
#define KDRV_MODNAME KDRV_OS_MODNAME
#endif

enum kdrv_log_level {
	KDRV_LOG_ERR,
	KDRV_LOG_WARN,
	KDRV_LOG_INFO,
	KDRV_LOG_DEBUG,
};

/**
 * kdrv_os_log() - write one line to the kernel log.
 * @level:	severity; the OS maps it to its own levels.
 * @fmt:	printf format, already prefixed and newline-terminated by the
 *		kdrv_info() family, which is what drivers call.
 */
void kdrv_os_log(enum kdrv_log_level level, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#define kdrv_log(level, fmt, ...) kdrv_os_log(level, KDRV_LOG_PREFIX fmt "\n", ##__VA_ARGS__)
#define kdrv_err(fmt, ...) kdrv_log(KDRV_LOG_ERR, fmt, ##__VA_ARGS__)
#define kdrv_warn(fmt, ...) kdrv_log(KDRV_LOG_WARN, fmt, ##__VA_ARGS__)
#define kdrv_info(fmt, ...) kdrv_log(KDRV_LOG_INFO, fmt, ##__VA_ARGS__)

/*
 * For lines an unprivileged caller can trigger at will: each call site logs at
 * most a burst of lines per interval (Linux: printk_ratelimit()'s 10 per 5 s).
 */
#define kdrv_log_ratelimited(level, fmt, ...)                                                      \
	do {                                                                                       \
		static struct kdrv_ratelimit kdrv_rl_ = KDRV_RATELIMIT_INIT(kdrv_rl_);             \
                                                                                                   \
		if (kdrv_os_ratelimit(&kdrv_rl_))                                                  \
			kdrv_log(level, fmt, ##__VA_ARGS__);                                       \
	} while (0)
#define kdrv_err_ratelimited(fmt, ...) kdrv_log_ratelimited(KDRV_LOG_ERR, fmt, ##__VA_ARGS__)
#define kdrv_info_ratelimited(fmt, ...) kdrv_log_ratelimited(KDRV_LOG_INFO, fmt, ##__VA_ARGS__)

/* Release builds keep the format checked but drop the call and its string. */
#ifdef KDRV_DEBUG
#define kdrv_dbg(fmt, ...) kdrv_log(KDRV_LOG_DEBUG, fmt, ##__VA_ARGS__)
#else
#define kdrv_dbg(fmt, ...)                                                                         \
	do {                                                                                       \
		if (0)                                                                             \
			kdrv_log(KDRV_LOG_DEBUG, fmt, ##__VA_ARGS__);                              \
	} while (0)
#endif

/**
 * kdrv_os_alloc() - allocate zeroed, non-executable kernel memory.
 * @size:	bytes; may sleep, so never call it from atomic context.
 *
 * Return: the memory, or NULL.
 */
void *kdrv_os_alloc(size_t size);

/**
 * kdrv_os_free() - free what kdrv_os_alloc() returned; NULL is a no-op.
 * @p:	the memory.
 */
void kdrv_os_free(void *p);

/**
 * kdrv_os_random_bytes() - fill a kernel buffer from the OS's CSPRNG.
 * @buf:	destination.
 * @len:	bytes.
 *
 * There is no fallback to a weaker generator: a failure is returned.
 * Return: 0 or a negative errno.
 */
int kdrv_os_random_bytes(void *buf, size_t len);

/**
 * DOC: random streams
 *
 * A request that wants many random bytes (a read of /dev/kdrv-random) asks
 * for them in bulk through a &struct kdrv_random_stream, which the OS layer
 * defines in kdrv_os_base.h and the caller keeps on its stack: no allocation.
 * One stream serves one request and is ended before the request returns; it
 * is never kept across requests or shared between callers.
 *
 * Linux and the user-space layer use fast key erasure, as the kernel's own
 * /dev/urandom does: the first fill draws one 32-byte key from the CSPRNG
 * (a first fill of 32 bytes or less is served by the CSPRNG directly and
 * draws no key), and the stream is ChaCha20 under that key, wiped at the end.
 * NT hands each fill to BCryptGenRandom(), whose generator keys itself.
 */

/**
 * kdrv_os_random_stream_begin() - start a stream; draws nothing yet.
 * @s:	the stream.
 */
void kdrv_os_random_stream_begin(struct kdrv_random_stream *s);

/**
 * kdrv_os_random_stream_fill() - the stream's next bytes into a kernel buffer.
 * @s:		the stream, begun.
 * @buf:	destination.
 * @len:	bytes; any size, though whole 64-byte blocks waste nothing.
 *
 * No fallback to a weaker generator: a failure of the CSPRNG is returned.
 * Return: 0 or a negative errno.
 */
int kdrv_os_random_stream_fill(struct kdrv_random_stream *s, void *buf, size_t len);

/**
 * kdrv_os_random_stream_end() - wipe the stream's key and state.
 * @s:	the stream; begin it again before another fill.
 */
void kdrv_os_random_stream_end(struct kdrv_random_stream *s);

/**
 * kdrv_os_yield() - let other work run between chunks of a long operation.
 */
void kdrv_os_yield(void);

/**
 * kdrv_os_interrupted() - whether the calling thread should stop early.
 *
 * Return: true when a signal (or the OS's equivalent) is pending.
 */
bool kdrv_os_interrupted(void);

/**
 * kdrv_os_addr_readable() - probe an address without any risk of faulting.
 * @addr:	the address.
 * @how:	set to the name of the OS primitive used, for the log.
 *
 * Return: whether one byte at @addr could be read.
 */
bool kdrv_os_addr_readable(uintptr_t addr, const char **how);

/**
 * kdrv_os_crash() - carry out a crash a driver asked for explicitly.
 * @mode:	%KDRV_BOOM_WARN: one warning splat, then return;
 *		%KDRV_BOOM_OOPS: kill the calling thread with an oops;
 *		%KDRV_BOOM_PANIC: stop the machine.
 * @why:	text for the splat.
 *
 * Only the roulette calls this, and only for modes its user opted into.
 * Return: -%KDRV_EOPNOTSUPP when the OS has no such crash; otherwise 0
 * for %KDRV_BOOM_WARN and no return at all for the others.
 */
int kdrv_os_crash(enum kdrv_boom mode, const char *why);

/* An OS's handle on a process, held between get and put. */
struct kdrv_os_proc;

/**
 * kdrv_os_proc_get() - look a process up and take a reference on it.
 * @pid:	pid as numbered in the caller's pid namespace.
 * @proc:	set on success; release with kdrv_os_proc_put().
 *
 * Return: 0, or -%KDRV_ESRCH when no such process is visible to the caller.
 */
int kdrv_os_proc_get(int32_t pid, struct kdrv_os_proc **proc);

/**
 * kdrv_os_proc_fill() - fill what the OS can tell about a held process.
 * @proc:	from kdrv_os_proc_get().
 * @info:	fields to fill; set a &enum kdrv_procinfo_field bit in
 *		@info->mask for each one filled, and leave the rest alone.
 *
 * A process that exited but is still a process (a Linux zombie, an NT
 * process someone holds a handle to) is answered. One that stopped being a
 * process while held (reaped: its pids released) is answered as if the
 * lookup had come after it, since facts read from it may no longer be true.
 *
 * Return: 0, or -%KDRV_ESRCH when the process went away while held.
 */
int kdrv_os_proc_fill(struct kdrv_os_proc *proc, struct kdrv_procinfo *info);

/**
 * kdrv_os_proc_put() - drop the reference kdrv_os_proc_get() took.
 * @proc:	the process.
 */
void kdrv_os_proc_put(struct kdrv_os_proc *proc);

/**
 * struct kdrv_sink - where a driver's read output goes.
 * @copy:	copy @len bytes out of the kernel buffer @src; return how many
 *		were copied, less than @len when the destination faulted.
 *
 * The OS layer wraps its destination (an iov_iter, an IRP's system buffer,
 * a test's memory) so that driver code never sees a user pointer.
 */
struct kdrv_sink {
	size_t (*copy)(struct kdrv_sink *sink, const void *src, size_t len);
};

/**
 * struct kdrv_source - where a driver's write or ioctl input comes from.
 * @copy:	copy @len bytes into the kernel buffer @dst; return how many
 *		were copied, less than @len when the source faulted or ended.
 *
 * The mirror of &struct kdrv_sink: the OS layer wraps an iov_iter, an IRP's
 * system buffer or a test's memory, and consecutive calls continue where the
 * last one stopped.
 */
struct kdrv_source {
	size_t (*copy)(struct kdrv_source *src, void *dst, size_t len);
};

/**
 * DOC: locks
 *
 * Their types come from kdrv_os_base.h; the calls are macros or inline
 * functions there, so that Linux's lockdep sees one class per
 * kdrv_mutex_init() and kdrv_spin_init() call site.
 *
 * kdrv_mutex_init(m), kdrv_mutex_lock(m), kdrv_mutex_unlock(m): a sleeping
 *	lock (Linux struct mutex, NT FAST_MUTEX). Only where sleeping is
 *	allowed: every &struct kdrv_driver handler. Held, it allows copying
 *	through a &struct kdrv_sink or &struct kdrv_source and allocating, and
 *	on NT it raises the IRQL to APC_LEVEL.
 * kdrv_spin_init(s), kdrv_spin_lock(s), kdrv_spin_unlock(s): a spinning lock
 *	(Linux spin_lock_irqsave(), NT KeAcquireSpinLock at DISPATCH_LEVEL),
 *	usable from any context, interrupts included. Held, nothing may sleep,
 *	fault, copy through a sink or source, allocate, log or take a mutex.
 * Neither is recursive. Take a mutex before a spinlock, never the reverse.
 */

#endif /* KDRV_OS_H */
