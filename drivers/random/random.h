/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* kdrv_random: the portable part of the random-bytes device. */
#ifndef KDRV_RANDOM_H
#define KDRV_RANDOM_H

#include <kdrv_os_base.h>

#include "kdrv/abi.h"

struct kdrv_sink;

/* Bytes produced per CSPRNG call and per copy; bounds stack use and latency. */
#define KDRV_RANDOM_CHUNK 256

/**
 * kdrv_random_read() - stream @len CSPRNG bytes into @sink.
 * @sink:	the destination.
 * @len:	bytes wanted.
 *
 * Stops early on a pending signal or a faulting destination.
 * Return: bytes delivered if any; otherwise -EFAULT, -ERESTARTSYS or the
 * CSPRNG's error.
 */
int64_t kdrv_random_read(struct kdrv_sink *sink, size_t len);

struct kdrv_random_stats {
	int64_t reads;
	int64_t bytes;
};

void kdrv_random_stats(struct kdrv_random_stats *stats);

#endif
