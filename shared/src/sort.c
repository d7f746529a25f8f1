/* Radix sort of 64-bit keys: linear time and fully deterministic, used for document
 * frequencies, calibration thresholds and export pruning.
 * SPDX-License-Identifier: MIT */
#include "sort_int.h"

#include <string.h>

/* Below this many keys the eight counting passes, each clearing and summing 257 counters, cost
 * far more than comparisons: the signal scanner sorts the few dozen words of every message and
 * of each message in its history. Sorted integers come out the same either way. */
#define INSERTION_MAX 32

static void insertion_sort(uint64_t *keys, size_t n) {
    for (size_t i = 1; i < n; i++) {
        uint64_t key = keys[i];
        size_t j = i;
        for (; j > 0 && keys[j - 1] > key; j--)
            keys[j] = keys[j - 1];
        keys[j] = key;
    }
}

void pw__radix_sort_u64(uint64_t *keys, uint64_t *tmp, size_t n) {
    if (n <= INSERTION_MAX) {
        insertion_sort(keys, n);
        return;
    }
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
