// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Reads and writes on NT: direct I/O; a handler's -EAGAIN pends the IRP until kdrv_wake(). */
#include "kdrv_driver_nt.h"

/*
 * The queue follows the IoCsq protocol written out here, because Wine 8.0
 * exports IoCsqInsertIrp, IoCsqRemoveIrp and IoCsqRemoveNextIrp as stubs that
 * kill the driver host: whoever clears an IRP's cancel routine owns the IRP; a
 * cancel routine that found it set takes the IRP off the queue under the lock.
 */
static DRIVER_CANCEL kdrv_nt_io_cancel_routine;

void kdrv_nt_io_init(struct kdrv_device *dev)
{
	kdrv_spin_init(&dev->lock);
	InitializeListHead(&dev->pended);
}

void kdrv_wake(struct kdrv_device *dev)
{
	InterlockedIncrement(&dev->wake_seq);
}

static LIST_ENTRY *kdrv_nt_io_entry(IRP *irp)
{
	return &irp->Tail.Overlay.ListEntry;
}

static IRP *kdrv_nt_io_irp(LIST_ENTRY *entry)
{
	return CONTAINING_RECORD(entry, IRP, Tail.Overlay.ListEntry);
}

/*
 * A cancelled read moved nothing, else it would have completed; a write keeps
 * what it moved. Only an IRP that pended (or was about to) is cancelled, so
 * its reference on the image goes with it.
 */
static void kdrv_nt_io_complete_cancelled(IRP *irp)
{
	ULONG_PTR done = irp->IoStatus.Information;

	kdrv_nt_complete(irp, done ? STATUS_SUCCESS : STATUS_CANCELLED, done);
	kdrv_nt_release();
}

/*
 * Queues an IRP that must wait, at the tail or, for one a retry takes back,
 * at the head. Returns false when it was cancelled before its cancel routine
 * was set, or its file was cleaned up meanwhile (a retry on another CPU held
 * it while IRP_MJ_CLEANUP cancelled the rest), or the driver is unloading:
 * the caller then still owns it and completes it as cancelled.
 */
static bool kdrv_nt_io_queue(struct kdrv_device *dev, IRP *irp, bool head)
{
	struct kdrv_nt_file *f = IoGetCurrentIrpStackLocation(irp)->FileObject->FsContext;

	kdrv_spin_lock(&dev->lock);
	if (f->gone || dev->closed) {
		kdrv_spin_unlock(&dev->lock);
		return false;
	}
	IoSetCancelRoutine(irp, kdrv_nt_io_cancel_routine);
	if (irp->Cancel && IoSetCancelRoutine(irp, NULL)) {
		kdrv_spin_unlock(&dev->lock);
		return false;
	}
	if (head)
		InsertHeadList(&dev->pended, kdrv_nt_io_entry(irp));
	else
		InsertTailList(&dev->pended, kdrv_nt_io_entry(irp));
	kdrv_spin_unlock(&dev->lock);
	return true;
}

static void kdrv_nt_io_cancel_routine(DEVICE_OBJECT *obj, IRP *irp)
{
	struct kdrv_device *dev = kdrv_nt_dev;

	UNREFERENCED_PARAMETER(obj);
	IoReleaseCancelSpinLock(irp->CancelIrql);
	kdrv_spin_lock(&dev->lock);
	RemoveEntryList(kdrv_nt_io_entry(irp));
	kdrv_spin_unlock(&dev->lock);
	kdrv_dbg("a pended request was cancelled after moving %lu bytes",
		 (unsigned long)irp->IoStatus.Information);
	kdrv_nt_io_complete_cancelled(irp);
}

/*
 * Moves the pended IRPs of @fo (every one for NULL) to @out, in order, and
 * marks @fo gone, or the device closed if @close. An IRP whose cancel routine
 * is already running stays for that routine to take.
 */
