// SPDX-License-Identifier: GPL-2.0 OR MIT
/* The generic NT driver: DriverEntry makes the image's one struct kdrv_driver a WDM driver. */
#include "kdrv_driver_nt.h"

DRIVER_INITIALIZE DriverEntry;
static DRIVER_UNLOAD kdrv_nt_unload;
_Dispatch_type_(IRP_MJ_CREATE) _Dispatch_type_(IRP_MJ_CLEANUP) _Dispatch_type_(IRP_MJ_CLOSE)
    _Dispatch_type_(IRP_MJ_READ) _Dispatch_type_(IRP_MJ_WRITE)
	_Dispatch_type_(IRP_MJ_DEVICE_CONTROL) static DRIVER_DISPATCH kdrv_nt_dispatch;

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

/*
 * Unloading waits for every request still in the image. Wine 8.0 exports
 * ExAcquireRundownProtection and its kin as stubs that kill the driver host,
 * so the count is written out: bit 0 says DriverUnload began; the rest counts,
 * in twos, the dispatch routines running and the IRPs pended. The statistics
 * show in the unload line: requests taken, completed (equal once drained:
 * none completed twice or lost) and refused while unloading.
 */
static volatile LONG kdrv_nt_refs;
static KEVENT kdrv_nt_drained;
static volatile LONG kdrv_nt_taken, kdrv_nt_completed, kdrv_nt_refused;

NTSTATUS kdrv_nt_complete(IRP *irp, NTSTATUS status, ULONG_PTR info)
{
	irp->IoStatus.Status = status;
	irp->IoStatus.Information = info;
	InterlockedIncrement(&kdrv_nt_completed);
	IoCompleteRequest(irp, IO_NO_INCREMENT);
	return status;
}

/* A reference for a dispatch routine; false once DriverUnload began. */
static bool kdrv_nt_enter(void)
{
	LONG v;

	do {
		v = InterlockedCompareExchange(&kdrv_nt_refs, 0, 0);
		if (v & 1)
			return false;
	} while (InterlockedCompareExchange(&kdrv_nt_refs, v + 2, v) != v);
	InterlockedIncrement(&kdrv_nt_taken);
	return true;
}

void kdrv_nt_hold(void)
{
	InterlockedExchangeAdd(&kdrv_nt_refs, 2);
}

void kdrv_nt_release(void)
{
	if (InterlockedExchangeAdd(&kdrv_nt_refs, -2) == 3)
		KeSetEvent(&kdrv_nt_drained, IO_NO_INCREMENT, FALSE);
}

/* Refuses every later request; true if references remain, for kdrv_nt_drain_wait(). */
static bool kdrv_nt_drain_begin(void)
{
	return InterlockedExchangeAdd(&kdrv_nt_refs, 1) != 0;
}

