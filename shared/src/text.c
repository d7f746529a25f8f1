/* pw_text_normalize: decode, fold, collapse whitespace, re-encode, in one pass with no
 * allocation. The tokeniser works on this output, so both homes see identical bytes.
 * SPDX-License-Identifier: MIT */
#include "pw/text.h"
#include "pw/status.h"
#include "text_fold_int.h"
#include "utf8_int.h"

#include <stdint.h>

typedef struct sink {
    char *out;
    size_t cap, len;
} sink;

static void put_byte(sink *s, uint8_t b) {
    if (s->len < s->cap)
        s->out[s->len] = (char)b;
    s->len++;
}

static void put(sink *s, uint32_t cp) {
    if (cp < 0x80u) { /* most text: its own byte, no call to the encoder */
        put_byte(s, (uint8_t)cp);
        return;
    }
    uint8_t bytes[4];
    size_t n = pw__utf8_encode(cp, bytes);
    for (size_t i = 0; i < n; i++)
        put_byte(s, bytes[i]);
}

/* Printable ASCII (0x21..0x7E) decodes to itself and is never whitespace: most of a message
 * skips both calls. */
static int is_printable_ascii(uint8_t b) {
    return b > 0x20u && b < 0x7Fu;
}

int pw_text_normalize(const char *text, size_t len, char *out, size_t cap, size_t *out_len) {
    if (!out_len || (!text && len) || (!out && cap))
        return PW_EINVAL;
    const uint8_t *p = (const uint8_t *)text;
    sink s = {out, cap, 0};
    /* A space is only written once a non-space follows, which trims both ends for free. */
    int pending_space = 0;
    for (size_t i = 0; i < len;) {
        uint32_t cp = p[i];
        pw__fold f = {{0, 0}, 1};
        if (is_printable_ascii(p[i])) {
            i++;
            f.cps[0] = pw__fold_ascii(cp); /* most of every message: no call per character */
        } else {
            i += pw__utf8_decode(p + i, len - i, &cp);
            if (pw__text_is_space(cp)) {
                pending_space = s.len > 0;
                continue;
            }
            f = pw__text_fold(cp);
            if (f.len == 0)
                continue;
        }
        if (pending_space)
            put(&s, ' ');
        pending_space = 0;
        for (uint32_t k = 0; k < f.len; k++)
            put(&s, f.cps[k]);
    }
    *out_len = s.len;
    return s.len <= cap ? PW_OK : PW_ETRUNC;
}
