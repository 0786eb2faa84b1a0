// SPDX-License-Identifier: GPL-2.0 OR MIT
/* libFuzzer target: drives every driver through the kit's user-space harness, with fuzzed input. */
#include <stdlib.h>
#include <unistd.h>

#include "kdrv/driver.h"
#include "kdrv_os_user.h"

#define FUZZ_ASSERT(cond)                                                                          \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "%s:%d: %s\n", __FILE__, __LINE__, #cond);                 \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

/* Every parameter of every driver: a value is taken only if it reads back the same. */
static void fuzz_params(const uint8_t *data, size_t size)
{
	const char *names[16];
	size_t n = kdrv_user_drivers(names, 16), i;
	char s[16], back[32];

	size = kdrv_min(size, sizeof(s) - 1);
	memcpy(s, data, size);
	s[size] = '\0';
	for (i = 0; i < n; i++) {
		const struct kdrv_param *const *p = kdrv_user_driver(names[i])->params;

		for (; p && *p; p++) {
			int old = *(*p)->value, err = kdrv_param_set(*p, s);

			kdrv_param_get(*p, back, sizeof(back));
			if (err)
				FUZZ_ASSERT(*(*p)->value == old);
			else
				FUZZ_ASSERT(!strncmp(s, back, strcspn(back, "\n")));
			*(*p)->value = old;
		}
	}
}

static void fuzz_random(const uint8_t *data, size_t size)
{
	static uint8_t buf[1 << 16];
	struct kdrv_file *f;
	size_t len, limit;
	int64_t ret;

	if (size < 5 || kdrv_user_open("random", KDRV_O_READ, &f))
		return;
	len = (size_t)(data[0] | data[1] << 8);
	limit = (size_t)(data[2] | data[3] << 8);
	kdrv_user_faults.interrupt_after = data[4] & 0x80 ? data[4] & 0x7f : -1;
	ret = kdrv_user_read(f, buf, len, limit);
	kdrv_user_faults.interrupt_after = -1;
	kdrv_user_close(f);
	if (ret >= 0) {
		FUZZ_ASSERT((size_t)ret <= len && (size_t)ret <= limit);
		FUZZ_ASSERT(ret > 0 || len == 0);
	} else {
		FUZZ_ASSERT(len > 0 && (ret == -KDRV_EFAULT || ret == -KDRV_ERESTARTSYS));
	}
}

/* The caller's struct, as long as the input makes it, through the kit's size negotiation. */
static void fuzz_procinfo(const uint8_t *data, size_t size)
{
	uint8_t arg[512];
	struct kdrv_procinfo *info = (struct kdrv_procinfo *)arg;
	struct kdrv_file *f;
	size_t limit;
	int ret;

	if (size < 8 || kdrv_user_open("procinfo", KDRV_O_READ, &f))
		return;
	limit = kdrv_min(size - 2, sizeof(arg));
	memset(arg, 0xee, sizeof(arg));
	memcpy(arg, data + 2, limit);
	/* Real pids only near ours: /proc is the source of truth os/user reads. */
	if (limit >= 12 && info->pid > 0)
		info->pid = getpid() + (info->pid & 3);
	ret = kdrv_user_ioctl(f, KDRV_IOCTL_PROCINFO_LINUX, arg, limit);
	kdrv_user_close(f);
	FUZZ_ASSERT(ret == 0 || ret == -KDRV_EINVAL || ret == -KDRV_ESRCH || ret == -KDRV_EFAULT);
	if (ret == 0) {
		FUZZ_ASSERT(info->size >= KDRV_PROCINFO_SIZE_V1 && info->size <= limit);
		FUZZ_ASSERT(!(info->mask & ~0x3fu));
	}
	if (limit < sizeof(arg))
		FUZZ_ASSERT(arg[limit] == 0xee);
	FUZZ_ASSERT(kdrv_user_live_procs() == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool loaded;

	if (!loaded) {
		FUZZ_ASSERT(!kdrv_user_load("random") && !kdrv_user_load("procinfo"));
		loaded = true;
	}
	kdrv_user_reset();
	if (!size)
		return 0;
	switch (data[0] % 3) {
	case 0:
		fuzz_params(data + 1, size - 1);
		break;
	case 1:
		fuzz_random(data + 1, size - 1);
		break;
	default:
		fuzz_procinfo(data + 1, size - 1);
		break;
	}
	return 0;
}
