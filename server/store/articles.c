/* Article queries. Steps and the article's intent list are JSON arrays in their rows; they are
 * built with SQLite's json_insert one item at a time, so SQLite does all JSON escaping and the
 * store needs no JSON library. The intents also go to article_intents, which the pipeline reads
 * by intent.
 * SPDX-License-Identifier: MIT */
#include "articles.h"

#include <stdlib.h>
#include <string.h>

static const char insert_sql[] =
    "INSERT INTO articles(slug, title, body, feature, plan_required, plan_note, internal_note,"
    " human_only, published, created_at, updated_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10) RETURNING id";
static const char update_sql[] =
    "UPDATE articles SET slug = ?2, title = ?3, body = ?4, feature = ?5, plan_required = ?6,"
    " plan_note = ?7, internal_note = ?8, human_only = ?9, published = ?10, updated_at = ?11,"
    " intents = '[]' WHERE id = ?1 RETURNING created_at";
static const char add_intent_sql[] =
    "INSERT INTO article_intents(intent, article_id) VALUES (?2, ?1)";
static const char append_intent_sql[] =
    "UPDATE articles SET intents = json_insert(intents, '$[#]', ?2) WHERE id = ?1";
static const char add_variant_sql[] =
    "INSERT INTO article_variants(article_id, route, page_id, steps) VALUES (?1, ?2, ?3, '[]')"
    " RETURNING id";
static const char append_step_sql[] =
    "UPDATE article_variants SET steps = json_insert(steps, '$[#]', ?2) WHERE id = ?1";
static const char delete_variants_sql[] = "DELETE FROM article_variants WHERE article_id = ?1";
static const char delete_intents_sql[] = "DELETE FROM article_intents WHERE article_id = ?1";
static const char delete_sql[] = "DELETE FROM articles WHERE id = ?1";
static const char get_sql[] =
    "SELECT slug, title, body, feature, plan_required, plan_note, internal_note, human_only,"
    " published, created_at, updated_at FROM articles WHERE id = ?1";
static const char get_intents_sql[] =
    "SELECT j.value FROM articles a, json_each(a.intents) j WHERE a.id = ?1 ORDER BY j.key";
static const char get_variants_sql[] =
    "SELECT v.id, v.route, v.page_id, j.value FROM article_variants v"
    " LEFT JOIN json_each(v.steps) j WHERE v.article_id = ?1 ORDER BY v.id, j.key";
static const char list_sql[] =
    "SELECT id FROM articles WHERE id > ?1 AND (?2 = 0 OR published = 1) ORDER BY id LIMIT ?3";
static const char intent_ids_sql[] =
    "SELECT i.article_id FROM article_intents i JOIN articles a ON a.id = i.article_id"
    " WHERE i.intent = ?1 AND (?2 = 0 OR a.published = 1) ORDER BY i.article_id LIMIT ?3";
static const char count_sql[] = "SELECT count(*) FROM articles";

/* Binds s as text, or leaves the parameter NULL (pw_conn_stmt cleared the bindings). */
static void bind_text(sqlite3_stmt *st, int i, const char *s) {
    if (s)
        sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
}

/* Runs a statement that returns no row. */
static int step_done(sqlite3_stmt *st) {
    return st && sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
}

static int exec_id(pw_conn *c, const char *sql, int64_t id) {
    sqlite3_stmt *st = pw_conn_stmt(c, sql);
    if (st)
        sqlite3_bind_int64(st, 1, id);
    return step_done(st);
}

/* Appends text to the JSON array column that `sql` updates in row `id`. */
static int exec_append(pw_conn *c, const char *sql, int64_t id, const char *text) {
    sqlite3_stmt *st = pw_conn_stmt(c, sql);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, id);
    bind_text(st, 2, text);
    return step_done(st);
}

static int insert_intents(pw_conn *c, const pw_kb_article *a) {
    for (size_t i = 0; i < a->intent_count; i++)
        if (exec_append(c, add_intent_sql, a->id, a->intents[i]) ||
            exec_append(c, append_intent_sql, a->id, a->intents[i]))
            return -1;
    return 0;
}

