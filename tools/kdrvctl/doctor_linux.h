/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* What doctor's Linux checks share: the kernel under inspection and what was learned. */
#ifndef KDRVCTL_DOCTOR_LINUX_H
#define KDRVCTL_DOCTOR_LINUX_H

#include "doctor.h"
#include "sysroot_linux.h"

enum kdrvctl_tri { KDRVCTL_TRI_UNKNOWN, KDRVCTL_TRI_NO, KDRVCTL_TRI_YES };

struct kdrvctl_doc {
	struct kdrvctl_doctor d;
	const char *tree; /* the kdrv checkout, NULL when none was found */
	char krel[65];	  /* a kernel release is at most 64 bytes (__NEW_UTS_LEN) */
	char running[65]; /* "" when no kernel runs (a --root without /proc) */
	char *config;	  /* the kernel's configuration, NULL when unreadable */
	char config_from[KDRVCTL_PATH];
	enum kdrvctl_tri efi, secure_boot; /* set by kdrvctl_doc_secure_boot() */
	unsigned int built, built_signed;  /* set by kdrvctl_doc_built() */
};

/*
 * The value of @key in the kernel's configuration, its quotes removed: "y", a
 * number, a string. NULL when it is not set or the configuration is unknown.
 */
const char *kdrvctl_doc_config(const struct kdrvctl_doc *dc, const char *key, char *val,
			       size_t cap);
bool kdrvctl_doc_config_y(const struct kdrvctl_doc *dc, const char *key);
/* A word of the running kernel's command line: its value ("" for a bare word) into @val. */
bool kdrvctl_doc_cmdline(const struct kdrvctl_doc *dc, const char *word, char *val, size_t cap);

/* The checks of doctor_modules_linux.c: vermagic of built and installed modules. */
void kdrvctl_doc_built(struct kdrvctl_doc *dc);
void kdrvctl_doc_installed(struct kdrvctl_doc *dc);
/* The checks of doctor_sign_linux.c; secure_boot runs first, signatures last. */
void kdrvctl_doc_secure_boot(struct kdrvctl_doc *dc);
void kdrvctl_doc_lockdown(struct kdrvctl_doc *dc);
void kdrvctl_doc_signatures(struct kdrvctl_doc *dc);

#endif
