/* SPDX-License-Identifier: GPL-2.0 */
/* What portable driver code gets from the Linux kernel: types, strings, counters, rate limits. */
#ifndef KDRV_OS_BASE_H
#define KDRV_OS_BASE_H

#include <linux/atomic.h>
#include <linux/compiler.h>
#include <linux/kernel.h>
#include <linux/ratelimit.h>
#include <linux/string.h>
#include <linux/types.h>

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

#endif /* KDRV_OS_BASE_H */
