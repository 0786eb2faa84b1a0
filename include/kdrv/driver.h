/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* The kit: how a portable driver describes itself, so each OS layer can make it a native driver. */
#ifndef KDRV_DRIVER_H
#define KDRV_DRIVER_H

#include "kdrv/os.h"

/* &struct kdrv_file.flags: how the file was opened. */
#define KDRV_O_READ 0x1u
#define KDRV_O_WRITE 0x2u
/* Linux O_NONBLOCK, read afresh before each call; NT has no such mode and pends instead. */
#define KDRV_O_NONBLOCK 0x4u

/* What &struct kdrv_driver.poll returns: the Linux EPOLL bits' meaning, not their values. */
#define KDRV_POLLIN 0x1u
#define KDRV_POLLOUT 0x2u
#define KDRV_POLLHUP 0x4u
#define KDRV_POLLERR 0x8u

/* The OS layer's device: what kdrv_wake() wakes. */
struct kdrv_device;

/**
 * struct kdrv_file - one open file, as the driver sees it.
 * @priv:	the driver's per-open state: &struct kdrv_driver.file_size bytes,
 *		zeroed before open() and freed after release().
 * @dev:	the device the file is open on.
 * @flags:	KDRV_O_* bits.
 */
struct kdrv_file {
	void *priv;
	struct kdrv_device *dev;
	unsigned int flags;
};

/**
 * struct kdrv_ioctl - one ioctl a driver answers.
 * @linux_cmd:	the code on Linux, as abi.h spells it (_IOWR of a struct of @size).
 * @nt_code:	the code on NT (CTL_CODE, METHOD_BUFFERED).
 * @size:	the argument struct as this driver was built; it begins with a
 *		uint32_t that the caller sets to sizeof() as it was built.
 * @min_size:	the oldest struct still accepted; a caller's size below it is -EINVAL.
 * @call:	answers in place. @arg holds the caller's first @len bytes, zeroed
 *		past them; on success the first @len bytes are copied back.
 *		@len is min(caller's size, @size), so a newer caller's fields the
 *		driver does not know are never touched and an older caller gets
 *		only what it knows. Return 0 or a negative errno.
 *
 * The kit reads the caller's size, copies in, calls, and copies out: no driver
 * writes that negotiation itself.
 */
struct kdrv_ioctl {
	uint32_t linux_cmd;
	uint32_t nt_code;
	uint32_t size;
	uint32_t min_size;
	int (*call)(struct kdrv_file *file, void *arg, size_t len);
};

/* The largest ioctl argument the kit copies; it lives on the kernel stack. */
#define KDRV_IOCTL_MAX 256

enum kdrv_param_type {
	KDRV_PARAM_INT,
	KDRV_PARAM_CHOICE,
};

/**
 * struct kdrv_param - a load-time parameter, validated by the kit.
 * @name:	as the user types it: `insmod kdrv_x.ko NAME=...`, the NT
 *		service's Parameters\NAME value.
 * @desc:	one line for modinfo.
 * @type:	%KDRV_PARAM_INT: decimal @min..@max, no sign unless @min < 0, no
 *		leading zeros or spaces. %KDRV_PARAM_CHOICE: one of @choices,
 *		stored as its index.
 * @value:	where the driver reads it, with kdrv_read_once(); its initial
 *		value is the default and may lie outside the range to mean "not
 *		given" (the driver decides at init what that means).
 * @min:	smallest value (INT).
 * @max:	largest value (INT).
 * @choices:	the names, NULL-terminated (CHOICE).
 * @runtime:	whether root may change it after load (Linux: 0644 in sysfs,
 *		else 0444); NT reads parameters only at load.
 *
 * A value may end in one newline, as `echo` writes it. A bad value is refused
 * with -EINVAL and one rate-limited log line quoting it (escaped, cut at 16
 * bytes); the old value stays.
 */
struct kdrv_param {
	const char *name;
	const char *desc;
	enum kdrv_param_type type;
	int *value;
	int min;
	int max;
	const char *const *choices;
	bool runtime;
};

