/* Bearer tokens, SHA-256 and HMAC-SHA256 hex, constant-time equality, identity verification, and
 * the strict base64url the session tokens rely on.
 * SPDX-License-Identifier: MIT */
#include "security/token.h"
#include "security/token_int.h"
#include "pw_test.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>

static int is_b64url_char(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_';
}

static void tokens_have_the_prefix_length_and_alphabet(void) {
    char tok[PW_TOKEN_MAX];
    PW_CHECK_INT(pw_token_generate("pw_adm_", tok, sizeof tok), 0);
    PW_CHECK_INT(strlen(tok), 7 + 43);
    PW_CHECK(strncmp(tok, "pw_adm_", 7) == 0);
    for (size_t i = 7; i < strlen(tok); i++)
        PW_CHECK(is_b64url_char(tok[i]));
    PW_CHECK_INT(pw_token_generate(NULL, tok, sizeof tok), 0);
    PW_CHECK_INT(strlen(tok), 43);
    PW_CHECK_INT(pw_token_generate("", tok, sizeof tok), 0);
    PW_CHECK_INT(strlen(tok), 43);
}

static void tokens_are_distinct(void) {
    enum { N = 200 };
    static char toks[N][PW_TOKEN_MAX];
    for (size_t i = 0; i < N; i++)
        PW_CHECK_INT(pw_token_generate("pw_", toks[i], sizeof toks[i]), 0);
    int duplicates = 0;
    for (size_t i = 0; i < N; i++)
        for (size_t j = 0; j < i; j++)
            duplicates += strcmp(toks[i], toks[j]) == 0;
    PW_CHECK_INT(duplicates, 0);
}

static void a_small_buffer_is_refused(void) {
    char tok[PW_TOKEN_MAX];
    PW_CHECK_INT(pw_token_generate("pw_", tok, 3 + 43), -1);
    PW_CHECK_INT(strlen(tok), 0);
    PW_CHECK_INT(pw_token_generate("pw_", tok, 3 + 44), 0);
    PW_CHECK_INT(strlen(tok), 3 + 43);
    PW_CHECK_INT(pw_token_generate(NULL, tok, 0), -1);
    PW_CHECK_INT(pw_token_generate(NULL, tok, 43), -1);
    /* The longest prefix PW_TOKEN_MAX is sized for. */
    char prefix[PW_TOKEN_MAX - 43];
    memset(prefix, 'p', sizeof prefix - 1);
    prefix[sizeof prefix - 1] = '\0';
    PW_CHECK_INT(pw_token_generate(prefix, tok, sizeof tok), 0);
    PW_CHECK_INT(strlen(tok), PW_TOKEN_MAX - 1);
}

