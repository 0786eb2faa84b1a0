/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* What portable driver code gets from libc when it runs in user space for tests. */
#ifndef KDRV_OS_BASE_H
#define KDRV_OS_BASE_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/* kdrv_user_reset() moves the clock on, so each test starts with fresh log rate limits. */
extern uint64_t kdrv_user_clock_skew_ms;

static inline uint64_t kdrv_base_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000 +
	       __atomic_load_n(&kdrv_user_clock_skew_ms, __ATOMIC_RELAXED);
}

#include "kdrv/atomic_gcc.h"

#define KDRV_OS_MODNAME "kdrv"
#define KDRV_LOG_PREFIX KDRV_MODNAME ": "

#define kdrv_wipe(p, n) explicit_bzero(p, n)

/*
 * The locks are error-checking mutexes: taking one twice, releasing one not
 * held, sleeping (a mutex, an allocation, a copy) under a spinlock, or
 * returning to the harness with one held aborts the test with a message.
 */
struct kdrv_mutex {
	pthread_mutex_t m;
};

struct kdrv_spinlock {
	pthread_mutex_t m;
};

void kdrv_user_lock_init(pthread_mutex_t *m);
void kdrv_user_lock(pthread_mutex_t *m, bool spin, const char *what);
void kdrv_user_unlock(pthread_mutex_t *m, bool spin, const char *what);

#define kdrv_mutex_init(x) kdrv_user_lock_init(&(x)->m)
#define kdrv_mutex_lock(x) kdrv_user_lock(&(x)->m, false, #x)
#define kdrv_mutex_unlock(x) kdrv_user_unlock(&(x)->m, false, #x)
#define kdrv_spin_init(x) kdrv_user_lock_init(&(x)->m)
#define kdrv_spin_lock(x) kdrv_user_lock(&(x)->m, true, #x)
#define kdrv_spin_unlock(x) kdrv_user_unlock(&(x)->m, true, #x)

/* ChaCha20 under one key from the CSPRNG, as the Linux layer streams (kdrv_os_random_user.c). */
struct kdrv_random_stream {
	uint32_t chacha[16];
	bool keyed;
};

#endif /* KDRV_OS_BASE_H */
