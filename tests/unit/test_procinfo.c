// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Unit tests of kdrv_procinfo: the kit's size negotiation, errors, the field mask, release. */
#include <unistd.h>

#include "unit.h"
#include "kdrv_os_user.h"

static struct kdrv_file *unit_procinfo_file;

static int unit_query(struct kdrv_procinfo *info, size_t limit)
{
	return kdrv_user_ioctl(unit_procinfo_file, KDRV_IOCTL_PROCINFO_LINUX, info, limit);
}

static void unit_procinfo_sizes(void)
{
	struct {
		struct kdrv_procinfo info;
		uint8_t newer[64];
	} big;
	struct kdrv_procinfo info;

	memset(&info, 0, sizeof(info));
	info.pid = getpid();
	UNIT_EQ(-KDRV_EINVAL, unit_query(&info, sizeof(info)), "procinfo: size 0 is -EINVAL");
	info.size = KDRV_PROCINFO_SIZE_V1 - 1;
	UNIT_EQ(-KDRV_EINVAL, unit_query(&info, sizeof(info)),
		"procinfo: a size below V1 is -EINVAL");
	info.size = KDRV_PROCINFO_SIZE_V1;
	UNIT_EQ(0, unit_query(&info, sizeof(info)), "procinfo: V1 size is fine");
	UNIT_EQ(KDRV_PROCINFO_SIZE_V1, info.size, "procinfo: V1 gets V1 bytes");
	info.size = KDRV_PROCINFO_SIZE_V1;
	UNIT_EQ(-KDRV_EFAULT, unit_query(&info, KDRV_PROCINFO_SIZE_V1 - 8),
		"procinfo: memory shorter than the size says is -EFAULT");
	UNIT_EQ(-KDRV_EFAULT, unit_query(&info, 2),
		"procinfo: memory too short for a size is -EFAULT");

	memset(&big, 0x5a, sizeof(big));
	big.info.size = sizeof(big);
	big.info.pid = getpid();
	UNIT_EQ(0, unit_query(&big.info, sizeof(big)), "procinfo: a newer, bigger struct is fine");
	UNIT_EQ(sizeof(struct kdrv_procinfo), big.info.size,
		"procinfo: a newer client is told our size");
	UNIT_EQ(0x5a, big.newer[0], "procinfo: a newer client's extra fields are left alone");
}

static void unit_procinfo_query(void)
{
	struct kdrv_procinfo info;
	int64_t before = kdrv_user_stat("procinfo", "lookups");

	memset(&info, 0xa5, sizeof(info));
	info.size = sizeof(info);
	info.pid = getpid();
	UNIT_EQ(0, unit_query(&info, sizeof(info)), "procinfo: self is found");
	UNIT_OK(info.mask & KDRV_PROC_COMM, "procinfo: comm is filled");
	UNIT_OK(!strcmp(info.comm, "kdrv-unit"), "procinfo: comm is the test binary's");
	UNIT_EQ(getppid(), info.ppid, "procinfo: ppid matches getppid()");
	UNIT_EQ(sizeof(info), info.size, "procinfo: size says what was filled");
	UNIT_EQ(0, info.reserved[0], "procinfo: reserved bytes are zeroed, not leaked");
	UNIT_EQ(0, kdrv_user_live_procs(), "procinfo: the process is released after success");
	UNIT_EQ(1, kdrv_user_stat("procinfo", "lookups") - before, "procinfo: lookups are counted");

	info.size = sizeof(info);
	info.pid = 0;
	UNIT_EQ(-KDRV_EINVAL, unit_query(&info, sizeof(info)), "procinfo: pid 0 is -EINVAL");
	info.size = sizeof(info);
	info.pid = -5;
	UNIT_EQ(-KDRV_EINVAL, unit_query(&info, sizeof(info)), "procinfo: pid -5 is -EINVAL");
	info.size = sizeof(info);
	info.pid = 0x7ffffff0;
	UNIT_EQ(-KDRV_ESRCH, unit_query(&info, sizeof(info)),
		"procinfo: a pid that does not exist is -ESRCH");
	UNIT_EQ(0, kdrv_user_live_procs(), "procinfo: nothing held after errors");
	UNIT_EQ(-KDRV_EINVAL, kdrv_user_read(unit_procinfo_file, &info, 4, 4),
		"procinfo: a read is -EINVAL, as for any device without read");
	UNIT_EQ(-KDRV_ENOTTY,
		kdrv_user_ioctl(unit_procinfo_file, KDRV_IOCTL_PROCINFO_NT, &info, sizeof(info)),
		"procinfo: the NT code is not a Linux ioctl");
}

KDRV_UNIT_GROUP(procinfo)

void kdrv_unit_procinfo(void)
{
	UNIT_EQ(0, kdrv_user_load("procinfo"), "procinfo: load succeeds");
	UNIT_EQ(0, kdrv_user_open("procinfo", KDRV_O_READ, &unit_procinfo_file), "procinfo: opens");
	unit_procinfo_sizes();
	unit_procinfo_query();
	kdrv_user_close(unit_procinfo_file);
	kdrv_user_unload("procinfo");
}
