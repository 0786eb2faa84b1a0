// SPDX-License-Identifier: GPL-2.0 OR MIT
/* kdrv_procinfo as an NT driver: an IOCTL on \\.\KdrvProcinfo looks a process up. */
#define KDRV_MODNAME "kdrv_procinfo"
#include "kdrv_nt.h"
#include "procinfo/procinfo.h"

_Static_assert((uint32_t)CTL_CODE(KDRV_NT_DEVICE_TYPE, 0x800, METHOD_BUFFERED, FILE_READ_ACCESS) ==
		   KDRV_IOCTL_PROCINFO_NT,
	       "the ABI's spelled-out code is the CTL_CODE it documents");

DRIVER_INITIALIZE DriverEntry;
static DRIVER_UNLOAD kdrv_nt_procinfo_unload;
_Dispatch_type_(IRP_MJ_DEVICE_CONTROL) static DRIVER_DISPATCH kdrv_nt_procinfo_ioctl;

static UNICODE_STRING kdrv_nt_procinfo_name =
    RTL_CONSTANT_STRING(L"\\Device\\" KDRV_NT_PROCINFO_NAME);
static UNICODE_STRING kdrv_nt_procinfo_link =
    RTL_CONSTANT_STRING(L"\\DosDevices\\" KDRV_NT_PROCINFO_NAME);
static DEVICE_OBJECT *kdrv_nt_procinfo_dev;

/*
 * METHOD_BUFFERED: the system buffer holds the caller's input and receives
 * the output, so both lengths must cover what the struct's size asks for.
 */
static int kdrv_nt_procinfo_query(IRP *irp, IO_STACK_LOCATION *sp, ULONG_PTR *done)
{
	ULONG in_len = sp->Parameters.DeviceIoControl.InputBufferLength;
	ULONG out_len = sp->Parameters.DeviceIoControl.OutputBufferLength;
	uint8_t *buf = irp->AssociatedIrp.SystemBuffer;
	struct kdrv_procinfo info = { 0 };
	uint32_t user_size;
	size_t len;
	int err;

	if (in_len < sizeof(user_size))
		return -KDRV_EINVAL;
	memcpy(&user_size, buf, sizeof(user_size));
	err = kdrv_procinfo_copy_len(user_size, &len);
	if (err)
		return err;
	if (in_len < len || out_len < len)
		return -KDRV_EINVAL;
	memcpy(&info, buf, len);
	err = kdrv_procinfo_query(&info, len);
	if (err)
		return err;
	memcpy(buf, &info, len);
	*done = len;
	return 0;
}

static NTSTATUS kdrv_nt_procinfo_ioctl(DEVICE_OBJECT *dev, IRP *irp)
{
	IO_STACK_LOCATION *sp = IoGetCurrentIrpStackLocation(irp);
	ULONG_PTR done = 0;
	int err;

	UNREFERENCED_PARAMETER(dev);
	switch (sp->Parameters.DeviceIoControl.IoControlCode) {
	case KDRV_IOCTL_PROCINFO_NT:
		err = kdrv_nt_procinfo_query(irp, sp, &done);
		break;
	default:
		err = -KDRV_ENOTTY;
		break;
	}
	kdrv_dbg("ioctl 0x%08lx: %d; outstanding process references: %lld",
		 sp->Parameters.DeviceIoControl.IoControlCode, err,
		 (long long)kdrv_procinfo_outstanding());
	return kdrv_nt_complete(irp, kdrv_nt_status(err), done);
}

static void kdrv_nt_procinfo_unload(DRIVER_OBJECT *drv)
{
	UNREFERENCED_PARAMETER(drv);
	kdrv_nt_device_destroy(kdrv_nt_procinfo_dev, &kdrv_nt_procinfo_link);
	kdrv_info("unloading after %lld lookups", (long long)kdrv_procinfo_lookups());
	kdrv_dbg("outstanding process references at unload: %lld",
		 (long long)kdrv_procinfo_outstanding());
}

NTSTATUS DriverEntry(DRIVER_OBJECT *drv, UNICODE_STRING *reg)
{
	UNREFERENCED_PARAMETER(reg);
	drv->MajorFunction[IRP_MJ_CREATE] = kdrv_nt_dispatch_success;
	drv->MajorFunction[IRP_MJ_CLOSE] = kdrv_nt_dispatch_success;
	drv->MajorFunction[IRP_MJ_CLEANUP] = kdrv_nt_dispatch_success;
	drv->MajorFunction[IRP_MJ_READ] = kdrv_nt_dispatch_unsupported;
	drv->MajorFunction[IRP_MJ_DEVICE_CONTROL] = kdrv_nt_procinfo_ioctl;
	drv->DriverUnload = kdrv_nt_procinfo_unload;

	return kdrv_nt_device_create(drv, &kdrv_nt_procinfo_name, &kdrv_nt_procinfo_link,
				     &kdrv_nt_procinfo_dev);
}
