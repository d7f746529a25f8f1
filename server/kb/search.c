/* Retrieval over the in-memory index (index.h): bm25 over the words of a message, plus the
 * articles linked to its intent, with boosts for the intent link and for a variant on the
 * customer's page. The message is only ever cut into words: no query language to escape.
 * SPDX-License-Identifier: MIT */
#include "index_int.h"
#include "kb_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAX_TERMS  32 /* words of a message that go into the query */
#define TEXT_MAX   40 /* text candidates */
#define INTENT_MAX 20 /* intent-linked candidates */
#define BM25_K1    1.2
#define BM25_B     0.75
#define W_TITLE    4.0 /* a word in the title counts four times one in the body */

/* Words that carry no topic. Without them "why can't I export to PDF" asks for "export" and
 * "pdf" only, and bm25 is not pulled towards whichever article says "why" most often. */
static const char *const stop_words[] = {
    "about",   "am",    "an",   "and",    "any",    "are",   "as",   "at",     "be",    "been",
    "but",     "by",    "can",  "can't",  "cannot", "could", "did",  "didn't", "do",    "does",
    "doesn't", "don't", "for",  "from",   "get",    "got",   "had",  "has",    "have",  "he",
    "her",     "here",  "him",  "his",    "how",    "i'm",   "i've", "if",     "in",    "into",
    "is",      "isn't", "it",   "it's",   "its",    "just",  "me",   "my",     "no",    "not",
    "of",      "on",    "or",   "our",    "please", "she",   "so",   "some",   "than",  "that",
    "the",     "their", "them", "then",   "there",  "these", "they", "this",   "those", "to",
    "too",     "us",    "was",  "wasn't", "we",     "were",  "what", "when",   "where", "which",
    "who",     "why",   "will", "with",   "won't",  "would", "you",  "your",   NULL};

