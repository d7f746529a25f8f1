/* The widget's endpoints: boot (a signed session, no rows written), struggle events, chat
 * messages through the pipeline, the conversation for polling, and the gzipped model.
 * SPDX-License-Identifier: MIT */
#include "api.h"
#include "auth.h"
#include "conversation.h"
#include "intake.h"
#include "request.h"
#include "../pipeline/event_buffer.h"
#include "../realtime/hub.h"
#include "../security/token.h"
#include "../store/jsonw.h"
#include "../store/support.h"
#include "../store/views.h"

#include <civetweb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SESSION_TTL_MS (24LL * 3600 * 1000)

static int method_is(struct mg_connection *conn, const char *m) {
    return strcmp(mg_get_request_info(conn)->request_method, m) == 0;
}

static int sign_session(pw_server *srv, const pw_boot_in *in, const pw_app *app,
                        pw_session_claims *claims, char *token, size_t cap) {
    memset(claims, 0, sizeof *claims);
    claims->app_id = app->id;
    if (pw_session_new_visitor(claims))
        return -1;
    /* With an identity secret, a user id is believed only with its hash; without one, the id
     * is kept but marked unverified for the agent. */
    claims->verified = in->hash && app->identity_secret;
    if (in->user_id && (claims->verified || !app->identity_secret))
        snprintf(claims->user_id, sizeof claims->user_id, "%s", in->user_id);
    snprintf(claims->email, sizeof claims->email, "%s", in->email ? in->email : "");
    snprintf(claims->name, sizeof claims->name, "%s", in->name ? in->name : "");
    snprintf(claims->plan, sizeof claims->plan, "%s", in->plan ? in->plan : "free");
    claims->expires_at_ms = pw_now_ms() + SESSION_TTL_MS;
    return pw_session_encode(srv->session_key, claims, token, cap) < 0 ? -1 : 0;
}

static int boot(struct mg_connection *conn, pw_server *srv) {
    pw_problem p;
    pw_boot_in in;
    cJSON *body = pw_request_json(conn, srv->cfg.limits.body_bytes, 1, &p);
    if (!body || pw_intake_boot(body, &in, &p)) {
        cJSON_Delete(body);
        return pw_problem_send(conn, &p);
    }
    const pw_app *app = pw_server_app_by_key(srv, in.app_key);
    int rc = 0;
    if (!app)
        rc = pw_api_send_error(conn, 401, "unauthorized", "app_key", "no app has this key");
    else if ((rc = pw_auth_origin(conn, app)) == 0 && in.hash && app->identity_secret &&
             !pw_identity_verify(app->identity_secret, in.user_id, in.hash))
        rc = pw_api_send_error(conn, 401, "unauthorized", "user.hash",
                               "the identity hash does not match user.id");
    pw_session_claims claims;
    char token[PW_SESSION_TOKEN_MAX];
    if (rc == 0 && sign_session(srv, &in, app, &claims, token, sizeof token))
        rc = pw_api_send_error(conn, 500, "internal", NULL, "the session could not be signed");
    if (rc == 0) {
        cJSON *out = cJSON_CreateObject();
        cJSON_AddStringToObject(out, "session", token);
        cJSON_AddNumberToObject(out, "expires_at", (double)claims.expires_at_ms);
        cJSON_AddStringToObject(out, "visitor", claims.visitor);
        cJSON_AddBoolToObject(out, "verified", claims.verified);
        cJSON *model = cJSON_AddObjectToObject(out, "model");
        char url[128];
        snprintf(url, sizeof url, "/api/v1/widget/model?app_key=%s", app->key);
        cJSON_AddStringToObject(model, "url", url);
        cJSON_AddStringToObject(model, "etag", srv->widget_model.etag);
        rc = pw_api_send_json(conn, 200, out);
    }
    cJSON_Delete(body);
    return rc;
}

/* The customer key of a widget visitor: the host's user id when it is believed, else the
 * visitor id (an anonymous visitor becomes a customer with their first message). */
static void customer_key(const pw_session_claims *c, char *buf, size_t cap) {
    if (c->user_id[0])
        snprintf(buf, cap, "%s", c->user_id);
    else
        snprintf(buf, cap, "visitor:%s", c->visitor);
}

typedef struct events_job {
    int64_t conversation_id;
    const pw_struggle_event *events;
    size_t count;
} events_job;

static int store_events(pw_conn *c, void *arg) {
    events_job *j = arg;
    for (size_t i = 0; i < j->count; i++) {
        const pw_struggle_event *e = &j->events[i];
        if (pw_store_event_insert(c, j->conversation_id, e->kind, e->route[0] ? e->route : NULL,
                                  e->detail, e->at))
            return -1;
    }
    return 0;
}

/* 0 when conversation `id` is this visitor's; else sends 404 and returns it. */
static int own_conversation(struct mg_connection *conn, pw_server *srv, const pw_widget_auth *who,
                            int64_t id) {
    int mine = pw_auth_may_see(srv, who->app, &who->claims, id);
    if (mine < 0)
        return pw_api_send_error(conn, 500, "internal", NULL, "the store could not be read");
    if (!mine)
        return pw_api_send_error(conn, 404, "not_found", "conversation_id", "no such conversation");
    return 0;
}

