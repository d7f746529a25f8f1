/* JSON responses and the API's fallback route.
 * SPDX-License-Identifier: MIT */
#include "api.h"

#include <civetweb.h>
#include <string.h>

int pw_api_send_json(struct mg_connection *conn, int status, cJSON *body) {
    char *text = body ? cJSON_PrintUnformatted(body) : NULL;
    cJSON_Delete(body);
    if (!text) {
        static const char oom[] =
            "{\"error\":{\"code\":\"internal\",\"message\":\"out of memory\"}}";
        status = 500;
        mg_response_header_start(conn, 500);
        mg_response_header_add(conn, "Content-Type", "application/json", -1);
        mg_response_header_send(conn);
        mg_write(conn, oom, sizeof oom - 1);
        return status;
    }
    size_t len = strlen(text);
    mg_response_header_start(conn, status);
    mg_response_header_add(conn, "Content-Type", "application/json", -1);
    mg_response_header_add(conn, "Cache-Control", "no-store", -1);
    mg_response_header_add(conn, "X-Content-Type-Options", "nosniff", -1);
    char length[32];
    snprintf(length, sizeof length, "%zu", len);
    mg_response_header_add(conn, "Content-Length", length, -1);
    mg_response_header_send(conn);
    mg_write(conn, text, len);
    cJSON_free(text);
    return status;
}

int pw_api_send_error(struct mg_connection *conn, int status, const char *code, const char *field,
                      const char *message) {
    cJSON *body = cJSON_CreateObject();
    cJSON *error = cJSON_AddObjectToObject(body, "error");
    cJSON_AddStringToObject(error, "code", code);
    cJSON_AddStringToObject(error, "message", message);
    if (field)
        cJSON_AddStringToObject(error, "field", field);
    return pw_api_send_json(conn, status, body);
}

static int not_found(struct mg_connection *conn, void *cbdata) {
    (void)cbdata;
    return pw_api_send_error(conn, 404, "not_found", NULL, "no such API endpoint");
}

void pw_api_register(struct mg_context *http, pw_server *srv) {
    mg_set_request_handler(http, "/api/", not_found, srv);
    mg_set_request_handler(http, "/api/v1/health", pw_api_health, srv);
}
