/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* What portable driver code gets from the NT kernel under mingw-w64: types, strings, counters. */
#ifndef KDRV_OS_BASE_H
#define KDRV_OS_BASE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* DebugView and WinDbg users expect the image name, as seed 000's kd_print printed it. */
#define KDRV_LOG_PREFIX "[" KDRV_MODNAME ".sys] "

/* The same volatile loop as RtlSecureZeroMemory, without pulling the NT headers into core code. */
static inline void kdrv_wipe(void *p, size_t n)
{
	volatile uint8_t *b = p;

	while (n--)
		*b++ = 0;
}

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

/*
 * ntoskrnl exports _vsnprintf, not C99 snprintf: this wrapper always
 * terminates, but on truncation returns size - 1 since the kernel's
 * formatter cannot tell how long the whole output would have been.
 */
int kdrv_nt_snprintf(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
#define snprintf kdrv_nt_snprintf

#endif /* KDRV_OS_BASE_H */
