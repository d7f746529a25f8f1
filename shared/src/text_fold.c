/* The folding tables: Latin letters to their unaccented lowercase ASCII form, plus simple case
 * offsets for Greek, Cyrillic and fullwidth forms. Tables are ranges so that a reviewer can
 * check them against the Unicode charts block by block.
 * SPDX-License-Identifier: MIT */
#include "text_fold_int.h"

#include <stddef.h>

typedef struct fold_range {
    uint16_t first, last;
    char ascii[3]; /* one or two ASCII letters, NUL-padded */
} fold_range;

/* U+00C0..U+024F: every range maps to the same ASCII letters. U+00D7 (×) and U+00F7 (÷)
 * are absent, so they pass through. */
static const fold_range latin_ranges[] = {
    {0x00C0, 0x00C5, "a"},  {0x00C6, 0x00C6, "ae"}, {0x00C7, 0x00C7, "c"},  {0x00C8, 0x00CB, "e"},
    {0x00CC, 0x00CF, "i"},  {0x00D0, 0x00D0, "d"},  {0x00D1, 0x00D1, "n"},  {0x00D2, 0x00D6, "o"},
    {0x00D8, 0x00D8, "o"},  {0x00D9, 0x00DC, "u"},  {0x00DD, 0x00DD, "y"},  {0x00DE, 0x00DE, "th"},
    {0x00DF, 0x00DF, "ss"}, {0x00E0, 0x00E5, "a"},  {0x00E6, 0x00E6, "ae"}, {0x00E7, 0x00E7, "c"},
    {0x00E8, 0x00EB, "e"},  {0x00EC, 0x00EF, "i"},  {0x00F0, 0x00F0, "d"},  {0x00F1, 0x00F1, "n"},
    {0x00F2, 0x00F6, "o"},  {0x00F8, 0x00F8, "o"},  {0x00F9, 0x00FC, "u"},  {0x00FD, 0x00FD, "y"},
    {0x00FE, 0x00FE, "th"}, {0x00FF, 0x00FF, "y"},  {0x0100, 0x0105, "a"},  {0x0106, 0x010D, "c"},
    {0x010E, 0x0111, "d"},  {0x0112, 0x011B, "e"},  {0x011C, 0x0123, "g"},  {0x0124, 0x0127, "h"},
    {0x0128, 0x0131, "i"},  {0x0132, 0x0133, "ij"}, {0x0134, 0x0135, "j"},  {0x0136, 0x0138, "k"},
    {0x0139, 0x0142, "l"},  {0x0143, 0x014B, "n"},  {0x014C, 0x0151, "o"},  {0x0152, 0x0153, "oe"},
    {0x0154, 0x0159, "r"},  {0x015A, 0x0161, "s"},  {0x0162, 0x0167, "t"},  {0x0168, 0x0173, "u"},
    {0x0174, 0x0175, "w"},  {0x0176, 0x0178, "y"},  {0x0179, 0x017E, "z"},  {0x017F, 0x017F, "s"},
    {0x0218, 0x0219, "s"},  {0x021A, 0x021B, "t"},
};

/* Typographic punctuation customers paste from documents and phones. */
static const fold_range punct_ranges[] = {
    {0x2018, 0x201B, "'"},  {0x2032, 0x2032, "'"}, {0x201C, 0x201F, "\""},
    {0x2033, 0x2033, "\""}, {0x2010, 0x2015, "-"}, {0x2212, 0x2212, "-"},
};

static pw__fold fold_of(uint32_t cp) {
    pw__fold f = {{cp, 0}, 1};
    return f;
}

static pw__fold fold_from_ascii(const char ascii[3]) {
    pw__fold f = {{(uint8_t)ascii[0], (uint8_t)ascii[1]}, ascii[1] ? 2u : 1u};
    return f;
}

static const fold_range *find_range(const fold_range *ranges, size_t n, uint32_t cp) {
    for (size_t i = 0; i < n; i++)
        if (cp >= ranges[i].first && cp <= ranges[i].last)
            return &ranges[i];
    return NULL;
}

static int is_dropped(uint32_t cp) {
    /* soft hyphen, zero-width space/non-joiner/joiner, word joiner, byte-order mark */
    return cp == 0x00AD || (cp >= 0x200B && cp <= 0x200D) || cp == 0x2060 || cp == 0xFEFF;
}

static uint32_t fold_other_scripts(uint32_t cp) {
    if (cp < 0x80u)
        return pw__fold_ascii(cp);
    if (cp >= 0x0391 && cp <= 0x03A9 && cp != 0x03A2) /* Greek capitals */
        return cp + 0x20u;
    if (cp == 0x03C2) /* final sigma folds to sigma, as Unicode case folding does */
        return 0x03C3;
    if (cp >= 0x0410 && cp <= 0x042F) /* Cyrillic А..Я */
        return cp + 0x20u;
    if (cp >= 0x0400 && cp <= 0x040F) /* Cyrillic Ѐ..Џ */
        return cp + 0x50u;
    if (cp >= 0xFF01 && cp <= 0xFF5E) /* fullwidth ASCII, then fold that again */
        return fold_other_scripts(cp - 0xFEE0u);
    return cp;
}

pw__fold pw__text_fold(uint32_t cp) {
    if (cp < 0x80u)
        return fold_of(fold_other_scripts(cp));
    if (is_dropped(cp)) {
        pw__fold none = {{0, 0}, 0};
        return none;
    }
    const fold_range *r =
        find_range(latin_ranges, sizeof latin_ranges / sizeof latin_ranges[0], cp);
    if (!r)
        r = find_range(punct_ranges, sizeof punct_ranges / sizeof punct_ranges[0], cp);
    if (r)
        return fold_from_ascii(r->ascii);
    return fold_of(fold_other_scripts(cp));
}

int pw__text_is_space(uint32_t cp) {
    if (cp <= 0x20u || cp == 0x7Fu) /* ASCII whitespace and control characters */
        return 1;
    if (cp >= 0x80u && cp <= 0x9Fu) /* C1 controls */
        return 1;
    return cp == 0x00A0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 ||
           cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000;
}
