/* Signed session tokens: round trips with any UTF-8, tampering of every byte, truncation,
 * expiry, another key, field limits, and signed payloads that break the format.
 * SPDX-License-Identifier: MIT */
#include "security/session.h"
#include "security/token_int.h"
#include "pw_test.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

static const unsigned char key_a[32] = {1,  2,  3,  4,  5,  6,  7,  8,  9,  10, 11,
                                        12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22,
                                        23, 24, 25, 26, 27, 28, 29, 30, 31, 32};
static const unsigned char key_b[32] = {1,  2,  3,  4,  5,  6,  7,  8,  9,  10, 11,
                                        12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22,
                                        23, 24, 25, 26, 27, 28, 29, 30, 31, 33};

#define NOW 1700000000000LL

static pw_session_claims sample(void) {
    pw_session_claims c = {.app_id = 42, .verified = 1, .expires_at_ms = NOW + 3600000};
    strcpy(c.visitor, "0123456789abcdef0123456789abcdef");
    strcpy(c.user_id, "user|42.eu");
    strcpy(c.email, "zoë.ñandú+tag@例え.jp");
    strcpy(c.name, "Zoë | \"Ñandú\" . 東京 🚀");
    strcpy(c.plan, "pro");
    return c;
}

static int claims_equal(const pw_session_claims *a, const pw_session_claims *b) {
    return a->app_id == b->app_id && a->verified == b->verified &&
           a->expires_at_ms == b->expires_at_ms && strcmp(a->visitor, b->visitor) == 0 &&
           strcmp(a->user_id, b->user_id) == 0 && strcmp(a->email, b->email) == 0 &&
           strcmp(a->name, b->name) == 0 && strcmp(a->plan, b->plan) == 0;
}

/* Decodes from an exact-size heap copy with no NUL, so ASan reports any read past `len`. */
static int decode_exact(const unsigned char *key, const char *tok, size_t len, int64_t now,
                        pw_session_claims *out) {
    char *copy = malloc(len ? len : 1);
    if (copy == NULL)
        abort();
    memcpy(copy, tok, len);
    int rc = pw_session_decode(key, copy, len, now, out);
    free(copy);
    return rc;
}

static void round_trip_keeps_every_claim(void) {
    pw_session_claims c = sample(), d;
    char tok[PW_SESSION_TOKEN_MAX];
    int n = pw_session_encode(key_a, &c, tok, sizeof tok);
    PW_CHECK(n > 0);
    PW_CHECK_INT(n, strlen(tok));
    PW_CHECK(strncmp(tok, "s1.", 3) == 0);
    for (int i = 3; i < n; i++) /* URL-safe: no escaping needed in a header or query */
        PW_CHECK(strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.",
                        tok[i]) != NULL);
    PW_CHECK_INT(decode_exact(key_a, tok, (size_t)n, NOW, &d), PW_SESSION_OK);
    PW_CHECK(claims_equal(&c, &d));
}

static void anonymous_and_extreme_numbers_round_trip(void) {
    pw_session_claims c = {.app_id = INT64_MIN, .expires_at_ms = INT64_MAX}, d;
    PW_CHECK_INT(pw_session_new_visitor(&c), 0);
    char tok[PW_SESSION_TOKEN_MAX];
    int n = pw_session_encode(key_a, &c, tok, sizeof tok);
    PW_CHECK_INT(decode_exact(key_a, tok, (size_t)(n > 0 ? n : 0), NOW, &d), PW_SESSION_OK);
    PW_CHECK(claims_equal(&c, &d));
    c.app_id = INT64_MAX;
    c.verified = 7; /* any non-zero value means verified */
    n = pw_session_encode(key_a, &c, tok, sizeof tok);
    PW_CHECK_INT(decode_exact(key_a, tok, (size_t)(n > 0 ? n : 0), NOW, &d), PW_SESSION_OK);
    PW_CHECK_INT(d.verified, 1);
    PW_CHECK_INT(d.app_id, INT64_MAX);
}

static void visitors_are_32_hex_and_distinct(void) {
    pw_session_claims a = {0}, b = {0};
    PW_CHECK_INT(pw_session_new_visitor(&a), 0);
    PW_CHECK_INT(pw_session_new_visitor(&b), 0);
    PW_CHECK_INT(strlen(a.visitor), 32);
    PW_CHECK(strspn(a.visitor, "0123456789abcdef") == 32);
    PW_CHECK(strcmp(a.visitor, b.visitor) != 0);
}

