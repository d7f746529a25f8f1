/* Retrieval: FTS5 bm25 over the words of a message, plus the articles linked to its intent,
 * with boosts for the intent link and for a variant on the customer's page. The message never
 * reaches FTS5 as syntax: every word is quoted, so `NEAR(`, `*`, `^` or a stray quote is text.
 * SPDX-License-Identifier: MIT */
#include "kb.h"
#include "kb_int.h"
#include "../store/articles.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_TERMS     32  /* words of a message that go into the query */
#define TERM_MAX      64  /* bytes; a longer "word" is a pasted id or noise */
#define FTS_MAX       40  /* text candidates */
#define INTENT_MAX    20  /* intent-linked candidates */
#define SNIPPET_LIMIT 300 /* bytes of snippet, markers included */
#define QUERY_CAP     (MAX_TERMS * (TERM_MAX + 6) + 3) /* " OR " and quotes a term; " *" once; NUL */

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

/* The code point of a 2- or 3-byte sequence (4-byte ones are never punctuation here). */
static unsigned code_point(const unsigned char *s, size_t n) {
    if (n == 2)
        return ((s[0] & 0x1Fu) << 6) | (s[1] & 0x3Fu);
    if (n == 3)
        return ((s[0] & 0x0Fu) << 12) | ((s[1] & 0x3Fu) << 6) | (s[2] & 0x3Fu);
    return 0x10000;
}

/* Latin-1 symbols, general punctuation (curly quotes, dashes) and CJK punctuation separate
 * words like ASCII punctuation does. */
static int is_punctuation(unsigned cp) {
    return (cp >= 0x80 && cp <= 0xBF) || cp == 0xD7 || cp == 0xF7 ||
           (cp >= 0x2000 && cp <= 0x206F) || (cp >= 0x3000 && cp <= 0x303F);
}

