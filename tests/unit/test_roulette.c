// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Unit tests of kdrv_roulette: parameter parsing, the unbiased sampler, spins and booms. */
#include <math.h>
#include <stdlib.h>
#include <time.h>

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

/* Undoes the %b escapes the table uses: \n and \\. */
static void unit_unescape(char *s)
{
	char *out = s;

	if (!strcmp(s, "<empty>")) {
		*s = '\0';
		return;
	}
	for (; *s; s++) {
		if (*s == '\\' && s[1] == 'n') {
			*out++ = '\n';
			s++;
		} else if (*s == '\\' && s[1] == '\\') {
			*out++ = *++s;
		} else {
			*out++ = *s;
		}
	}
	*out = '\0';
}

/* The syntax table every OS's tests share: each row parsed by the core, as each OS parses it. */
static void unit_roulette_table(void)
{
	const char *path = "tests/vm/guest/roulette-params.txt";
	char line[256], shown[64], desc[320];
	FILE *f = fopen(path, "r");
	int rows = 0;

	UNIT_OK(f != NULL, "roulette: the parameter table opens (run from the top directory)");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char *param = strtok(line, "\t"), *text = strtok(NULL, "\t"),
		     *want = strtok(NULL, "\t\n");
		enum kdrv_boom mode = KDRV_BOOM_NR;
		int chance = -1, err;

		if (line[0] == '#' || !want)
			continue;
		snprintf(shown, sizeof(shown), "%s", text);
		unit_unescape(text);
		rows++;
		if (!strcmp(param, "chance"))
			err = kdrv_roulette_parse_chance(text, &chance);
		else
			err = kdrv_roulette_parse_boom(text, &mode);
		snprintf(desc, sizeof(desc), "roulette: %s '%s' is %s", param, shown, want);
		if (!strcmp(want, "EINVAL"))
			UNIT_EQ(-KDRV_EINVAL, err, desc);
		else if (!strcmp(param, "chance"))
			UNIT_OK(!err && chance == atoi(want), desc);
		else
			UNIT_OK(!err && !strcmp(want, kdrv_roulette_boom_name(mode)), desc);
	}
	fclose(f);
	UNIT_OK(rows >= 20, "roulette: the parameter table has its rows");
}

/* A rejected value is logged quoted, cut short and escaped: it cannot forge or flood a line. */
static void unit_roulette_reject_log(void)
{
	char big[4096];
	const char *line;

	kdrv_user_reset();
	UNIT_EQ(-KDRV_EINVAL, kdrv_roulette_set_chance("5\nkdrv_roulette: forged"),
		"roulette: a chance with a newline inside is refused");
	UNIT_CONTAINS(kdrv_user_log(), "got '5\\x0akdrv_roulette:'...\n",
		      "roulette: the refused text is escaped and cut at 16 bytes");
	UNIT_OK(!strstr(kdrv_user_log(), "\nkdrv_roulette: forged"),
		"roulette: the refused text starts no log line of its own");
	memset(big, '7', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	kdrv_user_reset();
	UNIT_EQ(-KDRV_EINVAL, kdrv_roulette_set_boom(big), "roulette: a 4 KiB boom is refused");
	line = kdrv_user_log();
	UNIT_OK(strlen(line) < 120, "roulette: the refusal of a 4 KiB value is one short line");
	kdrv_user_reset();
	UNIT_EQ(-KDRV_EINVAL, kdrv_roulette_set_chance(NULL), "roulette: a bare chance is refused");
	UNIT_CONTAINS(kdrv_user_log(), "chance must be an integer from 0 to 100, got nothing",
		      "roulette: a bare chance is logged as such");
}

/* 2000 refusals in a row: at most a burst of lines per 5 s interval, however fast they come. */
static void unit_roulette_reject_flood(void)
{
	struct timespec t0, t1;
	long ms, lines, bound;
	int i;

	kdrv_user_reset();
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < 2000; i++)
		kdrv_roulette_set_chance("nope");
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
	lines = unit_count(kdrv_user_log(), "chance must be");
	bound = 10 * (ms / 5000 + 2);
	printf("# 2000 refusals in %ld ms logged %ld lines\n", ms, lines);
	UNIT_OK(lines >= 1 && lines <= bound, "roulette: refusals are rate-limited");
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

/* One boom, one crash and one log line, however often the boomed file is read. */
static void unit_roulette_boom_once(void)
{
	static const char *const modes[] = { "error", "warn", "oops", "panic" };
	struct kdrv_roulette_spin spin;
	struct kdrv_user_sink out;
	char text[64], desc[96];
	size_t m;
	int r, lines;

	kdrv_user_sink_init(&out, text, sizeof(text));
	kdrv_roulette_set_chance("100");
	for (m = 0; m < sizeof(modes) / sizeof(modes[0]); m++) {
		int eio = 0;

		kdrv_user_reset();
		kdrv_roulette_set_boom(modes[m]);
		kdrv_roulette_spin(&spin);
		for (r = 0; r < 3; r++)
			eio += kdrv_roulette_read(&spin, 0, &out.sink, 10) == -KDRV_EIO;
		snprintf(desc, sizeof(desc), "roulette[%s]: three reads of one boom are -EIO",
			 modes[m]);
		UNIT_EQ(3, eio, desc);
		snprintf(desc, sizeof(desc), "roulette[%s]: three reads crash %s", modes[m],
			 m ? "once" : "nothing");
		UNIT_EQ(m ? 1 : 0, kdrv_user_crashes(), desc);
		/* Error-mode lines are thinned by then, so that mode may log none. */
		snprintf(desc, sizeof(desc), "roulette[%s]: three reads log at most one Boom line",
			 modes[m]);
		lines = unit_count(kdrv_user_log(), "(boom=");
		UNIT_OK(m ? lines == 1 : lines <= 1, desc);
	}
	kdrv_roulette_set_boom("error");
}

KDRV_UNIT_GROUP(roulette)

void kdrv_unit_roulette(void)
{
	unit_roulette_parse();
	unit_roulette_table();
	unit_roulette_reject_log();
	unit_roulette_sampler();
	unit_roulette_spins();
	unit_roulette_boom_once();
	unit_roulette_reject_flood();
}
