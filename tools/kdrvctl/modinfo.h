/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* Reads a kernel module's .modinfo without kmod, so doctor needs no modinfo for plain .ko files. */
#ifndef KDRVCTL_MODINFO_H
#define KDRVCTL_MODINFO_H

#include <stdbool.h>
#include <stddef.h>

/**
 * kdrvctl_modinfo_read() - one field of a module's .modinfo, and whether the module is signed
 * @path: an uncompressed ELF64 little-endian module (.ko)
 * @key: the field, e.g. "vermagic"
 * @val: receives its value, "" when the module has no such field
 * @cap: size of @val
 * @is_signed: set when the file ends with the kernel's appended-signature marker
 *
 * Return: 0, -ENOEXEC when @path is not an ELF64 module with a .modinfo section, or
 * the negative errno of reading it.
 */
int kdrvctl_modinfo_read(const char *path, const char *key, char *val, size_t cap, bool *is_signed);

#endif
