/* /api/v1/live: one WebSocket for chat sessions (widget, portal) and the agent console. JSON
 * text frames both ways (ARCHITECTURE.md, "Realtime"):
 *   in   {"type":"auth","session":S} or {"type":"auth","token":T} first, then
 *        {"type":"watch","conversation_id":N,"after":M}, {"type":"unwatch","conversation_id":N},
 *        {"type":"watch_inbox"} (agents), {"type":"typing","conversation_id":N,"typing":bool},
 *        {"type":"ping"}
 *   out  {"type":"ready","role":"visitor"|"agent"}, {"type":"conversation",...} (the polling
 *        answer: messages after the cursor, status, csat_token), {"type":"inbox",
 *        "conversation_id":N}, {"type":"typing",...}, {"type":"pong"},
 *        {"type":"error","code","message"}
 * Browsers cannot set headers on a WebSocket, so the token comes in the first frame (not the
 * URL, which proxies log); the page's Origin is checked against the session's app at auth.
 * Pushes go through the hub (realtime/hub.h): a change wakes every watcher, which is sent what
 * the store has after its cursor, so a reconnect that watches again from the last message it
 * has loses nothing and repeats nothing.
 * SPDX-License-Identifier: MIT */
#include "api.h"
#include "auth.h"
#include "conversation.h"
#include "live_frame.h"
#include "../realtime/hub.h"
#include "../security/origin.h"

#include <civetweb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef enum role { ROLE_NONE, ROLE_VISITOR, ROLE_AGENT } role;

/* One connection's state, from the upgrade request to the close. */
typedef struct live {
    pw_hub_client *client;
    role role;
    char origin[256];
    char ip[48];
    pw_session_claims claims; /* ROLE_VISITOR */
    const pw_app *app;        /* ROLE_VISITOR, borrowed from srv */
    pw_agent_auth agent;      /* ROLE_AGENT */
} live;

/* ---- frames out ----------------------------------------------------------------------------- */

static int send_text(struct mg_connection *conn, const char *text, size_t len) {
    return mg_websocket_write(conn, MG_WEBSOCKET_OPCODE_TEXT, text, len) > 0 ? 0 : -1;
}

static int send_json(struct mg_connection *conn, cJSON *frame) {
    char *text = frame ? cJSON_PrintUnformatted(frame) : NULL;
    cJSON_Delete(frame);
    int rc = text ? send_text(conn, text, strlen(text)) : -1;
    free(text);
    return rc;
}

/* An error frame. Returns `keep` (1: stay open, 0: close), for the data handler to return. */
static int send_error(struct mg_connection *conn, const char *code, const char *message, int keep) {
    cJSON *f = cJSON_CreateObject();
    cJSON_AddStringToObject(f, "type", "error");
    cJSON_AddStringToObject(f, "code", code);
    cJSON_AddStringToObject(f, "message", message);
    send_json(conn, f);
    return keep;
}

/* ---- the hub's ops (push thread) ------------------------------------------------------------ */

static int hub_send(void *ctx, void *conn, const char *text, size_t len) {
    (void)ctx;
    return send_text(conn, text, len);
}

static int hub_catch_up(void *ctx, void *conn, int64_t conversation_id, int64_t *cursor,
                        char status[16]) {
    char now[12];
    int64_t last;
    cJSON *update = pw_api_conversation_update(ctx, conversation_id, *cursor, &last, now);
    if (!update)
        return 0; /* the store failed: the next change tries again from the same cursor */
    if (last == *cursor && strcmp(now, status) == 0) {
        cJSON_Delete(update);
        return 0; /* nothing new for this watcher */
    }
    cJSON_AddStringToObject(update, "type", "conversation");
    if (send_json(conn, update) != 0)
        return -1;
    *cursor = last;
    snprintf(status, 16, "%s", now);
    return 0;
}

int pw_api_live_open(pw_server *srv) {
    static const pw_hub_ops ops = {hub_catch_up, hub_send};
    return pw_hub_new(&ops, srv, &srv->hub);
}

/* ---- frames in (read by live_frame.c) ---------------------------------------------------- */

