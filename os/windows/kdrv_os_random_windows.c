// SPDX-License-Identifier: GPL-2.0 OR MIT
/* The seam's CSPRNG on NT: kernel-mode CNG, linked only into drivers that draw random bytes. */
#include "kdrv_nt.h"

int kdrv_os_random_bytes(void *buf, size_t len)
{
	uint8_t *p = buf;

	while (len) {
		ULONG n = (ULONG)kdrv_min(len, MAXULONG);
		NTSTATUS status = BCryptGenRandom(NULL, p, n, BCRYPT_USE_SYSTEM_PREFERRED_RNG);

		if (!NT_SUCCESS(status)) {
			kdrv_err("BCryptGenRandom failed with 0x%08lx", status);
			return -KDRV_EIO;
		}
		p += n;
		len -= n;
	}
	return 0;
}

/*
 * BCryptGenRandom() in bulk, one call per fill: the system generator keys and
 * reseeds itself, so a stream holds no key of its own to wipe.
 */
void kdrv_os_random_stream_begin(struct kdrv_random_stream *s)
{
	s->begun = true;
}

int kdrv_os_random_stream_fill(struct kdrv_random_stream *s, void *buf, size_t len)
{
	return kdrv_os_random_bytes(buf, len);
}

void kdrv_os_random_stream_end(struct kdrv_random_stream *s)
{
	s->begun = false;
}
