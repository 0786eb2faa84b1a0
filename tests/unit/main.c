// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Runs every unit test group and prints TAP with a closing tally. */
#include <stdarg.h>
#include <stdlib.h>

#include "unit.h"
#include "kdrv_os_user.h"

int kdrv_unit_passed, kdrv_unit_failed;

struct kdrv_unit_group {
	const char *name;
	void (*run)(void);
};

static struct kdrv_unit_group kdrv_unit_groups[32];
static size_t kdrv_unit_nr_groups;

void kdrv_unit_register(const char *name, void (*run)(void))
{
	if (kdrv_unit_nr_groups == sizeof(kdrv_unit_groups) / sizeof(kdrv_unit_groups[0])) {
		fprintf(stderr, "unit: more than %zu test groups; raise the limit in main.c\n",
			kdrv_unit_nr_groups);
		exit(1);
	}
	kdrv_unit_groups[kdrv_unit_nr_groups++] = (struct kdrv_unit_group){ name, run };
}

/* Constructors run in link order; sorting by name keeps the output stable. */
static int kdrv_unit_cmp(const void *a, const void *b)
{
	return strcmp(((const struct kdrv_unit_group *)a)->name,
		      ((const struct kdrv_unit_group *)b)->name);
}

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
	size_t i;

	qsort(kdrv_unit_groups, kdrv_unit_nr_groups, sizeof(kdrv_unit_groups[0]), kdrv_unit_cmp);
	for (i = 0; i < kdrv_unit_nr_groups; i++) {
		kdrv_user_reset();
		kdrv_unit_groups[i].run();
	}
	printf("1..%d\n", kdrv_unit_passed + kdrv_unit_failed);
	printf("unit: %d passed, %d failed\n", kdrv_unit_passed, kdrv_unit_failed);
	return kdrv_unit_failed ? 1 : 0;
}
