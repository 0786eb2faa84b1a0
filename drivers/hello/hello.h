/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* kdrv_hello: the portable part of the hello driver. */
#ifndef KDRV_HELLO_H
#define KDRV_HELLO_H

#include <kdrv_os_base.h>

#include "kdrv/abi.h"

int kdrv_hello_init(void);
void kdrv_hello_uninit(void);

#endif
