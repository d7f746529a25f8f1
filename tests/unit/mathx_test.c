/* pw__exp and pw__log against the C library, and the CRC-32 check value.
 * SPDX-License-Identifier: MIT */
#include "crc32_int.h"
#include "mathx_int.h"
#include "pw_test.h"

#include <math.h>

static int close_rel(double a, double b) {
    return fabs(a - b) <= 4e-16 * fabs(b) + 1e-300;
}

static void exp_matches_libm_across_the_range(void) {
    int bad = 0;
    for (double x = -700.0; x <= 700.0; x += 0.37)
        bad += !close_rel(pw__exp(x), exp(x));
    PW_CHECK_INT(bad, 0);
    PW_CHECK(pw__exp(0.0) == 1.0);
    PW_CHECK(pw__exp(-1000.0) == 0.0);
    PW_CHECK(pw__exp(1000.0) > 1e300);
}

static void log_matches_libm_and_inverts_exp(void) {
    int bad = 0;
    for (double x = 1e-300; x < 1e300; x *= 1.7)
        bad += !close_rel(pw__log(x), log(x)) && fabs(pw__log(x) - log(x)) > 1e-15;
    PW_CHECK_INT(bad, 0);
    PW_CHECK(pw__log(1.0) == 0.0);
    PW_CHECK(fabs(pw__log(pw__exp(3.25)) - 3.25) < 1e-14);
    PW_CHECK(pw__log(0.0) < -1e300);
    PW_CHECK(fabs(pw__log(4.9e-324) - log(4.9e-324)) < 1e-12); /* subnormal */
}

static void crc32_check_value(void) {
    /* The standard check value of CRC-32/ISO-HDLC. */
    PW_CHECK_INT(pw__crc32("123456789", 9), 0xCBF43926u);
    PW_CHECK_INT(pw__crc32("", 0), 0);
}

int main(void) {
    PW_RUN(exp_matches_libm_across_the_range);
    PW_RUN(log_matches_libm_and_inverts_exp);
    PW_RUN(crc32_check_value);
    return pw_test_exit_code();
}
