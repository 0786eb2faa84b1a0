/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* A minimal TAP producer for the host unit tests of the portable cores. */
#ifndef KDRV_UNIT_H
#define KDRV_UNIT_H

#include <stdio.h>
#include <string.h>

#define KDRV_MODNAME "kdrv_unit"
#include "kdrv/driver.h"

extern int kdrv_unit_passed, kdrv_unit_failed;

void kdrv_unit_result(int ok, const char *file, int line, const char *desc, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

#define UNIT_OK(cond, desc)                                                                        \
	kdrv_unit_result(!!(cond), __FILE__, __LINE__, desc, "expected: %s", #cond)
#define UNIT_EQ(expected, actual, desc)                                                            \
	do {                                                                                       \
		long long e_ = (long long)(expected), a_ = (long long)(actual);                    \
		kdrv_unit_result(e_ == a_, __FILE__, __LINE__, desc, "expected %lld, saw %lld",    \
				 e_, a_);                                                          \
	} while (0)
#define UNIT_CONTAINS(haystack, needle, desc)                                                      \
	kdrv_unit_result(strstr(haystack, needle) != NULL, __FILE__, __LINE__, desc,               \
			 "expected to find \"%s\" in \"%s\"", needle, haystack)

void kdrv_unit_register(const char *name, void (*run)(void));

/*
 * One test group per driver, each a file in tests/unit/ that says
 * KDRV_UNIT_GROUP(name) and defines kdrv_unit_<name>(): the group registers
 * itself, so adding a driver's tests edits no list.
 */
#define KDRV_UNIT_GROUP(name)                                                                      \
	void kdrv_unit_##name(void);                                                               \
	__attribute__((constructor)) static void kdrv_unit_register_##name(void)                   \
	{                                                                                          \
		kdrv_unit_register(#name, kdrv_unit_##name);                                       \
	}

#endif
