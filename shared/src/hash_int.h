/* The core's one hash function, fixed forever: model files store features by this hash, so
 * changing it invalidates every trained model (bump the model format version if you must).
 * SPDX-License-Identifier: MIT */
#ifndef PW_HASH_INT_H
#define PW_HASH_INT_H

#include <stddef.h>
#include <stdint.h>

/* MurmurHash3, x86 32-bit variant (Austin Appleby's public-domain algorithm), over `len` bytes
 * read as little-endian 32-bit blocks regardless of the host, so both homes agree. */
uint32_t pw__hash32(const void *data, size_t len, uint32_t seed);

#endif
