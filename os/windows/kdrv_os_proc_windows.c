// SPDX-License-Identifier: GPL-2.0 OR MIT
/* The seam's process lookup on NT: documented calls only; a fact whose call fails is left out. */
#include "kdrv_nt.h"

/*
 * The opaque process handle is the EPROCESS itself, holding one object
 * reference. PEPROCESS stays a typedef: the WDK and mingw name its pointee
 * differently (_KPROCESS, _EPROCESS), and nothing here looks inside.
 */
int kdrv_os_proc_get(int32_t pid, struct kdrv_os_proc **proc)
{
	PEPROCESS p;
	NTSTATUS status = PsLookupProcessByProcessId((HANDLE)(intptr_t)pid, &p);

	/* Windows says STATUS_INVALID_CID for a pid nobody has, Wine STATUS_INVALID_PARAMETER. */
	if (!NT_SUCCESS(status)) {
		kdrv_dbg("PsLookupProcessByProcessId(%d) failed with 0x%08lx", pid, status);
		return -KDRV_ESRCH;
	}
	/* Process ids are handles, whose low two bits NT ignores: pid 5 would find pid 4. */
	if (PsGetProcessId(p) != (HANDLE)(intptr_t)pid) {
		kdrv_dbg("pid %d names process %d", pid, (int)(intptr_t)PsGetProcessId(p));
		ObDereferenceObject(p);
		return -KDRV_ESRCH;
	}
	*proc = (struct kdrv_os_proc *)p;
	return 0;
}

/* Like Linux's comm: the executable's file name, cut to fit but never inside a UTF-8 sequence. */
static void kdrv_nt_comm_from_path(const UNICODE_STRING *path, char *comm, size_t cap)
{
	size_t n = path->Length / sizeof(WCHAR), i = n, out = 0;

	while (i && path->Buffer[i - 1] != L'\\')
		i--;
	for (; i < n; i++) {
		uint32_t c = path->Buffer[i];
		uint8_t enc[3];
		size_t len;

		if (c < 0x80) {
			enc[0] = (uint8_t)c;
			len = 1;
		} else if (c < 0x800) {
			enc[0] = (uint8_t)(0xc0 | c >> 6);
			enc[1] = (uint8_t)(0x80 | (c & 0x3f));
			len = 2;
		} else if (c >= 0xd800 && c < 0xe000) {
			/* Half a surrogate pair: not worth pairing up for a 15-byte name. */
			enc[0] = '?';
			len = 1;
		} else {
			enc[0] = (uint8_t)(0xe0 | c >> 12);
			enc[1] = (uint8_t)(0x80 | ((c >> 6) & 0x3f));
			enc[2] = (uint8_t)(0x80 | (c & 0x3f));
			len = 3;
		}
		if (out + len >= cap)
			break;
		memcpy(comm + out, enc, len);
		out += len;
	}
	comm[out] = '\0';
}

static void kdrv_nt_proc_fill_comm(PEPROCESS p, struct kdrv_procinfo *info)
{
	UNICODE_STRING *path;

	if (!NT_SUCCESS(SeLocateProcessImageName(p, &path)))
		return;
	kdrv_nt_comm_from_path(path, info->comm, sizeof(info->comm));
	ExFreePool(path);
	info->mask |= KDRV_PROC_COMM;
}

static void kdrv_nt_proc_fill_basic(HANDLE h, struct kdrv_procinfo *info)
{
	PROCESS_BASIC_INFORMATION pbi;

	if (!NT_SUCCESS(
		ZwQueryInformationProcess(h, ProcessBasicInformation, &pbi, sizeof(pbi), NULL)))
		return;
	info->ppid = (int32_t)pbi.InheritedFromUniqueProcessId;
	info->mask |= KDRV_PROC_PPID;
}

/* NT keeps creation as wall-clock time; the ABI wants time since boot, as Linux keeps it. */
static void kdrv_nt_proc_fill_times(HANDLE h, struct kdrv_procinfo *info)
{
	KERNEL_USER_TIMES times;
	LARGE_INTEGER now;
	int64_t boot;

	if (!NT_SUCCESS(ZwQueryInformationProcess(h, ProcessTimes, &times, sizeof(times), NULL)))
		return;
	KeQuerySystemTime(&now);
	boot = now.QuadPart - (int64_t)KeQueryInterruptTime();
	/* The wall clock may have been set since boot; a start before boot is then unknown. */
	if (times.CreateTime.QuadPart < boot)
		return;
	info->start_time_ns = (uint64_t)(times.CreateTime.QuadPart - boot) * 100;
	info->mask |= KDRV_PROC_START_TIME;
}

/*
 * Windows has no uid and no one-letter state, so those stay out of the mask.
 * Each remaining fact is asked of a documented call and left out when that
 * call fails, as several do under Wine; none is a reason to fail the request.
 * A held EPROCESS keeps its id and times after the process exits (it leaves
 * the id table only with its last reference), so unlike a reaped Linux task
 * it never turns into something else while held, and the answer stands.
 */
int kdrv_os_proc_fill(struct kdrv_os_proc *proc, struct kdrv_procinfo *info)
{
	PEPROCESS p = (PEPROCESS)proc;
	HANDLE h;

	info->tgid = (int32_t)(intptr_t)PsGetProcessId(p);
	info->mask |= KDRV_PROC_TGID;
	kdrv_nt_proc_fill_comm(p, info);

	if (!NT_SUCCESS(ObOpenObjectByPointer(p, OBJ_KERNEL_HANDLE, NULL,
					      PROCESS_QUERY_LIMITED_INFORMATION, *PsProcessType,
					      KernelMode, &h)))
		return 0;
	kdrv_nt_proc_fill_basic(h, info);
	kdrv_nt_proc_fill_times(h, info);
	ZwClose(h);
	return 0;
}

void kdrv_os_proc_put(struct kdrv_os_proc *proc)
{
	ObDereferenceObject((PEPROCESS)proc);
}
