/* A budgeted allocator for OOM tests (libuv test-loop-oom style): it fails every allocation
 * after `budget` successful ones and tracks live bytes, so a test can check that a constructor
 * which ran out of memory returned PW_ENOMEM and left nothing allocated.
 * SPDX-License-Identifier: MIT */
#ifndef PW_TEST_ALLOC_H
#define PW_TEST_ALLOC_H

#include "pw/alloc.h"

#include <stdlib.h>
#include <string.h>

typedef struct pw_test_budget {
    long budget;       /* successful allocations left; < 0 = unlimited */
    size_t live_bytes; /* allocated and not yet freed */
    long live_blocks;
} pw_test_budget;

static inline void *pw_test_budget_alloc(void *ctx, size_t size) {
    pw_test_budget *b = ctx;
    if (b->budget == 0)
        return NULL;
    if (b->budget > 0)
        b->budget--;
    void *p = malloc(size);
    if (p)
        b->live_bytes += size, b->live_blocks++;
    return p;
}

static inline void *pw_test_budget_realloc(void *ctx, void *ptr, size_t old_size, size_t size) {
    pw_test_budget *b = ctx;
    if (b->budget == 0)
        return NULL;
    if (b->budget > 0)
        b->budget--;
    void *p = realloc(ptr, size);
    if (p) {
        b->live_bytes += size - old_size;
        b->live_blocks += ptr ? 0 : 1;
    }
    return p;
}

static inline void pw_test_budget_free(void *ctx, void *ptr, size_t size) {
    pw_test_budget *b = ctx;
    if (!ptr)
        return;
    b->live_bytes -= size;
    b->live_blocks--;
    free(ptr);
}

static inline pw_allocator pw_test_budget_allocator(pw_test_budget *b) {
    pw_allocator a = {b, pw_test_budget_alloc, pw_test_budget_realloc, pw_test_budget_free};
    return a;
}

#endif