static int events(struct mg_connection *conn, pw_server *srv, const pw_widget_auth *who) {
    pw_problem p;
    cJSON *body = pw_request_json(conn, srv->cfg.limits.body_bytes, 1, &p);
    static const char *const known[] = {"events", "conversation_id", NULL};
    int64_t conversation_id = 0;
    pw_struggle_event evs[PW_EVENTS_MAX];
    size_t n = 0;
    if (!body || pw_field_known(body, NULL, known, &p) ||
        pw_field_int(body, "conversation_id", "conversation_id", 0, 1, INT64_MAX / 2,
                     &conversation_id, &p) ||
        pw_intake_events(cJSON_GetObjectItemCaseSensitive(body, "events"), "events", evs,
                         PW_EVENTS_MAX, &n, &p)) {
        cJSON_Delete(body);
        return pw_problem_send(conn, &p);
    }
    cJSON_Delete(body);
    int rc = 0;
    if (conversation_id && (rc = own_conversation(conn, srv, who, conversation_id)) == 0) {
        events_job job = {conversation_id, evs, n};
        if (pw_writer_run(srv->writer, store_events, &job) < 0)
            rc = pw_api_send_error(conn, 500, "internal", NULL, "the events were not stored");
    } else if (!conversation_id) {
        pw_event_buffer_add(srv->pending_events, who->claims.visitor, evs, n, pw_mono_ms());
    }
    pw_intake_events_free(evs, n);
    if (rc)
        return rc;
    cJSON *out = cJSON_CreateObject();
    cJSON_AddNumberToObject(out, "accepted", (double)n);
    return pw_api_send_json(conn, 202, out);
}

/* Sends {conversation_id, message_id, status, decision, reply}, built by copying: the decision
 * and reply are most of it, and snprintf's "%s" went through them a byte at a time. */
static int send_answer(struct mg_connection *conn, const pw_outcome *o, const char *status,
                       const char *decision, const char *reply) {
    size_t cap = strlen(decision) + (reply ? strlen(reply) : 4) + 160, at = 0;
    char *text = malloc(cap);
    if (text) {
        pw_append(text, cap, &at, "{\"conversation_id\":");
        pw_append_u64(text, cap, &at, (uint64_t)o->conversation_id);
        pw_append(text, cap, &at, ",\"message_id\":");
        pw_append_u64(text, cap, &at, (uint64_t)o->message_id);
        pw_append(text, cap, &at, ",\"status\":\"");
        pw_append(text, cap, &at, status);
        pw_append(text, cap, &at, "\",\"decision\":");
        pw_append(text, cap, &at, decision);
        pw_append(text, cap, &at, ",\"reply\":");
        pw_append(text, cap, &at, reply ? reply : "null");
        pw_append_n(text, cap, &at, "}", 1);
    }
    int rc = text ? pw_api_send_text(conn, 200, text)
                  : pw_api_send_error(conn, 500, "internal", NULL, "out of memory");
    free(text);
    return rc;
}

/* The answer as the pipeline recorded it; a retried message (same client_id) gets exactly the
 * first answer, read back from the store. */
static int send_message_result(struct mg_connection *conn, pw_server *srv, const pw_outcome *o) {
    if (o->decision)
        return send_answer(conn, o, o->status, o->decision, o->reply);
    pw_conn *c = pw_pool_get(srv->readers);
    int f1, f2, rated;
    char status[12];
    char *decision = pw_view_decision(c, o->message_id, &f1);
    char *reply = pw_view_reply(c, o->conversation_id, o->message_id, &f2);
    int f3 = pw_view_status(c, o->conversation_id, status, &rated);
    pw_pool_put(srv->readers, c);
    int rc = f1 != 1 || f2 < 0 || f3 != 1
                 ? pw_api_send_error(conn, 500, "internal", NULL, "the answer could not be read")
                 : send_answer(conn, o, status, decision, reply);
    free(decision);
    free(reply);
    return rc;
}

