/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* What the WDK declares and mingw-w64 10's ddk headers lack, each with a note; nowhere else. */
#ifndef KDRV_NT_COMPAT_H
#define KDRV_NT_COMPAT_H

#include <stdarg.h>
#include <ntifs.h>
#include <ntddk.h>

/* A SAL annotation the WDK's static analysis reads; mingw has no SAL, so it carries no code. */
#ifndef _Dispatch_type_
#define _Dispatch_type_(x)
#endif

/* The WDK's wdm.h builds a counted string from a literal at compile time; mingw's lacks it. */
#ifndef RTL_CONSTANT_STRING
#define RTL_CONSTANT_STRING(s)                                                                     \
	{                                                                                          \
		.Length = sizeof(s) - sizeof((s)[0]), .MaximumLength = sizeof(s), .Buffer = (s)    \
	}
#endif

/* winnt.h has it for user mode; the WDK's ntddk.h repeats it for drivers, mingw's does not. */
#ifndef PROCESS_QUERY_LIMITED_INFORMATION
#define PROCESS_QUERY_LIMITED_INFORMATION 0x1000
#endif

/* wdm.h's page priority flag since Windows 8: map an MDL without execute rights. */
#ifndef MdlMappingNoExecute
#define MdlMappingNoExecute 0x40000000
#endif

/*
 * Kernel-mode CNG from cng.sys (bcrypt.h and cng.lib in the WDK). mingw has
 * only the user-mode bcrypt.h, which is not usable with the ddk headers, and
 * no cng import library: os/windows/cng.def makes one with dlltool.
 */
#define BCRYPT_USE_SYSTEM_PREFERRED_RNG 0x00000002
NTSTATUS NTAPI BCryptGenRandom(void *algorithm, unsigned char *buf, ULONG len, ULONG flags);

/*
 * The C runtime ntoskrnl exports (as the WDK's ntoskrnl.lib does). stdio.h
 * would declare it too, but also user-mode stdio that a driver must not use.
 */
int __cdecl _vsnprintf(char *buf, size_t count, const char *fmt, va_list args);

#endif /* KDRV_NT_COMPAT_H */
