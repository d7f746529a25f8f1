/* The knowledge base against a real SQLite file: the seed import (the demo KB, or the inline
 * fixture until it exists), the article queries, retrieval ranking and its immunity to FTS
 * syntax, answer composition (plan, steps, article) with clean UTF-8 truncation, and the intake
 * naming the right field for every kind of bad input.
 * SPDX-License-Identifier: MIT */
#include "api/api.h"
#include "kb/index.h"
#include "kb/kb.h"
#include "kb/kb_int.h"
#include "store/articles.h"
#include "store/db.h"
#include "pw_test.h"
#include "pw_test_dir.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A small Acme Projects KB: enough articles that bm25 can tell rare words from common ones. */
static const char fixture[] =
    "{\"version\":1,\"articles\":["
    "{\"slug\":\"export-reports\",\"title\":\"Export a report to PDF, CSV or Excel\","
    "\"body\":\"You can export any report or project to PDF, CSV or Excel. Exports are part of"
    " the Starter plan and above. Large exports arrive by email.\",\"intents\":[\"export_data\"],"
    "\"feature\":\"export\",\"plan_required\":\"starter\",\"plan_note\":\"Exporting to PDF, CSV"
    " or Excel is part of the Starter plan and above. An admin of your workspace can upgrade"
    " under Settings > Billing.\",\"internal_note\":\"Exports over 50 MB go through the queue.\","
    "\"variants\":[{\"route\":\"/reports\",\"steps\":[\"Open the report you want to export.\","
    "\"Click Export in the top-right corner.\",\"Choose PDF, CSV or Excel and click Download.\"]},"
    "{\"route\":\"/projects/:id/export\",\"page_id\":\"project-export\",\"steps\":[\"Pick the"
    " boards to include.\",\"Choose the file format.\",\"Click Start export.\"]}]},"
    "{\"slug\":\"reset-password\",\"title\":\"Reset your password\",\"body\":\"Forgot your"
    " password? Use the reset link on the sign-in page; the email arrives within a few"
    " minutes.\",\"intents\":[\"reset_password\"],\"variants\":[{\"route\":\"/login\",\"steps\":"
    "[\"Click Forgot password.\",\"Enter your email address.\",\"Follow the link in the"
    " email.\"]}]},"
    "{\"slug\":\"invite-teammates\",\"title\":\"Invite teammates\",\"body\":\"Invite colleagues"
    " and guests from the team settings. Each member uses a seat.\",\"intents\":"
    "[\"invite_teammate\"],\"variants\":[{\"route\":\"/settings/team\",\"steps\":[\"Click"
    " Invite.\",\"Enter their emails.\",\"Choose a role and send.\"]}]},"
    "{\"slug\":\"two-factor\",\"title\":\"Turn on two-factor authentication\",\"body\":\"Protect"
    " your account with an authenticator app and keep the backup codes somewhere"
    " safe.\",\"intents\":[\"two_factor\"]},"
    "{\"slug\":\"slack-integration\",\"title\":\"Connect Slack\",\"body\":\"Send task updates to"
    " a Slack channel. Integrations need the Starter plan.\",\"intents\":"
    "[\"integration_slack\"],\"plan_required\":\"starter\"},"
    "{\"slug\":\"invoices\",\"title\":\"Download invoices\",\"body\":\"Every invoice is available"
    " as a PDF under Billing; add a VAT id to have it printed on the next"
    " invoice.\",\"intents\":[\"billing_invoice\"],\"variants\":[{\"route\":"
    "\"/settings/billing\",\"steps\":[\"Open Invoices.\",\"Click the PDF icon.\"]}]},"
    "{\"slug\":\"import-tasks\",\"title\":\"Import tasks from a spreadsheet\",\"body\":\"Import"
    " tasks from a spreadsheet file or migrate from Trello and Asana.\",\"intents\":"
    "[\"import_data\"]},"
    "{\"slug\":\"roles\",\"title\":\"Roles and permissions\",\"body\":\"Owners and admins manage"
    " members; viewers can only read.\",\"intents\":[\"user_roles\"]},"
    "{\"slug\":\"refund-policy\",\"title\":\"Refund policy (agents)\",\"body\":\"How agents handle"
    " refund requests and PDF exports of credit notes.\",\"intents\":[\"refund_request\","
    "\"export_data\"],\"human_only\":true,\"published\":false}"
    "]}";

/* request.c's pw_problem_send answers through respond.c, which links every API resource; the
 * knowledge base never sends a response, so this stub keeps the test off the whole API. */
int pw_api_send_error(struct mg_connection *conn, int status, const char *code, const char *field,
                      const char *message) {
    (void)conn, (void)code, (void)field, (void)message;
    return status;
}

static char dir[64];
static char kb_path[512];
static pw_writer *writer;
static pw_pool *pool;

static int write_file(const char *path, const char *text) {
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    size_t n = fwrite(text, 1, strlen(text), f);
    return fclose(f) == 0 && n == strlen(text) ? 0 : -1;
}

/* A fresh, migrated store at dir/name. Returns 0 or -1. */
static int make_store(const char *name, char *path, size_t cap) {
    char err[256];
    snprintf(path, cap, "%s/%s", dir, name);
    sqlite3 *db = pw_db_open(path, err, sizeof err);
    if (!db) {
        fprintf(stderr, "pw_db_open: %s\n", err);
        return -1;
    }
    pw_db_close(db);
    return 0;
}

/* ---- fixtures found by what they are, not by slug, so the real demo KB works too ---------- */

