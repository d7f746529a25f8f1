/* pw_text_tokenize: one left-to-right scan over normalised text. Space-separated chunks are
 * first checked for emails and URLs (whole-chunk shapes); everything else splits on
 * punctuation into words, numbers and ids.
 * SPDX-License-Identifier: MIT */
#include "pw/status.h"
#include "pw/text.h"
#include "utf8_int.h"

#include <stdint.h>
#include <string.h>

typedef struct emitter {
    pw_token *out;
    size_t cap, count;
} emitter;

static void emit(emitter *e, size_t start, size_t len, pw_token_kind kind) {
    if (e->count < e->cap) {
        e->out[e->count].start = (uint32_t)start;
        e->out[e->count].len = (uint32_t)len;
        e->out[e->count].kind = kind;
    }
    e->count++;
}

static int is_digit(uint8_t c) {
    return c >= '0' && c <= '9';
}

static int is_ascii_letter(uint8_t c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Bytes >= 0x80 belong to letters of other scripts (normalisation already turned typographic
 * quotes, dashes and spaces into ASCII), so they count as letters; symbol_len below catches
 * the symbols that are not. */
static int is_letter(uint8_t c) {
    return is_ascii_letter(c) || c >= 0x80;
}

/* Byte length of the code point at s[i] when it is a symbol rather than a letter (currency,
 * general punctuation, arrows, maths, dingbats, CJK punctuation, emoji, U+FFFD), else 0. */
static size_t symbol_len(const uint8_t *s, size_t len, size_t i) {
    if (s[i] < 0x80)
        return 0;
    uint32_t cp;
    size_t n = pw__utf8_decode(s + i, len - i, &cp);
    int symbol = (cp >= 0x00A1 && cp <= 0x00BF) || cp == 0x00D7 || cp == 0x00F7 ||
                 (cp >= 0x2000 && cp <= 0x2BFF) || (cp >= 0x3000 && cp <= 0x303F) ||
                 (cp >= 0xFE00 && cp <= 0xFE0F) || cp == 0xFFFD || (cp >= 0x1F000 && cp <= 0x1FAFF);
    return symbol ? n : 0;
}

/* Joiners keep an id together ("inv-2024-0042", "acct_77f"), but only between alphanumerics. */
static int is_joiner(uint8_t c) {
    return c == '-' || c == '_' || c == '/';
}

static int has_prefix(const char *s, size_t len, const char *prefix) {
    size_t n = strlen(prefix);
    return len >= n && memcmp(s, prefix, n) == 0;
}

static int is_url(const char *s, size_t len) {
    return (has_prefix(s, len, "http://") && len > 7) ||
           (has_prefix(s, len, "https://") && len > 8) || (has_prefix(s, len, "www.") && len > 4);
}

/* local@domain.tld with a non-empty local part and a dot inside the domain. */
static int is_email(const char *s, size_t len) {
    const char *at = memchr(s, '@', len);
    if (!at || at == s)
        return 0;
    const char *domain = at + 1, *end = s + len;
    const char *dot = memchr(domain, '.', (size_t)(end - domain));
    return dot && dot > domain && dot + 1 < end && !memchr(domain, '@', (size_t)(end - domain));
}

/* Chunks end in sentence punctuation more often than not: "me@x.com." is still an email. */
static size_t trim_trailing_punct(const char *s, size_t len) {
    while (len > 0 && strchr(".,;:!?)]}'\"", s[len - 1]))
        len--;
    return len;
}

/* A run of letters, digits, inner apostrophes and inner number separators or joiners. */
static size_t scan_alnum_run(const uint8_t *s, size_t len, size_t i, int *letters, int *digits) {
    size_t j = i;
    while (j < len) {
        uint8_t c = s[j];
        if (c >= 0xC0 && symbol_len(s, len, j))
            break;
        if (is_letter(c))
            *letters = 1, j++;
        else if (is_digit(c))
            *digits = 1, j++;
        else if (j + 1 < len && j > i) {
            uint8_t prev = s[j - 1], next = s[j + 1];
            int num_sep = (c == '.' || c == ',') && is_digit(prev) && is_digit(next);
            int apostrophe = c == '\'' && is_letter(prev) && is_letter(next);
            int joiner = is_joiner(c) && (is_digit(prev) || is_digit(next)) &&
                         (is_letter(next) || is_digit(next));
            if (!num_sep && !apostrophe && !joiner)
                break;
            j++;
        } else
            break;
    }
    return j;
}

static pw_token_kind classify_run(const uint8_t *s, size_t start, size_t end, int letters,
                                  int digits) {
    if (!letters)
        return PW_TOKEN_NUMBER;
    if (!digits)
        return PW_TOKEN_WORD;
    int joined = 0;
    for (size_t k = start; k < end; k++)
        joined |= is_joiner(s[k]);
    return end - start >= 5 || joined ? PW_TOKEN_ID : PW_TOKEN_WORD;
}

static void split_chunk(emitter *e, const uint8_t *s, size_t start, size_t end) {
    for (size_t i = start; i < end;) {
        uint8_t c = s[i];
        if (c == '?' || c == '!') {
            emit(e, i, 1, PW_TOKEN_PUNCT);
            i++;
            continue;
        }
        size_t symbol = symbol_len(s, end, i);
        if (symbol || (!is_letter(c) && !is_digit(c))) {
            i += symbol ? symbol : 1;
            continue;
        }
        int letters = 0, digits = 0;
        size_t j = scan_alnum_run(s, end, i, &letters, &digits);
        emit(e, i, j - i, classify_run(s, i, j, letters, digits));
        i = j;
    }
}

static void tokenize_chunk(emitter *e, const char *text, size_t start, size_t end) {
    const char *chunk = text + start;
    size_t len = trim_trailing_punct(chunk, end - start);
    if (is_url(chunk, len)) {
        emit(e, start, len, PW_TOKEN_URL);
        split_chunk(e, (const uint8_t *)text, start + len, end);
    } else if (is_email(chunk, len)) {
        emit(e, start, len, PW_TOKEN_EMAIL);
        split_chunk(e, (const uint8_t *)text, start + len, end);
    } else {
        split_chunk(e, (const uint8_t *)text, start, end);
    }
}

int pw_text_tokenize(const char *text, size_t len, pw_token *out, size_t cap, size_t *count) {
    if (!count || (!text && len) || (!out && cap) || (uint64_t)len > UINT32_MAX)
        return PW_EINVAL;
    emitter e = {out, cap, 0};
    size_t i = 0;
    while (i < len) {
        while (i < len && (uint8_t)text[i] <= ' ')
            i++;
        size_t start = i;
        while (i < len && (uint8_t)text[i] > ' ')
            i++;
        if (i > start)
            tokenize_chunk(&e, text, start, i);
    }
    *count = e.count;
    return e.count <= cap ? PW_OK : PW_ETRUNC;
}
