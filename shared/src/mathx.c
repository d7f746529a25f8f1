/* Deterministic exp and log. Both reduce the argument exactly with power-of-two scaling (built
 * from the exponent bits, no ldexp) and evaluate a fixed polynomial in a fixed order.
 * SPDX-License-Identifier: MIT */
#include "mathx_int.h"

#include <float.h>
#include <stdint.h>
#include <string.h>

/* ln 2 / 64 split so that n * LN2_64_HI is exact for |n| < 2^17 (Cody-Waite reduction). */
#define LN2_64_HI  0.010830424696223417
#define LN2_64_LO  2.572804622327669e-14
#define INV_LN2_64 92.33248261689366
#define LN2_HI     6.93147180369123816490e-01
#define LN2_LO     1.90821492927058770002e-10

/* 2^(j/64) for j = 0..63, each the double nearest the exact value (computed once to 40
 * digits). exp(x) = 2^(n/64) * e^r with |r| <= ln2/128, so a degree-5 polynomial suffices. */
static const double exp2_64[64] = {
    1.0,
    1.0108892860517005,
    1.0218971486541166,
    1.0330248790212284,
    1.0442737824274138,
    1.0556451783605572,
    1.0671404006768237,
    1.0787607977571199,
    1.0905077326652577,
    1.102382583307841,
    1.1143867425958924,
    1.1265216186082418,
    1.1387886347566916,
    1.1511892299529827,
    1.1637248587775775,
    1.1763969916502812,
    1.189207115002721,
    1.202156731452703,
    1.215247359980469,
    1.22848053610687,
    1.241857812073484,
    1.255380757024691,
    1.2690509571917332,
    1.2828700160787783,
    1.2968395546510096,
    1.3109612115247644,
    1.3252366431597413,
    1.339667524053303,
    1.3542555469368927,
    1.3690024229745905,
    1.383909881963832,
    1.3989796725383112,
    1.4142135623730951,
    1.42961333839197,
    1.4451808069770467,
    1.460917794180647,
    1.4768261459394993,
    1.4929077282912648,
    1.5091644275934228,
    1.5255981507445384,
    1.5422108254079407,
    1.559004400237837,
    1.5759808451078865,
    1.593142151342267,
    1.6104903319492543,
    1.6280274218573478,
    1.645755478153965,
    1.6636765803267364,
    1.681792830507429,
    1.7001063537185235,
    1.718619298122478,
    1.7373338352737062,
    1.7562521603732995,
    1.7753764925265212,
    1.7947090750031072,
    1.8142521755003989,
    1.8340080864093424,
    1.8539791250833855,
    1.8741676341103,
    1.8945759815869656,
    1.9152065613971474,
    1.9360617934922943,
    1.9571441241754002,
    1.978456026387951,
};

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
    double k = x * INV_LN2_64;
    int n = (int)(k < 0 ? k - 0.5 : k + 0.5);
    double r = (x - n * LN2_64_HI) - n * LN2_64_LO; /* |r| <= ln2/128 */
    /* Taylor to r^5: the remainder r^6/720 is below 4e-17 here. Horner order. */
    double p = 1.0 + r * (1.0 + r * (0.5 + r * (1.0 / 6 + r * (1.0 / 24 + r * (1.0 / 120)))));
    int hi = n >= 0 ? n / 64 : -((-n + 63) / 64); /* floor(n / 64) */
    int half = hi / 2;
    /* Two power-of-two factors so that hi = 1023 or -1022 cannot overflow the exponent. */
    return p * exp2_64[n - hi * 64] * pow2(half) * pow2(hi - half);
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
