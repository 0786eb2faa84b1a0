/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* kdrvctl's exit statuses, on every OS; README and --help describe the same six. */
#ifndef KDRVCTL_EXIT_H
#define KDRVCTL_EXIT_H

enum kdrvctl_exit {
	KDRVCTL_OK = 0,
	KDRVCTL_FAILED = 1,
	KDRVCTL_USAGE = 2,
	KDRVCTL_MISSING = 3,
	KDRVCTL_BLOCKED = 4,	 /* doctor: something stops a module building or loading */
	KDRVCTL_UNSUPPORTED = 5, /* the command does not apply on this OS */
};

#endif
