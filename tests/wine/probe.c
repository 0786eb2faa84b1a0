// SPDX-License-Identifier: GPL-2.0 OR MIT
/* kdrv_probe: raw Win32 requests the Wine suite makes and kdrvctl never would; prints the outcome.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>

#include "kdrv/abi.h"

/*
 * Every command prints one line for run.sh to compare: "ok N..." with the
 * bytes each call moved, or "error E" with the Win32 error of the first
 * call that failed. Exit status 2 means the probe itself was misused.
 */
static int kdrv_probe_usage(void)
{
	fprintf(
	    stderr,
	    "usage: kdrv_probe read DEVICE LEN...\n"
	    "       kdrv_probe write DEVICE LEN\n"
	    "       kdrv_probe ioctl DEVICE ACCESS CODE INLEN OUTLEN SIZE PID|self|self+1\n"
	    "       kdrv_probe io DEVICE STEP...   (overlapped handles 1-4; see kdrv_probe_step)\n"
	    "       kdrv_probe hammer DEVICE LEN STOPFILE\n"
	    "       kdrv_probe bigread DEVICE MIB\n"
	    "       kdrv_probe pid\n");
	return 2;
}

static unsigned long kdrv_probe_num(const char *s)
{
	return strtoul(s, NULL, 0);
}

static HANDLE kdrv_probe_open(const char *dev, DWORD access)
{
	HANDLE h = CreateFileA(dev, access, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING,
			       0, NULL);

	if (h == INVALID_HANDLE_VALUE)
		printf("error %lu\n", GetLastError());
	return h;
}

/*
 * Reads LEN bytes per call on one handle, as a reader stepping through a stream
 * would, and prints "ok" and each count, or "error N" for each failed read.
 */
static int kdrv_probe_read(const char *dev, int n, char **lens)
{
	static char buf[1 << 16];
	char line[256] = "";
	HANDLE h = kdrv_probe_open(dev, GENERIC_READ);
	DWORD got;
	int i;

	if (h == INVALID_HANDLE_VALUE)
		return 0;
	for (i = 0; i < n; i++) {
		DWORD len = (DWORD)kdrv_probe_num(lens[i]);
		size_t used = strlen(line);

		if (len > sizeof(buf))
			return kdrv_probe_usage();
		if (!ReadFile(h, buf, len, &got, NULL))
			snprintf(line + used, sizeof(line) - used, "%serror %lu", i ? " " : "",
				 GetLastError());
		else
			snprintf(line + used, sizeof(line) - used, "%s%lu", i ? " " : "ok ", got);
	}
	puts(line);
	CloseHandle(h);
	return 0;
}

static int kdrv_probe_write(const char *dev, const char *len_arg)
{
	static char buf[4096];
	HANDLE h = kdrv_probe_open(dev, GENERIC_READ | GENERIC_WRITE);
	DWORD len = (DWORD)kdrv_probe_num(len_arg), got;

	if (h == INVALID_HANDLE_VALUE)
		return 0;
	if (len > sizeof(buf))
		return kdrv_probe_usage();
	if (WriteFile(h, buf, len, &got, NULL))
		printf("ok %lu\n", got);
	else
		printf("error %lu\n", GetLastError());
	CloseHandle(h);
	return 0;
}