/* The published article for export_data that needs a plan and has a /reports variant. */
static int64_t export_article_id(pw_conn *c) {
    int64_t ids[32];
    int n = pw_store_article_ids_for_intent(c, "export_data", 1, ids, 32);
    for (int i = 0; i < n; i++) {
        pw_kb_article a;
        int found = 0;
        if (pw_store_article_get(c, ids[i], &a) == 0 && a.plan_required)
            for (size_t k = 0; k < a.variant_count; k++)
                found |= a.variants[k].route && strcmp(a.variants[k].route, "/reports") == 0;
        pw_kb_article_free(&a);
        if (found)
            return ids[i];
    }
    return 0;
}

static const pw_kb_variant *variant_for(const pw_kb_article *a, const char *route) {
    for (size_t k = 0; k < a->variant_count; k++)
        if (a->variants[k].route && strcmp(a->variants[k].route, route) == 0)
            return &a->variants[k];
    return NULL;
}

/* ---- seed ----------------------------------------------------------------------------- */

static void seed_imports_once(void) {
    char err[512] = "";
    int n = pw_kb_seed(writer, kb_path, 1000, err, sizeof err);
    if (n <= 0)
        fprintf(stderr, "    seed: %s\n", err);
    PW_CHECK(n > 0);
    pw_conn *c = pw_pool_get(pool);
    PW_CHECK_INT(pw_store_article_count(c), n);
    pw_pool_put(pool, c);
    PW_CHECK_INT(pw_kb_seed(writer, kb_path, 2000, err, sizeof err), 0); /* not empty now */
}

static void seed_names_the_bad_field(void) {
    char path[512], store[512], err[512] = "";
    snprintf(path, sizeof path, "%s/bad.json", dir);
    PW_CHECK_INT(write_file(path, "{\"version\":1,\"articles\":[{\"slug\":\"ok\",\"title\":\"T\","
                                  "\"body\":\"B\"},{\"slug\":\"Not OK\",\"title\":\"T\","
                                  "\"body\":\"B\"}]}"),
                 0);
    PW_CHECK_INT(pw_kb_seed(writer, path, 1, err, sizeof err), -1);
    PW_CHECK(strstr(err, path) == err && strstr(err, ": articles[1].slug: ") != NULL);

    PW_CHECK_INT(write_file(path, "{\"version\":2,\"articles\":[]}"), 0);
    PW_CHECK_INT(pw_kb_seed(writer, path, 1, err, sizeof err), -1);
    PW_CHECK(strstr(err, ": version: ") != NULL);
    PW_CHECK_INT(write_file(path, "{\"version\":1,\"articles\":[}"), 0);
    PW_CHECK_INT(pw_kb_seed(writer, path, 1, err, sizeof err), -1);
    PW_CHECK(strstr(err, "not valid JSON") != NULL);
    snprintf(path, sizeof path, "%s/missing.json", dir);
    PW_CHECK_INT(pw_kb_seed(writer, path, 1, err, sizeof err), -1);

    /* A slug used twice in one file: the import is all or nothing. */
    char e2[512];
    PW_CHECK_INT(make_store("dup.db", store, sizeof store), 0);
    pw_writer *w = pw_writer_start(store, e2, sizeof e2);
    snprintf(path, sizeof path, "%s/dup.json", dir);
    PW_CHECK_INT(write_file(path, "{\"version\":1,\"articles\":[{\"slug\":\"a\",\"title\":\"T\","
                                  "\"body\":\"B\"},{\"slug\":\"a\",\"title\":\"U\","
                                  "\"body\":\"C\"}]}"),
                 0);
    PW_CHECK(w != NULL);
    if (!w)
        return;
    PW_CHECK_INT(pw_kb_seed(w, path, 1, err, sizeof err), -1);
    PW_CHECK(strstr(err, ": articles[1].slug: ") != NULL);
    pw_conn *c = pw_conn_open(store, 1, e2, sizeof e2);
    PW_CHECK_INT(pw_store_article_count(c), 0);
    pw_conn_close(c);
    pw_writer_stop(w);
}

/* ---- store ---------------------------------------------------------------------------- */

typedef struct job {
    pw_kb_article *a;
    int64_t id;
} job;

static int insert_job(pw_conn *c, void *arg) {
    job *j = arg;
    int64_t id = pw_store_article_insert(c, j->a, 5000);
    return id < 0 ? (int)id : 0;
}

static int update_job(pw_conn *c, void *arg) {
    return pw_store_article_update(c, ((job *)arg)->a, 6000);
}

static int delete_job(pw_conn *c, void *arg) {
    return pw_store_article_delete(c, ((job *)arg)->id);
}

static int parse_article(const char *json, pw_kb_article *a) {
    pw_problem p;
    cJSON *obj = cJSON_Parse(json);
    int rc = obj ? pw_kb_article_from_json(obj, a, &p) : -1;
    if (rc)
        fprintf(stderr, "    intake: %s: %s\n", obj ? p.field : "json", obj ? p.message : "");
    cJSON_Delete(obj);
    return rc;
}

/* The index of what the store holds now, as the server builds it after an article write. */
static pw_kb_index *index_now(pw_conn *c) {
    pw_kb_index *ix = NULL;
    PW_CHECK_INT(pw_kb_index_build(c, &ix), 0);
    return ix;
}

static int count_hits_for(pw_conn *c, const char *text, int64_t id) {
    pw_kb_hit hits[20];
    pw_kb_index *ix = index_now(c);
    int n = ix ? pw_kb_search(ix, text, strlen(text), NULL, NULL, NULL, hits, 20) : -1, found = 0;
    for (int i = 0; i < n; i++)
        found += hits[i].id == id;
    pw_kb_index_free(ix);
    return n < 0 ? -1 : found;
}

