/* Helpers shared by the knowledge-base files: UTF-8 scanning for intake, the search tokenizer
 * and answer truncation.
 * SPDX-License-Identifier: MIT */
#ifndef PW_KB_INT_H
#define PW_KB_INT_H

#include <stddef.h>

/* The length (1..4) of the valid UTF-8 sequence starting at s[0] (n bytes available), or 0
 * when the bytes there are not valid UTF-8 (overlong forms and surrogates included). */
size_t pw__kb_utf8_seq(const unsigned char *s, size_t n);

/* 1 when s[0..n) is valid UTF-8 without NUL bytes. */
int pw__kb_utf8_valid(const char *s, size_t n);

/* The largest length <= max at which text[0..len) can be cut without splitting a character. */
size_t pw__kb_utf8_cut(const char *text, size_t len, size_t max);

#endif