static int insert_variant(pw_conn *c, int64_t article_id, const pw_kb_variant *v) {
    sqlite3_stmt *st = pw_conn_stmt(c, add_variant_sql);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, article_id);
    bind_text(st, 2, v->route);
    bind_text(st, 3, v->page_id);
    if (sqlite3_step(st) != SQLITE_ROW)
        return -1;
    int64_t id = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    for (size_t i = 0; i < v->step_count; i++)
        if (exec_append(c, append_step_sql, id, v->steps[i]))
            return -1;
    return 0;
}

static int insert_children(pw_conn *c, const pw_kb_article *a) {
    for (size_t i = 0; i < a->variant_count; i++)
        if (insert_variant(c, a->id, &a->variants[i]))
            return -1;
    return insert_intents(c, a);
}

/* Binds the columns insert_sql and update_sql share, as ?2.. after an optional ?1. */
static void bind_columns(sqlite3_stmt *st, int first, const pw_kb_article *a) {
    const char *text[] = {a->slug,          a->title,     a->body,         a->feature,
                          a->plan_required, a->plan_note, a->internal_note};
    for (int i = 0; i < 7; i++)
        bind_text(st, first + i, text[i]);
    sqlite3_bind_int(st, first + 7, a->human_only ? 1 : 0);
    sqlite3_bind_int(st, first + 8, a->published ? 1 : 0);
}

/* The failed step's meaning: the slug's UNIQUE constraint, or anything else. */
static int write_error(pw_conn *c) {
    int code = sqlite3_extended_errcode(pw_conn_db(c));
    return code == SQLITE_CONSTRAINT_UNIQUE ? PW_ARTICLE_ECONFLICT : -1;
}

int64_t pw_store_article_insert(pw_conn *c, pw_kb_article *a, int64_t now_ms) {
    sqlite3_stmt *st = pw_conn_stmt(c, insert_sql);
    if (!st)
        return -1;
    bind_columns(st, 1, a);
    sqlite3_bind_int64(st, 10, now_ms);
    if (sqlite3_step(st) != SQLITE_ROW) {
        int rc = write_error(c);
        sqlite3_reset(st);
        return rc;
    }
    a->id = sqlite3_column_int64(st, 0);
    a->created_at = a->updated_at = now_ms;
    sqlite3_reset(st);
    return insert_children(c, a) ? -1 : a->id;
}

int pw_store_article_update(pw_conn *c, pw_kb_article *a, int64_t now_ms) {
    sqlite3_stmt *st = pw_conn_stmt(c, update_sql);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, a->id);
    bind_columns(st, 2, a);
    sqlite3_bind_int64(st, 11, now_ms);
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        rc = rc == SQLITE_DONE ? PW_ARTICLE_ENOTFOUND : write_error(c);
        sqlite3_reset(st);
        return rc;
    }
    a->created_at = sqlite3_column_int64(st, 0);
    a->updated_at = now_ms;
    sqlite3_reset(st);
    if (exec_id(c, delete_variants_sql, a->id) || exec_id(c, delete_intents_sql, a->id))
        return -1;
    return insert_children(c, a);
}

int pw_store_article_delete(pw_conn *c, int64_t id) {
    /* Children first, explicitly: the cascade needs foreign_keys on, which is per connection. */
    if (exec_id(c, delete_variants_sql, id) || exec_id(c, delete_intents_sql, id) ||
        exec_id(c, delete_sql, id))
        return -1;
    return sqlite3_changes(pw_conn_db(c)) > 0 ? 0 : PW_ARTICLE_ENOTFOUND;
}

/* Copies column i (NULL stays NULL). -1 only when out of memory. */
static int column_copy(sqlite3_stmt *st, int i, char **dst) {
    const unsigned char *s = sqlite3_column_text(st, i);
    if (!s)
        return 0;
    size_t n = (size_t)sqlite3_column_bytes(st, i) + 1;
    if (!(*dst = malloc(n)))
        return -1;
    memcpy(*dst, s, n);
    return 0;
}

static int push_column(sqlite3_stmt *st, int i, char ***arr, size_t *n) {
    char **grown = realloc(*arr, (*n + 1) * sizeof **arr);
    if (!grown)
        return -1;
    *arr = grown;
    grown[*n] = NULL;
    if (column_copy(st, i, &grown[*n]) || !grown[*n])
        return -1;
    (*n)++;
    return 0;
}

