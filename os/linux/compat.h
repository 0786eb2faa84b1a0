/* SPDX-License-Identifier: GPL-2.0 */
/* Kernel API drift, absorbed here; Kbuild probes the headers and defines KDRV_HAVE_*. */
#ifndef KDRV_LINUX_COMPAT_H
#define KDRV_LINUX_COMPAT_H

#include <crypto/chacha.h>

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

/*
 * 6.17 wrapped the ChaCha state in struct chacha_state and made chacha_init()
 * the generic one. Before, the state is a bare u32[16] and chacha_init() may
 * call chacha_init_arch(), which would make every module depend on
 * chacha-x86_64: give older kernels the new API over the generic calls.
 */
#ifndef KDRV_HAVE_STRUCT_CHACHA_STATE
struct chacha_state {
	u32 x[CHACHA_STATE_WORDS];
};

#define chacha_block_generic(state, out, nrounds) chacha_block_generic((state)->x, out, nrounds)
#define chacha_init(state, key, iv) chacha_init_generic((state)->x, key, iv)
#endif

#endif /* KDRV_LINUX_COMPAT_H */
