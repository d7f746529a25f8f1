/* GET /api/v1/health: liveness plus a read from the store, for load balancers and script/server.
 * SPDX-License-Identifier: MIT */
#include "api.h"
#include "../store/db.h"

#include <civetweb.h>
#include <string.h>

int pw_api_health(struct mg_connection *conn, void *cbdata) {
    pw_server *srv = cbdata;
    /* civetweb hands this handler /api/v1/health/<anything> too */
    if (strcmp(mg_get_request_info(conn)->local_uri, "/api/v1/health") != 0)
        return pw_api_send_error(conn, 404, "not_found", NULL, "no such API endpoint");
    if (strcmp(mg_get_request_info(conn)->request_method, "GET") != 0)
        return pw_api_method_not_allowed(conn, "GET");
    pw_conn *c = pw_pool_get(srv->readers);
    int version = pw_db_current_version(pw_conn_db(c));
    pw_pool_put(srv->readers, c);
    if (version < 0)
        return pw_api_send_error(conn, 503, "store_unavailable", NULL, "database not readable");
    cJSON *body = cJSON_CreateObject();
    cJSON_AddStringToObject(body, "status", "ok");
    cJSON_AddStringToObject(body, "version", PW_VERSION);
    cJSON_AddNumberToObject(body, "schema_version", version);
    return pw_api_send_json(conn, 200, body);
}
