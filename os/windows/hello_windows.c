// SPDX-License-Identifier: GPL-2.0 OR MIT
/* kdrv_hello as an NT driver: DriverEntry and DriverUnload call the portable core. */
#define KDRV_MODNAME "kdrv_hello"
#include "kdrv_nt.h"
#include "hello/hello.h"

DRIVER_INITIALIZE DriverEntry;
static DRIVER_UNLOAD kdrv_nt_hello_unload;

/* Seed 003: NT passes strings as counted UTF-16, built here from a wide literal. */
static UNICODE_STRING kdrv_nt_hello_wide = RTL_CONSTANT_STRING(L"Hello from a UNICODE_STRING!");

static void kdrv_nt_hello_unload(DRIVER_OBJECT *drv)
{
	UNREFERENCED_PARAMETER(drv);
	kdrv_hello_uninit();
}

NTSTATUS DriverEntry(DRIVER_OBJECT *drv, UNICODE_STRING *reg)
{
	int err;

	UNREFERENCED_PARAMETER(reg);
	err = kdrv_hello_init();
	if (err)
		return kdrv_nt_status(err);
	kdrv_info("UNICODE_STRING: %.*ls (Length %u, MaximumLength %u)",
		  KDRV_NT_USTR(&kdrv_nt_hello_wide), kdrv_nt_hello_wide.Length,
		  kdrv_nt_hello_wide.MaximumLength);
	drv->DriverUnload = kdrv_nt_hello_unload;
	return STATUS_SUCCESS;
}
