// SPDX-License-Identifier: GPL-2.0 OR MIT
/* The kit in user space: loads, opens and drives any registered driver as the OS layers do. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <time.h>

#include "kdrv/driver.h"
#include "kdrv_os_user.h"

/**
 * struct kdrv_device - a registered driver's one device.
 * @name:	the driver's folder name.
 * @desc:	its description line.
 * @drv:	the description.
 * @lock:	guards @wakes.
 * @cond:	waiting calls sleep here.
 * @wakes:	bumped by kdrv_wake(), as on Linux.
 * @loaded:	between kdrv_user_load() and kdrv_user_unload().
 */
struct kdrv_device {
	const char *name;
	const char *desc;
	const struct kdrv_driver *drv;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	unsigned long wakes;
	bool loaded;
};

/* The harness's file: the driver's view, then what the harness keeps. */
struct kdrv_user_file {
	struct kdrv_file file;
	uint64_t pos;
};

static struct kdrv_device kdrv_user_devs[16];
static size_t kdrv_user_nr_devs;
static bool kdrv_user_signalled;
static __thread int kdrv_user_spins_held;

void kdrv_user_register(const char *name, const char *desc, const struct kdrv_driver *drv)
{
	struct kdrv_device *dev;

	if (kdrv_user_nr_devs == sizeof(kdrv_user_devs) / sizeof(kdrv_user_devs[0])) {
		fprintf(stderr, "kdrv_user: more than %zu drivers; raise the limit\n",
			kdrv_user_nr_devs);
		abort();
	}
	dev = &kdrv_user_devs[kdrv_user_nr_devs++];
	dev->name = name;
	dev->desc = desc;
	dev->drv = drv;
	pthread_mutex_init(&dev->lock, NULL);
	pthread_cond_init(&dev->cond, NULL);
}

static struct kdrv_device *kdrv_user_dev(const char *name)
{
	size_t i;

	for (i = 0; i < kdrv_user_nr_devs; i++)
		if (!strcmp(kdrv_user_devs[i].name, name))
			return &kdrv_user_devs[i];
	return NULL;
}

static void kdrv_user_die(const char *what, const char *why)
{
	fprintf(stderr, "kdrv_user: %s: %s\n", what, why);
	abort();
}

void kdrv_user_lock_init(pthread_mutex_t *m)
{
	pthread_mutexattr_t a;

	pthread_mutexattr_init(&a);
	pthread_mutexattr_settype(&a, PTHREAD_MUTEX_ERRORCHECK);
	pthread_mutex_init(m, &a);
	pthread_mutexattr_destroy(&a);
}

void kdrv_user_might_sleep(const char *what)
{
	if (kdrv_user_spins_held)
		kdrv_user_die(what, "may sleep, called with a spinlock held");
}

void kdrv_user_lock(pthread_mutex_t *m, bool spin, const char *what)
{
	if (!spin)
		kdrv_user_might_sleep(what);
	if (pthread_mutex_lock(m))
		kdrv_user_die(what, "taken twice by one thread");
	kdrv_user_spins_held += spin;
}

void kdrv_user_unlock(pthread_mutex_t *m, bool spin, const char *what)
{
	kdrv_user_spins_held -= spin;
	if (pthread_mutex_unlock(m))
		kdrv_user_die(what, "released by a thread that does not hold it");
}

void kdrv_wake(struct kdrv_device *dev)
{
	pthread_mutex_lock(&dev->lock);
	dev->wakes++;
	pthread_cond_broadcast(&dev->cond);
	pthread_mutex_unlock(&dev->lock);
}

void kdrv_user_signal(bool pending)
{
	size_t i;

	__atomic_store_n(&kdrv_user_signalled, pending, __ATOMIC_SEQ_CST);
	for (i = 0; i < kdrv_user_nr_devs; i++)
		kdrv_wake(&kdrv_user_devs[i]);
}

bool kdrv_user_signal_pending(void)
{
	return __atomic_load_n(&kdrv_user_signalled, __ATOMIC_SEQ_CST);
}

const struct kdrv_driver *kdrv_user_driver(const char *name)
{
	struct kdrv_device *dev = kdrv_user_dev(name);

	return dev ? dev->drv : NULL;
}

const char *kdrv_user_description(const char *name)
{
	struct kdrv_device *dev = kdrv_user_dev(name);

	return dev ? dev->desc : NULL;
}

size_t kdrv_user_drivers(const char **names, size_t max)
{
	size_t i;

	for (i = 0; i < kdrv_user_nr_devs && i < max; i++)
		names[i] = kdrv_user_devs[i].name;
	return kdrv_user_nr_devs;
}

int kdrv_user_load(const char *name)
{
	struct kdrv_device *dev = kdrv_user_dev(name);
	int err;

	if (!dev)
		return -KDRV_EINVAL;
	if (dev->loaded)
		return -KDRV_EBUSY;
	err = kdrv_driver_check(dev->drv);
	if (!err && dev->drv->init)
		err = dev->drv->init();
	if (kdrv_user_spins_held)
		kdrv_user_die(name, "init returned with a spinlock held");
	dev->loaded = !err;
	return err;
}

void kdrv_user_unload(const char *name)
{
	struct kdrv_device *dev = kdrv_user_dev(name);

	if (!dev || !dev->loaded)
		return;
	if (dev->drv->exit)
		dev->drv->exit();
	dev->loaded = false;
}

