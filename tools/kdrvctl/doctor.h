/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* `kdrvctl doctor`: the findings list (doctor.c) and the checks of each OS (doctor_<os>.c). */
#ifndef KDRVCTL_DOCTOR_H
#define KDRVCTL_DOCTOR_H

#include <stdbool.h>

/* What `kdrvctl doctor` was asked; NULL strings mean the default. */
struct kdrvctl_doctor_opts {
	bool json;
	const char *kernel; /* the kernel release to check; default: the running one */
	const char *tree;   /* the kdrv checkout whose build/ to inspect */
	const char *root;   /* read system files under this directory instead of / */
};

/* A finding's verdict; only FAIL changes the exit status. */
enum kdrvctl_doctor_status {
	KDRVCTL_DOCTOR_OK,
	KDRVCTL_DOCTOR_INFO,
	KDRVCTL_DOCTOR_WARN,
	KDRVCTL_DOCTOR_FAIL,
};

#define KDRVCTL_DOCTOR_MAX 32

struct kdrvctl_doctor_finding {
	enum kdrvctl_doctor_status status;
	char name[32];
	char detail[1024];
	char fix[640];
};

struct kdrvctl_doctor {
	const char *kernel;
	bool running;
	unsigned int count;
	struct kdrvctl_doctor_finding findings[KDRVCTL_DOCTOR_MAX];
};

/**
 * kdrvctl_doctor_add() - record one finding
 * @d: the findings so far
 * @status: its verdict
 * @name: a short stable name (`headers`, `compiler`, ...), the same in text and JSON
 * @fix: what to do about it, or NULL when there is nothing to do
 * @fmt: printf format of the detail: what was seen, naming files and versions
 */
__attribute__((format(printf, 5, 6))) void kdrvctl_doctor_add(struct kdrvctl_doctor *d,
							      enum kdrvctl_doctor_status status,
							      const char *name, const char *fix,
							      const char *fmt, ...);

/* Prints every finding (text or JSON) and returns the exit code they add up to. */
int kdrvctl_doctor_report(const struct kdrvctl_doctor *d, bool json);

/* Runs the checks of this OS; returns kdrvctl's exit code. */
int kdrvctl_doctor(const struct kdrvctl_doctor_opts *o);

#endif
