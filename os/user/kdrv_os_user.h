/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* Knobs the user-space seam offers tests and fuzzers: fault injection and captured output. */
#ifndef KDRV_OS_USER_H
#define KDRV_OS_USER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kdrv/abi.h"

/**
 * struct kdrv_user_faults - what the next seam calls should do.
 * @alloc_fail_after:	kdrv_os_alloc() fails once this many calls succeeded (-1: never).
 * @random_fail_after:	kdrv_os_random_bytes() fails likewise.
 * @interrupt_after:	kdrv_os_interrupted() turns true after this many calls.
 * @random_script:	when set, random bytes come from here, cycling, instead of getrandom().
 * @random_script_len:	its length.
 */
struct kdrv_user_faults {
	long alloc_fail_after;
	long random_fail_after;
	long interrupt_after;
	const uint8_t *random_script;
	size_t random_script_len;
};

extern struct kdrv_user_faults kdrv_user_faults;

/**
 * struct kdrv_user_sink - a struct kdrv_sink over test memory.
 * @sink:	what the core writes through.
 * @buf:	the memory.
 * @limit:	bytes accepted in all; copies past it come up short, as a user
 *		buffer whose next page is unmapped would.
 * @used:	bytes accepted so far.
 *
 * Needs kdrv/os.h included first.
 */
struct kdrv_user_sink {
	struct kdrv_sink sink;
	uint8_t *buf;
	size_t limit;
	size_t used;
};

void kdrv_user_sink_init(struct kdrv_user_sink *s, void *buf, size_t limit);

/**
 * struct kdrv_user_source - a struct kdrv_source over test memory.
 * @source:	what the core reads through.
 * @buf:	the memory.
 * @limit:	bytes readable in all; reads past it come up short, as from a
 *		user buffer whose next page is unmapped.
 * @used:	bytes read so far.
 */
struct kdrv_user_source {
	struct kdrv_source source;
	const uint8_t *buf;
	size_t limit;
	size_t used;
};

void kdrv_user_source_init(struct kdrv_user_source *s, const void *buf, size_t limit);

/*
 * The harness: drives any driver through its description, as the OS layers
 * do (kdrv_driver_user.c). Names are the drivers' folder names. read, write
 * and ioctl copy through at most @limit bytes of @buf, to fake a fault; a
 * call that would block waits for kdrv_wake() from another thread, or for
 * kdrv_user_signal(true), which makes it return -ERESTARTSYS.
 */
struct kdrv_file;
struct kdrv_param;
const struct kdrv_driver *kdrv_user_driver(const char *name);
const char *kdrv_user_description(const char *name);
size_t kdrv_user_drivers(const char **names, size_t max);
int kdrv_user_load(const char *name);
void kdrv_user_unload(const char *name);
const struct kdrv_param *kdrv_user_param(const char *driver, const char *param);
int64_t kdrv_user_stat(const char *driver, const char *stat);
int kdrv_user_open(const char *name, unsigned int flags, struct kdrv_file **file);
void kdrv_user_close(struct kdrv_file *file);
int64_t kdrv_user_read(struct kdrv_file *file, void *buf, size_t len, size_t limit);
int64_t kdrv_user_write(struct kdrv_file *file, const void *buf, size_t len, size_t limit);
unsigned int kdrv_user_poll(struct kdrv_file *file);
int kdrv_user_ioctl(struct kdrv_file *file, uint32_t cmd, void *arg, size_t limit);
void kdrv_user_signal(bool pending);
bool kdrv_user_signal_pending(void);
void kdrv_user_might_sleep(const char *what);

/* Resets faults and captured state. */
void kdrv_user_reset(void);

/* Everything logged since the last reset, lines joined. */
const char *kdrv_user_log(void);

/* The last crash requested, KDRV_BOOM_NR when none; os/user records it and returns. */
enum kdrv_boom kdrv_user_last_crash(void);

/* Crashes requested since the last reset. */
long kdrv_user_crashes(void);

/* kdrv_os_alloc() calls failed on purpose since the last reset. */
long kdrv_user_alloc_failures(void);

/* Allocations not yet freed, and process handles not yet put. */
long kdrv_user_live_allocs(void);
long kdrv_user_live_procs(void);

#endif
