// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Unit tests of kdrv_procinfo: struct size negotiation, errors, the filled-field mask, release. */
#include <unistd.h>

#include "unit.h"
#include "kdrv_os_user.h"
#include "procinfo/procinfo.h"

static void unit_procinfo_sizes(void)
{
	size_t len = 0;

	UNIT_EQ(-KDRV_EINVAL, kdrv_procinfo_copy_len(0, &len), "procinfo: size 0 is -EINVAL");
	UNIT_EQ(-KDRV_EINVAL, kdrv_procinfo_copy_len(KDRV_PROCINFO_SIZE_V1 - 1, &len),
		"procinfo: a size below V1 is -EINVAL");
	UNIT_EQ(0, kdrv_procinfo_copy_len(KDRV_PROCINFO_SIZE_V1, &len),
		"procinfo: V1 size is fine");
	UNIT_EQ(KDRV_PROCINFO_SIZE_V1, len, "procinfo: V1 copies V1 bytes");
	UNIT_EQ(0, kdrv_procinfo_copy_len(4096, &len), "procinfo: a newer, bigger struct is fine");
	UNIT_EQ(sizeof(struct kdrv_procinfo), len, "procinfo: a newer client gets our size");
}

static void unit_procinfo_query(void)
{
	struct kdrv_procinfo info;
	int64_t before = kdrv_procinfo_lookups();

	memset(&info, 0xa5, sizeof(info));
	info.pid = getpid();
	UNIT_EQ(0, kdrv_procinfo_query(&info, sizeof(info)), "procinfo: self is found");
	UNIT_OK(info.mask & KDRV_PROC_COMM, "procinfo: comm is filled");
	UNIT_OK(!strcmp(info.comm, "kdrv-unit"), "procinfo: comm is the test binary's");
	UNIT_EQ(getppid(), info.ppid, "procinfo: ppid matches getppid()");
	UNIT_EQ(sizeof(info), info.size, "procinfo: size says what was filled");
	UNIT_EQ(0, info.reserved[0], "procinfo: reserved bytes are zeroed, not leaked");
	UNIT_EQ(0, kdrv_user_live_procs(), "procinfo: the process is released after success");
	UNIT_EQ(0, kdrv_procinfo_outstanding(), "procinfo: no outstanding references");
	UNIT_EQ(1, kdrv_procinfo_lookups() - before, "procinfo: lookups are counted");

	info.pid = 0;
	UNIT_EQ(-KDRV_EINVAL, kdrv_procinfo_query(&info, sizeof(info)),
		"procinfo: pid 0 is -EINVAL");
	info.pid = -5;
	UNIT_EQ(-KDRV_EINVAL, kdrv_procinfo_query(&info, sizeof(info)),
		"procinfo: pid -5 is -EINVAL");
	info.pid = 0x7ffffff0;
	UNIT_EQ(-KDRV_ESRCH, kdrv_procinfo_query(&info, sizeof(info)),
		"procinfo: a pid that does not exist is -ESRCH");
	UNIT_EQ(0, kdrv_user_live_procs(), "procinfo: nothing held after errors");
	UNIT_EQ(0, kdrv_procinfo_outstanding(), "procinfo: no outstanding references after errors");
}

KDRV_UNIT_GROUP(procinfo)

void kdrv_unit_procinfo(void)
{
	unit_procinfo_sizes();
	unit_procinfo_query();
}