static int ascii_alnum(unsigned char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* Bytes of the word character at s (0 when s is not in a word). An apostrophe inside a word
 * ("can't", "don’t") stays in it, so contractions can be recognised as stop words. */
static size_t word_char(const unsigned char *s, size_t n, int in_word) {
    if (ascii_alnum(s[0]))
        return 1;
    int next_alpha = 0;
    size_t k = s[0] < 0x80 ? (s[0] ? 1 : 0) : pw__kb_utf8_seq(s, n);
    if (k > 0 && k < n)
        next_alpha = ascii_alnum(s[k]);
    if (s[0] == '\'' || (k == 3 && code_point(s, 3) == 0x2019))
        return in_word && next_alpha ? k : 0;
    if (s[0] < 0x80 || k == 0 || is_punctuation(code_point(s, k)))
        return 0;
    return k;
}

/* Lowercases ASCII and turns ’ into ' for the stop-word comparison. */
static void fold(const char *w, size_t n, char *out, size_t cap) {
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

static int is_stop_word(const char *folded) {
    for (int i = 0; stop_words[i]; i++)
        if (strcmp(folded, stop_words[i]) == 0)
            return 1;
    return 0;
}

/* Appends "word" (or "word" *, a prefix query, when `prefix`) to the query unless it is a stop
 * word, too short, too long or already there. */
static void add_term(const char *w, size_t n, int prefix, char *q, size_t *qlen,
                     char terms[][TERM_MAX + 1], int *count) {
    char folded[TERM_MAX + 1];
    if (n < 2 || n > TERM_MAX || *count >= MAX_TERMS)
        return;
    fold(w, n, folded, sizeof folded);
    if (is_stop_word(folded))
        return;
    for (int i = 0; i < *count; i++)
        if (strcmp(terms[i], folded) == 0)
            return;
    memcpy(terms[(*count)++], folded, strlen(folded) + 1);
    *qlen += (size_t)snprintf(q + *qlen, QUERY_CAP - *qlen, "%s\"%.*s\"%s", *qlen ? " OR " : "",
                              (int)n, w, prefix ? " *" : "");
}

/* The FTS5 query for text: its words quoted and OR-ed. With `typing`, a last word that runs to
 * the end of the text may be unfinished, so it also matches the words it begins ("expo" finds
 * "export"); a space after it says it is whole. Returns the query's length (0: none). */
static size_t build_query(const char *text, size_t len, int typing, char q[QUERY_CAP]) {
    const unsigned char *u = (const unsigned char *)text;
    char terms[MAX_TERMS][TERM_MAX + 1];
    size_t qlen = 0, start = 0, i = 0;
    int count = 0, in_word = 0;
    q[0] = '\0';
    while (i <= len) {
        size_t k = i < len ? word_char(u + i, len - i, in_word) : 0;
        if (k > 0 && !in_word)
            start = i;
        if (k == 0 && in_word)
            add_term(text + start, i - start, typing && i == len, q, &qlen, terms, &count);
        in_word = k > 0;
        i += k > 0 ? k : 1;
    }
    return qlen;
}

typedef struct candidate {
    int64_t id;
    double text;  /* -bm25: higher is better; 0 without a text match */
    double score; /* text plus the boosts */
    int intent, route, has_snippet;
    char snippet[sizeof((pw_kb_hit *)0)->snippet];
} candidate;

/* Copies an FTS5 snippet (or the start of a body) within SNIPPET_LIMIT bytes: cut at a character
 * boundary, never inside a marker, with an open <mark> closed and the cut shown as "…". */
static void copy_snippet(char *dst, const char *s) {
    static const char open[] = "<mark>", close[] = "</mark>", ellipsis[] = "\xE2\x80\xA6";
    size_t len = strlen(s), i = 0, j = 0;
    int marked = 0;
    while (i < len) {
        int tag = s[i] == '<'; /* most bytes are text: skip the two comparisons */
        int is_open = tag && strncmp(s + i, open, 6) == 0;
        int is_close = tag && strncmp(s + i, close, 7) == 0;
        size_t k = is_open    ? 6
                   : is_close ? 7
                              : pw__kb_utf8_seq((const unsigned char *)s + i, len - i);
        k = k ? k : 1;
        /* Room for this piece plus, in the worst case, a closing marker and the ellipsis. */
        if (j + k + (sizeof close - 1) + (sizeof ellipsis - 1) > SNIPPET_LIMIT)
            break;
        memcpy(dst + j, s + i, k);
        marked = is_open ? 1 : is_close ? 0 : marked;
        i += k;
        j += k;
    }
    if (marked)
        j += (size_t)sprintf(dst + j, "%s", close);
    if (i < len)
        j += (size_t)sprintf(dst + j, "%s", ellipsis);
    dst[j] = '\0';
}

/* Candidates by bm25 alone: snippet() here would read every matching article's body, and only
 * the few hits returned need one (snippet_sql, below). ORDER BY names the score's alias: the
 * same bm25() written out again is evaluated again for every row. */
static const char fts_sql[] = "SELECT a.id, -bm25(articles_fts, 4.0, 1.0) AS text_score"
                              " FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid"
                              " WHERE articles_fts MATCH ?1 AND a.published = 1"
                              " ORDER BY text_score DESC, a.id LIMIT ?2";

/* Appends a candidate with no score or match yet. Its snippet is left as it is (it is read only
 * once has_snippet is set): clearing 512 bytes for each of up to 60 candidates was most of a
 * search's memset. */
static candidate *add_candidate(candidate *cand, int *n, int64_t id) {
    candidate *k = &cand[(*n)++];
    k->id = id;
    k->text = k->score = 0;
    k->intent = k->route = k->has_snippet = 0;
    return k;
}

static int text_candidates(pw_conn *c, const char *query, candidate *cand, int *n) {
    sqlite3_stmt *st = pw_conn_stmt(c, fts_sql);
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, query, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 2, FTS_MAX);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && *n < FTS_MAX)
        add_candidate(cand, n, sqlite3_column_int64(st, 0))->text = sqlite3_column_double(st, 1);
    sqlite3_reset(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

/* The snippets of several hits in one pass over the MATCH. Given `rowid = ?` (or `rowid IN`),
 * FTS5 would run the whole MATCH again for each id, which is most of a snippet's cost; with
 * the unary plus SQLite filters the matching rows itself and runs snippet() only for those
 * it keeps. */
static const char snippets_sql[] =
    "SELECT rowid, snippet(articles_fts, 1, '<mark>', '</mark>', '\xE2\x80\xA6', 24)"
    " FROM articles_fts WHERE articles_fts MATCH ?1"
    " AND +rowid IN (SELECT value FROM json_each(?2))";

/* Writes the JSON array of the ids of cand[0..n) that matched the text; returns how many. */
static int text_match_ids(const candidate *cand, int n, char *json, size_t cap) {
    size_t len = (size_t)snprintf(json, cap, "[");
    int count = 0;
    for (int i = 0; i < n; i++)
        if (cand[i].text > 0)
            len += (size_t)snprintf(json + len, cap - len, "%s%lld", count++ ? "," : "",
                                    (long long)cand[i].id);
    snprintf(json + len, cap - len, "]");
    return count;
}

static void take_snippet(candidate *cand, int n, int64_t id, const char *snip) {
    for (int i = 0; i < n; i++)
        if (cand[i].id == id && (cand[i].has_snippet = snip && *snip))
            copy_snippet(cand[i].snippet, snip);
}

/* The highlighted snippets of those of cand[0..n) that matched the text. 0, or -1 on error. */
static int fetch_snippets(pw_conn *c, const char *query, candidate *cand, int n) {
    char ids[(FTS_MAX + INTENT_MAX) * 21 + 3];
    if (!query[0] || text_match_ids(cand, n, ids, sizeof ids) == 0)
        return 0;
    sqlite3_stmt *st = pw_conn_stmt(c, snippets_sql);
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, query, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, ids, -1, SQLITE_STATIC);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        take_snippet(cand, n, sqlite3_column_int64(st, 0),
                     (const char *)sqlite3_column_text(st, 1));
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

static int intent_candidates(pw_conn *c, const char *intent, candidate *cand, int *n) {
    int64_t ids[INTENT_MAX];
    int m = pw_store_article_ids_for_intent(c, intent, 1, ids, INTENT_MAX);
    if (m < 0)
        return -1;
    for (int i = 0; i < m; i++) {
        int found = 0;
        for (int j = 0; j < *n && !found; j++)
            if (cand[j].id == ids[i])
                found = cand[j].intent = 1;
        if (!found)
            add_candidate(cand, n, ids[i])->intent = 1;
    }
    return 0;
}

static const char detail_sql[] =
    "SELECT a.slug, a.title, a.human_only, a.plan_required, substr(a.body, 1, 300)"
    " FROM articles a WHERE a.id = ?1";

static void copy_column(sqlite3_stmt *st, int i, char *dst, size_t cap) {
    const char *s = (const char *)sqlite3_column_text(st, i);
    size_t n = s ? pw__kb_utf8_cut(s, strlen(s), cap - 1) : 0;
    memcpy(dst, s ? s : "", n);
    dst[n] = '\0';
}

static void ranked_only(const candidate *k, pw_kb_hit *h) {
    memset(h, 0, sizeof *h);
    h->id = k->id;
    h->intent_match = k->intent;
    h->route_match = k->route;
    h->score = k->score;
}

/* Fills the hit for one ranked candidate. Returns 1, 0 when the article is gone, -1 on error. */
static int describe(pw_conn *c, const candidate *k, pw_kb_hit *h) {
    sqlite3_stmt *st = pw_conn_stmt(c, detail_sql);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, k->id);
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW)
        return rc == SQLITE_DONE ? 0 : -1;
    ranked_only(k, h);
    copy_column(st, 0, h->slug, sizeof h->slug);
    copy_column(st, 1, h->title, sizeof h->title);
    h->human_only = sqlite3_column_int(st, 2);
    copy_column(st, 3, h->plan_required, sizeof h->plan_required);
    if (k->has_snippet)
        memcpy(h->snippet, k->snippet, sizeof h->snippet);
    else if (sqlite3_column_text(st, 4))
        copy_snippet(h->snippet, (const char *)sqlite3_column_text(st, 4));
    sqlite3_reset(st);
    return 1;
}

