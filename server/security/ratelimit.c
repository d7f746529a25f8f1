/* Token buckets in a fixed table: 64 stripes, each a mutex and its own power-of-two share of the
 * buckets; a key hashes to one stripe and a probe window of up to 8 buckets inside it, so a take
 * locks one stripe and touches at most 8 buckets. Tokens are doubles refilled lazily from the time
 * elapsed since the bucket was last used.
 * SPDX-License-Identifier: MIT */
#include "ratelimit.h"

#include <float.h>
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>

#include <openssl/rand.h>

#define MAX_STRIPES 64
#define WINDOW      8
#define MAX_SLOTS   ((size_t)1 << 30)

/* A token counts as available from 1 - TOKEN_EPS. Without the slack, a refill of a few thousand
 * rounded steps can land a hair under 1.0 at the very moment retry_after promised, and the client
 * would wait a second more; the cost is at most one extra request per billion. */
#define TOKEN_EPS 1e-9

typedef struct bucket {
    uint64_t key;    /* keyed hash of the caller's key; 0 marks an empty bucket */
    int64_t last_ms; /* last refill, for the next refill and for least-recently-used reuse */
    double tokens;
} bucket;

struct pw_ratelimit {
    double per_minute;
    double burst;
    uint64_t sip_k0, sip_k1;
    size_t n_stripes;    /* power of two, at most MAX_STRIPES */
    size_t stripe_slots; /* buckets per stripe, power of two */
    size_t window;       /* buckets probed per key: min(WINDOW, stripe_slots) */
    bucket *buckets;     /* n_stripes * stripe_slots */
    pthread_mutex_t locks[MAX_STRIPES];
};

static uint64_t rotl64(uint64_t x, unsigned r) {
    return x << r | x >> (64u - r);
}

static void sip_round(uint64_t v[4]) {
    v[0] += v[1], v[1] = rotl64(v[1], 13), v[1] ^= v[0], v[0] = rotl64(v[0], 32);
    v[2] += v[3], v[3] = rotl64(v[3], 16), v[3] ^= v[2];
    v[0] += v[3], v[3] = rotl64(v[3], 21), v[3] ^= v[0];
    v[2] += v[1], v[1] = rotl64(v[1], 17), v[1] ^= v[2], v[2] = rotl64(v[2], 32);
}

static void sip_absorb(uint64_t v[4], uint64_t m) {
    v[3] ^= m;
    sip_round(v);
    sip_round(v);
    v[0] ^= m;
}

/* SipHash-2-4, written from the paper by Aumasson and Bernstein: a keyed hash whose outputs an
 * attacker cannot predict, so cannot steer keys into one probe window. */
static uint64_t siphash24(uint64_t k0, uint64_t k1, const unsigned char *p, size_t n) {
    uint64_t v[4] = {k0 ^ 0x736f6d6570736575u, k1 ^ 0x646f72616e646f6du, k0 ^ 0x6c7967656e657261u,
                     k1 ^ 0x7465646279746573u};
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t m = 0;
        for (int b = 7; b >= 0; b--)
            m = m << 8 | p[i + (size_t)b];
        sip_absorb(v, m);
    }
    uint64_t last = (uint64_t)(n & 0xff) << 56;
    for (size_t b = 0; i + b < n; b++)
        last |= (uint64_t)p[i + b] << (8 * b);
    sip_absorb(v, last);
    v[2] ^= 0xff;
    for (int r = 0; r < 4; r++)
        sip_round(v);
    return v[0] ^ v[1] ^ v[2] ^ v[3];
}

static size_t round_up_pow2(size_t n) {
    size_t p = 1;
    while (p < n)
        p <<= 1;
    return p;
}

static int init_locks(pw_ratelimit *rl) {
    for (size_t i = 0; i < rl->n_stripes; i++) {
        if (pthread_mutex_init(&rl->locks[i], NULL) != 0) {
            while (i-- > 0)
                pthread_mutex_destroy(&rl->locks[i]);
            return -1;
        }
    }
    return 0;
}

