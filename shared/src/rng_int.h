/* The core's only randomness: a seeded splitmix64 stream, so training is reproducible.
 * SPDX-License-Identifier: MIT */
#ifndef PW_RNG_INT_H
#define PW_RNG_INT_H

#include <stddef.h>
#include <stdint.h>

typedef struct pw__rng {
    uint64_t state;
} pw__rng;

void pw__rng_seed(pw__rng *r, uint64_t seed);
uint64_t pw__rng_next(pw__rng *r);
/* Uniform in [0, bound) for bound >= 1 (Lemire's multiply-shift; bias below 2^-32). */
uint32_t pw__rng_below(pw__rng *r, uint32_t bound);
/* Fisher-Yates shuffle of idx[0..n). */
void pw__rng_shuffle(pw__rng *r, uint32_t *idx, size_t n);

#endif
