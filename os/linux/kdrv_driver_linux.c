// SPDX-License-Identifier: GPL-2.0
/* The kit on Linux: turns the one driver described in this module into a misc device. */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/poll.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/uio.h>
#include <linux/wait.h>

#include "compat.h"
#include "kdrv/driver.h"

/**
 * struct kdrv_device - the misc device and what waiting calls sleep on.
 * @misc:	the device; its fops serve every driver.
 * @wait:	read, write and poll sleep here until kdrv_wake().
 * @wakes:	bumped by kdrv_wake(); a call that found nothing to do sleeps
 *		only while it is unchanged, so a wake between the try and the
 *		sleep is never lost.
 * @attrs:	one read-only sysfs file per &struct kdrv_driver.stats entry.
 * @attr_list:	@attrs for @group, NULL-terminated.
 * @group:	the counters' sysfs group.
 * @groups:	@group for @misc, NULL-terminated.
 */
struct kdrv_device {
	struct miscdevice misc;
	wait_queue_head_t wait;
	atomic_t wakes;
	struct dev_ext_attribute *attrs;
	struct attribute **attr_list;
	struct attribute_group group;
	const struct attribute_group *groups[2];
};

static struct kdrv_device kdrv_linux_dev;

void kdrv_wake(struct kdrv_device *dev)
{
	atomic_inc(&dev->wakes);
	wake_up_interruptible_all(&dev->wait);
}

/* Copies between the driver and user memory: iov_iter for read and write, a pointer for ioctl. */
struct kdrv_linux_iter {
	union {
		struct kdrv_sink sink;
		struct kdrv_source source;
	};
	struct iov_iter *iter;
};

static size_t kdrv_linux_iter_to(struct kdrv_sink *sink, const void *src, size_t len)
{
	return copy_to_iter(src, len, container_of(sink, struct kdrv_linux_iter, sink)->iter);
}

static size_t kdrv_linux_iter_from(struct kdrv_source *source, void *dst, size_t len)
{
	return copy_from_iter(dst, len, container_of(source, struct kdrv_linux_iter, source)->iter);
}

struct kdrv_linux_uptr {
	union {
		struct kdrv_sink sink;
		struct kdrv_source source;
	};
	u8 __user *p;
};

static size_t kdrv_linux_uptr_to(struct kdrv_sink *sink, const void *src, size_t len)
{
	struct kdrv_linux_uptr *u = container_of(sink, struct kdrv_linux_uptr, sink);
	size_t n = len - copy_to_user(u->p, src, len);

	u->p += n;
	return n;
}

static size_t kdrv_linux_uptr_from(struct kdrv_source *source, void *dst, size_t len)
{
	struct kdrv_linux_uptr *u = container_of(source, struct kdrv_linux_uptr, source);
	size_t n = len - copy_from_user(dst, u->p, len);

	u->p += n;
	return n;
}

/*
 * fcntl() may change O_NONBLOCK at any time and io_uring asks per call, so it
 * is read afresh; concurrent calls on one file see the same f_flags.
 */
static bool kdrv_linux_nonblock(struct kiocb *iocb, struct kdrv_file *file)
{
	bool nb = (iocb->ki_filp->f_flags & O_NONBLOCK) || (iocb->ki_flags & IOCB_NOWAIT);
	unsigned int flags = READ_ONCE(file->flags);

	WRITE_ONCE(file->flags, nb ? flags | KDRV_O_NONBLOCK : flags & ~KDRV_O_NONBLOCK);
	return nb;
}

static int kdrv_linux_open(struct inode *inode, struct file *f)
{
	const struct kdrv_driver *drv = kdrv_this_driver;
	struct kdrv_file *file;
	int err;

	file = kzalloc(sizeof(*file) + drv->file_size, GFP_KERNEL);
	if (!file)
		return -ENOMEM;
	if (drv->file_size)
		file->priv = file + 1;
	file->dev = &kdrv_linux_dev;
	file->flags = (f->f_mode & FMODE_READ ? KDRV_O_READ : 0) |
		      (f->f_mode & FMODE_WRITE ? KDRV_O_WRITE : 0) |
		      (f->f_flags & O_NONBLOCK ? KDRV_O_NONBLOCK : 0);
	err = drv->seekable ? generic_file_open(inode, f) : nonseekable_open(inode, f);
	if (!err && drv->open)
		err = drv->open(file);
	if (err) {
		kfree(file);
		return err;
	}
	f->private_data = file;
	return 0;
}

