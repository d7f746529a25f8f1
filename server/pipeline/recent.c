/* Returning customers' recent contact (see recent.h): a 4-way set-associative table of
 * immutable, reference-counted entries, with a change counter per set. A full set evicts its
 * least recently used entry. The table holds 16,384 customers, and a miss only costs the store
 * read the pipeline made before the cache existed; direct-mapped, it had lost a quarter of 5,000
 * active customers to collisions, each pair evicting each other in turn. Sets share 64 mutexes,
 * each held for a few pointer compares or, when a change is noted, one entry's copy (a few
 * kilobytes).
 * SPDX-License-Identifier: MIT */
#include "recent.h"
#include "../store/jsonw.h"

#include <pthread.h>
#include <stddef.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#define WAYS   4
#define SETS   4096               /* a power of two */
#define LOCKS  64                 /* a power of two, dividing SETS */
#define BUDGET ((size_t)64 << 20) /* bytes of entries kept; past it, new entries are not kept */

typedef struct entry {
    pw_recent pub; /* first: the public view of an entry is the entry */
    atomic_int refs;
    uint64_t hash;
    size_t size; /* bytes, counted against BUDGET */
    char kind;   /* 'x': by external id, 'e': by email */
    size_t key_len;
    int64_t app_id;
    char data[]; /* the key and each text, each NUL-terminated */
} entry;

typedef struct cache_set {
    entry *ways[WAYS];
    uint32_t used[WAYS]; /* the set's tick when each way was last used */
    uint32_t tick;
    uint64_t changes; /* changes noted for the set's keys: a stamp is this count */
} cache_set;

struct pw_recent_cache {
    pthread_mutex_t locks[LOCKS];
    cache_set sets[SETS];
    atomic_size_t bytes;
};

static const char *key_text(const pw_recent_key *k, char *kind) {
    *kind = k->external_id ? 'x' : 'e';
    return k->external_id ? k->external_id : k->email;
}

/* FNV-1a over the app, the kind of key and the key. */
static uint64_t hash_of(const pw_recent_key *k) {
    char kind;
    const char *s = key_text(k, &kind);
    uint64_t h = 0xcbf29ce484222325u;
    unsigned char app[sizeof k->app_id];
    memcpy(app, &k->app_id, sizeof app);
    for (size_t i = 0; i < sizeof app; i++)
        h = (h ^ app[i]) * 0x100000001b3u;
    h = (h ^ (unsigned char)kind) * 0x100000001b3u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 0x100000001b3u;
    return h;
}

static size_t set_of(uint64_t hash) {
    return (size_t)(hash ^ hash >> 32) & (SETS - 1);
}

static pthread_mutex_t *lock_of(pw_recent_cache *c, size_t i) {
    return &c->locks[i & (LOCKS - 1)];
}

static int same_key(const entry *e, const pw_recent_key *k, uint64_t hash) {
    char kind;
    const char *s = key_text(k, &kind);
    return e->hash == hash && e->app_id == k->app_id && e->kind == kind &&
           strlen(s) == e->key_len && memcmp(e->data, s, e->key_len) == 0;
}

pw_recent_cache *pw_recent_cache_new(void) {
    pw_recent_cache *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    for (int i = 0; i < LOCKS; i++)
        pthread_mutex_init(&c->locks[i], NULL);
    atomic_init(&c->bytes, 0);
    return c;
}

void pw_recent_cache_free(pw_recent_cache *c) {
    if (!c)
        return;
    for (size_t i = 0; i < SETS; i++)
        for (int w = 0; w < WAYS; w++)
            pw_recent_release(c->sets[i].ways[w] ? &c->sets[i].ways[w]->pub : NULL);
    for (int i = 0; i < LOCKS; i++)
        pthread_mutex_destroy(&c->locks[i]);
    free(c);
}

void pw_recent_release(const pw_recent *e) {
    entry *en = (entry *)e; /* the count is the only mutable part */
    if (en && atomic_fetch_sub(&en->refs, 1) == 1)
        free(en);
}

