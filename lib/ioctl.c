// SPDX-License-Identifier: GPL-2.0 OR MIT
/* The ioctl size negotiation, written once for every driver and OS. */
#include "kdrv/driver.h"

const struct kdrv_ioctl *kdrv_ioctl_find(const struct kdrv_driver *drv, uint32_t code, bool nt)
{
	const struct kdrv_ioctl *io;

	for (io = drv->ioctls; io && io->call; io++)
		if ((nt ? io->nt_code : io->linux_cmd) == code)
			return io;
	return NULL;
}

int kdrv_ioctl_call(const struct kdrv_ioctl *io, struct kdrv_file *file, struct kdrv_source *in,
		    struct kdrv_sink *out, size_t *done)
{
	uint64_t arg[KDRV_IOCTL_MAX / sizeof(uint64_t)];
	uint32_t size;
	size_t len, got;
	int err;

	*done = 0;
	if (in->copy(in, &size, sizeof(size)) != sizeof(size))
		return -KDRV_EFAULT;
	if (size < io->min_size)
		return -KDRV_EINVAL;
	len = kdrv_min(size, io->size);
	memset(arg, 0, io->size);
	memcpy(arg, &size, sizeof(size));
	got = in->copy(in, (uint8_t *)arg + sizeof(size), len - sizeof(size));
	if (got != len - sizeof(size))
		return -KDRV_EFAULT;
	err = io->call(file, arg, len);
	if (err)
		return err;
	*done = out->copy(out, arg, len);
	return *done == len ? 0 : -KDRV_EFAULT;
}