static int auth_visitor(struct mg_connection *conn, pw_server *srv, live *l, const char *token) {
    int rc = pw_session_decode(srv->session_key, token, strlen(token), pw_now_ms(), &l->claims);
    if (rc != PW_SESSION_OK)
        return send_error(conn, "unauthorized", pw_session_strerror(rc), 0);
    l->app = pw_server_app_by_id(srv, l->claims.app_id);
    if (!l->app)
        return send_error(conn, "unauthorized", "the session's app is gone", 0);
    if (!pw_origin_allowed(l->origin[0] ? l->origin : NULL, (const char *const *)l->app->origins,
                           l->app->origin_count))
        return send_error(conn, "forbidden", "this page's origin is not allowed for the app", 0);
    l->role = ROLE_VISITOR;
    return 1;
}

static int auth(struct mg_connection *conn, pw_server *srv, live *l, const pw_live_frame *f) {
    int keep;
    if (f->kind == PW_LIVE_AUTH_SESSION)
        keep = auth_visitor(conn, srv, l, f->credential);
    else if (pw_auth_agent_lookup(srv, f->credential, strlen(f->credential), &l->agent)) {
        l->role = ROLE_AGENT;
        keep = 1;
    } else {
        /* A wrong token spends the IP's allowance, as a failed sign-in over HTTP does. */
        int retry;
        pw_ratelimit_take(srv->ip_limit, l->ip, strlen(l->ip), pw_mono_ms(), &retry);
        keep = send_error(conn, "unauthorized", "the agent token is not valid", 0);
    }
    if (!keep)
        return 0;
    cJSON *ready = cJSON_CreateObject();
    cJSON_AddStringToObject(ready, "type", "ready");
    cJSON_AddStringToObject(ready, "role", l->role == ROLE_AGENT ? "agent" : "visitor");
    return send_json(conn, ready) == 0;
}

static int watch(struct mg_connection *conn, pw_server *srv, live *l, const pw_live_frame *f) {
    int may =
        pw_auth_may_see(srv, l->app, l->role == ROLE_AGENT ? NULL : &l->claims, f->conversation_id);
    if (may < 0)
        return send_error(conn, "internal", "the store could not be read", 1);
    if (!may) /* another visitor's conversation looks like none at all */
        return send_error(conn, "not_found", "no such conversation", 1);
    if (pw_hub_watch(srv->hub, l->client, f->conversation_id, f->after) != 0)
        return send_error(conn, "too_many", "watch at most 8 conversations at once", 1);
    return 1;
}

static int typing(pw_server *srv, live *l, const pw_live_frame *f) {
    if (!pw_hub_watching(srv->hub, l->client, f->conversation_id))
        return 1; /* typing about a conversation one does not watch: ignored */
    cJSON *out = cJSON_CreateObject();
    cJSON_AddStringToObject(out, "type", "typing");
    cJSON_AddNumberToObject(out, "conversation_id", (double)f->conversation_id);
    cJSON_AddStringToObject(out, "author", l->role == ROLE_AGENT ? "agent" : "customer");
    if (l->role == ROLE_AGENT)
        cJSON_AddStringToObject(out, "name", l->agent.name);
    cJSON_AddBoolToObject(out, "typing", f->typing);
    char *text = cJSON_PrintUnformatted(out);
    cJSON_Delete(out);
    if (text)
        pw_hub_relay(srv->hub, l->client, f->conversation_id, text, strlen(text));
    free(text);
    return 1;
}

/* What a well-formed frame does. Returns 1 to keep the connection, 0 to close it. */
static int act(struct mg_connection *conn, pw_server *srv, live *l, const pw_live_frame *f) {
    int signing_in = f->kind == PW_LIVE_AUTH_SESSION || f->kind == PW_LIVE_AUTH_TOKEN;
    if (f->kind == PW_LIVE_PING)
        return send_text(conn, "{\"type\":\"pong\"}", 15) == 0;
    if (l->role == ROLE_NONE)
        return signing_in ? auth(conn, srv, l, f)
                          : send_error(conn, "unauthorized", "the first frame must be auth", 0);
    switch (f->kind) {
    case PW_LIVE_WATCH:
        return watch(conn, srv, l, f);
    case PW_LIVE_UNWATCH:
        pw_hub_unwatch(srv->hub, l->client, f->conversation_id);
        return 1;
    case PW_LIVE_TYPING:
        return typing(srv, l, f);
    case PW_LIVE_WATCH_INBOX:
        if (l->role != ROLE_AGENT)
            return send_error(conn, "forbidden", "the inbox is for agents", 1);
        pw_hub_watch_inbox(srv->hub, l->client);
        return 1;
    default:
        return send_error(conn, "conflict", "already signed in", 1);
    }
}

