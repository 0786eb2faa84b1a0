/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* What portable driver code gets from libc when it runs in user space for tests. */
#ifndef KDRV_OS_BASE_H
#define KDRV_OS_BASE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static inline uint64_t kdrv_base_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

#include "kdrv/atomic_gcc.h"

#define KDRV_LOG_PREFIX KDRV_MODNAME ": "

#define kdrv_wipe(p, n) explicit_bzero(p, n)

#endif /* KDRV_OS_BASE_H */
