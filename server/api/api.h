/* The REST API under /api/v1: route registration and the JSON response helpers every resource
 * uses. cJSON appears only here and in cli/ (JSON Lines in, --json out).
 * SPDX-License-Identifier: MIT */
#ifndef PW_API_H
#define PW_API_H

#include "../server.h"

#include "../kb/kb.h"

#include <cjson/cJSON.h>

struct mg_context;
struct mg_connection;

/* Registers every /api/v1 handler with `srv` as cbdata. */
void pw_api_register(struct mg_context *http, pw_server *srv);

/* Sends `body` with `status` as application/json and frees it. Returns `status`. */
int pw_api_send_json(struct mg_connection *conn, int status, cJSON *body);

/* Sends json (already serialised JSON text; borrowed) with `status`. Returns `status`. */
int pw_api_send_text(struct mg_connection *conn, int status, const char *json);

/* 405 method_not_allowed with an Allow header ("GET", "GET, POST"). */
int pw_api_method_not_allowed(struct mg_connection *conn, const char *allow);

/* pw_api_send_json plus one extra response header (NULL for none). */
int pw_api_send_json_with(struct mg_connection *conn, int status, cJSON *body, const char *header,
                          const char *value);

/* A response without a body (204, 304), with one optional extra header. Returns `status`. */
int pw_api_send_empty(struct mg_connection *conn, int status, const char *header,
                      const char *value);

/* 429 rate_limited with Retry-After: retry_after_s. */
int pw_api_send_rate_limited(struct mg_connection *conn, int retry_after_s);

/* A response assembled in one buffer and sent with one write (status line, headers, and the
 * body when it fits). Start, add headers, send: pw_response_send adds Content-Length and
 * returns the status. */
typedef struct pw_response {
    struct mg_connection *conn;
    int status;
    size_t len;
    char head[16384];
} pw_response;
void pw_response_start(pw_response *r, struct mg_connection *conn, int status);
void pw_response_header(pw_response *r, const char *name, const char *value);
int pw_response_send(pw_response *r, const void *body, size_t len);

/* Adds the CORS response headers for the widget's cross-origin endpoints (none elsewhere). */
void pw_api_cors_headers(struct mg_connection *conn, pw_response *r);

/* 204 to a browser's CORS preflight (OPTIONS) of a cross-origin endpoint: the caller's origin,
 * `methods`, and the request headers the widget sends. Returns 204. */
int pw_api_preflight(struct mg_connection *conn, const char *methods);

/* Sends {"error":{"code":code,"message":message,"field":field}} ("field" omitted when NULL).
 * Every 4xx and 5xx of the API goes through here so clients see one error shape. */
int pw_api_send_error(struct mg_connection *conn, int status, const char *code, const char *field,
                      const char *message);

/* Each resource registers its handlers. */
void pw_api_widget_register(struct mg_context *http, pw_server *srv);
void pw_api_tickets_register(struct mg_context *http, pw_server *srv);
void pw_api_agents_register(struct mg_context *http, pw_server *srv);

/* POST /api/v1/csat (csat.c). */
int pw_api_csat(struct mg_connection *conn, void *cbdata);

/* [SearchResult] for hits[0..n) (search_json.c), written to `w`; `with_extras` adds the search
 * endpoint's intent_match, plan_required and plan_blocked (for the asker's `plan`, or NULL). */
struct pw_jsonw;
void pw_api_write_search_results(struct pw_jsonw *w, const pw_kb_hit *hits, int n, int with_extras,
                                 const char *plan);

/* /api/v1/live, the WebSocket (live.c): pw_api_live_open starts srv->hub (0 or -1), before the
 * server listens; pw_hub_free(srv->hub) after it stopped. */
int pw_api_live_open(pw_server *srv);
void pw_api_live_register(struct mg_context *http, pw_server *srv);

/* GET /api/v1/health */
int pw_api_health(struct mg_connection *conn, void *cbdata);

/* Registers /api/v1/articles (list, create), /api/v1/articles/search and /api/v1/articles/{id}
 * (get, replace, delete) with `srv` as cbdata (api/articles.c). */
void pw_api_articles_register(struct mg_context *http, pw_server *srv);

#endif
