/* splitmix64 (Steele, Lea and Flood 2014): tiny, fast, and statistically fine for shuffling.
 * SPDX-License-Identifier: MIT */
#include "rng_int.h"

void pw__rng_seed(pw__rng *r, uint64_t seed) {
    r->state = seed;
}

uint64_t pw__rng_next(pw__rng *r) {
    uint64_t z = (r->state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

uint32_t pw__rng_below(pw__rng *r, uint32_t bound) {
    uint64_t x = pw__rng_next(r) >> 32;
    return (uint32_t)((x * bound) >> 32);
}

void pw__rng_shuffle(pw__rng *r, uint32_t *idx, size_t n) {
    for (size_t i = n; i > 1; i--) {
        size_t j = pw__rng_below(r, (uint32_t)i);
        uint32_t t = idx[i - 1];
        idx[i - 1] = idx[j];
        idx[j] = t;
    }
}
