/* Tickets and the inbox: create (email/API intake through the pipeline), list with filters, get
 * with everything gathered, and the agent's actions: reply, act on the AI draft, resolve,
 * assign.
 * SPDX-License-Identifier: MIT */
#include "api.h"
#include "auth.h"
#include "csat.h"
#include "intake.h"
#include "request.h"
#include "../kb/kb.h"
#include "../realtime/hub.h"
#include "../store/actions.h"
#include "../store/jsonw.h"
#include "../store/views.h"

#include <civetweb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int method_is(struct mg_connection *conn, const char *m) {
    return strcmp(mg_get_request_info(conn)->request_method, m) == 0;
}

#define SUGGESTED_MAX 5 /* articles a Ticket suggests to its agent */

/* The articles to suggest for a stored ticket: a search for its latest customer message. */
static int suggest_for_stored(pw_server *srv, pw_conn *c, int64_t id, pw_kb_hit *hits) {
    char intent[128] = "", route[256] = "", page_id[64] = "", *text = NULL;
    int n = 0;
    if (pw_view_search_basis(c, id, &text, intent, route, page_id) == 1 && text) {
        const pw_kb_index *kb = pw_kb_live_acquire(&srv->kb);
        n = pw_kb_search(kb, text, strlen(text), intent[0] ? intent : NULL, route[0] ? route : NULL,
                         page_id[0] ? page_id : NULL, hits, SUGGESTED_MAX);
        pw_kb_live_release(&srv->kb, kb);
    }
    free(text);
    return n;
}

/* The Ticket view, with its suggested_articles searched for the stored ticket. */
static char *ticket_json(pw_server *srv, int64_t id, int *found) {
    pw_conn *c = pw_pool_get(srv->readers);
    pw_kb_hit hits[SUGGESTED_MAX];
    int n = suggest_for_stored(srv, c, id, hits);
    pw_jsonw w = {0};
    pw_api_write_search_results(&w, hits, n > 0 ? n : 0, 0, NULL);
    char *suggested = pw_jsonw_finish(&w);
    char *ticket = NULL;
    if (suggested)
        ticket = pw_view_ticket(c, id, NULL, suggested, found);
    else
        *found = -1;
    pw_pool_put(srv->readers, c);
    free(suggested);
    return ticket;
}

/* A TicketRecord read from the store: a retry's, or when the pipeline kept none. */
static char *record_json(pw_server *srv, int64_t id, int *found) {
    pw_conn *c = pw_pool_get(srv->readers);
    char *record = pw_view_ticket(c, id, NULL, NULL, found);
    pw_pool_put(srv->readers, c);
    return record;
}

static int send_view(struct mg_connection *conn, int status, char *json, int found,
                     const char *what) {
    int rc;
    if (found == 1)
        rc = pw_api_send_text(conn, status, json);
    else if (found == 0)
        rc = pw_api_send_error(conn, 404, "not_found", NULL, what);
    else
        rc = pw_api_send_error(conn, 500, "internal", NULL, "the store could not be read");
    free(json);
    return rc;
}

static int create(struct mg_connection *conn, pw_server *srv, const pw_agent_auth *agent) {
    pw_problem p;
    pw_ticket_body t;
    cJSON *body = pw_request_json(conn, srv->cfg.limits.body_bytes, 1, &p);
    if (!body || pw_intake_ticket(body, srv->cfg.limits.message_bytes, &t, &p)) {
        cJSON_Delete(body);
        return pw_problem_send(conn, &p);
    }
    char client_key[128];
    if (t.client_id)
        snprintf(client_key, sizeof client_key, "t:%lld:%s", (long long)agent->id, t.client_id);
    /* Tickets belong to the first configured app: one product per installation is the rule;
     * several apps share one inbox. */
    pw_intake in = {srv->cfg.apps[0].id,
                    t.channel,
                    NULL,
                    t.subject,
                    t.customer_id,
                    t.email,
                    t.name,
                    t.plan ? t.plan : (t.has_page && t.page.plan[0] ? t.page.plan : NULL),
                    0,
                    t.flags,
                    0,
                    t.text,
                    strlen(t.text),
                    t.client_id ? client_key : NULL,
                    t.has_page ? &t.page : NULL,
                    NULL,
                    0,
                    1};
    pw_outcome out;
    int rc;
    if (pw_pipeline_handle(srv, &in, &out, &p))
        rc = pw_problem_send(conn, &p);
    else {
        pw_hub_changed(srv->hub, out.conversation_id); /* a new ticket in the consoles' inbox */
        int found = 1;
        char *json = out.ticket;
        out.ticket = NULL; /* send_view frees it */
        if (!json)
            json = record_json(srv, out.conversation_id, &found);
        rc = send_view(conn, 201, json, found, "no such ticket");
    }
    pw_outcome_free(&out);
    pw_ticket_body_free(&t);
    cJSON_Delete(body);
    return rc;
}

