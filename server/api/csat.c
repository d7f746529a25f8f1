/* CSAT tokens and ratings.
 * SPDX-License-Identifier: MIT */
#include "csat.h"
#include "api.h"
#include "auth.h"
#include "intake.h"
#include "../security/token.h"

#include <civetweb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void signature(const pw_server *srv, int64_t id, char hex[65]) {
    char msg[40];
    int n = snprintf(msg, sizeof msg, "csat:%lld", (long long)id);
    pw_hmac_sha256_hex(srv->session_key, sizeof srv->session_key, msg, (size_t)n, hex);
}

int pw_csat_token(const pw_server *srv, int64_t conversation_id, char *out, size_t cap) {
    char hex[65];
    signature(srv, conversation_id, hex);
    int n = snprintf(out, cap, "c1.%lld.%.32s", (long long)conversation_id, hex);
    return n > 0 && (size_t)n < cap ? 0 : -1;
}

int64_t pw_csat_verify(const pw_server *srv, const char *token) {
    long long id = 0;
    int used = 0;
    if (strncmp(token, "c1.", 3) != 0 || sscanf(token + 3, "%lld%n", &id, &used) != 1 || id <= 0 ||
        token[3 + used] != '.')
        return -1;
    char hex[65];
    signature(srv, id, hex);
    const char *sig = token + 3 + used + 1;
    return pw_secure_equal(sig, strlen(sig), hex, 32) ? id : -1;
}

typedef struct rating {
    int64_t conversation_id;
    int score;
    const char *comment;
    int outcome; /* 0 stored, 1 not finished, 2 already rated, 3 no conversation */
} rating;

static const char rate_sql[] =
    "INSERT INTO csat(conversation_id, score, comment, resolved_by, created_at)"
    " SELECT id, ?2, ?3, coalesce(resolved_by, 'ai'), ?4 FROM conversations"
    " WHERE id = ?1 AND status IN ('bot', 'resolved')"
    " ON CONFLICT(conversation_id) DO NOTHING";
static const char why_not_sql[] =
    "SELECT status, EXISTS (SELECT 1 FROM csat WHERE conversation_id = ?1) FROM conversations"
    " WHERE id = ?1";

static int rate(pw_conn *c, void *arg) {
    rating *r = arg;
    sqlite3_stmt *st = pw_conn_stmt(c, rate_sql);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, r->conversation_id);
    sqlite3_bind_int(st, 2, r->score);
    pw_bind_text_or_null(st, 3, r->comment);
    sqlite3_bind_int64(st, 4, pw_now_ms());
    if (sqlite3_step(st) != SQLITE_DONE)
        return -1;
    if (sqlite3_changes(pw_conn_db(c)) == 1)
        return r->outcome = 0, 0;
    if (!(st = pw_conn_stmt(c, why_not_sql)))
        return -1;
    sqlite3_bind_int64(st, 1, r->conversation_id);
    int rc = sqlite3_step(st);
    r->outcome = rc != SQLITE_ROW ? 3 : sqlite3_column_int(st, 1) ? 2 : 1;
    return 0;
}

int pw_api_csat(struct mg_connection *conn, void *cbdata) {
    pw_server *srv = cbdata;
    const char *method = mg_get_request_info(conn)->request_method;
    /* civetweb hands this handler /api/v1/csat/<anything> too */
    if (strcmp(mg_get_request_info(conn)->local_uri, "/api/v1/csat") != 0)
        return pw_api_send_error(conn, 404, "not_found", NULL, "no such API endpoint");
    if (strcmp(method, "OPTIONS") == 0) /* rated from the host's pages, another origin */
        return pw_api_preflight(conn, "POST, OPTIONS");
    if (strcmp(method, "POST") != 0)
        return pw_api_method_not_allowed(conn, "POST");
    int rc = pw_auth_ip_limit(conn, srv);
    if (rc)
        return rc;
    pw_problem p;
    rating r = {0, 0, NULL, 0};
    const char *token;
    cJSON *body = pw_request_json(conn, srv->cfg.limits.body_bytes, 1, &p);
    if (!body || pw_intake_csat(body, &token, &r.score, &r.comment, &p)) {
        cJSON_Delete(body);
        return pw_problem_send(conn, &p);
    }
    if ((r.conversation_id = pw_csat_verify(srv, token)) < 0)
        rc = pw_api_send_error(conn, 401, "unauthorized", "token", "not a valid CSAT token");
    else if (pw_writer_run(srv->writer, rate, &r) < 0)
        rc = pw_api_send_error(conn, 500, "internal", NULL, "the rating was not stored");
    else if (r.outcome == 1)
        rc = pw_api_send_error(conn, 409, "conflict", NULL, "the conversation is not finished");
    else if (r.outcome == 2)
        rc = pw_api_send_error(conn, 409, "conflict", NULL, "the conversation is already rated");
    else if (r.outcome == 3)
        rc = pw_api_send_error(conn, 401, "unauthorized", "token", "not a valid CSAT token");
    else {
        cJSON *out = cJSON_CreateObject();
        cJSON_AddNumberToObject(out, "score", r.score);
        if (r.comment)
            cJSON_AddStringToObject(out, "comment", r.comment);
        else
            cJSON_AddNullToObject(out, "comment");
        rc = pw_api_send_json(conn, 201, out);
    }
    cJSON_Delete(body);
    return rc;
}
