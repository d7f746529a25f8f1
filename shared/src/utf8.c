/* Strict UTF-8 decoding (RFC 3629) with one-byte resynchronisation on error.
 * SPDX-License-Identifier: MIT */
#include "utf8_int.h"

static int is_continuation(uint8_t b) {
    return (b & 0xC0u) == 0x80u;
}

size_t pw__utf8_decode(const uint8_t *s, size_t len, uint32_t *cp) {
    uint8_t b0 = s[0];
    if (b0 < 0x80u) {
        *cp = b0;
        return 1;
    }
    size_t need;
    uint32_t value, min;
    if ((b0 & 0xE0u) == 0xC0u) {
        need = 2, value = b0 & 0x1Fu, min = 0x80u;
    } else if ((b0 & 0xF0u) == 0xE0u) {
        need = 3, value = b0 & 0x0Fu, min = 0x800u;
    } else if ((b0 & 0xF8u) == 0xF0u) {
        need = 4, value = b0 & 0x07u, min = 0x10000u;
    } else {
        *cp = PW_UTF8_REPLACEMENT;
        return 1;
    }
    if (len < need) {
        *cp = PW_UTF8_REPLACEMENT;
        return 1;
    }
    for (size_t i = 1; i < need; i++) {
        if (!is_continuation(s[i])) {
            *cp = PW_UTF8_REPLACEMENT;
            return 1;
        }
        value = (value << 6) | (s[i] & 0x3Fu);
    }
    /* Overlong encodings and surrogates are how filters get bypassed: reject them. */
    if (value < min || value > 0x10FFFFu || (value >= 0xD800u && value <= 0xDFFFu)) {
        *cp = PW_UTF8_REPLACEMENT;
        return 1;
    }
    *cp = value;
    return need;
}

size_t pw__utf8_encode(uint32_t cp, uint8_t out[4]) {
    if (cp < 0x80u) {
        out[0] = (uint8_t)cp;
        return 1;
    }
    if (cp < 0x800u) {
        out[0] = (uint8_t)(0xC0u | (cp >> 6));
        out[1] = (uint8_t)(0x80u | (cp & 0x3Fu));
        return 2;
    }
    if (cp < 0x10000u) {
        out[0] = (uint8_t)(0xE0u | (cp >> 12));
        out[1] = (uint8_t)(0x80u | ((cp >> 6) & 0x3Fu));
        out[2] = (uint8_t)(0x80u | (cp & 0x3Fu));
        return 3;
    }
    out[0] = (uint8_t)(0xF0u | (cp >> 18));
    out[1] = (uint8_t)(0x80u | ((cp >> 12) & 0x3Fu));
    out[2] = (uint8_t)(0x80u | ((cp >> 6) & 0x3Fu));
    out[3] = (uint8_t)(0x80u | (cp & 0x3Fu));
    return 4;
}

size_t pw__utf8_cut(const char *text, size_t len, size_t max) {
    if (len <= max)
        return len;
    size_t cut = max;
    while (cut > 0 && is_continuation((uint8_t)text[cut]))
        cut--;
    return cut;
}
