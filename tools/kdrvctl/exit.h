/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* kdrvctl's exit statuses, on every OS; README and --help describe the same four. */
#ifndef KDRVCTL_EXIT_H
#define KDRVCTL_EXIT_H

enum kdrvctl_exit {
	KDRVCTL_OK = 0,
	KDRVCTL_FAILED = 1,
	KDRVCTL_USAGE = 2,
	KDRVCTL_MISSING = 3,
};

#endif
