/* SPDX-License-Identifier: GPL-2.0 */
/* The Linux half of a driver's description: modinfo text and module parameters. */
#ifndef KDRV_OS_DRIVER_H
#define KDRV_OS_DRIVER_H

#include <linux/module.h>
#include <linux/moduleparam.h>

/* One module, one driver: the generic layer (kdrv_driver_linux.c) serves this one. */
extern const struct kdrv_driver *const kdrv_this_driver;

#define KDRV_OS_DRIVER(name, desc)                                                                 \
	MODULE_DESCRIPTION(desc);                                                                  \
	const struct kdrv_driver *const kdrv_this_driver = &kdrv_##name##_driver

/* Every parameter goes through kdrv_param_set(), so the kit validates it. */
extern const struct kernel_param_ops kdrv_linux_param_ops;

#define KDRV_OS_PARAM(id, type, rt, text)                                                          \
	module_param_cb(id, &kdrv_linux_param_ops, (void *)&kdrv_param_##id, (rt) ? 0644 : 0444);  \
	__MODULE_PARM_TYPE(id, type);                                                              \
	MODULE_PARM_DESC(id, text)

#endif /* KDRV_OS_DRIVER_H */
