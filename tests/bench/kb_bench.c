/* Knowledge-base retrieval beside its peer, SQLite FTS5, in one run: the same synthetic
 * articles (titles and bodies drawn from the demo knowledge base's words, seeded), the same
 * customer messages (tests/data/demo_valid.jsonl), the same ranking inputs (bm25 over title
 * weight 4 and body weight 1, five hits with snippets). Prints, for each size: the time to build
 * each index, microseconds per search, and how often both put the same article first.
 *   build/tests/kb_bench DEMO_KB_JSON MESSAGES_JSONL [SIZE ...]
 * Reports, never asserts.
 * SPDX-License-Identifier: MIT */
#include "kb/index.h"
#include "kb/kb_int.h"

#include <cjson/cJSON.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define WORDS_PER_BODY 300
#define QUERIES_MAX    400
#define VOCAB_MAX      20000

static double now_s(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static char *slurp(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (s && fread(s, 1, (size_t)n, f) == (size_t)n)
        s[n] = '\0';
    else
        free(s), s = NULL;
    fclose(f);
    return s;
}

typedef struct corpus {
    char *vocab_text;
    char *vocab[VOCAB_MAX];
    int vocab_count;
    char *queries[QUERIES_MAX];
    int query_count;
} corpus;

/* The words of the demo knowledge base, the vocabulary of the synthetic articles. */
static int load_vocab(const char *path, corpus *c) {
    if (!(c->vocab_text = slurp(path)))
        return -1;
    for (char *t = strtok(c->vocab_text, " \t\n\",.:;()[]{}"); t && c->vocab_count < VOCAB_MAX;
         t = strtok(NULL, " \t\n\",.:;()[]{}"))
        if (strlen(t) > 2 && t[0] != '\\')
            c->vocab[c->vocab_count++] = t;
    return c->vocab_count > 100 ? 0 : -1;
}

static int load_queries(const char *path, corpus *c) {
    FILE *f = fopen(path, "r");
    char line[4096];
    while (f && c->query_count < QUERIES_MAX && fgets(line, sizeof line, f)) {
        cJSON *o = cJSON_Parse(line);
        const cJSON *text = cJSON_GetObjectItem(o, "text");
        if (cJSON_IsString(text))
            c->queries[c->query_count++] = strdup(text->valuestring);
        cJSON_Delete(o);
    }
    if (f)
        fclose(f);
    return c->query_count > 0 ? 0 : -1;
}

static char *words(const corpus *c, int n, unsigned *seed) {
    size_t cap = (size_t)n * 24 + 1, len = 0;
    char *s = malloc(cap);
    for (int i = 0; s && i < n; i++) {
        *seed = *seed * 1103515245u + 12345u;
        len += (size_t)snprintf(s + len, cap - len, "%s%s", i ? " " : "",
                                c->vocab[(*seed >> 8) % (unsigned)c->vocab_count]);
    }
    return s;
}

/* size articles, the same ones for both sides (the seed is the size). */
static pw_kb_article *make_articles(const corpus *c, int size) {
    pw_kb_article *a = calloc((size_t)size, sizeof *a);
    unsigned seed = (unsigned)size;
    for (int i = 0; a && i < size; i++) {
        a[i].id = i + 1;
        a[i].slug = strdup("article");
        a[i].title = words(c, 4, &seed);
        a[i].body = words(c, WORDS_PER_BODY, &seed);
        a[i].published = 1;
    }
    return a;
}

/* The FTS5 query the server sent before the index: each word but stop words quoted, OR-ed. */
static void fts_query(const char *text, char *out, size_t cap) {
    size_t len = 0;
    out[0] = '\0';
    for (const char *p = text; *p;) {
        while (*p &&
               !((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9')))
            p++;
        const char *start = p;
        while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9'))
            p++;
        size_t n = (size_t)(p - start);
        if (n >= 2 && !pw__kb_is_stop_word(start, n) && len + n + 8 < cap)
            len += (size_t)snprintf(out + len, cap - len, "%s\"%.*s\"", len ? " OR " : "", (int)n,
                                    start);
    }
}

static sqlite3 *fts_build(const pw_kb_article *a, int size) {
    sqlite3 *db;
    sqlite3_stmt *st;
    sqlite3_open(":memory:", &db);
    sqlite3_exec(db,
                 "CREATE VIRTUAL TABLE f USING fts5(title, body,"
                 " tokenize='porter unicode61 remove_diacritics 2'); BEGIN",
                 NULL, NULL, NULL);
    sqlite3_prepare_v2(db, "INSERT INTO f(rowid, title, body) VALUES (?1, ?2, ?3)", -1, &st, NULL);
    for (int i = 0; i < size; i++) {
        sqlite3_bind_int64(st, 1, a[i].id);
        sqlite3_bind_text(st, 2, a[i].title, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, a[i].body, -1, SQLITE_STATIC);
        sqlite3_step(st);
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    sqlite3_exec(db, "COMMIT; INSERT INTO f(f) VALUES ('optimize')", NULL, NULL, NULL);
    return db;
}

static const char fts_sql[] =
    "SELECT rowid, snippet(f, 1, '<mark>', '</mark>', '...', 24), bm25(f, 4.0, 1.0) AS s"
    " FROM f WHERE f MATCH ?1 ORDER BY s LIMIT 5";

static void run_size(const corpus *c, int size) {
    pw_kb_article *a = make_articles(c, size);
    double t0 = now_s();
    sqlite3 *db = fts_build(a, size);
    double t1 = now_s();
    pw_kb_index *ix = NULL;
    if (pw_kb_index_new(a, (size_t)size, &ix) != 0)
        return;
    double t2 = now_s();
    sqlite3_stmt *st;
    sqlite3_prepare_v2(db, fts_sql, -1, &st, NULL);
    double ours = 0, peer = 0;
    int same_first = 0, both = 0;
    for (int i = 0; i < c->query_count; i++) {
        pw_kb_hit hits[5];
        char q[4096];
        double s0 = now_s();
        int n = pw_kb_search(ix, c->queries[i], strlen(c->queries[i]), NULL, NULL, NULL, hits, 5);
        double s1 = now_s();
        fts_query(c->queries[i], q, sizeof q);
        sqlite3_bind_text(st, 1, q, -1, SQLITE_STATIC);
        int64_t first = 0;
        for (int r = 0; sqlite3_step(st) == SQLITE_ROW; r++)
            first = r == 0 ? sqlite3_column_int64(st, 0) : first;
        sqlite3_reset(st);
        double s2 = now_s();
        ours += s1 - s0, peer += s2 - s1;
        if (n > 0 && first) {
            both++;
            same_first += hits[0].id == first;
        }
    }
    printf("| %d | %.0f | %.0f | %.1f | %.1f | %.0f%% of %d |\n", size, (t1 - t0) * 1e3,
           (t2 - t1) * 1e3, ours / c->query_count * 1e6, peer / c->query_count * 1e6,
           both ? 100.0 * same_first / both : 0.0, both);
    sqlite3_finalize(st);
    sqlite3_close(db);
    pw_kb_index_free(ix);
    free(a);
}

int main(int argc, char **argv) {
    static corpus c;
    if (argc < 3 || load_vocab(argv[1], &c) || load_queries(argv[2], &c)) {
        fprintf(stderr, "usage: %s DEMO_KB_JSON MESSAGES_JSONL [SIZE ...]\n", argv[0]);
        return 2;
    }
    printf("%d messages; articles of 4 title and %d body words from %d words of %s\n\n",
           c.query_count, WORDS_PER_BODY, c.vocab_count, argv[1]);
    printf("| articles | FTS5 build ms | index build ms | index µs/search | FTS5 µs/search |"
           " same first hit |\n| ---: | ---: | ---: | ---: | ---: | ---: |\n");
    for (int i = 3; i < argc; i++)
        run_size(&c, atoi(argv[i]));
    if (argc == 3)
        for (int size = 100; size <= 10000; size *= 10)
            run_size(&c, size);
    return 0;
}
