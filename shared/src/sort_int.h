/* Sorting helpers of the core.
 * SPDX-License-Identifier: MIT */
#ifndef PW_SORT_INT_H
#define PW_SORT_INT_H

#include <stddef.h>
#include <stdint.h>

/* Sorts keys[0..n) ascending (LSD radix, 8 bits a pass; insertion sort for a few keys); tmp
 * holds n keys. */
void pw__radix_sort_u64(uint64_t *keys, uint64_t *tmp, size_t n);

#endif
