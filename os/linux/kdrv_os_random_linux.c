// SPDX-License-Identifier: GPL-2.0
/* The seam's CSPRNG on Linux: get_random_bytes(), and streams of ChaCha20 under one CRNG key. */
#include <linux/random.h>
#include <linux/string.h>

#include "compat.h"

#define KDRV_MODNAME KBUILD_MODNAME
#include "kdrv/os.h"

int kdrv_os_random_bytes(void *buf, size_t len)
{
	get_random_bytes(buf, len);
	return 0;
}

void kdrv_os_random_stream_begin(struct kdrv_random_stream *s)
{
	s->keyed = false;
}

/*
 * What the kernel's own get_random_bytes_user() does, which a module cannot
 * call: one key from the CRNG, then generic ChaCha20 blocks. The generic
 * code is vmlinux's, so the module depends on no crypto module; SIMD
 * ChaCha20 (chacha-x86_64) would, and under emulation it is slower
 * (README: "Speed").
 */
static void kdrv_random_stream_key(struct kdrv_random_stream *s)
{
	static const u8 iv[CHACHA_IV_SIZE];
	u32 key[CHACHA_KEY_SIZE / sizeof(u32)] kdrv_uninitialized;

	get_random_bytes(key, sizeof(key));
	chacha_init(&s->chacha, key, iv);
	memzero_explicit(key, sizeof(key));
	s->keyed = true;
}

/* The block counter is word 12; past 2^32 blocks (256 GiB) it carries into word 13. */
static void kdrv_random_stream_block(struct kdrv_random_stream *s, u8 *out)
{
	chacha_block_generic(&s->chacha, out, 20);
	if (unlikely(!s->chacha.x[12]))
		s->chacha.x[13]++;
}

int kdrv_os_random_stream_fill(struct kdrv_random_stream *s, void *buf, size_t len)
{
	u8 *out = buf;

	if (!s->keyed) {
		/* As /dev/urandom does: a short first fill costs one CRNG call, not two. */
		if (len <= CHACHA_KEY_SIZE) {
			get_random_bytes(buf, len);
			return 0;
		}
		kdrv_random_stream_key(s);
	}
	for (; len >= CHACHA_BLOCK_SIZE; len -= CHACHA_BLOCK_SIZE, out += CHACHA_BLOCK_SIZE)
		kdrv_random_stream_block(s, out);
	if (len) {
		u8 block[CHACHA_BLOCK_SIZE] kdrv_uninitialized;

		kdrv_random_stream_block(s, block);
		memcpy(out, block, len);
		memzero_explicit(block, sizeof(block));
	}
	return 0;
}

/* A stream that only ever served short fills drew no key: nothing to wipe. */
void kdrv_os_random_stream_end(struct kdrv_random_stream *s)
{
	if (s->keyed)
		memzero_explicit(s, sizeof(*s));
}
