// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Unit tests of kdrv_@NAME@ through the kit's harness: the greeting, the parameter, the counter. */
#include "unit.h"
#include "kdrv_os_user.h"
#include "@NAME@/@NAME@_abi.h"

/* Opens the device, reads everything and closes it; the bytes read, or -errno. */
static int64_t unit_@NAME@_read_all(char *buf, size_t size)
{
	struct kdrv_file *f;
	int64_t n, done = 0;
	int err = kdrv_user_open("@NAME@", KDRV_O_READ, &f);

	if (err)
		return err;
	while ((n = kdrv_user_read(f, buf + done, 7, size - 1 - (size_t)done)) > 0)
		done += n;
	kdrv_user_close(f);
	buf[done] = '\0';
	return n < 0 ? n : done;
}

KDRV_UNIT_GROUP(@NAME@)

void kdrv_unit_@NAME@(void)
{
	const struct kdrv_param *repeat = kdrv_user_param("@NAME@", "repeat");
	char buf[512];
	int64_t reads;

	UNIT_EQ(0, kdrv_user_load("@NAME@"), "@NAME@: load succeeds");
	reads = kdrv_user_stat("@NAME@", "reads");
	UNIT_EQ(sizeof(KDRV_@UPPER@_GREETING) - 1, unit_@NAME@_read_all(buf, sizeof(buf)),
		"@NAME@: a file reads one greeting, 7 bytes at a time");
	UNIT_OK(!strcmp(buf, KDRV_@UPPER@_GREETING), "@NAME@: the greeting is the ABI's");
	UNIT_OK(kdrv_user_stat("@NAME@", "reads") - reads >= 2, "@NAME@: reads are counted");

	UNIT_EQ(0, kdrv_param_set(repeat, "3\n"), "@NAME@: repeat=3 is taken");
	UNIT_EQ(3 * (sizeof(KDRV_@UPPER@_GREETING) - 1), unit_@NAME@_read_all(buf, sizeof(buf)),
		"@NAME@: with repeat=3 a file reads three greetings");
	UNIT_EQ(-KDRV_EINVAL, kdrv_param_set(repeat, "11"), "@NAME@: repeat=11 is refused");
	UNIT_CONTAINS(kdrv_user_log(), "repeat must be an integer from 1 to 10, got '11'",
		      "@NAME@: the refusal is logged with the range");
	UNIT_EQ(0, kdrv_param_set(repeat, "1"), "@NAME@: repeat=1 again");

	kdrv_user_unload("@NAME@");
	UNIT_EQ(0, kdrv_user_live_allocs(), "@NAME@: nothing is left allocated");
}
