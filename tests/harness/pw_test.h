/* A tiny unit-test harness: checks that report file, line, expression and actual vs expected,
 * and keep going so one run shows every failure. One executable per module; main() runs the
 * tests with PW_RUN and returns pw_test_exit_code().
 * SPDX-License-Identifier: MIT */
#ifndef PW_TEST_H
#define PW_TEST_H

#include <stdio.h>
#include <string.h>

static int pw_test_failures;
static int pw_test_checks;
static const char *pw_test_current = "";

static inline void pw_test_fail(const char *file, int line, const char *expr) {
    pw_test_failures++;
    fprintf(stderr, "%s:%d: %s: check failed: %s\n", file, line, pw_test_current, expr);
}

/* Prints bytes with non-printables escaped, so a failing string comparison is readable. */
static inline void pw_test_print_bytes(const char *label, const void *p, size_t n) {
    fprintf(stderr, "    %s (%zu bytes): \"", label, n);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = ((const unsigned char *)p)[i];
        if (c >= 0x20 && c < 0x7f && c != '\\')
            fputc(c, stderr);
        else
            fprintf(stderr, "\\x%02x", c);
    }
    fprintf(stderr, "\"\n");
}

#define PW_CHECK(expr)                                                                             \
    do {                                                                                           \
        pw_test_checks++;                                                                          \
        if (!(expr))                                                                               \
            pw_test_fail(__FILE__, __LINE__, #expr);                                               \
    } while (0)

#define PW_CHECK_INT(actual, expected)                                                             \
    do {                                                                                           \
        long long pw_a_ = (long long)(actual), pw_e_ = (long long)(expected);                      \
        pw_test_checks++;                                                                          \
        if (pw_a_ != pw_e_) {                                                                      \
            pw_test_fail(__FILE__, __LINE__, #actual " == " #expected);                            \
            fprintf(stderr, "    actual: %lld\n    expected: %lld\n", pw_a_, pw_e_);               \
        }                                                                                          \
    } while (0)

#define PW_CHECK_MEM(actual, actual_len, expected, expected_len)                                   \
    do {                                                                                           \
        size_t pw_al_ = (actual_len), pw_el_ = (expected_len);                                     \
        pw_test_checks++;                                                                          \
        if (pw_al_ != pw_el_ || memcmp((actual), (expected), pw_al_) != 0) {                       \
            pw_test_fail(__FILE__, __LINE__, #actual " == " #expected);                            \
            pw_test_print_bytes("actual", (actual), pw_al_);                                       \
            pw_test_print_bytes("expected", (expected), pw_el_);                                   \
        }                                                                                          \
    } while (0)

/* Compares `len` bytes at `actual` with the NUL-terminated literal `expected`. */
#define PW_CHECK_STRN(actual, len, expected) PW_CHECK_MEM(actual, len, expected, strlen(expected))

#define PW_RUN(test_fn)                                                                            \
    do {                                                                                           \
        pw_test_current = #test_fn;                                                                \
        test_fn();                                                                                 \
    } while (0)

static inline int pw_test_exit_code(void) {
    fprintf(stderr, "%d checks, %d failed\n", pw_test_checks, pw_test_failures);
    /* A test file that checks nothing is a broken test file, not a passing one. */
    return pw_test_failures == 0 && pw_test_checks > 0 ? 0 : 1;
}

#endif
