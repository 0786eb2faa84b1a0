// SPDX-License-Identifier: GPL-2.0 OR MIT
/* The seam on the NT kernel: logging, pool, address probing and the one errno-to-NTSTATUS map. */
#include "kdrv_nt.h"

/* The WDK writes 'vrdK'; the bytes in memory, and so poolmon and !poolused, read "Kdrv". */
#define KDRV_NT_POOL_TAG 0x7672644bu

/* dpfilter.h numbers INFO as more verbose than TRACE, so debug lines map to INFO. */
static const ULONG kdrv_nt_levels[] = {
	[KDRV_LOG_ERR] = DPFLTR_ERROR_LEVEL,
	[KDRV_LOG_WARN] = DPFLTR_WARNING_LEVEL,
	[KDRV_LOG_INFO] = DPFLTR_TRACE_LEVEL,
	[KDRV_LOG_DEBUG] = DPFLTR_INFO_LEVEL,
};

void kdrv_os_log(enum kdrv_log_level level, const char *fmt, ...)
{
	va_list args;

	va_start(args, fmt);
	vDbgPrintEx(DPFLTR_IHVDRIVER_ID, kdrv_nt_levels[level], fmt, args);
	va_end(args);
}

int kdrv_nt_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list args;
	int n;

	if (!size)
		return 0;
	va_start(args, fmt);
	n = _vsnprintf(buf, size - 1, fmt, args);
	va_end(args);
	if (n < 0 || (size_t)n >= size)
		n = (int)(size - 1);
	buf[n] = '\0';
	return n;
}

uint64_t kdrv_base_now_ms(void)
{
	return KeQueryInterruptTime() / 10000;
}

/*
 * Non-executable pool needs Windows 8; ExAllocatePool2 would need Windows 10
 * 2004, and mingw does not declare it.
 */
void *kdrv_os_alloc(size_t size)
{
	void *p = ExAllocatePoolWithTag(NonPagedPoolNx, size, KDRV_NT_POOL_TAG);

	if (p)
		RtlZeroMemory(p, size);
	return p;
}

void kdrv_os_free(void *p)
{
	if (p)
		ExFreePoolWithTag(p, KDRV_NT_POOL_TAG);
}

/* Threads at PASSIVE_LEVEL are preempted by the NT scheduler; there is nothing to yield to. */
void kdrv_os_yield(void)
{
}

/*
 * NT sends no signals into a driver: a caller stops a request by cancelling
 * its IRP, which the seam cannot see. PsIsThreadTerminating would be the
 * closest test, but Wine 8.0 exports it as a stub that kills the driver host.
 */
bool kdrv_os_interrupted(void)
{
	return false;
}

bool kdrv_os_addr_readable(uintptr_t addr, const char **how)
{
	*how = "MmIsAddressValid";
	return MmIsAddressValid((void *)addr);
}

/*
 * Each status is picked for the Win32 error RtlNtStatusToDosError turns it
 * into, one per errno, so kdrvctl can say what a Linux caller would see.
 */
NTSTATUS kdrv_nt_status(int err)
{
	switch (err) {
	case 0:
		return STATUS_SUCCESS;
	case -KDRV_EPERM:
		return STATUS_ACCESS_DENIED; /* ERROR_ACCESS_DENIED */
	case -KDRV_ESRCH:
		return STATUS_NOT_FOUND; /* ERROR_NOT_FOUND */
	case -KDRV_EINTR:
	case -KDRV_ERESTARTSYS:
		return STATUS_CANCELLED; /* ERROR_OPERATION_ABORTED */
	case -KDRV_EIO:
		return STATUS_IO_DEVICE_ERROR; /* ERROR_IO_DEVICE */
	case -KDRV_ENOMEM:
		return STATUS_INSUFFICIENT_RESOURCES; /* ERROR_NO_SYSTEM_RESOURCES */
	case -KDRV_EFAULT:
		return STATUS_INVALID_USER_BUFFER; /* ERROR_INVALID_USER_BUFFER */
	case -KDRV_EBUSY:
		return STATUS_DEVICE_BUSY; /* ERROR_BUSY */
	case -KDRV_EINVAL:
		return STATUS_INVALID_PARAMETER; /* ERROR_INVALID_PARAMETER */
	case -KDRV_ENOTTY:
		return STATUS_INVALID_DEVICE_REQUEST; /* ERROR_INVALID_FUNCTION */
	case -KDRV_ERANGE:
		return STATUS_INTEGER_OVERFLOW; /* ERROR_ARITHMETIC_OVERFLOW */
	case -KDRV_EOPNOTSUPP:
		return STATUS_NOT_SUPPORTED; /* ERROR_NOT_SUPPORTED */
	default:
		return STATUS_UNSUCCESSFUL; /* ERROR_GEN_FAILURE */
	}
}
