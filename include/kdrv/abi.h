/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* The user ABI: device names, ioctl codes and wire structs shared by drivers and tools. */
#ifndef KDRV_ABI_H
#define KDRV_ABI_H

/* Kernel builds resolve this through each OS layer's include/ shim. */
#include <stdint.h>

#define KDRV_VERSION "0.1.0"

/* Linux misc devices, and their nodes under /dev made by devtmpfs/udev. */
#define KDRV_LINUX_RANDOM_NAME "kdrv-random"
#define KDRV_LINUX_ROULETTE_NAME "kdrv-roulette"
#define KDRV_LINUX_PROCINFO_NAME "kdrv-procinfo"
#define KDRV_LINUX_PIPE_NAME "kdrv-pipe"
#define KDRV_LINUX_RANDOM_DEV "/dev/" KDRV_LINUX_RANDOM_NAME
#define KDRV_LINUX_ROULETTE_DEV "/dev/" KDRV_LINUX_ROULETTE_NAME
#define KDRV_LINUX_PROCINFO_DEV "/dev/" KDRV_LINUX_PROCINFO_NAME
#define KDRV_LINUX_PIPE_DEV "/dev/" KDRV_LINUX_PIPE_NAME

/* Windows device objects; user space opens \\.\<name>. */
#define KDRV_NT_RANDOM_NAME "KdrvRandom"
#define KDRV_NT_ROULETTE_NAME "KdrvRoulette"
#define KDRV_NT_PROCINFO_NAME "KdrvProcinfo"
#define KDRV_NT_PIPE_NAME "KdrvPipe"

/**
 * enum kdrv_procinfo_field - bits of &struct kdrv_procinfo.mask.
 *
 * A bit is set only when the driver filled that field: not every OS can tell
 * every fact, and a missing fact is absent rather than invented.
 */
enum kdrv_procinfo_field {
	KDRV_PROC_TGID = 1u << 0,
	KDRV_PROC_PPID = 1u << 1,
	KDRV_PROC_STATE = 1u << 2,
	KDRV_PROC_UID = 1u << 3,
	KDRV_PROC_START_TIME = 1u << 4,
	KDRV_PROC_COMM = 1u << 5,
};

#define KDRV_PROC_COMM_LEN 16

/**
 * struct kdrv_procinfo - request and answer of the procinfo ioctl.
 * @size:	in: sizeof() as the caller was built; out: bytes the driver filled.
 *		Newer versions only append fields, so the driver copies
 *		min(@size, its own size); less than %KDRV_PROCINFO_SIZE_V1 is -EINVAL.
 * @mask:	out: &enum kdrv_procinfo_field bits of the fields filled.
 * @pid:	in: the process, as the caller's pid namespace numbers it.
 * @tgid:	thread group id (the process id of a thread).
 * @ppid:	parent's tgid, 0 when the parent is not visible to the caller.
 * @uid:	real uid, in the caller's user namespace.
 * @start_time_ns: start time in nanoseconds since boot, as the caller's time
 *		namespace counts boot time (/proc/PID/stat field 22, read by the
 *		caller, is this value in clock ticks).
 * @state:	one letter, as in /proc/PID/stat (R, S, D, T, t, Z, P, I).
 * @comm:	the task's own name, NUL-terminated: the executable's name or what
 *		the task set with prctl(PR_SET_NAME), at most 15 bytes. /proc
 *		shows the same name except for two kinds of kernel thread: a
 *		workqueue worker, to which it appends the queue being served
 *		("kworker/0:1-events" there is "kworker/0:1" here), and one named
 *		longer, shown whole there ("pool_workqueue_release" there is
 *		"pool_workqueue_" here).
 * @reserved:	zero.
 *
 * A process that exits is answered until it is reaped (state Z); once reaped,
 * or when it is reaped while being answered, the lookup fails with ESRCH.
 */
struct kdrv_procinfo {
	uint32_t size;
	uint32_t mask;
	int32_t pid;
	int32_t tgid;
	int32_t ppid;
	uint32_t uid;
	uint64_t start_time_ns;
	char state;
	char comm[KDRV_PROC_COMM_LEN];
	uint8_t reserved[7];
};

#define KDRV_PROCINFO_SIZE_V1 56

_Static_assert(sizeof(struct kdrv_procinfo) == KDRV_PROCINFO_SIZE_V1, "procinfo wire size");
_Static_assert(__builtin_offsetof(struct kdrv_procinfo, start_time_ns) == 24, "procinfo layout");
_Static_assert(__builtin_offsetof(struct kdrv_procinfo, comm) == 33, "procinfo layout");

/*
 * The codes are spelled out so this header needs no OS macro; each OS layer
 * asserts at build time that its own macro gives the same value.
 * Linux: _IOWR('k', 0xd0, struct kdrv_procinfo).
 * Windows: CTL_CODE(0x8000, 0x800, METHOD_BUFFERED, FILE_READ_ACCESS); device
 * types from 0x8000 and function codes from 0x800 are reserved for vendors.
 */
#define KDRV_IOCTL_PROCINFO_LINUX 0xc0386bd0u
#define KDRV_IOCTL_PROCINFO_NT 0x80006000u

/**
 * DOC: KDRV_IOCTL_STATS_NT - a driver's counters, on Windows
 *
 * CTL_CODE(0x8000, 0x8ff, METHOD_BUFFERED, FILE_READ_ACCESS): the NT layer
 * answers it on the device of every driver, before the driver's own ioctls
 * (function 0x8ff is the kit's, never a driver's). No input. The output buffer
 * receives one "NAME VALUE\n" line per &struct kdrv_stat of the driver, in its
 * order, NAME as the driver spells it and VALUE in decimal, without a NUL; the
 * byte count returned says how long the text is. A buffer too short for every
 * line fails with ERANGE and returns nothing. kdrvctl.exe status prints them;
 * Linux shows the same counters as files under /sys/class/misc/<dev>/.
 */
#define KDRV_IOCTL_STATS_NT 0x800063fcu

/* The roulette's crash modes, also its module parameter `boom`. */
enum kdrv_boom {
	KDRV_BOOM_ERROR,
	KDRV_BOOM_WARN,
	KDRV_BOOM_OOPS,
	KDRV_BOOM_PANIC,
	KDRV_BOOM_NR,
};

#define KDRV_ROULETTE_MAX 100

/*
 * kdrv_pipe: the `capacity` parameter's range and default, in bytes, and the
 * largest write that is never interleaved with another writer's bytes (as
 * PIPE_BUF is for pipe(2)).
 */
#define KDRV_PIPE_CAPACITY_MIN 4096
#define KDRV_PIPE_CAPACITY_MAX (1 << 20)
#define KDRV_PIPE_CAPACITY_DEFAULT 65536
#define KDRV_PIPE_ATOMIC 4096

#endif /* KDRV_ABI_H */
