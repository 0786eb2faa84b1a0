// SPDX-License-Identifier: GPL-2.0 OR MIT
/* kdrv_probe: raw Win32 requests the Wine suite makes and kdrvctl never would; prints the outcome.
 */
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
	fprintf(stderr,
		"usage: kdrv_probe read DEVICE LEN...\n"
		"       kdrv_probe write DEVICE LEN\n"
		"       kdrv_probe ioctl DEVICE ACCESS CODE INLEN OUTLEN SIZE PID|self|self+1\n"
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
	if (argc == 9 && !strcmp(argv[1], "ioctl"))
		return kdrv_probe_ioctl(argv + 2);
	return kdrv_probe_usage();
}
