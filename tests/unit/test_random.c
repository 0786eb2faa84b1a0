// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Unit tests of kdrv_random's streaming read: sizes, faults, signals, CSPRNG errors. */
#include <stdlib.h>

#include "unit.h"
#include "kdrv_os_user.h"

static struct kdrv_file *unit_random_file;

static int64_t unit_read(uint8_t *buf, size_t len, size_t limit)
{
	return kdrv_user_read(unit_random_file, buf, len, limit);
}

static void unit_random_sizes(void)
{
	static const size_t sizes[] = { 0, 1, 255, 256, 257, 4096, 1 << 20 };
	size_t i;

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		size_t len = sizes[i];
		uint8_t *a = calloc(1, len + 1), *b = calloc(1, len + 1);
		char desc[80];

		snprintf(desc, sizeof(desc), "random: a read of %zu bytes returns %zu", len, len);
		UNIT_EQ(len, unit_read(a, len, len), desc);
		unit_read(b, len, len);
		if (len >= 16) {
			snprintf(desc, sizeof(desc), "random: two reads of %zu bytes differ", len);
			UNIT_OK(memcmp(a, b, len) != 0, desc);
		}
		free(a);
		free(b);
	}
}

static void unit_random_faults(void)
{
	static uint8_t buf[1 << 20];
	int64_t reads, bytes;

	UNIT_EQ(-KDRV_EFAULT, unit_read(buf, 10, 0), "random: nothing copied is -EFAULT");
	UNIT_EQ(300, unit_read(buf, 1000, 300), "random: a fault mid-way returns the bytes copied");

	kdrv_user_faults.interrupt_after = 1;
	UNIT_EQ(1024, unit_read(buf, 4096, 4096),
		"random: a signal stops the read after the chunk in progress");
	kdrv_user_reset();
	kdrv_user_faults.interrupt_after = 0;
	UNIT_EQ(512, unit_read(buf, 4096, 4096),
		"random: the first chunk is served even if signalled");
	kdrv_user_reset();

	kdrv_user_faults.random_fail_after = 0;
	UNIT_EQ(-KDRV_EIO, unit_read(buf, 10, 10),
		"random: a CSPRNG failure is returned, not hidden");
	kdrv_user_reset();
	kdrv_user_faults.random_fail_after = 0;
	UNIT_EQ(-KDRV_EIO, unit_read(buf, 1000, 1000),
		"random: a CSPRNG failure drawing the read's key is returned");
	kdrv_user_reset();
	kdrv_user_faults.random_fail_after = 1;
	UNIT_EQ(sizeof(buf), unit_read(buf, sizeof(buf), sizeof(buf)),
		"random: a 1 MiB read draws one key from the CSPRNG");
	UNIT_EQ(-KDRV_EIO, unit_read(buf, 1000, 1000),
		"random: the next read draws a key of its own");
	kdrv_user_reset();

	reads = kdrv_user_stat("random", "reads");
	bytes = kdrv_user_stat("random", "bytes");
	unit_read(buf, 777, 1000);
	UNIT_EQ(1, kdrv_user_stat("random", "reads") - reads, "random: a read counts once");
	UNIT_EQ(777, kdrv_user_stat("random", "bytes") - bytes, "random: bytes served are counted");
	UNIT_EQ(-KDRV_EPERM, kdrv_user_write(unit_random_file, buf, 10, 10),
		"random: a write is -EPERM: entropy goes in through /dev/random");
	UNIT_EQ(-KDRV_ENOTTY, kdrv_user_ioctl(unit_random_file, 0x1234, buf, sizeof(buf)),
		"random: an ioctl is -ENOTTY");
}

/*
 * With the CSPRNG scripted to return 00 01 .. 1f, a read is ChaCha20 under
 * that key, counter and nonce 0: the first 64 bytes of keystream, as
 * `openssl enc -chacha20 -K 0001..1f -iv 0` computes them. Reads of 32
 * bytes or less come from the CSPRNG directly.
 */
static void unit_random_stream(void)
{
	static const uint8_t key[32] = {
		0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a,
		0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15,
		0x16, 0x17, 0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f,
	};
	static const uint8_t keystream[64] = {
		0x39, 0xfd, 0x2b, 0x7d, 0xd9, 0xc5, 0x19, 0x6a, 0x8d, 0xbd, 0x03, 0x77, 0xb8,
		0xdc, 0x4a, 0x49, 0x8a, 0x35, 0xd8, 0x6f, 0xbc, 0xde, 0x6a, 0xcc, 0xb2, 0xcc,
		0x7d, 0x4c, 0xd8, 0xea, 0x24, 0x92, 0x2b, 0x23, 0xcc, 0xe7, 0xa2, 0x60, 0x23,
		0xab, 0x3f, 0x0e, 0xef, 0x69, 0x3a, 0xc8, 0x7f, 0x64, 0x25, 0x82, 0x35, 0xea,
		0xb1, 0xf7, 0xa3, 0x2d, 0xc2, 0x27, 0x62, 0xa0, 0x48, 0x5b, 0x41, 0x0c,
	};
	static const uint8_t zero[sizeof(struct kdrv_random_stream)];
	uint8_t buf[1000], again[1000];
	struct kdrv_random_stream s;

	kdrv_user_faults.random_script = key;
	kdrv_user_faults.random_script_len = sizeof(key);
	UNIT_EQ(1000, unit_read(buf, 1000, 1000), "random: a scripted read returns its length");
	UNIT_OK(!memcmp(buf, keystream, sizeof(keystream)),
		"random: a read is ChaCha20 keyed by 32 bytes from the CSPRNG");
	UNIT_EQ(1000, unit_read(again, 1000, 1000), "random: a second scripted read returns");
	UNIT_OK(!memcmp(again, buf, sizeof(buf)),
		"random: each read keys its own stream (the same key gives the same bytes)");
	UNIT_EQ(16, unit_read(buf, 16, 16), "random: a 16-byte scripted read returns 16");
	UNIT_OK(!memcmp(buf, key, 16), "random: a read of 32 bytes or less is the CSPRNG's own");
	kdrv_user_reset();

	kdrv_os_random_stream_begin(&s);
	UNIT_EQ(0, kdrv_os_random_stream_fill(&s, buf, 100), "random: a stream fills 100 bytes");
	kdrv_os_random_stream_end(&s);
	UNIT_OK(!memcmp(&s, zero, sizeof(s)), "random: an ended stream keeps no key or state");
}

KDRV_UNIT_GROUP(random)

void kdrv_unit_random(void)
{
	UNIT_EQ(0, kdrv_user_load("random"), "random: load succeeds");
	UNIT_EQ(0, kdrv_user_open("random", KDRV_O_READ, &unit_random_file), "random: opens");
	unit_random_sizes();
	unit_random_faults();
	unit_random_stream();
	kdrv_user_close(unit_random_file);
	kdrv_user_unload("random");
}
