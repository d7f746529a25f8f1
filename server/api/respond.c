/* JSON responses and the API's fallback route.
 * SPDX-License-Identifier: MIT */
#include "api.h"
#include "../store/jsonw.h"
#include "../log.h"

#include <civetweb.h>
#include <stdio.h>
#include <string.h>

/* Widget and CSAT calls come from the host product's pages, another origin: the response
 * names the caller's origin so the browser lets the page read it. Nothing is credentialed
 * (no cookies), and the handlers check the origin against the app before answering with data. */
static int is_cross_origin_api(const char *uri) {
    return strncmp(uri, "/api/v1/widget/", 15) == 0 || strcmp(uri, "/api/v1/csat") == 0;
}

/* Responses are assembled here and leave in one write: civetweb's mg_response_header_* API
 * sends the status line and every header with a write of its own, and with TCP_NODELAY each
 * of those is a packet — several system calls and packets per response where one does. */
void pw_response_start(pw_response *r, struct mg_connection *conn, int status) {
    r->conn = conn;
    r->status = status;
    int n = snprintf(r->head, sizeof r->head, "HTTP/1.1 %d %s\r\n", status,
                     mg_get_response_code_text(conn, status));
    r->len = n > 0 ? (size_t)n : 0;
}

/* Copies n bytes to the end of the head (room already checked). */
static void put(pw_response *r, const char *s, size_t n) {
    memcpy(r->head + r->len, s, n);
    r->len += n;
}

/* Without snprintf: every response has four to six headers, and formatting them cost more
 * than the rest of writing the response. */
void pw_response_header(pw_response *r, const char *name, const char *value) {
    size_t name_len = strlen(name), value_len = strlen(value);
    if (r->len + name_len + value_len + 4 + 64 >= sizeof r->head)
        return; /* never happens with our headers; dropping one beats overflowing */
    put(r, name, name_len);
    put(r, ": ", 2);
    put(r, value, value_len);
    put(r, "\r\n", 2);
}

int pw_response_send(pw_response *r, const void *body, size_t len) {
    char length[24];
    length[sizeof length - 1] = '\0';
    pw_response_header(r, "Content-Length", pw_decimal_before(len, length + sizeof length - 1));
    put(r, "\r\n", 2); /* the 64 bytes pw_response_header keeps free have room for it */
    if (len && len <= sizeof r->head - r->len) {
        memcpy(r->head + r->len, body, len);
        mg_write(r->conn, r->head, r->len + len);
    } else {
        mg_write(r->conn, r->head, r->len);
        if (len)
            mg_write(r->conn, body, len);
    }
    return r->status;
}

void pw_api_cors_headers(struct mg_connection *conn, pw_response *r) {
    const char *origin = mg_get_header(conn, "Origin");
    if (!origin || !is_cross_origin_api(mg_get_request_info(conn)->local_uri))
        return;
    pw_response_header(r, "Access-Control-Allow-Origin", origin);
    pw_response_header(r, "Vary", "Origin");
    pw_response_header(r, "Access-Control-Expose-Headers", "ETag, Retry-After");
}

int pw_api_preflight(struct mg_connection *conn, const char *methods) {
    pw_response r;
    pw_response_start(&r, conn, 204);
    pw_api_cors_headers(conn, &r);
    pw_response_header(&r, "Access-Control-Allow-Methods", methods);
    pw_response_header(&r, "Access-Control-Allow-Headers",
                       "Authorization, Content-Type, If-None-Match");
    pw_response_header(&r, "Access-Control-Max-Age", "600");
    return pw_response_send(&r, NULL, 0);
}

int pw_api_send_json(struct mg_connection *conn, int status, cJSON *body) {
    return pw_api_send_json_with(conn, status, body, NULL, NULL);
}

