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

int kdrvctl_dev_open(enum kdrvctl_dev dev, struct kdrvctl_dev_handle **h)
{
	int fd = open(kdrvctl_devs[dev].path, O_RDONLY | O_CLOEXEC);

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

/* Prints "  label: value" for each readable file in @dir, in @names order or all of them. */
static void kdrvctl_print_files(const char *label, const char *dir, const char *const *names)
{
	char path[512], val[256];
	const char *name;
	struct dirent *de = NULL;
	DIR *d = NULL;
	size_t i = 0;
	FILE *f;

	if (!names) {
		d = opendir(dir);
		if (!d)
			return;
	}
	for (;;) {
		if (d) {
			de = readdir(d);
			if (!de)
				break;
			if (de->d_name[0] == '.')
				continue;
			name = de->d_name;
		} else {
			name = names[i++];
			if (!name)
				break;
		}
		snprintf(path, sizeof(path), "%s/%s", dir, name);
		f = fopen(path, "r");
		if (!f)
			continue;
		if (fgets(val, sizeof(val), f)) {
			val[strcspn(val, "\n")] = '\0';
			printf("  %s %s: %s\n", label, name, val);
		}
		fclose(f);
	}
	if (d)
		closedir(d);
}

int kdrvctl_status(void)
{
	static const char *const random_stats[] = { "reads", "bytes", NULL };
	static const char *const roulette_stats[] = { "spins",	    "survivals",  "booms_error",
						      "booms_warn", "booms_oops", "booms_panic",
						      NULL };
	static const char *const procinfo_stats[] = { "lookups", "outstanding", NULL };
	static const struct {
		const char *module;
		const char *dev;
		const char *const *stats;
	} mods[] = {
		{ "kdrv_hello", NULL, NULL },
		{ "kdrv_random", "kdrv-random", random_stats },
		{ "kdrv_roulette", "kdrv-roulette", roulette_stats },
		{ "kdrv_procinfo", "kdrv-procinfo", procinfo_stats },
	};
	char path[256];
	struct stat st;
	size_t i;
	int loaded = 0;

	for (i = 0; i < sizeof(mods) / sizeof(mods[0]); i++) {
		snprintf(path, sizeof(path), "/sys/module/%s", mods[i].module);
		if (stat(path, &st)) {
			printf("%s: not loaded\n", mods[i].module);
			continue;
		}
		loaded++;
		printf("%s: loaded\n", mods[i].module);
		if (mods[i].dev) {
			snprintf(path, sizeof(path), "/dev/%s", mods[i].dev);
			if (stat(path, &st))
				printf("  device %s: missing (%s)\n", path, strerror(errno));
			else
				printf("  device %s: mode %04o\n", path, st.st_mode & 07777);
		}
		snprintf(path, sizeof(path), "/sys/module/%s/parameters", mods[i].module);
		kdrvctl_print_files("parameter", path, NULL);
		if (mods[i].stats) {
			snprintf(path, sizeof(path), "/sys/class/misc/%s", mods[i].dev);
			kdrvctl_print_files("counter", path, mods[i].stats);
		}
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
