/* /api/v1/articles: the knowledge base over HTTP. Reads (list, get, search) are public for
 * published articles and show agents everything, internal notes included; writes are for
 * admins and go through the writer. Validation is the KB's own intake (kb/article.c).
 * SPDX-License-Identifier: MIT */
#include "api.h"
#include "auth.h"
#include "request.h"
#include "../kb/kb.h"
#include "../log.h"
#include "../store/articles.h"
#include "../store/jsonw.h"

#include <civetweb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PREFIX     "/api/v1/articles"
#define LIST_MAX   200
#define SEARCH_MAX 50
#define QUERY_MAX  500

static int internal_error(struct mg_connection *conn, const char *what) {
    pw_log_error("api.articles", "error", what, NULL);
    return pw_api_send_error(conn, 500, "internal", NULL, "the knowledge base store failed");
}

static int not_found(struct mg_connection *conn) {
    return pw_api_send_error(conn, 404, "not_found", NULL, "no such article");
}

/* ---- reads ---------------------------------------------------------------------------- */

/* {items, next_cursor} for ids[0..n), where n == limit + 1 means there is a next page. */
static cJSON *page_json(pw_conn *c, const int64_t *ids, int n, int limit, int for_agent) {
    cJSON *body = cJSON_CreateObject();
    cJSON *items = body ? cJSON_AddArrayToObject(body, "items") : NULL;
    int ok = items != NULL;
    for (int i = 0; ok && i < n && i < limit; i++) {
        pw_kb_article a;
        int rc = pw_store_article_get(c, ids[i], &a);
        cJSON *item = rc == 0 ? pw_kb_article_to_json(&a, for_agent) : NULL;
        pw_kb_article_free(&a);
        /* An article deleted since the id query is simply left out of this page. */
        ok = rc == PW_ARTICLE_ENOTFOUND || (item && cJSON_AddItemToArray(items, item));
    }
    char cursor[24];
    snprintf(cursor, sizeof cursor, "%lld", n > limit ? (long long)ids[limit - 1] : 0LL);
    ok = ok && (n > limit ? cJSON_AddStringToObject(body, "next_cursor", cursor)
                          : cJSON_AddNullToObject(body, "next_cursor")) != NULL;
    if (!ok) {
        cJSON_Delete(body);
        return NULL;
    }
    return body;
}

static int list_articles(struct mg_connection *conn, pw_server *srv) {
    pw_agent_auth who;
    pw_problem p;
    int limit, rc = pw_auth_agent_optional(conn, srv, &who);
    int64_t cursor, ids[LIST_MAX + 1];
    if (rc)
        return rc;
    if (pw_request_page(conn, &limit, &cursor, &p))
        return pw_problem_send(conn, &p);
    pw_conn *c = pw_pool_get(srv->readers);
    int n = pw_store_article_list(c, cursor, who.id == 0, ids, limit + 1);
    cJSON *body = n >= 0 ? page_json(c, ids, n, limit, who.id != 0) : NULL;
    pw_pool_put(srv->readers, c);
    return body ? pw_api_send_json(conn, 200, body) : internal_error(conn, "list");
}

static int get_article(struct mg_connection *conn, pw_server *srv, int64_t id) {
    pw_agent_auth who;
    pw_kb_article a;
    int rc = pw_auth_agent_optional(conn, srv, &who);
    if (rc)
        return rc;
    pw_conn *c = pw_pool_get(srv->readers);
    rc = pw_store_article_get(c, id, &a);
    pw_pool_put(srv->readers, c);
    /* An unpublished article does not exist for the public, so 404 rather than 403. */
    if (rc == PW_ARTICLE_ENOTFOUND || (rc == 0 && !a.published && who.id == 0)) {
        pw_kb_article_free(&a);
        return not_found(conn);
    }
    cJSON *body = rc == 0 ? pw_kb_article_to_json(&a, who.id != 0) : NULL;
    pw_kb_article_free(&a);
    return body ? pw_api_send_json(conn, 200, body) : internal_error(conn, "get");
}

/* ---- search --------------------------------------------------------------------------- */

typedef struct search_params {
    char q[QUERY_MAX + 2];
    size_t q_len;
    char route[PW_KB_ROUTE_MAX + 2], page_id[PW_KB_PAGE_ID_MAX + 2];
    char intent[PW_KB_INTENT_MAX + 2], plan[16];
    int limit;
    int partial; /* the last word may be unfinished: search as the user types */
} search_params;

/* Query parameter `name` of at most `max` bytes into buf (cap >= max + 2). Returns its length
 * (0 when absent or empty), or -1 with *p set. */
