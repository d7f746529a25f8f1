/* Fuzz target: pw_text_normalize on arbitrary bytes. The first byte picks the output capacity
 * (so truncation paths are fuzzed too); the properties checked are the header's promises.
 * SPDX-License-Identifier: MIT */
#include "pw/status.h"
#include "pw/text.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size == 0)
        return 0;
    size_t len = size - 1;
    const char *text = (const char *)data + 1;
    size_t full_cap = 3 * len + 1;
    char *full = malloc(full_cap);
    if (!full)
        return 0;
    size_t n = 0;
    /* The documented bound: 3 * len always fits. */
    if (pw_text_normalize(text, len, full, full_cap, &n) != PW_OK || n > 3 * len)
        abort();
    /* A smaller buffer reports the same length and holds the same prefix. */
    size_t cap = data[0] % (n + 1);
    char *part = malloc(cap ? cap : 1);
    size_t m = 0;
    int rc = pw_text_normalize(text, len, part, cap, &m);
    if (m != n || (cap < n && rc != PW_ETRUNC) || (cap >= n && rc != PW_OK) ||
        memcmp(part, full, cap < n ? cap : n) != 0)
        abort();
    /* Normalising twice changes nothing: the output is already canonical. */
    char *again = malloc(full_cap);
    size_t k = 0;
    if (again && (pw_text_normalize(full, n, again, full_cap, &k) != PW_OK || k != n ||
                  memcmp(again, full, n) != 0))
        abort();
    free(again);
    free(part);
    free(full);
    return 0;
}
