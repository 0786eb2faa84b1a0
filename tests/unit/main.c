// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Runs every unit test group and prints TAP with a closing tally. */
#include <stdarg.h>

#include "unit.h"
#include "kdrv_os_user.h"

int kdrv_unit_passed, kdrv_unit_failed;

void kdrv_unit_result(int ok, const char *file, int line, const char *desc, const char *fmt, ...)
{
	va_list ap;

	printf("%s %d - %s\n", ok ? "ok" : "not ok", kdrv_unit_passed + kdrv_unit_failed + 1, desc);
	if (ok) {
		kdrv_unit_passed++;
		return;
	}
	kdrv_unit_failed++;
	printf("# %s:%d: ", file, line);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

int main(void)
{
	void (*groups[])(void) = {
		kdrv_unit_hello,
		kdrv_unit_random,
		kdrv_unit_roulette,
		kdrv_unit_procinfo,
	};
	size_t i;

	for (i = 0; i < sizeof(groups) / sizeof(groups[0]); i++) {
		kdrv_user_reset();
		groups[i]();
	}
	printf("1..%d\n", kdrv_unit_passed + kdrv_unit_failed);
	printf("unit: %d passed, %d failed\n", kdrv_unit_passed, kdrv_unit_failed);
	return kdrv_unit_failed ? 1 : 0;
}