static const char on_page_sql[] = "SELECT article_id FROM article_variants"
                                  " WHERE route = ?1 OR page_id = ?2";

/* Marks the candidates that have a variant for the page, in one query for all of them. An
 * article with several variants for the page is marked again: cheaper than DISTINCT, which
 * builds a temporary b-tree for every query. */
static int mark_page_matches(pw_conn *c, const char *route, const char *page_id, candidate *cand,
                             int n) {
    if (!route && !page_id)
        return 0;
    sqlite3_stmt *st = pw_conn_stmt(c, on_page_sql);
    if (!st)
        return -1;
    pw_bind_text_or_null(st, 1, route);
    pw_bind_text_or_null(st, 2, page_id);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(st, 0);
        for (int i = 0; i < n; i++)
            cand[i].route |= cand[i].id == id;
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

static int by_score(const void *x, const void *y) {
    const candidate *a = x, *b = y;
    if (a->score != b->score)
        return a->score > b->score ? -1 : 1;
    return a->id < b->id ? -1 : a->id > b->id;
}

/* The boosts are fractions of the best text score (plus a floor for intent-only results), so
 * an intent link or a page match reorders close text matches without drowning a clear one. */
static double score(const candidate *k, double best) {
    return (k->text > 0 ? k->text : 0) + (k->intent ? 0.5 * best + 1.0 : 0.0) +
           (k->route ? 0.25 * best + 0.5 : 0.0);
}

/* Scores every candidate, then (with `details`) reads details and snippets for the best `cap`
 * only. */
static int rank(pw_conn *c, const char *query, candidate *cand, int n, const char *route,
                const char *page_id, int details, pw_kb_hit *out, int cap) {
    if (mark_page_matches(c, route, page_id, cand, n))
        return -1;
    double best = 0;
    for (int i = 0; i < n; i++)
        best = cand[i].text > best ? cand[i].text : best;
    for (int i = 0; i < n; i++)
        cand[i].score = score(&cand[i], best);
    qsort(cand, (size_t)n, sizeof *cand, by_score);
    if (!details) {
        for (int i = 0; i < n && i < cap; i++)
            ranked_only(&cand[i], &out[i]);
        return n < cap ? n : cap;
    }
    /* Snippets for as many candidates as hits are still wanted: more only when an article
     * was deleted since the candidates were read. */
    int m = 0, fetched = 0;
    for (int i = 0; i < n && m < cap; i++) {
        if (i == fetched) {
            int more = n - i < cap - m ? n - i : cap - m;
            if (fetch_snippets(c, query, &cand[i], more))
                return -1;
            fetched += more;
        }
        int rc = describe(c, &cand[i], &out[m]);
        if (rc < 0)
            return -1;
        m += rc;
    }
    return m;
}

enum { SEARCH_DETAILS = 1, SEARCH_TYPING = 2 };

static int search(pw_conn *c, const char *text, size_t len, const char *intent, const char *route,
                  const char *page_id, int flags, pw_kb_hit *out, int cap) {
    if (cap <= 0)
        return 0;
    char query[QUERY_CAP];
    size_t qlen = text ? build_query(text, len, flags & SEARCH_TYPING, query) : 0;
    candidate *cand = malloc((FTS_MAX + INTENT_MAX) * sizeof *cand);
    if (!cand)
        return -1;
    int n = 0, rc = 0;
    if (qlen > 0)
        rc = text_candidates(c, query, cand, &n);
    if (rc == 0 && intent && *intent)
        rc = intent_candidates(c, intent, cand, &n);
    if (rc == 0)
        rc = rank(c, qlen ? query : "", cand, n, route, page_id, flags & SEARCH_DETAILS, out, cap);
    free(cand);
    return rc;
}

int pw_kb_search(pw_conn *c, const char *text, size_t len, const char *intent, const char *route,
                 const char *page_id, pw_kb_hit *out, int cap) {
    return search(c, text, len, intent, route, page_id, SEARCH_DETAILS, out, cap);
}

int pw_kb_search_typing(pw_conn *c, const char *text, size_t len, const char *intent,
                        const char *route, const char *page_id, pw_kb_hit *out, int cap) {
    return search(c, text, len, intent, route, page_id, SEARCH_DETAILS | SEARCH_TYPING, out, cap);
}

int pw_kb_rank(pw_conn *c, const char *text, size_t len, const char *intent, const char *route,
               const char *page_id, pw_kb_hit *out, int cap) {
    return search(c, text, len, intent, route, page_id, 0, out, cap);
}
