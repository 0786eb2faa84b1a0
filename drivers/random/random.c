// SPDX-License-Identifier: GPL-2.0 OR MIT
/* kdrv_random: /dev/kdrv-random streams bytes from the kernel CSPRNG. */
#define KDRV_MODNAME "kdrv_random"
#include "kdrv/driver.h"

/*
 * Bytes generated per copy. A stack buffer: the read path allocates nothing.
 * Each chunk is a whole number of ChaCha20 blocks, and signals and
 * rescheduling are checked between chunks, more often than once a page.
 */
#define KDRV_RANDOM_CHUNK 512

static struct kdrv_counter kdrv_random_reads;
static struct kdrv_counter kdrv_random_bytes;

static int kdrv_random_open(struct kdrv_file *file)
{
	kdrv_info_ratelimited("device opened");
	return 0;
}

/*
 * One random stream per read: a fresh key from the CSPRNG that no other read
 * or opener ever sees, wiped with the buffer on the way out. Stops early on a
 * pending signal or a faulting destination: the bytes delivered if any, else
 * -EFAULT, -ERESTARTSYS or the CSPRNG's error.
 */
static int64_t kdrv_random_read(struct kdrv_file *file, struct kdrv_sink *to, size_t len,
				uint64_t *pos)
{
	struct kdrv_random_stream stream kdrv_uninitialized;
	uint8_t chunk[KDRV_RANDOM_CHUNK] kdrv_uninitialized;
	size_t done = 0;
	int err = 0;

	kdrv_os_random_stream_begin(&stream);
	while (done < len) {
		size_t want = kdrv_min(len - done, sizeof(chunk));
		size_t copied;

		/* The first chunk is always served, as /dev/urandom does. */
		if (done) {
			if (kdrv_os_interrupted()) {
				err = -KDRV_ERESTARTSYS;
				break;
			}
			kdrv_os_yield();
		}
		err = kdrv_os_random_stream_fill(&stream, chunk, want);
		if (err)
			break;
		copied = to->copy(to, chunk, want);
		done += copied;
		if (copied < want) {
			err = -KDRV_EFAULT;
			break;
		}
	}
	kdrv_os_random_stream_end(&stream);
	/* Only the bytes a fill wrote: a 16-byte read must not pay for wiping 512. */
	kdrv_wipe(chunk, kdrv_min(len, sizeof(chunk)));

	kdrv_counter_add(&kdrv_random_reads, 1);
	kdrv_counter_add(&kdrv_random_bytes, (int64_t)done);
	if (done || !len)
		return (int64_t)done;
	return err;
}

/* Writing entropy in is /dev/random's job; this device only hands it out. */
static int64_t kdrv_random_write(struct kdrv_file *file, struct kdrv_source *from, size_t len,
				 uint64_t *pos)
{
	return -KDRV_EPERM;
}

static const struct kdrv_stat kdrv_random_stats[] = {
	{ "reads", &kdrv_random_reads },
	{ "bytes", &kdrv_random_bytes },
	{},
};

KDRV_DRIVER(random, "kdrv random: /dev/kdrv-random streams bytes from the kernel CSPRNG") = {
	.linux_name = KDRV_LINUX_RANDOM_NAME,
	.nt_name = KDRV_NT_RANDOM_NAME,
	.mode = 0444,
	.open = kdrv_random_open,
	.read = kdrv_random_read,
	.write = kdrv_random_write,
	.stats = kdrv_random_stats,
};
