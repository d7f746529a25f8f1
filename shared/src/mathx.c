/* Deterministic exp and log. Both reduce the argument exactly with power-of-two scaling (built
 * from the exponent bits, no ldexp) and evaluate a fixed polynomial in a fixed order.
 * SPDX-License-Identifier: MIT */
#include "mathx_int.h"

#include <float.h>
#include <stdint.h>
#include <string.h>

/* ln 2 split so that n * LN2_HI is exact for |n| < 2^11 (Cody-Waite reduction). */
#define LN2_HI  6.93147180369123816490e-01
#define LN2_LO  1.90821492927058770002e-10
#define INV_LN2 1.44269504088896338700e+00

/* 1/k! for k = 12 down to 0: the Horner coefficients of exp's Taylor series after 1/13!. */
static const double inv_fact[] = {1.0 / 479001600.0,
                                  1.0 / 39916800.0,
                                  1.0 / 3628800.0,
                                  1.0 / 362880.0,
                                  1.0 / 40320.0,
                                  1.0 / 5040.0,
                                  1.0 / 720.0,
                                  1.0 / 120.0,
                                  1.0 / 24.0,
                                  1.0 / 6.0,
                                  1.0 / 2.0,
                                  1.0,
                                  1.0};

static double pow2(int n) {
    /* 2^n for -1022 <= n <= 1023, by writing the exponent field. */
    uint64_t bits = (uint64_t)(n + 1023) << 52;
    double d;
    memcpy(&d, &bits, sizeof d);
    return d;
}

double pw__exp(double x) {
    if (x != x)
        return x;
    if (x < -708.0)
        return 0.0;
    if (x > 709.0)
        return DBL_MAX;
    double k = x * INV_LN2;
    int n = (int)(k < 0 ? k - 0.5 : k + 0.5);
    double r = (x - n * LN2_HI) - n * LN2_LO; /* |r| <= ln2/2 */
    /* Taylor series to r^13: the remainder is below 2^-53 on |r| <= 0.35. Horner order. */
    double p = 1.0 / 6227020800.0;
    for (size_t i = 0; i < sizeof inv_fact / sizeof inv_fact[0]; i++)
        p = p * r + inv_fact[i];
    /* Split the scaling so that n = 1023 or n = -1022 cannot overflow the exponent field. */
    int half = n / 2;
    return p * pow2(half) * pow2(n - half);
}

double pw__log(double x) {
    if (!(x > 0.0))
        return -1e308;
    if (x > DBL_MAX)
        return x;
    uint64_t bits;
    memcpy(&bits, &x, sizeof bits);
    int e = (int)((bits >> 52) & 0x7FF);
    if (e == 0) { /* subnormal: scale into the normal range first */
        return pw__log(x * 18014398509481984.0) - 37.42994775023704; /* 2^54, 54 ln 2 */
    }
    /* x = m * 2^e with m in [sqrt(1/2), sqrt(2)). */
    bits = (bits & 0x000FFFFFFFFFFFFFull) | 0x3FF0000000000000ull;
    double m;
    memcpy(&m, &bits, sizeof m);
    e -= 1023;
    if (m > 1.4142135623730951) {
        m *= 0.5;
        e += 1;
    }
    /* log m = 2 atanh(s), s = (m-1)/(m+1), |s| <= 0.1716: the series to s^29 is exact to 2^-53. */
    double s = (m - 1.0) / (m + 1.0), s2 = s * s, sum = 0.0;
    for (int k = 29; k >= 1; k -= 2)
        sum = sum * s2 + 1.0 / k;
    return 2.0 * s * sum + e * LN2_HI + e * LN2_LO;
}
