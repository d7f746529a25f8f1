/* Encoders shared by the security modules (session tokens reuse the token's base64url and hex).
 * Private to server/security and its tests.
 * SPDX-License-Identifier: MIT */
#ifndef PW_SECURITY_TOKEN_INT_H
#define PW_SECURITY_TOKEN_INT_H

#include <stddef.h>

#define PW__SHA256_LEN 32

/* Characters of unpadded base64url for n bytes. */
#define PW__B64URL_LEN(n) (((n) / 3) * 4 + ((n) % 3 == 0 ? 0 : (n) % 3 + 1))

/* Writes the unpadded base64url of in[0..n) to out (PW__B64URL_LEN(n) bytes, no NUL). Returns
 * the number of characters written. */
size_t pw__b64url_encode(const unsigned char *in, size_t n, char *out);

/* Decodes unpadded base64url in[0..n) into out[0..cap). Strict: a character outside the
 * alphabet, padding, a length of 1 mod 4 or non-zero unused low bits (a second spelling of the
 * same bytes) is an error. Returns the number of bytes, or -1. */
long pw__b64url_decode(const char *in, size_t n, unsigned char *out, size_t cap);

/* Writes 2n lowercase hex characters of in[0..n) and a NUL to out. */
void pw__hex_lower(const unsigned char *in, size_t n, char *out);

/* HMAC-SHA256 into mac[PW__SHA256_LEN]. Returns 0, or -1 when OpenSSL fails. */
int pw__hmac_sha256(const void *key, size_t key_len, const void *msg, size_t msg_len,
                    unsigned char mac[PW__SHA256_LEN]);

#endif
