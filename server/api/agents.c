/* Agents: an admin creates them (the token is shown once, stored as its SHA-256); any agent
 * lists them, e.g. to reassign a conversation.
 * SPDX-License-Identifier: MIT */
#include "api.h"
#include "auth.h"
#include "intake.h"
#include "request.h"
#include "../security/token.h"
#include "../store/actions.h"
#include "../store/views.h"

#include <civetweb.h>
#include <stdlib.h>
#include <string.h>

typedef struct new_agent {
    const char *name, *email, *hash;
    int admin, outcome;
    int64_t id;
} new_agent;

static int insert(pw_conn *c, void *arg) {
    new_agent *a = arg;
    a->outcome =
        pw_store_agent_insert(c, a->name, a->email, a->admin, a->hash, pw_now_ms(), &a->id);
    return a->outcome < 0 ? -1 : 0;
}

static int create(struct mg_connection *conn, pw_server *srv) {
    pw_problem p;
    new_agent a = {0};
    cJSON *body = pw_request_json(conn, srv->cfg.limits.body_bytes, 1, &p);
    if (!body || pw_intake_agent(body, &a.name, &a.email, &a.admin, &p)) {
        cJSON_Delete(body);
        return pw_problem_send(conn, &p);
    }
    char token[PW_TOKEN_MAX], hash[65];
    int rc;
    if (pw_token_generate("pwt_", token, sizeof token)) {
        rc = pw_api_send_error(conn, 500, "internal", NULL, "no token could be generated");
    } else {
        pw_token_hash_hex(token, strlen(token), hash);
        a.hash = hash;
        if (pw_writer_run(srv->writer, insert, &a) < 0)
            rc = pw_api_send_error(conn, 500, "internal", NULL, "the agent was not stored");
        else if (a.outcome == PW_ACT_DUPLICATE)
            rc = pw_api_send_error(conn, 409, "conflict", "email", "an agent has this email");
        else {
            pw_conn *c = pw_pool_get(srv->readers);
            int found;
            char *agent = pw_view_agent(c, a.id, &found);
            pw_pool_put(srv->readers, c);
            cJSON *out = cJSON_CreateObject();
            cJSON_AddRawToObject(out, "agent", agent ? agent : "null");
            cJSON_AddStringToObject(out, "token", token);
            free(agent);
            rc = pw_api_send_json(conn, 201, out);
        }
    }
    cJSON_Delete(body);
    return rc;
}

/* GET /api/v1/agents/me: who the token belongs to (the console shows it, "assign to me"). */
static int me(struct mg_connection *conn, pw_server *srv) {
    if (strcmp(mg_get_request_info(conn)->request_method, "GET") != 0)
        return pw_api_method_not_allowed(conn, "GET");
    pw_agent_auth who;
    int rc = pw_auth_agent(conn, srv, 0, &who);
    if (rc)
        return rc;
    pw_conn *c = pw_pool_get(srv->readers);
    int found;
    char *json = pw_view_agent(c, who.id, &found);
    pw_pool_put(srv->readers, c);
    rc = json ? pw_api_send_text(conn, 200, json)
              : pw_api_send_error(conn, 500, "internal", NULL, "the store could not be read");
    free(json);
    return rc;
}

static int agents_handler(struct mg_connection *conn, void *cbdata) {
    pw_server *srv = cbdata;
    const char *method = mg_get_request_info(conn)->request_method;
    int is_post = strcmp(method, "POST") == 0;
    const char *uri = mg_get_request_info(conn)->local_uri;
    if (strcmp(uri, "/api/v1/agents/me") == 0)
        return me(conn, srv);
    if (strcmp(uri, "/api/v1/agents") != 0)
        return pw_api_send_error(conn, 404, "not_found", NULL, "no such API endpoint");
    if (!is_post && strcmp(method, "GET") != 0)
        return pw_api_method_not_allowed(conn, "GET, POST");
    pw_agent_auth who;
    int rc = pw_auth_agent(conn, srv, is_post, &who);
    if (rc)
        return rc;
    if (is_post)
        return create(conn, srv);
    pw_problem p;
    int limit;
    int64_t cursor;
    if (pw_request_page(conn, &limit, &cursor, &p))
        return pw_problem_send(conn, &p);
    pw_conn *c = pw_pool_get(srv->readers);
    int found;
    char *json = pw_view_agents(c, cursor, limit, &found);
    pw_pool_put(srv->readers, c);
    rc = json ? pw_api_send_text(conn, 200, json)
              : pw_api_send_error(conn, 500, "internal", NULL, "the store could not be read");
    free(json);
    return rc;
}

void pw_api_agents_register(struct mg_context *http, pw_server *srv) {
    mg_set_request_handler(http, "/api/v1/agents", agents_handler, srv);
}
