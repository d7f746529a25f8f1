/* Words and search terms: how article text and customer messages are cut into the terms the
 * knowledge-base index matches. One cutter for both sides, so a word indexed from an article
 * and the same word typed by a customer always meet.
 * SPDX-License-Identifier: MIT */
#include "kb_int.h"
#include "stem.h"

#include <pw/text.h>
#include <string.h>

/* The code point of a 2- or 3-byte sequence (4-byte ones are never punctuation here). */
static unsigned code_point(const unsigned char *s, size_t n) {
    if (n == 2)
        return ((s[0] & 0x1Fu) << 6) | (s[1] & 0x3Fu);
    if (n == 3)
        return ((s[0] & 0x0Fu) << 12) | ((s[1] & 0x3Fu) << 6) | (s[2] & 0x3Fu);
    return 0x10000;
}

/* Latin-1 symbols, general punctuation (curly quotes, dashes) and CJK punctuation separate
 * words like ASCII punctuation does. */
static int is_punctuation(unsigned cp) {
    return (cp >= 0x80 && cp <= 0xBF) || cp == 0xD7 || cp == 0xF7 ||
           (cp >= 0x2000 && cp <= 0x206F) || (cp >= 0x3000 && cp <= 0x303F);
}

static int ascii_alnum(unsigned char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* 1 when s[0..k) is an apostrophe: ' or ’ (U+2019). */
static int is_apostrophe(const unsigned char *s, size_t k) {
    return (k == 1 && s[0] == '\'') || (k == 3 && code_point(s, 3) == 0x2019);
}

/* Bytes of the word character at s (0 when s is not in a word). An apostrophe between letters
 * ("can't", "don’t") stays in the word, so contractions can be recognised as stop words. */
static size_t word_char(const unsigned char *s, size_t n, int in_word) {
    if (ascii_alnum(s[0]))
        return 1;
    size_t k = s[0] < 0x80 ? (s[0] ? 1 : 0) : pw__kb_utf8_seq(s, n);
    if (k > 0 && is_apostrophe(s, k))
        return in_word && k < n && ascii_alnum(s[k]) ? k : 0;
    if (s[0] < 0x80 || k == 0 || is_punctuation(code_point(s, k)))
        return 0;
    return k;
}

int pw__kb_next_word(const char *text, size_t len, size_t *pos, pw__kb_span *word) {
    const unsigned char *u = (const unsigned char *)text;
    size_t i = *pos;
    while (i < len && word_char(u + i, len - i, 0) == 0)
        i++;
    if (i >= len) {
        *pos = len;
        return 0;
    }
    word->start = i;
    for (size_t k; i < len && (k = word_char(u + i, len - i, 1)) > 0;)
        i += k;
    word->len = i - word->start;
    *pos = i;
    return 1;
}

int pw__kb_next_part(const char *text, const pw__kb_span *word, size_t *pos, pw__kb_span *part) {
    const unsigned char *u = (const unsigned char *)text;
    size_t end = word->start + word->len, i = *pos < word->start ? word->start : *pos;
    if (i >= end)
        return 0;
    part->start = i;
    while (i < end) {
        size_t k = u[i] < 0x80 ? 1 : pw__kb_utf8_seq(u + i, end - i);
        k = k ? k : 1;
        if (is_apostrophe(u + i, k))
            break;
        i += k;
    }
    part->len = i - part->start;
    /* Step over the apostrophe: the next part starts after it. */
    *pos = i < end ? i + (u[i] == '\'' ? 1 : 3) : end;
    return 1;
}

/* Folds s[0..n) (case and diacritics, by the core's pw_text_normalize) into out[0..cap) with a
 * NUL. Returns the folded length, or 0 when s is empty or longer than PW_KB_TERM_MAX bytes or
 * the result does not fit. */
static size_t fold(const char *s, size_t n, char *out, size_t cap) {
    char folded[PW_KB_TERM_MAX * 3];
    size_t len = 0;
    if (n == 0 || n > PW_KB_TERM_MAX || pw_text_normalize(s, n, folded, sizeof folded, &len) != 0 ||
        len == 0 || len >= cap)
        return 0;
    memcpy(out, folded, len);
    out[len] = '\0';
    return len;
}

size_t pw__kb_term_key(const char *s, size_t n, char *key, size_t cap) {
    size_t len = fold(s, n, key, cap);
    if (len > 0) {
        len = pw_kb_stem(key, len);
        key[len] = '\0';
    }
    return len;
}
