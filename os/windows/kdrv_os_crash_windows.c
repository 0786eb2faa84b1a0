// SPDX-License-Identifier: GPL-2.0 OR MIT
/* The seam's crashes on NT, apart so that only the roulette, which asks for them, imports them. */
#include "kdrv_nt.h"

/* Bugcheck parameter 1: "kdrv" in ASCII, so a crash dump names who asked for the crash. */
#define KDRV_NT_BUGCHECK_MARK 0x6b647276u

int kdrv_os_crash(enum kdrv_boom mode, const char *why)
{
	switch (mode) {
	case KDRV_BOOM_WARN:
		kdrv_warn("WARNING: %s", why);
		return 0;
	case KDRV_BOOM_OOPS:
		/*
		 * An oops kills one task and lets the system run on. An
		 * unhandled kernel-mode fault on NT is a bugcheck instead, and
		 * terminating the caller from its own dispatch routine cannot
		 * be tested under Wine, where drivers run in another process.
		 */
		kdrv_err("%s: boom=oops: Windows has no oops that spares the system, so the read "
			 "fails as with boom=error",
			 why);
		return -KDRV_EOPNOTSUPP;
	case KDRV_BOOM_PANIC:
		kdrv_err("%s: bugchecking with MANUALLY_INITIATED_CRASH as asked", why);
		KeBugCheckEx(MANUALLY_INITIATED_CRASH, KDRV_NT_BUGCHECK_MARK, (ULONG_PTR)why, 0, 0);
	default:
		return -KDRV_EOPNOTSUPP;
	}
}