pw_ratelimit *pw_ratelimit_new(double per_minute, double burst, size_t slots) {
    if (!(per_minute > 0.0) || per_minute > DBL_MAX || !(burst >= 1.0) || burst > DBL_MAX ||
        slots > MAX_SLOTS)
        return NULL;
    pw_ratelimit *rl = calloc(1, sizeof *rl);
    if (rl == NULL)
        return NULL;
    size_t total = round_up_pow2(slots);
    rl->per_minute = per_minute;
    rl->burst = burst;
    rl->n_stripes = total < MAX_STRIPES ? total : MAX_STRIPES;
    rl->stripe_slots = total / rl->n_stripes;
    rl->window = rl->stripe_slots < WINDOW ? rl->stripe_slots : WINDOW;
    unsigned char seed[16];
    if (RAND_bytes(seed, sizeof seed) != 1)
        goto fail_rl;
    for (int i = 0; i < 8; i++) {
        rl->sip_k0 = rl->sip_k0 << 8 | seed[i];
        rl->sip_k1 = rl->sip_k1 << 8 | seed[8 + i];
    }
    rl->buckets = calloc(total, sizeof *rl->buckets);
    if (rl->buckets == NULL)
        goto fail_rl;
    if (init_locks(rl) != 0)
        goto fail_buckets;
    return rl;
fail_buckets:
    free(rl->buckets);
fail_rl:
    free(rl);
    return NULL;
}

static double refilled(const pw_ratelimit *rl, const bucket *b, int64_t now_ms) {
    if (now_ms <= b->last_ms)
        return b->tokens;
    /* In doubles: a wild now_ms must not overflow an int64 subtraction. Multiplying before
     * dividing keeps whole-number rates exact. */
    double elapsed = (double)now_ms - (double)b->last_ms;
    double t = b->tokens + elapsed * rl->per_minute / 60000.0;
    return t < rl->burst ? t : rl->burst;
}

/* Lower is a better bucket to reuse: empty, then full again (reusing it forgets nothing), then
 * in use. */
static int reuse_rank(const pw_ratelimit *rl, const bucket *b, int64_t now_ms) {
    if (b->key == 0)
        return 0;
    return refilled(rl, b, now_ms) >= rl->burst ? 1 : 2;
}

/* The key's bucket, or a reused one reset to full. Caller holds the stripe's lock. */
static bucket *find_bucket(pw_ratelimit *rl, uint64_t h, int64_t now_ms) {
    size_t stripe = (size_t)h & (rl->n_stripes - 1);
    bucket *base = rl->buckets + stripe * rl->stripe_slots;
    size_t mask = rl->stripe_slots - 1, start = (size_t)(h >> 32) & mask;
    bucket *victim = NULL;
    int victim_rank = INT_MAX;
    for (size_t i = 0; i < rl->window; i++) {
        bucket *b = &base[(start + i) & mask];
        if (b->key == h)
            return b;
        int rank = reuse_rank(rl, b, now_ms);
        if (rank < victim_rank || (rank == victim_rank && b->last_ms < victim->last_ms))
            victim = b, victim_rank = rank;
    }
    victim->key = h;
    victim->tokens = rl->burst;
    victim->last_ms = now_ms;
    return victim;
}

static int retry_seconds(const pw_ratelimit *rl, double tokens) {
    double s = (1.0 - TOKEN_EPS - tokens) * 60.0 / rl->per_minute;
    if (s >= (double)INT_MAX)
        return INT_MAX;
    int whole = (int)s;
    if (whole < s)
        whole++;
    return whole < 1 ? 1 : whole;
}

int pw_ratelimit_take(pw_ratelimit *rl, const char *key, size_t key_len, int64_t now_ms,
                      int *retry_after_s) {
    uint64_t h = siphash24(rl->sip_k0, rl->sip_k1, (const unsigned char *)key, key_len);
    if (h == 0)
        h = 1;
    pthread_mutex_t *lock = &rl->locks[(size_t)h & (rl->n_stripes - 1)];
    pthread_mutex_lock(lock);
    bucket *b = find_bucket(rl, h, now_ms);
    b->tokens = refilled(rl, b, now_ms);
    if (now_ms > b->last_ms)
        b->last_ms = now_ms;
    int allowed = b->tokens >= 1.0 - TOKEN_EPS;
    if (allowed)
        b->tokens -= 1.0;
    int retry = allowed ? 0 : retry_seconds(rl, b->tokens);
    pthread_mutex_unlock(lock);
    if (retry_after_s)
        *retry_after_s = retry;
    return allowed;
}

void pw_ratelimit_free(pw_ratelimit *rl) {
    if (rl == NULL)
        return;
    for (size_t i = 0; i < rl->n_stripes; i++)
        pthread_mutex_destroy(&rl->locks[i]);
    free(rl->buckets);
    free(rl);
}
