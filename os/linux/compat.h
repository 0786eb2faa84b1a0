/* SPDX-License-Identifier: GPL-2.0 */
/* Kernel API drift, absorbed here; Kbuild probes the headers and defines KDRV_HAVE_*. */
#ifndef KDRV_LINUX_COMPAT_H
#define KDRV_LINUX_COMPAT_H

/* 5.8 renamed probe_kernel_read() to copy_from_kernel_nofault(). */
#ifndef KDRV_HAVE_COPY_FROM_KERNEL_NOFAULT
#define copy_from_kernel_nofault(dst, src, size) probe_kernel_read(dst, src, size)
#endif

#endif /* KDRV_LINUX_COMPAT_H */
