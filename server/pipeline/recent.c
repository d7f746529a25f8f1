/* Returning customers' recent contact (see recent.h): a direct-mapped table of immutable,
 * reference-counted entries, with a change counter per slot. A collision evicts; the table is
 * sized for tens of thousands of active customers, and a miss only costs the store read the
 * pipeline made before the cache existed. Slots share 64 mutexes, each held for a pointer swap
 * or, when a change is noted, one entry's copy (a few kilobytes).
 * SPDX-License-Identifier: MIT */
#include "recent.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SLOTS  16384              /* a power of two */
#define LOCKS  64                 /* a power of two, dividing SLOTS */
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

struct pw_recent_cache {
    pthread_mutex_t locks[LOCKS];
    entry *slots[SLOTS];
    uint64_t changes[SLOTS]; /* changes noted per slot: a stamp is a slot's count */
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

static size_t slot_of(uint64_t hash) {
    return (size_t)(hash ^ hash >> 32) & (SLOTS - 1);
}

static pthread_mutex_t *lock_of(pw_recent_cache *c, size_t slot) {
    return &c->locks[slot & (LOCKS - 1)];
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
    for (size_t i = 0; i < SLOTS; i++)
        pw_recent_release(c->slots[i] ? &c->slots[i]->pub : NULL);
    for (int i = 0; i < LOCKS; i++)
        pthread_mutex_destroy(&c->locks[i]);
    free(c);
}

void pw_recent_release(const pw_recent *e) {
    entry *en = (entry *)e; /* the count is the only mutable part */
    if (en && atomic_fetch_sub(&en->refs, 1) == 1)
        free(en);
}

/* One entry holding copies of the key and the texts, with one reference. */
static entry *build(const pw_recent_key *k, uint64_t hash, const pw_recent *row,
                    const char *const *texts) {
    char kind;
    const char *key = key_text(k, &kind);
    size_t key_len = strlen(key), size = sizeof(entry) + key_len + 1;
    for (int i = 0; i < row->count; i++)
        size += row->lens[i] + 1;
    entry *e = malloc(size);
    if (!e)
        return NULL;
    e->pub = *row;
    atomic_init(&e->refs, 1);
    e->hash = hash, e->size = size, e->kind = kind, e->key_len = key_len, e->app_id = k->app_id;
    char *at = e->data;
    memcpy(at, key, key_len + 1);
    at += key_len + 1;
    for (int i = 0; i < row->count; i++) {
        memcpy(at, texts[i], row->lens[i]);
        at[row->lens[i]] = '\0';
        e->pub.texts[i] = at;
        at += row->lens[i] + 1;
    }
    return e;
}

const pw_recent *pw_recent_new(const pw_recent_key *key, const pw_customer_row *row,
                               const pw_customer_texts *t, int count) {
    pw_recent r = {.customer = *row, .count = count};
    memcpy(r.ids, t->ids, sizeof r.ids);
    memcpy(r.at, t->at, sizeof r.at);
    memcpy(r.lens, t->lens, sizeof r.lens);
    entry *e = build(key, hash_of(key), &r, (const char *const *)t->texts);
    return e ? &e->pub : NULL;
}

const pw_recent *pw_recent_get(pw_recent_cache *c, const pw_recent_key *key, uint64_t *stamp) {
    uint64_t hash = hash_of(key);
    size_t slot = slot_of(hash);
    pthread_mutex_lock(lock_of(c, slot));
    entry *e = c->slots[slot];
    if (e && same_key(e, key, hash))
        atomic_fetch_add(&e->refs, 1);
    else
        e = NULL;
    *stamp = c->changes[slot];
    pthread_mutex_unlock(lock_of(c, slot));
    return e ? &e->pub : NULL;
}

/* Puts e (whose reference the slot takes over) or nothing in the slot; under its lock. */
static void replace(pw_recent_cache *c, size_t slot, entry *e) {
    entry *old = c->slots[slot];
    if (old)
        atomic_fetch_sub(&c->bytes, old->size);
    if (e && atomic_load(&c->bytes) + e->size > BUDGET) {
        pw_recent_release(&e->pub);
        e = NULL;
    }
    if (e)
        atomic_fetch_add(&c->bytes, e->size);
    c->slots[slot] = e;
    pw_recent_release(old ? &old->pub : NULL);
}

void pw_recent_keep(pw_recent_cache *c, const pw_recent *e, uint64_t stamp) {
    entry *en = (entry *)e;
    size_t slot = slot_of(en->hash);
    pthread_mutex_lock(lock_of(c, slot));
    if (c->changes[slot] == stamp) {
        atomic_fetch_add(&en->refs, 1);
        replace(c, slot, en);
    }
    pthread_mutex_unlock(lock_of(c, slot));
}

/* The entry after the change: the row updated as the store's upsert updates it, the message
 * put in id order unless it is there already (an entry read after its commit), the oldest
 * dropped past PW_RECENT_TEXTS. NULL when out of memory. */
static entry *applied(const entry *old, const pw_recent_key *k, const pw_recent_change *ch) {
    pw_recent row = old->pub;
    const char *texts[PW_RECENT_TEXTS + 1];
    memcpy(texts, old->pub.texts, sizeof old->pub.texts);
    if (ch->plan)
        snprintf(row.customer.plan, sizeof row.customer.plan, "%s", ch->plan);
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
        }
        int drop = n > PW_RECENT_TEXTS; /* the oldest */
        row.count = n - drop;
        memcpy(row.ids, ids + drop, sizeof row.ids[0] * (size_t)row.count);
        memcpy(row.at, times + drop, sizeof row.at[0] * (size_t)row.count);
        memcpy(row.lens, lens + drop, sizeof row.lens[0] * (size_t)row.count);
        memmove(texts, texts + drop, sizeof texts[0] * (size_t)row.count);
    }
    return build(k, old->hash, &row, texts);
}

void pw_recent_note(pw_recent_cache *c, const pw_recent_key *key, const pw_recent_change *ch) {
    uint64_t hash = hash_of(key);
    size_t slot = slot_of(hash);
    pthread_mutex_lock(lock_of(c, slot));
    c->changes[slot]++;
    entry *old = c->slots[slot];
    if (old && same_key(old, key, hash))
        replace(c, slot, applied(old, key, ch)); /* NULL (out of memory) drops the entry */
    pthread_mutex_unlock(lock_of(c, slot));
}
