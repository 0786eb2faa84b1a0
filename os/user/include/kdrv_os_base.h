/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* What portable driver code gets from libc when it runs in user space for tests. */
#ifndef KDRV_OS_BASE_H
#define KDRV_OS_BASE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "kdrv/atomic_gcc.h"

#define KDRV_LOG_PREFIX KDRV_MODNAME ": "

#define kdrv_wipe(p, n) explicit_bzero(p, n)

#endif /* KDRV_OS_BASE_H */
