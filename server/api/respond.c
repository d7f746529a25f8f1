/* JSON responses and the API's fallback route.
 * SPDX-License-Identifier: MIT */
#include "api.h"
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

void pw_api_cors_headers(struct mg_connection *conn) {
    const char *origin = mg_get_header(conn, "Origin");
    if (!origin || !is_cross_origin_api(mg_get_request_info(conn)->local_uri))
        return;
    mg_response_header_add(conn, "Access-Control-Allow-Origin", origin, -1);
    mg_response_header_add(conn, "Vary", "Origin", -1);
    mg_response_header_add(conn, "Access-Control-Expose-Headers", "ETag, Retry-After", -1);
}

int pw_api_send_json(struct mg_connection *conn, int status, cJSON *body) {
    return pw_api_send_json_with(conn, status, body, NULL, NULL);
}

static int send_text(struct mg_connection *conn, int status, const char *text, size_t len,
                     const char *header, const char *value) {
    mg_response_header_start(conn, status);
    mg_response_header_add(conn, "Content-Type", "application/json", -1);
    mg_response_header_add(conn, "Cache-Control", "no-store", -1);
    mg_response_header_add(conn, "X-Content-Type-Options", "nosniff", -1);
    if (header)
        mg_response_header_add(conn, header, value, -1);
    pw_api_cors_headers(conn);
    char length[32];
    snprintf(length, sizeof length, "%zu", len);
    mg_response_header_add(conn, "Content-Length", length, -1);
    mg_response_header_send(conn);
    mg_write(conn, text, len);
    return status;
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
    mg_response_header_start(conn, status);
    mg_response_header_add(conn, "Cache-Control", "no-store", -1);
    if (header)
        mg_response_header_add(conn, header, value, -1);
    pw_api_cors_headers(conn);
    mg_response_header_add(conn, "Content-Length", "0", -1);
    mg_response_header_send(conn);
    return status;
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
    pw_api_tickets_register(http, srv);
    pw_api_agents_register(http, srv);
    pw_api_articles_register(http, srv);
}
