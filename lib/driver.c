// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Checks of a driver's description, run by every OS layer before the driver's init. */
#include "kdrv/driver.h"

static int kdrv_driver_check_param(const struct kdrv_param *p)
{
	if (!p->name || !p->desc || !p->value)
		return -KDRV_EINVAL;
	if (p->type == KDRV_PARAM_INT)
		return p->min <= p->max ? 0 : -KDRV_EINVAL;
	if (p->type == KDRV_PARAM_CHOICE)
		return p->choices && p->choices[0] ? 0 : -KDRV_EINVAL;
	return -KDRV_EINVAL;
}

static int kdrv_driver_check_ioctl(const struct kdrv_ioctl *io)
{
	if (io->size > KDRV_IOCTL_MAX || io->min_size < sizeof(uint32_t) || io->min_size > io->size)
		return -KDRV_EINVAL;
	return 0;
}

int kdrv_driver_check(const struct kdrv_driver *drv)
{
	const struct kdrv_param *const *p;
	const struct kdrv_ioctl *io;

	if (!drv->linux_name != !drv->nt_name) {
		kdrv_err("description: a device needs both linux_name and nt_name");
		return -KDRV_EINVAL;
	}
	for (p = drv->params; p && *p; p++) {
		if (kdrv_driver_check_param(*p)) {
			kdrv_err("description: parameter %s is malformed",
				 (*p)->name ? (*p)->name : "(unnamed)");
			return -KDRV_EINVAL;
		}
	}
	for (io = drv->ioctls; io && io->call; io++) {
		if (kdrv_driver_check_ioctl(io)) {
			kdrv_err("description: ioctl 0x%08x: size %u, min_size %u (at most %d)",
				 (unsigned int)io->linux_cmd, (unsigned int)io->size,
				 (unsigned int)io->min_size, KDRV_IOCTL_MAX);
			return -KDRV_EINVAL;
		}
	}
	return 0;
}