/**
 * struct kdrv_stat - a counter the OS layer shows.
 * @name:	file name under /sys/class/misc/<dev>/ on Linux; the label
 *		kdrvctl.exe prints on Windows.
 * @counter:	the counter.
 */
struct kdrv_stat {
	const char *name;
	struct kdrv_counter *counter;
};

/**
 * struct kdrv_driver - everything an OS layer needs to make a native driver.
 * @linux_name:	the misc device, /dev/@linux_name; NULL for no device.
 * @nt_name:	the NT device, \Device\@nt_name, opened as \\.\@nt_name.
 * @mode:	Linux permissions of the node (0444, 0666, ...).
 * @seekable:	whether lseek moves the position passed to read and write.
 * @file_size:	bytes of per-open state in &struct kdrv_file.priv (0: none).
 * @init:	at load, after the parameters are set, before the device
 *		exists. Return 0 or a negative errno that fails the load.
 * @exit:	at unload, after the device is gone and every file released.
 * @open:	a file was opened; -errno refuses the open.
 * @release:	the file's last reference went away; nothing of it is in use.
 * @read:	move up to @len bytes into @to from position *@pos, advancing
 *		it. Return the count (0 at end of file), -%KDRV_EAGAIN when
 *		nothing can move now, or a negative errno. Never sleeps for an
 *		event: the kit waits (see kdrv_wake()) and calls again.
 * @write:	move up to @len bytes from @from, like @read. A short count is
 *		followed by another call for the rest unless the caller is
 *		non-blocking or signalled, so a blocking write moves everything.
 * @poll:	KDRV_POLL* bits of what @read and @write could do now; without
 *		it the device is always readable and writable. Also decides
 *		when a waiting call is retried.
 * @ioctls:	the ioctls, ending with one whose @call is NULL; NULL for none.
 * @params:	the parameters, NULL-terminated; NULL for none.
 * @stats:	the counters, ending with a NULL @name; NULL for none.
 *
 * A missing @read or @write fails that call with -%KDRV_EINVAL, as Linux does
 * for a file without it; an unknown ioctl fails with -%KDRV_ENOTTY; on every OS.
 * Handlers run in process context (NT: PASSIVE_LEVEL) and may sleep on a
 * &struct kdrv_mutex; @read, @write and @poll of one file may run concurrently.
 */
struct kdrv_driver {
	const char *linux_name;
	const char *nt_name;
	unsigned int mode;
	bool seekable;
	size_t file_size;
	int (*init)(void);
	void (*exit)(void);
	int (*open)(struct kdrv_file *file);
	void (*release)(struct kdrv_file *file);
	int64_t (*read)(struct kdrv_file *file, struct kdrv_sink *to, size_t len, uint64_t *pos);
	int64_t (*write)(struct kdrv_file *file, struct kdrv_source *from, size_t len,
			 uint64_t *pos);
	unsigned int (*poll)(struct kdrv_file *file);
	const struct kdrv_ioctl *ioctls;
	const struct kdrv_param *const *params;
	const struct kdrv_stat *stats;
};

/**
 * kdrv_wake() - tell the kit that what a file's poll() reports may have changed.
 * @dev:	the device; every call waiting on it is retried.
 *
 * Call it after the state change, from a handler or from any context that may
 * sleep, with or without the driver's locks held. On Linux it wakes the
 * tasks sleeping in read, write and poll; on NT it retries the pended IRPs
 * once the current request returns.
 */
void kdrv_wake(struct kdrv_device *dev);

/*
 * Each OS layer's own part of a description: Linux turns it into modinfo and
 * module_param_cb(), NT and user space into nothing or a registration.
 */
#include <kdrv_os_driver.h>

/**
 * KDRV_DRIVER() - define the driver; follow it with `= { ... };`.
 * @name:	the driver's folder name; the symbol is kdrv_<name>_driver.
 * @desc:	one line for modinfo's description.
 */
#define KDRV_DRIVER(name, desc)                                                                    \
	extern const struct kdrv_driver kdrv_##name##_driver;                                      \
	KDRV_OS_DRIVER(name, desc);                                                                \
	const struct kdrv_driver kdrv_##name##_driver

