/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* The user-space half of a driver's description: each driver registers with the test harness. */
#ifndef KDRV_OS_DRIVER_H
#define KDRV_OS_DRIVER_H

void kdrv_user_register(const char *name, const char *desc, const struct kdrv_driver *drv);

#define KDRV_OS_DRIVER(name, desc)                                                                 \
	__attribute__((constructor)) static void kdrv_user_register_##name(void)                   \
	{                                                                                          \
		kdrv_user_register(#name, desc, &kdrv_##name##_driver);                            \
	}                                                                                          \
	struct kdrv_os_driver_##name

#define KDRV_OS_PARAM(id, type, rt, text) struct kdrv_os_param_##id

#endif /* KDRV_OS_DRIVER_H */