const struct kdrv_param *kdrv_user_param(const char *driver, const char *param)
{
	const struct kdrv_driver *drv = kdrv_user_driver(driver);
	const struct kdrv_param *const *p;

	for (p = drv ? drv->params : NULL; p && *p; p++)
		if (!strcmp((*p)->name, param))
			return *p;
	return NULL;
}

int64_t kdrv_user_stat(const char *driver, const char *stat)
{
	const struct kdrv_driver *drv = kdrv_user_driver(driver);
	const struct kdrv_stat *st;

	for (st = drv ? drv->stats : NULL; st && st->name; st++)
		if (!strcmp(st->name, stat))
			return kdrv_counter_read(st->counter);
	return -1;
}

int kdrv_user_open(const char *name, unsigned int flags, struct kdrv_file **file)
{
	struct kdrv_device *dev = kdrv_user_dev(name);
	struct kdrv_user_file *uf;
	int err = 0;

	if (!dev || !dev->loaded || !dev->drv->linux_name)
		return -KDRV_EINVAL;
	uf = calloc(1, sizeof(*uf) + dev->drv->file_size);
	if (!uf)
		return -KDRV_ENOMEM;
	uf->file.priv = dev->drv->file_size ? uf + 1 : NULL;
	uf->file.dev = dev;
	uf->file.flags = flags;
	if (dev->drv->open)
		err = dev->drv->open(&uf->file);
	if (err) {
		free(uf);
		return err;
	}
	*file = &uf->file;
	return 0;
}

void kdrv_user_close(struct kdrv_file *file)
{
	if (file->dev->drv->release)
		file->dev->drv->release(file);
	free(file);
}

/* Sleeps until the next kdrv_wake() after @seen; false when "signalled" first. */
static bool kdrv_user_wait(struct kdrv_device *dev, unsigned long seen)
{
	bool woken;

	pthread_mutex_lock(&dev->lock);
	while (dev->wakes == seen && !kdrv_user_signal_pending())
		pthread_cond_wait(&dev->cond, &dev->lock);
	woken = dev->wakes != seen;
	pthread_mutex_unlock(&dev->lock);
	return woken || !kdrv_user_signal_pending();
}

static unsigned long kdrv_user_wakes(struct kdrv_device *dev)
{
	unsigned long w;

	pthread_mutex_lock(&dev->lock);
	w = dev->wakes;
	pthread_mutex_unlock(&dev->lock);
	return w;
}

static void kdrv_user_check_unlocked(struct kdrv_file *file, const char *what)
{
	if (kdrv_user_spins_held)
		kdrv_user_die(what, "a handler returned with a spinlock held");
}

int64_t kdrv_user_read(struct kdrv_file *file, void *buf, size_t len, size_t limit)
{
	struct kdrv_user_file *uf = (struct kdrv_user_file *)file;
	const struct kdrv_driver *drv = file->dev->drv;
	struct kdrv_user_sink s;
	unsigned long seen;
	int64_t ret;

	if (!drv->read)
		return -KDRV_EINVAL;
	kdrv_user_sink_init(&s, buf, limit);
	for (;;) {
		seen = kdrv_user_wakes(file->dev);
		ret = drv->read(file, &s.sink, len, &uf->pos);
		kdrv_user_check_unlocked(file, "read");
		if (ret != -KDRV_EAGAIN || (file->flags & KDRV_O_NONBLOCK))
			return ret;
		if (!kdrv_user_wait(file->dev, seen))
			return -KDRV_ERESTARTSYS;
	}
}

int64_t kdrv_user_write(struct kdrv_file *file, const void *buf, size_t len, size_t limit)
{
	struct kdrv_user_file *uf = (struct kdrv_user_file *)file;
	const struct kdrv_driver *drv = file->dev->drv;
	struct kdrv_user_source s;
	unsigned long seen;
	size_t done = 0;
	int64_t ret;

	if (!drv->write)
		return -KDRV_EINVAL;
	kdrv_user_source_init(&s, buf, limit);
	for (;;) {
		seen = kdrv_user_wakes(file->dev);
		ret = drv->write(file, &s.source, len - done, &uf->pos);
		kdrv_user_check_unlocked(file, "write");
		if (ret > 0) {
			done += (size_t)ret;
			if (done == len || (file->flags & KDRV_O_NONBLOCK))
				break;
			continue;
		}
		if (ret != -KDRV_EAGAIN || (file->flags & KDRV_O_NONBLOCK))
			break;
		if (!kdrv_user_wait(file->dev, seen)) {
			ret = -KDRV_ERESTARTSYS;
			break;
		}
	}
	return done ? (int64_t)done : ret;
}

unsigned int kdrv_user_poll(struct kdrv_file *file)
{
	const struct kdrv_driver *drv = file->dev->drv;
	unsigned int m;

	if (!drv->poll)
		return KDRV_POLLIN | KDRV_POLLOUT;
	m = drv->poll(file);
	kdrv_user_check_unlocked(file, "poll");
	return m;
}

int kdrv_user_ioctl(struct kdrv_file *file, uint32_t cmd, void *arg, size_t limit)
{
	const struct kdrv_ioctl *io = kdrv_ioctl_find(file->dev->drv, cmd, false);
	struct kdrv_user_source in;
	struct kdrv_user_sink out;
	size_t done;
	int err;

	if (!io)
		return -KDRV_ENOTTY;
	kdrv_user_source_init(&in, arg, limit);
	kdrv_user_sink_init(&out, arg, limit);
	err = kdrv_ioctl_call(io, file, &in.source, &out.sink, &done);
	kdrv_user_check_unlocked(file, "ioctl");
	return err;
}
