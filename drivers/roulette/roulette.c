// SPDX-License-Identifier: GPL-2.0 OR MIT
/* kdrv_roulette: each open draws V in [0, 100); V < C is a Boom, else the reader survives. */
#define KDRV_MODNAME "kdrv_roulette"
#include "kdrv/os.h"
#include "roulette/roulette.h"

static const char *const kdrv_roulette_boom_names[KDRV_BOOM_NR] = {
	[KDRV_BOOM_ERROR] = "error",
	[KDRV_BOOM_WARN] = "warn",
	[KDRV_BOOM_OOPS] = "oops",
	[KDRV_BOOM_PANIC] = "panic",
};

static int kdrv_roulette_cur_chance;
static int kdrv_roulette_cur_boom = KDRV_BOOM_ERROR;

static struct kdrv_counter kdrv_roulette_spins;
static struct kdrv_counter kdrv_roulette_survivals;
static struct kdrv_counter kdrv_roulette_booms[KDRV_BOOM_NR];
static struct kdrv_counter kdrv_roulette_error_detonations;

/* A parameter's text may end in the one newline `echo` adds, and in nothing else. */
static size_t kdrv_roulette_trim(const char *s)
{
	size_t n = strlen(s);

	if (n && s[n - 1] == '\n')
		n--;
	return n;
}

/*
 * The rejected text, for the log line that refuses it: quoted, cut to
 * KDRV_ROULETTE_QUOTE_MAX bytes and with anything unprintable as \xNN, so a
 * writer can neither forge a log line nor fill one. @dst holds
 * KDRV_ROULETTE_QUOTED bytes.
 */
#define KDRV_ROULETTE_QUOTE_MAX 16
#define KDRV_ROULETTE_QUOTED (KDRV_ROULETTE_QUOTE_MAX * 4 + sizeof("''..."))

static void kdrv_roulette_quote(char *dst, const char *s)
{
	size_t n, i, out = 0;

	if (!s) {
		strcpy(dst, "nothing");
		return;
	}
	n = kdrv_roulette_trim(s);
	dst[out++] = '\'';
	for (i = 0; i < n && i < KDRV_ROULETTE_QUOTE_MAX; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 0x20 && c < 0x7f && c != '\\')
			dst[out++] = (char)c;
		else
			out += (size_t)snprintf(dst + out, 5, "\\x%02x", c);
	}
	dst[out++] = '\'';
	if (n > KDRV_ROULETTE_QUOTE_MAX) {
		memcpy(dst + out, "...", 3);
		out += 3;
	}
	dst[out] = '\0';
}

/*
 * Decimal without sign, spaces or leading zeros: kstrtoint() and the kernel's
 * own int parameters read "050" as octal 40, so it is refused, not guessed.
 */
int kdrv_roulette_parse_chance(const char *s, int *chance)
{
	size_t n = s ? kdrv_roulette_trim(s) : 0;
	int v = 0;
	size_t i;

	if (!n || n > 3 || (n > 1 && s[0] == '0'))
		return -KDRV_EINVAL;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -KDRV_EINVAL;
		v = v * 10 + (s[i] - '0');
	}
	if (v > KDRV_ROULETTE_MAX)
		return -KDRV_EINVAL;
	*chance = v;
	return 0;
}

int kdrv_roulette_parse_boom(const char *s, enum kdrv_boom *mode)
{
	size_t n;
	int m;

	if (!s)
		return -KDRV_EINVAL;
	n = kdrv_roulette_trim(s);

	for (m = 0; m < KDRV_BOOM_NR; m++) {
		const char *name = kdrv_roulette_boom_names[m];

		if (strlen(name) == n && !memcmp(name, s, n)) {
			*mode = (enum kdrv_boom)m;
			return 0;
		}
	}
	return -KDRV_EINVAL;
}

const char *kdrv_roulette_boom_name(enum kdrv_boom mode)
{
	if ((unsigned int)mode >= KDRV_BOOM_NR)
		return "?";
	return kdrv_roulette_boom_names[mode];
}

int kdrv_roulette_set_chance(const char *s)
{
	char quoted[KDRV_ROULETTE_QUOTED];
	int chance;
	int err = kdrv_roulette_parse_chance(s, &chance);

	if (err) {
		kdrv_roulette_quote(quoted, s);
		kdrv_err_ratelimited("chance must be an integer from 0 to %d, got %s",
				     KDRV_ROULETTE_MAX, quoted);
		return err;
	}
	kdrv_write_once(kdrv_roulette_cur_chance, chance);
	return 0;
}

int kdrv_roulette_set_boom(const char *s)
{
	char quoted[KDRV_ROULETTE_QUOTED];
	enum kdrv_boom mode;
	int err = kdrv_roulette_parse_boom(s, &mode);

	if (err) {
		kdrv_roulette_quote(quoted, s);
		kdrv_err_ratelimited("boom must be one of error, warn, oops, panic, got %s",
				     quoted);
		return err;
	}
	kdrv_write_once(kdrv_roulette_cur_boom, (int)mode);
	return 0;
}

int kdrv_roulette_chance(void)
{
	return kdrv_read_once(kdrv_roulette_cur_chance);
}

