/* Bearer tokens and the primitives under them: random tokens, their stored (hashed) form,
 * HMAC-SHA256, constant-time comparison and host identity verification. No state, no I/O besides
 * OpenSSL's RNG; every function is safe to call from any thread.
 * SPDX-License-Identifier: MIT */
#ifndef PW_SECURITY_TOKEN_H
#define PW_SECURITY_TOKEN_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Room for any token this server issues: a prefix of up to 52 bytes, 43 random characters and
 * the NUL. */
#define PW_TOKEN_MAX 96

/* Writes `prefix` (borrowed; NULL means "") followed by 43 characters of unpadded base64url
 * encoding 32 bytes from RAND_bytes, NUL-terminated, into out[0..cap). Returns 0, or -1 when cap
 * is smaller than strlen(prefix) + 44 or the RNG fails; on -1, out is "" when cap > 0. */
int pw_token_generate(const char *prefix, char *out, size_t cap);

/* Writes the SHA-256 of token[0..len) (no NUL needed) as 64 lowercase hex characters and a NUL.
 * Tokens are stored only in this form, so a leaked database holds no usable token. If OpenSSL
 * fails (out of memory) out is "", which equals no stored hash. */
void pw_token_hash_hex(const char *token, size_t len, char out[65]);

/* Writes HMAC-SHA256(key[0..key_len), msg[0..msg_len)) as 64 lowercase hex characters and a NUL.
 * Either pointer may be NULL when its length is 0. If OpenSSL fails (out of memory, or key_len
 * over INT_MAX) out is "". */
void pw_hmac_sha256_hex(const void *key, size_t key_len, const void *msg, size_t msg_len,
                        char out[65]);

/* Returns 1 when a[0..a_len) equals b[0..b_len), else 0. Lengths are not secret: different
 * lengths return 0 at once; equal lengths are compared in time that depends only on the length
 * (CRYPTO_memcmp). Two empty strings are equal. */
int pw_secure_equal(const void *a, size_t a_len, const void *b, size_t b_len);

/* Intercom/Chatwoot-style identity verification: the host's backend signs its user id with the
 * shared secret and the browser passes the hash along. Returns 1 when hash_hex (64 hex digits,
 * either case) equals HMAC-SHA256(secret, user_id) in hex, else 0. An empty or NULL secret,
 * user_id or hash_hex returns 0: an empty secret is known to everyone. The comparison takes the
 * same time wherever the hash differs. All three strings are borrowed and NUL-terminated. */
int pw_identity_verify(const char *secret, const char *user_id, const char *hash_hex);

#ifdef __cplusplus
}
#endif

#endif
