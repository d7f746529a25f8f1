/* Filling the index's terms and postings (index_int.h, pw__kb_index_fill). A knowledge base
 * repeats a few thousand words many times, so each distinct spelling is folded and stemmed
 * once (a dictionary from the spelling to its term), occurrences carry term numbers, and a
 * counting sort by term groups them: only the distinct terms are sorted by key. Sorting every
 * occurrence by its key and stemming every word again was most of a rebuild.
 * SPDX-License-Identifier: MIT */
#include "index_int.h"
#include "kb_int.h"

#include <stdlib.h>
#include <string.h>

/* Open addressing from bytes to a number; the bytes are not copied (they outlive the map). */
typedef struct entry {
    const char *bytes; /* NULL: empty */
    uint32_t len, hash, value;
} entry;

typedef struct dict {
    entry *slots;
    size_t cap, count; /* cap is a power of two, at most half full */
} dict;

/* One occurrence of a term while building: numbers only. */
typedef struct occurrence {
    uint32_t term, doc, body_token; /* body_token: UINT32_MAX for the title */
} occurrence;

/* A term while building: its key (a copy of its own, so the dictionary's pointer stays good). */
typedef struct term_key {
    char *key;
    uint32_t len, term;
} term_key;

typedef struct builder {
    pw_kb_index *ix;
    dict spellings, keys; /* a part's bytes -> term; a term's key -> term */
    term_key *terms;      /* by term number */
    size_t term_count, term_cap;
    occurrence *occ;
    size_t occ_count, occ_cap;
} builder;

