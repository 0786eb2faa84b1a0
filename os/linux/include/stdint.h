/* SPDX-License-Identifier: GPL-2.0 */
/* Lets the shared user-ABI header say <stdint.h> inside the kernel build too. */
#ifndef KDRV_LINUX_STDINT_H
#define KDRV_LINUX_STDINT_H

#include <linux/types.h>

#endif
