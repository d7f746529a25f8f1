/* pw__hash32 is MurmurHash3 x86_32: published test vectors pin it, because every model file
 * depends on it never changing.
 * SPDX-License-Identifier: MIT */
#include "hash_int.h"
#include "pw_test.h"

static void matches_published_vectors(void) {
    PW_CHECK_INT(pw__hash32("", 0, 0), 0u);
    PW_CHECK_INT(pw__hash32("", 0, 1), 0x514E28B7u);
    PW_CHECK_INT(pw__hash32("", 0, 0xffffffffu), 0x81F16F39u);
    PW_CHECK_INT(pw__hash32("\0\0\0\0", 4, 0), 0x2362F9DEu);
    PW_CHECK_INT(pw__hash32("aaaa", 4, 0x9747b28cu), 0x5A97808Au);
    PW_CHECK_INT(pw__hash32("a", 1, 0x9747b28cu), 0x7FA09EA6u);
    PW_CHECK_INT(pw__hash32("abc", 3, 0x9747b28cu), 0xC84A62DDu);
    PW_CHECK_INT(pw__hash32("Hello, world!", 13, 0x9747b28cu), 0x24884CBAu);
    PW_CHECK_INT(pw__hash32("The quick brown fox jumps over the lazy dog", 43, 0x9747b28cu),
                 0x2FA826CDu);
}

static void every_tail_length_is_hashed(void) {
    /* Inputs differing only in the last byte of each tail length must differ. */
    const char a[] = "abcdefg", b[] = "abcdefh";
    for (size_t len = 1; len <= 7; len++) {
        char x[8], y[8];
        memcpy(x, a, len);
        memcpy(y, a, len);
        y[len - 1] = b[6];
        PW_CHECK(pw__hash32(x, len, 7) != pw__hash32(y, len, 7));
    }
}

int main(void) {
    PW_RUN(matches_published_vectors);
    PW_RUN(every_tail_length_is_hashed);
    return pw_test_exit_code();
}
