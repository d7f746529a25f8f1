/* The golden-file format: parse cases, decode inputs, run the mode, print canonically.
 * SPDX-License-Identifier: MIT */
#include "parity.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void pw_buf_put(pw_buf *b, const void *data, size_t len) {
    if (b->len + len + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + len + 1)
            cap *= 2;
        char *p = realloc(b->data, cap);
        if (!p) {
            fprintf(stderr, "parity: out of memory\n");
            exit(1);
        }
        b->data = p, b->cap = cap;
    }
    if (len)
        memcpy(b->data + b->len, data, len);
    b->len += len;
    b->data[b->len] = '\0';
}

void pw_buf_puts(pw_buf *b, const char *s) {
    pw_buf_put(b, s, strlen(s));
}

void pw_buf_printf(pw_buf *b, const char *fmt, ...) {
    char tmp[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    pw_buf_put(b, tmp, n < 0 ? 0 : (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
}

void pw_buf_put_escaped(pw_buf *b, const void *data, size_t len) {
    const unsigned char *p = data;
    for (size_t i = 0; i < len; i++) {
        if (p[i] == '\\')
            pw_buf_puts(b, "\\\\");
        else if ((p[i] < 0x20 && p[i] != '\n') || p[i] == 0x7f)
            pw_buf_printf(b, "\\x%02x", p[i]);
        else
            pw_buf_put(b, &p[i], 1);
    }
}

static int hex_value(char c) {
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Undoes pw_buf_put_escaped on the raw input text. */
static int unescape(const char *s, size_t len, pw_buf *out) {
    for (size_t i = 0; i < len; i++) {
        if (s[i] != '\\') {
            pw_buf_put(out, &s[i], 1);
        } else if (i + 1 < len && s[i + 1] == '\\') {
            pw_buf_put(out, "\\", 1), i++;
        } else if (i + 3 < len && s[i + 1] == 'x' && hex_value(s[i + 2]) >= 0 &&
                   hex_value(s[i + 3]) >= 0) {
            char c = (char)(hex_value(s[i + 2]) * 16 + hex_value(s[i + 3]));
            pw_buf_put(out, &c, 1), i += 3;
        } else {
            fprintf(stderr, "parity: bad escape in input: %.*s\n", (int)(len - i), s + i);
            return -1;
        }
    }
    return 0;
}

typedef struct cursor {
    const char *p, *end;
    size_t line_no;
} cursor;

/* Returns the next line (without '\n') or NULL at the end. */
static const char *next_line(cursor *c, size_t *len) {
    if (c->p >= c->end)
        return NULL;
    const char *line = c->p, *nl = memchr(line, '\n', (size_t)(c->end - line));
    *len = nl ? (size_t)(nl - line) : (size_t)(c->end - line);
    c->p = nl ? nl + 1 : c->end;
    c->line_no++;
    return line;
}

static int starts(const char *line, size_t len, const char *prefix) {
    size_t n = strlen(prefix);
    return len >= n && memcmp(line, prefix, n) == 0;
}

typedef struct case_state {
    parity_mode_fn mode;
    pw_buf input; /* raw input lines, as written in the file */
} case_state;

/* Reads "@mode" lines and input lines up to "---"; echoes them into `out`. */
static int read_case_input(cursor *c, case_state *cs, pw_buf *out) {
    size_t len;
    const char *line;
    cs->input.len = 0;
    int first = 1;
    while ((line = next_line(c, &len)) != NULL) {
        if (len == 3 && memcmp(line, "---", 3) == 0)
            return 0;
        pw_buf_put(out, line, len);
        pw_buf_put(out, "\n", 1);
        if (starts(line, len, "@mode ") && first) {
            cs->mode = parity_find_mode(line + 6, len - 6);
            if (!cs->mode) {
                fprintf(stderr, "parity: line %zu: unknown mode %.*s\n", c->line_no, (int)len,
                        line);
                return -1;
            }
            continue;
        }
        if (!first)
            pw_buf_put(&cs->input, "\n", 1);
        pw_buf_put(&cs->input, line, len);
        first = 0;
    }
    fprintf(stderr, "parity: line %zu: case has no '---' separator\n", c->line_no);
    return -1;
}

/* Skips the expected block: everything up to the next "### " line, which is left unread. */
static void skip_expected(cursor *c) {
    while (c->p < c->end && !starts(c->p, (size_t)(c->end - c->p), "### ")) {
        size_t len;
        next_line(c, &len);
    }
}

static int run_case(cursor *c, case_state *cs, pw_buf *out) {
    if (read_case_input(c, cs, out))
        return -1;
    if (!cs->mode) {
        fprintf(stderr, "parity: line %zu: no @mode before the first case\n", c->line_no);
        return -1;
    }
    pw_buf decoded = {0}, result = {0};
    int rc = unescape(cs->input.data ? cs->input.data : "", cs->input.len, &decoded);
    if (rc == 0)
        rc = cs->mode((const uint8_t *)(decoded.data ? decoded.data : ""), decoded.len, &result);
    if (rc == 0) {
        pw_buf_puts(out, "---\n");
        pw_buf_put_escaped(out, result.data ? result.data : "", result.len);
        pw_buf_puts(out, "\n\n");
    }
    free(decoded.data);
    free(result.data);
    skip_expected(c);
    return rc;
}

int parity_run(const char *golden, size_t len, pw_buf *out) {
    cursor c = {golden, golden + len, 0};
    case_state cs = {NULL, {0}};
    size_t line_len;
    const char *line;
    int rc = 0;
    /* The header is copied verbatim up to the first case. */
    while (c.p < c.end && !starts(c.p, (size_t)(c.end - c.p), "### ")) {
        line = next_line(&c, &line_len);
        pw_buf_put(out, line, line_len);
        pw_buf_put(out, "\n", 1);
    }
    while (rc == 0 && (line = next_line(&c, &line_len)) != NULL) {
        pw_buf_put(out, line, line_len);
        pw_buf_put(out, "\n", 1);
        rc = run_case(&c, &cs, out);
    }
    free(cs.input.data);
    return rc;
}
