/* Porter stemming (server/kb/stem.c): the paper's examples, the length limits, and every word
 * of the demo data (the .json and .jsonl files of tests/data) against SQLite FTS5's own porter
 * tokenizer, which is the stemmer pw_kb_stem must agree with.
 * SPDX-License-Identifier: MIT */
#include "kb/stem.h"
#include "pw_test.h"

#include <dirent.h>
#include <fnmatch.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *data_dir = "tests/data";

/* Stems a copy of `word` and checks the result. */
#define CHECK_STEM(word, expected)                                                                 \
    do {                                                                                           \
        char buf_[128];                                                                            \
        size_t len_ = strlen(word);                                                                \
        memcpy(buf_, word, len_);                                                                  \
        size_t n_ = pw_kb_stem(buf_, len_);                                                        \
        PW_CHECK(n_ <= len_);                                                                      \
        PW_CHECK_STRN(buf_, n_, expected);                                                         \
    } while (0)

/* The examples of M.F. Porter, "An algorithm for suffix stripping" (1980), steps 1 to 5. FTS5
 * gives every one of these stems too (test_paper_pairs_match_fts5). */
static const char *const paper_pairs[][2] = {
    {"caresses", "caress"},
    {"ponies", "poni"},
    {"ties", "ti"},
    {"caress", "caress"},
    {"cats", "cat"},
    {"feed", "feed"},
    {"agreed", "agre"},
    {"plastered", "plaster"},
    {"bled", "bled"},
    {"motoring", "motor"},
    {"sing", "sing"},
    {"conflated", "conflat"},
    {"troubled", "troubl"},
    {"sized", "size"},
    {"hopping", "hop"},
    {"tanned", "tan"},
    {"falling", "fall"},
    {"hissing", "hiss"},
    {"fizzed", "fizz"},
    {"failing", "fail"},
    {"filing", "file"},
    {"happy", "happi"},
    {"sky", "sky"},
    {"relational", "relat"},
    {"conditional", "condit"},
    {"rational", "ration"},
    {"valenci", "valenc"},
    {"digitizer", "digit"},
    {"conformabli", "conform"},
    {"radicalli", "radic"},
    {"differentli", "differ"},
    {"vileli", "vile"},
    {"analogousli", "analog"},
    {"vietnamization", "vietnam"},
    {"predication", "predic"},
    {"operator", "oper"},
    {"feudalism", "feudal"},
    {"decisiveness", "decis"},
    {"hopefulness", "hope"},
    {"callousness", "callous"},
    {"formaliti", "formal"},
    {"sensitiviti", "sensit"},
    {"sensibiliti", "sensibl"},
    {"triplicate", "triplic"},
    {"formative", "form"},
    {"formalize", "formal"},
    {"electriciti", "electr"},
    {"electrical", "electr"},
    {"hopeful", "hope"},
    {"goodness", "good"},
    {"revival", "reviv"},
    {"allowance", "allow"},
    {"inference", "infer"},
    {"airliner", "airlin"},
    {"gyroscopic", "gyroscop"},
    {"adjustable", "adjust"},
    {"defensible", "defens"},
    {"irritant", "irrit"},
    {"replacement", "replac"},
    {"adjustment", "adjust"},
    {"dependent", "depend"},
    {"adoption", "adopt"},
    {"homologou", "homolog"},
    {"communism", "commun"},
    {"activate", "activ"},
    {"angulariti", "angular"},
    {"homologous", "homolog"},
    {"effective", "effect"},
    {"bowdlerize", "bowdler"},
    {"probate", "probat"},
    {"rate", "rate"},
    {"cease", "ceas"},
    {"controll", "control"},
    {"roll", "roll"},
};
#define PAPER_COUNT (sizeof(paper_pairs) / sizeof(paper_pairs[0]))

/* Where FTS5 departs from the paper, and the bytes the paper never meets. Checked against FTS5
 * in test_edges_match_fts5 rather than by hand. */
static const char *const edge_words[] = {
    "ies",
    "sses",
    "eed",
    "eeds",
    "aed",
    "yying",
    "ayyed",
    "humbli",
    "archaeologi",
    "mp3s",
    "abc1s",
    "3ds",
    "a1ing",
    "is",
    "as",
    "caf\xc3\xa9s",
    "ization",
    "ational",
    "ement",
    "yyy",
    /* 64 bytes (stemmed) and 65 bytes (left as it is) */
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaings",
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaings",
};
#define EDGE_COUNT (sizeof(edge_words) / sizeof(edge_words[0]))

static void test_paper_pairs(void) {
    for (size_t i = 0; i < PAPER_COUNT; i++)
        CHECK_STEM(paper_pairs[i][0], paper_pairs[i][1]);
}