/* One DeviceIoControl with a struct kdrv_procinfo padded to the given lengths. */
static int kdrv_probe_ioctl(char **argv)
{
	static union {
		struct kdrv_procinfo info;
		uint8_t raw[4096];
	} in, out;
	DWORD access = (DWORD)kdrv_probe_num(argv[1]);
	DWORD code = (DWORD)kdrv_probe_num(argv[2]);
	DWORD in_len = (DWORD)kdrv_probe_num(argv[3]);
	DWORD out_len = (DWORD)kdrv_probe_num(argv[4]);
	DWORD got;
	HANDLE h;

	if (in_len > sizeof(in) || out_len > sizeof(out))
		return kdrv_probe_usage();
	in.info.size = (uint32_t)kdrv_probe_num(argv[5]);
	if (!strcmp(argv[6], "self"))
		in.info.pid = (int32_t)GetCurrentProcessId();
	else if (!strcmp(argv[6], "self+1"))
		in.info.pid = (int32_t)GetCurrentProcessId() + 1;
	else
		in.info.pid = (int32_t)strtol(argv[6], NULL, 0);

	h = kdrv_probe_open(argv[0], access);
	if (h == INVALID_HANDLE_VALUE)
		return 0;
	if (DeviceIoControl(h, code, in_len ? &in : NULL, in_len, out_len ? &out : NULL, out_len,
			    &got, NULL))
		printf("ok %lu size %u mask 0x%x pid %d tgid %d expected %d\n", got,
		       (unsigned int)out.info.size, (unsigned int)out.info.mask, (int)out.info.pid,
		       (int)out.info.tgid, (int)in.info.pid);
	else
		printf("error %lu\n", GetLastError());
	CloseHandle(h);
	return 0;
}

/*
 * `io`: overlapped requests on up to four handles of one device, one step per
 * argument, for what must pend: a read waiting for a write from another
 * handle, CancelIoEx, CloseHandle under a pended read. Each handle has one
 * request slot. The steps, and what each prints:
 *
 *   open:H:r|w|rw	open handle H			open | open-error E
 *   read:H:LEN		start a read of LEN bytes	read=N:TEXT | read-pending | read-error E
 *   write:H:TEXT	start a write of TEXT		write=N | write-pending | write-error E
 *   write:H:@LEN	... of LEN bytes of 'x'
 *   wait:H		wait up to 5 s for H's request	done=N[:TEXT] | done-error E | still-pending
 *   cancel:H		CancelIoEx(H, its request)	cancel | cancel-error E
 *   close:H		CloseHandle(H); a pended request's slot stays for wait
 *   sleep:MS
 *
 * The outcomes go on one line, space-separated (see kdrv_probe_moved for a
 * read's TEXT).
 */
#define KDRV_PROBE_HANDLES 4
#define KDRV_PROBE_IO_MAX 65536

struct kdrv_probe_slot {
	HANDLE h;
	OVERLAPPED ov;
	bool closed;
	bool reading;
	char buf[KDRV_PROBE_IO_MAX + 1];
};

static struct kdrv_probe_slot kdrv_probe_slots[KDRV_PROBE_HANDLES + 1];

