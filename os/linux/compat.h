/* SPDX-License-Identifier: GPL-2.0 */
/* Kernel API drift, absorbed here; Kbuild probes the headers and defines KDRV_HAVE_*. */
#ifndef KDRV_LINUX_COMPAT_H
#define KDRV_LINUX_COMPAT_H

/* 5.8 renamed probe_kernel_read() to copy_from_kernel_nofault(). */
#ifndef KDRV_HAVE_COPY_FROM_KERNEL_NOFAULT
#define copy_from_kernel_nofault(dst, src, size) probe_kernel_read(dst, src, size)
#endif

/*
 * 5.11 made /proc/PID/stat count start times in the reader's time namespace, with
 * timens_add_boottime_ns(); before it, /proc shows boot time as it is, and so does kdrv.
 */
#ifndef KDRV_HAVE_TIMENS_ADD_BOOTTIME_NS
#define timens_add_boottime_ns(nsec) (nsec)
#endif

#endif /* KDRV_LINUX_COMPAT_H */
