// SPDX-License-Identifier: GPL-2.0 OR MIT
/* The seam's random streams in user space: ChaCha20 (RFC 8439) under one key, as on Linux. */
#include "kdrv/os.h"

#define KDRV_CHACHA_KEY_SIZE 32
#define KDRV_CHACHA_BLOCK_SIZE 64

static inline uint32_t kdrv_rol32(uint32_t v, int n)
{
	return (v << n) | (v >> (32 - n));
}

static void kdrv_chacha_quarter(uint32_t *x, int a, int b, int c, int d)
{
	x[a] += x[b];
	x[d] = kdrv_rol32(x[d] ^ x[a], 16);
	x[c] += x[d];
	x[b] = kdrv_rol32(x[b] ^ x[c], 12);
	x[a] += x[b];
	x[d] = kdrv_rol32(x[d] ^ x[a], 8);
	x[c] += x[d];
	x[b] = kdrv_rol32(x[b] ^ x[c], 7);
}

/* One block of 20 rounds, serialized little-endian; the 64-bit counter in words 12-13 moves on. */
static void kdrv_chacha_block(uint32_t *state, uint8_t *out)
{
	uint32_t x[16];
	int i;

	memcpy(x, state, sizeof(x));
	for (i = 0; i < 10; i++) {
		kdrv_chacha_quarter(x, 0, 4, 8, 12);
		kdrv_chacha_quarter(x, 1, 5, 9, 13);
		kdrv_chacha_quarter(x, 2, 6, 10, 14);
		kdrv_chacha_quarter(x, 3, 7, 11, 15);
		kdrv_chacha_quarter(x, 0, 5, 10, 15);
		kdrv_chacha_quarter(x, 1, 6, 11, 12);
		kdrv_chacha_quarter(x, 2, 7, 8, 13);
		kdrv_chacha_quarter(x, 3, 4, 9, 14);
	}
	for (i = 0; i < 16; i++) {
		uint32_t v = x[i] + state[i];

		out[4 * i] = (uint8_t)v;
		out[4 * i + 1] = (uint8_t)(v >> 8);
		out[4 * i + 2] = (uint8_t)(v >> 16);
		out[4 * i + 3] = (uint8_t)(v >> 24);
	}
	kdrv_wipe(x, sizeof(x));
	if (!++state[12])
		state[13]++;
}

void kdrv_os_random_stream_begin(struct kdrv_random_stream *s)
{
	s->keyed = false;
}

/* "expand 32-byte k", the key as little-endian words, then counter and nonce at 0. */
static int kdrv_random_stream_key(struct kdrv_random_stream *s)
{
	static const uint32_t sigma[4] = { 0x61707865, 0x3320646e, 0x79622d32, 0x6b206574 };
	uint8_t key[KDRV_CHACHA_KEY_SIZE];
	int err, i;

	err = kdrv_os_random_bytes(key, sizeof(key));
	if (err)
		return err;
	memcpy(s->chacha, sigma, sizeof(sigma));
	for (i = 0; i < 8; i++)
		s->chacha[4 + i] = (uint32_t)key[4 * i] | (uint32_t)key[4 * i + 1] << 8 |
				   (uint32_t)key[4 * i + 2] << 16 | (uint32_t)key[4 * i + 3] << 24;
	memset(&s->chacha[12], 0, 4 * sizeof(uint32_t));
	kdrv_wipe(key, sizeof(key));
	s->keyed = true;
	return 0;
}

int kdrv_os_random_stream_fill(struct kdrv_random_stream *s, void *buf, size_t len)
{
	uint8_t *out = buf;
	int err;

	if (!s->keyed) {
		if (len <= KDRV_CHACHA_KEY_SIZE)
			return kdrv_os_random_bytes(buf, len);
		err = kdrv_random_stream_key(s);
		if (err)
			return err;
	}
	for (; len >= KDRV_CHACHA_BLOCK_SIZE;
	     len -= KDRV_CHACHA_BLOCK_SIZE, out += KDRV_CHACHA_BLOCK_SIZE)
		kdrv_chacha_block(s->chacha, out);
	if (len) {
		uint8_t block[KDRV_CHACHA_BLOCK_SIZE];

		kdrv_chacha_block(s->chacha, block);
		memcpy(out, block, len);
		kdrv_wipe(block, sizeof(block));
	}
	return 0;
}

/* A stream that only ever served short fills drew no key: nothing to wipe. */
void kdrv_os_random_stream_end(struct kdrv_random_stream *s)
{
	if (s->keyed)
		kdrv_wipe(s, sizeof(*s));
}
