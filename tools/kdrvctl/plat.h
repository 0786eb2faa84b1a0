/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* What kdrvctl asks of the OS it runs on: one file per OS implements it (plat_linux.c,
 * plat_windows.c). */
#ifndef KDRVCTL_PLAT_H
#define KDRVCTL_PLAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdint.h>

#include "kdrv/abi.h"

enum kdrvctl_dev {
	KDRVCTL_DEV_RANDOM,
	KDRVCTL_DEV_ROULETTE,
	KDRVCTL_DEV_PROCINFO,
	KDRVCTL_DEV_PIPE,
};

struct kdrvctl_dev_handle;

/*
 * All return 0 (or a byte count) on success and a negative errno on failure;
 * the Windows file converts GetLastError() once, in its own helper.
 * A missing device is -ENOENT so the caller can say which driver to load.
 */
int kdrvctl_dev_open(enum kdrvctl_dev dev, bool write, struct kdrvctl_dev_handle **h);
/* Reads until @len bytes or end of file. */
int64_t kdrvctl_dev_read(struct kdrvctl_dev_handle *h, void *buf, size_t len);
/* One read: what the device has now, waiting only if it has nothing; 0 at end of file. */
int64_t kdrvctl_dev_read_some(struct kdrvctl_dev_handle *h, void *buf, size_t len);
/* Writes all of @buf, or fails with what was written lost to the caller's count. */
int64_t kdrvctl_dev_write(struct kdrvctl_dev_handle *h, const void *buf, size_t len);
int kdrvctl_dev_procinfo(struct kdrvctl_dev_handle *h, struct kdrv_procinfo *info);
void kdrvctl_dev_close(struct kdrvctl_dev_handle *h);

/* The name a user sees for a device: /dev/kdrv-random, \\.\KdrvRandom. */
const char *kdrvctl_dev_path(enum kdrvctl_dev dev);
/* The driver to load for a device, with the command that loads it on this OS. */
const char *kdrvctl_dev_load_hint(enum kdrvctl_dev dev);

/* The caller's own pid (for `proc self`). */
int32_t kdrvctl_self_pid(void);

/* `kdrvctl status`: print what is loaded; returns the exit code. */
int kdrvctl_status(void);

/*
 * Extra OS-specific commands (Windows: install/start/stop/remove).
 * Returns -1 when @cmd is not one of them, else the exit code.
 */
int kdrvctl_plat_command(const char *cmd, int argc, char **argv);
/* One line per extra command for --help, to @f; may print nothing. */
void kdrvctl_plat_usage(FILE *f);

#endif
