/* exp and log written here from + - * / only, so both homes compute bit-identical results:
 * libm implementations differ between glibc and emscripten's musl, and parity compares
 * probabilities byte for byte. sqrt is IEEE-exact everywhere and comes from <math.h>.
 * SPDX-License-Identifier: MIT */
#ifndef PW_MATHX_INT_H
#define PW_MATHX_INT_H

/* e^x, relative error below 1e-15 on [-708, 709]; 0 below, +HUGE above (clamped to DBL_MAX). */
double pw__exp(double x);

/* Natural log for x > 0, relative error below 1e-15; returns -1e308 for x <= 0. */
double pw__log(double x);

#endif