static void test_limits(void) {
    CHECK_STEM("is", "is");
    CHECK_STEM("as", "as");
    CHECK_STEM("abs", "ab");
    CHECK_STEM("mp3s", "mp3"); /* FTS5 stems words with digits: they count as consonants */
    CHECK_STEM("ies", "ie");   /* FTS5's step 1a wants a letter before "ies" */
    CHECK_STEM("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaings",
               "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
    CHECK_STEM("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaings",
               "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaings");
    char empty[1] = {'x'};
    PW_CHECK_INT(pw_kb_stem(empty, 0), 0);
}

/* A growable list of NUL-terminated words, each malloc'd. */
typedef struct word_list {
    char **items;
    size_t count, cap;
} word_list;

static void list_add(word_list *l, const char *w, size_t n) {
    if (l->count == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 1024;
        l->items = realloc(l->items, l->cap * sizeof *l->items);
        if (!l->items)
            abort();
    }
    char *copy = malloc(n + 1);
    if (!copy)
        abort();
    memcpy(copy, w, n);
    copy[n] = '\0';
    l->items[l->count++] = copy;
}

static void list_free(word_list *l) {
    for (size_t i = 0; i < l->count; i++)
        free(l->items[i]);
    free(l->items);
    *l = (word_list){0};
}

static int exec_sql(sqlite3 *db, const char *sql) {
    if (sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK)
        return 0;
    fprintf(stderr, "    sqlite: %s\n    in: %s\n", sqlite3_errmsg(db), sql);
    return -1;
}

/* One row holding words[0..count) separated by spaces, in a table tokenized 'porter ascii'. Each
 * word must be one token to the ascii tokenizer (lowercase letters, digits, bytes >= 0x80). */
static int fts5_insert(sqlite3 *db, const word_list *words) {
    size_t total = 1;
    for (size_t i = 0; i < words->count; i++)
        total += strlen(words->items[i]) + 1;
    char *doc = malloc(total), *end = doc;
    if (!doc)
        abort();
    for (size_t i = 0; i < words->count; i++) {
        size_t n = strlen(words->items[i]);
        memcpy(end, words->items[i], n);
        end += n;
        *end++ = ' ';
    }
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db, "INSERT INTO v(x) VALUES (?1)", -1, &st, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_text(st, 1, doc, (int)(end - doc), SQLITE_TRANSIENT);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
    if (rc != SQLITE_OK)
        fprintf(stderr, "    sqlite insert: %s\n", sqlite3_errmsg(db));
    sqlite3_finalize(st);
    free(doc);
    return rc == SQLITE_OK ? 0 : -1;
}

/* Reads the terms back from an fts5vocab 'instance' table: the term at offset i is the stem of
 * words[i]. Fills stems (count entries, all NULL on entry). */
static int fts5_read(sqlite3 *db, size_t count, char **stems) {
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, "SELECT offset, term FROM vi", -1, &st, NULL) != SQLITE_OK) {
        fprintf(stderr, "    sqlite select: %s\n", sqlite3_errmsg(db));
        return -1;
    }
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        sqlite3_int64 off = sqlite3_column_int64(st, 0);
        const char *term = (const char *)sqlite3_column_text(st, 1);
        if (off < 0 || (size_t)off >= count || stems[off] || !term)
            continue; /* cannot happen when each word is one token; caught by the NULL check */
        stems[off] = malloc(strlen(term) + 1);
        if (!stems[off])
            abort();
        strcpy(stems[off], term);
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

/* FTS5's stem of each of words[0..count) into stems[i] (malloc'd; caller frees each). Returns 0,
 * or -1 after printing what failed. */
static int fts5_stems(const word_list *words, char **stems) {
    sqlite3 *db = NULL;
    int ok = sqlite3_open(":memory:", &db) == SQLITE_OK &&
             exec_sql(db, "CREATE VIRTUAL TABLE v USING fts5(x, tokenize='porter ascii');"
                          "CREATE VIRTUAL TABLE vi USING fts5vocab(v, instance);") == 0 &&
             fts5_insert(db, words) == 0 && fts5_read(db, words->count, stems) == 0;
    sqlite3_close(db);
    for (size_t i = 0; ok && i < words->count; i++)
        if (!stems[i]) {
            fprintf(stderr, "    FTS5 gave no term for \"%s\"\n", words->items[i]);
            ok = 0;
        }
    return ok ? 0 : -1;
}

/* Compares pw_kb_stem with FTS5 on every word; prints the first mismatches. Returns how many
 * words differ, or -1 when FTS5 could not be asked. */
