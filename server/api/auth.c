/* Authentication and rate limits. Agent tokens are looked up by their SHA-256, never stored or
 * compared in the clear; widget sessions are verified by signature alone (no row exists for an
 * anonymous visitor), and the browser's Origin must be one the app allows.
 * SPDX-License-Identifier: MIT */
#include "auth.h"
#include "api.h"
#include "../security/origin.h"
#include "../security/token.h"
#include "../store/support.h"

#include <civetweb.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

static const char *bearer(struct mg_connection *conn, size_t *len) {
    const char *h = mg_get_header(conn, "Authorization");
    if (!h || strncasecmp(h, "Bearer ", 7) != 0)
        return NULL;
    h += 7;
    while (*h == ' ')
        h++;
    *len = strlen(h);
    while (*len && h[*len - 1] == ' ')
        (*len)--;
    return *len ? h : NULL;
}

static const char find_agent_sql[] = "SELECT id, role, name FROM agents WHERE token_hash = ?1";

static int lookup_agent(pw_server *srv, const char *token, size_t len, pw_agent_auth *out) {
    char hash[65];
    pw_token_hash_hex(token, len, hash);
    int64_t now = pw_mono_ms();
    if (pw_agent_cache_get(srv->agents, hash, now, out))
        return 1;
    pw_conn *c = pw_pool_get(srv->readers);
    sqlite3_stmt *st = pw_conn_stmt(c, find_agent_sql);
    int found = 0;
    if (st) {
        sqlite3_bind_text(st, 1, hash, 64, SQLITE_STATIC);
        if (sqlite3_step(st) == SQLITE_ROW) {
            found = 1;
            out->id = sqlite3_column_int64(st, 0);
            out->admin = strcmp((const char *)sqlite3_column_text(st, 1), "admin") == 0;
            snprintf(out->name, sizeof out->name, "%s", (const char *)sqlite3_column_text(st, 2));
        }
    }
    pw_pool_put(srv->readers, c);
    if (found)
        pw_agent_cache_put(srv->agents, hash, now, out);
    return found;
}

int pw_auth_agent_lookup(pw_server *srv, const char *token, size_t len, pw_agent_auth *out) {
    memset(out, 0, sizeof *out);
    return len > 0 && lookup_agent(srv, token, len, out);
}

/* A failed sign-in spends the caller's per-IP allowance, so guessing tokens is throttled while a
 * busy integration with a good token never is. */
static int reject(struct mg_connection *conn, pw_server *srv, const char *message) {
    int retry;
    const char *ip = mg_get_request_info(conn)->remote_addr;
    if (!pw_ratelimit_take(srv->ip_limit, ip, strlen(ip), pw_mono_ms(), &retry))
        return pw_api_send_rate_limited(conn, retry);
    return pw_api_send_error(conn, 401, "unauthorized", NULL, message);
}

int pw_auth_agent_optional(struct mg_connection *conn, pw_server *srv, pw_agent_auth *out) {
    memset(out, 0, sizeof *out);
    size_t len;
    const char *token = bearer(conn, &len);
    if (!mg_get_header(conn, "Authorization"))
        return 0;
    if (token && lookup_agent(srv, token, len, out))
        return 0;
    return reject(conn, srv, "the agent token is missing or not valid");
}

int pw_auth_agent(struct mg_connection *conn, pw_server *srv, int admin_required,
                  pw_agent_auth *out) {
    int rc = pw_auth_agent_optional(conn, srv, out);
    if (rc)
        return rc;
    if (!out->id)
        return reject(conn, srv, "send an agent token: Authorization: Bearer <token>");
    if (admin_required && !out->admin)
        return pw_api_send_error(conn, 403, "forbidden", NULL, "this needs an admin token");
    return 0;
}

/* The page's origin: the Origin header, or for same-origin GETs (which browsers send without
 * Origin) the scheme://host[:port] prefix of the Referer. */
static const char *request_origin(struct mg_connection *conn, char *buf, size_t cap) {
    const char *origin = mg_get_header(conn, "Origin");
    if (origin)
        return origin;
    const char *ref = mg_get_header(conn, "Referer");
    const char *scheme_end = ref ? strstr(ref, "://") : NULL;
    if (!scheme_end)
        return NULL;
    size_t n = (size_t)(scheme_end + 3 - ref) + strcspn(scheme_end + 3, "/");
    if (n >= cap)
        return NULL;
    memcpy(buf, ref, n);
    buf[n] = '\0';
    return buf;
}

int pw_auth_origin(struct mg_connection *conn, const pw_app *app) {
    char buf[256];
    const char *origin = request_origin(conn, buf, sizeof buf);
    if (pw_origin_allowed(origin, (const char *const *)app->origins, app->origin_count))
        return 0;
    return pw_api_send_error(conn, 403, "forbidden", NULL,
                             "this page's origin is not allowed for the app");
}

int pw_auth_widget(struct mg_connection *conn, pw_server *srv, pw_widget_auth *out) {
    size_t len;
    const char *token = bearer(conn, &len);
    if (!token)
        return pw_api_send_error(conn, 401, "unauthorized", NULL,
                                 "send the session from /api/v1/widget/boot as a Bearer token");
    int rc = pw_session_decode(srv->session_key, token, len, pw_now_ms(), &out->claims);
    if (rc != PW_SESSION_OK)
        return pw_api_send_error(conn, 401, "unauthorized", NULL, pw_session_strerror(rc));
    out->app = pw_server_app_by_id(srv, out->claims.app_id);
    if (!out->app)
        return pw_api_send_error(conn, 401, "unauthorized", NULL, "the session's app is gone");
    if ((rc = pw_auth_origin(conn, out->app)))
        return rc;
    int retry;
    if (!pw_ratelimit_take(srv->session_limit, out->claims.visitor, strlen(out->claims.visitor),
                           pw_mono_ms(), &retry))
        return pw_api_send_rate_limited(conn, retry);
    return 0;
}

int pw_auth_may_see(pw_server *srv, const pw_app *app, const pw_session_claims *claims,
                    int64_t id) {
    pw_conn *c = pw_pool_get(srv->readers);
    pw_conversation_owner owner;
    int found = pw_store_conversation_owner(c, id, &owner);
    pw_pool_put(srv->readers, c);
    if (found != 1 || !claims)
        return found;
    return owner.app_id == app->id && strcmp(owner.visitor, claims->visitor) == 0;
}

int pw_auth_ip_limit(struct mg_connection *conn, pw_server *srv) {
    const char *ip = mg_get_request_info(conn)->remote_addr;
    int retry;
    if (pw_ratelimit_take(srv->ip_limit, ip, strlen(ip), pw_mono_ms(), &retry))
        return 0;
    return pw_api_send_rate_limited(conn, retry);
}
