/* UTF-8 scanning for the knowledge base (the core's utf8 module is private to shared/).
 * SPDX-License-Identifier: MIT */
#include "kb_int.h"

size_t pw__kb_utf8_seq(const unsigned char *s, size_t n) {
    if (n == 0)
        return 0;
    unsigned c = s[0];
    size_t len = c < 0x80 ? 1 : c < 0xC2 ? 0 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : c < 0xF5 ? 4 : 0;
    if (len == 0 || len > n)
        return 0;
    for (size_t i = 1; i < len; i++)
        if ((s[i] & 0xC0) != 0x80)
            return 0;
    /* The second byte's range rules out overlong forms, surrogates and code points > U+10FFFF. */
    if ((c == 0xE0 && s[1] < 0xA0) || (c == 0xED && s[1] > 0x9F) || (c == 0xF0 && s[1] < 0x90) ||
        (c == 0xF4 && s[1] > 0x8F))
        return 0;
    return len;
}

int pw__kb_utf8_valid(const char *s, size_t n) {
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; i < n;) {
        size_t k = u[i] ? pw__kb_utf8_seq(u + i, n - i) : 0;
        if (k == 0)
            return 0;
        i += k;
    }
    return 1;
}

size_t pw__kb_utf8_cut(const char *text, size_t len, size_t max) {
    if (len <= max)
        return len;
    size_t cut = max;
    while (cut > 0 && ((unsigned char)text[cut] & 0xC0) == 0x80)
        cut--;
    return cut;
}