static int kdrv_linux_release(struct inode *inode, struct file *f)
{
	struct kdrv_file *file = f->private_data;

	if (kdrv_this_driver->release)
		kdrv_this_driver->release(file);
	kfree(file);
	return 0;
}

/* Sleeps until the next kdrv_wake() after @seen; false when a signal came first. */
static bool kdrv_linux_wait(int seen)
{
	return !wait_event_interruptible(kdrv_linux_dev.wait,
					 atomic_read(&kdrv_linux_dev.wakes) != seen);
}

static ssize_t kdrv_linux_read_iter(struct kiocb *iocb, struct iov_iter *to)
{
	const struct kdrv_driver *drv = kdrv_this_driver;
	struct kdrv_linux_iter s = { .sink.copy = kdrv_linux_iter_to, .iter = to };
	struct kdrv_file *file = iocb->ki_filp->private_data;
	bool nonblock = kdrv_linux_nonblock(iocb, file);
	size_t len = iov_iter_count(to);
	u64 pos;
	s64 ret;
	int seen;

	if (!drv->read)
		return -EINVAL;
	if (iocb->ki_pos < 0)
		return -EINVAL;
	for (;;) {
		seen = atomic_read(&kdrv_linux_dev.wakes);
		pos = iocb->ki_pos;
		ret = drv->read(file, &s.sink, len, &pos);
		if (ret > 0)
			iocb->ki_pos = pos;
		if (ret != -EAGAIN || nonblock)
			return ret;
		if (!kdrv_linux_wait(seen))
			return -ERESTARTSYS;
	}
}

static ssize_t kdrv_linux_write_iter(struct kiocb *iocb, struct iov_iter *from)
{
	const struct kdrv_driver *drv = kdrv_this_driver;
	struct kdrv_linux_iter s = { .source.copy = kdrv_linux_iter_from, .iter = from };
	struct kdrv_file *file = iocb->ki_filp->private_data;
	bool nonblock = kdrv_linux_nonblock(iocb, file);
	size_t len = iov_iter_count(from), done = 0;
	u64 pos;
	s64 ret;
	int seen;

	if (!drv->write)
		return -EINVAL;
	if (iocb->ki_pos < 0)
		return -EINVAL;
	for (;;) {
		seen = atomic_read(&kdrv_linux_dev.wakes);
		pos = iocb->ki_pos;
		ret = drv->write(file, &s.source, len - done, &pos);
		if (ret > 0) {
			iocb->ki_pos = pos;
			done += ret;
			if (done == len || nonblock)
				break;
			continue;
		}
		if (ret != -EAGAIN || nonblock)
			break;
		if (!kdrv_linux_wait(seen)) {
			ret = -ERESTARTSYS;
			break;
		}
	}
	return done ? done : ret;
}

static __poll_t kdrv_linux_poll(struct file *f, poll_table *pt)
{
	const struct kdrv_driver *drv = kdrv_this_driver;
	unsigned int m = KDRV_POLLIN | KDRV_POLLOUT;

	poll_wait(f, &kdrv_linux_dev.wait, pt);
	if (drv->poll)
		m = drv->poll(f->private_data);
	return (m & KDRV_POLLIN ? EPOLLIN | EPOLLRDNORM : 0) |
	       (m & KDRV_POLLOUT ? EPOLLOUT | EPOLLWRNORM : 0) | (m & KDRV_POLLHUP ? EPOLLHUP : 0) |
	       (m & KDRV_POLLERR ? EPOLLERR : 0);
}

static long kdrv_linux_ioctl(struct file *f, unsigned int cmd, unsigned long arg)
{
	const struct kdrv_ioctl *io = kdrv_ioctl_find(kdrv_this_driver, cmd, false);
	struct kdrv_linux_uptr in = { .source.copy = kdrv_linux_uptr_from,
				      .p = (void __user *)arg };
	struct kdrv_linux_uptr out = { .sink.copy = kdrv_linux_uptr_to, .p = (void __user *)arg };
	size_t done;

	if (!io)
		return -ENOTTY;
	return kdrv_ioctl_call(io, f->private_data, &in.source, &out.sink, &done);
}

static const struct file_operations kdrv_linux_fops = {
	.owner = THIS_MODULE,
	.open = kdrv_linux_open,
	.release = kdrv_linux_release,
	.read_iter = kdrv_linux_read_iter,
	.write_iter = kdrv_linux_write_iter,
	.poll = kdrv_linux_poll,
	.unlocked_ioctl = kdrv_linux_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.llseek = default_llseek,
};

