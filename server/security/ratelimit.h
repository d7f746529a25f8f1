/* A token-bucket rate limiter keyed by a string (a client IP, a session's visitor id) in fixed
 * memory: a flood of new keys recycles buckets instead of growing the table.
 * SPDX-License-Identifier: MIT */
#ifndef PW_SECURITY_RATELIMIT_H
#define PW_SECURITY_RATELIMIT_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct pw_ratelimit pw_ratelimit;

/* Creates a limiter that allows `per_minute` requests a minute sustained, with bursts of up to
 * `burst`, per key. The table holds `slots` buckets (rounded up to a power of two; e.g. 65536,
 * about 1.5 MB), allocated here once; it never grows. Keys are stored as a 64-bit SipHash under a
 * random per-limiter key, so nobody can aim keys at one part of the table.
 *
 * When the probe window for a new key is full, the bucket reused is an empty one, else one that
 * has refilled to `burst` (forgetting it changes nothing), else the least recently used one. So a
 * flood of distinct keys can at worst reset another key's bucket to full, which lets that key
 * through early once; it can never make another key limited.
 *
 * Returns NULL when out of memory, when the RNG fails, or for bad arguments: per_minute not > 0,
 * burst not >= 1, either not finite, or slots over 2^30. Caller frees with pw_ratelimit_free. */
pw_ratelimit *pw_ratelimit_new(double per_minute, double burst, size_t slots);

/* Takes one token from key[0..key_len)'s bucket (the key is borrowed, need not be NUL-terminated)
 * at now_ms, a monotonic clock in milliseconds supplied by the caller; a now_ms older than the
 * bucket's last use refills nothing. Returns 1 when allowed (and *retry_after_s = 0); 0 when
 * limited, with *retry_after_s set to the whole seconds, rounded up and at least 1, until one
 * token is available. retry_after_s may be NULL. Thread-safe: the table is striped over 64
 * mutexes, so takes on different keys rarely wait for each other. */
int pw_ratelimit_take(pw_ratelimit *rl, const char *key, size_t key_len, int64_t now_ms,
                      int *retry_after_s);

/* Frees the limiter; NULL is a no-op. No take may be running. */
void pw_ratelimit_free(pw_ratelimit *rl);

#ifdef __cplusplus
}
#endif

#endif
