/* Case and diacritic folding of one code point, used by normalisation and tokenisation.
 * SPDX-License-Identifier: MIT */
#ifndef PW_TEXT_FOLD_INT_H
#define PW_TEXT_FOLD_INT_H

#include <stdint.h>

/* What one code point becomes. `len` 0 means "drop it"; otherwise `cps[0..len)` replace it. */
typedef struct pw__fold {
    uint32_t cps[2];
    uint32_t len;
} pw__fold;

/* Folds `cp` (see pw_text_normalize for the scripts covered). Whitespace is not handled here. */
pw__fold pw__text_fold(uint32_t cp);

/* pw__text_fold of an ASCII code point: a capital becomes its small letter, anything else stays.
 * Inline, for normalisation's loop over mostly ASCII text. */
static inline uint32_t pw__fold_ascii(uint32_t cp) {
    return cp >= 'A' && cp <= 'Z' ? cp + 0x20u : cp;
}

/* True for the code points normalisation turns into a single space. */
int pw__text_is_space(uint32_t cp);

#endif