/* Each ioctl's size is in its Linux code: a description that disagrees fails the load. */
static int kdrv_linux_ioctls_check(const struct kdrv_driver *drv)
{
	const struct kdrv_ioctl *io;

	for (io = drv->ioctls; io && io->call; io++) {
		if (_IOC_SIZE(io->linux_cmd) != io->size) {
			pr_err("ioctl 0x%08x encodes size %u, the description says %u\n",
			       io->linux_cmd, _IOC_SIZE(io->linux_cmd), io->size);
			return -EINVAL;
		}
	}
	return 0;
}

static ssize_t kdrv_linux_stat_show(struct device *d, struct device_attribute *attr, char *buf)
{
	struct dev_ext_attribute *ea = container_of(attr, struct dev_ext_attribute, attr);

	return sysfs_emit(buf, "%lld\n", kdrv_counter_read(ea->var));
}

static int kdrv_linux_stats_init(struct kdrv_device *dev, const struct kdrv_stat *stats)
{
	size_t i, n = 0;

	while (stats && stats[n].name)
		n++;
	if (!n)
		return 0;
	dev->attrs = kcalloc(n, sizeof(*dev->attrs), GFP_KERNEL);
	dev->attr_list = kcalloc(n + 1, sizeof(*dev->attr_list), GFP_KERNEL);
	if (!dev->attrs || !dev->attr_list) {
		kfree(dev->attrs);
		kfree(dev->attr_list);
		return -ENOMEM;
	}
	for (i = 0; i < n; i++) {
		struct dev_ext_attribute *ea = &dev->attrs[i];

		sysfs_attr_init(&ea->attr.attr);
		ea->attr.attr.name = stats[i].name;
		ea->attr.attr.mode = 0444;
		ea->attr.show = kdrv_linux_stat_show;
		ea->var = stats[i].counter;
		dev->attr_list[i] = &ea->attr.attr;
	}
	dev->group.attrs = dev->attr_list;
	dev->groups[0] = &dev->group;
	dev->misc.groups = dev->groups;
	return 0;
}

static void kdrv_linux_stats_uninit(struct kdrv_device *dev)
{
	kfree(dev->attr_list);
	kfree(dev->attrs);
}

static int kdrv_linux_param_set(const char *val, const struct kernel_param *kp)
{
	return kdrv_param_set(kp->arg, val);
}

static int kdrv_linux_param_get(char *buf, const struct kernel_param *kp)
{
	return kdrv_param_get(kp->arg, buf, PAGE_SIZE);
}

/* NOARG: a bare `name` at load reaches the kit (as NULL) and is refused like any bad value. */
const struct kernel_param_ops kdrv_linux_param_ops = {
	.flags = KERNEL_PARAM_OPS_FL_NOARG,
	.set = kdrv_linux_param_set,
	.get = kdrv_linux_param_get,
};

static int __init kdrv_linux_init(void)
{
	const struct kdrv_driver *drv = kdrv_this_driver;
	struct kdrv_device *dev = &kdrv_linux_dev;
	int err;

	err = kdrv_driver_check(drv);
	if (!err)
		err = kdrv_linux_ioctls_check(drv);
	if (err)
		return err;
	init_waitqueue_head(&dev->wait);
	if (drv->init) {
		err = drv->init();
		if (err)
			return err;
	}
	if (!drv->linux_name)
		return 0;

	err = kdrv_linux_stats_init(dev, drv->stats);
	if (err)
		goto err_exit;
	dev->misc.minor = MISC_DYNAMIC_MINOR;
	dev->misc.name = drv->linux_name;
	dev->misc.fops = &kdrv_linux_fops;
	dev->misc.mode = drv->mode;
	err = misc_register(&dev->misc);
	if (err) {
		pr_err("cannot register /dev/%s: %d\n", drv->linux_name, err);
		goto err_stats_uninit;
	}
	pr_info("/dev/%s ready\n", drv->linux_name);
	return 0;

err_stats_uninit:
	kdrv_linux_stats_uninit(dev);
err_exit:
	if (drv->exit)
		drv->exit();
	return err;
}

static void __exit kdrv_linux_exit(void)
{
	const struct kdrv_driver *drv = kdrv_this_driver;

	if (drv->linux_name) {
		misc_deregister(&kdrv_linux_dev.misc);
		kdrv_linux_stats_uninit(&kdrv_linux_dev);
	}
	if (drv->exit)
		drv->exit();
}

module_init(kdrv_linux_init);
module_exit(kdrv_linux_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("kdrv authors");
MODULE_VERSION(KDRV_VERSION);
