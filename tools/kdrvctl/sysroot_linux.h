/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* The system doctor inspects: its files (under --root, if given) and the tools in PATH. */
#ifndef KDRVCTL_SYSROOT_LINUX_H
#define KDRVCTL_SYSROOT_LINUX_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define KDRVCTL_PATH 4096

/* Reads system files under @root from now on; "" is this system. */
void kdrvctl_sysroot_set(const char *root);
bool kdrvctl_sysroot_is_real(void);

/* Formats a path into @out; one too long for @cap comes out empty, never cut short. */
__attribute__((format(printf, 3, 4))) char *kdrvctl_path(char *out, size_t cap, const char *fmt,
							 ...);

/**
 * kdrvctl_sys() - the file behind a system path
 * @out: receives the path to open on this machine
 * @cap: size of @out
 * @fmt: printf format of the system path, e.g. "/lib/modules/%s/build"
 *
 * Under a root, symbolic links are followed by hand so that absolute ones stay inside
 * it (Debian's /lib/modules/KREL/build points into /usr/src).
 *
 * Return: @out.
 */
__attribute__((format(printf, 3, 4))) char *kdrvctl_sys(char *out, size_t cap, const char *fmt,
							...);
__attribute__((format(printf, 1, 2))) bool kdrvctl_sys_exists(const char *fmt, ...);
/* A system file's first line without its newline; NULL when it is unreadable. */
__attribute__((format(printf, 3, 4))) char *kdrvctl_sys_line(char *buf, size_t cap, const char *fmt,
							     ...);

/* Reads at most @cap - 1 bytes of @path, NUL-terminated; returns the count, or -1. */
ssize_t kdrvctl_read(const char *path, char *buf, size_t cap);
/* All of a regular file, NUL-terminated, its size in *@len if @len; NULL on failure (errno). */
char *kdrvctl_slurp(const char *path, size_t *len);

/* Finds @name as a shell would: in PATH, and on this system (no root) in the sbin folders. */
bool kdrvctl_which(const char *name, char *out, size_t cap);
/**
 * kdrvctl_run() - run a tool found by kdrvctl_which()
 * @out: receives its standard output and error, cut at @cap - 1 bytes
 * @cap: size of @out
 * @argv: the tool's name and arguments, NULL-terminated
 *
 * The tool runs in the C locale, so that its words can be matched, with standard
 * input from /dev/null.
 *
 * Return: its exit status, or -1 when it was not found, did not run or died.
 */
int kdrvctl_run(char *out, size_t cap, const char *const argv[]);

void kdrvctl_first_line(char *s);
/* Appends ", @s" (or @s to an empty @buf); what does not fit is left out. */
void kdrvctl_append(char *buf, size_t cap, const char *s);

#endif
