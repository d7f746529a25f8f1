/* Tokens, hashes and HMACs over OpenSSL libcrypto, plus the strict base64url and hex encoders the
 * session tokens share. Comparisons of secrets go through CRYPTO_memcmp, never memcmp, so their
 * time does not tell an attacker how many leading bytes were right.
 * SPDX-License-Identifier: MIT */
#include "token.h"
#include "token_int.h"

#include <limits.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#define TOKEN_RANDOM_BYTES 32

static const char b64url_alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

size_t pw__b64url_encode(const unsigned char *in, size_t n, char *out) {
    size_t o = 0, i = 0;
    for (; i + 3 <= n; i += 3) {
        uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8 | in[i + 2];
        out[o++] = b64url_alphabet[v >> 18 & 63];
        out[o++] = b64url_alphabet[v >> 12 & 63];
        out[o++] = b64url_alphabet[v >> 6 & 63];
        out[o++] = b64url_alphabet[v & 63];
    }
    size_t rest = n - i;
    if (rest > 0) {
        uint32_t v = (uint32_t)in[i] << 16 | (rest == 2 ? (uint32_t)in[i + 1] << 8 : 0u);
        out[o++] = b64url_alphabet[v >> 18 & 63];
        out[o++] = b64url_alphabet[v >> 12 & 63];
        if (rest == 2)
            out[o++] = b64url_alphabet[v >> 6 & 63];
    }
    return o;
}

static int b64url_value(unsigned char c) {
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '-')
        return 62;
    return c == '_' ? 63 : -1;
}

long pw__b64url_decode(const char *in, size_t n, unsigned char *out, size_t cap) {
    if (n % 4 == 1 || n / 4 * 3 + (n % 4 ? n % 4 - 1 : 0) > cap || cap > LONG_MAX)
        return -1;
    uint32_t acc = 0;
    unsigned bits = 0;
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        int v = b64url_value((unsigned char)in[i]);
        if (v < 0)
            return -1;
        acc = acc << 6 | (uint32_t)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out[o++] = (unsigned char)(acc >> bits);
            acc &= (1u << bits) - 1u;
        }
    }
    /* The 2 or 4 bits left over must be zero: otherwise two spellings decode to the same bytes,
     * and a flipped last character would go unnoticed. */
    return acc == 0 ? (long)o : -1;
}

void pw__hex_lower(const unsigned char *in, size_t n, char *out) {
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[in[i] >> 4];
        out[2 * i + 1] = digits[in[i] & 15];
    }
    out[2 * n] = '\0';
}

int pw_token_generate(const char *prefix, char *out, size_t cap) {
    size_t body = PW__B64URL_LEN(TOKEN_RANDOM_BYTES);
    size_t plen = prefix ? strlen(prefix) : 0;
    if (out == NULL || cap == 0)
        return -1;
    out[0] = '\0';
    if (cap < body + 1 || plen > cap - body - 1)
        return -1;
    unsigned char raw[TOKEN_RANDOM_BYTES];
    if (RAND_bytes(raw, sizeof raw) != 1)
        return -1;
    memcpy(out, prefix ? prefix : "", plen);
    pw__b64url_encode(raw, sizeof raw, out + plen);
    out[plen + body] = '\0';
    OPENSSL_cleanse(raw, sizeof raw);
    return 0;
}

/* SHA-256 fetched from its provider once: EVP_sha256() names the algorithm, and OpenSSL 3 looks
 * its implementation up again on every digest, which was most of a token's hash (every API
 * request is signed in with one). A fetched EVP_MD is safe to share between threads. */
static EVP_MD *fetched_sha256;
static pthread_once_t sha256_once = PTHREAD_ONCE_INIT;

static void fetch_sha256(void) {
    fetched_sha256 = EVP_MD_fetch(NULL, "SHA256", NULL);
}

static const EVP_MD *sha256(void) {
    pthread_once(&sha256_once, fetch_sha256);
    return fetched_sha256 ? fetched_sha256 : EVP_sha256();
}

/* HMAC-SHA256 as RFC 2104 defines it, over the fetched SHA-256, with each thread's keyed states
 * kept for its next call. OpenSSL's one-shot HMAC() fetched the HMAC and SHA-256
 * implementations and made and freed its digest contexts on every call: 3.2 µs a MAC on the
 * benchmark machine, against 0.3 µs here once the thread has seen the key. Every widget request
 * checks its session token's MAC, always under the server's one session key. */
#define SHA256_BLOCK 64

typedef struct hmac_state {
    EVP_MD_CTX *inner; /* SHA-256 after (key ^ ipad) */
    EVP_MD_CTX *outer; /* SHA-256 after (key ^ opad) */
    EVP_MD_CTX *work;  /* a copy of one of them, finished per MAC */
    int keyed;         /* inner and outer hold key[0..key_len) */
    size_t key_len;
    unsigned char key[SHA256_BLOCK];
} hmac_state;

static pthread_key_t hmac_states;
static int hmac_states_made;
static pthread_once_t hmac_states_once = PTHREAD_ONCE_INIT;

static void hmac_state_free(void *p) {
    hmac_state *s = p;
    EVP_MD_CTX_free(s->inner);
    EVP_MD_CTX_free(s->outer);
    EVP_MD_CTX_free(s->work);
    OPENSSL_cleanse(s, sizeof *s);
    free(s);
}

static void make_hmac_states(void) {
    hmac_states_made = pthread_key_create(&hmac_states, hmac_state_free) == 0;
}

