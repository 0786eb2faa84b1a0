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
	uint8_t buf[1000];
	int64_t reads, bytes;

	UNIT_EQ(-KDRV_EFAULT, unit_read(buf, 10, 0), "random: nothing copied is -EFAULT");
	UNIT_EQ(300, unit_read(buf, 1000, 300), "random: a fault mid-way returns the bytes copied");

	kdrv_user_faults.interrupt_after = 1;
	UNIT_EQ(512, unit_read(buf, 1000, 1000), "random: a signal stops the read after the chunk");
	kdrv_user_reset();
	kdrv_user_faults.interrupt_after = 0;
	UNIT_EQ(256, unit_read(buf, 1000, 1000),
		"random: the first chunk is served even if signalled");
	kdrv_user_reset();

	kdrv_user_faults.random_fail_after = 0;
	UNIT_EQ(-KDRV_EIO, unit_read(buf, 10, 10),
		"random: a CSPRNG failure is returned, not hidden");
	kdrv_user_reset();
	kdrv_user_faults.random_fail_after = 2;
	UNIT_EQ(512, unit_read(buf, 1000, 1000),
		"random: a later CSPRNG failure returns the bytes so far");
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

KDRV_UNIT_GROUP(random)

void kdrv_unit_random(void)
{
	UNIT_EQ(0, kdrv_user_load("random"), "random: load succeeds");
	UNIT_EQ(0, kdrv_user_open("random", KDRV_O_READ, &unit_random_file), "random: opens");
	unit_random_sizes();
	unit_random_faults();
	kdrv_user_close(unit_random_file);
	kdrv_user_unload("random");
}
