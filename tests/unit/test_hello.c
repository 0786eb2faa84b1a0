// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Unit tests of kdrv_hello's load and unload, driven through its description. */
#include "unit.h"
#include "kdrv_os_user.h"

KDRV_UNIT_GROUP(hello)

void kdrv_unit_hello(void)
{
	const char *log;

	UNIT_EQ(0, kdrv_user_load("hello"), "hello: load succeeds");
	log = kdrv_user_log();
	UNIT_CONTAINS(log, "kdrv_hello: Hello, world!\n", "hello: greets with the module prefix");
	UNIT_CONTAINS(log, "(0) returned 0: address 0 is not readable",
		      "hello: probing address 0 reports it unreadable without faulting");
	UNIT_EQ(1, kdrv_user_live_allocs(), "hello: the message lives on the heap while loaded");
	kdrv_user_unload("hello");
	log = kdrv_user_log();
	UNIT_CONTAINS(log, "My message is on the heap!\nkdrv_hello: Goodbye kernel module!\n",
		      "hello: unload prints the heap message, then goodbye");
	UNIT_EQ(0, kdrv_user_live_allocs(), "hello: unload frees the message");

	kdrv_user_reset();
	kdrv_user_faults.alloc_fail_after = 0;
	UNIT_EQ(-KDRV_ENOMEM, kdrv_user_load("hello"), "hello: a failed allocation fails the load");
	UNIT_EQ(0, kdrv_user_live_allocs(), "hello: a failed load leaves nothing allocated");
}