static void every_single_byte_change_is_rejected(void) {
    pw_session_claims c = sample(), d;
    char tok[PW_SESSION_TOKEN_MAX];
    int n = pw_session_encode(key_a, &c, tok, sizeof tok);
    PW_CHECK(n > 0);
    long accepted = 0, tried = 0;
    for (int pos = 0; pos < n; pos++) {
        for (int v = 0; v < 256; v++) {
            char m[PW_SESSION_TOKEN_MAX];
            memcpy(m, tok, (size_t)n);
            if ((unsigned char)m[pos] == v)
                continue;
            m[pos] = (char)v;
            accepted += decode_exact(key_a, m, (size_t)n, NOW, &d) == PW_SESSION_OK;
            tried++;
        }
    }
    PW_CHECK_INT(tried, (long)n * 255);
    PW_CHECK_INT(accepted, 0);
}

static void every_truncation_and_extra_byte_is_rejected(void) {
    pw_session_claims c = sample(), d;
    char tok[PW_SESSION_TOKEN_MAX + 1];
    int n = pw_session_encode(key_a, &c, tok, sizeof tok);
    PW_CHECK(n > 0);
    for (int len = 0; len < n; len++) {
        int rc = decode_exact(key_a, tok, (size_t)len, NOW, &d);
        PW_CHECK(rc == PW_SESSION_MALFORMED || rc == PW_SESSION_BAD_SIGNATURE);
        /* Dropping a prefix is a truncation too. */
        rc = decode_exact(key_a, tok + n - len, (size_t)len, NOW, &d);
        PW_CHECK(rc == PW_SESSION_MALFORMED || rc == PW_SESSION_BAD_SIGNATURE);
    }
    int accepted = 0;
    for (int pos = 0; pos <= n; pos++) {
        char m[PW_SESSION_TOKEN_MAX + 1];
        memcpy(m, tok, (size_t)pos);
        m[pos] = 'A';
        memcpy(m + pos + 1, tok + pos, (size_t)(n - pos));
        accepted += decode_exact(key_a, m, (size_t)n + 1, NOW, &d) == PW_SESSION_OK;
    }
    PW_CHECK_INT(accepted, 0);
}

static void expiry_is_checked_against_now(void) {
    pw_session_claims c = sample(), d;
    c.expires_at_ms = NOW;
    char tok[PW_SESSION_TOKEN_MAX];
    int n = pw_session_encode(key_a, &c, tok, sizeof tok);
    PW_CHECK_INT(decode_exact(key_a, tok, (size_t)n, NOW - 1, &d), PW_SESSION_OK);
    PW_CHECK_INT(decode_exact(key_a, tok, (size_t)n, NOW, &d), PW_SESSION_EXPIRED);
    PW_CHECK_INT(decode_exact(key_a, tok, (size_t)n, NOW + 86400000, &d), PW_SESSION_EXPIRED);
    PW_CHECK_INT(d.app_id, 0); /* a failed decode leaves nothing usable behind */
    PW_CHECK_INT(strlen(d.user_id), 0);
    PW_CHECK_INT(d.verified, 0);
}

static void another_key_is_a_bad_signature(void) {
    pw_session_claims c = sample(), d;
    char tok[PW_SESSION_TOKEN_MAX];
    int n = pw_session_encode(key_b, &c, tok, sizeof tok);
    PW_CHECK_INT(decode_exact(key_a, tok, (size_t)n, NOW, &d), PW_SESSION_BAD_SIGNATURE);
    PW_CHECK_INT(decode_exact(key_b, tok, (size_t)n, NOW, &d), PW_SESSION_OK);
}

static pw_session_claims full_claims(void) {
    pw_session_claims c = {.app_id = 1, .expires_at_ms = NOW + 1000};
    memset(c.visitor, 'f', sizeof c.visitor - 1);
    for (size_t i = 0; i + 2 < sizeof c.user_id; i += 2)
        memcpy(c.user_id + i, "\xc3\xa9", 2); /* 64 x "é": 128 bytes */
    memset(c.email, 'e', sizeof c.email - 1);
    for (size_t i = 0; i + 2 < sizeof c.name; i += 2)
        memcpy(c.name + i, "|.", 2);
    memset(c.plan, 'p', sizeof c.plan - 1);
    return c;
}