int pw__kb_grow(void **p, size_t *cap, size_t need, size_t size) {
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

static uint32_t fnv1a(const char *s, size_t n) {
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h;
}

/* The slot of s[0..n) in d: its entry, or the empty slot where it would go. */
static entry *slot(const dict *d, const char *s, size_t n, uint32_t hash) {
    for (size_t i = hash & (d->cap - 1);; i = (i + 1) & (d->cap - 1)) {
        entry *e = &d->slots[i];
        if (!e->bytes || (e->hash == hash && e->len == n && memcmp(e->bytes, s, n) == 0))
            return e;
    }
}

static int rehash(dict *d) {
    dict bigger = {calloc(d->cap ? d->cap * 2 : 1024, sizeof(entry)), d->cap ? d->cap * 2 : 1024,
                   d->count};
    if (!bigger.slots)
        return -1;
    for (size_t i = 0; i < d->cap; i++)
        if (d->slots[i].bytes)
            *slot(&bigger, d->slots[i].bytes, d->slots[i].len, d->slots[i].hash) = d->slots[i];
    free(d->slots);
    *d = bigger;
    return 0;
}

/* Adds bytes -> value (the bytes are not in d yet). 0, or -1 when out of memory. */
static int put(dict *d, const char *s, size_t n, uint32_t hash, uint32_t value) {
    if (2 * (d->count + 1) > d->cap && rehash(d))
        return -1;
    *slot(d, s, n, hash) = (entry){s, (uint32_t)n, hash, value};
    d->count++;
    return 0;
}

/* The term of key[0..len), added when new. UINT32_MAX when out of memory. */
static uint32_t term_of_key(builder *b, const char *key, size_t len) {
    uint32_t hash = fnv1a(key, len);
    entry *e = b->keys.cap ? slot(&b->keys, key, len, hash) : NULL;
    if (e && e->bytes)
        return e->value;
    char *copy = malloc(len + 1);
    if (!copy || b->term_count >= UINT32_MAX - 2 ||
        pw__kb_grow((void **)&b->terms, &b->term_cap, b->term_count + 1, sizeof *b->terms)) {
        free(copy);
        return UINT32_MAX;
    }
    memcpy(copy, key, len);
    copy[len] = '\0';
    uint32_t term = (uint32_t)b->term_count;
    b->terms[b->term_count++] = (term_key){copy, (uint32_t)len, term};
    return put(&b->keys, copy, len, hash, term) ? UINT32_MAX : term;
}

/* The term of a part of an article (its bytes stay put while the index lives), or
 * UINT32_MAX - 1 when the part has no key; UINT32_MAX when out of memory. */
static uint32_t term_of_part(builder *b, const char *s, size_t n) {
    uint32_t hash = fnv1a(s, n);
    entry *e = b->spellings.cap ? slot(&b->spellings, s, n, hash) : NULL;
    if (e && e->bytes)
        return e->value;
    char key[PW_KB_KEY_CAP];
    size_t len = pw__kb_term_key(s, n, key, sizeof key);
    uint32_t term = len ? term_of_key(b, key, len) : UINT32_MAX - 1;
    if (term == UINT32_MAX || put(&b->spellings, s, n, hash, term))
        return UINT32_MAX;
    return term;
}

static int add_occurrence(builder *b, uint32_t term, uint32_t doc, uint32_t tok) {
    if (pw__kb_grow((void **)&b->occ, &b->occ_cap, b->occ_count + 1, sizeof *b->occ))
        return -1;
    b->occ[b->occ_count++] = (occurrence){term, doc, tok};
    return 0;
}

/* Cuts one field into parts; each part is a token (counted in the document length) and, when it
 * has a key, an occurrence. Body tokens are kept for snippets. */
static int index_field(builder *b, uint32_t doc, const char *text, int is_body) {
    pw__kb_doc *d = &b->ix->docs[doc];
    size_t len = strlen(text), pos = 0, cap = d->body_count;
    pw__kb_span word, part;
    while (pw__kb_next_word(text, len, &pos, &word)) {
        for (size_t ppos = 0; pw__kb_next_part(text, &word, &ppos, &part);) {
            uint32_t term = term_of_part(b, text + part.start, part.len), tok = UINT32_MAX;
            if (term == UINT32_MAX)
                return -1;
            if (is_body) {
                if (pw__kb_grow((void **)&d->body, &cap, d->body_count + 1, sizeof *d->body))
                    return -1;
                tok = d->body_count++;
                d->body[tok] = (pw__kb_token){(uint32_t)part.start, (uint32_t)part.len, -1};
            }
            d->length++;
            if (term != UINT32_MAX - 1 && add_occurrence(b, term, doc, tok))
                return -1;
        }
    }
    return 0;
}

static int by_key(const void *x, const void *y) {
    const term_key *a = x, *b = y;
    size_t n = a->len < b->len ? a->len : b->len;
    int c = memcmp(a->key, b->key, n);
    return c ? c : a->len < b->len ? -1 : a->len > b->len;
}

/* Sorts the terms by key and writes them into the index (keys in one block); rank[term] is a
 * term's place in that order, which is its number in the index. */
static int place_terms(builder *b, uint32_t *rank) {
    pw_kb_index *ix = b->ix;
    qsort(b->terms, b->term_count, sizeof *b->terms, by_key);
    size_t bytes = 0;
    for (size_t i = 0; i < b->term_count; i++)
        bytes += b->terms[i].len;
    ix->keys = malloc(bytes + 1);
    ix->terms = calloc(b->term_count + 1, sizeof *ix->terms);
    if (!ix->keys || !ix->terms)
        return -1;
    for (size_t i = 0, at = 0; i < b->term_count; at += b->terms[i++].len) {
        memcpy(ix->keys + at, b->terms[i].key, b->terms[i].len);
        ix->terms[i] = (pw__kb_term){ix->keys + at, b->terms[i].len, 0, 0};
        rank[b->terms[i].term] = (uint32_t)i;
    }
    ix->term_count = (uint32_t)b->term_count;
    return 0;
}

/* Counting sort of the occurrences by term rank; stable, so each term's stay in doc order. */
static occurrence *by_rank(const builder *b, const uint32_t *rank) {
    size_t *start = calloc(b->term_count + 1, sizeof *start);
    occurrence *sorted = malloc((b->occ_count + 1) * sizeof *sorted);
    if (start && sorted) {
        for (size_t i = 0; i < b->occ_count; i++)
            start[rank[b->occ[i].term] + 1]++;
        for (size_t t = 0; t < b->term_count; t++)
            start[t + 1] += start[t];
        for (size_t i = 0; i < b->occ_count; i++) {
            occurrence o = b->occ[i];
            o.term = rank[o.term];
            sorted[start[o.term]++] = o;
        }
    } else {
        free(sorted), sorted = NULL;
    }
    free(start);
    return sorted;
}

/* Postings from the occurrences sorted by term, and each body token told its term. */
static int group(pw_kb_index *ix, const occurrence *occ, size_t count) {
    if (!(ix->postings = malloc((count + 1) * sizeof *ix->postings)))
        return -1;
    pw__kb_posting *p = NULL;
    uint32_t postings = 0;
    for (size_t i = 0; i < count; i++) {
        const occurrence *o = &occ[i];
        pw__kb_term *t = &ix->terms[o->term];
        if (i == 0 || o->term != o[-1].term)
            t->first = postings, p = NULL;
        if (!p || p->doc != o->doc) {
            p = &ix->postings[postings++];
            *p = (pw__kb_posting){o->doc, 0, 0};
            t->count++;
        }
        if (o->body_token == UINT32_MAX)
            p->title++;
        else
            p->body++, ix->docs[o->doc].body[o->body_token].term = (int32_t)o->term;
    }
    return 0;
}

static int terms_and_postings(builder *b) {
    uint32_t *rank = malloc((b->term_count + 1) * sizeof *rank);
    int rc = rank && place_terms(b, rank) == 0 ? 0 : -1;
    occurrence *sorted = rc == 0 ? by_rank(b, rank) : NULL;
    rc = sorted ? group(b->ix, sorted, b->occ_count) : -1;
    free(sorted);
    free(rank);
    return rc;
}

static void builder_free(builder *b) {
    for (size_t i = 0; i < b->term_count; i++)
        free(b->terms[i].key);
    free(b->terms);
    free(b->spellings.slots);
    free(b->keys.slots);
    free(b->occ);
}

int pw__kb_index_fill(pw_kb_index *ix) {
    builder b;
    memset(&b, 0, sizeof b);
    b.ix = ix;
    size_t total = 0;
    int rc = 0;
    for (uint32_t d = 0; rc == 0 && d < ix->doc_count; d++) {
        const pw_kb_article *a = &ix->docs[d].article;
        rc = index_field(&b, d, a->title, 0) || index_field(&b, d, a->body, 1) ? -1 : 0;
        total += ix->docs[d].length;
    }
    ix->avg_length = ix->doc_count ? (double)total / ix->doc_count : 0;
    if (rc == 0)
        rc = terms_and_postings(&b);
    builder_free(&b);
    return rc;
}
