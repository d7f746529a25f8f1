/* A JSON text writer: appends to one growing buffer, places the commas itself, escapes strings
 * as SQLite's JSON functions do. The read models (views.c) build their responses with it straight
 * from SQLite's columns, with no tree in between.
 *
 * Usage: zero a pw_jsonw, write values (a key before each value inside an object), then take the
 * text with pw_jsonw_finish. Out of memory is sticky: every later call does nothing and finish
 * returns NULL, so a caller checks once at the end.
 * SPDX-License-Identifier: MIT */
#ifndef PW_STORE_JSONW_H
#define PW_STORE_JSONW_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef struct pw_jsonw {
    char *s;
    size_t len, cap;
    int failed;
    int comma; /* a value was just written: the next key or element needs a comma first */
} pw_jsonw;

/* Room for `n` bytes of text before the buffer next grows: for a caller that knows its text is
 * large, one allocation instead of a chain of reallocations, each copying what came before. */
void pw_jsonw_reserve(pw_jsonw *w, size_t n);

/* `{` or `[`, and the matching close. */
void pw_jsonw_open(pw_jsonw *w, char bracket);
void pw_jsonw_close(pw_jsonw *w, char bracket);

/* An object member's key: a literal the caller knows needs no escaping. */
void pw_jsonw_key(pw_jsonw *w, const char *key);

/* Values. A string is `n` bytes of UTF-8, escaped; `raw` is text that already is one JSON value
 * (a stored JSON column); a double is printed as SQLite prints a REAL. */
void pw_jsonw_string(pw_jsonw *w, const char *s, size_t n);
void pw_jsonw_raw(pw_jsonw *w, const char *json, size_t n);
void pw_jsonw_int(pw_jsonw *w, int64_t v);
void pw_jsonw_double(pw_jsonw *w, double v);
void pw_jsonw_bool(pw_jsonw *w, int v);
void pw_jsonw_null(pw_jsonw *w);

/* The NUL-terminated text (the caller frees it with free()), or NULL when memory ran out. The
 * writer is empty afterwards. */
char *pw_jsonw_finish(pw_jsonw *w);

/* `v` in decimal digits written backwards so that they end just before `end` (no NUL added;
 * up to 20 bytes); returns where they start. pw_jsonw_int's digits, shared with text built
 * without snprintf (the API's header lines and field names). */
static inline char *pw_decimal_before(uint64_t v, char *end) {
    do
        *--end = (char)('0' + v % 10);
    while (v /= 10);
    return end;
}

/* Appends s[0..n) to buf[*at..cap), cut to fit; buf stays NUL-terminated (cap > *at). Text
 * built piece by piece without snprintf, whose format parsing cost more than the copying. */
static inline void pw_append_n(char *buf, size_t cap, size_t *at, const char *s, size_t n) {
    if (n > cap - 1 - *at)
        n = cap - 1 - *at;
    memcpy(buf + *at, s, n);
    *at += n;
    buf[*at] = '\0';
}

static inline void pw_append(char *buf, size_t cap, size_t *at, const char *s) {
    pw_append_n(buf, cap, at, s, strlen(s));
}

static inline void pw_append_u64(char *buf, size_t cap, size_t *at, uint64_t v) {
    char digits[20], *end = digits + sizeof digits, *d = pw_decimal_before(v, end);
    pw_append_n(buf, cap, at, d, (size_t)(end - d));
}

/* Room for pw_fixed4's text of any double and its NUL (printf's "%.4f" of DBL_MAX is 314). */
#define PW_FIXED4_MAX 320

/* Writes v as printf's "%.4f" does (the exact binary value rounded half to even) and a NUL to
 * out; returns the length. */
size_t pw_fixed4(double v, char out[PW_FIXED4_MAX]);

#endif
