// SPDX-License-Identifier: GPL-2.0 OR MIT
/* kdrvctl install|start|stop|remove: the kdrv drivers as demand-start kernel services, like sc. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>

#include "exit.h"
#include "scm_windows.h"

/* winerror.h in the Windows SDK has it; mingw-w64 10's does not. */
#ifndef ERROR_INVALID_IMAGE_HASH
#define ERROR_INVALID_IMAGE_HASH 577L
#endif

/* How long `stop` waits for DriverUnload to finish before giving up. */
#define KDRVCTL_STOP_TIMEOUT_MS 10000

/* The driver names, from drivers/ in the tree: the Makefile passes them. */
const char *const kdrvctl_scm_drivers[] = { KDRV_DRIVER_NAMES, NULL };

/* Prints "kdrvctl: CMD: WHAT: <system text> (Win32 error N)" and a hint for the usual causes. */
static void kdrvctl_scm_error(const char *cmd, const char *what, DWORD err)
{
	char text[256];
	const char *hint = NULL;

	if (!FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, NULL, err,
			    0, text, sizeof(text), NULL))
		snprintf(text, sizeof(text), "unknown error");
	text[strcspn(text, "\r\n")] = '\0';
	switch (err) {
	case ERROR_ACCESS_DENIED:
		hint = "the Service Control Manager wants an elevated (Administrator) prompt";
		break;
	case ERROR_INVALID_IMAGE_HASH:
		hint = "Windows refused the signature: turn test signing on "
		       "(bcdedit /set testsigning on, reboot) or use an attestation-signed build";
		break;
	case ERROR_DRIVER_BLOCKED:
		hint = "Windows blocked the driver: the vulnerable driver block list, "
		       "memory integrity (HVCI), or Secure Boot, which forbids test signing";
		break;
	case ERROR_FILE_NOT_FOUND:
	case ERROR_PATH_NOT_FOUND:
		hint = "the service names a .sys that is gone: kdrvctl remove, then install";
		break;
	case ERROR_INVALID_PARAMETER:
		hint = "DriverEntry refused its parameters; the debug log (DebugView) says which";
		break;
	}
	fprintf(stderr, "kdrvctl: %s: %s: %s (Win32 error %lu)\n", cmd, what, text, err);
	if (hint)
		fprintf(stderr, "kdrvctl: %s: %s\n", cmd, hint);
}

/* Accepts "random" or "kdrv_random"; fills the service name. */
static int kdrvctl_scm_name(const char *arg, char *service, size_t cap)
{
	const char *name = strncmp(arg, "kdrv_", 5) ? arg : arg + 5;
	int i;

	for (i = 0; kdrvctl_scm_drivers[i]; i++) {
		if (!strcmp(name, kdrvctl_scm_drivers[i])) {
			snprintf(service, cap, "kdrv_%s", name);
			return 0;
		}
	}
	fprintf(stderr, "kdrvctl: unknown driver '%s': one of %s\n", arg, KDRV_DRIVER_LIST);
	return -1;
}

static SC_HANDLE kdrvctl_scm_open(const char *cmd, DWORD access)
{
	SC_HANDLE scm = OpenSCManagerA(NULL, NULL, access);

	if (!scm)
		kdrvctl_scm_error(cmd, "cannot open the Service Control Manager", GetLastError());
	return scm;
}

/* Opens the service, or says it is not installed (KDRVCTL_MISSING) or why it cannot be opened. */
static int kdrvctl_scm_service(const char *cmd, const char *service, DWORD access, SC_HANDLE *scm,
			       SC_HANDLE *svc)
{
	DWORD err;

	*scm = kdrvctl_scm_open(cmd, SC_MANAGER_CONNECT);
	if (!*scm)
		return KDRVCTL_FAILED;
	*svc = OpenServiceA(*scm, service, access);
	if (*svc)
		return KDRVCTL_OK;
	err = GetLastError();
	CloseServiceHandle(*scm);
	if (err == ERROR_SERVICE_DOES_NOT_EXIST) {
		fprintf(stderr, "kdrvctl: %s: %s is not installed (kdrvctl install %s)\n", cmd,
			service, service + 5);
		return KDRVCTL_MISSING;
	}
	kdrvctl_scm_error(cmd, service, err);
	return KDRVCTL_FAILED;
}