static int send_text(struct mg_connection *conn, int status, const char *text, size_t len,
                     const char *header, const char *value) {
    pw_response r;
    pw_response_start(&r, conn, status);
    pw_response_header(&r, "Content-Type", "application/json");
    pw_response_header(&r, "Cache-Control", "no-store");
    pw_response_header(&r, "X-Content-Type-Options", "nosniff");
    if (header)
        pw_response_header(&r, header, value);
    pw_api_cors_headers(conn, &r);
    return pw_response_send(&r, text, len);
}

int pw_api_send_text(struct mg_connection *conn, int status, const char *json) {
    return send_text(conn, status, json, strlen(json), NULL, NULL);
}

int pw_api_send_json_with(struct mg_connection *conn, int status, cJSON *body, const char *header,
                          const char *value) {
    char *text = body ? cJSON_PrintUnformatted(body) : NULL;
    cJSON_Delete(body);
    if (!text) {
        static const char oom[] =
            "{\"error\":{\"code\":\"internal\",\"message\":\"out of memory\"}}";
        return send_text(conn, 500, oom, sizeof oom - 1, NULL, NULL);
    }
    send_text(conn, status, text, strlen(text), header, value);
    cJSON_free(text);
    return status;
}

int pw_api_method_not_allowed(struct mg_connection *conn, const char *allow) {
    cJSON *body = cJSON_CreateObject();
    cJSON *error = cJSON_AddObjectToObject(body, "error");
    cJSON_AddStringToObject(error, "code", "method_not_allowed");
    char message[96];
    snprintf(message, sizeof message, "use %s", allow);
    cJSON_AddStringToObject(error, "message", message);
    return pw_api_send_json_with(conn, 405, body, "Allow", allow);
}

int pw_api_send_error(struct mg_connection *conn, int status, const char *code, const char *field,
                      const char *message) {
    /* A client's mistake is the client's to see; a server failure is the operator's too. */
    if (status >= 500) {
        const struct mg_request_info *ri = mg_get_request_info(conn);
        pw_log_error("api.error", "method", ri->request_method, "uri", ri->local_uri, "code", code,
                     "message", message, NULL);
    }
    cJSON *body = cJSON_CreateObject();
    cJSON *error = cJSON_AddObjectToObject(body, "error");
    cJSON_AddStringToObject(error, "code", code);
    cJSON_AddStringToObject(error, "message", message);
    if (field)
        cJSON_AddStringToObject(error, "field", field);
    return pw_api_send_json(conn, status, body);
}

int pw_api_send_rate_limited(struct mg_connection *conn, int retry_after_s) {
    cJSON *body = cJSON_CreateObject();
    cJSON *error = cJSON_AddObjectToObject(body, "error");
    cJSON_AddStringToObject(error, "code", "rate_limited");
    cJSON_AddStringToObject(error, "message", "too many requests: retry after the given seconds");
    char retry[16];
    snprintf(retry, sizeof retry, "%d", retry_after_s);
    return pw_api_send_json_with(conn, 429, body, "Retry-After", retry);
}

int pw_api_send_empty(struct mg_connection *conn, int status, const char *header,
                      const char *value) {
    pw_response r;
    pw_response_start(&r, conn, status);
    pw_response_header(&r, "Cache-Control", "no-store");
    if (header)
        pw_response_header(&r, header, value);
    pw_api_cors_headers(conn, &r);
    return pw_response_send(&r, NULL, 0);
}

static int not_found(struct mg_connection *conn, void *cbdata) {
    (void)cbdata;
    return pw_api_send_error(conn, 404, "not_found", NULL, "no such API endpoint");
}

void pw_api_register(struct mg_context *http, pw_server *srv) {
    mg_set_request_handler(http, "/api/", not_found, srv);
    mg_set_request_handler(http, "/api/v1/health", pw_api_health, srv);
    mg_set_request_handler(http, "/api/v1/csat", pw_api_csat, srv);
    pw_api_widget_register(http, srv);
    pw_api_live_register(http, srv);
    pw_api_tickets_register(http, srv);
    pw_api_agents_register(http, srv);
    pw_api_articles_register(http, srv);
}