static int query_param(struct mg_connection *conn, const char *name, char *buf, size_t cap,
                       size_t max, pw_problem *p) {
    int n = pw_request_query(conn, name, buf, cap);
    if (n < 0 || (size_t)n > max)
        return pw_problem_set(p, 400, "invalid", name, "must be at most %zu bytes", max);
    return n;
}

static int valid_intent_name(const char *s) {
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
            return 0;
    return 1;
}

static int read_search(struct mg_connection *conn, search_params *sp, pw_problem *p) {
    char limit[16], partial[4] = "";
    int n = query_param(conn, "q", sp->q, sizeof sp->q, QUERY_MAX, p);
    if (n <= 0)
        return n < 0 ? -1 : pw_problem_set(p, 400, "invalid", "q", "is required");
    sp->q_len = (size_t)n;
    if (query_param(conn, "route", sp->route, sizeof sp->route, PW_KB_ROUTE_MAX, p) < 0 ||
        query_param(conn, "page_id", sp->page_id, sizeof sp->page_id, PW_KB_PAGE_ID_MAX, p) < 0 ||
        query_param(conn, "intent", sp->intent, sizeof sp->intent, PW_KB_INTENT_MAX, p) < 0 ||
        query_param(conn, "plan", sp->plan, sizeof sp->plan, 10, p) < 0 ||
        query_param(conn, "partial", partial, sizeof partial, 1, p) < 0 ||
        (n = query_param(conn, "limit", limit, sizeof limit, 3, p)) < 0)
        return -1;
    if (partial[0] && partial[0] != '0' && partial[0] != '1')
        return pw_problem_set(p, 400, "invalid", "partial", "must be 0 or 1");
    sp->partial = partial[0] == '1';
    if (sp->route[0] && sp->route[0] != '/')
        return pw_problem_set(p, 400, "invalid", "route", "must start with /");
    if (!valid_intent_name(sp->intent))
        return pw_problem_set(p, 400, "invalid", "intent",
                              "must be lowercase letters, digits and underscores");
    if (sp->plan[0] && pw_kb_plan_rank(sp->plan) < 0)
        return pw_problem_set(p, 400, "invalid", "plan",
                              "must be one of: free, starter, pro, enterprise");
    char *end = limit;
    long v = n > 0 ? strtol(limit, &end, 10) : 10;
    if (*end || v < 1 || v > SEARCH_MAX)
        return pw_problem_set(p, 400, "invalid", "limit", "must be an integer from 1 to %d",
                              SEARCH_MAX);
    sp->limit = (int)v;
    return 0;
}

static const char *or_null(const char *s) {
    return s[0] ? s : NULL;
}

/* {"items": [SearchResult], "next_cursor": null}. NULL when out of memory. */
static char *results_json(const pw_kb_hit *hits, int n, const char *plan) {
    pw_jsonw w = {0};
    pw_jsonw_open(&w, '{');
    pw_jsonw_key(&w, "items");
    pw_api_write_search_results(&w, hits, n, 1, plan);
    pw_jsonw_key(&w, "next_cursor");
    pw_jsonw_null(&w);
    pw_jsonw_close(&w, '}');
    return pw_jsonw_finish(&w);
}

static int search_articles(struct mg_connection *conn, pw_server *srv) {
    search_params sp;
    pw_problem p;
    memset(&sp, 0, sizeof sp);
    if (read_search(conn, &sp, &p))
        return pw_problem_send(conn, &p);
    pw_kb_hit *hits = malloc(SEARCH_MAX * sizeof *hits);
    if (!hits)
        return internal_error(conn, "out of memory");
    const pw_kb_index *kb = pw_kb_live_acquire(&srv->kb);
    int (*search)(const pw_kb_index *, const char *, size_t, const char *, const char *,
                  const char *, pw_kb_hit *, int) = sp.partial ? pw_kb_search_typing : pw_kb_search;
    int n = search(kb, sp.q, sp.q_len, or_null(sp.intent), or_null(sp.route), or_null(sp.page_id),
                   hits, sp.limit);
    pw_kb_live_release(&srv->kb, kb);
    char *body = n >= 0 ? results_json(hits, n, or_null(sp.plan)) : NULL;
    free(hits);
    int rc = body ? pw_api_send_text(conn, 200, body) : internal_error(conn, "search");
    free(body);
    return rc;
}

/* ---- writes (admin) ------------------------------------------------------------------- */

typedef struct write_args {
    pw_kb_article *article;
    int64_t id, now;
} write_args;

static int insert_job(pw_conn *c, void *arg) {
    write_args *w = arg;
    int64_t id = pw_store_article_insert(c, w->article, w->now);
    return id < 0 ? (int)id : 0;
}

static int update_job(pw_conn *c, void *arg) {
    write_args *w = arg;
    return pw_store_article_update(c, w->article, w->now);
}

