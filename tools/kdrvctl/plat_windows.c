// SPDX-License-Identifier: GPL-2.0 OR MIT
/* kdrvctl on Windows: devices under \\.\, drivers as kernel services of the SCM. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <io.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>

#include "plat.h"
#include "scm_windows.h"

/* ReadFile is given at most this much at once: buffered I/O copies it through non-paged pool. */
#define KDRVCTL_READ_CHUNK (1u << 20)

/*
 * The C runtime opens stdout in text mode, turning each 0x0a of
 * `random --raw` into 0d 0a; kdrvctl writes bytes and plain "\n" lines.
 */
__attribute__((constructor)) static void kdrvctl_binary_stdout(void)
{
	_setmode(_fileno(stdout), _O_BINARY);
}

struct kdrvctl_dev_handle {
	HANDLE h;
};

static const struct {
	const char *path;
	const char *driver;
} kdrvctl_devs[] = {
	[KDRVCTL_DEV_RANDOM] = { "\\\\.\\" KDRV_NT_RANDOM_NAME, "random" },
	[KDRVCTL_DEV_ROULETTE] = { "\\\\.\\" KDRV_NT_ROULETTE_NAME, "roulette" },
	[KDRVCTL_DEV_PROCINFO] = { "\\\\.\\" KDRV_NT_PROCINFO_NAME, "procinfo" },
	[KDRVCTL_DEV_PIPE] = { "\\\\.\\" KDRV_NT_PIPE_NAME, "pipe" },
};

/*
 * The one conversion of Win32 errors to errno. It inverts the drivers'
 * kdrv_nt_status(), so a failure reads as it would on Linux.
 */
static int kdrvctl_errno(DWORD err)
{
	switch (err) {
	case ERROR_FILE_NOT_FOUND:
	case ERROR_PATH_NOT_FOUND:
		return ENOENT;
	case ERROR_ACCESS_DENIED:
		return EACCES;
	case ERROR_NOT_FOUND:
		return ESRCH;
	case ERROR_OPERATION_ABORTED:
		return EINTR;
	case ERROR_IO_DEVICE:
		return EIO;
	case ERROR_NOT_ENOUGH_MEMORY:
	case ERROR_OUTOFMEMORY:
	case ERROR_NO_SYSTEM_RESOURCES:
		return ENOMEM;
	case ERROR_INVALID_USER_BUFFER:
	case ERROR_NOACCESS:
		return EFAULT;
	case ERROR_BUSY:
		return EBUSY;
	case ERROR_INVALID_PARAMETER:
		return EINVAL;
	case ERROR_INVALID_FUNCTION:
		return ENOTTY;
	case ERROR_ARITHMETIC_OVERFLOW:
		return ERANGE;
	case ERROR_NOT_SUPPORTED:
		return EOPNOTSUPP;
	default:
		return EIO;
	}
}

const char *kdrvctl_dev_path(enum kdrvctl_dev dev)
{
	return kdrvctl_devs[dev].path;
}

const char *kdrvctl_dev_load_hint(enum kdrvctl_dev dev)
{
	static char hint[128];

	snprintf(hint, sizeof(hint),
		 "install and start kdrv_%s first (kdrvctl install %s, kdrvctl start %s)",
		 kdrvctl_devs[dev].driver, kdrvctl_devs[dev].driver, kdrvctl_devs[dev].driver);
	return hint;
}

int kdrvctl_dev_open(enum kdrvctl_dev dev, bool write, struct kdrvctl_dev_handle **h)
{
	HANDLE fh = CreateFileA(kdrvctl_devs[dev].path, write ? GENERIC_WRITE : GENERIC_READ,
				FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING, 0, NULL);

	if (fh == INVALID_HANDLE_VALUE)
		return -kdrvctl_errno(GetLastError());
	*h = malloc(sizeof(**h));
	if (!*h) {
		CloseHandle(fh);
		return -ENOMEM;
	}
	(*h)->h = fh;
	return 0;
}

int64_t kdrvctl_dev_read(struct kdrvctl_dev_handle *h, void *buf, size_t len)
{
	size_t done = 0;

	while (done < len) {
		DWORD want =
		    (DWORD)(len - done < KDRVCTL_READ_CHUNK ? len - done : KDRVCTL_READ_CHUNK);
		DWORD got;

		if (!ReadFile(h->h, (char *)buf + done, want, &got, NULL))
			return done ? (int64_t)done : -kdrvctl_errno(GetLastError());
		if (!got)
			break;
		done += got;
	}
	return (int64_t)done;
}

int64_t kdrvctl_dev_read_some(struct kdrvctl_dev_handle *h, void *buf, size_t len)
{
	DWORD got;

	if (!ReadFile(h->h, buf, (DWORD)(len < KDRVCTL_READ_CHUNK ? len : KDRVCTL_READ_CHUNK), &got,
		      NULL))
		return -kdrvctl_errno(GetLastError());
	return got;
}

int64_t kdrvctl_dev_write(struct kdrvctl_dev_handle *h, const void *buf, size_t len)
{
	size_t done = 0;

	while (done < len) {
		DWORD want =
		    (DWORD)(len - done < KDRVCTL_READ_CHUNK ? len - done : KDRVCTL_READ_CHUNK);
		DWORD put;

		if (!WriteFile(h->h, (const char *)buf + done, want, &put, NULL))
			return -kdrvctl_errno(GetLastError());
		done += put;
	}
	return (int64_t)done;
}

