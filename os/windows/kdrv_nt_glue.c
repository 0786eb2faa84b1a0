// SPDX-License-Identifier: GPL-2.0 OR MIT
/* What the kdrv drivers' NT glue shares: IRP completion, stateless dispatch, device setup. */
#define KDRV_MODNAME KDRV_NT_MODNAME
#include "kdrv_nt.h"

NTSTATUS kdrv_nt_complete(IRP *irp, NTSTATUS status, ULONG_PTR info)
{
	irp->IoStatus.Status = status;
	irp->IoStatus.Information = info;
	IoCompleteRequest(irp, IO_NO_INCREMENT);
	return status;
}

NTSTATUS kdrv_nt_dispatch_success(DEVICE_OBJECT *dev, IRP *irp)
{
	UNREFERENCED_PARAMETER(dev);
	return kdrv_nt_complete(irp, STATUS_SUCCESS, 0);
}

NTSTATUS kdrv_nt_dispatch_unsupported(DEVICE_OBJECT *dev, IRP *irp)
{
	UNREFERENCED_PARAMETER(dev);
	return kdrv_nt_complete(irp, STATUS_INVALID_DEVICE_REQUEST, 0);
}

NTSTATUS kdrv_nt_device_create(DRIVER_OBJECT *drv, UNICODE_STRING *name, UNICODE_STRING *link,
			       DEVICE_OBJECT **dev)
{
	DEVICE_OBJECT *d;
	NTSTATUS status;

	status =
	    IoCreateDevice(drv, 0, name, KDRV_NT_DEVICE_TYPE, FILE_DEVICE_SECURE_OPEN, FALSE, &d);
	if (!NT_SUCCESS(status)) {
		kdrv_err("cannot create %.*ls: 0x%08lx", KDRV_NT_USTR(name), status);
		return status;
	}
	d->Flags |= DO_BUFFERED_IO;

	status = IoCreateSymbolicLink(link, name);
	if (!NT_SUCCESS(status)) {
		kdrv_err("cannot link %.*ls: 0x%08lx", KDRV_NT_USTR(link), status);
		goto err_delete_device;
	}
	d->Flags &= ~DO_DEVICE_INITIALIZING;
	kdrv_info("%.*ls ready", KDRV_NT_USTR(link));
	*dev = d;
	return STATUS_SUCCESS;

err_delete_device:
	IoDeleteDevice(d);
	return status;
}

void kdrv_nt_device_destroy(DEVICE_OBJECT *dev, UNICODE_STRING *link)
{
	IoDeleteSymbolicLink(link);
	IoDeleteDevice(dev);
}
