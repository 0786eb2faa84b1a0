/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* The one error domain of portable code: negative Linux errno values. */
#ifndef KDRV_ERRNO_H
#define KDRV_ERRNO_H

/*
 * The numbers are Linux's so the Linux layer passes them through unchanged
 * (it asserts they match); other OS layers convert them once at their edge.
 */
#define KDRV_EPERM 1
#define KDRV_ESRCH 3
#define KDRV_EINTR 4
#define KDRV_EIO 5
#define KDRV_EAGAIN 11
#define KDRV_ENOMEM 12
#define KDRV_EFAULT 14
#define KDRV_EBUSY 16
#define KDRV_EINVAL 22
#define KDRV_ENOTTY 25
#define KDRV_ERANGE 34
#define KDRV_EOPNOTSUPP 95
/* Linux-internal: restart the call once the signal is handled. */
#define KDRV_ERESTARTSYS 512

#endif /* KDRV_ERRNO_H */
