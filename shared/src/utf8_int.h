/* UTF-8 decoding and encoding for the core's text paths.
 * SPDX-License-Identifier: MIT */
#ifndef PW_UTF8_INT_H
#define PW_UTF8_INT_H

#include <stddef.h>
#include <stdint.h>

/* U+FFFD, what every invalid byte decodes to. */
#define PW_UTF8_REPLACEMENT 0xFFFDu

/* Decodes one code point from `s[0..len)` (len > 0) into *cp and returns the bytes consumed
 * (1..4). Overlong forms, surrogates, values above U+10FFFF and truncated sequences decode as
 * U+FFFD consuming exactly one byte, so decoding always makes progress and never reads past len. */
size_t pw__utf8_decode(const uint8_t *s, size_t len, uint32_t *cp);

/* Returns the longest length <= max of text[0..len) that does not split a UTF-8 sequence: the
 * byte limit the classifier and the signal scanner apply to a message. */
size_t pw__utf8_cut(const char *text, size_t len, size_t max);

/* Writes the UTF-8 form of `cp` (a valid scalar value) into out[0..4) and returns its length. */
size_t pw__utf8_encode(uint32_t cp, uint8_t out[4]);

#endif
