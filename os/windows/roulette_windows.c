// SPDX-License-Identifier: GPL-2.0 OR MIT
/* kdrv_roulette as an NT driver: each open of \\.\KdrvRoulette spins once, a read tells. */
#define KDRV_MODNAME "kdrv_roulette"
#include "kdrv_nt.h"
#include "roulette/roulette.h"

/* Room for any valid parameter and then some, so a too-long value still shows in the error. */
#define KDRV_NT_ROULETTE_PARAM_MAX 32

DRIVER_INITIALIZE DriverEntry;
static DRIVER_UNLOAD kdrv_nt_roulette_unload;
_Dispatch_type_(IRP_MJ_CREATE) static DRIVER_DISPATCH kdrv_nt_roulette_create;
_Dispatch_type_(IRP_MJ_CLOSE) static DRIVER_DISPATCH kdrv_nt_roulette_close;
_Dispatch_type_(IRP_MJ_READ) static DRIVER_DISPATCH kdrv_nt_roulette_read;

static UNICODE_STRING kdrv_nt_roulette_name =
    RTL_CONSTANT_STRING(L"\\Device\\" KDRV_NT_ROULETTE_NAME);
static UNICODE_STRING kdrv_nt_roulette_link =
    RTL_CONSTANT_STRING(L"\\DosDevices\\" KDRV_NT_ROULETTE_NAME);
static DEVICE_OBJECT *kdrv_nt_roulette_dev;

/* One open file: its spin, and how much of the survivor's text was read. */
struct kdrv_nt_roulette_file {
	struct kdrv_roulette_spin spin;
	uint64_t pos;
};

/*
 * Hands one value of the service's Parameters key to a core setter as the
 * string a Linux module parameter would be, so both OSes validate alike.
 * A REG_DWORD is written out in decimal first; an absent value is skipped.
 */
static int kdrv_nt_roulette_apply(HANDLE key, UNICODE_STRING *name, int (*set)(const char *),
				  bool *found)
{
	union {
		KEY_VALUE_PARTIAL_INFORMATION info;
		uint8_t raw[sizeof(KEY_VALUE_PARTIAL_INFORMATION) +
			    KDRV_NT_ROULETTE_PARAM_MAX * sizeof(WCHAR)];
	} buf;
	char val[KDRV_NT_ROULETTE_PARAM_MAX + 1];
	const WCHAR *w = (const WCHAR *)buf.info.Data;
	NTSTATUS status;
	ULONG got, dword;
	size_t i, n;

	*found = false;
	status = ZwQueryValueKey(key, name, KeyValuePartialInformation, &buf, sizeof(buf), &got);
	if (status == STATUS_OBJECT_NAME_NOT_FOUND)
		return 0;
	*found = true;
	if (NT_SUCCESS(status) && buf.info.Type == REG_DWORD &&
	    buf.info.DataLength == sizeof(dword)) {
		memcpy(&dword, buf.info.Data, sizeof(dword));
		snprintf(val, sizeof(val), "%lu", dword);
		return set(val);
	}
	if (!NT_SUCCESS(status) || buf.info.Type != REG_SZ) {
		kdrv_err("Parameters\\%.*ls must be a REG_SZ or REG_DWORD of at most %d characters",
			 KDRV_NT_USTR(name), KDRV_NT_ROULETTE_PARAM_MAX);
		return -KDRV_EINVAL;
	}
	/* Valid values are ASCII; '?' keeps anything else printable in the core's error. */
	n = kdrv_min(buf.info.DataLength / sizeof(WCHAR), KDRV_NT_ROULETTE_PARAM_MAX);
	for (i = 0; i < n && w[i]; i++)
		val[i] = w[i] < 0x80 ? (char)w[i] : '?';
	val[i] = '\0';
	return set(val);
}

/* Sets *chance from the registry, or to -1 for a random C as when Linux loads without one. */
static int kdrv_nt_roulette_params(UNICODE_STRING *reg, int *chance)
{
	static UNICODE_STRING params = RTL_CONSTANT_STRING(L"Parameters");
	static UNICODE_STRING chance_name = RTL_CONSTANT_STRING(L"chance");
	static UNICODE_STRING boom_name = RTL_CONSTANT_STRING(L"boom");
	OBJECT_ATTRIBUTES oa;
	HANDLE service, key;
	NTSTATUS status;
	bool found;
	int err = 0;

	*chance = -1;
	InitializeObjectAttributes(&oa, reg, OBJ_KERNEL_HANDLE | OBJ_CASE_INSENSITIVE, NULL, NULL);
	status = ZwOpenKey(&service, KEY_READ, &oa);
	if (!NT_SUCCESS(status)) {
		kdrv_err("cannot open %.*ls: 0x%08lx", KDRV_NT_USTR(reg), status);
		return -KDRV_EIO;
	}
	InitializeObjectAttributes(&oa, &params, OBJ_KERNEL_HANDLE | OBJ_CASE_INSENSITIVE, service,
				   NULL);
	status = ZwOpenKey(&key, KEY_READ, &oa);
	if (status == STATUS_OBJECT_NAME_NOT_FOUND)
		goto out_close_service;
	if (!NT_SUCCESS(status)) {
		kdrv_err("cannot open %.*ls\\Parameters: 0x%08lx", KDRV_NT_USTR(reg), status);
		err = -KDRV_EIO;
		goto out_close_service;
	}

	err = kdrv_nt_roulette_apply(key, &chance_name, kdrv_roulette_set_chance, &found);
	if (!err && found)
		*chance = kdrv_roulette_chance();
	if (!err)
		err = kdrv_nt_roulette_apply(key, &boom_name, kdrv_roulette_set_boom, &found);

	ZwClose(key);
out_close_service:
	ZwClose(service);
	return err;
}