/* ---- civetweb's callbacks ------------------------------------------------------------------- */

/* Live connections may take half of civetweb's worker threads (each holds one for its life);
 * the rest stay for plain requests. A client turned away polls instead. */
static int live_max(const pw_server *srv) {
    return srv->cfg.threads / 2 > 1 ? srv->cfg.threads / 2 : 1;
}

static int on_connect(const struct mg_connection *conn, void *cbdata) {
    pw_server *srv = cbdata;
    const struct mg_request_info *ri = mg_get_request_info(conn);
    int retry;
    if (strcmp(ri->local_uri, "/api/v1/live") != 0 || pw_hub_clients(srv->hub) >= live_max(srv) ||
        !pw_ratelimit_take(srv->ip_limit, ri->remote_addr, strlen(ri->remote_addr), pw_mono_ms(),
                           &retry))
        return 1; /* refused before the handshake */
    live *l = calloc(1, sizeof *l);
    if (!l)
        return 1;
    const char *origin = mg_get_header(conn, "Origin");
    snprintf(l->origin, sizeof l->origin, "%s", origin ? origin : "");
    snprintf(l->ip, sizeof l->ip, "%s", ri->remote_addr);
    mg_set_user_connection_data(conn, l);
    return 0;
}

static void on_ready(struct mg_connection *conn, void *cbdata) {
    pw_server *srv = cbdata;
    live *l = mg_get_user_connection_data(conn);
    if (l && !(l->client = pw_hub_join(srv->hub, conn, live_max(srv)))) {
        send_error(conn, "unavailable", "too many live connections: poll instead", 0);
        mg_websocket_write(conn, MG_WEBSOCKET_OPCODE_CONNECTION_CLOSE, "", 0);
    }
}

static int on_data(struct mg_connection *conn, int bits, char *data, size_t len, void *cbdata) {
    pw_server *srv = cbdata;
    live *l = mg_get_user_connection_data(conn);
    int opcode = bits & 0x0f;
    if (opcode == MG_WEBSOCKET_OPCODE_CONNECTION_CLOSE)
        return 0;
    if (opcode != MG_WEBSOCKET_OPCODE_TEXT)
        return 1;         /* pings and pongs are civetweb's; binary frames are not ours */
    if (!l || !l->client) /* turned away in on_ready */
        return 0;
    int retry;
    if (!pw_ratelimit_take(srv->ip_limit, l->ip, strlen(l->ip), pw_mono_ms(), &retry))
        return send_error(conn, "rate_limited", "too many frames: slow down", 1);
    /* A session ends on the socket as it does over HTTP: the widget pings every 25 s, so within
     * that of its expiry it is told, reconnects and signs in with a new one. */
    if (l->role == ROLE_VISITOR && pw_now_ms() >= l->claims.expires_at_ms)
        return send_error(conn, "unauthorized", "the session expired", 0);
    pw_live_frame f;
    pw_live_error err;
    if (pw_live_frame_parse(data, len, &f, &err) != 0) {
        /* Not ours at all (too large, or an auth that cannot be one) closes; the rest is told. */
        int keep = strcmp(err.code, "too_large") != 0 &&
                   (strcmp(err.code, "unauthorized") != 0 || l->role != ROLE_NONE);
        return send_error(conn, err.code, err.message, keep);
    }
    return act(conn, srv, l, &f);
}

static void on_close(const struct mg_connection *conn, void *cbdata) {
    pw_server *srv = cbdata;
    live *l = mg_get_user_connection_data(conn);
    if (!l)
        return;
    pw_hub_leave(srv->hub, l->client);
    free(l);
    mg_set_user_connection_data(conn, NULL);
}

void pw_api_live_register(struct mg_context *http, pw_server *srv) {
    mg_set_websocket_handler(http, "/api/v1/live", on_connect, on_ready, on_data, on_close, srv);
}
