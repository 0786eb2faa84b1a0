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

#endif /* KDRV_OS_BASE_H */
