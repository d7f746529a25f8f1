/* The knowledge base: articles with per-page variants of their steps, the intents they answer,
 * and the plan their feature needs; strict JSON intake and output; retrieval (bm25 over an
 * in-memory index plus the intent's articles, boosted for the customer's page); composing the
 * answer a customer sees; importing a KB file into an empty store. Storage itself is
 * store/articles.h.
 * SPDX-License-Identifier: MIT */
#ifndef PW_KB_H
#define PW_KB_H

#include "../api/request.h"
#include "../store/writer.h"

#include <cjson/cJSON.h>
#include <stddef.h>
#include <stdint.h>

/* Intake limits (a request over one of them is 400 invalid naming the field). */
#define PW_KB_SLUG_MAX     80
#define PW_KB_TITLE_MAX    200
#define PW_KB_BODY_MAX     32768
#define PW_KB_NOTE_MAX     2000 /* plan_note */
#define PW_KB_INTERNAL_MAX 4000 /* internal_note */
#define PW_KB_FEATURE_MAX  64
#define PW_KB_INTENT_MAX   64
#define PW_KB_ROUTE_MAX    256
#define PW_KB_PAGE_ID_MAX  128
#define PW_KB_STEP_MAX     500
#define PW_KB_MAX_VARIANTS 20
#define PW_KB_MAX_STEPS    30
#define PW_KB_MAX_INTENTS  20

/* The steps as they are on one page of the host app: matched by route, else by page_id (at
 * least one is set). */
typedef struct pw_kb_variant {
    char *route;   /* "/reports", or NULL */
    char *page_id; /* the host app's page id, or NULL */
    char **steps;  /* step_count non-empty strings */
    size_t step_count;
} pw_kb_variant;

/* One article. Every pointer is owned by the article (freed by pw_kb_article_free); optional
 * text is NULL when absent. */
typedef struct pw_kb_article {
    int64_t id; /* 0 before it is stored */
    char *slug, *title, *body;
    char *feature;       /* the host app feature it is about */
    char *plan_required; /* "free" | "starter" | "pro" | "enterprise" */
    char *plan_note;     /* what to tell customers below plan_required */
    char *internal_note; /* for agents only */
    char **intents;
    size_t intent_count;
    int human_only, published;
    int64_t created_at, updated_at; /* ms since the epoch */
    pw_kb_variant *variants;
    size_t variant_count;
} pw_kb_article;

/* Frees everything `a` owns and zeroes it (so a second call is harmless). NULL is allowed. */
void pw_kb_article_free(pw_kb_article *a);

/* Strict intake of an ArticleInput object, for the API (POST/PUT) and the seed import. Rejects
 * unknown keys, wrong types, an empty or blank title or body, text over the limits above or not
 * UTF-8, a slug not matching ^[a-z0-9]+(-[a-z0-9]+)*$ (at most 80 bytes), a plan_required other
 * than free|starter|pro|enterprise, an intent not matching ^[a-z0-9_]{1,64}$ or listed twice, a
 * variant without route and page_id, a route not starting with '/' or holding spaces, two
 * variants with one route, more than 20 variants, 30 steps or 20 intents. On success returns 0
 * and *out owns copies of every string (caller frees with pw_kb_article_free); published
 * defaults to 1, human_only to 0, id and times to 0. On failure returns -1, *out is left empty,
 * and *p names the field ("variants[2].steps[0]"). Borrows `obj`. */
int pw_kb_article_from_json(const cJSON *obj, pw_kb_article *out, pw_problem *p);

/* The API's Article object. internal_note is included only when `for_agent`. Returns a new
 * tree (caller frees with cJSON_Delete), or NULL when out of memory. */
cJSON *pw_kb_article_to_json(const pw_kb_article *a, int for_agent);

/* The rank of a plan (free 0 < starter 1 < pro 2 < enterprise 3), or -1 for NULL or any other
 * text. */
int pw_kb_plan_rank(const char *plan);

/* 1 when a feature that needs `plan_required` (an article's, or a search hit's) is above
 * `plan`, else 0. An unknown or NULL plan on either side blocks nothing: the caller knows the
 * plan whenever it matters (customers default to "free"). */
int pw_kb_plan_blocks(const char *plan_required, const char *plan);

