// SPDX-License-Identifier: GPL-2.0 OR MIT
/* The generic NT driver: DriverEntry makes the image's one struct kdrv_driver a WDM driver. */
#include "kdrv_driver_nt.h"

DRIVER_INITIALIZE DriverEntry;
static DRIVER_UNLOAD kdrv_nt_unload;
_Dispatch_type_(IRP_MJ_CREATE) static DRIVER_DISPATCH kdrv_nt_dispatch_create;
_Dispatch_type_(IRP_MJ_CLEANUP) static DRIVER_DISPATCH kdrv_nt_dispatch_cleanup;
_Dispatch_type_(IRP_MJ_CLOSE) static DRIVER_DISPATCH kdrv_nt_dispatch_close;
_Dispatch_type_(IRP_MJ_DEVICE_CONTROL) static DRIVER_DISPATCH kdrv_nt_dispatch_ioctl;
static DRIVER_DISPATCH kdrv_nt_dispatch_unsupported;

_Static_assert((uint32_t)CTL_CODE(KDRV_NT_DEVICE_TYPE, 0x8ff, METHOD_BUFFERED, FILE_READ_ACCESS) ==
		   KDRV_IOCTL_STATS_NT,
	       "the ABI's spelled-out code is the CTL_CODE it documents");

/* Room for "\DosDevices\" and the longest nt_name the kit accepts. */
#define KDRV_NT_NAME_MAX 64
/* Room for any valid parameter and then some, so a too-long value still shows in the error. */
#define KDRV_NT_PARAM_MAX 32

struct kdrv_device *kdrv_nt_dev;
static DEVICE_OBJECT *kdrv_nt_obj;
static WCHAR kdrv_nt_link_buf[KDRV_NT_NAME_MAX];
static UNICODE_STRING kdrv_nt_link;

NTSTATUS kdrv_nt_complete(IRP *irp, NTSTATUS status, ULONG_PTR info)
{
	irp->IoStatus.Status = status;
	irp->IoStatus.Information = info;
	IoCompleteRequest(irp, IO_NO_INCREMENT);
	return status;
}

/* A counted string from ASCII text, built at run time since the names come from the description. */
static int kdrv_nt_ustr(UNICODE_STRING *u, WCHAR *buf, size_t cap, const char *prefix,
			const char *name)
{
	size_t n = 0;
	const char *s;

	for (s = prefix; *s; s++)
		buf[n++] = (WCHAR)*s;
	for (s = name; *s; s++) {
		if (n == cap || (unsigned char)*s >= 0x80)
			return -KDRV_EINVAL;
		buf[n++] = (WCHAR)*s;
	}
	u->Buffer = buf;
	u->Length = (USHORT)(n * sizeof(WCHAR));
	u->MaximumLength = (USHORT)(cap * sizeof(WCHAR));
	return 0;
}

/*
 * Hands one value of the service's Parameters key to kdrv_param_set() as the
 * text a Linux module parameter would be, so both OSes validate alike: a
 * REG_DWORD is written out in decimal first; an absent value is skipped.
 */
static int kdrv_nt_param_read(HANDLE key, const struct kdrv_param *p)
{
	union {
		KEY_VALUE_PARTIAL_INFORMATION info;
		uint8_t
		    raw[sizeof(KEY_VALUE_PARTIAL_INFORMATION) + KDRV_NT_PARAM_MAX * sizeof(WCHAR)];
	} buf;
	WCHAR name_buf[KDRV_NT_NAME_MAX];
	char val[KDRV_NT_PARAM_MAX + 1];
	const WCHAR *w = (const WCHAR *)buf.info.Data;
	UNICODE_STRING name;
	NTSTATUS status;
	ULONG got, dword;
	size_t i, n;

	if (kdrv_nt_ustr(&name, name_buf, KDRV_NT_NAME_MAX, "", p->name))
		return -KDRV_EINVAL;
	status = ZwQueryValueKey(key, &name, KeyValuePartialInformation, &buf, sizeof(buf), &got);
	if (status == STATUS_OBJECT_NAME_NOT_FOUND)
		return 0;
	if (NT_SUCCESS(status) && buf.info.Type == REG_DWORD &&
	    buf.info.DataLength == sizeof(dword)) {
		memcpy(&dword, buf.info.Data, sizeof(dword));
		snprintf(val, sizeof(val), "%lu", dword);
		return kdrv_param_set(p, val);
	}
	if (!NT_SUCCESS(status) || buf.info.Type != REG_SZ) {
		kdrv_err("Parameters\\%s must be a REG_SZ or REG_DWORD of at most %d characters",
			 p->name, KDRV_NT_PARAM_MAX);
		return -KDRV_EINVAL;
	}
	/* Valid values are ASCII; '?' keeps anything else printable in the kit's error. */
	n = kdrv_min(buf.info.DataLength / sizeof(WCHAR), KDRV_NT_PARAM_MAX);
	for (i = 0; i < n && w[i]; i++)
		val[i] = w[i] < 0x80 ? (char)w[i] : '?';
	val[i] = '\0';
	return kdrv_param_set(p, val);
}

