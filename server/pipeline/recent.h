/* Returning customers' recent contact, in memory: each customer's row as the pipeline reads it
 * (id, plan, flags) and their latest messages, so the read phase of a message from a customer
 * seen before touches no database page. Under load that read phase cost about a third of a
 * request thread's time: a reader's page cache starts cold after every commit, and the latest
 * messages lie on as many pages as there are messages.
 *
 * An entry is exactly what the store would answer, because the server's writer is the only
 * writer of customers and their messages, and every committed change reaches the entry:
 *  - a miss is read from the store and published with pw_recent_keep, which refuses it when a
 *    change for its set of entries was noted since the miss (the read may predate that change);
 *  - after a commit, the request that recorded a customer's message notes it (pw_recent_note),
 *    before it answers: a request sent after that answer sees the message.
 * Entries are immutable and reference-counted; a change replaces an entry. Keys never change
 * meaning: a customer is never deleted, and the key the store finds it by (external id, else
 * email among customers without one) is never rewritten. Thread-safe.
 * SPDX-License-Identifier: MIT */
#ifndef PW_PIPELINE_RECENT_H
#define PW_PIPELINE_RECENT_H

#include "../store/support.h"
#include "pw/signals.h"

#include <stddef.h>
#include <stdint.h>

#define PW_RECENT_TEXTS PW_CUSTOMER_TEXTS_MAX

typedef struct pw_recent_cache pw_recent_cache;

/* Who: the store's customer key (external id wins over email). */
typedef struct pw_recent_key {
    int64_t app_id;
    const char *external_id, *email; /* at least one non-NULL */
} pw_recent_key;

/* One customer's entry. Read only; hold it with the reference pw_recent_get or pw_recent_new
 * gave and drop it with pw_recent_release. */
typedef struct pw_recent {
    pw_customer_row customer;
    int count; /* texts[0..count), oldest first: the customer's latest messages */
    int64_t ids[PW_RECENT_TEXTS], at[PW_RECENT_TEXTS]; /* message id, created_at (ms) */
    const char *texts[PW_RECENT_TEXTS];                /* NUL-terminated, inside the entry */
    size_t lens[PW_RECENT_TEXTS];
    /* Each text's word set, inside the entry: the repeated-question test compares a message
     * with these, so a returning customer's history is not scanned again for every message. */
    pw_word_set sets[PW_RECENT_TEXTS];
} pw_recent;

/* What a committed message changed for its customer: the row's plan and flags as the store's
 * upsert sets them, and one more message. */
typedef struct pw_recent_change {
    const char *plan;   /* NULL keeps the plan */
    uint32_t add_flags; /* or-ed into the flags */
    int64_t message_id, at;
    const char *text;  /* NUL-terminated, as the store keeps it */
    pw_word_set words; /* the text's word set (as pw_analyze_sets handed it out) */
} pw_recent_change;

/* An empty cache, or NULL when out of memory. Free with pw_recent_cache_free once no request
 * uses it. */
pw_recent_cache *pw_recent_cache_new(void);
void pw_recent_cache_free(pw_recent_cache *c);

/* The entry for `key` with a reference, or NULL on a miss. *stamp is set either way: hand it to
 * pw_recent_keep with what the store answered after this call. */
const pw_recent *pw_recent_get(pw_recent_cache *c, const pw_recent_key *key, uint64_t *stamp);

/* A new entry for `key` from the store's answer: the customer's row and `count` latest texts
 * with their word sets (both copied), with the caller's reference; NULL when out of memory. */
const pw_recent *pw_recent_new(const pw_recent_key *key, const pw_customer_row *row,
                               const pw_customer_texts *t, const pw_word_set *sets, int count);

/* Publishes e, read from the store after pw_recent_get gave `stamp`, unless a change was noted
 * for its set since then or the cache's memory budget is spent. The caller keeps its own
 * reference either way. */
void pw_recent_keep(pw_recent_cache *c, const pw_recent *e, uint64_t stamp);

/* Applies a committed change to the entry for `key`, if any (dropping it when the change cannot
 * be applied), and makes every stamp taken before it stale. */
void pw_recent_note(pw_recent_cache *c, const pw_recent_key *key, const pw_recent_change *ch);

/* Drops a reference; NULL is ignored. */
void pw_recent_release(const pw_recent *e);

#endif
