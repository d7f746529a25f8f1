/* The JSON text writer (server/store/jsonw.c) that builds the read models: commas and nesting,
 * and strings and numbers written byte for byte as SQLite's JSON functions write them (the
 * views were built by those functions before, and clients saw that text), with SQLite itself
 * as the oracle.
 * SPDX-License-Identifier: MIT */
#include "store/jsonw.h"
#include "pw_test.h"

#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static sqlite3 *db;

/* What SQLite's json_quote makes of `n` bytes of text, or of a double when `s` is NULL. */
static char *sqlite_quote(const char *s, size_t n, double v) {
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "SELECT json_quote(?1)", -1, &st, NULL) != SQLITE_OK)
        return NULL;
    if (s)
        sqlite3_bind_text(st, 1, s, (int)n, SQLITE_STATIC);
    else
        sqlite3_bind_double(st, 1, v);
    char *out = NULL;
    if (sqlite3_step(st) == SQLITE_ROW)
        out = strdup((const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return out;
}

static void check_against_sqlite(const char *s, size_t n, double v) {
    pw_jsonw w = {0};
    if (s)
        pw_jsonw_string(&w, s, n);
    else
        pw_jsonw_double(&w, v);
    char *ours = pw_jsonw_finish(&w), *theirs = sqlite_quote(s, n, v);
    PW_CHECK(ours && theirs);
    if (ours && theirs)
        PW_CHECK_MEM(ours, strlen(ours), theirs, strlen(theirs));
    free(ours);
    free(theirs);
}

static void nesting_places_every_comma(void) {
    pw_jsonw w = {0};
    pw_jsonw_open(&w, '{');
    pw_jsonw_key(&w, "a");
    pw_jsonw_open(&w, '[');
    pw_jsonw_int(&w, 1);
    pw_jsonw_open(&w, '{');
    pw_jsonw_close(&w, '}');
    pw_jsonw_open(&w, '[');
    pw_jsonw_null(&w);
    pw_jsonw_bool(&w, 1);
    pw_jsonw_close(&w, ']');
    pw_jsonw_raw(&w, "{\"x\":[]}", 8);
    pw_jsonw_close(&w, ']');
    pw_jsonw_key(&w, "b");
    pw_jsonw_bool(&w, 0);
    pw_jsonw_key(&w, "c");
    pw_jsonw_open(&w, '{');
    pw_jsonw_key(&w, "d");
    pw_jsonw_string(&w, "e", 1);
    pw_jsonw_close(&w, '}');
    pw_jsonw_close(&w, '}');
    char *s = pw_jsonw_finish(&w);
    PW_CHECK(s != NULL);
    if (s)
        PW_CHECK_STRN(s, strlen(s),
                      "{\"a\":[1,{},[null,true],{\"x\":[]}],\"b\":false,\"c\":{\"d\":\"e\"}}");
    free(s);
    PW_CHECK(w.s == NULL && w.len == 0); /* finish leaves the writer empty */
}

static void strings_are_escaped_as_sqlite_escapes_them(void) {
    char every_control[32];
    for (int c = 0; c < 32; c++)
        every_control[c] = (char)c;
    check_against_sqlite(every_control, sizeof every_control, 0);
    check_against_sqlite("say \"hi\" \\ back/slash", 22, 0);
    check_against_sqlite("caf\xc3\xa9 \xf0\x9f\x98\x80 \x7f", 13, 0);
    check_against_sqlite("", 0, 0);
    /* A run of plain bytes on each side of every escape. */
    check_against_sqlite("line one\nline two\ttabbed\r\n\"end\"", 31, 0);
}

/* Strings are scanned eight bytes at a time: a byte to escape, or one just beside what needs
 * escaping, at every offset of a block and across block boundaries. */
static void every_offset_of_an_eight_byte_scan(void) {
    static const unsigned char probes[] = {0x00, 0x01, 0x0a, 0x1f, '"',  '\\', 0x20, 0x21,
                                           0x23, 0x5b, 0x5d, 0x7f, 0x80, 0xa2, 0xdc, 0xff};
    for (size_t p = 0; p < sizeof probes; p++)
        for (size_t at = 0; at < 24; at++)
            for (size_t len = at + 1; len <= 25; len += 8) {
                char text[25];
                memset(text, 'x', sizeof text);
                text[at] = (char)probes[p];
                check_against_sqlite(text, len, 0);
            }
}

static void long_strings_grow_the_buffer(void) {
    size_t n = 3u << 20;
    char *big = malloc(n);
    PW_CHECK(big != NULL);
    if (!big)
        return;
    for (size_t i = 0; i < n; i++)
        big[i] = i % 997 == 0 ? '\n' : (char)('a' + i % 26);
    check_against_sqlite(big, n, 0);
    free(big);
}

static void numbers_are_written_as_sqlite_writes_them(void) {
    static const double reals[] = {0.0,      1.0, -2.5, 0.1 + 0.2, 0.87, 1e-7, 123456789012345678.0,
                                   1.0 / 3.0};
    for (size_t i = 0; i < sizeof reals / sizeof reals[0]; i++)
        check_against_sqlite(NULL, 0, reals[i]);
    static const struct {
        int64_t v;
        const char *text;
    } ints[] = {{0, "0"},
                {-1, "-1"},
                {1733500000000, "1733500000000"},
                {INT64_MAX, "9223372036854775807"},
                {INT64_MIN, "-9223372036854775808"}};
    for (size_t i = 0; i < sizeof ints / sizeof ints[0]; i++) {
        pw_jsonw w = {0};
        pw_jsonw_int(&w, ints[i].v);
        char *s = pw_jsonw_finish(&w);
        PW_CHECK(s != NULL);
        if (s)
            PW_CHECK_STRN(s, strlen(s), ints[i].text);
        free(s);
    }
}

static int fixed4_is_printfs(double v) {
    char want[PW_FIXED4_MAX], got[PW_FIXED4_MAX];
    snprintf(want, sizeof want, "%.4f", v);
    size_t n = pw_fixed4(v, got);
    if (strcmp(got, want) == 0 && n == strlen(want))
        return 1;
    fprintf(stderr, "    pw_fixed4(%a): \"%s\", printf: \"%s\"\n", v, got, want);
    return 0;
}

/* The signals' stored text: pw_fixed4 must be printf's "%.4f" exactly, ties and edges included. */
static void fixed4_writes_what_printf_writes(void) {
    static const double edges[] = {
        0.0,      -0.0,      1.0,      0.5,         0.00005, 0.00015,           0.03125,  0.99995,
        0.999949, 0.9999499, 1e-300,   99999.99995, 1e5,     1e5 - 1,           -0.00004, -1.25,
        1e300,    -1e300,    INFINITY, -INFINITY,   NAN,     4503599627370497.0};
    int wrong = 0;
    for (size_t i = 0; i < sizeof edges / sizeof edges[0]; i++)
        wrong += !fixed4_is_printfs(edges[i]);
    /* Every four-decimal value and the halves between them, as the nearest doubles. */
    for (int k = 0; k <= 20000 && wrong < 5; k++) {
        wrong += !fixed4_is_printfs(k / 10000.0);
        wrong += !fixed4_is_printfs((k + 0.5) / 10000.0);
        wrong += !fixed4_is_printfs(nextafter((k + 0.5) / 10000.0, 0));
        wrong += !fixed4_is_printfs(nextafter((k + 0.5) / 10000.0, 1));
    }
    /* And a million values a score can take, from a fixed seed. */
    uint64_t x = 0x9E3779B97F4A7C15u;
    for (int i = 0; i < 1000000 && wrong < 5; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        double v = (double)(x >> 11) / 9007199254740992.0; /* [0, 1) */
        wrong += !fixed4_is_printfs(i % 2 ? v : v * 100000.0);
    }
    PW_CHECK_INT(wrong, 0);
}

int main(void) {
    if (sqlite3_open(":memory:", &db) != SQLITE_OK)
        return 1;
    PW_RUN(nesting_places_every_comma);
    PW_RUN(strings_are_escaped_as_sqlite_escapes_them);
    PW_RUN(every_offset_of_an_eight_byte_scan);
    PW_RUN(long_strings_grow_the_buffer);
    PW_RUN(numbers_are_written_as_sqlite_writes_them);
    PW_RUN(fixed4_writes_what_printf_writes);
    sqlite3_close(db);
    return pw_test_exit_code();
}
