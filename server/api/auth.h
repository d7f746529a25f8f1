/* Who is calling: agents and admins (bearer tokens, stored hashed), widget sessions (signed
 * tokens from /widget/boot, checked against the app's allowed origins), and per-IP and
 * per-session rate limits.
 * SPDX-License-Identifier: MIT */
#ifndef PW_API_AUTH_H
#define PW_API_AUTH_H

#include "../server.h"
#include "../security/agent_cache.h"
#include "../security/session.h"

#include <stdint.h>

struct mg_connection;

/* The signed-in agent: id, admin, name. */
typedef pw_cached_agent pw_agent_auth;

/* Checks the Authorization: Bearer agent token. Returns 0 with *out filled, or sends 401
 * (missing or unknown token; 429 once the caller's IP has failed too often) / 403 (admin
 * required) and returns that status. */
int pw_auth_agent(struct mg_connection *conn, pw_server *srv, int admin_required,
                  pw_agent_auth *out);

/* Like pw_auth_agent but returns 0 without a token (out->id = 0): for public reads that show
 * agents more (internal notes). A token that is present but wrong is still 401. */
int pw_auth_agent_optional(struct mg_connection *conn, pw_server *srv, pw_agent_auth *out);

/* The agent with this token (not a request's: the live endpoint's first frame). 1 found with
 * *out filled, 0 not. */
int pw_auth_agent_lookup(pw_server *srv, const char *token, size_t len, pw_agent_auth *out);

/* The app of a widget call: checks the Origin header against the app's allowed origins. */
typedef struct pw_widget_auth {
    pw_session_claims claims;
    const pw_app *app; /* borrowed from srv */
} pw_widget_auth;

/* 0 when the request's page origin (Origin, or the Referer's origin for same-origin GETs) is
 * allowed for `app`; else sends 403 and returns it. */
int pw_auth_origin(struct mg_connection *conn, const pw_app *app);

/* Checks the session token and origin of a widget call and the session's rate limit. Returns 0,
 * or sends 401/403/429 and returns that status. */
int pw_auth_widget(struct mg_connection *conn, pw_server *srv, pw_widget_auth *out);

/* Whether conversation `id` may be seen: by an agent (`claims` NULL) when it exists, by a widget
 * visitor (the `claims` of a session of `app`) when it is theirs. 1 yes; 0 no, for a missing
 * conversation and another visitor's alike (callers answer both "not found", so ids reveal
 * nothing); -1 when the store failed. */
int pw_auth_may_see(pw_server *srv, const pw_app *app, const pw_session_claims *claims, int64_t id);

/* The per-IP limit every API request passes first. Returns 0, or sends 429 with Retry-After. */
int pw_auth_ip_limit(struct mg_connection *conn, pw_server *srv);

#endif
