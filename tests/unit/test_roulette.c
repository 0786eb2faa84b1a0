// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Unit tests of kdrv_roulette: parameter parsing, the unbiased sampler, spins and booms. */
#include <math.h>

#include "unit.h"
#include "kdrv_os_user.h"
#include "roulette/roulette.h"

static int unit_count(const char *hay, const char *needle)
{
	int n = 0;

	while ((hay = strstr(hay, needle))) {
		n++;
		hay += strlen(needle);
	}
	return n;
}

static void unit_roulette_parse(void)
{
	static const char *const bad_chance[] = {
		"", "-1", "101", "1000", "abc", "5x", " 5", "\n"
	};
	static const char *const bad_boom[] = { "", "ERROR", "boom", "errors", "warn\n\n" };
	enum kdrv_boom mode = KDRV_BOOM_NR;
	int chance = -1;
	size_t i;

	UNIT_EQ(0, kdrv_roulette_parse_chance("0", &chance), "roulette: chance 0 parses");
	UNIT_EQ(0, chance, "roulette: chance 0 value");
	UNIT_EQ(0, kdrv_roulette_parse_chance("100\n", &chance),
		"roulette: chance 100 from echo parses");
	UNIT_EQ(100, chance, "roulette: chance 100 value");
	for (i = 0; i < sizeof(bad_chance) / sizeof(bad_chance[0]); i++)
		UNIT_EQ(-KDRV_EINVAL, kdrv_roulette_parse_chance(bad_chance[i], &chance),
			"roulette: a bad chance is -EINVAL");
	UNIT_EQ(100, chance, "roulette: a bad chance leaves the value alone");

	UNIT_EQ(0, kdrv_roulette_parse_boom("panic\n", &mode), "roulette: boom panic parses");
	UNIT_EQ(KDRV_BOOM_PANIC, mode, "roulette: boom panic value");
	for (i = 0; i < sizeof(bad_boom) / sizeof(bad_boom[0]); i++)
		UNIT_EQ(-KDRV_EINVAL, kdrv_roulette_parse_boom(bad_boom[i], &mode),
			"roulette: a bad boom mode is -EINVAL");

	UNIT_EQ(0, kdrv_roulette_set_chance("42"), "roulette: set chance");
	UNIT_EQ(-KDRV_EINVAL, kdrv_roulette_set_chance("420"), "roulette: set a bad chance fails");
	UNIT_EQ(42, kdrv_roulette_chance(), "roulette: a failed set keeps the old chance");
	UNIT_CONTAINS(kdrv_user_log(), "chance must be an integer from 0 to 100, got '420'",
		      "roulette: a bad chance is logged clearly");
	UNIT_EQ(0, kdrv_roulette_set_boom("warn"), "roulette: set boom");
	UNIT_EQ(-KDRV_EINVAL, kdrv_roulette_set_boom("nuke"), "roulette: set a bad boom fails");
	UNIT_EQ(KDRV_BOOM_WARN, kdrv_roulette_boom(), "roulette: a failed set keeps the old boom");
}

/* Bytes 200..255 must be rejected, or V in 0..55 would come up more often. */
static void unit_roulette_sampler(void)
{
	static const uint8_t script[] = { 255, 200, 199, 0, 250, 57 };
	uint32_t v = 1000;
	int counts[100] = { 0 };
	int i, seen = 0, n = 200000;
	double mean = n / 100.0, sd = sqrt(n * 0.01 * 0.99);
	int lo = n, hi = 0;

	kdrv_user_faults.random_script = script;
	kdrv_user_faults.random_script_len = sizeof(script);
	kdrv_roulette_sample(&v);
	UNIT_EQ(99, v, "roulette: sampler skips bytes >= 200 (199 -> 99)");
	kdrv_roulette_sample(&v);
	UNIT_EQ(0, v, "roulette: sampler maps 0 -> 0");
	kdrv_roulette_sample(&v);
	UNIT_EQ(57, v, "roulette: sampler skips 250 and maps 57 -> 57");
	kdrv_user_reset();

	for (i = 0; i < n; i++) {
		kdrv_roulette_sample(&v);
		if (v < 100)
			counts[v]++;
	}
	for (i = 0; i < 100; i++) {
		seen += counts[i] > 0;
		lo = counts[i] < lo ? counts[i] : lo;
		hi = counts[i] > hi ? counts[i] : hi;
	}
	UNIT_EQ(100, seen, "roulette: 200000 samples cover every value 0..99");
	/* Six sigma per bucket: a flake is far less likely than a broken sampler. */
	UNIT_OK(lo > mean - 6 * sd && hi < mean + 6 * sd,
		"roulette: every bucket is within six sigma of uniform");

	kdrv_user_faults.random_fail_after = 0;
	UNIT_EQ(-KDRV_EIO, kdrv_roulette_sample(&v), "roulette: a CSPRNG failure is returned");
	kdrv_user_reset();
}

