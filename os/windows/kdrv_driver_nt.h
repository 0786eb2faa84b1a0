/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* The generic NT driver's own state: the device, an open file, and the pended-request queue. */
#ifndef KDRV_DRIVER_NT_H
#define KDRV_DRIVER_NT_H

#include "kdrv_nt.h"
#include "kdrv/driver.h"

/**
 * struct kdrv_device - the device of a driver, in its DEVICE_OBJECT's extension.
 * @drv:	the description it serves.
 * @lock:	guards @pended.
 * @pended:	IRPs waiting for kdrv_wake(), oldest first, linked through
 *		Tail.Overlay.ListEntry; each has a cancel routine set.
 * @wake_seq:	bumped by every kdrv_wake().
 * @retried_seq: the @wake_seq the last retry of @pended started from.
 * @retrying:	1 while a dispatch routine retries @pended, so that only one
 *		does and the order holds.
 * @closed:	set under @lock when DriverUnload cancels @pended: no IRP may
 *		wait any more.
 */
struct kdrv_device {
	const struct kdrv_driver *drv;
	struct kdrv_spinlock lock;
	LIST_ENTRY pended;
	bool closed;
	volatile LONG wake_seq;
	volatile LONG retried_seq;
	volatile LONG retrying;
};

/**
 * struct kdrv_nt_file - an open file, in its FILE_OBJECT's FsContext.
 * @file:	what the driver sees.
 * @pos:	the position of a &struct kdrv_driver.seekable driver's file.
 * @gone:	set under &struct kdrv_device.lock at cleanup (or close): nothing
 *		of this file may wait any more.
 * @priv:	&struct kdrv_driver.file_size bytes, @file.priv.
 */
struct kdrv_nt_file {
	struct kdrv_file file;
	uint64_t pos;
	bool gone;
	_Alignas(16) uint8_t priv[];
};

/* The one device of this image (NULL when the driver has none). */
extern struct kdrv_device *kdrv_nt_dev;

/**
 * kdrv_nt_hold() - one more reference on the image, for an IRP about to pend.
 *
 * Only a dispatch routine calls it, which holds one already, so unloading
 * cannot have finished; the IRP's reference goes with kdrv_nt_release() once
 * it completes, so DriverUnload also waits for every pended IRP.
 */
void kdrv_nt_hold(void);

/**
 * kdrv_nt_release() - drop a reference kdrv_nt_hold() or a dispatch routine took.
 *
 * The last one while DriverUnload waits wakes it: nothing after it may touch
 * the device or run much code of the image.
 */
void kdrv_nt_release(void);

/**
 * kdrv_nt_io_rw() - IRP_MJ_READ and IRP_MJ_WRITE, which may pend (kdrv_nt_io.c).
 * @dev:	the device.
 * @irp:	the request; its data is an MDL (direct I/O).
 *
 * Return: the status for the dispatch routine to return, %STATUS_PENDING when it waits.
 */
NTSTATUS kdrv_nt_io_rw(struct kdrv_device *dev, IRP *irp);

/**
 * kdrv_nt_io_init() - make a device's queue empty.
 * @dev:	the device.
 */
void kdrv_nt_io_init(struct kdrv_device *dev);

/**
 * kdrv_nt_io_retry() - retry the pended IRPs if kdrv_wake() was called since the last retry.
 * @dev:	the device.
 *
 * Every dispatch routine calls it last, after its own handler returned, so a
 * handler's kdrv_wake() never runs a handler inside another.
 */
void kdrv_nt_io_retry(struct kdrv_device *dev);

/**
 * kdrv_nt_io_close() - cancel every pended IRP of the device, for good.
 * @dev:	the device; none of its IRPs may pend afterwards.
 */
void kdrv_nt_io_close(struct kdrv_device *dev);

/**
 * kdrv_nt_io_cancel() - complete the pended IRPs of one file, or all of them.
 * @dev:	the device.
 * @fo:		the file object, which is marked gone so that none of its IRPs
 *		waits again; NULL for every IRP of the device.
 *
 * Each completes as a cancellation does: STATUS_CANCELLED if it moved
 * nothing, else STATUS_SUCCESS with the bytes it moved.
 */
void kdrv_nt_io_cancel(struct kdrv_device *dev, FILE_OBJECT *fo);

#endif /* KDRV_DRIVER_NT_H */
