// SPDX-License-Identifier: GPL-2.0 OR MIT
/* kdrvctl on Linux: device files under /dev, state from /sys/module and /sys/class/misc. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "plat.h"

struct kdrvctl_dev_handle {
	int fd;
};

static const struct {
	const char *path;
	const char *module;
} kdrvctl_devs[] = {
	[KDRVCTL_DEV_RANDOM] = { KDRV_LINUX_RANDOM_DEV, "kdrv_random" },
	[KDRVCTL_DEV_ROULETTE] = { KDRV_LINUX_ROULETTE_DEV, "kdrv_roulette" },
	[KDRVCTL_DEV_PROCINFO] = { KDRV_LINUX_PROCINFO_DEV, "kdrv_procinfo" },
	[KDRVCTL_DEV_PIPE] = { KDRV_LINUX_PIPE_DEV, "kdrv_pipe" },
};

const char *kdrvctl_dev_path(enum kdrvctl_dev dev)
{
	return kdrvctl_devs[dev].path;
}

const char *kdrvctl_dev_load_hint(enum kdrvctl_dev dev)
{
	static char hint[128];

	snprintf(hint, sizeof(hint), "load the %s module first (insmod %s.ko)",
		 kdrvctl_devs[dev].module, kdrvctl_devs[dev].module);
	return hint;
}

int kdrvctl_dev_open(enum kdrvctl_dev dev, bool write, struct kdrvctl_dev_handle **h)
{
	int fd = open(kdrvctl_devs[dev].path, (write ? O_WRONLY : O_RDONLY) | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	*h = malloc(sizeof(**h));
	if (!*h) {
		close(fd);
		return -ENOMEM;
	}
	(*h)->fd = fd;
	return 0;
}

int64_t kdrvctl_dev_read(struct kdrvctl_dev_handle *h, void *buf, size_t len)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = read(h->fd, (char *)buf + done, len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return done ? (int64_t)done : -errno;
		if (n == 0)
			break;
		done += (size_t)n;
	}
	return (int64_t)done;
}

int64_t kdrvctl_dev_read_some(struct kdrvctl_dev_handle *h, void *buf, size_t len)
{
	ssize_t n;

	do
		n = read(h->fd, buf, len);
	while (n < 0 && errno == EINTR);
	return n < 0 ? -errno : (int64_t)n;
}

int64_t kdrvctl_dev_write(struct kdrvctl_dev_handle *h, const void *buf, size_t len)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = write(h->fd, (const char *)buf + done, len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		done += (size_t)n;
	}
	return (int64_t)done;
}

int kdrvctl_dev_procinfo(struct kdrvctl_dev_handle *h, struct kdrv_procinfo *info)
{
	return ioctl(h->fd, KDRV_IOCTL_PROCINFO_LINUX, info) ? -errno : 0;
}

void kdrvctl_dev_close(struct kdrvctl_dev_handle *h)
{
	close(h->fd);
	free(h);
}

int32_t kdrvctl_self_pid(void)
{
	return (int32_t)getpid();
}

/* Prints "  LABEL NAME: VALUE" for each regular file in @dir but the misc class's own. */
static void kdrvctl_print_files(const char *label, const char *dir)
{
	char path[512], val[256];
	struct dirent *de;
	struct stat st;
	DIR *d = opendir(dir);
	FILE *f;

	if (!d)
		return;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.' || !strcmp(de->d_name, "dev") ||
		    !strcmp(de->d_name, "uevent"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (lstat(path, &st) || !S_ISREG(st.st_mode))
			continue;
		f = fopen(path, "r");
		if (!f)
			continue;
		if (fgets(val, sizeof(val), f)) {
			val[strcspn(val, "\n")] = '\0';
			printf("  %s %s: %s\n", label, de->d_name, val);
		}
		fclose(f);
	}
	closedir(d);
}

/*
 * Every driver of the tree this kdrvctl was built from (KDRV_DRIVER_NAMES, from
 * the Makefile). A driver's device, if it has one, is /dev/kdrv-NAME, as
 * `make new` names it; its counters are the files of its misc class folder.
 */
int kdrvctl_status(void)
{
	static const char *const names[] = { KDRV_DRIVER_NAMES };
	char path[256];
	struct stat st;
	size_t i;
	int loaded = 0;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(path, sizeof(path), "/sys/module/kdrv_%s", names[i]);
		if (stat(path, &st)) {
			printf("kdrv_%s: not loaded\n", names[i]);
			continue;
		}
		loaded++;
		printf("kdrv_%s: loaded\n", names[i]);
		snprintf(path, sizeof(path), "/dev/kdrv-%s", names[i]);
		if (!stat(path, &st))
			printf("  device %s: mode %04o\n", path, st.st_mode & 07777);
		snprintf(path, sizeof(path), "/sys/module/kdrv_%s/parameters", names[i]);
		kdrvctl_print_files("parameter", path);
		snprintf(path, sizeof(path), "/sys/class/misc/kdrv-%s", names[i]);
		kdrvctl_print_files("counter", path);
	}
	return loaded ? 0 : 3;
}

int kdrvctl_plat_command(const char *cmd, int argc, char **argv)
{
	(void)cmd;
	(void)argc;
	(void)argv;
	return -1;
}

void kdrvctl_plat_usage(FILE *f)
{
	(void)f;
}
