// SPDX-License-Identifier: GPL-2.0 OR MIT
/* `kdrvctl doctor` on Windows: the checks are of a Linux build host, so it says so. */
#include <stdio.h>

#include "doctor.h"
#include "exit.h"

int kdrvctl_doctor(const struct kdrvctl_doctor_opts *o)
{
	(void)o;
	fprintf(stderr, "kdrvctl: doctor checks a Linux build host (kernel headers, compiler, "
			"module signing); on Windows, docs/windows.md lists what a driver needs "
			"(test signing, errors 577, 1275, Code 52)\n");
	return KDRVCTL_UNSUPPORTED;
}
