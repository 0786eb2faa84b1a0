// SPDX-License-Identifier: GPL-2.0
/* kdrv_hello as a Linux module: load and unload call the portable core. */
#include <linux/module.h>

#include "hello/hello.h"

static int __init kdrv_hello_mod_init(void)
{
	return kdrv_hello_init();
}

static void __exit kdrv_hello_mod_exit(void)
{
	kdrv_hello_uninit();
}

module_init(kdrv_hello_mod_init);
module_exit(kdrv_hello_mod_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("kdrv authors");
MODULE_DESCRIPTION(
    "kdrv hello: greets, probes address 0 safely, keeps a heap message until unload");
MODULE_VERSION(KDRV_VERSION);
