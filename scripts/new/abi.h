/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* kdrv_@NAME@'s user ABI: its device names and what a read returns, for the driver and its tests. */
#ifndef KDRV_@UPPER@_ABI_H
#define KDRV_@UPPER@_ABI_H

/* /dev/kdrv-@NAME@ on Linux; \\.\Kdrv@CAMEL@ on Windows. */
#define KDRV_LINUX_@UPPER@_NAME "kdrv-@NAME@"
#define KDRV_NT_@UPPER@_NAME "Kdrv@CAMEL@"

/* A read returns this line `repeat` times, then end of file. */
#define KDRV_@UPPER@_GREETING "hello from kdrv_@NAME@\n"
#define KDRV_@UPPER@_REPEAT_MAX 10

#endif
