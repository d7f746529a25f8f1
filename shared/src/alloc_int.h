/* Internal allocation helpers: route through an object's pw_allocator or the C library.
 * SPDX-License-Identifier: MIT */
#ifndef PW_ALLOC_INT_H
#define PW_ALLOC_INT_H

#include "pw/alloc.h"

#include <stddef.h>

/* `a` may be NULL (C library). Returns NULL for size 0 and on failure. */
void *pw__alloc(const pw_allocator *a, size_t size);
/* Like pw__alloc, but the memory is zeroed; NULL also when count * size overflows. */
void *pw__calloc(const pw_allocator *a, size_t count, size_t size);
/* Resizes `ptr` (which may be NULL with old_size 0). On failure returns NULL and leaves `ptr`
 * untouched, so the caller still owns it. */
void *pw__realloc(const pw_allocator *a, void *ptr, size_t old_size, size_t new_size);
/* Frees `ptr` (NULL is a no-op); `size` is what it was allocated with. */
void pw__free(const pw_allocator *a, void *ptr, size_t size);

/* Grows the array *ptr of *cap elements of `elem` bytes so that it holds at least `need`
 * (doubling, for amortised appends). Returns 0, or -1 on overflow or out of memory with *ptr
 * and *cap unchanged. */
int pw__grow(const pw_allocator *a, void **ptr, size_t *cap, size_t need, size_t elem);

#endif