static void fields_at_their_maximum_round_trip(void) {
    pw_session_claims c = full_claims(), d;
    PW_CHECK_INT(strlen(c.user_id), sizeof c.user_id - 1);
    PW_CHECK_INT(strlen(c.name), sizeof c.name - 1);
    char tok[PW_SESSION_TOKEN_MAX];
    int n = pw_session_encode(key_a, &c, tok, sizeof tok);
    PW_CHECK_INT(n, 829); /* the size PW_SESSION_TOKEN_MAX documents */
    PW_CHECK_INT(decode_exact(key_a, tok, (size_t)n, NOW, &d), PW_SESSION_OK);
    PW_CHECK(claims_equal(&c, &d));
    PW_CHECK_INT(pw_session_encode(key_a, &c, tok, (size_t)n), PW_SESSION_TOO_LONG);
    PW_CHECK_INT(pw_session_encode(key_a, &c, tok, (size_t)n + 1), n);
    PW_CHECK_INT(pw_session_encode(key_a, &c, NULL, 0), PW_SESSION_TOO_LONG);
}

static void one_byte_over_any_field_fails_to_encode(void) {
    static const size_t offsets[] = {
        offsetof(pw_session_claims, visitor), offsetof(pw_session_claims, user_id),
        offsetof(pw_session_claims, email), offsetof(pw_session_claims, name),
        offsetof(pw_session_claims, plan)};
    pw_session_claims base;
    const size_t sizes[] = {sizeof base.visitor, sizeof base.user_id, sizeof base.email,
                            sizeof base.name, sizeof base.plan};
    for (size_t i = 0; i < 5; i++) {
        pw_session_claims c = full_claims();
        memset((char *)&c + offsets[i], 'x', sizes[i]); /* no NUL left in the array */
        char tok[PW_SESSION_TOKEN_MAX];
        PW_CHECK_INT(pw_session_encode(key_a, &c, tok, sizeof tok), PW_SESSION_TOO_LONG);
    }
}

/* --- signed payloads that break the format: only a key holder could make these, but the decoder
 * must still refuse them rather than trust the signer's arithmetic. ---------------------------- */

typedef struct payload {
    unsigned char b[2048];
    size_t n;
} payload;

static void put_u64(payload *p, uint64_t v) {
    for (int i = 7; i >= 0; i--)
        p->b[p->n++] = (unsigned char)(v >> (8 * i));
}

static void put_len(payload *p, size_t len) {
    p->b[p->n++] = (unsigned char)(len >> 8);
    p->b[p->n++] = (unsigned char)len;
}

static void put_str(payload *p, const char *s, size_t len) {
    put_len(p, len);
    memcpy(p->b + p->n, s, len);
    p->n += len;
}

/* app_id 9, expiry an hour after NOW, the given `verified` byte, visitor and user id. */
static payload head(unsigned char verified, const char *user_id, size_t user_len) {
    payload p = {.n = 0};
    put_u64(&p, 9);
    put_u64(&p, (uint64_t)(NOW + 3600000));
    p.b[p.n++] = verified;
    put_str(&p, "0123456789abcdef0123456789abcdef", 32);
    put_str(&p, user_id, user_len);
    return p;
}

static void tail(payload *p) {
    put_str(p, "a@b.c", 5);
    put_str(p, "Ann", 3);
    put_str(p, "free", 4);
}

/* Writes body[0..n) "." base64url(HMAC(key_a, body)) to out; returns the length. */
static size_t sign_bytes(const char *body, size_t n, char *out) {
    memcpy(out, body, n);
    unsigned char mac[PW__SHA256_LEN];
    if (pw__hmac_sha256(key_a, sizeof key_a, out, n, mac) != 0)
        abort();
    out[n++] = '.';
    return n + pw__b64url_encode(mac, sizeof mac, out + n);
}

static size_t sign(const payload *p, char *out) {
    char body[4096] = "s1.";
    size_t n = 3 + pw__b64url_encode(p->b, p->n, body + 3);
    return sign_bytes(body, n, out);
}

static int decode_payload(const payload *p) {
    char tok[4096];
    pw_session_claims d;
    return decode_exact(key_a, tok, sign(p, tok), NOW, &d);
}