static int get_row(pw_conn *c, int64_t id, pw_kb_article *out) {
    sqlite3_stmt *st = pw_conn_stmt(c, get_sql);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW)
        return rc == SQLITE_DONE ? PW_ARTICLE_ENOTFOUND : -1;
    out->id = id;
    char **text[] = {&out->slug,          &out->title,     &out->body,         &out->feature,
                     &out->plan_required, &out->plan_note, &out->internal_note};
    for (int i = 0; i < 7; i++)
        if (column_copy(st, i, text[i]))
            return -1;
    out->human_only = sqlite3_column_int(st, 7);
    out->published = sqlite3_column_int(st, 8);
    out->created_at = sqlite3_column_int64(st, 9);
    out->updated_at = sqlite3_column_int64(st, 10);
    sqlite3_reset(st);
    return out->slug && out->title && out->body ? 0 : -1;
}

static int get_intents(pw_conn *c, pw_kb_article *out) {
    sqlite3_stmt *st = pw_conn_stmt(c, get_intents_sql);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, out->id);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        if (push_column(st, 0, &out->intents, &out->intent_count))
            return -1;
    return rc == SQLITE_DONE ? 0 : -1;
}

/* Rows come one per step, ordered by variant: a new variant id starts a new variant. */
static int get_variants(pw_conn *c, pw_kb_article *out) {
    sqlite3_stmt *st = pw_conn_stmt(c, get_variants_sql);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, out->id);
    int64_t current = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (sqlite3_column_int64(st, 0) != current) {
            pw_kb_variant *grown =
                realloc(out->variants, (out->variant_count + 1) * sizeof *out->variants);
            if (!grown)
                return -1;
            out->variants = grown;
            pw_kb_variant *v = &grown[out->variant_count++];
            memset(v, 0, sizeof *v);
            current = sqlite3_column_int64(st, 0);
            if (column_copy(st, 1, &v->route) || column_copy(st, 2, &v->page_id))
                return -1;
        }
        pw_kb_variant *v = &out->variants[out->variant_count - 1];
        if (sqlite3_column_type(st, 3) != SQLITE_NULL &&
            push_column(st, 3, &v->steps, &v->step_count))
            return -1;
    }
    return rc == SQLITE_DONE ? 0 : -1;
}

int pw_store_article_get(pw_conn *c, int64_t id, pw_kb_article *out) {
    memset(out, 0, sizeof *out);
    int rc = get_row(c, id, out);
    if (rc == 0 && (get_intents(c, out) || get_variants(c, out)))
        rc = -1;
    return rc;
}

static int read_ids(sqlite3_stmt *st, int64_t *ids, int cap) {
    int n = 0, rc = SQLITE_DONE;
    while (n < cap && (rc = sqlite3_step(st)) == SQLITE_ROW)
        ids[n++] = sqlite3_column_int64(st, 0);
    if (n < cap && rc != SQLITE_DONE)
        return -1;
    sqlite3_reset(st);
    return n;
}

int pw_store_article_list(pw_conn *c, int64_t after_id, int published_only, int64_t *ids, int cap) {
    sqlite3_stmt *st = pw_conn_stmt(c, list_sql);
    if (!st || cap <= 0)
        return st ? 0 : -1;
    sqlite3_bind_int64(st, 1, after_id);
    sqlite3_bind_int(st, 2, published_only ? 1 : 0);
    sqlite3_bind_int(st, 3, cap);
    return read_ids(st, ids, cap);
}

int pw_store_article_ids_for_intent(pw_conn *c, const char *intent, int published_only,
                                    int64_t *ids, int cap) {
    sqlite3_stmt *st = pw_conn_stmt(c, intent_ids_sql);
    if (!st || cap <= 0)
        return st ? 0 : -1;
    bind_text(st, 1, intent);
    sqlite3_bind_int(st, 2, published_only ? 1 : 0);
    sqlite3_bind_int(st, 3, cap);
    return read_ids(st, ids, cap);
}

int64_t pw_store_article_count(pw_conn *c) {
    sqlite3_stmt *st = pw_conn_stmt(c, count_sql);
    if (!st || sqlite3_step(st) != SQLITE_ROW)
        return -1;
    int64_t n = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    return n;
}