/* The default binary: kdrv_<name>.sys beside kdrvctl.exe. */
static int kdrvctl_scm_default_path(const char *service, char *path, size_t cap)
{
	char self[MAX_PATH];
	DWORD n = GetModuleFileNameA(NULL, self, sizeof(self));
	char *slash;

	if (!n || n >= sizeof(self))
		return -1;
	slash = strrchr(self, '\\');
	if (slash)
		*slash = '\0';
	if ((size_t)snprintf(path, cap, "%s\\%s.sys", self, service) >= cap)
		return -1;
	return 0;
}

static int kdrvctl_scm_install(const char *service, const char *arg_path)
{
	char path[MAX_PATH];
	SC_HANDLE scm, svc;
	DWORD attrs;

	if (arg_path) {
		DWORD n = GetFullPathNameA(arg_path, sizeof(path), path, NULL);

		if (!n || n >= sizeof(path)) {
			fprintf(stderr, "kdrvctl: install: bad path '%s'\n", arg_path);
			return KDRVCTL_USAGE;
		}
	} else if (kdrvctl_scm_default_path(service, path, sizeof(path))) {
		fprintf(stderr,
			"kdrvctl: install: cannot tell where kdrvctl.exe is; give the .sys path\n");
		return KDRVCTL_FAILED;
	}
	attrs = GetFileAttributesA(path);
	if (attrs == INVALID_FILE_ATTRIBUTES || (attrs & FILE_ATTRIBUTE_DIRECTORY)) {
		fprintf(stderr, "kdrvctl: install: %s does not exist\n", path);
		return KDRVCTL_MISSING;
	}

	scm = kdrvctl_scm_open("install", SC_MANAGER_CREATE_SERVICE);
	if (!scm)
		return KDRVCTL_FAILED;
	/* Like sc create binPath= PATH type= kernel start= demand; a driver's path is never quoted.
	 */
	svc = CreateServiceA(scm, service, service, SERVICE_ALL_ACCESS, SERVICE_KERNEL_DRIVER,
			     SERVICE_DEMAND_START, SERVICE_ERROR_NORMAL, path, NULL, NULL, NULL,
			     NULL, NULL);
	if (!svc) {
		DWORD err = GetLastError();

		CloseServiceHandle(scm);
		if (err == ERROR_SERVICE_EXISTS) {
			fprintf(stderr,
				"kdrvctl: install: %s already exists (kdrvctl remove %s first)\n",
				service, service + 5);
			return KDRVCTL_FAILED;
		}
		kdrvctl_scm_error("install", service, err);
		return KDRVCTL_FAILED;
	}
	printf("%s: installed as a demand-start kernel service for %s\n", service, path);
	CloseServiceHandle(svc);
	CloseServiceHandle(scm);
	return KDRVCTL_OK;
}

static int kdrvctl_scm_start(const char *service)
{
	SC_HANDLE scm, svc;
	int ret = kdrvctl_scm_service("start", service, SERVICE_START, &scm, &svc);

	if (ret)
		return ret;
	if (StartServiceA(svc, 0, NULL)) {
		printf("%s: running\n", service);
	} else if (GetLastError() == ERROR_SERVICE_ALREADY_RUNNING) {
		printf("%s: already running\n", service);
	} else {
		char what[96];

		snprintf(what, sizeof(what), "%s failed to start", service);
		kdrvctl_scm_error("start", what, GetLastError());
		ret = KDRVCTL_FAILED;
	}
	CloseServiceHandle(svc);
	CloseServiceHandle(scm);
	return ret;
}

