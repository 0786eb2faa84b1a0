// SPDX-License-Identifier: GPL-2.0 OR MIT
/* kdrv_random: the streaming read loop behind /dev/kdrv-random. */
#define KDRV_MODNAME "kdrv_random"
#include "kdrv/os.h"
#include "random/random.h"

static struct kdrv_counter kdrv_random_reads;
static struct kdrv_counter kdrv_random_bytes;

int64_t kdrv_random_read(struct kdrv_sink *sink, size_t len)
{
	uint8_t chunk[KDRV_RANDOM_CHUNK];
	size_t done = 0;
	int err = 0;

	while (done < len) {
		size_t want = kdrv_min(len - done, sizeof(chunk));
		size_t copied;

		/* The first chunk is always served, as /dev/urandom does. */
		if (done && kdrv_os_interrupted()) {
			err = -KDRV_ERESTARTSYS;
			break;
		}
		err = kdrv_os_random_bytes(chunk, want);
		if (err)
			break;
		copied = sink->copy(sink, chunk, want);
		done += copied;
		if (copied < want) {
			err = -KDRV_EFAULT;
			break;
		}
		kdrv_os_yield();
	}
	kdrv_wipe(chunk, sizeof(chunk));

	kdrv_counter_add(&kdrv_random_reads, 1);
	kdrv_counter_add(&kdrv_random_bytes, (int64_t)done);
	if (done || !len)
		return (int64_t)done;
	return err;
}

void kdrv_random_stats(struct kdrv_random_stats *stats)
{
	stats->reads = kdrv_counter_read(&kdrv_random_reads);
	stats->bytes = kdrv_counter_read(&kdrv_random_bytes);
}