/* Reads a query parameter that must be one of `names` (NULL-terminated) into *out (NULL when
 * absent). */
static int enum_query(struct mg_connection *conn, const char *name, const char *const *names,
                      const char **out, pw_problem *p) {
    char buf[64];
    *out = NULL;
    int n = pw_request_query(conn, name, buf, sizeof buf);
    if (n == 0)
        return 0;
    for (int i = 0; n > 0 && names[i]; i++)
        if (strcmp(buf, names[i]) == 0)
            return *out = names[i], 0;
    return pw_problem_set(p, 400, "invalid", name, "is not one of the allowed values");
}

static const char *const statuses[] = {"bot", "open", "resolved", NULL};
static const char *const channels[] = {"widget", "portal", "email", "api", NULL};
static const char *const lanes[] = {"resolve", "assist", "escalate", NULL};
static const char *const inbox_lanes[] = {"assist", "escalate", NULL};
static const char *const tiers[] = {"free", "starter", "pro", "enterprise", NULL};

static int list(struct mg_connection *conn, pw_server *srv, int inbox, const pw_agent_auth *agent) {
    pw_problem p;
    pw_ticket_filter f;
    memset(&f, 0, sizeof f);
    f.inbox = inbox;
    char intent[128], number[32];
    int n;
    if (pw_request_page(conn, &f.limit, &f.cursor, &p) ||
        enum_query(conn, "lane", inbox ? inbox_lanes : lanes, &f.lane, &p) ||
        (!inbox && (enum_query(conn, "status", statuses, &f.status, &p) ||
                    enum_query(conn, "channel", channels, &f.channel, &p))) ||
        (inbox && enum_query(conn, "tier", tiers, &f.tier, &p)))
        return pw_problem_send(conn, &p);
    if ((n = pw_request_query(conn, "intent", intent, sizeof intent)) < 0)
        return pw_api_send_error(conn, 400, "invalid", "intent", "is too long");
    f.intent = n > 0 ? intent : NULL;
    const char *who = inbox ? "assignee" : "customer";
    if ((n = pw_request_query(conn, who, number, sizeof number)) != 0) {
        long long v = 0;
        if (inbox && n > 0 && strcmp(number, "me") == 0)
            v = agent->id;
        else if (inbox && n > 0 && strcmp(number, "none") == 0)
            v = -1;
        else if (n < 0 || sscanf(number, "%lld", &v) != 1 || v < 1)
            return pw_api_send_error(conn, 400, "invalid", who,
                                     inbox ? "must be an agent id, me or none" : "must be an id");
        if (inbox)
            f.assignee = v;
        else
            f.customer_id = v;
    }
    pw_conn *c = pw_pool_get(srv->readers);
    int found;
    char *json = pw_view_ticket_list(c, &f, &found);
    pw_pool_put(srv->readers, c);
    return send_view(conn, 200, json, found, "");
}

typedef struct action {
    int kind; /* 0 reply, 1 draft, 2 resolve, 3 assign */
    int64_t conversation_id, agent_id, target_agent, article_id;
    int draft_action;
    const char *text, *category;
    int64_t message_id, decision_id;
    int outcome;
} action;

static int run_action(pw_conn *c, void *arg) {
    action *a = arg;
    int64_t now = pw_now_ms();
    switch (a->kind) {
    case 0:
        a->outcome =
            pw_store_agent_reply(c, a->conversation_id, a->agent_id, a->text, now, &a->message_id);
        break;
    case 1:
        a->outcome = pw_store_draft_act(c, a->conversation_id, a->agent_id, a->draft_action,
                                        a->text, now, &a->decision_id, &a->message_id);
        break;
    case 2:
        a->outcome = pw_store_resolve(c, a->conversation_id, a->category, a->article_id, now);
        break;
    default:
        a->outcome = pw_store_assign(c, a->conversation_id, a->target_agent, now);
    }
    return a->outcome < 0 ? -1 : 0;
}

static int action_failed(struct mg_connection *conn, int outcome) {
    switch (outcome) {
    case PW_ACT_NO_CONVERSATION:
        return pw_api_send_error(conn, 404, "not_found", NULL, "no such ticket");
    case PW_ACT_NO_DRAFT:
        return pw_api_send_error(conn, 409, "conflict", NULL, "there is no pending AI draft");
    case PW_ACT_ALREADY_RESOLVED:
        return pw_api_send_error(conn, 409, "conflict", NULL, "the ticket is already resolved");
    case PW_ACT_NO_AGENT:
        return pw_api_send_error(conn, 400, "invalid", "agent_id", "no agent has this id");
    default:
        return pw_api_send_error(conn, 500, "internal", NULL, "the change was not stored");
    }
}

