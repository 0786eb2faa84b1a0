/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* kdrvctl's Service Control Manager commands on Windows: install, start, stop, remove. */
#ifndef KDRVCTL_SCM_WINDOWS_H
#define KDRVCTL_SCM_WINDOWS_H

#include <windows.h>

/* The drivers kdrvctl manages, by short name; each is the service kdrv_<name>. */
extern const char *const kdrvctl_scm_drivers[];

/* Runs install|start|stop|remove; returns the exit code, or -1 when @cmd is none of them. */
int kdrvctl_scm_command(const char *cmd, int argc, char **argv);

/*
 * The service's state (SERVICE_RUNNING, ...) and, if @path is not NULL, its
 * binary path; 0 when the service is not installed.
 */
DWORD kdrvctl_scm_state(const char *service, char *path, size_t cap);

#endif