_Static_assert(offsetof(entry, data) % _Alignof(uint32_t) == 0, "entry data is aligned");

/* One entry holding copies of the key (first: same_key and pw_recent_keep read it there), the
 * word sets (from the next uint32_t boundary) and the texts, with one reference. */
static entry *build(const pw_recent_key *k, uint64_t hash, const pw_recent *row,
                    const char *const *texts, const pw_word_set *sets) {
    char kind;
    const char *key = key_text(k, &kind);
    size_t key_len = strlen(key), sets_at = (key_len + 1 + 3) & ~(size_t)3;
    size_t size = sizeof(entry) + sets_at;
    for (int i = 0; i < row->count; i++)
        size += sets[i].count * sizeof(uint32_t) + row->lens[i] + 1;
    entry *e = malloc(size);
    if (!e)
        return NULL;
    e->pub = *row;
    atomic_init(&e->refs, 1);
    e->hash = hash, e->size = size, e->kind = kind, e->key_len = key_len, e->app_id = k->app_id;
    memcpy(e->data, key, key_len + 1);
    char *at = e->data + sets_at;
    for (int i = 0; i < row->count; i++) {
        size_t bytes = sets[i].count * sizeof(uint32_t);
        if (bytes)
            memcpy(at, sets[i].words, bytes);
        e->pub.sets[i] = (pw_word_set){bytes ? (const uint32_t *)(void *)at : NULL, sets[i].count};
        at += bytes;
    }
    for (int i = 0; i < row->count; i++) {
        memcpy(at, texts[i], row->lens[i]);
        at[row->lens[i]] = '\0';
        e->pub.texts[i] = at;
        at += row->lens[i] + 1;
    }
    return e;
}

const pw_recent *pw_recent_new(const pw_recent_key *key, const pw_customer_row *row,
                               const pw_customer_texts *t, const pw_word_set *sets, int count) {
    pw_recent r = {.customer = *row, .count = count};
    memcpy(r.ids, t->ids, sizeof r.ids);
    memcpy(r.at, t->at, sizeof r.at);
    memcpy(r.lens, t->lens, sizeof r.lens);
    entry *e = build(key, hash_of(key), &r, (const char *const *)t->texts, sets);
    return e ? &e->pub : NULL;
}

/* The way holding the key, or -1. */
static int way_of(const cache_set *st, const pw_recent_key *key, uint64_t hash) {
    for (int w = 0; w < WAYS; w++)
        if (st->ways[w] && same_key(st->ways[w], key, hash))
            return w;
    return -1;
}

const pw_recent *pw_recent_get(pw_recent_cache *c, const pw_recent_key *key, uint64_t *stamp) {
    uint64_t hash = hash_of(key);
    size_t i = set_of(hash);
    cache_set *st = &c->sets[i];
    pthread_mutex_lock(lock_of(c, i));
    int w = way_of(st, key, hash);
    entry *e = w >= 0 ? st->ways[w] : NULL;
    if (e) {
        atomic_fetch_add(&e->refs, 1);
        st->used[w] = ++st->tick;
    }
    *stamp = st->changes;
    pthread_mutex_unlock(lock_of(c, i));
    return e ? &e->pub : NULL;
}

/* Puts e (whose reference the set takes over) or nothing in way w; under the set's lock. */
static void replace(pw_recent_cache *c, cache_set *st, int w, entry *e) {
    entry *old = st->ways[w];
    if (old)
        atomic_fetch_sub(&c->bytes, old->size);
    if (e && atomic_load(&c->bytes) + e->size > BUDGET) {
        pw_recent_release(&e->pub);
        e = NULL;
    }
    if (e)
        atomic_fetch_add(&c->bytes, e->size);
    st->ways[w] = e;
    st->used[w] = ++st->tick;
    pw_recent_release(old ? &old->pub : NULL);
}

/* Where a new entry goes: an empty way, else the least recently used (ticks wrap: compare
 * their distance from now). */
