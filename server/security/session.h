/* Stateless, signed widget sessions. Anonymous visitors must cost the server no database row, so
 * a session lives entirely in its token: the claims, an expiry, and an HMAC-SHA256 under a
 * 32-byte server key. Nothing here is encrypted: claims are readable by whoever holds the token,
 * and only their integrity is protected. No state; safe to call from any thread.
 * SPDX-License-Identifier: MIT */
#ifndef PW_SECURITY_SESSION_H
#define PW_SECURITY_SESSION_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* A session's claims. Plain value struct; every string is NUL-terminated within its array. */
typedef struct pw_session_claims {
    int64_t app_id;
    char visitor[33];  /* random id of this browser session, 32 hex chars */
    char user_id[129]; /* host's user id, "" when anonymous */
    char email[257];   /* "" when unknown */
    char name[129];
    char plan[16]; /* "free", "starter", "pro", "enterprise" */
    int verified;  /* 1 when the identity hash was checked at boot */
    int64_t expires_at_ms;
} pw_session_claims;

/* Room for the longest token pw_session_encode can produce (every field full: 829 bytes) and its
 * NUL. Longer input to pw_session_decode is malformed. */
#define PW_SESSION_TOKEN_MAX 1024

enum {
    PW_SESSION_OK = 0,
    PW_SESSION_MALFORMED = -1,
    PW_SESSION_BAD_SIGNATURE = -2,
    PW_SESSION_EXPIRED = -3,
    PW_SESSION_TOO_LONG = -4,
    PW_SESSION_CRYPTO = -5 /* OpenSSL failed (out of memory); nothing was produced or accepted */
};

/* Fills c->visitor with 32 random lowercase hex characters (16 bytes from RAND_bytes) and a NUL;
 * the other fields are not touched. Returns 0, or -1 when the RNG fails. */
int pw_session_new_visitor(pw_session_claims *c);

/* Writes "s1." B "." base64url(HMAC-SHA256(key, "s1." B)) and a NUL to out[0..cap), where B is
 * the unpadded base64url of a binary payload: app_id and expires_at_ms as 8-byte big-endian,
 * verified as one byte (0 or 1; any non-zero value is written as 1), then visitor, user_id,
 * email, name and plan, each as a 2-byte big-endian length and its bytes. Length prefixes make
 * the encoding unambiguous for any bytes, '|' and '.' included. Strings are copied, not
 * interpreted (the plan is not checked against the known names). Borrows key and c.
 * Returns the token length (without the NUL); PW_SESSION_TOO_LONG when out is NULL, cap is too
 * small, or a string field has no NUL within its array (a claim one byte over its maximum);
 * PW_SESSION_CRYPTO when OpenSSL fails. */
int pw_session_encode(const unsigned char key[32], const pw_session_claims *c, char *out,
                      size_t cap);

/* Checks token[0..len) (no NUL needed; never read past len) and fills *out. In order:
 * the shape ("s1." prefix, a '.' before a 43-character signature, len <= PW_SESSION_TOKEN_MAX),
 * else PW_SESSION_MALFORMED; the signature in constant time, else PW_SESSION_BAD_SIGNATURE;
 * the payload (strict base64url, every length within its field, no NUL inside a string, verified
 * 0 or 1, no byte left over), else PW_SESSION_MALFORMED; then the expiry: a session is expired
 * once now_ms >= expires_at_ms, PW_SESSION_EXPIRED. PW_SESSION_CRYPTO when OpenSSL fails.
 * Truncated tokens fail the shape or the signature check, whichever comes first. Returns
 * PW_SESSION_OK with *out filled; on any error *out is zeroed (empty strings, not verified). */
int pw_session_decode(const unsigned char key[32], const char *token, size_t len, int64_t now_ms,
                      pw_session_claims *out);

/* A static description of a PW_SESSION_* code; "unknown session error" for other values. */
const char *pw_session_strerror(int rc);

#ifdef __cplusplus
}
#endif

#endif
