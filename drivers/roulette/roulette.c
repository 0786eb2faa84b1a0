// SPDX-License-Identifier: GPL-2.0 OR MIT
/* kdrv_roulette: each open draws V in [0, 100); V < C is a Boom, else the reader survives. */
#define KDRV_MODNAME "kdrv_roulette"
#include "kdrv/driver.h"

static const char *const kdrv_roulette_boom_names[] = {
	[KDRV_BOOM_ERROR] = "error",
	[KDRV_BOOM_WARN] = "warn",
	[KDRV_BOOM_OOPS] = "oops",
	[KDRV_BOOM_PANIC] = "panic",
	NULL,
};

/* -1 until the load gives a chance or init draws one, as the seed does. */
static int kdrv_roulette_chance = -1;
static int kdrv_roulette_boom = KDRV_BOOM_ERROR;

KDRV_PARAM_INT(chance, kdrv_roulette_chance, 0, KDRV_ROULETTE_MAX, true,
	       "Boom probability in percent, 0-100 (default: drawn at random at load)");
KDRV_PARAM_CHOICE(boom, kdrv_roulette_boom, kdrv_roulette_boom_names, true,
		  "What a Boom does: error (-EIO, default), warn (WARN splat + -EIO), "
		  "oops (kills the reading task), panic (panics the kernel)");

static struct kdrv_counter kdrv_roulette_spins;
static struct kdrv_counter kdrv_roulette_survivals;
static struct kdrv_counter kdrv_roulette_booms[KDRV_BOOM_NR];
static struct kdrv_counter kdrv_roulette_error_detonations;

#define KDRV_ROULETTE_MSG_MAX 64

/**
 * struct kdrv_roulette_spin - one open file's draw.
 * @value:	the sampled V in [0, 100).
 * @chance:	the C in force when V was drawn.
 * @boom:	whether V < C.
 * @mode:	what the boom does, fixed at the draw.
 * @detonations: reads that found a boom; only the first one detonates.
 * @msg:	the survivor's text; @len bytes of it.
 * @len:	length of @msg.
 */
struct kdrv_roulette_spin {
	uint32_t value;
	uint32_t chance;
	bool boom;
	enum kdrv_boom mode;
	struct kdrv_counter detonations;
	size_t len;
	char msg[KDRV_ROULETTE_MSG_MAX];
};

/* Rejection keeps V uniform: 256 is not a multiple of 100, 200 is. */
static int kdrv_roulette_sample(uint32_t *value)
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

/* C is the load's chance, or drawn at random when it gave none; then announced. */
static int kdrv_roulette_init(void)
{
	if (kdrv_read_once(kdrv_roulette_chance) < 0) {
		uint32_t v;
		int err = kdrv_roulette_sample(&v);

		if (err)
			return err;
		kdrv_write_once(kdrv_roulette_chance, (int)v);
	}
	kdrv_info("Panic probability: %d/%d", kdrv_read_once(kdrv_roulette_chance),
		  KDRV_ROULETTE_MAX);
	kdrv_info("boom=%s", kdrv_roulette_boom_names[kdrv_read_once(kdrv_roulette_boom)]);
	return 0;
}

/* Each open spins once. */
static int kdrv_roulette_open(struct kdrv_file *file)
{
	struct kdrv_roulette_spin *spin = file->priv;
	int err;

	err = kdrv_roulette_sample(&spin->value);
	if (err)
		return err;
	spin->chance = (uint32_t)kdrv_read_once(kdrv_roulette_chance);
	spin->mode = (enum kdrv_boom)kdrv_read_once(kdrv_roulette_boom);
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
			 spin->chance, kdrv_roulette_boom_names[spin->mode]);
	if (spin->mode != KDRV_BOOM_ERROR) {
		snprintf(why, sizeof(why),
			 "kdrv_roulette: Boom! sampled value is %u, which is < %u", spin->value,
			 spin->chance);
		kdrv_os_crash(spin->mode, why);
	}
	return -KDRV_EIO;
}

static int64_t kdrv_roulette_read(struct kdrv_file *file, struct kdrv_sink *to, size_t len,
				  uint64_t *pos)
{
	struct kdrv_roulette_spin *spin = file->priv;
	size_t n, copied;

	if (spin->boom)
		return kdrv_roulette_detonate(spin);
	if (*pos >= spin->len || !len)
		return 0;
	n = kdrv_min(len, spin->len - (size_t)*pos);
	copied = to->copy(to, spin->msg + *pos, n);
	if (!copied)
		return -KDRV_EFAULT;
	*pos += copied;
	return (int64_t)copied;
}

static const struct kdrv_param *const kdrv_roulette_params[] = {
	&kdrv_param_chance,
	&kdrv_param_boom,
	NULL,
};

static const struct kdrv_stat kdrv_roulette_stats[] = {
	{ "spins", &kdrv_roulette_spins },
	{ "survivals", &kdrv_roulette_survivals },
	{ "booms_error", &kdrv_roulette_booms[KDRV_BOOM_ERROR] },
	{ "booms_warn", &kdrv_roulette_booms[KDRV_BOOM_WARN] },
	{ "booms_oops", &kdrv_roulette_booms[KDRV_BOOM_OOPS] },
	{ "booms_panic", &kdrv_roulette_booms[KDRV_BOOM_PANIC] },
	{},
};

KDRV_DRIVER(roulette,
	    "kdrv roulette: each open of /dev/kdrv-roulette booms with probability chance/100") = {
	.linux_name = KDRV_LINUX_ROULETTE_NAME,
	.nt_name = KDRV_NT_ROULETTE_NAME,
	.mode = 0444,
	.seekable = true,
	.file_size = sizeof(struct kdrv_roulette_spin),
	.init = kdrv_roulette_init,
	.open = kdrv_roulette_open,
	.read = kdrv_roulette_read,
	.params = kdrv_roulette_params,
	.stats = kdrv_roulette_stats,
};