static int victim(const cache_set *st) {
    int lru = 0;
    for (int w = 0; w < WAYS; w++) {
        if (!st->ways[w])
            return w;
        if (st->tick - st->used[w] > st->tick - st->used[lru])
            lru = w;
    }
    return lru;
}

void pw_recent_keep(pw_recent_cache *c, const pw_recent *e, uint64_t stamp) {
    entry *en = (entry *)e;
    size_t i = set_of(en->hash);
    cache_set *st = &c->sets[i];
    pthread_mutex_lock(lock_of(c, i));
    if (st->changes == stamp) {
        char kind = en->kind;
        pw_recent_key key = {en->app_id, kind == 'x' ? en->data : NULL,
                             kind == 'e' ? en->data : NULL};
        int w = way_of(st, &key, en->hash);
        atomic_fetch_add(&en->refs, 1);
        replace(c, st, w >= 0 ? w : victim(st), en);
    }
    pthread_mutex_unlock(lock_of(c, i));
}

/* The entry after the change: the row updated as the store's upsert updates it, the message
 * put in id order unless it is there already (an entry read after its commit), the oldest
 * dropped past PW_RECENT_TEXTS. NULL when out of memory. */
static entry *applied(const entry *old, const pw_recent_key *k, const pw_recent_change *ch) {
    pw_recent row = old->pub;
    const char *texts[PW_RECENT_TEXTS + 1];
    pw_word_set sets[PW_RECENT_TEXTS + 1];
    memcpy(texts, old->pub.texts, sizeof old->pub.texts);
    memcpy(sets, old->pub.sets, sizeof old->pub.sets);
    if (ch->plan) {
        size_t at = 0;
        pw_append(row.customer.plan, sizeof row.customer.plan, &at, ch->plan);
    }
    row.customer.flags |= ch->add_flags;
    int at = row.count, seen = 0;
    for (int i = 0; i < row.count; i++)
        seen |= row.ids[i] == ch->message_id;
    while (!seen && at > 0 && row.ids[at - 1] > ch->message_id)
        at--;
    if (!seen && !(at == 0 && row.count == PW_RECENT_TEXTS)) {
        int64_t ids[PW_RECENT_TEXTS + 1], times[PW_RECENT_TEXTS + 1];
        size_t lens[PW_RECENT_TEXTS + 1];
        int n = 0;
        for (int i = 0; i <= row.count; i++, n++) {
            int src = i < at ? i : i - 1;
            ids[n] = i == at ? ch->message_id : row.ids[src];
            times[n] = i == at ? ch->at : row.at[src];
            lens[n] = i == at ? strlen(ch->text) : row.lens[src];
            texts[n] = i == at ? ch->text : old->pub.texts[src];
            sets[n] = i == at ? ch->words : old->pub.sets[src];
        }
        int drop = n > PW_RECENT_TEXTS; /* the oldest */
        row.count = n - drop;
        memcpy(row.ids, ids + drop, sizeof row.ids[0] * (size_t)row.count);
        memcpy(row.at, times + drop, sizeof row.at[0] * (size_t)row.count);
        memcpy(row.lens, lens + drop, sizeof row.lens[0] * (size_t)row.count);
        memmove(texts, texts + drop, sizeof texts[0] * (size_t)row.count);
        memmove(sets, sets + drop, sizeof sets[0] * (size_t)row.count);
    }
    return build(k, old->hash, &row, texts, sets);
}

void pw_recent_note(pw_recent_cache *c, const pw_recent_key *key, const pw_recent_change *ch) {
    uint64_t hash = hash_of(key);
    size_t i = set_of(hash);
    cache_set *st = &c->sets[i];
    pthread_mutex_lock(lock_of(c, i));
    st->changes++;
    int w = way_of(st, key, hash);
    if (w >= 0) /* NULL (out of memory) empties the way */
        replace(c, st, w, applied(st->ways[w], key, ch));
    pthread_mutex_unlock(lock_of(c, i));
}
