/* The allocator an object is built with. Only constructors (_new, _load, _clone, _train) allocate;
 * hot paths never do. A NULL allocator, or one whose functions are NULL, means the C library's.
 * SPDX-License-Identifier: MIT */
#ifndef PW_ALLOC_H
#define PW_ALLOC_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Sizes are passed back to `realloc` and `free` so that budgeted and arena allocators need no
 * header of their own. Every function may return NULL; the core then returns PW_ENOMEM. */
typedef struct pw_allocator {
    void *ctx;
    void *(*alloc)(void *ctx, size_t size);
    void *(*realloc)(void *ctx, void *ptr, size_t old_size, size_t new_size);
    void (*free)(void *ctx, void *ptr, size_t size);
} pw_allocator;

#ifdef __cplusplus
}
#endif

#endif
