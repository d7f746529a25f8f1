/* Text normalisation and tokenisation: the canonical form every classifier, signal and keyword
 * match sees, and its split into typed tokens. Feature hashing builds on these.
 * SPDX-License-Identifier: MIT */
#ifndef PW_TEXT_H
#define PW_TEXT_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Normalises UTF-8 `text[0..len)` (no NUL needed; it may contain NUL bytes) into `out`:
 *  - letters are case-folded: ASCII, Latin-1, Latin Extended-A, Romanian comma letters, Greek,
 *    Cyrillic and fullwidth ASCII; Latin letters also lose their diacritics ("Ärger" -> "arger",
 *    "ß" -> "ss", "Œ" -> "oe") so that customers who type without accents match those who do;
 *  - typographic quotes and dashes become ASCII (' " -); zero-width characters and soft hyphens
 *    are removed;
 *  - every run of whitespace (ASCII, no-break and Unicode spaces, control characters) becomes one
 *    ASCII space, and leading and trailing whitespace is dropped;
 *  - invalid UTF-8 (overlong, surrogate, truncated) becomes U+FFFD, one per bad byte.
 * Other characters pass through unchanged. The output is valid UTF-8 and is not NUL-terminated.
 * The output is never longer than 3 * len bytes.
 *
 * Borrows `text` and `out` for the call only. *out_len receives the full normalised length even
 * when it does not fit. Returns PW_OK; PW_ETRUNC when `cap` is too small (out holds the first
 * `cap` bytes, possibly ending mid-character); PW_EINVAL when `out_len` is NULL, or `text` or `out`
 * is NULL with a non-zero length or capacity. Pure: safe to call concurrently. */
int pw_text_normalize(const char *text, size_t len, char *out, size_t cap, size_t *out_len);

/* What a token is. Numbers, ids, emails and URLs are kept as byte ranges (signals read them)
 * but the classifier sees only their kind, so "order 48213" and "order 99120" look alike. */
typedef enum pw_token_kind {
    PW_TOKEN_WORD = 0,   /* letters (any script), with inner apostrophes: "can't" */
    PW_TOKEN_NUMBER = 1, /* digits, with inner . or , between digits: "1,299.00" */
    PW_TOKEN_ID = 2, /* letters and digits mixed, 5+ bytes, or joined by - _ /: "inv-2024-0042" */
    PW_TOKEN_EMAIL = 3, /* local@domain.tld */
    PW_TOKEN_URL = 4,   /* http://, https:// or www. up to the next space */
    PW_TOKEN_PUNCT = 5  /* a question or exclamation mark: "?" "!" carry intent */
} pw_token_kind;

/* A token: `len` bytes at `start` in the text that was tokenised. */
typedef struct pw_token {
    uint32_t start;
    uint32_t len;
    pw_token_kind kind;
} pw_token;

/* Splits `text[0..len)`, which should already be normalised (pw_text_normalize), into tokens
 * in order. Other punctuation separates tokens and is dropped. Short letter+digit mixes
 * ("2fa", "4g", "v2") stay words: they are vocabulary, not identifiers.
 *
 * Borrows `text` and `out` for the call only. Writes at most `cap` tokens and sets *count to the
 * number of tokens in the text. Returns PW_OK; PW_ETRUNC when more than `cap` tokens exist (the
 * first `cap` are written); PW_EINVAL when `count` is NULL, `text` is NULL with len > 0, `out`
 * is NULL with cap > 0, or len exceeds UINT32_MAX. Pure: safe to call concurrently. */
int pw_text_tokenize(const char *text, size_t len, pw_token *out, size_t cap, size_t *count);

#ifdef __cplusplus
}
#endif

#endif