static long compare_with_fts5(const word_list *words) {
    char **stems = calloc(words->count ? words->count : 1, sizeof *stems);
    if (!stems)
        abort();
    long bad = fts5_stems(words, stems) == 0 ? 0 : -1;
    for (size_t i = 0; bad >= 0 && i < words->count; i++) {
        size_t len = strlen(words->items[i]);
        char *buf = malloc(len + 1);
        if (!buf)
            abort();
        memcpy(buf, words->items[i], len);
        size_t n = pw_kb_stem(buf, len);
        int same = n == strlen(stems[i]) && memcmp(buf, stems[i], n) == 0;
        if (!same && bad++ < 20)
            fprintf(stderr, "    %s: FTS5 \"%s\", pw_kb_stem \"%.*s\"\n", words->items[i], stems[i],
                    (int)n, buf);
        free(buf);
    }
    for (size_t i = 0; i < words->count; i++)
        free(stems[i]);
    free(stems);
    return bad;
}

static void test_paper_pairs_match_fts5(void) {
    word_list words = {0};
    for (size_t i = 0; i < PAPER_COUNT; i++)
        list_add(&words, paper_pairs[i][0], strlen(paper_pairs[i][0]));
    char **stems = calloc(PAPER_COUNT, sizeof *stems);
    if (!stems)
        abort();
    PW_CHECK_INT(fts5_stems(&words, stems), 0);
    for (size_t i = 0; i < PAPER_COUNT && stems[i]; i++)
        PW_CHECK_STRN(stems[i], strlen(stems[i]), paper_pairs[i][1]);
    for (size_t i = 0; i < PAPER_COUNT; i++)
        free(stems[i]);
    free(stems);
    list_free(&words);
}

static void test_edges_match_fts5(void) {
    word_list words = {0};
    for (size_t i = 0; i < EDGE_COUNT; i++)
        list_add(&words, edge_words[i], strlen(edge_words[i]));
    PW_CHECK_INT(compare_with_fts5(&words), 0);
    list_free(&words);
}

/* Adds the words of text[0..n): runs of ASCII letters, lowercased. */
static void add_words(word_list *l, const char *text, size_t n) {
    char word[4096];
    size_t len = 0;
    for (size_t i = 0; i <= n; i++) {
        char c = i < n ? text[i] : ' ';
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (c >= 'a' && c <= 'z' && len < sizeof word) {
            word[len++] = c;
            continue;
        }
        if (len > 0)
            list_add(l, word, len);
        len = 0;
    }
}

static int read_words(const char *path, word_list *l) {
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    size_t len = 0, cap = 1 << 16;
    char *text = malloc(cap);
    size_t n;
    while (text && (n = fread(text + len, 1, cap - len, f)) > 0) {
        len += n;
        if (len == cap)
            text = realloc(text, cap *= 2);
    }
    if (!text)
        abort();
    int rc = ferror(f) ? -1 : 0;
    fclose(f);
    add_words(l, text, len);
    free(text);
    return rc;
}

static int by_string(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorts the list and drops repeats. */
static void list_distinct(word_list *l) {
    if (l->count == 0)
        return;
    qsort(l->items, l->count, sizeof *l->items, by_string);
    size_t out = 1;
    for (size_t i = 1; i < l->count; i++) {
        if (strcmp(l->items[i], l->items[out - 1]) == 0)
            free(l->items[i]);
        else
            l->items[out++] = l->items[i];
    }
    l->count = out;
}

static size_t read_corpus(word_list *words) {
    DIR *dir = opendir(data_dir);
    if (!dir) {
        fprintf(stderr, "    cannot open %s\n", data_dir);
        return 0;
    }
    size_t files = 0;
    struct dirent *e;
    while ((e = readdir(dir)) != NULL) {
        if (fnmatch("*.json*", e->d_name, 0) != 0)
            continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", data_dir, e->d_name);
        PW_CHECK_INT(read_words(path, words), 0);
        files++;
    }
    closedir(dir);
    return files;
}

static void test_corpus_matches_fts5(void) {
    word_list words = {0};
    size_t files = read_corpus(&words);
    list_distinct(&words);
    fprintf(stderr, "    %zu distinct words from %zu files in %s\n", words.count, files, data_dir);
    /* An unread corpus must fail, not pass by comparing nothing. */
    PW_CHECK(files >= 2);
    PW_CHECK(words.count >= 1000);
    PW_CHECK_INT(compare_with_fts5(&words), 0);
    list_free(&words);
}

int main(int argc, char **argv) {
    if (argc > 1)
        data_dir = argv[1];
    PW_RUN(test_paper_pairs);
    PW_RUN(test_limits);
    PW_RUN(test_paper_pairs_match_fts5);
    PW_RUN(test_edges_match_fts5);
    PW_RUN(test_corpus_matches_fts5);
    return pw_test_exit_code();
}
