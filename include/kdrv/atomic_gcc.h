/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* Counters, once-accesses and a log rate limit on __atomic builtins, for the user and NT layers. */
#ifndef KDRV_ATOMIC_GCC_H
#define KDRV_ATOMIC_GCC_H

#include <stdbool.h>
#include <stdint.h>

#define kdrv_read_once(x) __atomic_load_n(&(x), __ATOMIC_RELAXED)
#define kdrv_write_once(x, v) __atomic_store_n(&(x), (v), __ATOMIC_RELAXED)

struct kdrv_counter {
	int64_t v;
};

static inline void kdrv_counter_add(struct kdrv_counter *c, int64_t n)
{
	__atomic_fetch_add(&c->v, n, __ATOMIC_RELAXED);
}

static inline int64_t kdrv_counter_add_return(struct kdrv_counter *c, int64_t n)
{
	return __atomic_add_fetch(&c->v, n, __ATOMIC_RELAXED);
}

static inline int64_t kdrv_counter_read(const struct kdrv_counter *c)
{
	return __atomic_load_n(&c->v, __ATOMIC_RELAXED);
}

/*
 * The same policy as Linux's printk_ratelimit(): at most KDRV_RATELIMIT_BURST
 * lines per KDRV_RATELIMIT_MS. Approximate under contention, which is all a
 * log flood guard needs. The including base header defines kdrv_base_now_ms().
 */
#define KDRV_RATELIMIT_MS 5000
#define KDRV_RATELIMIT_BURST 10

struct kdrv_ratelimit {
	uint64_t begin_ms;
	int32_t printed;
};

#define KDRV_RATELIMIT_INIT(name)                                                                  \
	{                                                                                          \
		0, 0                                                                               \
	}

static inline bool kdrv_os_ratelimit(struct kdrv_ratelimit *rl)
{
	uint64_t now = kdrv_base_now_ms() + 1;
	uint64_t begin = __atomic_load_n(&rl->begin_ms, __ATOMIC_RELAXED);

	if ((!begin || now - begin >= KDRV_RATELIMIT_MS) &&
	    __atomic_compare_exchange_n(&rl->begin_ms, &begin, now, false, __ATOMIC_RELAXED,
					__ATOMIC_RELAXED))
		__atomic_store_n(&rl->printed, 0, __ATOMIC_RELAXED);
	return __atomic_add_fetch(&rl->printed, 1, __ATOMIC_RELAXED) <= KDRV_RATELIMIT_BURST;
}

#endif /* KDRV_ATOMIC_GCC_H */