static void store_round_trip(void) {
    pw_kb_article a, b;
    PW_CHECK_INT(parse_article("{\"slug\":\"zebra-crossing\",\"title\":\"Zebra crossing\","
                               "\"body\":\"Quagga stripes.\",\"intents\":[\"zz_one\",\"aa_two\"],"
                               "\"variants\":[{\"page_id\":\"p1\",\"steps\":[\"Ünïcode \\\"q\\\"\","
                               "\"two\"]},{\"route\":\"/z\",\"steps\":[\"three\"]}]}",
                               &a),
                 0);
    job j = {&a, 0};
    PW_CHECK_INT(pw_writer_run(writer, insert_job, &j), 0);
    PW_CHECK(a.id > 0 && a.created_at == 5000 && a.updated_at == 5000);
    pw_conn *c = pw_pool_get(pool);
    PW_CHECK_INT(pw_store_article_get(c, a.id, &b), 0);
    PW_CHECK(strcmp(b.slug, "zebra-crossing") == 0 && b.published == 1 && b.feature == NULL);
    PW_CHECK(b.intent_count == 2 && strcmp(b.intents[0], "zz_one") == 0); /* input order */
    PW_CHECK(b.variant_count == 2 && b.variants[0].route == NULL);
    PW_CHECK(b.variants[0].step_count == 2 && strcmp(b.variants[0].steps[0], "Ünïcode \"q\"") == 0);
    PW_CHECK(strcmp(b.variants[1].route, "/z") == 0 && b.variants[1].step_count == 1);
    int64_t ids[4];
    PW_CHECK_INT(pw_store_article_ids_for_intent(c, "aa_two", 1, ids, 4), 1);
    PW_CHECK_INT(count_hits_for(c, "quagga", a.id), 1);
    pw_kb_article_free(&b);
    pw_pool_put(pool, c);

    /* The same slug again is a conflict, and the failed job leaves nothing behind. */
    pw_kb_article dup;
    PW_CHECK_INT(parse_article("{\"slug\":\"zebra-crossing\",\"title\":\"T\",\"body\":\"B\","
                               "\"intents\":[\"dup_only\"]}",
                               &dup),
                 0);
    job jd = {&dup, 0};
    PW_CHECK_INT(pw_writer_run(writer, insert_job, &jd), PW_ARTICLE_ECONFLICT);
    c = pw_pool_get(pool);
    PW_CHECK_INT(pw_store_article_ids_for_intent(c, "dup_only", 0, ids, 4), 0);
    pw_pool_put(pool, c);
    pw_kb_article_free(&dup);

    /* Update replaces variants and intents and re-indexes the text. */
    pw_kb_article u;
    PW_CHECK_INT(parse_article("{\"slug\":\"zebra-crossing\",\"title\":\"Okapi\",\"body\":\"Forest"
                               " giraffe.\",\"intents\":[\"aa_three\"],\"published\":false}",
                               &u),
                 0);
    u.id = a.id;
    job ju = {&u, 0};
    PW_CHECK_INT(pw_writer_run(writer, update_job, &ju), 0);
    PW_CHECK(u.created_at == 5000 && u.updated_at == 6000);
    c = pw_pool_get(pool);
    PW_CHECK_INT(pw_store_article_get(c, a.id, &b), 0);
    PW_CHECK(b.variant_count == 0 && b.intent_count == 1 && strcmp(b.title, "Okapi") == 0);
    PW_CHECK_INT(pw_store_article_ids_for_intent(c, "aa_two", 0, ids, 4), 0);
    PW_CHECK_INT(pw_store_article_ids_for_intent(c, "aa_three", 1, ids, 4), 0); /* unpublished */
    PW_CHECK_INT(pw_store_article_ids_for_intent(c, "aa_three", 0, ids, 4), 1);
    PW_CHECK_INT(count_hits_for(c, "quagga", a.id), 0);
    PW_CHECK_INT(count_hits_for(c, "giraffe", a.id), 0); /* unpublished: not searchable */
    pw_kb_article_free(&b);
    pw_pool_put(pool, c);

    u.id = 999999;
    PW_CHECK_INT(pw_writer_run(writer, update_job, &ju), PW_ARTICLE_ENOTFOUND);
    job jdel = {NULL, a.id};
    PW_CHECK_INT(pw_writer_run(writer, delete_job, &jdel), 0);
    PW_CHECK_INT(pw_writer_run(writer, delete_job, &jdel), PW_ARTICLE_ENOTFOUND);
    c = pw_pool_get(pool);
    PW_CHECK_INT(pw_store_article_get(c, a.id, &b), PW_ARTICLE_ENOTFOUND);
    PW_CHECK_INT(pw_store_article_ids_for_intent(c, "aa_three", 0, ids, 4), 0);
    pw_kb_article_free(&b);
    pw_pool_put(pool, c);
    pw_kb_article_free(&a);
    pw_kb_article_free(&u);
}

static void list_pages_by_id(void) {
    pw_conn *c = pw_pool_get(pool);
    int64_t all = pw_store_article_count(c), ids[2], seen = 0, last = 0, published = 0;
    int n;
    while ((n = pw_store_article_list(c, last, 0, ids, 2)) > 0) {
        PW_CHECK(ids[0] > last && (n < 2 || ids[1] > ids[0]));
        seen += n;
        last = ids[n - 1];
    }
    PW_CHECK_INT(n, 0);
    PW_CHECK_INT(seen, all);
    for (last = 0; (n = pw_store_article_list(c, last, 1, ids, 2)) > 0; last = ids[n - 1])
        published += n;
    PW_CHECK(published > 0 && published <= all);
    if (strstr(kb_path, "demo_kb.json") == NULL)
        PW_CHECK(published < all); /* the fixture has an unpublished article */
    pw_pool_put(pool, c);
}

