/* SPDX-License-Identifier: GPL-2.0 */
/* What portable driver code gets from the Linux kernel: types, strings, counters, rate limits. */
#ifndef KDRV_OS_BASE_H
#define KDRV_OS_BASE_H

#include <linux/atomic.h>
#include <linux/compiler.h>
#include <linux/kernel.h>
#include <linux/mutex.h>
#include <linux/ratelimit.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/types.h>
#include <crypto/chacha.h>

#include "compat.h"

#define KDRV_OS_MODNAME KBUILD_MODNAME
#define KDRV_LOG_PREFIX KDRV_MODNAME ": "

#define kdrv_wipe(p, n) memzero_explicit(p, n)
#define kdrv_read_once(x) READ_ONCE(x)
#define kdrv_write_once(x, v) WRITE_ONCE(x, v)

struct kdrv_counter {
	atomic64_t v;
};

static inline void kdrv_counter_add(struct kdrv_counter *c, int64_t n)
{
	atomic64_add(n, &c->v);
}

static inline int64_t kdrv_counter_add_return(struct kdrv_counter *c, int64_t n)
{
	return atomic64_add_return(n, &c->v);
}

static inline int64_t kdrv_counter_read(const struct kdrv_counter *c)
{
	return atomic64_read(&c->v);
}

struct kdrv_ratelimit {
	struct ratelimit_state rs;
};

#define KDRV_RATELIMIT_INIT(name)                                                                  \
	{                                                                                          \
		.rs = RATELIMIT_STATE_INIT(name.rs, DEFAULT_RATELIMIT_INTERVAL,                    \
					   DEFAULT_RATELIMIT_BURST)                                \
	}
/* A macro, so the kernel's "N callbacks suppressed" line names the caller. */
#define kdrv_os_ratelimit(rl) __ratelimit(&(rl)->rs)

/* Macros, so lockdep gives each init call site a class of its own. */
struct kdrv_mutex {
	struct mutex m;
};

#define kdrv_mutex_init(x) mutex_init(&(x)->m)
#define kdrv_mutex_lock(x) mutex_lock(&(x)->m)
#define kdrv_mutex_unlock(x) mutex_unlock(&(x)->m)

/* The flags are written only by the holder, after it took the lock. */
struct kdrv_spinlock {
	spinlock_t s;
	unsigned long flags;
};

#define kdrv_spin_init(x) spin_lock_init(&(x)->s)
#define kdrv_spin_lock(x) spin_lock_irqsave(&(x)->s, (x)->flags)
#define kdrv_spin_unlock(x) spin_unlock_irqrestore(&(x)->s, (x)->flags)

/* ChaCha20 under one key drawn from the CRNG, as /dev/urandom reads are served. */
struct kdrv_random_stream {
	struct chacha_state chacha;
	bool keyed;
};

#endif /* KDRV_OS_BASE_H */
