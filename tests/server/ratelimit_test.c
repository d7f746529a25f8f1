/* Token-bucket limiter: bursts, retry-after, refill, independent keys, a key spray in fixed
 * memory, and concurrent takes on one key.
 * SPDX-License-Identifier: MIT */
#include "security/ratelimit.h"
#include "pw_test.h"

#include <pthread.h>
#include <stdint.h>
#include <unistd.h>

static int take(pw_ratelimit *rl, const char *key, int64_t now, int *retry) {
    return pw_ratelimit_take(rl, key, strlen(key), now, retry);
}

static void bad_arguments_are_refused(void) {
    PW_CHECK(pw_ratelimit_new(0, 5, 64) == NULL);
    PW_CHECK(pw_ratelimit_new(-1, 5, 64) == NULL);
    PW_CHECK(pw_ratelimit_new(60, 0.5, 64) == NULL);
    PW_CHECK(pw_ratelimit_new(60, 0, 64) == NULL);
    double zero = 0.0;
    PW_CHECK(pw_ratelimit_new(zero / zero, 5, 64) == NULL); /* NaN */
    PW_CHECK(pw_ratelimit_new(1.0 / zero, 5, 64) == NULL);  /* infinity */
    PW_CHECK(pw_ratelimit_new(60, 1.0 / zero, 64) == NULL);
    PW_CHECK(pw_ratelimit_new(60, 5, ((size_t)1 << 30) + 1) == NULL);
    pw_ratelimit *rl = pw_ratelimit_new(60, 1, 0); /* the smallest table still works */
    PW_CHECK(rl != NULL);
    if (rl)
        PW_CHECK_INT(take(rl, "k", 0, NULL), 1);
    pw_ratelimit_free(rl);
    pw_ratelimit_free(NULL);
}

static void burst_then_limited_with_retry_after(void) {
    pw_ratelimit *rl = pw_ratelimit_new(60, 5, 1024); /* one a second, bursts of 5 */
    int retry = -1;
    for (int i = 0; i < 5; i++) {
        PW_CHECK_INT(take(rl, "198.51.100.7", 0, &retry), 1);
        PW_CHECK_INT(retry, 0);
    }
    PW_CHECK_INT(take(rl, "198.51.100.7", 0, &retry), 0);
    PW_CHECK_INT(retry, 1);
    PW_CHECK_INT(take(rl, "198.51.100.7", 999, &retry), 0);
    PW_CHECK_INT(retry, 1);
    PW_CHECK_INT(take(rl, "198.51.100.7", 1000, &retry), 1);
    PW_CHECK_INT(take(rl, "198.51.100.7", 1000, &retry), 0);
    PW_CHECK_INT(retry, 1);
    pw_ratelimit_free(rl);
}

static void retry_after_rounds_up_to_whole_seconds(void) {
    pw_ratelimit *rl = pw_ratelimit_new(6, 2, 1024); /* one every 10 s */
    int retry = -1;
    PW_CHECK_INT(take(rl, "k", 0, &retry), 1);
    PW_CHECK_INT(take(rl, "k", 0, &retry), 1);
    PW_CHECK_INT(take(rl, "k", 0, &retry), 0);
    PW_CHECK_INT(retry, 10);
    PW_CHECK_INT(take(rl, "k", 2500, &retry), 0);
    PW_CHECK_INT(retry, 8); /* 7.5 s left */
    PW_CHECK_INT(take(rl, "k", 9999, &retry), 0);
    PW_CHECK_INT(retry, 1);
    PW_CHECK_INT(take(rl, "k", 10000, &retry), 1);
    pw_ratelimit_free(rl);
    rl = pw_ratelimit_new(0.5, 1, 64); /* one every 2 minutes */
    PW_CHECK_INT(take(rl, "k", 0, &retry), 1);
    PW_CHECK_INT(take(rl, "k", 0, &retry), 0);
    PW_CHECK_INT(retry, 120);
    pw_ratelimit_free(rl);
}

static void refill_stops_at_the_burst(void) {
    pw_ratelimit *rl = pw_ratelimit_new(60, 3, 1024);
    int retry;
    for (int i = 0; i < 3; i++)
        PW_CHECK_INT(take(rl, "k", 0, &retry), 1);
    int allowed = 0;
    for (int i = 0; i < 10; i++)
        allowed += take(rl, "k", 3600000, &retry); /* an hour later */
    PW_CHECK_INT(allowed, 3);
    /* Time that runs backwards refills nothing. */
    PW_CHECK_INT(take(rl, "k", 0, &retry), 0);
    PW_CHECK_INT(retry, 1);
    pw_ratelimit_free(rl);
}