/* ---- search --------------------------------------------------------------------------- */

/* While typing, the last word may be unfinished: "expo" finds what "export" finds, a space
 * after it makes it whole again, and only the last word is a prefix. */
static void search_typing_matches_an_unfinished_word(void) {
    pw_kb_hit hits[8], whole[8];
    pw_conn *c = pw_pool_get(pool);
    pw_kb_index *ix = index_now(c);
    int64_t want = export_article_id(c);
    PW_CHECK_INT(pw_kb_search(ix, "expo", 4, NULL, NULL, NULL, hits, 8), 0);
    int n = pw_kb_search_typing(ix, "how do I expo", 13, NULL, NULL, NULL, hits, 8);
    int m = pw_kb_search(ix, "how do I export", 15, NULL, NULL, NULL, whole, 8);
    PW_CHECK(n >= 1 && m >= 1);
    int found = 0;
    for (int i = 0; i < n; i++)
        found |= hits[i].id == want;
    PW_CHECK(found);
    PW_CHECK(n >= 1 && strstr(hits[0].snippet, "<mark>") != NULL);
    PW_CHECK_INT(pw_kb_search_typing(ix, "expo ", 5, NULL, NULL, NULL, hits, 8), 0);
    PW_CHECK_INT(pw_kb_search_typing(ix, "expo pdf", 8, NULL, NULL, NULL, hits, 8) > 0, 1);
    pw_kb_index_free(ix);
    pw_pool_put(pool, c);
}

static void search_ranks_export_first(void) {
    static const char q[] = "why can't I export to PDF";
    pw_kb_hit hits[8];
    pw_conn *c = pw_pool_get(pool);
    pw_kb_index *ix = index_now(c);
    int64_t want = export_article_id(c);
    PW_CHECK(want > 0);
    int n = pw_kb_search(ix, q, strlen(q), "export_data", "/reports", NULL, hits, 8);
    PW_CHECK(n >= 1);
    if (n >= 1) {
        PW_CHECK_INT(hits[0].id, want);
        PW_CHECK(hits[0].route_match && hits[0].intent_match && hits[0].score > 0);
        PW_CHECK(strstr(hits[0].snippet, "<mark>") != NULL);
        PW_CHECK(strlen(hits[0].snippet) <= 300);
        PW_CHECK(strcmp(hits[0].plan_required, "starter") == 0);
    }
    for (int i = 1; i < n; i++) {
        PW_CHECK(hits[i].score <= hits[i - 1].score);
        PW_CHECK(!hits[i].route_match);
    }
    /* The text alone finds it too; without the page, nothing claims a route match. */
    n = pw_kb_search(ix, q, strlen(q), NULL, NULL, NULL, hits, 8);
    PW_CHECK(n >= 1 && !hits[0].route_match && !hits[0].intent_match);
    /* page_id matches like a route. */
    n = pw_kb_search(ix, "export", 6, NULL, NULL, "project-export", hits, 8);
    int page_matched = 0;
    for (int i = 0; i < n; i++)
        page_matched |= hits[i].route_match;
    if (strstr(kb_path, "demo_kb.json") == NULL)
        PW_CHECK(page_matched);
    pw_kb_index_free(ix);
    pw_pool_put(pool, c);
}

static void search_by_intent_alone(void) {
    pw_kb_hit hits[8];
    pw_conn *c = pw_pool_get(pool);
    pw_kb_index *ix = index_now(c);
    int64_t want = export_article_id(c);
    int n = pw_kb_search(ix, "?? !!", 5, "export_data", NULL, NULL, hits, 8), found = 0;
    PW_CHECK(n >= 1);
    for (int i = 0; i < n; i++) {
        PW_CHECK(hits[i].intent_match && hits[i].score > 0);
        found |= hits[i].id == want;
        PW_CHECK(strstr(hits[i].snippet, "<mark>") == NULL && hits[i].snippet[0]);
    }
    PW_CHECK(found);
    /* No usable word and no intent: nothing, and no error. */
    PW_CHECK_INT(pw_kb_search(ix, "the of to", 9, NULL, NULL, NULL, hits, 8), 0);
    PW_CHECK_INT(pw_kb_search(ix, "", 0, NULL, "/reports", NULL, hits, 8), 0);
    PW_CHECK_INT(pw_kb_search(ix, "export", 6, NULL, NULL, NULL, hits, 0), 0);
    pw_kb_index_free(ix);
    pw_pool_put(pool, c);
}

static void search_survives_query_syntax(void) {
    static const char *const garbage[] = {"\"*^ NEAR( OR",
                                          "AND OR NOT",
                                          "\"\"\"",
                                          "title:export",
                                          "* ^ - + :",
                                          "NEAR(export pdf, 3)",
                                          "{title body}: export",
                                          "export*",
                                          "\"export\" OR \"",
                                          "(((",
                                          "\xff\xfe\xfd export \xc3",
                                          "\xe2\x80\x9c"
                                          "export\xe2\x80\x9d",
                                          "don\xe2\x80\x99t export",
                                          "col:\"x\" AND NOT y",
                                          "\\\"'; DROP TABLE articles; --",
                                          NULL};
    pw_kb_hit hits[8];
    pw_conn *c = pw_pool_get(pool);
    pw_kb_index *ix = index_now(c);
    for (int i = 0; garbage[i]; i++) {
        int n = pw_kb_search(ix, garbage[i], strlen(garbage[i]), "export_data", "/reports", NULL,
                             hits, 8);
        if (n < 0)
            fprintf(stderr, "    failed on: %s\n", garbage[i]);
        PW_CHECK(n >= 0);
    }
    static const char with_nul[] = "export\0pdf";
    PW_CHECK(pw_kb_search(ix, with_nul, sizeof with_nul - 1, NULL, NULL, NULL, hits, 8) >= 0);
    /* A megabyte of one token and 100k words: bounded work, no error. */
    size_t big = 1 << 20;
    char *s = malloc(big);
    if (s) {
        memset(s, 'x', big);
        PW_CHECK(pw_kb_search(ix, s, big, NULL, NULL, NULL, hits, 8) >= 0);
        for (size_t i = 0; i + 10 <= big; i += 10)
            memcpy(s + i, "export pdf", 10);
        PW_CHECK(pw_kb_search(ix, s, big, NULL, NULL, NULL, hits, 8) >= 1);
        free(s);
    }
    pw_kb_index_free(ix);
    pw_pool_put(pool, c);
}

