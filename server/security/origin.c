/* Origin matching by canonical form: both the header and each allowed entry are parsed strictly
 * and rewritten (lowercase scheme and host, default port dropped), then compared whole. Comparing
 * whole strings, never prefixes or suffixes, is what stops "https://example.com.evil.com".
 * SPDX-License-Identifier: MIT */
#include "origin.h"

#include <stdio.h>
#include <string.h>

typedef struct cursor {
    const char *s;
    size_t i;
    char *out;
    size_t o;
} cursor;

static int is_alpha(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_digit(char c) {
    return c >= '0' && c <= '9';
}

static int is_hex(char c) {
    return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static char lower(char c) {
    return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static void put(cursor *c, char ch) {
    c->out[c->o++] = ch;
}

static int is_scheme_char(char ch) {
    return is_alpha(ch) || is_digit(ch) || ch == '+' || ch == '-' || ch == '.';
}

/* scheme "://", RFC 3986: ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ). */
static int parse_scheme(cursor *c) {
    if (!is_alpha(c->s[c->i]))
        return -1;
    while (is_scheme_char(c->s[c->i]))
        put(c, lower(c->s[c->i++]));
    if (strncmp(c->s + c->i, "://", 3) != 0)
        return -1;
    c->i += 3;
    memcpy(c->out + c->o, "://", 3);
    c->o += 3;
    return 0;
}

static int is_name_char(char ch) {
    return is_alpha(ch) || is_digit(ch) || ch == '-' || ch == '.' || ch == '_';
}

/* A DNS name or IPv4 address, or an IPv6 literal in brackets. Browsers send names in punycode,
 * so any byte outside ASCII is malformed. */
static int parse_host(cursor *c) {
    size_t start = c->o;
    if (c->s[c->i] == '[') {
        put(c, c->s[c->i++]);
        while (is_hex(c->s[c->i]) || c->s[c->i] == ':' || c->s[c->i] == '.')
            put(c, lower(c->s[c->i++]));
        if (c->s[c->i] != ']' || c->o == start + 1)
            return -1;
        put(c, c->s[c->i++]);
        return 0;
    }
    while (is_name_char(c->s[c->i]))
        put(c, lower(c->s[c->i++]));
    return c->o > start ? 0 : -1;
}

/* Optional ":port". Returns the port, 0 when there is none, or -1 when malformed. */
static long parse_port(cursor *c) {
    if (c->s[c->i] != ':')
        return 0;
    c->i++;
    size_t start = c->i;
    long port = 0;
    while (is_digit(c->s[c->i]) && c->i - start < 5)
        port = port * 10 + (c->s[c->i++] - '0');
    if (c->i == start || c->s[start] == '0' || is_digit(c->s[c->i]) || port > 65535)
        return -1;
    return port;
}

static int is_default_port(const char *scheme, size_t scheme_len, long port) {
    return (scheme_len == 4 && memcmp(scheme, "http", 4) == 0 && port == 80) ||
           (scheme_len == 5 && memcmp(scheme, "https", 5) == 0 && port == 443);
}

int pw_origin_canonical(const char *origin, char *out) {
    size_t len = strnlen(origin, PW_ORIGIN_MAX + 1);
    if (len == 0 || len > PW_ORIGIN_MAX)
        return -1;
    cursor c = {origin, 0, out, 0};
    if (parse_scheme(&c) != 0)
        return -1;
    size_t scheme_len = c.o - 3;
    if (parse_host(&c) != 0)
        return -1;
    long port = parse_port(&c);
    if (port < 0 || origin[c.i] != '\0')
        return -1;
    if (port > 0 && !is_default_port(out, scheme_len, port))
        c.o += (size_t)snprintf(out + c.o, PW_ORIGIN_MAX + 1 - c.o, ":%ld", port);
    out[c.o] = '\0';
    return 0;
}

int pw_origin_allowed(const char *origin, const char *const *allowed, size_t n) {
    char want[PW_ORIGIN_MAX + 1];
    if (origin == NULL || allowed == NULL || pw_origin_canonical(origin, want) != 0)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char have[PW_ORIGIN_MAX + 1];
        if (allowed[i] == NULL)
            continue;
        /* A canonical entry equal to the header's form matches as it is; `want` is well formed,
         * so no malformed entry can be equal to it. */
        if (strcmp(allowed[i], "*") == 0 || strcmp(allowed[i], want) == 0)
            return 1;
        if (pw_origin_canonical(allowed[i], have) == 0 && strcmp(have, want) == 0)
            return 1;
    }
    return 0;
}