static void kdrv_probe_out(char *line, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void kdrv_probe_out(char *line, size_t size, const char *fmt, ...)
{
	size_t used = strlen(line);
	va_list args;

	if (used && used < size - 1)
		line[used++] = ' ';
	va_start(args, fmt);
	vsnprintf(line + used, size - used, fmt, args);
	va_end(args);
}

/*
 * "WHAT=N" for a write, "WHAT=N:TEXT" for a read: TEXT is what it got, with
 * anything unprintable as '.', cut after KDRV_PROBE_TEXT_MAX bytes with "...".
 */
#define KDRV_PROBE_TEXT_MAX 64

static void kdrv_probe_moved(struct kdrv_probe_slot *s, const char *what, DWORD n, char *line,
			     size_t size)
{
	DWORD i, shown = n < KDRV_PROBE_TEXT_MAX ? n : KDRV_PROBE_TEXT_MAX;

	if (!s->reading) {
		kdrv_probe_out(line, size, "%s=%lu", what, n);
		return;
	}
	for (i = 0; i < shown; i++)
		if (s->buf[i] < 0x20 || s->buf[i] > 0x7e)
			s->buf[i] = '.';
	s->buf[shown] = '\0';
	kdrv_probe_out(line, size, "%s=%lu:%s%s", what, n, s->buf, shown < n ? "..." : "");
}

/* A request's start: done at once, pending, or failed. */
static void kdrv_probe_started(struct kdrv_probe_slot *s, BOOL ok, const char *what, char *line,
			       size_t size)
{
	DWORD err = ok ? 0 : GetLastError(), n = 0;

	if (err == ERROR_IO_PENDING)
		kdrv_probe_out(line, size, "%s-pending", what);
	else if (!ok)
		kdrv_probe_out(line, size, "%s-error %lu", what, err);
	else if (!GetOverlappedResult(s->h, &s->ov, &n, FALSE))
		kdrv_probe_out(line, size, "%s-error %lu", what, GetLastError());
	else
		kdrv_probe_moved(s, what, n, line, size);
}

/*
 * After CloseHandle, GetOverlappedResult has no handle to ask: the OVERLAPPED
 * itself holds the NTSTATUS and the count. STATUS_CANCELLED is printed as the
 * Win32 error GetOverlappedResult gives for it.
 */
static void kdrv_probe_wait(struct kdrv_probe_slot *s, char *line, size_t size)
{
	NTSTATUS status;
	DWORD n = 0;

	if (WaitForSingleObject(s->ov.hEvent, 5000) != WAIT_OBJECT_0) {
		kdrv_probe_out(line, size, "still-pending");
		return;
	}
	if (!s->closed) {
		if (GetOverlappedResult(s->h, &s->ov, &n, FALSE))
			kdrv_probe_moved(s, "done", n, line, size);
		else
			kdrv_probe_out(line, size, "done-error %lu", GetLastError());
		return;
	}
	status = (NTSTATUS)s->ov.Internal;
	if (status == (NTSTATUS)0xC0000120)
		kdrv_probe_out(line, size, "done-error %lu",
			       (unsigned long)ERROR_OPERATION_ABORTED);
	else if (status)
		kdrv_probe_out(line, size, "done-status 0x%08lx", (unsigned long)status);
	else
		kdrv_probe_moved(s, "done", (DWORD)s->ov.InternalHigh, line, size);
}

static int kdrv_probe_step(const char *dev, const char *step, char *line, size_t size)
{
	char op[16], arg[256] = "";
	struct kdrv_probe_slot *s;
	unsigned int h;
	DWORD n;

	if (sscanf(step, "sleep:%u", &h) == 1) {
		Sleep(h);
		return 0;
	}
	if (sscanf(step, "%15[a-z]:%u:%255s", op, &h, arg) < 2)
		return -1;
	if (h < 1 || h > KDRV_PROBE_HANDLES)
		return -1;
	s = &kdrv_probe_slots[h];
	if (!strcmp(op, "open")) {
		DWORD access =
		    (strchr(arg, 'r') ? GENERIC_READ : 0) | (strchr(arg, 'w') ? GENERIC_WRITE : 0);

		s->h = CreateFileA(dev, access, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
				   OPEN_EXISTING, FILE_FLAG_OVERLAPPED, NULL);
		s->closed = false;
		if (s->h == INVALID_HANDLE_VALUE)
			kdrv_probe_out(line, size, "open-error %lu", GetLastError());
		else
			kdrv_probe_out(line, size, "open");
		return 0;
	}
	if (!strcmp(op, "read") || !strcmp(op, "write")) {
		DWORD len;
		BOOL ok;

		if (s->ov.hEvent)
			CloseHandle(s->ov.hEvent);
		memset(&s->ov, 0, sizeof(s->ov));
		s->ov.hEvent = CreateEventA(NULL, TRUE, FALSE, NULL);
		s->reading = op[0] == 'r';
		if (s->reading) {
			len = (DWORD)strtoul(arg, NULL, 0);
			if (len > KDRV_PROBE_IO_MAX)
				return -1;
			ok = ReadFile(s->h, s->buf, len, &n, &s->ov);
		} else if (arg[0] == '@') {
			len = (DWORD)strtoul(arg + 1, NULL, 0);
			if (len > KDRV_PROBE_IO_MAX)
				return -1;
			memset(s->buf, 'x', len);
			ok = WriteFile(s->h, s->buf, len, &n, &s->ov);
		} else {
			len = (DWORD)strlen(arg);
			memcpy(s->buf, arg, len);
			ok = WriteFile(s->h, s->buf, len, &n, &s->ov);
		}
		kdrv_probe_started(s, ok, op, line, size);
		return 0;
	}
	if (!strcmp(op, "wait")) {
		kdrv_probe_wait(s, line, size);
		return 0;
	}
	if (!strcmp(op, "cancel")) {
		if (CancelIoEx(s->h, &s->ov))
			kdrv_probe_out(line, size, "cancel");
		else
			kdrv_probe_out(line, size, "cancel-error %lu", GetLastError());
		return 0;
	}
	if (!strcmp(op, "close")) {
		CloseHandle(s->h);
		s->closed = true;
		kdrv_probe_out(line, size, "close");
		return 0;
	}
	return -1;
}

static int kdrv_probe_io(const char *dev, int n, char **steps)
{
	static char line[4096];
	int i;

	for (i = 0; i < n; i++)
		if (kdrv_probe_step(dev, steps[i], line, sizeof(line)))
			return kdrv_probe_usage();
	puts(line);
	return 0;
}

/*
 * `hammer`: opens the device, reads LEN bytes and closes it, over and over
 * until STOPFILE exists, whatever fails: the driver stopping and starting
 * under it is the point. Prints "ok opens=N reads=N bytes=N errors=N".
 */
static int kdrv_probe_hammer(const char *dev, const char *len_arg, const char *stop_file)
{
	static char buf[1 << 16];
	DWORD len = (DWORD)kdrv_probe_num(len_arg), got;
	unsigned long opens = 0, reads = 0, errors = 0;
	unsigned long long bytes = 0;
	HANDLE h;

	if (len > sizeof(buf))
		return kdrv_probe_usage();
	while (GetFileAttributesA(stop_file) == INVALID_FILE_ATTRIBUTES) {
		h = CreateFileA(dev, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
				OPEN_EXISTING, 0, NULL);
		if (h == INVALID_HANDLE_VALUE) {
			errors++;
			Sleep(1);
			continue;
		}
		opens++;
		if (ReadFile(h, buf, len, &got, NULL)) {
			reads++;
			bytes += got;
		} else {
			errors++;
		}
		CloseHandle(h);
	}
	printf("ok opens=%lu reads=%lu bytes=%llu errors=%lu\n", opens, reads, bytes, errors);
	return 0;
}

/*
 * `bigread`: one ReadFile of MIB mebibytes into one buffer, as a program
 * reading a huge block at once would. Prints "ok N MS" (bytes, milliseconds)
 * or "error E".
 */
static int kdrv_probe_bigread(const char *dev, const char *mib_arg)
{
	DWORD len = (DWORD)kdrv_probe_num(mib_arg) << 20, got = 0;
	ULONGLONG t0;
	HANDLE h;
	char *buf;

	if (!len || len > (DWORD)1 << 31)
		return kdrv_probe_usage();
	buf = VirtualAlloc(NULL, len, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
	if (!buf) {
		printf("error %lu\n", GetLastError());
		return 0;
	}
	h = kdrv_probe_open(dev, GENERIC_READ);
	if (h == INVALID_HANDLE_VALUE)
		return 0;
	t0 = GetTickCount64();
	if (ReadFile(h, buf, len, &got, NULL))
		printf("ok %lu %llu\n", got, GetTickCount64() - t0);
	else
		printf("error %lu\n", GetLastError());
	CloseHandle(h);
	VirtualFree(buf, 0, MEM_RELEASE);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "pid")) {
		printf("%lu\n", GetCurrentProcessId());
		return 0;
	}
	if (argc >= 4 && !strcmp(argv[1], "read"))
		return kdrv_probe_read(argv[2], argc - 3, argv + 3);
	if (argc == 4 && !strcmp(argv[1], "write"))
		return kdrv_probe_write(argv[2], argv[3]);
	if (argc >= 4 && !strcmp(argv[1], "io"))
		return kdrv_probe_io(argv[2], argc - 3, argv + 3);
	if (argc == 5 && !strcmp(argv[1], "hammer"))
		return kdrv_probe_hammer(argv[2], argv[3], argv[4]);
	if (argc == 4 && !strcmp(argv[1], "bigread"))
		return kdrv_probe_bigread(argv[2], argv[3]);
	if (argc == 9 && !strcmp(argv[1], "ioctl"))
		return kdrv_probe_ioctl(argv + 2);
	return kdrv_probe_usage();
}
