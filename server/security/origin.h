/* Origin allow-lists for the widget's CORS and WebSocket checks.
 * SPDX-License-Identifier: MIT */
#ifndef PW_SECURITY_ORIGIN_H
#define PW_SECURITY_ORIGIN_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Longer than any real origin (a 253-byte host, a scheme and a port); longer input is refused. */
#define PW_ORIGIN_MAX 300

/* Writes the canonical form of `origin` and a NUL to out (PW_ORIGIN_MAX + 1 bytes; the form is
 * never longer than the input): scheme and host folded to ASCII lowercase, :80 dropped for http
 * and :443 for https. Returns 0, or -1 when `origin` is not one, by the rules below. */
int pw_origin_canonical(const char *origin, char *out);

/* Returns 1 when `origin` (a browser's Origin header: scheme://host[:port], no path) equals one of
 * allowed[0..n) once both are put in one form: scheme and host folded to ASCII lowercase, and
 * :80 dropped for http and :443 for https. An entry of exactly "*" allows any well-formed origin;
 * wildcards inside an entry are not supported (such an entry matches nothing). Returns 0 for a
 * NULL, empty or "null" origin and for a malformed one: a path (even a lone trailing "/"), query,
 * fragment, userinfo, whitespace, a non-ASCII or otherwise invalid host character, an empty host,
 * or a port that is empty, has a leading zero, or is outside 1..65535. Malformed and NULL entries
 * in `allowed` match nothing; `allowed` may be NULL when n is 0. An entry already in canonical
 * form (as the server's configuration keeps them) is matched without parsing it again. Borrows
 * every string; no state, safe from any thread. */
int pw_origin_allowed(const char *origin, const char *const *allowed, size_t n);

#ifdef __cplusplus
}
#endif

#endif
