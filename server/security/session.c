/* Signed session tokens. The payload is length-prefixed binary, not a delimited string, so no
 * claim value can forge a field boundary; the MAC covers the exact base64url text, and the
 * decoder accepts one spelling of each payload only, so no two tokens carry the same claims
 * under the same signature by accident of encoding.
 * SPDX-License-Identifier: MIT */
#include "session.h"
#include "token_int.h"

#include <stddef.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#define KEY_LEN     32
#define PREFIX      "s1."
#define PREFIX_LEN  3
#define SIG_CHARS   PW__B64URL_LEN(PW__SHA256_LEN)
#define FIXED_BYTES (8 + 8 + 1)

#define CLAIM_SIZE(member) sizeof(((pw_session_claims *)0)->member)

typedef struct str_field {
    size_t offset;
    size_t size; /* of the array, NUL included */
} str_field;

#define STR_FIELD(member)                                                                          \
    { offsetof(pw_session_claims, member), CLAIM_SIZE(member) }

/* Payload order after the fixed part. Appending a field needs a new prefix ("s2."). */
static const str_field str_fields[] = {STR_FIELD(visitor), STR_FIELD(user_id), STR_FIELD(email),
                                       STR_FIELD(name), STR_FIELD(plan)};
#define N_STR_FIELDS (sizeof str_fields / sizeof str_fields[0])

/* Every field full: the fixed part, then per string a 2-byte length and up to size - 1 bytes. */
#define PAYLOAD_MAX                                                                                \
    (FIXED_BYTES + CLAIM_SIZE(visitor) + CLAIM_SIZE(user_id) + CLAIM_SIZE(email) +                 \
     CLAIM_SIZE(name) + CLAIM_SIZE(plan) + N_STR_FIELDS)

_Static_assert(PREFIX_LEN + PW__B64URL_LEN(PAYLOAD_MAX) + 1 + SIG_CHARS < PW_SESSION_TOKEN_MAX,
               "the longest token and its NUL fit PW_SESSION_TOKEN_MAX");

static void put_u64(unsigned char *p, uint64_t v) {
    for (int i = 7; i >= 0; i--, v >>= 8)
        p[i] = (unsigned char)(v & 0xff);
}

static uint64_t get_u64(const unsigned char *p) {
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v = v << 8 | p[i];
    return v;
}

/* Returns the payload length, or -1 when a string has no NUL within its array. */
static long build_payload(const pw_session_claims *c, unsigned char buf[PAYLOAD_MAX]) {
    put_u64(buf, (uint64_t)c->app_id);
    put_u64(buf + 8, (uint64_t)c->expires_at_ms);
    buf[16] = c->verified ? 1 : 0;
    size_t pos = FIXED_BYTES;
    for (size_t i = 0; i < N_STR_FIELDS; i++) {
        const char *s = (const char *)c + str_fields[i].offset;
        size_t n = strnlen(s, str_fields[i].size);
        if (n == str_fields[i].size)
            return -1;
        buf[pos] = (unsigned char)(n >> 8);
        buf[pos + 1] = (unsigned char)(n & 0xff);
        memcpy(buf + pos + 2, s, n);
        pos += 2 + n;
    }
    return (long)pos;
}

int pw_session_new_visitor(pw_session_claims *c) {
    unsigned char raw[16];
    if (RAND_bytes(raw, sizeof raw) != 1)
        return -1;
    pw__hex_lower(raw, sizeof raw, c->visitor);
    return 0;
}

/* Writes the 43-character base64url MAC of token[0..n) to sig. */
static int sign(const unsigned char key[KEY_LEN], const char *token, size_t n, char *sig) {
    unsigned char mac[PW__SHA256_LEN];
    if (pw__hmac_sha256(key, KEY_LEN, token, n, mac) != 0)
        return -1;
    pw__b64url_encode(mac, sizeof mac, sig);
    OPENSSL_cleanse(mac, sizeof mac);
    return 0;
}