/* The calling thread's state (freed when the thread ends), or NULL when memory ran out. */
static hmac_state *thread_hmac_state(void) {
    pthread_once(&hmac_states_once, make_hmac_states);
    if (!hmac_states_made)
        return NULL;
    hmac_state *s = pthread_getspecific(hmac_states);
    if (s)
        return s;
    s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->inner = EVP_MD_CTX_new();
    s->outer = EVP_MD_CTX_new();
    s->work = EVP_MD_CTX_new();
    if (!s->inner || !s->outer || !s->work || pthread_setspecific(hmac_states, s) != 0) {
        hmac_state_free(s);
        return NULL;
    }
    return s;
}

static int keyed_with(const hmac_state *s, const unsigned char *key, size_t key_len) {
    return s->keyed && s->key_len == key_len && CRYPTO_memcmp(s->key, key, key_len) == 0;
}

/* Absorbs (key ^ ipad) and (key ^ opad); a key longer than a block is hashed first. Only keys
 * of a block or less are remembered: longer ones are hashed again on every call. */
static int rekey(hmac_state *s, const unsigned char *key, size_t key_len) {
    unsigned char block[SHA256_BLOCK] = {0}, pad[SHA256_BLOCK];
    unsigned int hashed = 0;
    s->keyed = 0;
    int ok = 1;
    if (key_len > SHA256_BLOCK)
        ok = EVP_Digest(key, key_len, block, &hashed, sha256(), NULL) == 1;
    else
        memcpy(block, key, key_len);
    for (size_t i = 0; i < SHA256_BLOCK; i++)
        pad[i] = block[i] ^ 0x36;
    ok = ok && EVP_DigestInit_ex(s->inner, sha256(), NULL) == 1 &&
         EVP_DigestUpdate(s->inner, pad, sizeof pad) == 1;
    for (size_t i = 0; i < SHA256_BLOCK; i++)
        pad[i] = block[i] ^ 0x5c;
    ok = ok && EVP_DigestInit_ex(s->outer, sha256(), NULL) == 1 &&
         EVP_DigestUpdate(s->outer, pad, sizeof pad) == 1;
    OPENSSL_cleanse(block, sizeof block);
    OPENSSL_cleanse(pad, sizeof pad);
    if (!ok)
        return -1;
    if (key_len <= SHA256_BLOCK) {
        memcpy(s->key, key, key_len);
        s->key_len = key_len;
        s->keyed = 1;
    }
    return 0;
}

int pw__hmac_sha256(const void *key, size_t key_len, const void *msg, size_t msg_len,
                    unsigned char mac[PW__SHA256_LEN]) {
    static const unsigned char empty[1] = {0};
    const unsigned char *k = key_len ? key : empty;
    hmac_state *s = thread_hmac_state();
    if (!s || (!keyed_with(s, k, key_len) && rekey(s, k, key_len) != 0))
        return -1;
    unsigned char inner[PW__SHA256_LEN];
    unsigned int inner_len = 0, mac_len = 0;
    int ok = EVP_MD_CTX_copy_ex(s->work, s->inner) == 1 &&
             EVP_DigestUpdate(s->work, msg_len ? msg : empty, msg_len) == 1 &&
             EVP_DigestFinal_ex(s->work, inner, &inner_len) == 1 &&
             EVP_MD_CTX_copy_ex(s->work, s->outer) == 1 &&
             EVP_DigestUpdate(s->work, inner, inner_len) == 1 &&
             EVP_DigestFinal_ex(s->work, mac, &mac_len) == 1;
    OPENSSL_cleanse(inner, sizeof inner);
    return ok && mac_len == PW__SHA256_LEN ? 0 : -1;
}

void pw_token_hash_hex(const char *token, size_t len, char out[65]) {
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int md_len = 0;
    out[0] = '\0';
    if (EVP_Digest(len ? (const void *)token : "", len, md, &md_len, sha256(), NULL) == 1 &&
        md_len == PW__SHA256_LEN)
        pw__hex_lower(md, PW__SHA256_LEN, out);
}

void pw_hmac_sha256_hex(const void *key, size_t key_len, const void *msg, size_t msg_len,
                        char out[65]) {
    unsigned char mac[PW__SHA256_LEN];
    out[0] = '\0';
    if (pw__hmac_sha256(key, key_len, msg, msg_len, mac) == 0)
        pw__hex_lower(mac, sizeof mac, out);
}

int pw_secure_equal(const void *a, size_t a_len, const void *b, size_t b_len) {
    if (a_len != b_len)
        return 0;
    return a_len == 0 || CRYPTO_memcmp(a, b, a_len) == 0;
}

static char ascii_lower(char c) {
    return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

int pw_identity_verify(const char *secret, const char *user_id, const char *hash_hex) {
    if (!secret || !*secret || !user_id || !*user_id || !hash_hex || strnlen(hash_hex, 65) != 64)
        return 0;
    char expected[65];
    pw_hmac_sha256_hex(secret, strlen(secret), user_id, strlen(user_id), expected);
    if (expected[0] == '\0')
        return 0;
    /* Folding the caller's hash is not secret-dependent; the comparison with the expected MAC is
     * the part that must not leak, so it is the constant-time one. */
    char given[64];
    for (size_t i = 0; i < sizeof given; i++)
        given[i] = ascii_lower(hash_hex[i]);
    int ok = CRYPTO_memcmp(given, expected, sizeof given) == 0;
    OPENSSL_cleanse(expected, sizeof expected);
    return ok;
}