static int delete_job(pw_conn *c, void *arg) {
    write_args *w = arg;
    return pw_store_article_delete(c, w->id);
}

/* Reads and validates the request's ArticleInput into *a. 0, or sends the problem. */
static int read_input(struct mg_connection *conn, pw_server *srv, pw_kb_article *a) {
    pw_problem p;
    cJSON *in = pw_request_json(conn, srv->cfg.limits.body_bytes, 1, &p);
    if (!in)
        return pw_problem_send(conn, &p);
    int rc = pw_kb_article_from_json(in, a, &p);
    cJSON_Delete(in);
    return rc ? pw_problem_send(conn, &p) : 0;
}

/* The write has committed: retrieval must see it before the writer's client hears of it. */
static int committed(pw_server *srv, int rc) {
    if (rc >= 0)
        pw_kb_live_reload(&srv->kb, srv->readers);
    return rc;
}

/* Answers a write's outcome and frees the article. */
static int written(struct mg_connection *conn, pw_kb_article *a, int rc, int status) {
    cJSON *body = rc >= 0 ? pw_kb_article_to_json(a, 1) : NULL;
    char location[64];
    snprintf(location, sizeof location, PREFIX "/%lld", (long long)a->id);
    pw_kb_article_free(a);
    if (rc == PW_ARTICLE_ECONFLICT)
        return pw_api_send_error(conn, 409, "conflict", "slug", "another article has this slug");
    if (rc == PW_ARTICLE_ENOTFOUND)
        return not_found(conn);
    if (!body)
        return internal_error(conn, rc == PW_WRITE_EIO ? "commit failed" : "write");
    return status == 201 ? pw_api_send_json_with(conn, 201, body, "Location", location)
                         : pw_api_send_json(conn, status, body);
}

static int create_article(struct mg_connection *conn, pw_server *srv) {
    pw_agent_auth who;
    pw_kb_article a;
    int rc = pw_auth_agent(conn, srv, 1, &who);
    if (rc || (rc = read_input(conn, srv, &a)) != 0)
        return rc;
    write_args w = {&a, 0, pw_now_ms()};
    return written(conn, &a, committed(srv, pw_writer_run(srv->writer, insert_job, &w)), 201);
}

static int replace_article(struct mg_connection *conn, pw_server *srv, int64_t id) {
    pw_agent_auth who;
    pw_kb_article a;
    int rc = pw_auth_agent(conn, srv, 1, &who);
    if (rc || (rc = read_input(conn, srv, &a)) != 0)
        return rc;
    a.id = id;
    write_args w = {&a, id, pw_now_ms()};
    return written(conn, &a, committed(srv, pw_writer_run(srv->writer, update_job, &w)), 200);
}

static int delete_article(struct mg_connection *conn, pw_server *srv, int64_t id) {
    pw_agent_auth who;
    int rc = pw_auth_agent(conn, srv, 1, &who);
    if (rc)
        return rc;
    write_args w = {NULL, id, 0};
    rc = committed(srv, pw_writer_run(srv->writer, delete_job, &w));
    if (rc == PW_ARTICLE_ENOTFOUND)
        return not_found(conn);
    if (rc < 0)
        return internal_error(conn, "delete");
    return pw_api_send_empty(conn, 204, NULL, NULL);
}

/* ---- routing -------------------------------------------------------------------------- */

static int articles_handler(struct mg_connection *conn, void *cbdata) {
    pw_server *srv = cbdata;
    const struct mg_request_info *ri = mg_get_request_info(conn);
    const char *m = ri->request_method, *rest = "";
    int rc = pw_auth_ip_limit(conn, srv);
    if (rc)
        return rc;
    if (strcmp(ri->local_uri, PREFIX) == 0) {
        if (strcmp(m, "GET") == 0)
            return list_articles(conn, srv);
        return strcmp(m, "POST") == 0 ? create_article(conn, srv)
                                      : pw_api_method_not_allowed(conn, "GET, POST");
    }
    if (strcmp(ri->local_uri, PREFIX "/search") == 0)
        return strcmp(m, "GET") == 0 ? search_articles(conn, srv)
                                     : pw_api_method_not_allowed(conn, "GET");
    int64_t id = pw_request_path_id(conn, PREFIX "/", &rest);
    if (id < 0 || *rest)
        return not_found(conn);
    if (strcmp(m, "GET") == 0)
        return get_article(conn, srv, id);
    if (strcmp(m, "PUT") == 0)
        return replace_article(conn, srv, id);
    return strcmp(m, "DELETE") == 0 ? delete_article(conn, srv, id)
                                    : pw_api_method_not_allowed(conn, "GET, PUT, DELETE");
}

void pw_api_articles_register(struct mg_context *http, pw_server *srv) {
    mg_set_request_handler(http, PREFIX, articles_handler, srv);
}
