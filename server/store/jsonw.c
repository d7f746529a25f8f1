/* The JSON text writer (see jsonw.h).
 * SPDX-License-Identifier: MIT */
#include "jsonw.h"

#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Room for `n` more bytes and the NUL; doubling keeps appends amortised O(1). */
static int reserve(pw_jsonw *w, size_t n) {
    if (w->failed)
        return 0;
    if (w->len + n + 1 <= w->cap)
        return 1;
    size_t cap = w->cap ? w->cap : 1024;
    while (cap < w->len + n + 1)
        cap *= 2;
    char *grown = realloc(w->s, cap);
    if (!grown) {
        w->failed = 1;
        return 0;
    }
    w->s = grown, w->cap = cap;
    return 1;
}

void pw_jsonw_reserve(pw_jsonw *w, size_t n) {
    reserve(w, n);
}

static void append(pw_jsonw *w, const char *s, size_t n) {
    if (reserve(w, n)) {
        memcpy(w->s + w->len, s, n);
        w->len += n;
        w->s[w->len] = '\0';
    }
}

/* Every value and every key starts here: the comma between members or elements. */
static void separate(pw_jsonw *w) {
    if (w->comma)
        append(w, ",", 1);
}

void pw_jsonw_open(pw_jsonw *w, char bracket) {
    separate(w);
    append(w, &bracket, 1);
    w->comma = 0;
}

void pw_jsonw_close(pw_jsonw *w, char bracket) {
    append(w, &bracket, 1);
    w->comma = 1;
}

void pw_jsonw_key(pw_jsonw *w, const char *key) {
    separate(w);
    size_t n = strlen(key);
    if (reserve(w, n + 3)) {
        char *p = w->s + w->len;
        p[0] = '"';
        memcpy(p + 1, key, n);
        p[n + 1] = '"', p[n + 2] = ':', p[n + 3] = '\0';
        w->len += n + 3;
    }
    w->comma = 0;
}

/* What a byte below 0x20 becomes after its backslash, or 0 for the \u00XX form: the short
 * escapes SQLite's json_quote uses, so the text reads the same as the JSON SQLite built. */
static char short_escape(unsigned char c) {
    switch (c) {
    case '\b':
        return 'b';
    case '\t':
        return 't';
    case '\n':
        return 'n';
    case '\f':
        return 'f';
    case '\r':
        return 'r';
    default:
        return 0;
    }
}

static void escape(pw_jsonw *w, unsigned char c) {
    static const char hex[] = "0123456789abcdef";
    char e[6] = {'\\', (char)c};
    size_t n = 2;
    if (c < 0x20 && !(e[1] = short_escape(c))) {
        memcpy(e + 1, "u00", 3);
        e[4] = hex[c >> 4], e[5] = hex[c & 15];
        n = 6;
    }
    append(w, e, n);
}

/* Whether any of the eight bytes in x is below 0x20, '"' or '\\': the bytes a JSON string must
 * escape. Each test is the classic "has a zero byte" trick (on x, or on x with the character
 * XORed away), which is exact about whether any byte matches, if not about which. */
static int any_special(uint64_t x) {
    const uint64_t ones = 0x0101010101010101u, high = 0x8080808080808080u;
    uint64_t quote = x ^ (ones * '"'), backslash = x ^ (ones * '\\');
    return ((((x - ones * 0x20) & ~x) | ((quote - ones) & ~quote) |
             ((backslash - ones) & ~backslash)) &
            high) != 0;
}

/* Runs of bytes that need no escape are copied whole: message bodies are mostly such runs, and
 * they are scanned eight bytes at a time (this was 5% of a ticket's instructions byte by byte). */
void pw_jsonw_string(pw_jsonw *w, const char *s, size_t n) {
    separate(w);
    append(w, "\"", 1);
    size_t run = 0, i = 0;
    while (i < n) {
        uint64_t eight;
        if (n - i >= 8 && (memcpy(&eight, s + i, 8), !any_special(eight))) {
            i += 8;
            continue;
        }
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c != '"' && c != '\\') {
            i++;
            continue;
        }
        append(w, s + run, i - run);
        escape(w, c);
        run = ++i;
    }
    append(w, s + run, n - run);
    append(w, "\"", 1);
    w->comma = 1;
}

void pw_jsonw_raw(pw_jsonw *w, const char *json, size_t n) {
    separate(w);
    append(w, json, n);
    w->comma = 1;
}

void pw_jsonw_int(pw_jsonw *w, int64_t v) {
    char digits[24];
    /* Through the unsigned magnitude, so INT64_MIN does not overflow. */
    char *p = pw_decimal_before(v < 0 ? 0 - (uint64_t)v : (uint64_t)v, digits + sizeof digits);
    if (v < 0)
        *--p = '-';
    pw_jsonw_raw(w, p, (size_t)(digits + sizeof digits - p));
}

/* SQLite's own format for a REAL in JSON: 15 significant digits and always a decimal point. */
void pw_jsonw_double(pw_jsonw *w, double v) {
    char text[40];
    sqlite3_snprintf(sizeof text, text, "%!.15g", v);
    pw_jsonw_raw(w, text, strlen(text));
}

void pw_jsonw_bool(pw_jsonw *w, int v) {
    pw_jsonw_raw(w, v ? "true" : "false", v ? 4 : 5);
}

void pw_jsonw_null(pw_jsonw *w) {
    pw_jsonw_raw(w, "null", 4);
}

char *pw_jsonw_finish(pw_jsonw *w) {
    char *s = w->failed ? NULL : w->s;
    if (!s)
        free(w->s);
    *w = (pw_jsonw){0};
    return s;
}

/* Values in [0, 1e5), signals' probabilities among them, without printf: v * 10^4 is then off
 * the exact product by under 1e-7, so its fraction decides the rounding unless it is within
 * 1e-6 of a tie, which printf's exact arithmetic settles. Anything else (negative, -0, NaN,
 * large) goes to printf as well. */
size_t pw_fixed4(double v, char out[PW_FIXED4_MAX]) {
    double scaled = v * 10000.0, whole = floor(scaled), frac = scaled - whole;
    if (!(v >= 0 && v < 1e5) || signbit(v) || fabs(frac - 0.5) < 1e-6)
        return (size_t)snprintf(out, PW_FIXED4_MAX, "%.4f", v);
    uint64_t q = (uint64_t)whole + (frac > 0.5);
    char digits[32], *end = digits + sizeof digits, *p = end;
    for (int i = 0; i < 4; i++, q /= 10)
        *--p = (char)('0' + q % 10);
    *--p = '.';
    p = pw_decimal_before(q, p);
    size_t n = (size_t)(end - p);
    memcpy(out, p, n);
    out[n] = '\0';
    return n;
}
