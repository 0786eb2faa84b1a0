/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* kdrv_procinfo: the portable part of the process lookup device. */
#ifndef KDRV_PROCINFO_H
#define KDRV_PROCINFO_H

#include <kdrv_os_base.h>

#include "kdrv/abi.h"

struct kdrv_procinfo;

int kdrv_procinfo_copy_len(uint32_t user_size, size_t *len);
int kdrv_procinfo_query(struct kdrv_procinfo *info, size_t len);
int64_t kdrv_procinfo_outstanding(void);
int64_t kdrv_procinfo_lookups(void);

#endif
