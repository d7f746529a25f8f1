/* Porter stemming (M.F. Porter, "An algorithm for suffix stripping", 1980), giving exactly the
 * stems of SQLite FTS5's `porter` tokenizer, so a word stemmed here matches the term the FTS index
 * holds for it. It strips English suffixes only: no case folding, no tokenizing, no stop words.
 * SPDX-License-Identifier: MIT */
#ifndef PW_KB_STEM_H
#define PW_KB_STEM_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* FTS5's porter leaves words longer than this (in bytes) as they are. */
#define PW_KB_STEM_MAX 64

/* Stems word[0..len) in place and returns the stem's length (at most len; the bytes from there
 * to len are left unspecified, and no NUL is written). Words shorter than 3 bytes or longer than
 * PW_KB_STEM_MAX are returned unchanged (len), as FTS5 does.
 *
 * The word should be lowercase, as FTS5's tokenizers hand it over. Like FTS5, any byte other
 * than a, e, i, o, u and y counts as a consonant, so words holding digits are stemmed too
 * ("mp3s" gives "mp3"), and UTF-8 bytes are stemmed as FTS5's `porter ascii` would.
 *
 * Borrows `word` for the call only; never allocates; pure and thread-safe. */
size_t pw_kb_stem(char *word, size_t len);

#ifdef __cplusplus
}
#endif

#endif
