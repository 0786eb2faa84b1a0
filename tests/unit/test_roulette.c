// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Unit tests of kdrv_roulette: parameter parsing, the unbiased sampler, spins and booms. */
#include <math.h>
#include <stdlib.h>
#include <time.h>

#include "unit.h"
#include "kdrv_os_user.h"

static int unit_count(const char *hay, const char *needle)
{
	int n = 0;

	while ((hay = strstr(hay, needle))) {
		n++;
		hay += strlen(needle);
	}
	return n;
}

static int unit_set(const char *param, const char *val)
{
	return kdrv_param_set(kdrv_user_param("roulette", param), val);
}

/* The value as sysfs would show it, without the newline. */
static const char *unit_get(const char *param)
{
	static char buf[32];

	kdrv_param_get(kdrv_user_param("roulette", param), buf, sizeof(buf));
	buf[strcspn(buf, "\n")] = '\0';
	return buf;
}

static void unit_roulette_parse(void)
{
	static const char *const bad_chance[] = {
		"", "-1", "101", "1000", "abc", "5x", " 5", "\n"
	};
	static const char *const bad_boom[] = { "", "ERROR", "boom", "errors", "warn\n\n" };
	size_t i;

	UNIT_EQ(0, unit_set("chance", "0"), "roulette: chance 0 parses");
	UNIT_OK(!strcmp("0", unit_get("chance")), "roulette: chance 0 value");
	UNIT_EQ(0, unit_set("chance", "100\n"), "roulette: chance 100 from echo parses");
	UNIT_OK(!strcmp("100", unit_get("chance")), "roulette: chance 100 value");
	for (i = 0; i < sizeof(bad_chance) / sizeof(bad_chance[0]); i++)
		UNIT_EQ(-KDRV_EINVAL, unit_set("chance", bad_chance[i]),
			"roulette: a bad chance is -EINVAL");
	UNIT_OK(!strcmp("100", unit_get("chance")),
		"roulette: a bad chance leaves the value alone");

	UNIT_EQ(0, unit_set("boom", "panic\n"), "roulette: boom panic parses");
	UNIT_OK(!strcmp("panic", unit_get("boom")), "roulette: boom panic value");
	for (i = 0; i < sizeof(bad_boom) / sizeof(bad_boom[0]); i++)
		UNIT_EQ(-KDRV_EINVAL, unit_set("boom", bad_boom[i]),
			"roulette: a bad boom mode is -EINVAL");

	UNIT_EQ(0, unit_set("chance", "42"), "roulette: set chance");
	UNIT_EQ(-KDRV_EINVAL, unit_set("chance", "420"), "roulette: set a bad chance fails");
	UNIT_OK(!strcmp("42", unit_get("chance")), "roulette: a failed set keeps the old chance");
	UNIT_CONTAINS(kdrv_user_log(), "chance must be an integer from 0 to 100, got '420'",
		      "roulette: a bad chance is logged clearly");
	UNIT_EQ(0, unit_set("boom", "warn"), "roulette: set boom");
	UNIT_EQ(-KDRV_EINVAL, unit_set("boom", "nuke"), "roulette: set a bad boom fails");
	UNIT_OK(!strcmp("warn", unit_get("boom")), "roulette: a failed set keeps the old boom");
	UNIT_CONTAINS(kdrv_user_log(), "boom must be one of error, warn, oops, panic, got 'nuke'",
		      "roulette: a bad boom is logged with the choices");
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
		int err;

		if (line[0] == '#' || !want)
			continue;
		snprintf(shown, sizeof(shown), "%s", text);
		unit_unescape(text);
		rows++;
		/* A value no row gives, so a refused row is seen to change nothing. */
		unit_set(param, strcmp(param, "chance") ? "oops" : "99");
		err = unit_set(param, text);
		snprintf(desc, sizeof(desc), "roulette: %s '%s' is %s", param, shown, want);
		if (!strcmp(want, "EINVAL"))
			UNIT_OK(
			    err == -KDRV_EINVAL &&
				!strcmp(unit_get(param), strcmp(param, "chance") ? "oops" : "99"),
			    desc);
		else
			UNIT_OK(!err && !strcmp(want, unit_get(param)), desc);
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
	UNIT_EQ(-KDRV_EINVAL, unit_set("chance", "5\nkdrv_roulette: forged"),
		"roulette: a chance with a newline inside is refused");
	UNIT_CONTAINS(kdrv_user_log(), "got '5\\x0akdrv_roulette:'...\n",
		      "roulette: the refused text is escaped and cut at 16 bytes");
	UNIT_OK(!strstr(kdrv_user_log(), "\nkdrv_roulette: forged"),
		"roulette: the refused text starts no log line of its own");
	memset(big, '7', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	kdrv_user_reset();
	UNIT_EQ(-KDRV_EINVAL, unit_set("boom", big), "roulette: a 4 KiB boom is refused");
	line = kdrv_user_log();
	UNIT_OK(strlen(line) < 120, "roulette: the refusal of a 4 KiB value is one short line");
	kdrv_user_reset();
	UNIT_EQ(-KDRV_EINVAL, unit_set("chance", NULL), "roulette: a bare chance is refused");
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
		unit_set("chance", "nope");
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
	lines = unit_count(kdrv_user_log(), "chance must be");
	bound = 10 * (ms / 5000 + 2);
	printf("# 2000 refusals in %ld ms logged %ld lines\n", ms, lines);
	UNIT_OK(lines >= 1 && lines <= bound, "roulette: refusals are rate-limited");
}

/* Opens one file, reads what it says and closes it: V from the survivor's line, or -errno. */
static long unit_spin(char *text, size_t size)
{
	struct kdrv_file *f;
	unsigned int v;
	int64_t n;
	int err;

	err = kdrv_user_open("roulette", KDRV_O_READ, &f);
	if (err)
		return err;
	n = kdrv_user_read(f, text, size - 1, size - 1);
	kdrv_user_close(f);
	if (n < 0)
		return (long)n;
	text[n] = '\0';
	if (sscanf(text, "Survived... sampled value is %u", &v) != 1)
		return -1000;
	return (long)v;
}

/* Bytes 200..255 must be rejected, or V in 0..55 would come up more often. */
static void unit_roulette_sampler(void)
{
	static const uint8_t script[] = { 255, 200, 199, 0, 250, 57 };
	int counts[100] = { 0 };
	int i, seen = 0, n = 200000;
	double mean = n / 100.0, sd = sqrt(n * 0.01 * 0.99);
	int lo = n, hi = 0;
	char text[128];
	long v;

	unit_set("chance", "0");
	kdrv_user_faults.random_script = script;
	kdrv_user_faults.random_script_len = sizeof(script);
	UNIT_EQ(99, unit_spin(text, sizeof(text)),
		"roulette: sampler skips bytes >= 200 (199 -> 99)");
	UNIT_EQ(0, unit_spin(text, sizeof(text)), "roulette: sampler maps 0 -> 0");
	UNIT_EQ(57, unit_spin(text, sizeof(text)), "roulette: sampler skips 250 and maps 57 -> 57");
	kdrv_user_reset();

	for (i = 0; i < n; i++) {
		v = unit_spin(text, sizeof(text));
		if (v >= 0 && v < 100)
			counts[v]++;
	}
	for (i = 0; i < 100; i++) {
		seen += counts[i] > 0;
		lo = counts[i] < lo ? counts[i] : lo;
		hi = counts[i] > hi ? counts[i] : hi;
	}
	UNIT_EQ(100, seen, "roulette: 200000 spins cover every value 0..99");
	/* Six sigma per bucket: a flake is far less likely than a broken sampler. */
	UNIT_OK(lo > mean - 6 * sd && hi < mean + 6 * sd,
		"roulette: every bucket is within six sigma of uniform");

	kdrv_user_faults.random_fail_after = 0;
	UNIT_EQ(-KDRV_EIO, unit_spin(text, sizeof(text)),
		"roulette: a CSPRNG failure fails the open");
	UNIT_EQ(0, kdrv_user_live_allocs(), "roulette: a failed open leaves nothing allocated");
	kdrv_user_reset();
}

static void unit_roulette_spins(void)
{
	int64_t survivals, booms;
	struct kdrv_file *f;
	char text[128] = "";
	char expect[80];
	long v = 0;
	int i, fails = 0;

	unit_set("boom", "error");
	unit_set("chance", "0");
	survivals = kdrv_user_stat("roulette", "survivals");
	for (i = 0; i < 1000; i++) {
		v = unit_spin(text, sizeof(text));
		fails += v < 0;
	}
	UNIT_EQ(0, fails, "roulette: chance 0 never booms in 1000 spins");
	UNIT_EQ(1000, kdrv_user_stat("roulette", "survivals") - survivals,
		"roulette: survivals are counted");

	UNIT_EQ(0, kdrv_user_open("roulette", KDRV_O_READ, &f), "roulette: opens");
	memset(text, 0, sizeof(text));
	UNIT_EQ(5, kdrv_user_read(f, text, 5, 5), "roulette: a short read");
	UNIT_OK(sscanf(text, "Survi") == 0, "roulette: it starts the survivor line");
	UNIT_OK(kdrv_user_read(f, text + 5, 100, 100) > 20, "roulette: the rest from offset 5");
	sscanf(text, "Survived... sampled value is %ld", &v);
	snprintf(expect, sizeof(expect), "Survived... sampled value is %ld, which is >= 0\n", v);
	UNIT_OK(!strcmp(text, expect), "roulette: the message is the seed's survivor line");
	UNIT_EQ(0, kdrv_user_read(f, text, 100, 100), "roulette: EOF after it");
	kdrv_user_close(f);

	unit_set("chance", "100");
	booms = kdrv_user_stat("roulette", "booms_error");
	for (i = 0, fails = 0; i < 1000; i++)
		fails += unit_spin(text, sizeof(text)) == -KDRV_EIO;
	UNIT_EQ(1000, fails, "roulette: chance 100 always booms, error mode with -EIO");
	UNIT_EQ(1000, kdrv_user_stat("roulette", "booms_error") - booms,
		"roulette: booms are counted per mode");
	UNIT_EQ(KDRV_BOOM_NR, kdrv_user_last_crash(), "roulette: error mode crashes nothing");
	UNIT_CONTAINS(kdrv_user_log(), "which is < 100 (boom=error)",
		      "roulette: the boom is logged");
	UNIT_OK(unit_count(kdrv_user_log(), "(boom=error)") >= 10 &&
		    unit_count(kdrv_user_log(), "(boom=error)") <= 30,
		"roulette: 1000 error booms log the first 10, then one in 100");
	UNIT_CONTAINS(kdrv_user_log(), "10 error-mode booms logged; from now on one in 100",
		      "roulette: the log says when it starts thinning boom lines");

	unit_set("boom", "warn");
	UNIT_EQ(-KDRV_EIO, unit_spin(text, sizeof(text)), "roulette: warn mode is -EIO");
	UNIT_EQ(KDRV_BOOM_WARN, kdrv_user_last_crash(), "roulette: warn mode asks for a warning");
	unit_set("boom", "panic");
	unit_spin(text, sizeof(text));
	UNIT_EQ(KDRV_BOOM_PANIC, kdrv_user_last_crash(), "roulette: panic mode asks for a panic");
	unit_set("boom", "error");
}

/* One boom, one crash and one log line, however often the boomed file is read. */
static void unit_roulette_boom_once(void)
{
	static const char *const modes[] = { "error", "warn", "oops", "panic" };
	struct kdrv_file *f;
	char text[64], desc[96];
	size_t m;
	int r, lines;

	unit_set("chance", "100");
	for (m = 0; m < sizeof(modes) / sizeof(modes[0]); m++) {
		int eio = 0;

		kdrv_user_reset();
		unit_set("boom", modes[m]);
		kdrv_user_open("roulette", KDRV_O_READ, &f);
		for (r = 0; r < 3; r++)
			eio += kdrv_user_read(f, text, 10, 10) == -KDRV_EIO;
		kdrv_user_close(f);
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
	unit_set("boom", "error");
}

static void unit_roulette_load(void)
{
	unit_set("chance", "0");
	UNIT_EQ(0, kdrv_user_load("roulette"), "roulette: load with chance 0");
	UNIT_CONTAINS(kdrv_user_log(), "kdrv_roulette: Panic probability: 0/100\n",
		      "roulette: load announces the probability");
}

KDRV_UNIT_GROUP(roulette)

void kdrv_unit_roulette(void)
{
	unit_roulette_load();
	unit_roulette_parse();
	unit_roulette_table();
	unit_roulette_reject_log();
	unit_roulette_sampler();
	unit_roulette_spins();
	unit_roulette_boom_once();
	unit_roulette_reject_flood();
	kdrv_user_unload("roulette");
	UNIT_EQ(0, kdrv_user_live_allocs(), "roulette: every open file was freed");
}