static void unit_roulette_spins(void)
{
	struct kdrv_roulette_spin spin;
	struct kdrv_roulette_stats before, after;
	char text[128] = "";
	struct kdrv_user_sink out;
	char expect[80];
	int i, booms = 0;

	kdrv_user_sink_init(&out, text, sizeof(text) - 1);
	UNIT_EQ(0, kdrv_roulette_init(0), "roulette: init with chance 0");
	UNIT_CONTAINS(kdrv_user_log(), "kdrv_roulette: Panic probability: 0/100\n",
		      "roulette: load announces the probability");
	kdrv_roulette_set_boom("error");
	kdrv_roulette_stats(&before);
	for (i = 0; i < 1000; i++) {
		kdrv_roulette_spin(&spin);
		booms += spin.boom;
	}
	kdrv_roulette_stats(&after);
	UNIT_EQ(0, booms, "roulette: chance 0 never booms in 1000 spins");
	UNIT_EQ(1000, after.survivals - before.survivals, "roulette: survivals are counted");

	snprintf(expect, sizeof(expect), "Survived... sampled value is %u, which is >= 0\n",
		 spin.value);
	UNIT_EQ(5, kdrv_roulette_read(&spin, 0, &out.sink, 5), "roulette: a short read");
	UNIT_EQ((int64_t)strlen(expect) - 5, kdrv_roulette_read(&spin, 5, &out.sink, 100),
		"roulette: the rest from offset 5");
	UNIT_OK(!strcmp(text, expect), "roulette: the message is the seed's survivor line");
	UNIT_EQ(0, kdrv_roulette_read(&spin, strlen(expect), &out.sink, 100),
		"roulette: EOF after it");

	kdrv_roulette_set_chance("100");
	kdrv_roulette_stats(&before);
	for (i = 0, booms = 0; i < 1000; i++) {
		kdrv_roulette_spin(&spin);
		booms += spin.boom;
	}
	kdrv_roulette_stats(&after);
	UNIT_EQ(1000, booms, "roulette: chance 100 always booms");
	UNIT_EQ(1000, after.booms[KDRV_BOOM_ERROR] - before.booms[KDRV_BOOM_ERROR],
		"roulette: booms are counted per mode");
	UNIT_EQ(-KDRV_EIO, kdrv_roulette_read(&spin, 0, &out.sink, 10),
		"roulette: error mode is -EIO");
	UNIT_EQ(KDRV_BOOM_NR, kdrv_user_last_crash(), "roulette: error mode crashes nothing");
	UNIT_CONTAINS(kdrv_user_log(), "which is < 100 (boom=error)",
		      "roulette: the boom is logged");

	for (i = 0; i < 199; i++) {
		kdrv_roulette_spin(&spin);
		kdrv_roulette_read(&spin, 0, &out.sink, 10);
	}
	UNIT_EQ(12, unit_count(kdrv_user_log(), "(boom=error)"),
		"roulette: 200 error booms log the first 10, the 100th and the 200th");
	UNIT_CONTAINS(kdrv_user_log(), "10 error-mode booms logged; from now on one in 100",
		      "roulette: the log says when it starts thinning boom lines");

	kdrv_roulette_set_boom("warn");
	kdrv_roulette_spin(&spin);
	UNIT_EQ(-KDRV_EIO, kdrv_roulette_read(&spin, 0, &out.sink, 10),
		"roulette: warn mode is -EIO");
	UNIT_EQ(KDRV_BOOM_WARN, kdrv_user_last_crash(), "roulette: warn mode asks for a warning");
	kdrv_roulette_set_boom("panic");
	kdrv_roulette_spin(&spin);
	kdrv_roulette_read(&spin, 0, &out.sink, 10);
	UNIT_EQ(KDRV_BOOM_PANIC, kdrv_user_last_crash(), "roulette: panic mode asks for a panic");
	kdrv_roulette_set_boom("error");
}

void kdrv_unit_roulette(void)
{
	unit_roulette_parse();
	unit_roulette_sampler();
	unit_roulette_spins();
}
