/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* Counters and once-accesses on GCC's __atomic builtins, for OS layers whose base header uses them. */
#ifndef KDRV_ATOMIC_GCC_H
#define KDRV_ATOMIC_GCC_H

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

static inline int64_t kdrv_counter_read(const struct kdrv_counter *c)
{
	return __atomic_load_n(&c->v, __ATOMIC_RELAXED);
}

#endif /* KDRV_ATOMIC_GCC_H */
