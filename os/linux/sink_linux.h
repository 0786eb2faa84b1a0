/* SPDX-License-Identifier: GPL-2.0 */
/* A struct kdrv_sink over an iov_iter: the only place driver output meets user memory. */
#ifndef KDRV_SINK_LINUX_H
#define KDRV_SINK_LINUX_H

#include <linux/uio.h>

#include "kdrv/os.h"

struct kdrv_iter_sink {
	struct kdrv_sink sink;
	struct iov_iter *iter;
};

static inline size_t kdrv_iter_sink_copy(struct kdrv_sink *sink, const void *src, size_t len)
{
	struct kdrv_iter_sink *s = container_of(sink, struct kdrv_iter_sink, sink);

	return copy_to_iter(src, len, s->iter);
}

#define KDRV_ITER_SINK(it)                                                                         \
	{                                                                                          \
		.sink = { .copy = kdrv_iter_sink_copy }, .iter = (it)                              \
	}

#endif