/* FIPS 180-2, appendix B.1 ("abc"), and the well-known digest of the empty string. */
static void sha256_matches_the_fips_vectors(void) {
    char hex[65];
    pw_token_hash_hex("abc", 3, hex);
    PW_CHECK_STRN(hex, strlen(hex),
                  "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    pw_token_hash_hex("abcdef", 3, hex); /* only token[0..len) counts */
    PW_CHECK_STRN(hex, strlen(hex),
                  "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    pw_token_hash_hex(NULL, 0, hex);
    PW_CHECK_STRN(hex, strlen(hex),
                  "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

typedef struct hmac_case {
    unsigned char key[131];
    size_t key_len;
    const char *data;
    size_t data_len;
    const char *hex;
} hmac_case;

static void fill(unsigned char *p, size_t n, unsigned char v) {
    memset(p, v, n);
}

#define RFC_4231_CASES 6

/* RFC 4231 ("Identifier and Test Vectors for HMAC-SHA-224, -256, -384, and -512"), section 4,
 * test cases 1-4, 6 and 7 (HMAC-SHA-256); case 5 truncates the output, checked separately. */
static const hmac_case *rfc_4231_cases(void) {
    static hmac_case cases[RFC_4231_CASES];
    static char dd[50], cd[50];
    memset(dd, 0xdd, sizeof dd);
    memset(cd, 0xcd, sizeof cd);
    cases[0] =
        (hmac_case){.key_len = 20,
                    .data = "Hi There",
                    .data_len = 8,
                    .hex = "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"};
    fill(cases[0].key, 20, 0x0b);
    cases[1] =
        (hmac_case){.key = "Jefe",
                    .key_len = 4,
                    .data = "what do ya want for nothing?",
                    .data_len = 28,
                    .hex = "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"};
    cases[2] =
        (hmac_case){.key_len = 20,
                    .data = dd,
                    .data_len = 50,
                    .hex = "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"};
    fill(cases[2].key, 20, 0xaa);
    cases[3] =
        (hmac_case){.key_len = 25,
                    .data = cd,
                    .data_len = 50,
                    .hex = "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"};
    for (unsigned char i = 0; i < 25; i++)
        cases[3].key[i] = (unsigned char)(i + 1);
    cases[4] =
        (hmac_case){.key_len = 131,
                    .data = "Test Using Larger Than Block-Size Key - Hash Key First",
                    .data_len = 54,
                    .hex = "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"};
    fill(cases[4].key, 131, 0xaa);
    cases[5] = cases[4];
    cases[5].data = "This is a test using a larger than block-size key and a larger than "
                    "block-size data. The key needs to be hashed before being used by the HMAC "
                    "algorithm.";
    cases[5].data_len = strlen(cases[5].data);
    cases[5].hex = "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2";
    return cases;
}

/* Filled once before threads read it: rfc_4231_cases() writes the array. */
static const hmac_case *rfc_4231_cases_ready;

static int hmac_case_holds(const hmac_case *c) {
    char hex[65];
    pw_hmac_sha256_hex(c->key, c->key_len, c->data, c->data_len, hex);
    return strcmp(hex, c->hex) == 0;
}

static void hmac_matches_rfc_4231(void) {
    const hmac_case *cases = rfc_4231_cases();
    for (size_t i = 0; i < RFC_4231_CASES; i++) {
        char hex[65];
        pw_hmac_sha256_hex(cases[i].key, cases[i].key_len, cases[i].data, cases[i].data_len, hex);
        PW_CHECK_STRN(hex, strlen(hex), cases[i].hex);
    }
    unsigned char key5[20];
    fill(key5, sizeof key5, 0x0c);
    char hex[65];
    pw_hmac_sha256_hex(key5, sizeof key5, "Test With Truncation", 20, hex);
    PW_CHECK_STRN(hex, 32, "a3b6167473100ee06e0c796c2955552b");
}

/* A thread keeps its last key's inner and outer states: a MAC under another key, even one of the
 * same length that differs in one byte, must not be computed from them. */
static void *mac_under_jeff(void *out) {
    pw_hmac_sha256_hex("Jeff", 4, "what do ya want for nothing?", 28, out);
    return NULL;
}

static void hmac_follows_every_change_of_key(void) {
    const hmac_case *cases = rfc_4231_cases();
    int order[] = {1, 0, 1, 1, 4, 5, 4, 2, 3, 2, 1};
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++)
        PW_CHECK(hmac_case_holds(&cases[order[i]]));

    char fresh[65], after_jefe[65], jefe[65];
    pthread_t t; /* a thread that never saw "Jefe" */
    PW_CHECK_INT(pthread_create(&t, NULL, mac_under_jeff, fresh), 0);
    PW_CHECK_INT(pthread_join(t, NULL), 0);
    pw_hmac_sha256_hex("Jefe", 4, "what do ya want for nothing?", 28, jefe);
    pw_hmac_sha256_hex("Jeff", 4, "what do ya want for nothing?", 28, after_jefe);
    PW_CHECK_STRN(after_jefe, strlen(after_jefe), fresh);
    PW_CHECK(strcmp(jefe, after_jefe) != 0);
    /* RFC 2104 pads a short key with zeros, so "Jefe" and "Jefe\0" are the same key. */
    pw_hmac_sha256_hex("Jefe\0", 5, "what do ya want for nothing?", 28, after_jefe);
    PW_CHECK_STRN(after_jefe, strlen(after_jefe), cases[1].hex);
    PW_CHECK(hmac_case_holds(&cases[1]));
}

static atomic_int threads_wrong_macs;

static void *macs_under_changing_keys(void *arg) {
    const hmac_case *cases = rfc_4231_cases_ready;
    size_t start = (size_t)(uintptr_t)arg;
    for (size_t i = 0; i < 2000; i++)
        if (!hmac_case_holds(&cases[(start + i / 3) % RFC_4231_CASES]))
            atomic_fetch_add(&threads_wrong_macs, 1);
    return NULL;
}

/* Server threads sign and check tokens side by side, each with its own keyed states. */
static void hmac_is_right_on_every_thread_at_once(void) {
    rfc_4231_cases_ready = rfc_4231_cases();
    pthread_t threads[4];
    for (size_t i = 0; i < 4; i++)
        PW_CHECK_INT(
            pthread_create(&threads[i], NULL, macs_under_changing_keys, (void *)(uintptr_t)i), 0);
    for (size_t i = 0; i < 4; i++)
        PW_CHECK_INT(pthread_join(threads[i], NULL), 0);
    PW_CHECK_INT(atomic_load(&threads_wrong_macs), 0);
}

static void secure_equal_compares_bytes_and_lengths(void) {
    PW_CHECK_INT(pw_secure_equal("abcdef", 6, "abcdef", 6), 1);
    PW_CHECK_INT(pw_secure_equal("abcdef", 6, "abcdeg", 6), 0);
    PW_CHECK_INT(pw_secure_equal("Abcdef", 6, "abcdef", 6), 0);
    PW_CHECK_INT(pw_secure_equal("abcdef", 6, "abcdef", 5), 0);
    PW_CHECK_INT(pw_secure_equal("abc", 3, "abcdef", 6), 0);
    PW_CHECK_INT(pw_secure_equal(NULL, 0, NULL, 0), 1);
    PW_CHECK_INT(pw_secure_equal("", 0, "x", 1), 0);
}

/* RFC 4231 test case 2 again, used as a host would: secret "Jefe", user id the message. */
#define ID_SECRET "Jefe"
#define ID_USER   "what do ya want for nothing?"
#define ID_HASH   "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"

static void identity_accepts_either_case(void) {
    PW_CHECK_INT(pw_identity_verify(ID_SECRET, ID_USER, ID_HASH), 1);
    char upper[65];
    for (size_t i = 0; i < 65; i++)
        upper[i] = ID_HASH[i] >= 'a' && ID_HASH[i] <= 'f' ? (char)(ID_HASH[i] - 32) : ID_HASH[i];
    PW_CHECK_INT(pw_identity_verify(ID_SECRET, ID_USER, upper), 1);
    upper[1] = 'b'; /* mixed case: "5bDCC..." */
    PW_CHECK_INT(pw_identity_verify(ID_SECRET, ID_USER, upper), 1);
}

static void identity_rejects_any_flipped_character(void) {
    int accepted = 0;
    for (size_t i = 0; i < 64; i++) {
        char h[65];
        memcpy(h, ID_HASH, sizeof h);
        h[i] = h[i] == '0' ? '1' : '0';
        accepted += pw_identity_verify(ID_SECRET, ID_USER, h);
        h[i] = 'g';
        accepted += pw_identity_verify(ID_SECRET, ID_USER, h);
    }
    PW_CHECK_INT(accepted, 0);
}

static void identity_rejects_wrong_lengths_and_empty_inputs(void) {
    char h[70];
    memcpy(h, ID_HASH, 65);
    h[63] = '\0';
    PW_CHECK_INT(pw_identity_verify(ID_SECRET, ID_USER, h), 0);
    memcpy(h, ID_HASH "3", 66);
    PW_CHECK_INT(pw_identity_verify(ID_SECRET, ID_USER, h), 0);
    PW_CHECK_INT(pw_identity_verify(ID_SECRET, ID_USER, ""), 0);
    PW_CHECK_INT(pw_identity_verify(ID_SECRET, ID_USER, NULL), 0);
    PW_CHECK_INT(pw_identity_verify(ID_SECRET, "", ID_HASH), 0);
    PW_CHECK_INT(pw_identity_verify(ID_SECRET, NULL, ID_HASH), 0);
    PW_CHECK_INT(pw_identity_verify(NULL, ID_USER, ID_HASH), 0);
    char empty_secret_hash[65];
    pw_hmac_sha256_hex("", 0, ID_USER, strlen(ID_USER), empty_secret_hash);
    PW_CHECK_INT(pw_identity_verify("", ID_USER, empty_secret_hash), 0);
    PW_CHECK_INT(pw_identity_verify("Jeff", ID_USER, ID_HASH), 0);
    PW_CHECK_INT(pw_identity_verify(ID_SECRET, "what do ya want for nothing!", ID_HASH), 0);
}

/* RFC 4648 section 10, with the URL alphabet (section 5) and no padding. */
static void base64url_encodes_rfc_4648_vectors(void) {
    static const char *const in[] = {"", "f", "fo", "foo", "foob", "fooba", "foobar"};
    static const char *const out[] = {"", "Zg", "Zm8", "Zm9v", "Zm9vYg", "Zm9vYmE", "Zm9vYmFy"};
    for (size_t i = 0; i < 7; i++) {
        char enc[16];
        unsigned char dec[16];
        size_t n = pw__b64url_encode((const unsigned char *)in[i], strlen(in[i]), enc);
        PW_CHECK_INT(n, PW__B64URL_LEN(strlen(in[i])));
        PW_CHECK_STRN(enc, n, out[i]);
        long m = pw__b64url_decode(out[i], strlen(out[i]), dec, sizeof dec);
        PW_CHECK_INT(m, (long)strlen(in[i]));
        PW_CHECK_MEM(dec, (size_t)(m < 0 ? 0 : m), in[i], strlen(in[i]));
    }
    static const unsigned char url_bytes[] = {0xfb, 0xff};
    char enc[4];
    PW_CHECK_STRN(enc, pw__b64url_encode(url_bytes, 2, enc), "-_8");
}

static void base64url_decoding_is_strict(void) {
    unsigned char dec[16];
    PW_CHECK_INT(pw__b64url_decode("Zh", 2, dec, sizeof dec), -1);   /* non-zero unused bits */
    PW_CHECK_INT(pw__b64url_decode("Zm9", 3, dec, sizeof dec), -1);  /* likewise, 2 bits */
    PW_CHECK_INT(pw__b64url_decode("Z", 1, dec, sizeof dec), -1);    /* 1 mod 4 */
    PW_CHECK_INT(pw__b64url_decode("Zg==", 4, dec, sizeof dec), -1); /* padding */
    PW_CHECK_INT(pw__b64url_decode("Zm+v", 4, dec, sizeof dec), -1); /* standard alphabet */
    PW_CHECK_INT(pw__b64url_decode("Zm.v", 4, dec, sizeof dec), -1); /* separator */
    PW_CHECK_INT(pw__b64url_decode("Zm9vYmFy", 8, dec, 5), -1);      /* no room */
    PW_CHECK_INT(pw__b64url_decode("Zm9vYmFy", 8, dec, 6), 6);
}

int main(void) {
    PW_RUN(tokens_have_the_prefix_length_and_alphabet);
    PW_RUN(tokens_are_distinct);
    PW_RUN(a_small_buffer_is_refused);
    PW_RUN(sha256_matches_the_fips_vectors);
    PW_RUN(hmac_matches_rfc_4231);
    PW_RUN(hmac_follows_every_change_of_key);
    PW_RUN(hmac_is_right_on_every_thread_at_once);
    PW_RUN(secure_equal_compares_bytes_and_lengths);
    PW_RUN(identity_accepts_either_case);
    PW_RUN(identity_rejects_any_flipped_character);
    PW_RUN(identity_rejects_wrong_lengths_and_empty_inputs);
    PW_RUN(base64url_encodes_rfc_4648_vectors);
    PW_RUN(base64url_decoding_is_strict);
    return pw_test_exit_code();
}