/* ---- compose -------------------------------------------------------------------------- */

static void compose_picks_plan_steps_or_body(void) {
    pw_conn *c = pw_pool_get(pool);
    pw_kb_article a;
    int64_t id = export_article_id(c);
    PW_CHECK_INT(pw_store_article_get(c, id, &a), 0);
    pw_pool_put(pool, c);
    char out[4096];
    pw_answer_kind kind;

    PW_CHECK_INT(pw_kb_compose(&a, "/reports", NULL, "free", 0, out, sizeof out, &kind), 0);
    PW_CHECK_INT(kind, PW_ANSWER_PLAN);
    PW_CHECK(strstr(out, "Starter") != NULL && strstr(out, "1. ") == NULL);

    PW_CHECK_INT(pw_kb_compose(&a, "/reports", NULL, "starter", 0, out, sizeof out, &kind), 0);
    PW_CHECK_INT(kind, PW_ANSWER_STEPS);
    const pw_kb_variant *v = variant_for(&a, "/reports");
    PW_CHECK(v != NULL && strncmp(out, "Here's how to do that from this page:\n1. ", 41) == 0);
    if (v) {
        char first[1024], last[1024];
        snprintf(first, sizeof first, "1. %s\n", v->steps[0]);
        snprintf(last, sizeof last, "%zu. %s\n", v->step_count, v->steps[v->step_count - 1]);
        PW_CHECK(strstr(out, first) != NULL && strstr(out, last) != NULL);
    }
    char from[512];
    snprintf(from, sizeof from, "\n\nFrom: %s", a.title);
    PW_CHECK(strlen(out) > strlen(from) && strcmp(out + strlen(out) - strlen(from), from) == 0);

    /* The widget saw the feature disabled by the plan: no steps, whatever the plan says. */
    PW_CHECK_INT(pw_kb_compose(&a, "/reports", NULL, "enterprise", 1, out, sizeof out, &kind), 0);
    PW_CHECK_INT(kind, PW_ANSWER_PLAN);
    /* An unknown plan blocks nothing; no matching variant gives the body. */
    PW_CHECK_INT(pw_kb_compose(&a, "/reports", NULL, NULL, 0, out, sizeof out, &kind), 0);
    PW_CHECK_INT(kind, PW_ANSWER_STEPS);
    PW_CHECK_INT(pw_kb_compose(&a, "/nowhere", "no-page", "pro", 0, out, sizeof out, &kind), 0);
    PW_CHECK_INT(kind, PW_ANSWER_ARTICLE);
    PW_CHECK(strncmp(out, a.body, strlen(a.body)) == 0 && strstr(out, from) != NULL);
    PW_CHECK(pw_kb_plan_blocks(a.plan_required, "free") &&
             !pw_kb_plan_blocks(a.plan_required, "pro") &&
             !pw_kb_plan_blocks(a.plan_required, "gold"));
    pw_kb_article_free(&a);
}

static void compose_plan_fallback_names_the_plan(void) {
    pw_kb_article a;
    PW_CHECK_INT(parse_article("{\"slug\":\"sso\",\"title\":\"Single sign-on\",\"body\":\"SAML.\","
                               "\"plan_required\":\"enterprise\",\"variants\":[{\"route\":\"/s\","
                               "\"steps\":[\"Open SSO.\"]}]}",
                               &a),
                 0);
    char out[256];
    pw_answer_kind kind;
    PW_CHECK_INT(pw_kb_compose(&a, "/s", NULL, "pro", 0, out, sizeof out, &kind), 0);
    PW_CHECK_INT(kind, PW_ANSWER_PLAN);
    PW_CHECK(strstr(out, "Enterprise plan") != NULL);
    pw_kb_article_free(&a);
}

static void compose_truncates_at_utf8_boundaries(void) {
    pw_kb_article a;
    PW_CHECK_INT(parse_article("{\"slug\":\"u\",\"title\":\"Ünïcödé 東京\",\"body\":\"é🚀東\","
                               "\"variants\":[{\"route\":\"/u\",\"steps\":[\"Café ☕ 🚀🚀\","
                               "\"日本語のステップ\"]}]}",
                               &a),
                 0);
    char full[512], out[512];
    pw_answer_kind kind;
    PW_CHECK_INT(pw_kb_compose(&a, "/u", NULL, NULL, 0, full, sizeof full, &kind), 0);
    size_t len = strlen(full);
    for (size_t cap = 1; cap <= len + 1; cap++) {
        memset(out, 'Z', sizeof out);
        PW_CHECK_INT(pw_kb_compose(&a, "/u", NULL, NULL, 0, out, cap, &kind), 0);
        size_t n = strlen(out);
        PW_CHECK(n < cap);
        PW_CHECK(pw__kb_utf8_valid(out, n));
        if (cap == len + 1) {
            PW_CHECK_STRN(out, n, full);
        } else if (cap >= 5) {
            /* A cut text is a prefix of the full one, then "…". */
            PW_CHECK(n >= 3 && strcmp(out + n - 3, "\xE2\x80\xA6") == 0);
            PW_CHECK(strncmp(out, full, n - 3) == 0);
        } else {
            PW_CHECK(strncmp(out, full, n) == 0);
        }
    }
    PW_CHECK_INT(pw_kb_compose(&a, "/u", NULL, NULL, 0, out, 0, &kind), -1);
    pw_kb_article_free(&a);
}

