/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* kdrv_roulette: the portable part of the crash-with-probability device. */
#ifndef KDRV_ROULETTE_H
#define KDRV_ROULETTE_H

#include <kdrv_os_base.h>

#include "kdrv/abi.h"

struct kdrv_sink;

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

struct kdrv_roulette_stats {
	int64_t spins;
	int64_t survivals;
	int64_t booms[KDRV_BOOM_NR];
};

int kdrv_roulette_init(int chance);
int kdrv_roulette_sample(uint32_t *value);
int kdrv_roulette_spin(struct kdrv_roulette_spin *spin);
int64_t kdrv_roulette_read(struct kdrv_roulette_spin *spin, uint64_t pos, struct kdrv_sink *sink,
			   size_t len);

int kdrv_roulette_parse_chance(const char *s, int *chance);
int kdrv_roulette_parse_boom(const char *s, enum kdrv_boom *mode);
const char *kdrv_roulette_boom_name(enum kdrv_boom mode);

int kdrv_roulette_set_chance(const char *s);
int kdrv_roulette_set_boom(const char *s);
int kdrv_roulette_chance(void);
enum kdrv_boom kdrv_roulette_boom(void);
void kdrv_roulette_stats(struct kdrv_roulette_stats *stats);

#endif
