/* Returning customers' recent contact (server/pipeline/recent.c): a kept entry comes back for
 * its own key only, a noted message lands in it in id order with the latest 16 kept (each text
 * with its word set), a read older than a noted change is never kept, and under threads that
 * commit, note and fill at once the entry ends equal to the store it caches. Built under
 * ThreadSanitizer too.
 * SPDX-License-Identifier: MIT */
#include "pipeline/recent.h"
#include "pw_test.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

/* Message id's word set here: {id, id + 100000}, or none for an id divisible by 5 (a message
 * of stop words only), so that each set can be told apart and follows its text. */
static pw_word_set words_of(int64_t id, uint32_t words[2]) {
    words[0] = (uint32_t)id, words[1] = (uint32_t)id + 100000;
    return (pw_word_set){id % 5 ? words : NULL, id % 5 ? 2 : 0};
}

/* A customer's messages as the store would answer: texts "m<id>", ids from `first`. */
static void texts_from(pw_customer_texts *t, char bufs[][16], int64_t first, int n) {
    for (int i = 0; i < n; i++) {
        t->ids[i] = first + i;
        t->at[i] = 1000 * (first + i);
        snprintf(bufs[i], 16, "m%lld", (long long)(first + i));
        t->texts[i] = bufs[i];
        t->lens[i] = strlen(bufs[i]);
    }
}

static const pw_recent *entry_with(const pw_recent_key *k, int64_t first, int n) {
    pw_customer_texts t;
    char bufs[PW_RECENT_TEXTS][16];
    uint32_t words[PW_RECENT_TEXTS][2];
    pw_word_set sets[PW_RECENT_TEXTS];
    texts_from(&t, bufs, first, n);
    for (int i = 0; i < n; i++)
        sets[i] = words_of(first + i, words[i]);
    pw_customer_row row = {42, "starter", 1};
    return pw_recent_new(k, &row, &t, sets, n);
}

static void keep_fresh(pw_recent_cache *c, const pw_recent_key *k, int64_t first, int n) {
    uint64_t stamp;
    PW_CHECK(pw_recent_get(c, k, &stamp) == NULL);
    const pw_recent *e = entry_with(k, first, n);
    pw_recent_keep(c, e, stamp);
    pw_recent_release(e);
}

static void check_ids(const pw_recent *e, int64_t first, int n) {
    PW_CHECK_INT(e->count, n);
    for (int i = 0; i < e->count && i < n; i++) {
        char want[16];
        snprintf(want, sizeof want, "m%lld", (long long)(first + i));
        PW_CHECK_INT(e->ids[i], first + i);
        PW_CHECK_MEM(e->texts[i], e->lens[i], want, strlen(want));
        PW_CHECK_INT(e->texts[i][e->lens[i]], 0);
        uint32_t words[2];
        pw_word_set set = words_of(first + i, words);
        PW_CHECK_INT(e->sets[i].count, set.count);
        if (e->sets[i].count == set.count && set.count)
            PW_CHECK_MEM(e->sets[i].words, 8, set.words, 8);
    }
}

static pw_recent_change message(int64_t id) {
    static char text[64][16]; /* the test notes from one thread here */
    static uint32_t words[64][2];
    char *t = text[id & 63];
    snprintf(t, 16, "m%lld", (long long)id);
    return (pw_recent_change){NULL, 0, id, 1000 * id, t, words_of(id, words[id & 63])};
}

static void a_kept_entry_comes_back_for_its_own_key_only(void) {
    pw_recent_cache *c = pw_recent_cache_new();
    pw_recent_key k = {1, NULL, "ada@example.com"};
    keep_fresh(c, &k, 5, 3);
    uint64_t stamp;
    const pw_recent *e = pw_recent_get(c, &k, &stamp);
    PW_CHECK(e != NULL);
    if (e) {
        PW_CHECK_INT(e->customer.id, 42);
        PW_CHECK(strcmp(e->customer.plan, "starter") == 0);
        check_ids(e, 5, 3);
    }
    pw_recent_release(e);
    pw_recent_key as_external = {1, "ada@example.com", NULL},
                  other_app = {2, NULL, "ada@example.com"};
    PW_CHECK(pw_recent_get(c, &as_external, &stamp) == NULL);
    PW_CHECK(pw_recent_get(c, &other_app, &stamp) == NULL);
    pw_recent_cache_free(c);
}

