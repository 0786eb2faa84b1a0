// SPDX-License-Identifier: GPL-2.0 OR MIT
/* kdrv_@NAME@: /dev/kdrv-@NAME@ greets each reader; made by `make new`, now yours to change. */
#define KDRV_MODNAME "kdrv_@NAME@"
#include "kdrv/driver.h"
#include "@NAME@/@NAME@_abi.h"

static int kdrv_@NAME@_repeat = 1;

KDRV_PARAM_INT(repeat, kdrv_@NAME@_repeat, 1, KDRV_@UPPER@_REPEAT_MAX, true,
	       "Greetings per open file, 1-10 (default 1)");

static struct kdrv_counter kdrv_@NAME@_reads;

/* One open file: its greetings, fixed at open, read from the file position on. */
struct kdrv_@NAME@_file {
	char text[KDRV_@UPPER@_REPEAT_MAX * sizeof(KDRV_@UPPER@_GREETING)];
	size_t len;
};

static int kdrv_@NAME@_open(struct kdrv_file *file)
{
	struct kdrv_@NAME@_file *f = file->priv;
	int i, n = kdrv_read_once(kdrv_@NAME@_repeat);

	for (i = 0; i < n; i++) {
		memcpy(f->text + f->len, KDRV_@UPPER@_GREETING, sizeof(KDRV_@UPPER@_GREETING) - 1);
		f->len += sizeof(KDRV_@UPPER@_GREETING) - 1;
	}
	return 0;
}

static int64_t kdrv_@NAME@_read(struct kdrv_file *file, struct kdrv_sink *to, size_t len,
			       uint64_t *pos)
{
	struct kdrv_@NAME@_file *f = file->priv;
	size_t n, copied;

	if (*pos >= f->len || !len)
		return 0;
	n = kdrv_min(len, f->len - (size_t)*pos);
	copied = to->copy(to, f->text + *pos, n);
	if (!copied)
		return -KDRV_EFAULT;
	*pos += copied;
	kdrv_counter_add(&kdrv_@NAME@_reads, 1);
	return (int64_t)copied;
}

static const struct kdrv_param *const kdrv_@NAME@_params[] = {
	&kdrv_param_repeat,
	NULL,
};

static const struct kdrv_stat kdrv_@NAME@_stats[] = {
	{ "reads", &kdrv_@NAME@_reads },
	{},
};

KDRV_DRIVER(@NAME@, "kdrv @NAME@: /dev/kdrv-@NAME@ greets each reader") = {
	.linux_name = KDRV_LINUX_@UPPER@_NAME,
	.nt_name = KDRV_NT_@UPPER@_NAME,
	.mode = 0444,
	.seekable = true,
	.file_size = sizeof(struct kdrv_@NAME@_file),
	.open = kdrv_@NAME@_open,
	.read = kdrv_@NAME@_read,
	.params = kdrv_@NAME@_params,
	.stats = kdrv_@NAME@_stats,
};