/* ---- intake --------------------------------------------------------------------------- */

#define OK_HEAD "\"slug\":\"ok\",\"title\":\"T\",\"body\":\"B\""

static char *repeat(const char *item, int times, const char *sep) {
    size_t n = strlen(item), m = strlen(sep);
    char *s = malloc((size_t)times * (n + m) + 1);
    size_t len = 0;
    for (int i = 0; s && i < times; i++) {
        memcpy(s + len, item, n);
        len += n;
        if (i + 1 < times) {
            memcpy(s + len, sep, m);
            len += m;
        }
    }
    if (s)
        s[len] = '\0';
    return s;
}

static void expect_field(const char *json, const char *field) {
    pw_problem p;
    pw_kb_article a;
    cJSON *obj = cJSON_Parse(json);
    PW_CHECK(obj != NULL);
    if (!obj)
        return;
    memset(&p, 0, sizeof p);
    int rc = pw_kb_article_from_json(obj, &a, &p);
    cJSON_Delete(obj);
    PW_CHECK_INT(rc, -1);
    if (rc != -1 || strcmp(p.field, field) != 0 || p.status != 400)
        fprintf(stderr, "    input %.120s\n    field \"%s\" (%s), expected \"%s\"\n", json, p.field,
                p.message, field);
    PW_CHECK(strcmp(p.field, field) == 0);
    PW_CHECK_INT(p.status, 400);
    PW_CHECK(a.slug == NULL && a.variants == NULL); /* nothing left to free */
}