static void a_read_older_than_a_noted_change_is_not_kept(void) {
    pw_recent_cache *c = pw_recent_cache_new();
    pw_recent_key k = {1, "user-7", NULL};
    uint64_t stamp, later;
    PW_CHECK(pw_recent_get(c, &k, &stamp) == NULL);
    const pw_recent *e = entry_with(&k, 1, 2); /* read before message 3 committed */
    pw_recent_change ch = message(3);
    pw_recent_note(c, &k, &ch); /* no entry yet: nothing to update, but the read is stale */
    pw_recent_keep(c, e, stamp);
    PW_CHECK(pw_recent_get(c, &k, &later) == NULL);
    check_ids(e, 1, 2); /* the caller's own reference still reads */
    pw_recent_release(e);
    keep_fresh(c, &k, 1, 3); /* read again, after the change */
    const pw_recent *kept = pw_recent_get(c, &k, &later);
    PW_CHECK(kept != NULL);
    pw_recent_release(kept);
    pw_recent_cache_free(c);
}

static void a_noted_message_lands_in_order_and_the_latest_16_stay(void) {
    pw_recent_cache *c = pw_recent_cache_new();
    pw_recent_key k = {1, "user-9", NULL};
    keep_fresh(c, &k, 1, PW_RECENT_TEXTS);
    uint64_t stamp;
    const pw_recent *held = pw_recent_get(c, &k, &stamp);
    pw_recent_change ch = message(PW_RECENT_TEXTS + 1);
    ch.plan = "pro", ch.add_flags = 4;
    pw_recent_note(c, &k, &ch);
    const pw_recent *e = pw_recent_get(c, &k, &stamp);
    PW_CHECK(e && held && e != held);
    if (e) {
        check_ids(e, 2, PW_RECENT_TEXTS); /* the oldest dropped */
        PW_CHECK(strcmp(e->customer.plan, "pro") == 0);
        PW_CHECK_INT(e->customer.flags, 5);
    }
    if (held)
        check_ids(held, 1, PW_RECENT_TEXTS); /* a reader of the old entry is undisturbed */
    pw_recent_release(held);
    pw_recent_release(e);
    pw_recent_note(c, &k, &ch);          /* read after its commit: already there */
    pw_recent_change older = message(1); /* older than all 16: not among the latest */
    pw_recent_note(c, &k, &older);
    e = pw_recent_get(c, &k, &stamp);
    if (e)
        check_ids(e, 2, PW_RECENT_TEXTS);
    pw_recent_release(e);
    pw_recent_cache_free(c);
}

static void a_late_note_goes_between_earlier_ones(void) {
    pw_recent_cache *c = pw_recent_cache_new();
    pw_recent_key k = {1, "user-3", NULL};
    keep_fresh(c, &k, 1, 1);
    pw_recent_change third = message(3), second = message(2);
    pw_recent_note(c, &k, &third); /* two requests of one batch note in either order */
    pw_recent_note(c, &k, &second);
    uint64_t stamp;
    const pw_recent *e = pw_recent_get(c, &k, &stamp);
    PW_CHECK(e != NULL);
    if (e)
        check_ids(e, 1, 3);
    pw_recent_release(e);
    pw_recent_cache_free(c);
}

/* The pipeline's benchmark has 5,000 customers writing at once: they all fit, bar the few
 * whose set of 4 overflows (a direct-mapped table of the same size kept three in four). */
static void thousands_of_active_customers_stay(void) {
    pw_recent_cache *c = pw_recent_cache_new();
    char email[64];
    for (int i = 0; i < 5000; i++) {
        snprintf(email, sizeof email, "customer%d@bench.example", i);
        pw_recent_key k = {1, NULL, email};
        keep_fresh(c, &k, 1, 4);
    }
    int hits = 0;
    for (int i = 0; i < 5000; i++) {
        snprintf(email, sizeof email, "customer%d@bench.example", i);
        pw_recent_key k = {1, NULL, email};
        uint64_t stamp;
        const pw_recent *e = pw_recent_get(c, &k, &stamp);
        hits += e != NULL;
        pw_recent_release(e);
    }
    PW_CHECK(hits >= 4900);
    pw_recent_cache_free(c);
}

/* Threads that record messages (the store is an array under a mutex: "commit", then note) and
 * threads that read (hit, or miss and fill from the store). Once they are done, whatever the
 * cache holds must be the store's latest messages. */