/* Sets every parameter the service's Parameters key has; the rest keep their defaults. */
static int kdrv_nt_params_read(UNICODE_STRING *reg, const struct kdrv_param *const *params)
{
	static UNICODE_STRING sub = RTL_CONSTANT_STRING(L"Parameters");
	OBJECT_ATTRIBUTES oa;
	HANDLE service, key;
	NTSTATUS status;
	int err = 0;

	if (!params || !*params)
		return 0;
	InitializeObjectAttributes(&oa, reg, OBJ_KERNEL_HANDLE | OBJ_CASE_INSENSITIVE, NULL, NULL);
	status = ZwOpenKey(&service, KEY_READ, &oa);
	if (!NT_SUCCESS(status)) {
		kdrv_err("cannot open %.*ls: 0x%08lx", KDRV_NT_USTR(reg), status);
		return -KDRV_EIO;
	}
	InitializeObjectAttributes(&oa, &sub, OBJ_KERNEL_HANDLE | OBJ_CASE_INSENSITIVE, service,
				   NULL);
	status = ZwOpenKey(&key, KEY_READ, &oa);
	if (status == STATUS_OBJECT_NAME_NOT_FOUND)
		goto out_close_service;
	if (!NT_SUCCESS(status)) {
		kdrv_err("cannot open %.*ls\\Parameters: 0x%08lx", KDRV_NT_USTR(reg), status);
		err = -KDRV_EIO;
		goto out_close_service;
	}
	for (; *params && !err; params++)
		err = kdrv_nt_param_read(key, *params);
	ZwClose(key);
out_close_service:
	ZwClose(service);
	return err;
}

/* A CTL_CODE's device type and function, which name an ioctl whatever its access and method. */
#define KDRV_NT_FUNCTION_MASK 0xffff3ffcu

/* What kdrv_driver_check() cannot know: the NT side of the description. */
static int kdrv_nt_check(const struct kdrv_driver *drv)
{
	const struct kdrv_ioctl *io;

	for (io = drv->ioctls; io && io->call; io++) {
		if ((io->nt_code & 3) != METHOD_BUFFERED ||
		    (io->nt_code & KDRV_NT_FUNCTION_MASK) ==
			(KDRV_IOCTL_STATS_NT & KDRV_NT_FUNCTION_MASK)) {
			kdrv_err("description: NT ioctl 0x%08x must be METHOD_BUFFERED and not the "
				 "kit's function of 0x%08x",
				 (unsigned int)io->nt_code, KDRV_IOCTL_STATS_NT);
			return -KDRV_EINVAL;
		}
	}
	return 0;
}

static NTSTATUS kdrv_nt_device_create(DRIVER_OBJECT *obj, const struct kdrv_driver *drv)
{
	WCHAR name_buf[KDRV_NT_NAME_MAX];
	UNICODE_STRING name;
	DEVICE_OBJECT *d;
	NTSTATUS status;

	if (kdrv_nt_ustr(&name, name_buf, KDRV_NT_NAME_MAX, "\\Device\\", drv->nt_name) ||
	    kdrv_nt_ustr(&kdrv_nt_link, kdrv_nt_link_buf, KDRV_NT_NAME_MAX, "\\DosDevices\\",
			 drv->nt_name)) {
		kdrv_err("description: nt_name '%s' is not ASCII of at most %d characters",
			 drv->nt_name, KDRV_NT_NAME_MAX - (int)sizeof("\\DosDevices\\") + 1);
		return STATUS_INVALID_PARAMETER;
	}
	status = IoCreateDevice(obj, sizeof(struct kdrv_device), &name, KDRV_NT_DEVICE_TYPE,
				FILE_DEVICE_SECURE_OPEN, FALSE, &d);
	if (!NT_SUCCESS(status)) {
		kdrv_err("cannot create %.*ls: 0x%08lx", KDRV_NT_USTR(&name), status);
		return status;
	}
	d->Flags |= DO_BUFFERED_IO;
	kdrv_nt_dev = d->DeviceExtension;
	kdrv_nt_dev->drv = drv;
	kdrv_nt_io_init(kdrv_nt_dev);

	status = IoCreateSymbolicLink(&kdrv_nt_link, &name);
	if (!NT_SUCCESS(status)) {
		kdrv_err("cannot link %.*ls: 0x%08lx", KDRV_NT_USTR(&kdrv_nt_link), status);
		goto err_delete_device;
	}
	d->Flags &= ~DO_DEVICE_INITIALIZING;
	kdrv_nt_obj = d;
	kdrv_info("%.*ls ready", KDRV_NT_USTR(&kdrv_nt_link));
	return STATUS_SUCCESS;

err_delete_device:
	kdrv_nt_dev = NULL;
	IoDeleteDevice(d);
	return status;
}

