/* pw__radix_sort_u64 against qsort, on both sides of the size where it switches from insertion
 * sort to radix passes, with duplicates and keys that differ only in their top byte.
 * SPDX-License-Identifier: MIT */
#include "pw_test.h"
#include "sort_int.h"

#include <stdlib.h>
#include <string.h>

#define N_MAX 200

static int compare_u64(const void *x, const void *y) {
    uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
    return (a > b) - (a < b);
}

/* Keys from a fixed LCG; every fourth repeats an earlier one, every fifth has only a top byte. */
static void fill(uint64_t *keys, size_t n, uint64_t seed) {
    for (size_t i = 0; i < n; i++) {
        seed = seed * 6364136223846793005u + 1442695040888963407u;
        keys[i] = i % 4 == 3 ? keys[i / 2] : i % 5 == 4 ? (seed >> 56) << 56 : seed;
    }
}

static void sorts_like_qsort_for_every_size(void) {
    uint64_t keys[N_MAX], want[N_MAX], tmp[N_MAX];
    int bad = 0;
    for (size_t n = 0; n <= N_MAX; n++) {
        fill(keys, n, n + 1);
        memcpy(want, keys, n * sizeof *keys);
        qsort(want, n, sizeof *want, compare_u64);
        pw__radix_sort_u64(keys, tmp, n);
        bad += memcmp(keys, want, n * sizeof *keys) != 0;
    }
    PW_CHECK_INT(bad, 0);
}

int main(void) {
    PW_RUN(sorts_like_qsort_for_every_size);
    return pw_test_exit_code();
}
