// SPDX-License-Identifier: GPL-2.0
/* kdrv_random as a Linux misc device: /dev/kdrv-random streams CSPRNG bytes. */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/uio.h>

#include "compat.h"
#define KDRV_MODNAME KBUILD_MODNAME
#include "random/random.h"
#include "sink_linux.h"

static int kdrv_random_open(struct inode *inode, struct file *file)
{
	pr_info_ratelimited("device opened\n");
	return nonseekable_open(inode, file);
}

static ssize_t kdrv_random_read_iter(struct kiocb *iocb, struct iov_iter *to)
{
	struct kdrv_iter_sink s = KDRV_ITER_SINK(to);

	return kdrv_random_read(&s.sink, iov_iter_count(to));
}

/* Writing entropy in is /dev/random's job; this device only hands it out. */
static ssize_t kdrv_random_write(struct file *file, const char __user *buf, size_t len, loff_t *pos)
{
	return -EPERM;
}

static const struct file_operations kdrv_random_fops = {
	.owner = THIS_MODULE,
	.open = kdrv_random_open,
	.read_iter = kdrv_random_read_iter,
	.write = kdrv_random_write,
	.llseek = no_llseek,
};

static ssize_t reads_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	struct kdrv_random_stats st;

	kdrv_random_stats(&st);
	return sysfs_emit(buf, "%lld\n", st.reads);
}

static ssize_t bytes_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	struct kdrv_random_stats st;

	kdrv_random_stats(&st);
	return sysfs_emit(buf, "%lld\n", st.bytes);
}

static DEVICE_ATTR_RO(reads);
static DEVICE_ATTR_RO(bytes);

static struct attribute *kdrv_random_attrs[] = {
	&dev_attr_reads.attr,
	&dev_attr_bytes.attr,
	NULL,
};
ATTRIBUTE_GROUPS(kdrv_random);

static struct miscdevice kdrv_random_misc = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "kdrv-random",
	.fops = &kdrv_random_fops,
	.groups = kdrv_random_groups,
	.mode = 0444,
};

static int __init kdrv_random_mod_init(void)
{
	int err = misc_register(&kdrv_random_misc);

	if (err) {
		pr_err("cannot register /dev/%s: %d\n", kdrv_random_misc.name, err);
		return err;
	}
	pr_info("init: /dev/%s ready\n", kdrv_random_misc.name);
	return 0;
}

static void __exit kdrv_random_mod_exit(void)
{
	misc_deregister(&kdrv_random_misc);
	pr_info("exit\n");
}

module_init(kdrv_random_mod_init);
module_exit(kdrv_random_mod_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("kdrv authors");
MODULE_DESCRIPTION("kdrv random: /dev/kdrv-random streams bytes from the kernel CSPRNG");
MODULE_VERSION(KDRV_VERSION);
