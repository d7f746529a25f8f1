/* Building and reading the in-memory knowledge-base index (index.h): take the articles, cut
 * title and body into terms, sort the occurrences by term, and group them into postings; the
 * intent links likewise. Reading them from the store is index_store.c.
 * SPDX-License-Identifier: MIT */
#include "index_int.h"
#include "kb_int.h"

#include <stdlib.h>
#include <string.h>

/* One term's occurrence in an article while building: its key in the key arena. */
typedef struct occurrence {
    const char *key;
    size_t key_off;
    uint32_t key_len, doc, body_token; /* body_token: UINT32_MAX for the title */
} occurrence;

typedef struct builder {
    pw_kb_index *ix;
    occurrence *occ;
    size_t occ_count, occ_cap;
    char *arena;
    size_t arena_len, arena_cap;
} builder;

static int grow(void **p, size_t *cap, size_t need, size_t size) {
    if (need <= *cap)
        return 0;
    size_t cap2 = *cap ? *cap * 2 : 1024;
    while (cap2 < need)
        cap2 *= 2;
    void *q = realloc(*p, cap2 * size);
    if (!q)
        return -1;
    *p = q;
    *cap = cap2;
    return 0;
}

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

static int add_occurrence(builder *b, const char *key, size_t len, uint32_t doc, uint32_t tok) {
    if (grow((void **)&b->occ, &b->occ_cap, b->occ_count + 1, sizeof *b->occ) ||
        grow((void **)&b->arena, &b->arena_cap, b->arena_len + len, 1))
        return -1;
    memcpy(b->arena + b->arena_len, key, len);
    b->occ[b->occ_count++] = (occurrence){NULL, b->arena_len, (uint32_t)len, doc, tok};
    b->arena_len += len;
    return 0;
}

/* Cuts one field into parts; each part is a token (counted in the document length) and, when it
 * has a key, an occurrence. Body tokens are kept for snippets. */
static int index_field(builder *b, uint32_t doc, const char *text, int is_body) {
    pw__kb_doc *d = &b->ix->docs[doc];
    size_t len = strlen(text), pos = 0, cap = 0;
    pw__kb_span word, part;
    while (pw__kb_next_word(text, len, &pos, &word)) {
        for (size_t ppos = 0; pw__kb_next_part(text, &word, &ppos, &part);) {
            char key[PW_KB_KEY_CAP];
            size_t klen = pw__kb_term_key(text + part.start, part.len, key, sizeof key);
            uint32_t tok = UINT32_MAX;
            if (is_body) {
                if (grow((void **)&d->body, &cap, d->body_count + 1, sizeof *d->body))
                    return -1;
                tok = d->body_count++;
                d->body[tok] = (pw__kb_token){(uint32_t)part.start, (uint32_t)part.len, -1};
            }
            d->length++;
            if (klen && add_occurrence(b, key, klen, doc, tok))
                return -1;
        }
    }
    return 0;
}

static int by_key_then_doc(const void *x, const void *y) {
    const occurrence *a = x, *b = y;
    size_t n = a->key_len < b->key_len ? a->key_len : b->key_len;
    int c = memcmp(a->key, b->key, n);
    if (c || a->key_len != b->key_len)
        return c ? c : a->key_len < b->key_len ? -1 : 1;
    return a->doc < b->doc ? -1 : a->doc > b->doc;
}

static int same_key(const occurrence *a, const occurrence *b) {
    return a->key_len == b->key_len && memcmp(a->key, b->key, a->key_len) == 0;
}

/* Groups the sorted occurrences into terms and postings, and tells each body token its term. */
static int group(builder *b) {
    pw_kb_index *ix = b->ix;
    ix->terms = malloc((b->occ_count + 1) * sizeof *ix->terms);
    ix->postings = malloc((b->occ_count + 1) * sizeof *ix->postings);
    if (!ix->terms || !ix->postings)
        return -1;
    pw__kb_term *t = NULL;
    pw__kb_posting *p = NULL;
    uint32_t postings = 0;
    for (size_t i = 0; i < b->occ_count; i++) {
        const occurrence *o = &b->occ[i];
        if (i == 0 || !same_key(o, o - 1)) {
            t = &ix->terms[ix->term_count++];
            *t = (pw__kb_term){ix->keys + o->key_off, o->key_len, postings, 0};
            p = NULL;
        }
        if (!p || p->doc != o->doc) {
            p = &ix->postings[postings++];
            *p = (pw__kb_posting){o->doc, 0, 0};
            t->count++;
        }
        if (o->body_token == UINT32_MAX)
            p->title++;
        else
            p->body++, ix->docs[o->doc].body[o->body_token].term = (int32_t)(t - ix->terms);
    }
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

static int index_docs(builder *b) {
    pw_kb_index *ix = b->ix;
    size_t total = 0;
    for (uint32_t d = 0; d < ix->doc_count; d++) {
        const pw_kb_article *a = &ix->docs[d].article;
        if (index_field(b, d, a->title, 0) || index_field(b, d, a->body, 1))
            return -1;
        total += ix->docs[d].length;
    }
    ix->avg_length = ix->doc_count ? (double)total / ix->doc_count : 0;
    /* The arena no longer moves: point the occurrences at their keys, then sort them. */
    ix->keys = b->arena;
    b->arena = NULL;
    for (size_t i = 0; i < b->occ_count; i++)
        b->occ[i].key = ix->keys + b->occ[i].key_off;
    qsort(b->occ, b->occ_count, sizeof *b->occ, by_key_then_doc);
    return group(b);
}

int pw_kb_index_new(pw_kb_article *articles, size_t count, pw_kb_index **out) {
    builder b = {calloc(1, sizeof(pw_kb_index)), NULL, 0, 0, NULL, 0, 0};
    int rc = b.ix && count < UINT32_MAX && take_docs(b.ix, articles, count) == 0 ? 0 : -1;
    for (size_t i = 0; rc != 0 && i < count; i++)
        pw_kb_article_free(&articles[i]); /* not moved in: still the caller's to lose */
    if (rc == 0)
        rc = index_docs(&b);
    if (rc == 0)
        rc = link_intents(b.ix);
    free(b.occ);
    free(b.arena);
    if (rc != 0) {
        pw_kb_index_free(b.ix);
        b.ix = NULL;
    }
    *out = b.ix;
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

size_t pw_kb_index_size(const pw_kb_index *ix) {
    return ix->doc_count;
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
