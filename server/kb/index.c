/* The in-memory knowledge-base index (index.h): take the articles, have index_build.c fill the
 * terms and postings, link the intents, and answer lookups. Reading the articles from the store
 * is index_store.c.
 * SPDX-License-Identifier: MIT */
#include "index_int.h"
#include "kb_int.h"

#include <stdlib.h>
#include <string.h>

static int by_article_id(const void *x, const void *y) {
    const pw__kb_doc *a = x, *b = y;
    return a->article.id < b->article.id ? -1 : a->article.id > b->article.id;
}

/* Moves the articles into the index's documents, in id order (lookups bisect on it). */
static int take_docs(pw_kb_index *ix, pw_kb_article *articles, size_t count) {
    if (!(ix->docs = calloc(count + 1, sizeof *ix->docs)))
        return -1;
    for (size_t i = 0; i < count; i++) {
        ix->docs[i].article = articles[i];
        memset(&articles[i], 0, sizeof articles[i]);
    }
    ix->doc_count = (uint32_t)count;
    qsort(ix->docs, count, sizeof *ix->docs, by_article_id);
    return 0;
}

static int by_intent_then_doc(const void *x, const void *y) {
    const pw__kb_link *a = x, *b = y;
    int c = strcmp(a->intent, b->intent);
    return c ? c : a->doc < b->doc ? -1 : a->doc > b->doc;
}

static int link_intents(pw_kb_index *ix) {
    size_t n = 0;
    for (uint32_t d = 0; d < ix->doc_count; d++)
        n += ix->docs[d].article.intent_count;
    if (!(ix->links = malloc((n + 1) * sizeof *ix->links)))
        return -1;
    for (uint32_t d = 0; d < ix->doc_count; d++)
        for (size_t i = 0; i < ix->docs[d].article.intent_count; i++)
            ix->links[ix->link_count++] = (pw__kb_link){ix->docs[d].article.intents[i], d};
    qsort(ix->links, ix->link_count, sizeof *ix->links, by_intent_then_doc);
    return 0;
}

int pw_kb_index_new(pw_kb_article *articles, size_t count, pw_kb_index **out) {
    pw_kb_index *ix = calloc(1, sizeof *ix);
    int rc = ix && count < UINT32_MAX && take_docs(ix, articles, count) == 0 ? 0 : -1;
    for (size_t i = 0; rc != 0 && i < count; i++)
        pw_kb_article_free(&articles[i]); /* not moved in: still the caller's to lose */
    if (rc == 0)
        rc = pw__kb_index_fill(ix);
    if (rc == 0)
        rc = link_intents(ix);
    if (rc != 0) {
        pw_kb_index_free(ix);
        ix = NULL;
    }
    *out = ix;
    return rc;
}

void pw_kb_index_free(pw_kb_index *ix) {
    if (!ix)
        return;
    for (uint32_t d = 0; d < ix->doc_count; d++) {
        pw_kb_article_free(&ix->docs[d].article);
        free(ix->docs[d].body);
    }
    free(ix->docs);
    free(ix->terms);
    free(ix->postings);
    free(ix->keys);
    free(ix->links);
    free(ix);
}

static long doc_of(const pw_kb_index *ix, int64_t id) {
    size_t lo = 0, hi = ix->doc_count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (ix->docs[mid].article.id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < ix->doc_count && ix->docs[lo].article.id == id ? (long)lo : -1;
}

const pw_kb_article *pw_kb_index_article(const pw_kb_index *ix, int64_t id) {
    long d = doc_of(ix, id);
    return d < 0 ? NULL : &ix->docs[d].article;
}

/* Compares a term's key with key[0..len), as a prefix when `prefix` (a longer key that begins
 * with it compares equal). */
static int key_cmp(const pw__kb_term *t, const char *key, size_t len, int prefix) {
    size_t n = t->key_len < len ? t->key_len : len;
    int c = memcmp(t->key, key, n);
    if (c)
        return c;
    if (t->key_len == len || (prefix && t->key_len > len))
        return 0;
    return t->key_len < len ? -1 : 1;
}

void pw__kb_index_terms(const pw_kb_index *ix, const char *key, size_t len, int prefix,
                        uint32_t *lo_out, uint32_t *hi_out) {
    uint32_t lo = 0, hi = ix->term_count;
    while (lo < hi) { /* first term not below the key */
        uint32_t mid = lo + (hi - lo) / 2;
        if (key_cmp(&ix->terms[mid], key, len, prefix) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    *lo_out = lo;
    hi = lo;
    while (hi < ix->term_count && key_cmp(&ix->terms[hi], key, len, prefix) == 0)
        hi++;
    *hi_out = hi;
}

void pw__kb_index_links(const pw_kb_index *ix, const char *intent, size_t *lo_out, size_t *hi_out) {
    size_t lo = 0, hi = ix->link_count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(ix->links[mid].intent, intent) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    *lo_out = lo;
    while (lo < ix->link_count && strcmp(ix->links[lo].intent, intent) == 0)
        lo++;
    *hi_out = lo;
}