static void intake_names_each_bad_field(void) {
    static const struct {
        const char *json, *field;
    } cases[] = {
        {"[]", ""},
        {"{" OK_HEAD ",\"colour\":1}", "colour"},
        {"{\"title\":\"T\",\"body\":\"B\"}", "slug"},
        {"{\"slug\":5,\"title\":\"T\",\"body\":\"B\"}", "slug"},
        {"{\"slug\":\"Not OK\",\"title\":\"T\",\"body\":\"B\"}", "slug"},
        {"{\"slug\":\"a--b\",\"title\":\"T\",\"body\":\"B\"}", "slug"},
        {"{\"slug\":\"-a\",\"title\":\"T\",\"body\":\"B\"}", "slug"},
        {"{\"slug\":\"a-\",\"title\":\"T\",\"body\":\"B\"}", "slug"},
        {"{\"slug\":\"ok\",\"body\":\"B\"}", "title"},
        {"{\"slug\":\"ok\",\"title\":\"\",\"body\":\"B\"}", "title"},
        {"{\"slug\":\"ok\",\"title\":\" \\n \",\"body\":\"B\"}", "title"},
        {"{\"slug\":\"ok\",\"title\":[],\"body\":\"B\"}", "title"},
        {"{\"slug\":\"ok\",\"title\":\"\xff\xfe\",\"body\":\"B\"}", "title"},
        {"{\"slug\":\"ok\",\"title\":\"T\"}", "body"},
        {"{\"slug\":\"ok\",\"title\":\"T\",\"body\":\"\"}", "body"},
        {"{" OK_HEAD ",\"plan_required\":\"gold\"}", "plan_required"},
        {"{" OK_HEAD ",\"plan_required\":1}", "plan_required"},
        {"{" OK_HEAD ",\"feature\":\"has space\"}", "feature"},
        {"{" OK_HEAD ",\"plan_note\":false}", "plan_note"},
        {"{" OK_HEAD ",\"internal_note\":{}}", "internal_note"},
        {"{" OK_HEAD ",\"human_only\":\"yes\"}", "human_only"},
        {"{" OK_HEAD ",\"published\":1}", "published"},
        {"{" OK_HEAD ",\"intents\":\"export_data\"}", "intents"},
        {"{" OK_HEAD ",\"intents\":[\"\"]}", "intents[0]"},
        {"{" OK_HEAD ",\"intents\":[\"ok\",\"Export\"]}", "intents[1]"},
        {"{" OK_HEAD ",\"intents\":[\"a\",\"b\",\"a\"]}", "intents[2]"},
        {"{" OK_HEAD ",\"intents\":[3]}", "intents[0]"},
        {"{" OK_HEAD ",\"variants\":{}}", "variants"},
        {"{" OK_HEAD ",\"variants\":[1]}", "variants[0]"},
        {"{" OK_HEAD ",\"variants\":[{\"steps\":[\"x\"]}]}", "variants[0]"},
        {"{" OK_HEAD ",\"variants\":[{\"route\":\"reports\",\"steps\":[\"x\"]}]}",
         "variants[0].route"},
        {"{" OK_HEAD ",\"variants\":[{\"route\":\"/a b\",\"steps\":[\"x\"]}]}",
         "variants[0].route"},
        {"{" OK_HEAD ",\"variants\":[{\"route\":\"/r\",\"page_id\":\"\",\"steps\":[\"x\"]}]}",
         "variants[0].page_id"},
        {"{" OK_HEAD ",\"variants\":[{\"route\":\"/r\"}]}", "variants[0].steps"},
        {"{" OK_HEAD ",\"variants\":[{\"route\":\"/r\",\"steps\":[]}]}", "variants[0].steps"},
        {"{" OK_HEAD ",\"variants\":[{\"route\":\"/r\",\"steps\":\"x\"}]}", "variants[0].steps"},
        {"{" OK_HEAD ",\"variants\":[{\"route\":\"/r\",\"steps\":[\"a\",5]}]}",
         "variants[0].steps[1]"},
        {"{" OK_HEAD ",\"variants\":[{\"route\":\"/r\",\"steps\":[\"a\",\"  \"]}]}",
         "variants[0].steps[1]"},
        {"{" OK_HEAD ",\"variants\":[{\"route\":\"/r\",\"steps\":[\"ok\"],\"x\":1}]}",
         "variants[0].x"},
        {"{" OK_HEAD ",\"variants\":[{\"route\":\"/a\",\"steps\":[\"a\"]},{\"route\":\"/b\","
         "\"steps\":[\"b\"]},{\"route\":\"/c\",\"steps\":[7]}]}",
         "variants[2].steps[0]"},
        {"{" OK_HEAD ",\"variants\":[{\"route\":\"/a\",\"steps\":[\"a\"]},{\"route\":\"/a\","
         "\"steps\":[\"b\"]}]}",
         "variants[1].route"},
        {"{" OK_HEAD ",\"variants\":[{\"page_id\":\"p\",\"steps\":[\"a\"]},{\"page_id\":\"p\","
         "\"steps\":[\"b\"]}]}",
         "variants[1].page_id"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        expect_field(cases[i].json, cases[i].field);
}

static void intake_enforces_limits(void) {
    char *json = malloc(64 * 1024), *s;
    if (!json)
        return;
    /* Lengths: one byte over each limit. */
    char *long_title = repeat("t", PW_KB_TITLE_MAX + 1, "");
    snprintf(json, 64 * 1024, "{\"slug\":\"ok\",\"title\":\"%s\",\"body\":\"B\"}", long_title);
    expect_field(json, "title");
    free(long_title);
    char *long_slug = repeat("a", PW_KB_SLUG_MAX + 1, "");
    snprintf(json, 64 * 1024, "{\"slug\":\"%s\",\"title\":\"T\",\"body\":\"B\"}", long_slug);
    expect_field(json, "slug");
    free(long_slug);
    char *long_step = repeat("s", PW_KB_STEP_MAX + 1, "");
    snprintf(json, 64 * 1024, "{" OK_HEAD ",\"variants\":[{\"route\":\"/r\",\"steps\":[\"%s\"]}]}",
             long_step);
    expect_field(json, "variants[0].steps[0]");
    free(long_step);
    /* Counts: 21 variants, 31 steps, 21 intents. */
    s = repeat("{\"route\":\"/r\",\"steps\":[\"x\"]}", PW_KB_MAX_VARIANTS + 1, ",");
    snprintf(json, 64 * 1024, "{" OK_HEAD ",\"variants\":[%s]}", s);
    expect_field(json, "variants");
    free(s);
    s = repeat("\"x\"", PW_KB_MAX_STEPS + 1, ",");
    snprintf(json, 64 * 1024, "{" OK_HEAD ",\"variants\":[{\"route\":\"/r\",\"steps\":[%s]}]}", s);
    expect_field(json, "variants[0].steps");
    free(s);
    s = repeat("\"x\"", PW_KB_MAX_INTENTS + 1, ",");
    snprintf(json, 64 * 1024, "{" OK_HEAD ",\"intents\":[%s]}", s);
    expect_field(json, "intents");
    free(s);
    /* At the limits exactly: accepted. */
    pw_kb_article a;
    s = repeat("\"x\"", PW_KB_MAX_STEPS, ",");
    snprintf(json, 64 * 1024, "{" OK_HEAD ",\"variants\":[{\"route\":\"/r\",\"steps\":[%s]}]}", s);
    PW_CHECK_INT(parse_article(json, &a), 0);
    PW_CHECK_INT(a.variants[0].step_count, PW_KB_MAX_STEPS);
    pw_kb_article_free(&a);
    free(s);
    free(json);
}

static void json_round_trip_hides_internal_note(void) {
    pw_kb_article a, b;
    static const char in[] =
        "{\"slug\":\"rt\",\"title\":\"Round trip\",\"body\":\"Body\",\"feature\":\"export\","
        "\"plan_required\":\"pro\",\"plan_note\":\"Pro only.\",\"internal_note\":\"secret\","
        "\"human_only\":true,\"published\":false,\"intents\":[\"x_y\"],\"variants\":[{\"route\":"
        "\"/r\",\"page_id\":\"p\",\"steps\":[\"one\"]},{\"page_id\":\"q\",\"steps\":[\"two\"]}]}";
    PW_CHECK_INT(parse_article(in, &a), 0);
    a.id = 7;
    cJSON *pub = pw_kb_article_to_json(&a, 0), *agent = pw_kb_article_to_json(&a, 1);
    PW_CHECK(pub && agent);
    if (!pub || !agent)
        return;
    PW_CHECK(cJSON_GetObjectItem(pub, "internal_note") == NULL);
    PW_CHECK(cJSON_IsString(cJSON_GetObjectItem(agent, "internal_note")));
    PW_CHECK(cJSON_IsFalse(cJSON_GetObjectItem(pub, "published")));
    PW_CHECK(cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(pub, "variants"), 1),
                                 "route") == NULL);
    /* Output minus the server's fields is valid input that reads back the same. */
    cJSON_DeleteItemFromObject(agent, "id");
    cJSON_DeleteItemFromObject(agent, "created_at");
    cJSON_DeleteItemFromObject(agent, "updated_at");
    pw_problem p;
    PW_CHECK_INT(pw_kb_article_from_json(agent, &b, &p), 0);
    b.id = 7;
    cJSON *again = pw_kb_article_to_json(&b, 1);
    cJSON *first = pw_kb_article_to_json(&a, 1);
    PW_CHECK(cJSON_Compare(first, again, 1));
    cJSON_Delete(again);
    cJSON_Delete(first);
    cJSON_Delete(pub);
    cJSON_Delete(agent);
    pw_kb_article_free(&a);
    pw_kb_article_free(&b);
    /* An empty article has empty arrays and nulls, not missing keys. */
    PW_CHECK_INT(parse_article("{" OK_HEAD "}", &a), 0);
    cJSON *o = pw_kb_article_to_json(&a, 0);
    PW_CHECK(o && cJSON_IsArray(cJSON_GetObjectItem(o, "variants")) &&
             cJSON_IsArray(cJSON_GetObjectItem(o, "intents")) &&
             cJSON_IsNull(cJSON_GetObjectItem(o, "plan_required")) &&
             cJSON_IsTrue(cJSON_GetObjectItem(o, "published")));
    cJSON_Delete(o);
    pw_kb_article_free(&a);
}