/* Lowercases ASCII and turns ’ into ' for the stop-word comparison. */
static void fold_ascii(const char *w, size_t n, char *out, size_t cap) {
    size_t j = 0;
    for (size_t i = 0; i < n && j + 1 < cap; i++) {
        unsigned char c = (unsigned char)w[i];
        if (c == 0xE2 && i + 2 < n && (unsigned char)w[i + 1] == 0x80 &&
            (unsigned char)w[i + 2] == 0x99) {
            out[j++] = '\'';
            i += 2;
        } else {
            out[j++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
        }
    }
    out[j] = '\0';
}

int pw__kb_is_stop_word(const char *w, size_t n) {
    char folded[PW_KB_TERM_MAX + 1];
    fold_ascii(w, n, folded, sizeof folded);
    for (int i = 0; stop_words[i]; i++) /* the first byte rules out nearly all of them */
        if (stop_words[i][0] == folded[0] && strcmp(folded, stop_words[i]) == 0)
            return 1;
    return 0;
}

/* The query: the index's term runs its words match. */
typedef struct query {
    uint32_t lo[MAX_TERMS], hi[MAX_TERMS];
    char keys[MAX_TERMS][PW_KB_KEY_CAP];
    int count;
} query;

/* Adds the terms of one part of a word unless it is too short, has no key, or is already in. */
static void add_part(const pw_kb_index *ix, const char *s, size_t n, int prefix, query *q) {
    if (q->count >= MAX_TERMS || n < 2) /* a word of many parts can fill the query by itself */
        return;
    char *key = q->keys[q->count];
    size_t len = pw__kb_term_key(s, n, key, PW_KB_KEY_CAP);
    if (len == 0)
        return;
    for (int i = 0; i < q->count; i++)
        if (strcmp(q->keys[i], key) == 0)
            return;
    pw__kb_index_terms(ix, key, len, prefix, &q->lo[q->count], &q->hi[q->count]);
    q->count++;
}

/* The query for text. With `typing`, a last word that runs to the end of the text may be
 * unfinished, so it also matches the words it begins ("expo" finds "export"); a space after it
 * says it is whole. */
static void build_query(const pw_kb_index *ix, const char *text, size_t len, int typing, query *q) {
    pw__kb_span word, part;
    q->count = 0;
    for (size_t pos = 0; q->count < MAX_TERMS && pw__kb_next_word(text, len, &pos, &word);) {
        if (word.len < 2 || word.len > PW_KB_TERM_MAX ||
            pw__kb_is_stop_word(text + word.start, word.len))
            continue;
        for (size_t ppos = 0; pw__kb_next_part(text, &word, &ppos, &part);) {
            int last = part.start + part.len == len;
            add_part(ix, text + part.start, part.len, typing && last, q);
        }
    }
}

typedef struct candidate {
    uint32_t doc;
    double text;  /* bm25: higher is better; 0 without a text match */
    double score; /* text plus the boosts */
    int intent, route;
} candidate;

/* Per-search scratch, one slot per article: accumulated score and one term's weighted hits. */
typedef struct scratch {
    double *score, *tf;
    uint32_t *touched, *term_docs; /* articles with a score; articles with this term */
    uint32_t touched_count;
} scratch;

/* FTS5's idf: log((N - n + 0.5) / (n + 0.5)), at least 1e-6, so a word in half the articles
 * or more still counts a little. */
static double idf(uint32_t n_docs, uint32_t with_term) {
    double v = log(((double)n_docs - with_term + 0.5) / (with_term + 0.5));
    return v > 1e-6 ? v : 1e-6;
}

/* Adds one query term's bm25 to every article it is in (a prefix may be several terms). */
static void score_term(const pw_kb_index *ix, uint32_t lo, uint32_t hi, scratch *s) {
    uint32_t n = 0;
    for (uint32_t t = lo; t < hi; t++) {
        const pw__kb_term *term = &ix->terms[t];
        for (uint32_t i = 0; i < term->count; i++) {
            const pw__kb_posting *p = &ix->postings[term->first + i];
            if (s->tf[p->doc] == 0)
                s->term_docs[n++] = p->doc;
            s->tf[p->doc] += W_TITLE * p->title + p->body;
        }
    }
    double w = idf(ix->doc_count, n);
    for (uint32_t i = 0; i < n; i++) {
        uint32_t d = s->term_docs[i];
        double tf = s->tf[d], norm = 1 - BM25_B + BM25_B * ix->docs[d].length / ix->avg_length;
        if (s->score[d] == 0)
            s->touched[s->touched_count++] = d;
        s->score[d] += w * tf * (BM25_K1 + 1) / (tf + BM25_K1 * norm);
        s->tf[d] = 0;
    }
}

/* 1 when a ranks after b by text: a lower text score, then a higher doc. */
static int ranks_after(const candidate *a, const candidate *b) {
    return a->text != b->text ? a->text < b->text : a->doc > b->doc;
}

/* Offers a candidate to `best`, a heap of at most TEXT_MAX kept with the one that ranks last on
 * top: a large knowledge base touches thousands of articles, and sorting them all to keep 40
 * was most of a search. */
static void keep_best(candidate *best, int *n, candidate c) {
    int i;
    if (*n < TEXT_MAX) {
        for (i = (*n)++; i > 0 && ranks_after(&c, &best[(i - 1) / 2]); i = (i - 1) / 2)
            best[i] = best[(i - 1) / 2];
    } else if (ranks_after(&best[0], &c)) {
        for (i = 0;;) { /* sift the newcomer down from the top */
            int child = 2 * i + 1;
            if (child >= *n)
                break;
            if (child + 1 < *n && ranks_after(&best[child + 1], &best[child]))
                child++;
            if (!ranks_after(&best[child], &c))
                break;
            best[i] = best[child];
            i = child;
        }
    } else {
        return;
    }
    best[i] = c;
}

/* Scratch for a knowledge base of up to STACK_DOCS articles lives on the stack (6 KB): on the
 * heap it was four blocks to allocate, clear and free per message. */
#define STACK_DOCS 256

/* The TEXT_MAX articles with the best text scores, in no particular order, into cand. */
static int text_candidates(const pw_kb_index *ix, const query *q, candidate *cand, int *n) {
    if (q->count == 0 || ix->doc_count == 0)
        return 0;
    double stack_score[STACK_DOCS], stack_tf[STACK_DOCS];
    uint32_t stack_touched[STACK_DOCS], stack_term_docs[STACK_DOCS];
    int on_stack = ix->doc_count <= STACK_DOCS;
    scratch s = {stack_score, stack_tf, stack_touched, stack_term_docs, 0};
    if (on_stack) {
        memset(stack_score, 0, ix->doc_count * sizeof(double));
        memset(stack_tf, 0, ix->doc_count * sizeof(double));
    } else {
        s = (scratch){calloc(ix->doc_count, sizeof(double)), calloc(ix->doc_count, sizeof(double)),
                      malloc(ix->doc_count * sizeof(uint32_t)),
                      malloc(ix->doc_count * sizeof(uint32_t)), 0};
    }
    int rc = s.score && s.tf && s.touched && s.term_docs ? 0 : -1;
    for (int i = 0; rc == 0 && i < q->count; i++)
        score_term(ix, q->lo[i], q->hi[i], &s);
    int kept = 0;
    for (uint32_t i = 0; rc == 0 && i < s.touched_count; i++)
        keep_best(cand + *n, &kept, (candidate){s.touched[i], s.score[s.touched[i]], 0, 0, 0});
    *n += kept; /* in heap order: rank() sorts every candidate by its final score */
    if (!on_stack) {
        free(s.score);
        free(s.tf);
        free(s.touched);
        free(s.term_docs);
    }
    return rc;
}

static void intent_candidates(const pw_kb_index *ix, const char *intent, candidate *cand, int *n) {
    size_t lo, hi;
    pw__kb_index_links(ix, intent, &lo, &hi);
    for (size_t l = lo; l < hi && l - lo < INTENT_MAX; l++) {
        uint32_t doc = ix->links[l].doc;
        int found = 0;
        for (int j = 0; j < *n && !found; j++)
            if (cand[j].doc == doc)
                found = cand[j].intent = 1;
        if (!found)
            cand[(*n)++] = (candidate){doc, 0, 0, 1, 0};
    }
}

static int on_page(const pw_kb_article *a, const char *route, const char *page_id) {
    for (size_t i = 0; i < a->variant_count; i++) {
        const pw_kb_variant *v = &a->variants[i];
        if ((route && v->route && strcmp(v->route, route) == 0) ||
            (page_id && v->page_id && strcmp(v->page_id, page_id) == 0))
            return 1;
    }
    return 0;
}

/* The boosts are fractions of the best text score (plus a floor for intent-only results), so
 * an intent link or a page match reorders close text matches without drowning a clear one. */
static double score(const candidate *k, double best) {
    return (k->text > 0 ? k->text : 0) + (k->intent ? 0.5 * best + 1.0 : 0.0) +
           (k->route ? 0.25 * best + 0.5 : 0.0);
}

/* 1 when a ranks after b in the results: a lower score, then a higher doc. */
static int scores_after(const candidate *a, const candidate *b) {
    return a->score != b->score ? a->score < b->score : a->doc > b->doc;
}

/* Sorts cand[0..n) best first. The order is total (the doc breaks ties), so any sort gives the
 * same list; with at most TEXT_MAX + INTENT_MAX candidates, insertion sort moves less than
 * qsort's merge buffer and indirect calls cost. */
static void sort_by_score(candidate *cand, int n) {
    for (int i = 1; i < n; i++) {
        candidate x = cand[i];
        int j = i;
        for (; j > 0 && scores_after(&cand[j - 1], &x); j--)
            cand[j] = cand[j - 1];
        cand[j] = x;
    }
}

static void rank(const pw_kb_index *ix, candidate *cand, int n, const char *route,
                 const char *page_id) {
    double best = 0;
    for (int i = 0; i < n; i++) {
        cand[i].route = on_page(&ix->docs[cand[i].doc].article, route, page_id);
        best = cand[i].text > best ? cand[i].text : best;
    }
    for (int i = 0; i < n; i++)
        cand[i].score = score(&cand[i], best);
    sort_by_score(cand, n);
}

static void copy_text(char *dst, size_t cap, const char *s) {
    size_t n = s ? pw__kb_utf8_cut(s, strlen(s), cap - 1) : 0;
    memcpy(dst, s ? s : "", n);
    dst[n] = '\0';
}

/* The snippet of a hit: its body around the query's matches (start of the body without any). */
static void snippet(const pw_kb_index *ix, const query *q, uint32_t doc, char *out) {
    const pw__kb_doc *d = &ix->docs[doc];
    int8_t *match = malloc(d->body_count + 1);
    if (!match) {
        pw__kb_snippet_copy(out, d->article.body);
        return;
    }
    for (uint32_t k = 0; k < d->body_count; k++) {
        int32_t t = d->body[k].term;
        match[k] = -1;
        for (int i = 0; i < q->count && t >= 0 && match[k] < 0; i++)
            if ((uint32_t)t >= q->lo[i] && (uint32_t)t < q->hi[i])
                match[k] = (int8_t)i;
    }
    pw__kb_snippet(d->article.body, d->body, d->body_count, match, out);
    free(match);
}

static void describe(const pw_kb_index *ix, const query *q, const candidate *k, int details,
                     pw_kb_hit *h) {
    const pw_kb_article *a = &ix->docs[k->doc].article;
    memset(h, 0, sizeof *h);
    h->id = a->id;
    h->intent_match = k->intent;
    h->route_match = k->route;
    h->score = k->score;
    if (!details)
        return;
    h->human_only = a->human_only;
    copy_text(h->plan_required, sizeof h->plan_required, a->plan_required);
    copy_text(h->slug, sizeof h->slug, a->slug);
    copy_text(h->title, sizeof h->title, a->title);
    snippet(ix, q, k->doc, h->snippet);
}

enum { SEARCH_DETAILS = 1, SEARCH_TYPING = 2 };

static int search(const pw_kb_index *ix, const char *text, size_t len, const char *intent,
                  const char *route, const char *page_id, int flags, pw_kb_hit *out, int cap) {
    if (cap <= 0)
        return 0;
    /* On the stack (8 KB): as heap blocks over 1 KiB they took glibc's slow path on every
     * message, sweeping the small blocks the request had freed. So is the scoring's scratch for
     * a knowledge base of up to STACK_DOCS articles (text_candidates). */
    query q;
    candidate cand[TEXT_MAX + INTENT_MAX];
    int n = 0;
    q.count = 0;
    if (text)
        build_query(ix, text, len, flags & SEARCH_TYPING, &q);
    int rc = text_candidates(ix, &q, cand, &n);
    if (rc == 0 && intent && *intent)
        intent_candidates(ix, intent, cand, &n);
    if (rc == 0) {
        rank(ix, cand, n, route, page_id);
        for (int i = 0; i < n && i < cap; i++)
            describe(ix, &q, &cand[i], flags & SEARCH_DETAILS, &out[i]);
    }
    return rc == 0 ? (n < cap ? n : cap) : -1;
}

int pw_kb_search(const pw_kb_index *ix, const char *text, size_t len, const char *intent,
                 const char *route, const char *page_id, pw_kb_hit *out, int cap) {
    return search(ix, text, len, intent, route, page_id, SEARCH_DETAILS, out, cap);
}

int pw_kb_search_typing(const pw_kb_index *ix, const char *text, size_t len, const char *intent,
                        const char *route, const char *page_id, pw_kb_hit *out, int cap) {
    return search(ix, text, len, intent, route, page_id, SEARCH_DETAILS | SEARCH_TYPING, out, cap);
}

int pw_kb_rank(const pw_kb_index *ix, const char *text, size_t len, const char *intent,
               const char *route, const char *page_id, pw_kb_hit *out, int cap) {
    return search(ix, text, len, intent, route, page_id, 0, out, cap);
}