static int message(struct mg_connection *conn, pw_server *srv, const pw_widget_auth *who) {
    pw_problem p;
    pw_message_body m;
    cJSON *body = pw_request_json(conn, srv->cfg.limits.body_bytes, 1, &p);
    if (!body || pw_intake_message(body, srv->cfg.limits.message_bytes, &m, &p)) {
        cJSON_Delete(body);
        return pw_problem_send(conn, &p);
    }
    char key[160], client_key[128];
    customer_key(&who->claims, key, sizeof key);
    /* The client's id first: the widget's grow with time (transport.js), so the keys of new
     * messages land together at the end of the messages_client index instead of each on a leaf
     * of its own under its visitor. The visitor, fixed-length hex, keeps visitors' ids apart. */
    if (m.client_id)
        snprintf(client_key, sizeof client_key, "w:%s:%s", m.client_id, who->claims.visitor);
    /* A first message brings the events the visitor had before it. */
    if (!m.conversation_id)
        m.event_count +=
            pw_event_buffer_take(srv->pending_events, who->claims.visitor, m.events + m.event_count,
                                 PW_EVENTS_MAX - m.event_count);
    const char *plan = m.has_page && m.page.plan[0] ? m.page.plan : who->claims.plan;
    pw_intake in = {who->app->id,
                    m.channel,
                    who->claims.visitor,
                    NULL,
                    key,
                    who->claims.email[0] ? who->claims.email : NULL,
                    who->claims.name[0] ? who->claims.name : NULL,
                    plan,
                    who->claims.verified,
                    0,
                    m.conversation_id,
                    m.text,
                    strlen(m.text),
                    m.client_id ? client_key : NULL,
                    m.has_page ? &m.page : NULL,
                    m.events,
                    m.event_count,
                    0};
    pw_outcome out;
    int rc;
    if (pw_pipeline_handle(srv, &in, &out, &p))
        rc = pw_problem_send(conn, &p);
    else {
        pw_hub_changed(srv->hub, out.conversation_id); /* the console, the visitor's other tabs */
        rc = send_message_result(conn, srv, &out);
    }
    pw_outcome_free(&out);
    pw_message_body_free(&m);
    cJSON_Delete(body);
    return rc;
}

static int conversation(struct mg_connection *conn, pw_server *srv, const pw_widget_auth *who) {
    const char *rest;
    int64_t id = pw_request_path_id(conn, "/api/v1/widget/conversations/", &rest);
    if (id <= 0 || *rest)
        return pw_api_send_error(conn, 404, "not_found", NULL, "no such conversation");
    char buf[32];
    int64_t after = 0;
    int n = pw_request_query(conn, "after", buf, sizeof buf);
    if (n != 0 && (n < 0 || sscanf(buf, "%lld", (long long *)&after) != 1 || after < 0))
        return pw_api_send_error(conn, 400, "invalid", "after", "must be a message id");
    int rc = own_conversation(conn, srv, who, id);
    if (rc)
        return rc;
    int64_t last;
    char status[12];
    cJSON *out = pw_api_conversation_update(srv, id, after, &last, status);
    if (!out)
        return pw_api_send_error(conn, 500, "internal", NULL, "the store could not be read");
    return pw_api_send_json(conn, 200, out);
}

static int model(struct mg_connection *conn, pw_server *srv) {
    char key[64];
    if (pw_request_query(conn, "app_key", key, sizeof key) <= 0 || !pw_server_app_by_key(srv, key))
        return pw_api_send_error(conn, 401, "unauthorized", "app_key",
                                 "pass the app's key: ?app_key=...");
    const char *match = mg_get_header(conn, "If-None-Match");
    if (match && strcmp(match, srv->widget_model.etag) == 0)
        return pw_api_send_empty(conn, 304, "ETag", srv->widget_model.etag);
    pw_response r;
    pw_response_start(&r, conn, 200);
    pw_response_header(&r, "Content-Type", "application/octet-stream");
    pw_response_header(&r, "Cache-Control", "no-cache");
    pw_response_header(&r, "ETag", srv->widget_model.etag);
    pw_api_cors_headers(conn, &r);
    return pw_response_send(&r, srv->widget_model.gz, srv->widget_model.gz_len);
}

static int widget_handler(struct mg_connection *conn, void *cbdata) {
    pw_server *srv = cbdata;
    const char *uri = mg_get_request_info(conn)->local_uri;
    if (method_is(conn, "OPTIONS"))
        return pw_api_preflight(conn, "GET, POST, OPTIONS");
    int rc = pw_auth_ip_limit(conn, srv);
    if (rc)
        return rc;
    int is_get = method_is(conn, "GET"), is_post = method_is(conn, "POST");
    if (strcmp(uri, "/api/v1/widget/boot") == 0)
        return is_post ? boot(conn, srv) : pw_api_method_not_allowed(conn, "POST");
    if (strcmp(uri, "/api/v1/widget/model") == 0)
        return is_get ? model(conn, srv) : pw_api_method_not_allowed(conn, "GET");
    int events_uri = strcmp(uri, "/api/v1/widget/events") == 0;
    int messages_uri = strcmp(uri, "/api/v1/widget/messages") == 0;
    int conversation_uri = strncmp(uri, "/api/v1/widget/conversations/", 29) == 0;
    if (!events_uri && !messages_uri && !conversation_uri)
        return pw_api_send_error(conn, 404, "not_found", NULL, "no such API endpoint");
    if ((events_uri || messages_uri) && !is_post)
        return pw_api_method_not_allowed(conn, "POST");
    if (conversation_uri && !is_get)
        return pw_api_method_not_allowed(conn, "GET");
    pw_widget_auth who;
    if ((rc = pw_auth_widget(conn, srv, &who)))
        return rc;
    if (events_uri)
        return events(conn, srv, &who);
    return messages_uri ? message(conn, srv, &who) : conversation(conn, srv, &who);
}

void pw_api_widget_register(struct mg_context *http, pw_server *srv) {
    mg_set_request_handler(http, "/api/v1/widget", widget_handler, srv);
}
