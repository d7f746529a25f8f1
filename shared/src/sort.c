/* Radix sort of 64-bit keys: linear time and fully deterministic, used for document
 * frequencies, calibration thresholds and export pruning.
 * SPDX-License-Identifier: MIT */
#include "sort_int.h"

#include <string.h>

void pw__radix_sort_u64(uint64_t *keys, uint64_t *tmp, size_t n) {
    for (unsigned shift = 0; shift < 64; shift += 8) {
        size_t count[257] = {0};
        for (size_t i = 0; i < n; i++)
            count[((keys[i] >> shift) & 0xFFu) + 1]++;
        for (size_t b = 1; b < 257; b++)
            count[b] += count[b - 1];
        for (size_t i = 0; i < n; i++)
            tmp[count[(keys[i] >> shift) & 0xFFu]++] = keys[i];
        memcpy(keys, tmp, n * sizeof *keys);
    }
}