/* Past 256 articles the search scores into heap scratch instead of the stack's: the ranking
 * must not notice. Runs last, since the filler articles stay. */
static void search_ranks_alike_in_a_large_knowledge_base(void) {
    static const char q[] = "why can't I export to PDF";
    int64_t filler_137 = 0;
    for (int i = 0; i < 300; i++) {
        char json[256];
        pw_kb_article a;
        snprintf(json, sizeof json,
                 "{\"slug\":\"filler-%d\",\"title\":\"Filler %d\",\"body\":\"Quokka zq%d "
                 "wombat numbat.\"}",
                 i, i, i);
        if (parse_article(json, &a) != 0)
            break;
        job j = {&a, 0};
        PW_CHECK_INT(pw_writer_run(writer, insert_job, &j), 0);
        if (i == 137)
            filler_137 = a.id;
        pw_kb_article_free(&a);
    }
    pw_conn *c = pw_pool_get(pool);
    int64_t want = export_article_id(c);
    pw_kb_index *ix = index_now(c);
    pw_kb_hit hits[8];
    PW_CHECK(ix && filler_137 > 0 && pw_kb_index_article(ix, filler_137) != NULL);
    int n = ix ? pw_kb_search(ix, q, strlen(q), "export_data", "/reports", NULL, hits, 8) : 0;
    PW_CHECK(n >= 2);
    PW_CHECK(n >= 1 && hits[0].id == want && hits[0].route_match && hits[0].intent_match);
    for (int i = 1; i < n; i++)
        PW_CHECK(hits[i].score <= hits[i - 1].score);
    n = ix ? pw_kb_search(ix, "zq137", 5, NULL, NULL, NULL, hits, 8) : 0;
    PW_CHECK_INT(n, 1);
    PW_CHECK(n == 1 && hits[0].id == filler_137 && hits[0].score > 0);
    /* A word of every filler: 300 hits, of which the best 8 come back, best first. */
    n = ix ? pw_kb_search(ix, "numbat", 6, NULL, NULL, NULL, hits, 8) : 0;
    PW_CHECK_INT(n, 8);
    for (int i = 1; i < n; i++)
        PW_CHECK(hits[i].score < hits[i - 1].score ||
                 (hits[i].score == hits[i - 1].score && hits[i].id > hits[i - 1].id));
    pw_kb_index_free(ix);
    pw_pool_put(pool, c);
}

int main(int argc, char **argv) {
    char unused[600];
    if (pw_test_dir_make("pw_kb_test", dir, sizeof dir, "", unused, sizeof unused))
        return 1;
    /* The demo KB when it is there (ctest passes it), else the inline fixture. */
    if (argc > 1 && access(argv[1], R_OK) == 0) {
        snprintf(kb_path, sizeof kb_path, "%s", argv[1]);
    } else {
        snprintf(kb_path, sizeof kb_path, "%s/fixture.json", dir);
        if (write_file(kb_path, fixture))
            return perror(kb_path), 1;
    }
    fprintf(stderr, "knowledge base: %s\n", kb_path);
    char path[512], err[256];
    if (make_store("kb.db", path, sizeof path))
        return 1;
    writer = pw_writer_start(path, err, sizeof err);
    pool = pw_pool_open(path, 2, err, sizeof err);
    if (!writer || !pool)
        return fprintf(stderr, "store: %s\n", err), 1;

    PW_RUN(seed_imports_once);
    PW_RUN(seed_names_the_bad_field);
    PW_RUN(search_ranks_export_first);
    PW_RUN(search_typing_matches_an_unfinished_word);
    PW_RUN(search_by_intent_alone);
    PW_RUN(search_survives_query_syntax);
    PW_RUN(compose_picks_plan_steps_or_body);
    PW_RUN(compose_plan_fallback_names_the_plan);
    PW_RUN(compose_truncates_at_utf8_boundaries);
    PW_RUN(store_round_trip);
    PW_RUN(list_pages_by_id);
    PW_RUN(intake_names_each_bad_field);
    PW_RUN(intake_enforces_limits);
    PW_RUN(json_round_trip_hides_internal_note);
    PW_RUN(search_ranks_alike_in_a_large_knowledge_base);

    pw_pool_close(pool);
    pw_writer_stop(writer);
    pw_test_dir_remove(dir);
    return pw_test_exit_code();
}
