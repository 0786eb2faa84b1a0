// SPDX-License-Identifier: GPL-2.0 OR MIT
/* kdrv_hello: greets, probes address 0 safely and keeps a message on the heap until unload. */
#define KDRV_MODNAME "kdrv_hello"
#include "kdrv/driver.h"

static const char kdrv_hello_heap_text[] = "My message is on the heap!";
static char *kdrv_hello_message;

static int kdrv_hello_init(void)
{
	const char *how;
	bool readable;

	kdrv_info("Hello, world!");
	kdrv_info("Hello kernel module!");
	kdrv_dbg("debug build: debug-level lines are compiled in");

	readable = kdrv_os_addr_readable(0, &how);
	kdrv_info("%s(0) returned %d: address 0 is %s", how, readable,
		  readable ? "readable" : "not readable");

	kdrv_hello_message = kdrv_os_alloc(sizeof(kdrv_hello_heap_text));
	if (!kdrv_hello_message)
		return -KDRV_ENOMEM;
	memcpy(kdrv_hello_message, kdrv_hello_heap_text, sizeof(kdrv_hello_heap_text));
	return 0;
}

static void kdrv_hello_exit(void)
{
	kdrv_info("%s", kdrv_hello_message);
	kdrv_info("Goodbye kernel module!");
	kdrv_os_free(kdrv_hello_message);
	kdrv_hello_message = NULL;
}

KDRV_DRIVER(hello,
	    "kdrv hello: greets, probes address 0 safely, keeps a heap message until unload") = {
	.init = kdrv_hello_init,
	.exit = kdrv_hello_exit,
};
