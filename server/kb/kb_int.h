/* Helpers shared by the knowledge-base files: UTF-8 scanning for intake, the search tokenizer
 * and answer truncation.
 * SPDX-License-Identifier: MIT */
#ifndef PW_KB_INT_H
#define PW_KB_INT_H

#include <stddef.h>

#define PW_KB_TERM_MAX 64                       /* bytes; a longer "word" is a pasted id or noise */
#define PW_KB_KEY_CAP  (PW_KB_TERM_MAX * 3 + 1) /* a folded term: never over 3x its bytes, NUL */

/* The length (1..4) of the valid UTF-8 sequence starting at s[0] (n bytes available), or 0
 * when the bytes there are not valid UTF-8 (overlong forms and surrogates included). */
size_t pw__kb_utf8_seq(const unsigned char *s, size_t n);

/* 1 when s[0..n) is valid UTF-8 without NUL bytes. */
int pw__kb_utf8_valid(const char *s, size_t n);

/* The largest length <= max at which text[0..len) can be cut without splitting a character. */
size_t pw__kb_utf8_cut(const char *text, size_t len, size_t max);

/* Bytes [start, start + len) of a text. */
typedef struct pw__kb_span {
    size_t start, len;
} pw__kb_span;

/* The next word of text[0..len) at or after *pos: a run of letters and digits of any script
 * (ASCII and Unicode punctuation, symbols and spaces separate words), with apostrophes between
 * letters kept ("can't"). Sets *word and moves *pos past it; returns 1, or 0 when no word is
 * left. Any bytes are allowed, invalid UTF-8 included (it separates words). */
int pw__kb_next_word(const char *text, size_t len, size_t *pos, pw__kb_span *word);

/* The next part of `word` (found by pw__kb_next_word in `text`) between apostrophes, at or after
 * *pos (start with 0): "customer's" is "customer" then "s". Returns 1, or 0 after the last. The
 * index and the query both match parts, as SQLite's unicode61 tokenizer did. */
int pw__kb_next_part(const char *text, const pw__kb_span *word, size_t *pos, pw__kb_span *part);

/* 1 when the word w[0..n) (ASCII case and ’ folded) carries no topic: "why", "can't", "the".
 * A query leaves stop words out. */
int pw__kb_is_stop_word(const char *w, size_t n);

/* The search key of one part: folded, then stemmed (pw_kb_stem), into key[0..cap) with a NUL;
 * cap should be PW_KB_KEY_CAP. Returns its length, or 0 when the part has no key. */
size_t pw__kb_term_key(const char *s, size_t n, char *key, size_t cap);

#endif
