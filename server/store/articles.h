/* Knowledge-base articles in the store: one function per query over the tables articles,
 * article_variants (steps as a JSON array) and article_intents (the intent → article links the
 * pipeline looks up). Retrieval reads an index in memory built from these (kb/index.h).
 * Writes run inside a writer job (writer.h) on the writer's connection; reads on any connection.
 * SPDX-License-Identifier: MIT */
#ifndef PW_STORE_ARTICLES_H
#define PW_STORE_ARTICLES_H

#include "../kb/kb.h"
#include "conn.h"

#include <stdint.h>

#define PW_ARTICLE_ENOTFOUND (-2) /* no article with that id */
#define PW_ARTICLE_ECONFLICT (-3) /* another article has that slug */

/* Inserts `a` with its variants and intents (a->id is ignored) and sets a->id, a->created_at
 * and a->updated_at to now_ms. Returns the new id, PW_ARTICLE_ECONFLICT, or -1 on a store
 * error; after a failure the caller's job must return a negative value so its savepoint rolls
 * back. Borrows `a`. */
int64_t pw_store_article_insert(pw_conn *c, pw_kb_article *a, int64_t now_ms);

/* Replaces article a->id with `a` (variants and intents replaced, created_at kept and copied
 * into a->created_at, updated_at = now_ms). Returns 0, PW_ARTICLE_ENOTFOUND,
 * PW_ARTICLE_ECONFLICT or -1, with the same rollback rule as insert. */
int pw_store_article_update(pw_conn *c, pw_kb_article *a, int64_t now_ms);

/* Deletes article `id` with its variants and intent links. Returns 0, PW_ARTICLE_ENOTFOUND or
 * -1. */
int pw_store_article_delete(pw_conn *c, int64_t id);

/* Reads article `id` into *out (caller frees with pw_kb_article_free, also after a failure).
 * Returns 0, PW_ARTICLE_ENOTFOUND or -1. */
int pw_store_article_get(pw_conn *c, int64_t id, pw_kb_article *out);

/* The ids after `after_id` in id order (only published ones when `published_only`), at most
 * `cap`. Returns their number or -1. */
int pw_store_article_list(pw_conn *c, int64_t after_id, int published_only, int64_t *ids, int cap);

/* The ids of the articles linked to `intent` in id order (only published ones when
 * `published_only`), at most `cap`. Returns their number or -1. */
int pw_store_article_ids_for_intent(pw_conn *c, const char *intent, int published_only,
                                    int64_t *ids, int cap);

/* How many articles the store has, published or not; -1 on error. */
int64_t pw_store_article_count(pw_conn *c);

#endif