int kdrvctl_dev_procinfo(struct kdrvctl_dev_handle *h, struct kdrv_procinfo *info)
{
	DWORD got;

	if (!DeviceIoControl(h->h, KDRV_IOCTL_PROCINFO_NT, info, sizeof(*info), info, sizeof(*info),
			     &got, NULL))
		return -kdrvctl_errno(GetLastError());
	return 0;
}

void kdrvctl_dev_close(struct kdrvctl_dev_handle *h)
{
	CloseHandle(h->h);
	free(h);
}

int32_t kdrvctl_self_pid(void)
{
	return (int32_t)GetCurrentProcessId();
}

/* Prints the roulette's Parameters values, which the driver reads at each start. */
static void kdrvctl_print_params(const char *service)
{
	static const char *const names[] = { "chance", "boom", NULL };
	char key[128], val[64];
	DWORD size, type, dword;
	int i;

	snprintf(key, sizeof(key), "SYSTEM\\CurrentControlSet\\Services\\%s\\Parameters", service);
	for (i = 0; names[i]; i++) {
		size = sizeof(val);
		if (RegGetValueA(HKEY_LOCAL_MACHINE, key, names[i],
				 RRF_RT_REG_SZ | RRF_RT_REG_DWORD, &type, val,
				 &size) != ERROR_SUCCESS)
			continue;
		if (type == REG_DWORD) {
			memcpy(&dword, val, sizeof(dword));
			snprintf(val, sizeof(val), "%lu", dword);
		}
		printf("  parameter %s: %s\n", names[i], val);
	}
}

/* Prints whether a device can be opened; access 0 asks for no rights, only for existence. */
static void kdrvctl_print_device(enum kdrvctl_dev dev)
{
	HANDLE h = CreateFileA(kdrvctl_devs[dev].path, 0, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
			       OPEN_EXISTING, 0, NULL);

	printf("  device %s: %s\n", kdrvctl_devs[dev].path,
	       h == INVALID_HANDLE_VALUE ? "missing" : "present");
	if (h != INVALID_HANDLE_VALUE)
		CloseHandle(h);
}

/*
 * Prints a running driver's counters, asked of its device with the ioctl the
 * NT layer answers for every driver. The device is \\.\Kdrv<Name>, the kit's
 * naming, so a new driver's counters show without an edit here; a driver
 * without a device (hello) has none. Opening the device is an open like any
 * other: the roulette spins, and its counters include that spin.
 */
static void kdrvctl_print_counters(const char *name)
{
	char path[64], text[4096], *line, *next;
	DWORD got;
	HANDLE h;

	snprintf(path, sizeof(path), "\\\\.\\Kdrv%c%s", toupper((unsigned char)name[0]), name + 1);
	h = CreateFileA(path, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING,
			0, NULL);
	if (h == INVALID_HANDLE_VALUE)
		return;
	if (!DeviceIoControl(h, KDRV_IOCTL_STATS_NT, NULL, 0, text, sizeof(text) - 1, &got, NULL)) {
		printf("  counters: unavailable (%s)\n", strerror(kdrvctl_errno(GetLastError())));
		CloseHandle(h);
		return;
	}
	CloseHandle(h);
	text[got] = '\0';
	for (line = text; *line; line = next) {
		char *sp;

		next = strchr(line, '\n');
		if (!next)
			break;
		*next++ = '\0';
		sp = strchr(line, ' ');
		if (sp)
			*sp++ = '\0';
		printf("  counter %s: %s\n", line, sp ? sp : "?");
	}
}

static const char *kdrvctl_state_name(DWORD state)
{
	switch (state) {
	case SERVICE_STOPPED:
		return "stopped";
	case SERVICE_START_PENDING:
		return "starting";
	case SERVICE_STOP_PENDING:
		return "stopping";
	case SERVICE_RUNNING:
		return "running";
	default:
		return "in another state";
	}
}

int kdrvctl_status(void)
{
	char service[32], path[MAX_PATH];
	int i, running = 0;

	for (i = 0; kdrvctl_scm_drivers[i]; i++) {
		const char *name = kdrvctl_scm_drivers[i];
		DWORD state;
		int d;

		snprintf(service, sizeof(service), "kdrv_%s", name);
		path[0] = '\0';
		state = kdrvctl_scm_state(service, path, sizeof(path));
		if (!state) {
			printf("%s: not installed\n", service);
			continue;
		}
		printf("%s: %s\n  binary %s\n", service, kdrvctl_state_name(state), path);
		running += state == SERVICE_RUNNING;
		for (d = 0; d < (int)(sizeof(kdrvctl_devs) / sizeof(kdrvctl_devs[0])); d++)
			if (!strcmp(kdrvctl_devs[d].driver, name))
				kdrvctl_print_device((enum kdrvctl_dev)d);
		if (!strcmp(name, "roulette"))
			kdrvctl_print_params(service);
		if (state == SERVICE_RUNNING)
			kdrvctl_print_counters(name);
	}
	return running ? 0 : 3;
}

int kdrvctl_plat_command(const char *cmd, int argc, char **argv)
{
	return kdrvctl_scm_command(cmd, argc, argv);
}

void kdrvctl_plat_usage(FILE *f)
{
	fprintf(f, "  install DRIVER [PATH.sys]  register DRIVER (" KDRV_DRIVER_LIST ")\n"
		   "                             as a demand-start kernel service; PATH defaults\n"
		   "                             to kdrv_DRIVER.sys beside kdrvctl.exe\n"
		   "  start DRIVER               load it (its DriverEntry runs)\n"
		   "  stop DRIVER                unload it (its DriverUnload runs)\n"
		   "  remove DRIVER              stop it if running, then delete the service\n");
}
