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

/* Resets faults and captured state. */
void kdrv_user_reset(void);

/* Everything logged since the last reset, lines joined. */
const char *kdrv_user_log(void);

/* The last crash requested, KDRV_BOOM_NR when none; os/user records it and returns. */
enum kdrv_boom kdrv_user_last_crash(void);

/* Crashes requested since the last reset. */
long kdrv_user_crashes(void);

/* Allocations not yet freed, and process handles not yet put. */
long kdrv_user_live_allocs(void);
long kdrv_user_live_procs(void);

#endif
