/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* What portable driver code gets from the NT kernel under mingw-w64: types, strings, counters. */
#ifndef KDRV_OS_BASE_H
#define KDRV_OS_BASE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* Milliseconds since boot, from KeQueryInterruptTime(), for the log rate limit. */
uint64_t kdrv_base_now_ms(void);

#include "kdrv/atomic_gcc.h"

/* The Makefile names every object of a driver's image after it: "kdrv_x". */
#define KDRV_OS_MODNAME KDRV_NT_MODNAME

/* DebugView and WinDbg users expect the image name, as seed 000's kd_print printed it. */
#define KDRV_LOG_PREFIX "[" KDRV_MODNAME ".sys] "

/* The same volatile loop as RtlSecureZeroMemory, without pulling the NT headers into core code. */
static inline void kdrv_wipe(void *p, size_t n)
{
	volatile uint8_t *b = p;

	while (n--)
		*b++ = 0;
}

/*
 * ntoskrnl exports _vsnprintf, not C99 snprintf: this wrapper always
 * terminates, but on truncation returns size - 1 since the kernel's
 * formatter cannot tell how long the whole output would have been.
 */
int kdrv_nt_snprintf(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
#define snprintf kdrv_nt_snprintf

/*
 * The locks, opaque here so that core code never includes the NT headers:
 * kdrv_os_windows.c asserts that a FAST_MUTEX fits. A spinlock keeps the
 * IRQL it raised from, as KeAcquireSpinLock() returns it, for its release.
 */
struct kdrv_mutex {
	_Alignas(8) uint8_t fast_mutex[56];
};

struct kdrv_spinlock {
	uintptr_t lock;
	uint8_t irql;
};

/**
 * kdrv_nt_mutex_init() - ExInitializeFastMutex(); kdrv_mutex_init() in core code.
 * @m:	the mutex.
 */
void kdrv_nt_mutex_init(struct kdrv_mutex *m);
/**
 * kdrv_nt_mutex_lock() - ExAcquireFastMutex(), which raises to APC_LEVEL.
 * @m:	the mutex.
 */
void kdrv_nt_mutex_lock(struct kdrv_mutex *m);
/**
 * kdrv_nt_mutex_unlock() - ExReleaseFastMutex(), back to the IRQL before the lock.
 * @m:	the mutex.
 */
void kdrv_nt_mutex_unlock(struct kdrv_mutex *m);
/**
 * kdrv_nt_spin_init() - KeInitializeSpinLock().
 * @s:	the lock.
 */
void kdrv_nt_spin_init(struct kdrv_spinlock *s);
/**
 * kdrv_nt_spin_lock() - KeAcquireSpinLock(): raise to DISPATCH_LEVEL and spin.
 * @s:	the lock.
 */
void kdrv_nt_spin_lock(struct kdrv_spinlock *s);
/**
 * kdrv_nt_spin_unlock() - KeReleaseSpinLock() to the IRQL kdrv_nt_spin_lock() raised from.
 * @s:	the lock.
 */
void kdrv_nt_spin_unlock(struct kdrv_spinlock *s);

#define kdrv_mutex_init(m) kdrv_nt_mutex_init(m)
#define kdrv_mutex_lock(m) kdrv_nt_mutex_lock(m)
#define kdrv_mutex_unlock(m) kdrv_nt_mutex_unlock(m)
#define kdrv_spin_init(s) kdrv_nt_spin_init(s)
#define kdrv_spin_lock(s) kdrv_nt_spin_lock(s)
#define kdrv_spin_unlock(s) kdrv_nt_spin_unlock(s)

/* BCryptGenRandom() keys itself: an NT stream holds no secret (kdrv_os_random_windows.c). */
struct kdrv_random_stream {
	bool begun;
};

#endif /* KDRV_OS_BASE_H */