static void kdrv_nt_io_take(struct kdrv_device *dev, FILE_OBJECT *fo, bool close, LIST_ENTRY *out)
{
	LIST_ENTRY *e, *next;

	InitializeListHead(out);
	kdrv_spin_lock(&dev->lock);
	if (fo && fo->FsContext)
		((struct kdrv_nt_file *)fo->FsContext)->gone = true;
	if (close)
		dev->closed = true;
	for (e = dev->pended.Flink; e != &dev->pended; e = next) {
		IRP *irp = kdrv_nt_io_irp(e);

		next = e->Flink;
		if (fo && IoGetCurrentIrpStackLocation(irp)->FileObject != fo)
			continue;
		if (!IoSetCancelRoutine(irp, NULL))
			continue;
		RemoveEntryList(e);
		InsertTailList(out, e);
	}
	kdrv_spin_unlock(&dev->lock);
}

static void kdrv_nt_io_cancel_all(struct kdrv_device *dev, FILE_OBJECT *fo, bool close)
{
	LIST_ENTRY irps;
	int n = 0;

	kdrv_nt_io_take(dev, fo, close, &irps);
	for (; !IsListEmpty(&irps); n++)
		kdrv_nt_io_complete_cancelled(kdrv_nt_io_irp(RemoveHeadList(&irps)));
	if (n)
		kdrv_dbg("%d pended requests cancelled as their %s went", n,
			 close ? "driver" : "file");
}

void kdrv_nt_io_cancel(struct kdrv_device *dev, FILE_OBJECT *fo)
{
	kdrv_nt_io_cancel_all(dev, fo, false);
}

void kdrv_nt_io_close(struct kdrv_device *dev)
{
	kdrv_nt_io_cancel_all(dev, NULL, true);
}

/*
 * Direct I/O: the caller's pages, which the I/O manager locked, mapped into
 * system space, so a read or write of any size costs no pool of its size
 * (Wine maps them already and sets MDL_MAPPED_TO_SYSTEM_VA). A zero-length
 * request has no MDL. NULL when a mapping was needed and failed.
 */
static uint8_t *kdrv_nt_io_buffer(IRP *irp, size_t len)
{
	if (!len || !irp->MdlAddress)
		return NULL;
	return MmGetSystemAddressForMdlSafe(irp->MdlAddress,
					    NormalPagePriority | MdlMappingNoExecute);
}

/*
 * One attempt at a read: it finishes when anything moved, at end of file
 * (0) or on an error. Returns the errno, -KDRV_EAGAIN for "wait".
 */
static int kdrv_nt_io_read(struct kdrv_nt_file *f, IRP *irp, IO_STACK_LOCATION *sp)
{
	const struct kdrv_driver *drv = f->file.dev->drv;
	size_t len = sp->Parameters.Read.Length;
	uint8_t *buf = kdrv_nt_io_buffer(irp, len);
	struct kdrv_nt_sink s = KDRV_NT_SINK(buf, buf ? len : 0);
	uint64_t stream_pos = 0, *pos = drv->seekable ? &f->pos : &stream_pos;
	int64_t ret;

	if (len && !buf)
		return -KDRV_ENOMEM;
	ret = drv->read(&f->file, &s.sink, s.cap, pos);
	if (ret < 0)
		return (int)ret;
	irp->IoStatus.Information = (ULONG_PTR)kdrv_min((size_t)ret, s.cap);
	return 0;
}

/*
 * One attempt at a write: the handler is called again for what a short count
 * left, so the write finishes when everything moved; the running count lives
 * in IoStatus.Information across pends. A count of 0 ends it as it stands, so
 * a driver that takes nothing cannot spin the loop. An error after some bytes
 * moved finishes with those bytes, as a Linux write returns them.
 */
static int kdrv_nt_io_write(struct kdrv_nt_file *f, IRP *irp, IO_STACK_LOCATION *sp)
{
	const struct kdrv_driver *drv = f->file.dev->drv;
	size_t len = sp->Parameters.Write.Length, done = irp->IoStatus.Information;
	const uint8_t *buf = kdrv_nt_io_buffer(irp, len);
	uint64_t stream_pos = 0, *pos = drv->seekable ? &f->pos : &stream_pos;

	if (len && !buf)
		return done ? 0 : -KDRV_ENOMEM;
	while (done < len) {
		struct kdrv_nt_source s = KDRV_NT_SOURCE(buf + done, len - done);
		int64_t ret = drv->write(&f->file, &s.source, s.cap, pos);

		if (ret == -KDRV_EAGAIN)
			return -KDRV_EAGAIN;
		if (ret < 0 && !done)
			return (int)ret;
		if (ret <= 0)
			break;
		done += kdrv_min((size_t)ret, len - done);
		irp->IoStatus.Information = done;
	}
	return 0;
}

