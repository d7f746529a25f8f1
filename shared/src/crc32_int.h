/* CRC-32 for model file sections.
 * SPDX-License-Identifier: MIT */
#ifndef PW_CRC32_INT_H
#define PW_CRC32_INT_H

#include <stddef.h>
#include <stdint.h>

/* The CRC-32 of data[0..len) as zlib's crc32(0, data, len) computes it. */
uint32_t pw__crc32(const void *data, size_t len);

#endif
