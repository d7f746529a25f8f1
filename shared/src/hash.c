/* MurmurHash3 x86_32, written from the algorithm's description. Blocks are assembled byte by
 * byte as little-endian, so the result is the same on every host and in wasm.
 * SPDX-License-Identifier: MIT */
#include "hash_int.h"

static uint32_t rotl32(uint32_t x, unsigned r) {
    return (x << r) | (x >> (32u - r));
}

static uint32_t mix_block(uint32_t k) {
    k *= 0xcc9e2d51u;
    k = rotl32(k, 15);
    return k * 0x1b873593u;
}

static uint32_t final_mix(uint32_t h) {
    h ^= h >> 16;
    h *= 0x85ebca6bu;
    h ^= h >> 13;
    h *= 0xc2b2ae35u;
    h ^= h >> 16;
    return h;
}

uint32_t pw__hash32(const void *data, size_t len, uint32_t seed) {
    const uint8_t *p = data;
    uint32_t h = seed;
    size_t blocks = len / 4;
    for (size_t i = 0; i < blocks; i++, p += 4) {
        uint32_t k =
            (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
        h ^= mix_block(k);
        h = rotl32(h, 13);
        h = h * 5u + 0xe6546b64u;
    }
    uint32_t tail = 0;
    switch (len & 3u) {
    case 3:
        tail ^= (uint32_t)p[2] << 16;
        /* fall through */
    case 2:
        tail ^= (uint32_t)p[1] << 8;
        /* fall through */
    case 1:
        tail ^= p[0];
        h ^= mix_block(tail);
        break;
    default:
        break;
    }
    /* The length is mixed in as 32 bits on every host: wasm32 and x86-64 must agree. */
    h ^= (uint32_t)len;
    return final_mix(h);
}