/* Returns the errno of one attempt, -KDRV_EAGAIN when the IRP must wait. */
static int kdrv_nt_io_try(IRP *irp)
{
	IO_STACK_LOCATION *sp = IoGetCurrentIrpStackLocation(irp);
	struct kdrv_nt_file *f = sp->FileObject->FsContext;

	if (sp->MajorFunction == IRP_MJ_READ)
		return kdrv_nt_io_read(f, irp, sp);
	return kdrv_nt_io_write(f, irp, sp);
}

static NTSTATUS kdrv_nt_io_finish(IRP *irp, int err)
{
	return kdrv_nt_complete(irp, kdrv_nt_status(err), err ? 0 : irp->IoStatus.Information);
}

/*
 * Takes every pended IRP out and tries each once, oldest first; those that
 * must still wait go back at the head, in their order, ahead of any that
 * arrived meanwhile. A kdrv_wake() during the pass makes another pass.
 */
static void kdrv_nt_io_retry_pass(struct kdrv_device *dev)
{
	LIST_ENTRY irps, waiting;
	IRP *irp;
	int err;

	kdrv_nt_io_take(dev, NULL, false, &irps);
	InitializeListHead(&waiting);
	while (!IsListEmpty(&irps)) {
		irp = kdrv_nt_io_irp(RemoveHeadList(&irps));
		err = kdrv_nt_io_try(irp);
		if (err == -KDRV_EAGAIN) {
			InsertTailList(&waiting, kdrv_nt_io_entry(irp));
			continue;
		}
		kdrv_nt_io_finish(irp, err);
		kdrv_nt_release();
	}
	while (!IsListEmpty(&waiting)) {
		irp = kdrv_nt_io_irp(RemoveTailList(&waiting));
		if (!kdrv_nt_io_queue(dev, irp, true))
			kdrv_nt_io_complete_cancelled(irp);
	}
}

/*
 * A dispatch routine that finds another retrying leaves it the work: that
 * one checks @wake_seq again after clearing @retrying, so no wake is lost.
 */
void kdrv_nt_io_retry(struct kdrv_device *dev)
{
	LONG seq;

	while ((seq = InterlockedCompareExchange(&dev->wake_seq, 0, 0)) != dev->retried_seq) {
		if (InterlockedCompareExchange(&dev->retrying, 1, 0))
			return;
		InterlockedExchange(&dev->retried_seq, seq);
		kdrv_nt_io_retry_pass(dev);
		InterlockedExchange(&dev->retrying, 0);
	}
}

/*
 * The wake sequence is read before the handler runs: a kdrv_wake() between
 * the handler's -EAGAIN and the IRP reaching the queue moves it, and the IRP
 * is then retried at once instead of waiting for a wake that already came.
 * An IRP that pends holds its own reference on the image until it completes.
 */
NTSTATUS kdrv_nt_io_rw(struct kdrv_device *dev, IRP *irp)
{
	IO_STACK_LOCATION *sp = IoGetCurrentIrpStackLocation(irp);
	bool handled = sp->MajorFunction == IRP_MJ_READ ? !!dev->drv->read : !!dev->drv->write;
	LONG seq;
	int err;

	irp->IoStatus.Information = 0;
	if (!handled)
		return kdrv_nt_complete(irp, kdrv_nt_status(-KDRV_EINVAL), 0);
	seq = InterlockedCompareExchange(&dev->wake_seq, 0, 0);
	err = kdrv_nt_io_try(irp);
	if (err != -KDRV_EAGAIN)
		return kdrv_nt_io_finish(irp, err);
	IoMarkIrpPending(irp);
	kdrv_nt_hold();
	if (!kdrv_nt_io_queue(dev, irp, false)) {
		kdrv_nt_io_complete_cancelled(irp);
		return STATUS_PENDING;
	}
	if (InterlockedCompareExchange(&dev->wake_seq, 0, 0) != seq)
		kdrv_wake(dev);
	return STATUS_PENDING;
}