static void kdrv_nt_drain_wait(bool busy)
{
	if (busy)
		KeWaitForSingleObject(&kdrv_nt_drained, Executive, KernelMode, FALSE, NULL);
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
	d->Flags |= DO_DIRECT_IO;
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

static NTSTATUS kdrv_nt_create(struct kdrv_device *dev, IRP *irp)
{
	const struct kdrv_driver *drv = dev->drv;
	IO_STACK_LOCATION *sp = IoGetCurrentIrpStackLocation(irp);
	struct kdrv_nt_file *f;
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
	return kdrv_nt_complete(irp, kdrv_nt_status(err), 0);
}

/* The last handle went away: what it left waiting is cancelled, as NT wants it done here. */
static NTSTATUS kdrv_nt_cleanup(struct kdrv_device *dev, IRP *irp)
{
	kdrv_dbg("IRP_MJ_CLEANUP");
	kdrv_nt_io_cancel(dev, IoGetCurrentIrpStackLocation(irp)->FileObject);
	return kdrv_nt_complete(irp, STATUS_SUCCESS, 0);
}

/* Wine 8.0 sends no IRP_MJ_CLEANUP, so close cancels too before the file is released. */
static NTSTATUS kdrv_nt_close(struct kdrv_device *dev, IRP *irp)
{
	FILE_OBJECT *fo = IoGetCurrentIrpStackLocation(irp)->FileObject;
	struct kdrv_nt_file *f = fo->FsContext;

	kdrv_nt_io_cancel(dev, fo);
	if (f) {
		if (dev->drv->release)
			dev->drv->release(&f->file);
		kdrv_os_free(f);
		fo->FsContext = NULL;
	}
	return kdrv_nt_complete(irp, STATUS_SUCCESS, 0);
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
static NTSTATUS kdrv_nt_ioctl(struct kdrv_device *dev, IRP *irp)
{
	IO_STACK_LOCATION *sp = IoGetCurrentIrpStackLocation(irp);
	uint32_t code = sp->Parameters.DeviceIoControl.IoControlCode;
	struct kdrv_nt_file *f = sp->FileObject->FsContext;
	struct kdrv_nt_source in = KDRV_NT_SOURCE(irp->AssociatedIrp.SystemBuffer,
						  sp->Parameters.DeviceIoControl.InputBufferLength);
	struct kdrv_nt_sink out = KDRV_NT_SINK(irp->AssociatedIrp.SystemBuffer,
					       sp->Parameters.DeviceIoControl.OutputBufferLength);
	const struct kdrv_ioctl *io;
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
	return kdrv_nt_complete(irp, kdrv_nt_status(err), err ? 0 : done);
}

/*
 * Every request enters here and holds a reference while it runs, so that
 * DriverUnload waits for it. One that comes after DriverUnload began is
 * refused without a look at the device, which may be gone. Each request
 * ends with the retry of pended IRPs (see kdrv_nt_io_retry()).
 */
static NTSTATUS kdrv_nt_dispatch(DEVICE_OBJECT *obj, IRP *irp)
{
	struct kdrv_device *dev;
	NTSTATUS status;

	if (!kdrv_nt_enter()) {
		InterlockedIncrement(&kdrv_nt_refused);
		irp->IoStatus.Status = STATUS_DELETE_PENDING;
		irp->IoStatus.Information = 0;
		IoCompleteRequest(irp, IO_NO_INCREMENT);
		return STATUS_DELETE_PENDING;
	}
	dev = obj->DeviceExtension;
	switch (IoGetCurrentIrpStackLocation(irp)->MajorFunction) {
	case IRP_MJ_CREATE:
		status = kdrv_nt_create(dev, irp);
		break;
	case IRP_MJ_CLEANUP:
		status = kdrv_nt_cleanup(dev, irp);
		break;
	case IRP_MJ_CLOSE:
		status = kdrv_nt_close(dev, irp);
		break;
	case IRP_MJ_READ:
	case IRP_MJ_WRITE:
		status = kdrv_nt_io_rw(dev, irp);
		break;
	case IRP_MJ_DEVICE_CONTROL:
		status = kdrv_nt_ioctl(dev, irp);
		break;
	default:
		status = kdrv_nt_complete(irp, STATUS_INVALID_DEVICE_REQUEST, 0);
		break;
	}
	kdrv_nt_io_retry(dev);
	kdrv_nt_release();
	return status;
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

/*
 * First no new request gets in, then what is pended is cancelled and none may
 * pend again, then the last request leaves; only then do the device and the
 * driver's state go. Windows unloads a legacy driver only once no file of its
 * devices is open, so this waits for nothing there; Wine unloads under open
 * files and running requests, from another thread than the one that
 * dispatches them.
 */
static void kdrv_nt_unload(DRIVER_OBJECT *obj)
{
	const struct kdrv_driver *drv = kdrv_this_driver;
	bool busy;

	UNREFERENCED_PARAMETER(obj);
	busy = kdrv_nt_drain_begin();
	if (kdrv_nt_obj)
		kdrv_nt_io_close(kdrv_nt_dev);
	kdrv_nt_drain_wait(busy);
	if (kdrv_nt_obj)
		kdrv_nt_device_destroy();
	if (drv->exit)
		drv->exit();
	kdrv_nt_log_stats(drv);
	kdrv_info("requests: %ld taken, %ld completed, %ld refused while unloading",
		  (long)kdrv_nt_taken, (long)kdrv_nt_completed, (long)kdrv_nt_refused);
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

	KeInitializeEvent(&kdrv_nt_drained, NotificationEvent, FALSE);
	for (i = 0; i <= IRP_MJ_MAXIMUM_FUNCTION; i++)
		obj->MajorFunction[i] = kdrv_nt_dispatch;
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