static void kdrv_nt_device_destroy(void)
{
	kdrv_nt_io_cancel(kdrv_nt_dev, NULL);
	IoDeleteSymbolicLink(&kdrv_nt_link);
	IoDeleteDevice(kdrv_nt_obj);
	kdrv_nt_obj = NULL;
	kdrv_nt_dev = NULL;
}

/*
 * The create's DesiredAccess says how the file was opened. Wine 8.0 passes no
 * SecurityContext at all, so there every file counts as opened for both.
 */
static unsigned int kdrv_nt_open_flags(IO_STACK_LOCATION *sp)
{
	IO_SECURITY_CONTEXT *sc = sp->Parameters.Create.SecurityContext;
	ACCESS_MASK access;
	unsigned int flags = 0;

	if (!sc)
		return KDRV_O_READ | KDRV_O_WRITE;
	access = sc->DesiredAccess;
	if (access & (FILE_READ_DATA | GENERIC_READ | GENERIC_ALL | MAXIMUM_ALLOWED))
		flags |= KDRV_O_READ;
	if (access &
	    (FILE_WRITE_DATA | FILE_APPEND_DATA | GENERIC_WRITE | GENERIC_ALL | MAXIMUM_ALLOWED))
		flags |= KDRV_O_WRITE;
	return flags;
}

static NTSTATUS kdrv_nt_dispatch_create(DEVICE_OBJECT *obj, IRP *irp)
{
	struct kdrv_device *dev = obj->DeviceExtension;
	const struct kdrv_driver *drv = dev->drv;
	IO_STACK_LOCATION *sp = IoGetCurrentIrpStackLocation(irp);
	struct kdrv_nt_file *f;
	NTSTATUS status;
	int err = 0;

	f = kdrv_os_alloc(sizeof(*f) + drv->file_size);
	if (!f) {
		err = -KDRV_ENOMEM;
		goto out;
	}
	f->file.priv = drv->file_size ? f->priv : NULL;
	f->file.dev = dev;
	f->file.flags = kdrv_nt_open_flags(sp);
	if (drv->open)
		err = drv->open(&f->file);
	if (err) {
		kdrv_os_free(f);
		goto out;
	}
	sp->FileObject->FsContext = f;
out:
	status = kdrv_nt_complete(irp, kdrv_nt_status(err), 0);
	kdrv_nt_io_retry(dev);
	return status;
}

/* The last handle went away: what it left waiting is cancelled, as NT wants it done here. */
static NTSTATUS kdrv_nt_dispatch_cleanup(DEVICE_OBJECT *obj, IRP *irp)
{
	struct kdrv_device *dev = obj->DeviceExtension;
	NTSTATUS status;

	kdrv_dbg("IRP_MJ_CLEANUP");
	kdrv_nt_io_cancel(dev, IoGetCurrentIrpStackLocation(irp)->FileObject);
	status = kdrv_nt_complete(irp, STATUS_SUCCESS, 0);
	kdrv_nt_io_retry(dev);
	return status;
}

/* Wine 8.0 sends no IRP_MJ_CLEANUP, so close cancels too before the file is released. */
static NTSTATUS kdrv_nt_dispatch_close(DEVICE_OBJECT *obj, IRP *irp)
{
	struct kdrv_device *dev = obj->DeviceExtension;
	FILE_OBJECT *fo = IoGetCurrentIrpStackLocation(irp)->FileObject;
	struct kdrv_nt_file *f = fo->FsContext;
	NTSTATUS status;

	kdrv_nt_io_cancel(dev, fo);
	if (f) {
		if (dev->drv->release)
			dev->drv->release(&f->file);
		kdrv_os_free(f);
		fo->FsContext = NULL;
	}
	status = kdrv_nt_complete(irp, STATUS_SUCCESS, 0);
	kdrv_nt_io_retry(dev);
	return status;
}

/* KDRV_IOCTL_STATS_NT: "name value\n" per counter, all of them or nothing. */
static int kdrv_nt_stats(const struct kdrv_driver *drv, struct kdrv_sink *out)
{
	const struct kdrv_stat *st;
	char line[128];
	int n;

	for (st = drv->stats; st && st->name; st++) {
		n = snprintf(line, sizeof(line), "%s %lld\n", st->name,
			     (long long)kdrv_counter_read(st->counter));
		if (out->copy(out, line, (size_t)n) != (size_t)n)
			return -KDRV_ERANGE;
	}
	return 0;
}

