// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Unit tests of the kit itself, over every registered driver: allocation failures at each site. */
#include "unit.h"
#include "kdrv_os_user.h"

/*
 * Load, open, read and write a driver with the n-th allocation failing, for
 * n = 0, 1, ... until a run sees no failure: each run must fail cleanly with
 * -ENOMEM or succeed, and leave nothing allocated once unloaded.
 */
static void unit_kit_alloc_sweep(const char *name)
{
	const struct kdrv_driver *drv = kdrv_user_driver(name);
	char desc[128], buf[64];
	long n, injected = 0, unclean = 0, leaks = 0;

	for (n = 0; n < 64; n++) {
		struct kdrv_file *f = NULL;
		bool fired;
		int err;

		kdrv_user_reset();
		kdrv_user_faults.alloc_fail_after = n;
		err = kdrv_user_load(name);
		if (!err && drv->linux_name) {
			err =
			    kdrv_user_open(name, KDRV_O_READ | KDRV_O_WRITE | KDRV_O_NONBLOCK, &f);
			if (!err) {
				kdrv_user_write(f, "abc", 3, 3);
				kdrv_user_read(f, buf, sizeof(buf), sizeof(buf));
				kdrv_user_close(f);
			}
		}
		if (err && err != -KDRV_ENOMEM)
			unclean++;
		fired = kdrv_user_alloc_failures() > 0;
		kdrv_user_unload(name);
		leaks += kdrv_user_live_allocs() != 0;
		if (!fired)
			break;
		injected++;
	}
	kdrv_user_reset();
	printf("# %s: %ld allocation failures injected, one per call site and path\n", name,
	       injected);
	snprintf(desc, sizeof(desc), "kit[%s]: each injected allocation failure is -ENOMEM", name);
	UNIT_EQ(0, unclean, desc);
	snprintf(desc, sizeof(desc), "kit[%s]: nothing stays allocated after any of them", name);
	UNIT_EQ(0, leaks, desc);
	snprintf(desc, sizeof(desc), "kit[%s]: the sweep reached a run with no failure", name);
	UNIT_OK(n < 64, desc);
}

KDRV_UNIT_GROUP(kit)

void kdrv_unit_kit(void)
{
	const char *names[16];
	size_t i, n = kdrv_user_drivers(names, 16);

	UNIT_OK(n >= 5 && n <= 16, "kit: every driver of the tree registered with the harness");
	for (i = 0; i < n && i < 16; i++)
		unit_kit_alloc_sweep(names[i]);
}
