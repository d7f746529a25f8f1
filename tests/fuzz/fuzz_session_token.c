/* Fuzz target: widget session tokens (server/security/session.c), the untrusted bytes of every
 * widget call's Authorization header. One input is used three ways, under a fixed key and clock:
 *   1. as a token: pw_session_decode must refuse it with *out zeroed, or accept it only when
 *      encoding the claims gives back the very same bytes (one spelling per claim set);
 *   2. as a payload, signed here with the key: this reaches the payload parser, which forged
 *      bytes never do; it may refuse, but whatever it accepts must encode back to the token;
 *   3. as claims: a token encoded from them must decode to the same claims (or be expired when
 *      they are), must not fit in a buffer one byte short, and must not survive truncation.
 * SPDX-License-Identifier: MIT */
#include "../../server/security/session.h"
#include "../../server/security/token_int.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define NOW_MS 1700000000000LL /* 2023-11-14 */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const unsigned char key[32] = {1,  2,  3,  4,  5,  6,  7,  8,  9,  10, 11,
                                      12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22,
                                      23, 24, 25, 26, 27, 28, 29, 30, 31, 32};

static void check_zeroed(const pw_session_claims *c) {
    static const pw_session_claims zero;
    if (memcmp(c, &zero, sizeof zero) != 0)
        abort();
}

/* An accepted token must be exactly what the encoder makes of its claims. */
static void check_canonical(const char *token, size_t len, const pw_session_claims *c) {
    char again[PW_SESSION_TOKEN_MAX];
    int n = pw_session_encode(key, c, again, sizeof again);
    if (n < 0 || (size_t)n != len || memcmp(again, token, len) != 0)
        abort();
}

static void decode_bytes(const uint8_t *data, size_t size) {
    pw_session_claims c;
    memset(&c, 0xA5, sizeof c);
    int rc = pw_session_decode(key, (const char *)data, size, NOW_MS, &c);
    if (rc == PW_SESSION_OK)
        check_canonical((const char *)data, size, &c);
    else if (rc == PW_SESSION_MALFORMED || rc == PW_SESSION_BAD_SIGNATURE ||
             rc == PW_SESSION_EXPIRED)
        check_zeroed(&c);
    else
        abort();
}

static void decode_signed_payload(const uint8_t *data, size_t size) {
    enum { PAYLOAD_CAP = 1024 };
    char token[3 + PW__B64URL_LEN(PAYLOAD_CAP) + 1 + PW__B64URL_LEN(PW__SHA256_LEN)];
    if (size > PAYLOAD_CAP)
        size = PAYLOAD_CAP;
    memcpy(token, "s1.", 3);
    size_t len = 3 + pw__b64url_encode(data, size, token + 3);
    unsigned char mac[PW__SHA256_LEN];
    if (pw__hmac_sha256(key, sizeof key, token, len, mac) != 0)
        abort();
    token[len++] = '.';
    len += pw__b64url_encode(mac, sizeof mac, token + len);
    pw_session_claims c;
    memset(&c, 0xA5, sizeof c);
    int rc = pw_session_decode(key, token, len, NOW_MS, &c);
    if (len > PW_SESSION_TOKEN_MAX && rc != PW_SESSION_MALFORMED)
        abort();
    if (rc == PW_SESSION_OK)
        check_canonical(token, len, &c);
    else if (rc == PW_SESSION_MALFORMED || rc == PW_SESSION_EXPIRED)
        check_zeroed(&c);
    else
        abort(); /* the signature is right */
}

typedef struct cursor {
    const uint8_t *p;
    size_t n, pos;
} cursor;

static uint64_t take(cursor *r, size_t bytes) {
    uint64_t v = 0;
    for (size_t i = 0; i < bytes; i++)
        v = v << 8 | (r->pos < r->n ? r->p[r->pos++] : 0u);
    return v;
}

/* Fills dst[0..size) with up to size - 1 bytes of input and a NUL. */
static void take_string(cursor *r, char *dst, size_t size) {
    size_t want = (size_t)take(r, 2) % size, left = r->n - r->pos;
    size_t n = want < left ? want : left;
    memcpy(dst, r->p + r->pos, n);
    dst[n] = '\0';
    r->pos += n;
}

static void round_trip(const uint8_t *data, size_t size) {
    cursor r = {data, size, 0};
    pw_session_claims c;
    memset(&c, 0, sizeof c);
    c.app_id = (int64_t)take(&r, 8);
    c.expires_at_ms = (int64_t)take(&r, 8);
    c.verified = (int)(int8_t)take(&r, 1); /* any value: the encoder writes 0 or 1 */
    take_string(&r, c.visitor, sizeof c.visitor);
    take_string(&r, c.user_id, sizeof c.user_id);
    take_string(&r, c.email, sizeof c.email);
    take_string(&r, c.name, sizeof c.name);
    take_string(&r, c.plan, sizeof c.plan);

    char token[PW_SESSION_TOKEN_MAX];
    int n = pw_session_encode(key, &c, token, sizeof token);
    if (n <= 0 || (size_t)n >= sizeof token || token[n] != '\0')
        abort();
    char short_buf[PW_SESSION_TOKEN_MAX];
    if (pw_session_encode(key, &c, short_buf, (size_t)n) != PW_SESSION_TOO_LONG)
        abort(); /* no room for the NUL */

    pw_session_claims d;
    int rc = pw_session_decode(key, token, (size_t)n, NOW_MS, &d);
    if (NOW_MS >= c.expires_at_ms) {
        if (rc != PW_SESSION_EXPIRED)
            abort();
        check_zeroed(&d);
    } else if (rc != PW_SESSION_OK || d.app_id != c.app_id || d.expires_at_ms != c.expires_at_ms ||
               d.verified != (c.verified != 0) || strcmp(d.visitor, c.visitor) != 0 ||
               strcmp(d.user_id, c.user_id) != 0 || strcmp(d.email, c.email) != 0 ||
               strcmp(d.name, c.name) != 0 || strcmp(d.plan, c.plan) != 0) {
        abort();
    }
    /* A cut anywhere (the cut length taken from the input) is never accepted. */
    size_t cut = (size_t)take(&r, 2) % (size_t)n;
    rc = pw_session_decode(key, token, cut, NOW_MS, &d);
    if (rc != PW_SESSION_MALFORMED && rc != PW_SESSION_BAD_SIGNATURE)
        abort();
    check_zeroed(&d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    decode_bytes(data, size);
    decode_signed_payload(data, size);
    round_trip(data, size);
    return 0;
}