/* METHOD_BUFFERED: input and output share the system buffer, each with its own length. */
static NTSTATUS kdrv_nt_dispatch_ioctl(DEVICE_OBJECT *obj, IRP *irp)
{
	struct kdrv_device *dev = obj->DeviceExtension;
	IO_STACK_LOCATION *sp = IoGetCurrentIrpStackLocation(irp);
	uint32_t code = sp->Parameters.DeviceIoControl.IoControlCode;
	struct kdrv_nt_file *f = sp->FileObject->FsContext;
	struct kdrv_nt_source in = KDRV_NT_SOURCE(irp->AssociatedIrp.SystemBuffer,
						  sp->Parameters.DeviceIoControl.InputBufferLength);
	struct kdrv_nt_sink out = KDRV_NT_SINK(irp->AssociatedIrp.SystemBuffer,
					       sp->Parameters.DeviceIoControl.OutputBufferLength);
	const struct kdrv_ioctl *io;
	NTSTATUS status;
	size_t done = 0;
	int err;

	if (code == KDRV_IOCTL_STATS_NT) {
		err = kdrv_nt_stats(dev->drv, &out.sink);
		done = out.done;
	} else if ((io = kdrv_ioctl_find(dev->drv, code, true))) {
		err = kdrv_ioctl_call(io, &f->file, &in.source, &out.sink, &done);
	} else {
		err = -KDRV_ENOTTY;
	}
	status = kdrv_nt_complete(irp, kdrv_nt_status(err), err ? 0 : done);
	kdrv_nt_io_retry(dev);
	return status;
}

static NTSTATUS kdrv_nt_dispatch_unsupported(DEVICE_OBJECT *obj, IRP *irp)
{
	UNREFERENCED_PARAMETER(obj);
	return kdrv_nt_complete(irp, STATUS_INVALID_DEVICE_REQUEST, 0);
}

/* One line, "unloading: NAME VALUE, NAME VALUE", as long as the log takes; then another. */
static void kdrv_nt_log_stats(const struct kdrv_driver *drv)
{
	const struct kdrv_stat *st;
	char line[200];
	size_t used = 0;

	for (st = drv->stats; st && st->name; st++) {
		if (used > sizeof(line) - 64) {
			kdrv_info("unloading: %s", line);
			used = 0;
		}
		used += (size_t)snprintf(line + used, sizeof(line) - used, "%s%s %lld",
					 used ? ", " : "", st->name,
					 (long long)kdrv_counter_read(st->counter));
	}
	if (used)
		kdrv_info("unloading: %s", line);
}

static void kdrv_nt_unload(DRIVER_OBJECT *obj)
{
	const struct kdrv_driver *drv = kdrv_this_driver;

	UNREFERENCED_PARAMETER(obj);
	if (kdrv_nt_obj)
		kdrv_nt_device_destroy();
	if (drv->exit)
		drv->exit();
	kdrv_nt_log_stats(drv);
}

NTSTATUS DriverEntry(DRIVER_OBJECT *obj, UNICODE_STRING *reg)
{
	const struct kdrv_driver *drv = kdrv_this_driver;
	NTSTATUS status;
	int err, i;

	err = kdrv_driver_check(drv);
	if (!err)
		err = kdrv_nt_check(drv);
	if (!err)
		err = kdrv_nt_params_read(reg, drv->params);
	if (!err && drv->init)
		err = drv->init();
	if (err)
		return kdrv_nt_status(err);

	for (i = 0; i <= IRP_MJ_MAXIMUM_FUNCTION; i++)
		obj->MajorFunction[i] = kdrv_nt_dispatch_unsupported;
	obj->MajorFunction[IRP_MJ_CREATE] = kdrv_nt_dispatch_create;
	obj->MajorFunction[IRP_MJ_CLEANUP] = kdrv_nt_dispatch_cleanup;
	obj->MajorFunction[IRP_MJ_CLOSE] = kdrv_nt_dispatch_close;
	obj->MajorFunction[IRP_MJ_READ] = kdrv_nt_dispatch_rw;
	obj->MajorFunction[IRP_MJ_WRITE] = kdrv_nt_dispatch_rw;
	obj->MajorFunction[IRP_MJ_DEVICE_CONTROL] = kdrv_nt_dispatch_ioctl;
	obj->DriverUnload = kdrv_nt_unload;

	if (drv->nt_name) {
		status = kdrv_nt_device_create(obj, drv);
		if (!NT_SUCCESS(status))
			goto err_exit;
	}
	return STATUS_SUCCESS;

err_exit:
	if (drv->exit)
		drv->exit();
	return status;
}
