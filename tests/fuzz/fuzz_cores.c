// SPDX-License-Identifier: GPL-2.0 OR MIT
/* libFuzzer target: drives the portable cores through os/user with inputs and faults from the
 * fuzzer. */
#include <stdlib.h>
#include <unistd.h>

#define KDRV_MODNAME "kdrv_fuzz"
#include "kdrv/os.h"
#include "kdrv_os_user.h"
#include "procinfo/procinfo.h"
#include "random/random.h"
#include "roulette/roulette.h"

#define FUZZ_ASSERT(cond)                                                                          \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "%s:%d: %s\n", __FILE__, __LINE__, #cond);                 \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

static void fuzz_params(const uint8_t *data, size_t size)
{
	char s[16];
	enum kdrv_boom mode;
	int chance;

	size = kdrv_min(size, sizeof(s) - 1);
	memcpy(s, data, size);
	s[size] = '\0';
	if (!kdrv_roulette_parse_chance(s, &chance))
		FUZZ_ASSERT(chance >= 0 && chance <= KDRV_ROULETTE_MAX);
	if (!kdrv_roulette_parse_boom(s, &mode))
		FUZZ_ASSERT(!strncmp(s, kdrv_roulette_boom_name(mode),
				     strlen(kdrv_roulette_boom_name(mode))));
}

static void fuzz_random(const uint8_t *data, size_t size)
{
	static uint8_t buf[1 << 16];
	struct kdrv_user_sink s;
	size_t len, limit;
	int64_t ret;

	if (size < 5)
		return;
	len = (size_t)(data[0] | data[1] << 8);
	limit = (size_t)(data[2] | data[3] << 8);
	kdrv_user_faults.interrupt_after = data[4] & 0x80 ? data[4] & 0x7f : -1;
	kdrv_user_sink_init(&s, buf, limit);
	ret = kdrv_random_read(&s.sink, len);
	kdrv_user_faults.interrupt_after = -1;
	if (ret >= 0) {
		FUZZ_ASSERT((size_t)ret <= len && (size_t)ret == s.used);
		FUZZ_ASSERT(ret > 0 || len == 0);
	} else {
		FUZZ_ASSERT(s.used == 0 && len > 0);
		FUZZ_ASSERT(ret == -KDRV_EFAULT);
	}
}

static void fuzz_procinfo(const uint8_t *data, size_t size)
{
	struct kdrv_procinfo info;
	uint32_t user_size;
	size_t len;
	int ret;

	if (size < 8)
		return;
	memcpy(&user_size, data, 4);
	memset(&info, 0, sizeof(info));
	memcpy(&info, data, kdrv_min(size, sizeof(info)));
	if (kdrv_procinfo_copy_len(user_size, &len)) {
		FUZZ_ASSERT(user_size < KDRV_PROCINFO_SIZE_V1);
		return;
	}
	/* Real pids only near ours: /proc is the source of truth os/user reads. */
	if (info.pid > 0)
		info.pid = getpid() + (info.pid & 3);
	ret = kdrv_procinfo_query(&info, len);
	FUZZ_ASSERT(ret == 0 || ret == -KDRV_EINVAL || ret == -KDRV_ESRCH);
	FUZZ_ASSERT(info.size == len);
	FUZZ_ASSERT(!(info.mask & ~0x3fu));
	FUZZ_ASSERT(ret == 0 || info.mask == 0);
	FUZZ_ASSERT(kdrv_user_live_procs() == 0 && kdrv_procinfo_outstanding() == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
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
