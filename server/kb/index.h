/* The knowledge base in memory: every published article with its variants and intents, and an
 * inverted index of their terms for retrieval. An index is immutable once built, so any number
 * of request threads read it without a lock; an article write builds a new one and swaps it in
 * (pw_kb_live). Retrieval never reads the store: in WAL mode a reader drops its page cache
 * after every commit, so under a write load every search used to read the full-text index
 * again, and ranking took a quarter of a widget message's CPU.
 * SPDX-License-Identifier: MIT */
#ifndef PW_KB_INDEX_H
#define PW_KB_INDEX_H

#include "kb.h"

#include <pthread.h>
#include <stdint.h>

/* Builds the index of articles[0..count), which it takes: each article's contents move into
 * the index (or are freed when the build fails) and the array's entries are left zeroed, so the
 * caller frees only the array. Every article given is searchable: pass the published ones.
 * Returns 0 and sets *out (free with pw_kb_index_free), or -1 when out of memory (*out NULL). */
int pw_kb_index_new(pw_kb_article *articles, size_t count, pw_kb_index **out);

/* pw_kb_index_new over every published article readable through `c` (a pooled reader: its one
 * read transaction gives a consistent set). Returns 0 and sets *out, or -1 on a store error or
 * out of memory. */
int pw_kb_index_build(pw_conn *c, pw_kb_index **out);

/* Frees an index nobody reads any more. NULL is allowed. */
void pw_kb_index_free(pw_kb_index *ix);

/* The published article `id`, borrowed from the index (valid while the index is), or NULL. */
const pw_kb_article *pw_kb_index_article(const pw_kb_index *ix, int64_t id);

/* The index the server's requests read, replaced after every article write. Readers take a
 * reference (acquire/release: a mutex-guarded count, so a reload never frees an index a
 * request still reads). */
typedef struct pw_kb_live {
    pthread_mutex_t lock;   /* guards current and every index's reference count */
    pthread_mutex_t reload; /* one reload at a time, so the last write's reload wins */
    pw_kb_index *current;
} pw_kb_live;

/* Builds the first index through `c`. Returns 0, or -1 (nothing to free). */
int pw_kb_live_init(pw_kb_live *live, pw_conn *c);

/* The current index, referenced until pw_kb_live_release. Never NULL after init. */
const pw_kb_index *pw_kb_live_acquire(pw_kb_live *live);
void pw_kb_live_release(pw_kb_live *live, const pw_kb_index *ix);

/* Rebuilds the index from the store through a reader of `readers` and swaps it in; call it
 * after an article write committed. Readers that hold the old index finish with it. Returns
 * 0, or -1 (the old index stays current). */
int pw_kb_live_reload(pw_kb_live *live, pw_pool *readers);

/* Frees the current index; no request may hold one. */
void pw_kb_live_free(pw_kb_live *live);

#endif