static NTSTATUS kdrv_nt_roulette_create(DEVICE_OBJECT *dev, IRP *irp)
{
	IO_STACK_LOCATION *sp = IoGetCurrentIrpStackLocation(irp);
	struct kdrv_nt_roulette_file *f;
	int err;

	UNREFERENCED_PARAMETER(dev);
	f = kdrv_os_alloc(sizeof(*f));
	err = f ? kdrv_roulette_spin(&f->spin) : -KDRV_ENOMEM;
	if (err)
		kdrv_os_free(f);
	else
		sp->FileObject->FsContext = f;
	return kdrv_nt_complete(irp, kdrv_nt_status(err), 0);
}

static NTSTATUS kdrv_nt_roulette_close(DEVICE_OBJECT *dev, IRP *irp)
{
	IO_STACK_LOCATION *sp = IoGetCurrentIrpStackLocation(irp);

	UNREFERENCED_PARAMETER(dev);
	kdrv_os_free(sp->FileObject->FsContext);
	return kdrv_nt_complete(irp, STATUS_SUCCESS, 0);
}

/* A Boom detonates here, not at open, so a failed read leaves a handle the caller can close. */
static NTSTATUS kdrv_nt_roulette_read(DEVICE_OBJECT *dev, IRP *irp)
{
	IO_STACK_LOCATION *sp = IoGetCurrentIrpStackLocation(irp);
	struct kdrv_nt_roulette_file *f = sp->FileObject->FsContext;
	struct kdrv_nt_sink s =
	    KDRV_NT_SINK(irp->AssociatedIrp.SystemBuffer, sp->Parameters.Read.Length);
	NTSTATUS status = STATUS_SUCCESS;
	int64_t ret;

	UNREFERENCED_PARAMETER(dev);
	ret = kdrv_roulette_read(&f->spin, f->pos, &s.sink, s.cap);
	if (ret < 0) {
		status = kdrv_nt_status((int)ret);
		ret = 0;
	}
	f->pos += (uint64_t)ret;
	return kdrv_nt_complete(irp, status, (ULONG_PTR)ret);
}

static void kdrv_nt_roulette_unload(DRIVER_OBJECT *drv)
{
	struct kdrv_roulette_stats st;

	UNREFERENCED_PARAMETER(drv);
	kdrv_nt_device_destroy(kdrv_nt_roulette_dev, &kdrv_nt_roulette_link);
	kdrv_roulette_stats(&st);
	kdrv_info(
	    "unloading after %lld spins: %lld survived, booms: %lld error, %lld warn, %lld oops",
	    (long long)st.spins, (long long)st.survivals, (long long)st.booms[KDRV_BOOM_ERROR],
	    (long long)st.booms[KDRV_BOOM_WARN], (long long)st.booms[KDRV_BOOM_OOPS]);
}

NTSTATUS DriverEntry(DRIVER_OBJECT *drv, UNICODE_STRING *reg)
{
	int chance, err;

	err = kdrv_nt_roulette_params(reg, &chance);
	if (!err)
		err = kdrv_roulette_init(chance);
	if (err)
		return kdrv_nt_status(err);
	kdrv_info("boom=%s", kdrv_roulette_boom_name(kdrv_roulette_boom()));
	if (kdrv_roulette_boom() == KDRV_BOOM_OOPS)
		kdrv_warn("boom=oops: Windows has no oops that spares the system, a Boom fails the "
			  "read as with boom=error");

	drv->MajorFunction[IRP_MJ_CREATE] = kdrv_nt_roulette_create;
	drv->MajorFunction[IRP_MJ_CLOSE] = kdrv_nt_roulette_close;
	drv->MajorFunction[IRP_MJ_CLEANUP] = kdrv_nt_dispatch_success;
	drv->MajorFunction[IRP_MJ_READ] = kdrv_nt_roulette_read;
	drv->MajorFunction[IRP_MJ_DEVICE_CONTROL] = kdrv_nt_dispatch_unsupported;
	drv->DriverUnload = kdrv_nt_roulette_unload;

	return kdrv_nt_device_create(drv, &kdrv_nt_roulette_name, &kdrv_nt_roulette_link,
				     &kdrv_nt_roulette_dev);
}
