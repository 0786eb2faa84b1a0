// SPDX-License-Identifier: GPL-2.0 OR MIT
/* kdrv_random as an NT driver: reads of \\.\KdrvRandom return that many CSPRNG bytes. */
#define KDRV_MODNAME "kdrv_random"
#include "kdrv_nt.h"
#include "random/random.h"

DRIVER_INITIALIZE DriverEntry;
static DRIVER_UNLOAD kdrv_nt_random_unload;
_Dispatch_type_(IRP_MJ_READ) static DRIVER_DISPATCH kdrv_nt_random_read;

static UNICODE_STRING kdrv_nt_random_name = RTL_CONSTANT_STRING(L"\\Device\\" KDRV_NT_RANDOM_NAME);
static UNICODE_STRING kdrv_nt_random_link =
    RTL_CONSTANT_STRING(L"\\DosDevices\\" KDRV_NT_RANDOM_NAME);
static DEVICE_OBJECT *kdrv_nt_random_dev;

static NTSTATUS kdrv_nt_random_read(DEVICE_OBJECT *dev, IRP *irp)
{
	IO_STACK_LOCATION *sp = IoGetCurrentIrpStackLocation(irp);
	struct kdrv_nt_sink s =
	    KDRV_NT_SINK(irp->AssociatedIrp.SystemBuffer, sp->Parameters.Read.Length);
	NTSTATUS status = STATUS_SUCCESS;
	int64_t ret;

	UNREFERENCED_PARAMETER(dev);
	ret = kdrv_random_read(&s.sink, s.cap);
	if (ret < 0) {
		status = kdrv_nt_status((int)ret);
		ret = 0;
	}
	return kdrv_nt_complete(irp, status, (ULONG_PTR)ret);
}

static void kdrv_nt_random_unload(DRIVER_OBJECT *drv)
{
	struct kdrv_random_stats st;

	UNREFERENCED_PARAMETER(drv);
	kdrv_nt_device_destroy(kdrv_nt_random_dev, &kdrv_nt_random_link);
	kdrv_random_stats(&st);
	kdrv_info("unloading after %lld reads, %lld bytes", (long long)st.reads,
		  (long long)st.bytes);
}

NTSTATUS DriverEntry(DRIVER_OBJECT *drv, UNICODE_STRING *reg)
{
	UNREFERENCED_PARAMETER(reg);
	drv->MajorFunction[IRP_MJ_CREATE] = kdrv_nt_dispatch_success;
	drv->MajorFunction[IRP_MJ_CLOSE] = kdrv_nt_dispatch_success;
	drv->MajorFunction[IRP_MJ_CLEANUP] = kdrv_nt_dispatch_success;
	drv->MajorFunction[IRP_MJ_READ] = kdrv_nt_random_read;
	drv->MajorFunction[IRP_MJ_DEVICE_CONTROL] = kdrv_nt_dispatch_unsupported;
	drv->DriverUnload = kdrv_nt_random_unload;

	return kdrv_nt_device_create(drv, &kdrv_nt_random_name, &kdrv_nt_random_link,
				     &kdrv_nt_random_dev);
}
