/* pw_text_normalize: folding, whitespace, invalid UTF-8, buffer contracts, pathological input.
 * SPDX-License-Identifier: MIT */
#include "pw/status.h"
#include "pw/text.h"
#include "pw_test.h"

#include <stdlib.h>

/* Normalises a NUL-terminated literal and compares with the expected literal. */
#define CHECK_NORM(input, expected)                                                                \
    do {                                                                                           \
        char out_[256];                                                                            \
        size_t n_ = 0;                                                                             \
        PW_CHECK_INT(pw_text_normalize(input, strlen(input), out_, sizeof out_, &n_), PW_OK);      \
        PW_CHECK_STRN(out_, n_, expected);                                                         \
    } while (0)

static void ascii_is_lowercased(void) {
    CHECK_NORM("Cancel My SUBSCRIPTION", "cancel my subscription");
    CHECK_NORM("order #A-1234?", "order #a-1234?");
}

static void latin_letters_lose_case_and_diacritics(void) {
    CHECK_NORM("Ärger über Größe", "arger uber grosse");
    CHECK_NORM("CAFÉ crème", "cafe creme");
    CHECK_NORM("Œuvre Æsir Ĳssel", "oeuvre aesir ijssel");
    CHECK_NORM("Łódź Şişli ȘTIINȚĂ", "lodz sisli stiinta");
    CHECK_NORM("× ÷", "× ÷"); /* math signs in the Latin-1 block are not letters */
}

static void greek_cyrillic_and_fullwidth_fold(void) {
    CHECK_NORM("ΣΟΦΙΑ σοφος", "σοφια σοφοσ");
    CHECK_NORM("ПРИВЕТ Ёж", "привет ёж");
    CHECK_NORM("ＨＥＬＬＯ１", "hello1");
}

static void whitespace_collapses_and_trims(void) {
    CHECK_NORM("  hello \t\r\n  world  ", "hello world");
    CHECK_NORM("a\xC2\xA0"
               "b\xE2\x80\x83"
               "c\xE3\x80\x80"
               "d",
               "a b c d");
    CHECK_NORM("   ", "");
    CHECK_NORM("", "");
}

static void typography_and_invisibles(void) {
    CHECK_NORM("it\xE2\x80\x99s \xE2\x80\x9C"
               "broken\xE2\x80\x9D \xE2\x80\x94 again",
               "it's \"broken\" - again");
    CHECK_NORM("pass\xE2\x80\x8Bword re\xC2\xADset", "password reset");
}

static void invalid_utf8_becomes_replacement_per_byte(void) {
    CHECK_NORM("a\xFF"
               "b",
               "a\xEF\xBF\xBD"
               "b");
    CHECK_NORM("\xC0\xAF", "\xEF\xBF\xBD\xEF\xBF\xBD");                 /* overlong '/' */
    CHECK_NORM("\xED\xA0\x80", "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"); /* surrogate */
    CHECK_NORM("x\xE2\x82", "x\xEF\xBF\xBD\xEF\xBF\xBD");               /* truncated at the end */
}

static void embedded_nul_is_whitespace_not_a_terminator(void) {
    char out[16];
    size_t n = 0;
    PW_CHECK_INT(pw_text_normalize("A\0B", 3, out, sizeof out, &n), PW_OK);
    PW_CHECK_STRN(out, n, "a b");
}

static void too_small_buffer_reports_needed_size(void) {
    char out[4];
    size_t n = 0;
    PW_CHECK_INT(pw_text_normalize("Hello World", 11, out, sizeof out, &n), PW_ETRUNC);
    PW_CHECK_INT(n, 11);
    PW_CHECK_STRN(out, 4, "hell");
    PW_CHECK_INT(pw_text_normalize("Hello", 5, NULL, 0, &n), PW_ETRUNC);
    PW_CHECK_INT(n, 5);
}

static void bad_arguments_are_rejected(void) {
    char out[8];
    size_t n = 0;
    PW_CHECK_INT(pw_text_normalize("x", 1, out, sizeof out, NULL), PW_EINVAL);
    PW_CHECK_INT(pw_text_normalize(NULL, 1, out, sizeof out, &n), PW_EINVAL);
    PW_CHECK_INT(pw_text_normalize("x", 1, NULL, 8, &n), PW_EINVAL);
    PW_CHECK_INT(pw_text_normalize(NULL, 0, out, sizeof out, &n), PW_OK);
    PW_CHECK_INT(n, 0);
}

/* The documented bound (3 bytes out per byte in) holds for the worst case: all invalid bytes. */
static void output_bound_holds_for_a_megabyte_of_garbage(void) {
    size_t len = 1u << 20;
    char *in = malloc(len), *out = malloc(3 * len);
    PW_CHECK(in && out);
    if (!in || !out) {
        free(in);
        free(out);
        return;
    }
    memset(in, 0xFF, len);
    size_t n = 0;
    PW_CHECK_INT(pw_text_normalize(in, len, out, 3 * len, &n), PW_OK);
    PW_CHECK_INT(n, 3 * len);
    free(in);
    free(out);
}

int main(void) {
    PW_RUN(ascii_is_lowercased);
    PW_RUN(latin_letters_lose_case_and_diacritics);
    PW_RUN(greek_cyrillic_and_fullwidth_fold);
    PW_RUN(whitespace_collapses_and_trims);
    PW_RUN(typography_and_invisibles);
    PW_RUN(invalid_utf8_becomes_replacement_per_byte);
    PW_RUN(embedded_nul_is_whitespace_not_a_terminator);
    PW_RUN(too_small_buffer_reports_needed_size);
    PW_RUN(bad_arguments_are_rejected);
    PW_RUN(output_bound_holds_for_a_megabyte_of_garbage);
    return pw_test_exit_code();
}