/* One retrieval result. Text is NUL-terminated and cut at a UTF-8 boundary. */
typedef struct pw_kb_hit {
    int64_t id;
    double score;           /* higher is better; >= 0 */
    int route_match;        /* a variant is for the route (or page_id) asked about */
    int intent_match;       /* the article is linked to the intent asked about */
    int human_only;         /* agents may use it; the AI must not send it */
    char plan_required[16]; /* "" when none */
    char slug[96];
    char title[256];
    char snippet[512]; /* body text, matched terms between <mark> and </mark>; <= ~300 bytes */
} pw_kb_hit;

/* The published knowledge base in memory, with its term index (index.h). */
typedef struct pw_kb_index pw_kb_index;

/* Ranked retrieval over the published articles of `ix`, for the search endpoint and a
 * Ticket's suggested articles (the pipeline ranks with pw_kb_rank). `text` (len bytes, any bytes)
 * is cut into words; stop words and one-letter words are dropped, and each remaining word is folded
 * (case, diacritics) and stemmed (Porter), as the articles were, so "exporting" finds "export".
 * Text with no usable word has no text hits. The text score is bm25 (k1 1.2, b 0.75) over title
 * (weight 4) and body (1), with SQLite FTS5's idf. Articles linked to `intent` join the candidates
 * even when the text does not match. The score adds a boost for the intent link and for a variant
 * on `route` (or `page_id`); the boosts scale with the best text score, so they weigh the same in a
 * small and a large knowledge base. `intent`, `route`, `page_id` may be NULL. Writes at most `cap`
 * hits, best first (ties by id), each with a snippet of the body around the words matched, and
 * returns their number, or -1 when out of memory. Reads `ix` only: safe concurrently. */
int pw_kb_search(const pw_kb_index *ix, const char *text, size_t len, const char *intent,
                 const char *route, const char *page_id, pw_kb_hit *out, int cap);

/* pw_kb_search for text the user is still typing: a last word that runs to the end of `text`
 * may be unfinished, so it also matches the words it begins ("expo" finds "export"), and its
 * snippets mark what it matched; a space after it says the word is whole. Same arguments,
 * returns and thread safety as pw_kb_search. */
int pw_kb_search_typing(const pw_kb_index *ix, const char *text, size_t len, const char *intent,
                        const char *route, const char *page_id, pw_kb_hit *out, int cap);

/* pw_kb_search's ranking without what only a list of results needs: each hit has its id,
 * score, intent_match and route_match, and the rest of it zeroed. For a caller that reads the
 * article it picks (pw_kb_index_article). Same arguments, returns and thread safety as
 * pw_kb_search. */
int pw_kb_rank(const pw_kb_index *ix, const char *text, size_t len, const char *intent,
               const char *route, const char *page_id, pw_kb_hit *out, int cap);

typedef enum pw_answer_kind {
    PW_ANSWER_STEPS,  /* the numbered steps of the variant for the customer's page */
    PW_ANSWER_PLAN,   /* the feature is not in the customer's plan: the plan explanation */
    PW_ANSWER_ARTICLE /* the article's body */
} pw_answer_kind;

/* The plain-text answer for a customer on `route`/`page_id` (either may be NULL) with `plan`.
 * When the feature needs a higher plan (pw_kb_plan_blocks) or `disabled_by_plan` is set (the
 * widget saw the feature disabled by the plan on screen): the plan note, else a sentence naming
 * plan_required — never steps that cannot work. Else the steps of the variant for `route` (else
 * for `page_id`), numbered, then "From: <title>". Else the body, then "From: <title>". Writes
 * NUL-terminated text into out[0..cap); text that does not fit is cut at a UTF-8 boundary and
 * ends with "…". Sets *kind. Returns 0, or -1 when cap is 0. */
int pw_kb_compose(const pw_kb_article *a, const char *route, const char *page_id, const char *plan,
                  int disabled_by_plan, char *out, size_t cap, pw_answer_kind *kind);

/* Imports every article of the KB file at `path` ({"version":1,"articles":[ArticleInput...]})
 * in one writer job, when the articles table is empty. Every article is validated before any is
 * written, and the import is all or nothing. Returns the number imported (0 when the store
 * already had articles), or -1 with "PATH: articles[3].slug: problem" in err[0..err_cap). */
int pw_kb_seed(pw_writer *w, const char *path, int64_t now_ms, char *err, size_t err_cap);

#endif
