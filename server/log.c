/* JSON-lines logging with its own string escaper: logs must work before and without cJSON
 * (which STYLE keeps at the API edge).
 * SPDX-License-Identifier: MIT */
#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

typedef struct line {
    char buf[2048];
    size_t len;
} line;

static void append_raw(line *l, const char *s, size_t n) {
    /* Keep room for the closing brace, newline and NUL: a long value is cut, never the line. */
    size_t room = sizeof l->buf - 4 - l->len;
    if (n > room)
        n = room;
    memcpy(l->buf + l->len, s, n);
    l->len += n;
}

static void append_json_string(line *l, const char *s) {
    append_raw(l, "\"", 1);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        char esc[8];
        if (*p == '"' || *p == '\\') {
            esc[0] = '\\', esc[1] = (char)*p;
            append_raw(l, esc, 2);
        } else if (*p < 0x20) {
            snprintf(esc, sizeof esc, "\\u%04x", *p);
            append_raw(l, esc, 6);
        } else {
            append_raw(l, (const char *)p, 1);
        }
    }
    append_raw(l, "\"", 1);
}

static void append_field(line *l, const char *key, const char *value) {
    append_raw(l, ",", 1);
    append_json_string(l, key);
    append_raw(l, ":", 1);
    append_json_string(l, value ? value : "");
}

void pw_log(const char *level, const char *event, ...) {
    line l = {.len = 0};
    char ts[32];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%SZ", &tm);
    append_raw(&l, "{\"ts\":", 6);
    append_json_string(&l, ts);
    append_field(&l, "level", level);
    append_field(&l, "event", event);
    va_list ap;
    va_start(ap, event);
    for (const char *key = va_arg(ap, const char *); key; key = va_arg(ap, const char *))
        append_field(&l, key, va_arg(ap, const char *));
    va_end(ap);
    append_raw(&l, "}\n", 2);
    fprintf(stderr, "%.*s", (int)l.len, l.buf);
}