/* The action's answer: the new Message (reply), the Draft, {csat_token}, or the summary. */
static int action_result(struct mg_connection *conn, pw_server *srv, const action *a) {
    if (a->kind == 2) {
        char token[96];
        pw_csat_token(srv, a->conversation_id, token, sizeof token);
        cJSON *out = cJSON_CreateObject();
        cJSON_AddStringToObject(out, "csat_token", token);
        return pw_api_send_json(conn, 200, out);
    }
    pw_conn *c = pw_pool_get(srv->readers);
    int found;
    char *json = a->kind == 0   ? pw_view_message(c, a->message_id, &found)
                 : a->kind == 1 ? pw_view_draft(c, a->decision_id, &found)
                                : pw_view_summary(c, a->conversation_id, &found);
    pw_pool_put(srv->readers, c);
    return send_view(conn, a->kind == 0 ? 201 : 200, json, found, "no such ticket");
}

/* The action a path ends with ("/reply" is 0, as action.kind), -1 for none. */
static int action_kind(const char *verb) {
    static const char *const verbs[] = {"/reply", "/draft", "/resolve", "/assign", NULL};
    for (int i = 0; verbs[i]; i++)
        if (strcmp(verb, verbs[i]) == 0)
            return i;
    return -1;
}

static int parse_action(struct mg_connection *conn, pw_server *srv, const char *verb, action *a,
                        cJSON **body, pw_problem *p) {
    if ((a->kind = action_kind(verb)) < 0)
        return pw_problem_set(p, 404, "not_found", NULL, "no such API endpoint");
    if (!(*body = pw_request_json(conn, srv->cfg.limits.body_bytes, 1, p)))
        return -1;
    size_t max = srv->cfg.limits.message_bytes;
    pw_draft_action da = PW_DRAFT_APPROVE;
    int rc = a->kind == 0   ? pw_intake_reply(*body, max, &a->text, p)
             : a->kind == 1 ? pw_intake_draft(*body, max, &da, &a->text, p)
             : a->kind == 2 ? pw_intake_resolve(*body, &a->category, &a->article_id, p)
                            : pw_intake_assign(*body, &a->target_agent, p);
    a->draft_action = (int)da;
    return rc;
}

static int act(struct mg_connection *conn, pw_server *srv, const pw_agent_auth *agent, int64_t id,
               const char *verb) {
    pw_problem p;
    action a;
    memset(&a, 0, sizeof a);
    a.conversation_id = id;
    a.agent_id = agent->id;
    cJSON *body = NULL;
    int rc;
    if (parse_action(conn, srv, verb, &a, &body, &p))
        rc = pw_problem_send(conn, &p);
    else if (pw_writer_run(srv->writer, run_action, &a) < 0 || a.outcome != 0)
        rc = action_failed(conn, a.outcome);
    else {
        /* Committed: the customer sees the reply or the new status at once, consoles too. */
        pw_hub_changed(srv->hub, id);
        rc = action_result(conn, srv, &a);
    }
    cJSON_Delete(body);
    return rc;
}

static int tickets_handler(struct mg_connection *conn, void *cbdata) {
    pw_server *srv = cbdata;
    const char *uri = mg_get_request_info(conn)->local_uri;
    int is_get = method_is(conn, "GET"), is_post = method_is(conn, "POST");
    int collection = strcmp(uri, "/api/v1/tickets") == 0 || strcmp(uri, "/api/v1/inbox") == 0;
    const char *rest = "";
    int64_t id = collection ? 0 : pw_request_path_id(conn, "/api/v1/tickets/", &rest);
    if (!collection && id <= 0)
        return pw_api_send_error(conn, 404, "not_found", NULL, "no such ticket");
    if (*rest && action_kind(rest) < 0) /* a path that does not exist has no methods */
        return pw_api_send_error(conn, 404, "not_found", NULL, "no such API endpoint");
    if (strcmp(uri, "/api/v1/inbox") == 0 && !is_get)
        return pw_api_method_not_allowed(conn, "GET");
    if ((collection && !is_get && !is_post) || (id && !*rest && !is_get) ||
        (id && *rest && !is_post))
        return pw_api_method_not_allowed(conn, collection ? "GET, POST" : *rest ? "POST" : "GET");
    pw_agent_auth agent;
    int rc = pw_auth_agent(conn, srv, 0, &agent);
    if (rc)
        return rc;
    if (strcmp(uri, "/api/v1/inbox") == 0)
        return list(conn, srv, 1, &agent);
    if (collection)
        return is_post ? create(conn, srv, &agent) : list(conn, srv, 0, &agent);
    if (*rest)
        return act(conn, srv, &agent, id, rest);
    int found;
    char *json = ticket_json(srv, id, &found);
    return send_view(conn, 200, json, found, "no such ticket");
}

void pw_api_tickets_register(struct mg_context *http, pw_server *srv) {
    mg_set_request_handler(http, "/api/v1/tickets", tickets_handler, srv);
    mg_set_request_handler(http, "/api/v1/inbox", tickets_handler, srv);
}