enum kdrv_boom kdrv_roulette_boom(void)
{
	return (enum kdrv_boom)kdrv_read_once(kdrv_roulette_cur_boom);
}

/* Rejection keeps V uniform: 256 is not a multiple of 100, 200 is. */
int kdrv_roulette_sample(uint32_t *value)
{
	uint8_t byte;
	int err;

	do {
		err = kdrv_os_random_bytes(&byte, sizeof(byte));
		if (err)
			return err;
	} while (byte >= 2 * KDRV_ROULETTE_MAX);
	*value = byte % KDRV_ROULETTE_MAX;
	return 0;
}

/**
 * kdrv_roulette_init() - pick C and announce it.
 * @chance:	C in [0, 100], or negative to draw it at random as the seed does.
 *
 * Return: 0 or a negative errno.
 */
int kdrv_roulette_init(int chance)
{
	if (chance < 0) {
		uint32_t v;
		int err = kdrv_roulette_sample(&v);

		if (err)
			return err;
		chance = (int)v;
	}
	if (chance > KDRV_ROULETTE_MAX)
		return -KDRV_EINVAL;
	kdrv_write_once(kdrv_roulette_cur_chance, chance);
	kdrv_info("Panic probability: %d/%d", chance, KDRV_ROULETTE_MAX);
	return 0;
}

int kdrv_roulette_spin(struct kdrv_roulette_spin *spin)
{
	int err;

	memset(spin, 0, sizeof(*spin));
	err = kdrv_roulette_sample(&spin->value);
	if (err)
		return err;
	spin->chance = (uint32_t)kdrv_roulette_chance();
	spin->mode = kdrv_roulette_boom();
	spin->boom = spin->value < spin->chance;

	kdrv_counter_add(&kdrv_roulette_spins, 1);
	if (spin->boom) {
		kdrv_counter_add(&kdrv_roulette_booms[spin->mode], 1);
		return 0;
	}
	kdrv_counter_add(&kdrv_roulette_survivals, 1);
	spin->len = (size_t)snprintf(spin->msg, sizeof(spin->msg),
				     "Survived... sampled value is %u, which is >= %u\n",
				     spin->value, spin->chance);
	return 0;
}

/*
 * Error-mode booms are routine for a client spinning thousands of times, and a
 * line each would flood the log: the first KDRV_ROULETTE_LOG_FIRST are logged,
 * then one in KDRV_ROULETTE_LOG_EVERY. Crashing modes are always logged.
 */
#define KDRV_ROULETTE_LOG_FIRST 10
#define KDRV_ROULETTE_LOG_EVERY 100

static bool kdrv_roulette_boom_is_logged(enum kdrv_boom mode)
{
	int64_t n;

	if (mode != KDRV_BOOM_ERROR)
		return true;
	n = kdrv_counter_add_return(&kdrv_roulette_error_detonations, 1);
	if (n == KDRV_ROULETTE_LOG_FIRST)
		kdrv_warn("%d error-mode booms logged; from now on one in %d",
			  KDRV_ROULETTE_LOG_FIRST, KDRV_ROULETTE_LOG_EVERY);
	return n <= KDRV_ROULETTE_LOG_FIRST || n % KDRV_ROULETTE_LOG_EVERY == 0;
}

/*
 * The boom runs in read, not in open: an oops kills the task with the file
 * fully open, so exit closes it and drops the module reference the seed
 * leaked by crashing inside open. It runs once per spin: later reads of the
 * same file fail quietly, or any reader could splat (and, booted with
 * panic_on_warn, panic) at will.
 */
static int kdrv_roulette_detonate(struct kdrv_roulette_spin *spin)
{
	char why[80];

	if (kdrv_counter_add_return(&spin->detonations, 1) != 1)
		return -KDRV_EIO;
	if (kdrv_roulette_boom_is_logged(spin->mode))
		kdrv_err("Boom! sampled value is %u, which is < %u (boom=%s)", spin->value,
			 spin->chance, kdrv_roulette_boom_name(spin->mode));
	if (spin->mode != KDRV_BOOM_ERROR) {
		snprintf(why, sizeof(why),
			 "kdrv_roulette: Boom! sampled value is %u, which is < %u", spin->value,
			 spin->chance);
		kdrv_os_crash(spin->mode, why);
	}
	return -KDRV_EIO;
}

int64_t kdrv_roulette_read(struct kdrv_roulette_spin *spin, uint64_t pos, struct kdrv_sink *sink,
			   size_t len)
{
	size_t n, copied;

	if (spin->boom)
		return kdrv_roulette_detonate(spin);
	if (pos >= spin->len || !len)
		return 0;
	n = kdrv_min(len, spin->len - (size_t)pos);
	copied = sink->copy(sink, spin->msg + pos, n);
	if (!copied)
		return -KDRV_EFAULT;
	return (int64_t)copied;
}

void kdrv_roulette_stats(struct kdrv_roulette_stats *stats)
{
	int m;

	stats->spins = kdrv_counter_read(&kdrv_roulette_spins);
	stats->survivals = kdrv_counter_read(&kdrv_roulette_survivals);
	for (m = 0; m < KDRV_BOOM_NR; m++)
		stats->booms[m] = kdrv_counter_read(&kdrv_roulette_booms[m]);
}