/**
 * KDRV_PARAM_INT() - define an integer parameter kdrv_param_<id>.
 * @id:		the parameter's name, a C identifier.
 * @var:	the driver's int holding it.
 * @lo:		smallest value.
 * @hi:		largest value.
 * @rt:		whether root may change it after load.
 * @text:	one line for modinfo; say the range and default.
 */
#define KDRV_PARAM_INT(id, var, lo, hi, rt, text)                                                  \
	static const struct kdrv_param kdrv_param_##id = {                                         \
		.name = #id,                                                                       \
		.desc = text,                                                                      \
		.type = KDRV_PARAM_INT,                                                            \
		.value = &(var),                                                                   \
		.min = (lo),                                                                       \
		.max = (hi),                                                                       \
		.runtime = (rt),                                                                   \
	};                                                                                         \
	KDRV_OS_PARAM(id, "int", rt, text)

/**
 * KDRV_PARAM_CHOICE() - define a parameter kdrv_param_<id> that names one of a list.
 * @id:		the parameter's name, a C identifier.
 * @var:	the driver's int holding the index of the choice.
 * @names:	the choices, NULL-terminated.
 * @rt:		whether root may change it after load.
 * @text:	one line for modinfo; list the choices and the default.
 */
#define KDRV_PARAM_CHOICE(id, var, names, rt, text)                                                \
	static const struct kdrv_param kdrv_param_##id = {                                         \
		.name = #id,                                                                       \
		.desc = text,                                                                      \
		.type = KDRV_PARAM_CHOICE,                                                         \
		.value = &(var),                                                                   \
		.choices = (names),                                                                \
		.runtime = (rt),                                                                   \
	};                                                                                         \
	KDRV_OS_PARAM(id, "string", rt, text)

/* The kit's portable half (lib/), shared by every OS layer. */

/**
 * kdrv_driver_check() - refuse a description an OS layer cannot serve.
 * @drv:	the description.
 *
 * Each OS layer calls it before init(), so a mistake in a new driver fails its
 * load with one log line instead of misbehaving later.
 * Return: 0 or -%KDRV_EINVAL.
 */
int kdrv_driver_check(const struct kdrv_driver *drv);

/**
 * kdrv_param_set() - parse and store a parameter's new value.
 * @p:		the parameter.
 * @val:	the text; NULL when given bare (`insmod m.ko name`).
 *
 * Return: 0, or -%KDRV_EINVAL with one rate-limited log line and nothing changed.
 */
int kdrv_param_set(const struct kdrv_param *p, const char *val);

/**
 * kdrv_param_get() - write a parameter's value as text, newline-terminated.
 * @p:		the parameter.
 * @buf:	the destination.
 * @size:	its size.
 *
 * Return: the length written, without the terminating NUL.
 */
int kdrv_param_get(const struct kdrv_param *p, char *buf, size_t size);

/**
 * kdrv_ioctl_find() - the ioctl a code names.
 * @drv:	the driver.
 * @code:	the caller's code.
 * @nt:		whether @code is an NT code (else a Linux one).
 *
 * Return: the ioctl, or NULL.
 */
const struct kdrv_ioctl *kdrv_ioctl_find(const struct kdrv_driver *drv, uint32_t code, bool nt);

/**
 * kdrv_ioctl_call() - negotiate the size, copy in, answer, copy out.
 * @io:		from kdrv_ioctl_find().
 * @file:	the file.
 * @in:		the caller's argument.
 * @out:	where the answer goes (the same memory, for METHOD_BUFFERED and Linux).
 * @done:	set to the bytes copied out.
 *
 * Return: 0, -%KDRV_EINVAL for a size below @io->min_size, -%KDRV_EFAULT when
 * the caller's memory is shorter than its size says, or @io->call's error.
 */
int kdrv_ioctl_call(const struct kdrv_ioctl *io, struct kdrv_file *file, struct kdrv_source *in,
		    struct kdrv_sink *out, size_t *done);

#endif /* KDRV_DRIVER_H */