static void the_test_payload_builder_matches_the_format(void) {
    payload p = head(1, "u1", 2);
    tail(&p);
    char tok[4096];
    pw_session_claims d;
    PW_CHECK_INT(decode_exact(key_a, tok, sign(&p, tok), NOW, &d), PW_SESSION_OK);
    PW_CHECK_INT(d.app_id, 9);
    PW_CHECK(strcmp(d.user_id, "u1") == 0 && strcmp(d.plan, "free") == 0);
}

static void signed_but_malformed_payloads_are_rejected(void) {
    char big[300];
    memset(big, 'u', sizeof big);
    payload p = head(1, big, 128);
    tail(&p);
    PW_CHECK_INT(decode_payload(&p), PW_SESSION_OK);
    p = head(1, big, 129); /* one byte more than user_id holds */
    tail(&p);
    PW_CHECK_INT(decode_payload(&p), PW_SESSION_MALFORMED);
    p = head(2, "u1", 2); /* verified is 0 or 1 */
    tail(&p);
    PW_CHECK_INT(decode_payload(&p), PW_SESSION_MALFORMED);
    p = head(0, "u\0x", 3); /* a NUL inside a string */
    tail(&p);
    PW_CHECK_INT(decode_payload(&p), PW_SESSION_MALFORMED);
    p = head(0, "u1", 2); /* a byte left over */
    tail(&p);
    p.b[p.n++] = 0;
    PW_CHECK_INT(decode_payload(&p), PW_SESSION_MALFORMED);
    p = head(0, "u1", 2); /* the plan missing */
    put_str(&p, "a@b.c", 5);
    put_str(&p, "Ann", 3);
    PW_CHECK_INT(decode_payload(&p), PW_SESSION_MALFORMED);
    p = head(0, "u1", 2); /* a length that runs past the end */
    tail(&p);
    p.n--;
    PW_CHECK_INT(decode_payload(&p), PW_SESSION_MALFORMED);
    p = head(0, "u1", 2); /* the plan's length cut after its first byte */
    put_str(&p, "a@b.c", 5);
    put_str(&p, "Ann", 3);
    p.b[p.n++] = 0;
    PW_CHECK_INT(decode_payload(&p), PW_SESSION_MALFORMED);
    p = (payload){.n = 16}; /* shorter than the fixed part */
    PW_CHECK_INT(decode_payload(&p), PW_SESSION_MALFORMED);
    p.n = 0;
    PW_CHECK_INT(decode_payload(&p), PW_SESSION_MALFORMED);
}

static void signed_but_bad_base64_is_rejected(void) {
    payload p = head(0, "u1", 2);
    tail(&p);
    char body[1024] = "s1.";
    size_t n = 3 + pw__b64url_encode(p.b, p.n, body + 3);
    char tok[2048];
    pw_session_claims d;
    PW_CHECK_INT(decode_exact(key_a, tok, sign_bytes(body, n, tok), NOW, &d), PW_SESSION_OK);
    static const char bad[] = {'+', '/', '=', '.', ' ', '\0', '\x80'};
    for (size_t i = 0; i < sizeof bad; i++) {
        char b2[1024];
        memcpy(b2, body, n);
        b2[10] = bad[i];
        PW_CHECK_INT(decode_exact(key_a, tok, sign_bytes(b2, n, tok), NOW, &d),
                     PW_SESSION_MALFORMED);
    }
    /* The last character of a payload whose length is not a multiple of 3 carries unused bits:
     * setting them spells the same bytes a second way, which the decoder refuses. */
    PW_CHECK(p.n % 3 != 0);
    memcpy(tok, body, n);
    const char *alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    size_t last = (size_t)(strchr(alphabet, body[n - 1]) - alphabet);
    tok[n - 1] = alphabet[last | (p.n % 3 == 1 ? 15u : 3u)];
    PW_CHECK(tok[n - 1] != body[n - 1]);
    char tok2[2048];
    PW_CHECK_INT(decode_exact(key_a, tok2, sign_bytes(tok, n, tok2), NOW, &d),
                 PW_SESSION_MALFORMED);
}

static uint64_t next_random(uint64_t *x) {
    *x = *x * 6364136223846793005u + 1442695040888963407u;
    return *x >> 33;
}

