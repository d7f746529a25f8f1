/* The layout of the in-memory knowledge-base index, for the files that build and search it.
 * SPDX-License-Identifier: MIT */
#ifndef PW_KB_INDEX_INT_H
#define PW_KB_INDEX_INT_H

#include "index.h"

#include <stdint.h>

/* One article's hits of one term, per field. */
typedef struct pw__kb_posting {
    uint32_t doc;
    uint32_t title, body;
} pw__kb_posting;

/* A term: its key (folded and stemmed) and its postings, in doc order. Terms are sorted by key
 * bytes, so the terms a prefix begins are one run. */
typedef struct pw__kb_term {
    const char *key;
    uint32_t key_len;
    uint32_t first, count; /* postings[first .. first + count) */
} pw__kb_term;

/* A part of the body as it was indexed: its bytes in the body and its term (-1: none). */
typedef struct pw__kb_token {
    uint32_t start, len;
    int32_t term;
} pw__kb_token;

typedef struct pw__kb_doc {
    pw_kb_article article;
    uint32_t length; /* tokens in title and body: bm25's document length */
    pw__kb_token *body;
    uint32_t body_count;
} pw__kb_doc;

/* An intent → article link; sorted by intent, then doc. */
typedef struct pw__kb_link {
    const char *intent;
    uint32_t doc;
} pw__kb_link;

struct pw_kb_index {
    pw__kb_doc *docs; /* by article id */
    uint32_t doc_count;
    pw__kb_term *terms;
    uint32_t term_count;
    pw__kb_posting *postings;
    char *keys; /* the terms' key bytes */
    pw__kb_link *links;
    size_t link_count;
    double avg_length;
    int refs; /* readers holding it (pw_kb_live) */
};

/* Grows the array *p of *cap elements of `size` bytes to hold at least `need`, doubling. 0, or
 * -1 when out of memory (*p and *cap unchanged). */
int pw__kb_grow(void **p, size_t *cap, size_t need, size_t size);

/* Fills ix's terms, postings, keys, document lengths and body tokens from its documents. 0, or
 * -1 when out of memory (what was filled is freed with the index). */
int pw__kb_index_fill(pw_kb_index *ix);

/* The run [*lo, *hi) of terms whose key is key[0..len), or, with `prefix`, begins with it. */
void pw__kb_index_terms(const pw_kb_index *ix, const char *key, size_t len, int prefix,
                        uint32_t *lo, uint32_t *hi);

/* The run [*lo, *hi) of links for `intent`. */
void pw__kb_index_links(const pw_kb_index *ix, const char *intent, size_t *lo, size_t *hi);

/* Copies a snippet (or the start of a body) into dst (512 bytes) within 300 bytes: cut at a
 * character boundary, never inside a marker, an open <mark> closed, the cut shown as "…". */
void pw__kb_snippet_copy(char *dst, const char *s);

/* The snippet of a body cut into tok[0..n): 24 parts around the best cluster of matches, each
 * part with match[i] >= 0 (the query term it matched, 0..31) marked, "…" where the body goes
 * on; the start of the body when nothing matched. Written into out (512 bytes). */
void pw__kb_snippet(const char *body, const pw__kb_token *tok, uint32_t n, const int8_t *match,
                    char *out);

#endif
