/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* The NT half of a driver's description: the generic layer (kdrv_driver_nt.c) serves this one. */
#ifndef KDRV_OS_DRIVER_H
#define KDRV_OS_DRIVER_H

/* One .sys, one driver: its DriverEntry reads these. */
extern const struct kdrv_driver *const kdrv_this_driver;
extern const char kdrv_this_description[];

#define KDRV_OS_DRIVER(name, desc)                                                                 \
	const struct kdrv_driver *const kdrv_this_driver = &kdrv_##name##_driver;                  \
	const char kdrv_this_description[] = desc

/* Parameters come from the service's Parameters key, through &struct kdrv_driver.params. */
#define KDRV_OS_PARAM(id, type, rt, text) struct kdrv_os_param_##id

#endif /* KDRV_OS_DRIVER_H */