/* A valid payload with a few random bytes changed, and sometimes cut or extended. */
static payload mutated_payload(uint64_t *x) {
    payload p = head(1, "user-1", 6);
    tail(&p);
    for (uint64_t k = next_random(x) % 4; k > 0; k--)
        p.b[next_random(x) % p.n] = (unsigned char)next_random(x);
    if (next_random(x) % 4 == 0) {
        size_t cut = (size_t)(next_random(x) % 4);
        p.n -= cut;
        for (uint64_t k = next_random(x) % 4; k > 0; k--)
            p.b[p.n++] = (unsigned char)next_random(x);
    }
    return p;
}

/* Mutated payloads under a valid signature reach the parser itself: none may crash or read past
 * the payload (ASan watches), each is either malformed or decodes to claims that encode back to
 * the very same token (one spelling per set of claims). */
static void signed_mutated_payloads_decode_or_are_malformed(void) {
    uint64_t x = 0x9e3779b97f4a7c15u;
    int ok = 0, malformed = 0;
    for (int i = 0; i < 20000; i++) {
        payload p = mutated_payload(&x);
        char tok[4096], again[PW_SESSION_TOKEN_MAX];
        pw_session_claims d;
        size_t n = sign(&p, tok);
        int rc = decode_exact(key_a, tok, n, INT64_MIN, &d);
        if (rc == PW_SESSION_OK) {
            ok++;
            int m = pw_session_encode(key_a, &d, again, sizeof again);
            PW_CHECK_MEM(again, (size_t)(m > 0 ? m : 0), tok, n);
        }
        malformed += rc == PW_SESSION_MALFORMED;
    }
    PW_CHECK_INT(ok + malformed, 20000);
    PW_CHECK(ok > 1000 && malformed > 1000); /* both paths were exercised */
}

static void garbage_is_malformed(void) {
    pw_session_claims d;
    static const char *const junk[] = {"", "s1.", "s1..", "s2.AAAA.", "hello", "s1.AAAA"};
    for (size_t i = 0; i < sizeof junk / sizeof junk[0]; i++)
        PW_CHECK_INT(decode_exact(key_a, junk[i], strlen(junk[i]), NOW, &d), PW_SESSION_MALFORMED);
    PW_CHECK_INT(pw_session_decode(key_a, NULL, 0, NOW, &d), PW_SESSION_MALFORMED);
    char big[PW_SESSION_TOKEN_MAX + 2];
    memset(big, 'A', sizeof big);
    memcpy(big, "s1.", 3);
    big[sizeof big - 45] = '.';
    PW_CHECK_INT(decode_exact(key_a, big, sizeof big, NOW, &d), PW_SESSION_MALFORMED);
    /* A valid token under the wrong version prefix. */
    pw_session_claims c = sample();
    char tok[PW_SESSION_TOKEN_MAX];
    int n = pw_session_encode(key_a, &c, tok, sizeof tok);
    tok[1] = '2';
    PW_CHECK_INT(decode_exact(key_a, tok, (size_t)n, NOW, &d), PW_SESSION_MALFORMED);
}

static void errors_have_distinct_messages(void) {
    static const int codes[] = {PW_SESSION_OK,
                                PW_SESSION_MALFORMED,
                                PW_SESSION_BAD_SIGNATURE,
                                PW_SESSION_EXPIRED,
                                PW_SESSION_TOO_LONG,
                                PW_SESSION_CRYPTO,
                                99};
    for (size_t i = 0; i < 7; i++)
        for (size_t j = 0; j < i; j++)
            PW_CHECK(strcmp(pw_session_strerror(codes[i]), pw_session_strerror(codes[j])) != 0);
}

int main(void) {
    PW_RUN(round_trip_keeps_every_claim);
    PW_RUN(anonymous_and_extreme_numbers_round_trip);
    PW_RUN(visitors_are_32_hex_and_distinct);
    PW_RUN(every_single_byte_change_is_rejected);
    PW_RUN(every_truncation_and_extra_byte_is_rejected);
    PW_RUN(expiry_is_checked_against_now);
    PW_RUN(another_key_is_a_bad_signature);
    PW_RUN(fields_at_their_maximum_round_trip);
    PW_RUN(one_byte_over_any_field_fails_to_encode);
    PW_RUN(the_test_payload_builder_matches_the_format);
    PW_RUN(signed_but_malformed_payloads_are_rejected);
    PW_RUN(signed_but_bad_base64_is_rejected);
    PW_RUN(signed_mutated_payloads_decode_or_are_malformed);
    PW_RUN(garbage_is_malformed);
    PW_RUN(errors_have_distinct_messages);
    return pw_test_exit_code();
}