#define WRITERS    3
#define PER_WRITER 400

typedef struct shared {
    pw_recent_cache *c;
    pw_recent_key key;
    pthread_mutex_t store_lock;
    int64_t next_id;
    int64_t ids[WRITERS * PER_WRITER];
    char texts[WRITERS * PER_WRITER][24];
    int count;
    int stop;
} shared;

static void store_latest(shared *s, pw_customer_texts *t, pw_word_set *sets, uint32_t words[][2],
                         int *n) {
    pthread_mutex_lock(&s->store_lock);
    *n = s->count < PW_RECENT_TEXTS ? s->count : PW_RECENT_TEXTS;
    for (int i = 0; i < *n; i++) {
        int at = s->count - *n + i;
        t->ids[i] = s->ids[at], t->at[i] = s->ids[at];
        t->texts[i] = s->texts[at], t->lens[i] = strlen(s->texts[at]);
        sets[i] = words_of(s->ids[at], words[i]);
    }
    pthread_mutex_unlock(&s->store_lock);
}

static void *record_messages(void *arg) {
    shared *s = arg;
    for (int i = 0; i < PER_WRITER; i++) {
        pthread_mutex_lock(&s->store_lock);
        int at = s->count++;
        s->ids[at] = ++s->next_id;
        snprintf(s->texts[at], sizeof s->texts[at], "m%lld", (long long)s->ids[at]);
        uint32_t words[2];
        pw_recent_change ch = {
            NULL, 0, s->ids[at], s->ids[at], s->texts[at], words_of(s->ids[at], words)};
        pthread_mutex_unlock(&s->store_lock);
        pw_recent_note(s->c, &s->key, &ch); /* after the commit, outside it */
    }
    return NULL;
}

/* What a request does: the entry, or a miss read from the store and kept. */
static void read_once(shared *s) {
    uint64_t stamp;
    const pw_recent *e = pw_recent_get(s->c, &s->key, &stamp);
    if (!e) {
        pw_customer_texts t;
        pw_word_set sets[PW_RECENT_TEXTS];
        uint32_t words[PW_RECENT_TEXTS][2];
        int n;
        store_latest(s, &t, sets, words, &n);
        pw_customer_row row = {1, "free", 0};
        if ((e = pw_recent_new(&s->key, &row, &t, sets, n)))
            pw_recent_keep(s->c, e, stamp);
    }
    pw_recent_release(e);
}

static void *read_and_fill(void *arg) {
    shared *s = arg;
    while (!__atomic_load_n(&s->stop, __ATOMIC_ACQUIRE))
        read_once(s);
    return NULL;
}

static void the_cache_ends_equal_to_the_store_under_threads(void) {
    shared s = {.c = pw_recent_cache_new(), .key = {1, "busy", NULL}};
    pthread_mutex_init(&s.store_lock, NULL);
    pthread_t writers[WRITERS], readers[2];
    for (int i = 0; i < 2; i++)
        pthread_create(&readers[i], NULL, read_and_fill, &s);
    for (int i = 0; i < WRITERS; i++)
        pthread_create(&writers[i], NULL, record_messages, &s);
    for (int i = 0; i < WRITERS; i++)
        pthread_join(writers[i], NULL);
    __atomic_store_n(&s.stop, 1, __ATOMIC_RELEASE);
    for (int i = 0; i < 2; i++)
        pthread_join(readers[i], NULL);
    read_once(&s); /* fills it if the last fill lost to a note */
    uint64_t stamp;
    const pw_recent *e = pw_recent_get(s.c, &s.key, &stamp);
    PW_CHECK(e != NULL);
    if (e)
        check_ids(e, WRITERS * PER_WRITER - PW_RECENT_TEXTS + 1, PW_RECENT_TEXTS);
    pw_recent_release(e);
    pthread_mutex_destroy(&s.store_lock);
    pw_recent_cache_free(s.c);
}

int main(void) {
    PW_RUN(a_kept_entry_comes_back_for_its_own_key_only);
    PW_RUN(a_read_older_than_a_noted_change_is_not_kept);
    PW_RUN(a_noted_message_lands_in_order_and_the_latest_16_stay);
    PW_RUN(a_late_note_goes_between_earlier_ones);
    PW_RUN(thousands_of_active_customers_stay);
    PW_RUN(the_cache_ends_equal_to_the_store_under_threads);
    return pw_test_exit_code();
}