/* Asks the driver to unload and waits until the SCM reports it stopped. */
static int kdrvctl_scm_stop_service(const char *cmd, const char *service, SC_HANDLE svc)
{
	SERVICE_STATUS st;
	DWORD waited;

	if (!ControlService(svc, SERVICE_CONTROL_STOP, &st)) {
		DWORD err = GetLastError();

		if (err == ERROR_SERVICE_NOT_ACTIVE) {
			printf("%s: not running\n", service);
			return KDRVCTL_OK;
		}
		kdrvctl_scm_error(cmd, service, err);
		return KDRVCTL_FAILED;
	}
	for (waited = 0; st.dwCurrentState != SERVICE_STOPPED; waited += 100) {
		if (waited >= KDRVCTL_STOP_TIMEOUT_MS) {
			fprintf(stderr, "kdrvctl: %s: %s did not stop within %d s (state %lu)\n",
				cmd, service, KDRVCTL_STOP_TIMEOUT_MS / 1000, st.dwCurrentState);
			return KDRVCTL_FAILED;
		}
		Sleep(100);
		if (!QueryServiceStatus(svc, &st)) {
			kdrvctl_scm_error(cmd, service, GetLastError());
			return KDRVCTL_FAILED;
		}
	}
	printf("%s: stopped\n", service);
	return KDRVCTL_OK;
}

static int kdrvctl_scm_stop(const char *service)
{
	SC_HANDLE scm, svc;
	int ret =
	    kdrvctl_scm_service("stop", service, SERVICE_STOP | SERVICE_QUERY_STATUS, &scm, &svc);

	if (ret)
		return ret;
	ret = kdrvctl_scm_stop_service("stop", service, svc);
	CloseServiceHandle(svc);
	CloseServiceHandle(scm);
	return ret;
}

static int kdrvctl_scm_remove(const char *service)
{
	SC_HANDLE scm, svc;
	int ret = kdrvctl_scm_service("remove", service,
				      DELETE | SERVICE_STOP | SERVICE_QUERY_STATUS, &scm, &svc);

	if (ret)
		return ret;
	ret = kdrvctl_scm_stop_service("remove", service, svc);
	if (!ret && !DeleteService(svc)) {
		kdrvctl_scm_error("remove", service, GetLastError());
		ret = KDRVCTL_FAILED;
	}
	if (!ret)
		printf("%s: removed\n", service);
	CloseServiceHandle(svc);
	CloseServiceHandle(scm);
	return ret;
}

int kdrvctl_scm_command(const char *cmd, int argc, char **argv)
{
	char service[32];
	int install = !strcmp(cmd, "install");

	if (!install && strcmp(cmd, "start") && strcmp(cmd, "stop") && strcmp(cmd, "remove"))
		return -1;
	if (argc < 2 || argc > (install ? 3 : 2)) {
		fprintf(stderr, "kdrvctl: usage: kdrvctl %s DRIVER%s\n", cmd,
			install ? " [PATH.sys]" : "");
		return KDRVCTL_USAGE;
	}
	if (kdrvctl_scm_name(argv[1], service, sizeof(service)))
		return KDRVCTL_USAGE;
	if (install)
		return kdrvctl_scm_install(service, argc == 3 ? argv[2] : NULL);
	if (!strcmp(cmd, "start"))
		return kdrvctl_scm_start(service);
	if (!strcmp(cmd, "stop"))
		return kdrvctl_scm_stop(service);
	return kdrvctl_scm_remove(service);
}

DWORD kdrvctl_scm_state(const char *service, char *path, size_t cap)
{
	union {
		QUERY_SERVICE_CONFIGA cfg;
		char raw[8192];
	} buf;
	SC_HANDLE scm, svc;
	SERVICE_STATUS st;
	DWORD state = 0, need;

	scm = OpenSCManagerA(NULL, NULL, SC_MANAGER_CONNECT);
	if (!scm)
		return 0;
	svc = OpenServiceA(scm, service, SERVICE_QUERY_STATUS | SERVICE_QUERY_CONFIG);
	if (svc && QueryServiceStatus(svc, &st))
		state = st.dwCurrentState;
	if (svc && path && QueryServiceConfigA(svc, &buf.cfg, sizeof(buf), &need))
		snprintf(path, cap, "%s", buf.cfg.lpBinaryPathName);
	if (svc)
		CloseServiceHandle(svc);
	CloseServiceHandle(scm);
	return state;
}
