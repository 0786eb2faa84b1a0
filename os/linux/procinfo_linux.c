// SPDX-License-Identifier: GPL-2.0
/* kdrv_procinfo as a Linux misc device: an ioctl on /dev/kdrv-procinfo looks a process up. */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fs.h>
#include <linux/ioctl.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/uaccess.h>

#include "compat.h"
#define KDRV_MODNAME KBUILD_MODNAME
#include "kdrv/os.h"
#include "procinfo/procinfo.h"

static_assert(_IOWR('k', 0xd0, struct kdrv_procinfo) == KDRV_IOCTL_PROCINFO_LINUX);

static long kdrv_procinfo_ioctl_query(struct kdrv_procinfo __user *uinfo)
{
	struct kdrv_procinfo info = {};
	u32 user_size;
	size_t len;
	int err;

	if (get_user(user_size, &uinfo->size))
		return -EFAULT;
	err = kdrv_procinfo_copy_len(user_size, &len);
	if (err)
		return err;
	if (copy_from_user(&info, uinfo, len))
		return -EFAULT;
	err = kdrv_procinfo_query(&info, len);
	if (err)
		return err;
	if (copy_to_user(uinfo, &info, len))
		return -EFAULT;
	return 0;
}

static long kdrv_procinfo_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	switch (cmd) {
	case KDRV_IOCTL_PROCINFO_LINUX:
		return kdrv_procinfo_ioctl_query((struct kdrv_procinfo __user *)arg);
	default:
		return -ENOTTY;
	}
}

static const struct file_operations kdrv_procinfo_fops = {
	.owner = THIS_MODULE,
	.open = nonseekable_open,
	.unlocked_ioctl = kdrv_procinfo_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.llseek = no_llseek,
};

static ssize_t lookups_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%lld\n", kdrv_procinfo_lookups());
}
static DEVICE_ATTR_RO(lookups);

/* Outstanding process references: a debugging aid, so only debug builds show it. */
static ssize_t outstanding_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%lld\n", kdrv_procinfo_outstanding());
}
static DEVICE_ATTR_RO(outstanding);

static struct attribute *kdrv_procinfo_attrs[] = {
	&dev_attr_lookups.attr,
	IS_ENABLED(KDRV_DEBUG) ? &dev_attr_outstanding.attr : NULL,
	NULL,
};
ATTRIBUTE_GROUPS(kdrv_procinfo);

static struct miscdevice kdrv_procinfo_misc = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "kdrv-procinfo",
	.fops = &kdrv_procinfo_fops,
	.groups = kdrv_procinfo_groups,
	.mode = 0444,
};

static int __init kdrv_procinfo_mod_init(void)
{
	int err = misc_register(&kdrv_procinfo_misc);

	if (err)
		pr_err("cannot register /dev/%s: %d\n", kdrv_procinfo_misc.name, err);
	return err;
}

static void __exit kdrv_procinfo_mod_exit(void)
{
	misc_deregister(&kdrv_procinfo_misc);
}

module_init(kdrv_procinfo_mod_init);
module_exit(kdrv_procinfo_mod_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("kdrv authors");
MODULE_DESCRIPTION("kdrv procinfo: an ioctl on /dev/kdrv-procinfo reports a process's facts");
MODULE_VERSION(KDRV_VERSION);