int pw_session_encode(const unsigned char key[32], const pw_session_claims *c, char *out,
                      size_t cap) {
    unsigned char payload[PAYLOAD_MAX];
    long plen = build_payload(c, payload);
    if (plen < 0)
        return PW_SESSION_TOO_LONG;
    size_t body = PW__B64URL_LEN((size_t)plen);
    size_t total = PREFIX_LEN + body + 1 + SIG_CHARS;
    if (out == NULL || cap < total + 1)
        return PW_SESSION_TOO_LONG;
    memcpy(out, PREFIX, PREFIX_LEN);
    pw__b64url_encode(payload, (size_t)plen, out + PREFIX_LEN);
    out[PREFIX_LEN + body] = '.';
    if (sign(key, out, PREFIX_LEN + body, out + PREFIX_LEN + body + 1) != 0) {
        out[0] = '\0';
        return PW_SESSION_CRYPTO;
    }
    out[total] = '\0';
    return (int)total;
}

typedef struct reader {
    const unsigned char *p;
    size_t n, pos;
} reader;

/* Copies one length-prefixed string into dst[0..size), NUL-terminated. -1 when the length runs
 * past the payload, leaves no room for the NUL, or the bytes hold a NUL of their own. */
static int read_str(reader *r, char *dst, size_t size) {
    if (r->n - r->pos < 2)
        return -1;
    size_t len = (size_t)r->p[r->pos] << 8 | r->p[r->pos + 1];
    r->pos += 2;
    if (len >= size || len > r->n - r->pos || memchr(r->p + r->pos, 0, len) != NULL)
        return -1;
    memcpy(dst, r->p + r->pos, len);
    dst[len] = '\0';
    r->pos += len;
    return 0;
}

static int parse_payload(const unsigned char *p, size_t n, pw_session_claims *c) {
    if (n < FIXED_BYTES || p[16] > 1)
        return -1;
    c->app_id = (int64_t)get_u64(p);
    c->expires_at_ms = (int64_t)get_u64(p + 8);
    c->verified = p[16];
    reader r = {p, n, FIXED_BYTES};
    for (size_t i = 0; i < N_STR_FIELDS; i++)
        if (read_str(&r, (char *)c + str_fields[i].offset, str_fields[i].size) != 0)
            return -1;
    return r.pos == n ? 0 : -1;
}

static int check_signature(const unsigned char key[KEY_LEN], const char *token, size_t len) {
    if (len < PREFIX_LEN + 1 + SIG_CHARS || len > PW_SESSION_TOKEN_MAX ||
        memcmp(token, PREFIX, PREFIX_LEN) != 0 || token[len - SIG_CHARS - 1] != '.')
        return PW_SESSION_MALFORMED;
    char expected[SIG_CHARS];
    if (sign(key, token, len - SIG_CHARS - 1, expected) != 0)
        return PW_SESSION_CRYPTO;
    if (CRYPTO_memcmp(expected, token + len - SIG_CHARS, SIG_CHARS) != 0)
        return PW_SESSION_BAD_SIGNATURE;
    return PW_SESSION_OK;
}

static int verify(const unsigned char key[KEY_LEN], const char *token, size_t len, int64_t now_ms,
                  pw_session_claims *out) {
    if (token == NULL)
        return PW_SESSION_MALFORMED;
    int rc = check_signature(key, token, len);
    if (rc != PW_SESSION_OK)
        return rc;
    unsigned char payload[PAYLOAD_MAX];
    long plen = pw__b64url_decode(token + PREFIX_LEN, len - SIG_CHARS - 1 - PREFIX_LEN, payload,
                                  sizeof payload);
    if (plen < 0 || parse_payload(payload, (size_t)plen, out) != 0)
        return PW_SESSION_MALFORMED;
    return now_ms >= out->expires_at_ms ? PW_SESSION_EXPIRED : PW_SESSION_OK;
}

int pw_session_decode(const unsigned char key[32], const char *token, size_t len, int64_t now_ms,
                      pw_session_claims *out) {
    int rc = verify(key, token, len, now_ms, out);
    if (rc != PW_SESSION_OK)
        memset(out, 0, sizeof *out);
    return rc;
}

const char *pw_session_strerror(int rc) {
    switch (rc) {
    case PW_SESSION_OK:
        return "ok";
    case PW_SESSION_MALFORMED:
        return "malformed session token";
    case PW_SESSION_BAD_SIGNATURE:
        return "session token signature does not match";
    case PW_SESSION_EXPIRED:
        return "session expired";
    case PW_SESSION_TOO_LONG:
        return "session claims do not fit";
    case PW_SESSION_CRYPTO:
        return "cryptography library failure";
    default:
        return "unknown session error";
    }
}
