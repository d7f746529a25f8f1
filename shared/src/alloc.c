/* Allocation through an object's pw_allocator, falling back to malloc/realloc/free.
 * The fallback is decided per call (no static default object), so the core defines no globals.
 * SPDX-License-Identifier: MIT */
#include "alloc_int.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

void *pw__alloc(const pw_allocator *a, size_t size) {
    if (size == 0)
        return NULL;
    if (a && a->alloc)
        return a->alloc(a->ctx, size);
    return malloc(size);
}

void *pw__calloc(const pw_allocator *a, size_t count, size_t size) {
    if (size != 0 && count > SIZE_MAX / size)
        return NULL;
    void *p = pw__alloc(a, count * size);
    if (p)
        memset(p, 0, count * size);
    return p;
}

void *pw__realloc(const pw_allocator *a, void *ptr, size_t old_size, size_t new_size) {
    if (new_size == 0)
        return NULL;
    if (a && a->realloc)
        return a->realloc(a->ctx, ptr, old_size, new_size);
    if (a && a->alloc) {
        /* An allocator without realloc still works: move by hand. */
        void *p = a->alloc(a->ctx, new_size);
        if (p && ptr) {
            memcpy(p, ptr, old_size < new_size ? old_size : new_size);
            pw__free(a, ptr, old_size);
        }
        return p;
    }
    return realloc(ptr, new_size);
}

void pw__free(const pw_allocator *a, void *ptr, size_t size) {
    if (!ptr)
        return;
    if (a && a->free)
        a->free(a->ctx, ptr, size);
    else if (!(a && a->alloc))
        free(ptr);
}

int pw__grow(const pw_allocator *a, void **ptr, size_t *cap, size_t need, size_t elem) {
    if (need <= *cap)
        return 0;
    size_t new_cap = *cap ? *cap : 16;
    while (new_cap < need) {
        if (new_cap > SIZE_MAX / 2)
            return -1;
        new_cap *= 2;
    }
    if (new_cap > SIZE_MAX / elem)
        return -1;
    void *p = pw__realloc(a, *ptr, *cap * elem, new_cap * elem);
    if (!p)
        return -1;
    *ptr = p;
    *cap = new_cap;
    return 0;
}
