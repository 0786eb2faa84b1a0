// SPDX-License-Identifier: GPL-2.0
/* kdrv_roulette as a Linux misc device: each open of /dev/kdrv-roulette spins once. */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/slab.h>
#include <linux/uio.h>

#include "compat.h"
#define KDRV_MODNAME KBUILD_MODNAME
#include "roulette/roulette.h"
#include "sink_linux.h"

/* Set before the parameters are parsed at load; -1 asks for a random C. */
static int kdrv_roulette_load_chance = -1;
static bool kdrv_roulette_loaded;

static int kdrv_roulette_chance_set(const char *val, const struct kernel_param *kp)
{
	int err = kdrv_roulette_set_chance(val);

	if (!err && !kdrv_roulette_loaded)
		kdrv_roulette_load_chance = kdrv_roulette_chance();
	return err;
}

static int kdrv_roulette_chance_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%d\n", kdrv_roulette_chance());
}

static int kdrv_roulette_boom_set(const char *val, const struct kernel_param *kp)
{
	return kdrv_roulette_set_boom(val);
}

static int kdrv_roulette_boom_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%s\n", kdrv_roulette_boom_name(kdrv_roulette_boom()));
}

/* NOARG: a bare `chance` reaches the setter (as NULL) and is refused like any bad value. */
static const struct kernel_param_ops kdrv_roulette_chance_ops = {
	.flags = KERNEL_PARAM_OPS_FL_NOARG,
	.set = kdrv_roulette_chance_set,
	.get = kdrv_roulette_chance_get,
};

static const struct kernel_param_ops kdrv_roulette_boom_ops = {
	.flags = KERNEL_PARAM_OPS_FL_NOARG,
	.set = kdrv_roulette_boom_set,
	.get = kdrv_roulette_boom_get,
};

module_param_cb(chance, &kdrv_roulette_chance_ops, NULL, 0644);
MODULE_PARM_DESC(chance, "Boom probability in percent, 0-100 (default: drawn at random at load)");
module_param_cb(boom, &kdrv_roulette_boom_ops, NULL, 0644);
MODULE_PARM_DESC(boom, "What a Boom does: error (-EIO, default), warn (WARN splat + -EIO), "
		       "oops (kills the reading task), panic (panics the kernel)");

static int kdrv_roulette_open(struct inode *inode, struct file *file)
{
	struct kdrv_roulette_spin *spin;
	int err;

	spin = kzalloc(sizeof(*spin), GFP_KERNEL);
	if (!spin)
		return -ENOMEM;
	err = kdrv_roulette_spin(spin);
	if (err) {
		kfree(spin);
		return err;
	}
	file->private_data = spin;
	return 0;
}

static int kdrv_roulette_release(struct inode *inode, struct file *file)
{
	kfree(file->private_data);
	return 0;
}

static ssize_t kdrv_roulette_read_iter(struct kiocb *iocb, struct iov_iter *to)
{
	struct kdrv_iter_sink s = KDRV_ITER_SINK(to);
	ssize_t ret;

	if (iocb->ki_pos < 0)
		return -EINVAL;
	ret = kdrv_roulette_read(iocb->ki_filp->private_data, iocb->ki_pos, &s.sink,
				 iov_iter_count(to));
	if (ret > 0)
		iocb->ki_pos += ret;
	return ret;
}

static const struct file_operations kdrv_roulette_fops = {
	.owner = THIS_MODULE,
	.open = kdrv_roulette_open,
	.release = kdrv_roulette_release,
	.read_iter = kdrv_roulette_read_iter,
	.llseek = default_llseek,
};

#define KDRV_ROULETTE_STAT(name, expr)                                                             \
	static ssize_t name##_show(struct device *dev, struct device_attribute *attr, char *buf)   \
	{                                                                                          \
		struct kdrv_roulette_stats st;                                                     \
                                                                                                   \
		kdrv_roulette_stats(&st);                                                          \
		return sysfs_emit(buf, "%lld\n", (long long)(expr));                               \
	}                                                                                          \
	static DEVICE_ATTR_RO(name)

KDRV_ROULETTE_STAT(spins, st.spins);
KDRV_ROULETTE_STAT(survivals, st.survivals);
KDRV_ROULETTE_STAT(booms_error, st.booms[KDRV_BOOM_ERROR]);
KDRV_ROULETTE_STAT(booms_warn, st.booms[KDRV_BOOM_WARN]);
KDRV_ROULETTE_STAT(booms_oops, st.booms[KDRV_BOOM_OOPS]);
KDRV_ROULETTE_STAT(booms_panic, st.booms[KDRV_BOOM_PANIC]);

static struct attribute *kdrv_roulette_attrs[] = {
	&dev_attr_spins.attr,
	&dev_attr_survivals.attr,
	&dev_attr_booms_error.attr,
	&dev_attr_booms_warn.attr,
	&dev_attr_booms_oops.attr,
	&dev_attr_booms_panic.attr,
	NULL,
};
ATTRIBUTE_GROUPS(kdrv_roulette);

static struct miscdevice kdrv_roulette_misc = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "kdrv-roulette",
	.fops = &kdrv_roulette_fops,
	.groups = kdrv_roulette_groups,
	.mode = 0444,
};

static int __init kdrv_roulette_mod_init(void)
{
	int err;

	err = kdrv_roulette_init(kdrv_roulette_load_chance);
	if (err)
		return err;
	kdrv_roulette_loaded = true;
	err = misc_register(&kdrv_roulette_misc);
	if (err)
		pr_err("cannot register /dev/%s: %d\n", kdrv_roulette_misc.name, err);
	return err;
}

static void __exit kdrv_roulette_mod_exit(void)
{
	misc_deregister(&kdrv_roulette_misc);
}

module_init(kdrv_roulette_mod_init);
module_exit(kdrv_roulette_mod_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("kdrv authors");
MODULE_DESCRIPTION(
    "kdrv roulette: each open of /dev/kdrv-roulette booms with probability chance/100");
MODULE_VERSION(KDRV_VERSION);
