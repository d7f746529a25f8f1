/* Text normalisation: the canonical form every classifier, signal and keyword match sees.
 * It does not tokenise or hash; those build on it.
 * SPDX-License-Identifier: MIT */
#ifndef PW_TEXT_H
#define PW_TEXT_H

#include <stddef.h>

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

#ifdef __cplusplus
}
#endif

#endif