static void keys_are_independent(void) {
    pw_ratelimit *rl = pw_ratelimit_new(60, 2, 1024);
    int retry;
    PW_CHECK_INT(take(rl, "10.0.0.1", 0, &retry), 1);
    PW_CHECK_INT(take(rl, "10.0.0.1", 0, &retry), 1);
    PW_CHECK_INT(take(rl, "10.0.0.1", 0, &retry), 0);
    PW_CHECK_INT(take(rl, "10.0.0.2", 0, &retry), 1);
    PW_CHECK_INT(take(rl, "10.0.0.2", 0, &retry), 1);
    PW_CHECK_INT(take(rl, "10.0.0.2", 0, &retry), 0);
    PW_CHECK_INT(take(rl, "10.0.0.1", 0, &retry), 0);
    /* The key is key[0..key_len): a prefix is another key. */
    PW_CHECK_INT(pw_ratelimit_take(rl, "10.0.0.1", 7, 0, &retry), 1);
    PW_CHECK_INT(pw_ratelimit_take(rl, NULL, 0, 0, &retry), 1);
    pw_ratelimit_free(rl);
}

/* Resident set size in bytes, from /proc (Linux); 0 when unavailable. */
static long resident_bytes(void) {
    FILE *f = fopen("/proc/self/statm", "r");
    long size = 0, resident = 0;
    if (f == NULL)
        return 0;
    if (fscanf(f, "%ld %ld", &size, &resident) != 2)
        resident = 0;
    fclose(f);
    return resident * sysconf(_SC_PAGESIZE);
}

static int spray(pw_ratelimit *rl, long from, long to, int64_t now) {
    int allowed = 0;
    for (long i = from; i < to; i++) {
        char key[32];
        int n = snprintf(key, sizeof key, "spray-%ld", i);
        allowed += pw_ratelimit_take(rl, key, (size_t)n, now, NULL);
    }
    return allowed;
}

/* A million distinct keys in a 4096-bucket table: every new key is allowed (it never inherits a
 * limited bucket), memory stays flat (buckets are recycled, not added), and the legitimate key is
 * still limited afterwards. Its bucket may have been recycled by the spray, which resets it to
 * full: the documented cost, one early burst, never a lock-out. */
static void a_key_spray_keeps_memory_flat_and_limits_working(void) {
    pw_ratelimit *rl = pw_ratelimit_new(60, 5, 4096);
    int retry;
    for (int i = 0; i < 5; i++)
        take(rl, "203.0.113.9", 0, &retry);
    PW_CHECK_INT(take(rl, "203.0.113.9", 0, &retry), 0);
    PW_CHECK_INT(spray(rl, 0, 100000, 0), 100000); /* touches every bucket once */
    long before = resident_bytes();
    PW_CHECK_INT(spray(rl, 100000, 1100000, 0), 1000000);
    long after = resident_bytes();
    if (before > 0)
        PW_CHECK(after - before < 1024 * 1024);
    int allowed = 0, last = 1;
    for (int i = 0; i < 6; i++)
        allowed += last = take(rl, "203.0.113.9", 0, &retry);
    PW_CHECK(allowed <= 5);
    PW_CHECK_INT(last, 0);
    PW_CHECK_INT(retry, 1);
    pw_ratelimit_free(rl);
}

typedef struct worker {
    pw_ratelimit *rl;
    int moving_clock;
    int allowed;
} worker;

enum { TAKES_PER_THREAD = 20000 };

static void *hammer(void *arg) {
    worker *w = arg;
    for (int i = 0; i < TAKES_PER_THREAD; i++)
        w->allowed += pw_ratelimit_take(w->rl, "shared", 6, w->moving_clock ? i : 0, NULL);
    return NULL;
}

static int run_threads(pw_ratelimit *rl, int moving_clock) {
    pthread_t t[4];
    worker w[4];
    for (int i = 0; i < 4; i++) {
        w[i] = (worker){rl, moving_clock, 0};
        PW_CHECK_INT(pthread_create(&t[i], NULL, hammer, &w[i]), 0);
    }
    int total = 0;
    for (int i = 0; i < 4; i++) {
        pthread_join(t[i], NULL);
        total += w[i].allowed;
    }
    return total;
}

static void concurrent_takes_never_exceed_burst_plus_refill(void) {
    pw_ratelimit *rl = pw_ratelimit_new(600, 20, 1024);
    PW_CHECK_INT(run_threads(rl, 0), 20); /* frozen clock: exactly the burst */
    pw_ratelimit_free(rl);
    /* Each thread's clock runs 0..19999 ms, interleaved: at most 20 + 600 * 20 s / 60 s. */
    rl = pw_ratelimit_new(600, 20, 1024);
    int total = run_threads(rl, 1);
    PW_CHECK(total <= 20 + 200);
    PW_CHECK(total >= 20);
    pw_ratelimit_free(rl);
}

int main(void) {
    PW_RUN(bad_arguments_are_refused);
    PW_RUN(burst_then_limited_with_retry_after);
    PW_RUN(retry_after_rounds_up_to_whole_seconds);
    PW_RUN(refill_stops_at_the_burst);
    PW_RUN(keys_are_independent);
    PW_RUN(a_key_spray_keeps_memory_flat_and_limits_working);
    PW_RUN(concurrent_takes_never_exceed_burst_plus_refill);
    return pw_test_exit_code();
}
