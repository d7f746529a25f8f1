/* JSON read models, written from plain queries' columns by the JSON text writer (jsonw.h).
 * Each shape (Message, Decision, TicketSummary, Agent, Draft) has one query fragment and one
 * writer here, used wherever it appears: alone, in a list, or inside a Ticket.
 *
 * Why C and not SQLite's JSON functions, which built these until 2026-12: a json_object nested in
 * another is printed, then parsed again by json() at every level, and a Ticket nests three deep
 * for up to 20 history rows: under load, building the Ticket of a new ticket was a third of the
 * server's CPU, most of it in malloc (tests/bench/server-history.md).
 * SPDX-License-Identifier: MIT */
#include "views.h"
#include "jsonw.h"
#include "support.h"
#include "../config/policy_config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- columns ---- */

/* A column as the JSON value of its SQLite type, as json_object would write it. */
static void value(pw_jsonw *w, sqlite3_stmt *st, int i) {
    switch (sqlite3_column_type(st, i)) {
    case SQLITE_INTEGER:
        pw_jsonw_int(w, sqlite3_column_int64(st, i));
        break;
    case SQLITE_FLOAT:
        pw_jsonw_double(w, sqlite3_column_double(st, i));
        break;
    case SQLITE_NULL:
        pw_jsonw_null(w);
        break;
    default: {
        const char *s = (const char *)sqlite3_column_text(st, i);
        pw_jsonw_string(w, s, (size_t)sqlite3_column_bytes(st, i));
    }
    }
}

static void member(pw_jsonw *w, const char *key, sqlite3_stmt *st, int i) {
    pw_jsonw_key(w, key);
    value(w, st, i);
}

/* A column holding JSON text the server wrote (page context, attributes, reasons, signals,
 * event details): spliced in as it is. */
static void member_json(pw_jsonw *w, const char *key, sqlite3_stmt *st, int i) {
    pw_jsonw_key(w, key);
    if (sqlite3_column_type(st, i) == SQLITE_NULL)
        pw_jsonw_null(w);
    else
        pw_jsonw_raw(w, (const char *)sqlite3_column_text(st, i),
                     (size_t)sqlite3_column_bytes(st, i));
}

static void member_bool(pw_jsonw *w, const char *key, sqlite3_stmt *st, int i) {
    pw_jsonw_key(w, key);
    pw_jsonw_bool(w, sqlite3_column_int(st, i) != 0);
}

static int is_null(sqlite3_stmt *st, int i) {
    return sqlite3_column_type(st, i) == SQLITE_NULL;
}

#define COUNT(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* Members keys[0..n) from the columns i .. i + n - 1, each as its SQLite type. */
static void members(pw_jsonw *w, sqlite3_stmt *st, int i, const char *const *keys, int n) {
    for (int k = 0; k < n; k++)
        member(w, keys[k], st, i + k);
}

/* Those members as an object under `key`, or null when column `i` is NULL (a LEFT JOIN that
 * found no row). */
static void object_or_null(pw_jsonw *w, const char *key, sqlite3_stmt *st, int i,
                           const char *const *keys, int n) {
    pw_jsonw_key(w, key);
    if (is_null(st, i)) {
        pw_jsonw_null(w);
        return;
    }
    pw_jsonw_open(w, '{');
    members(w, st, i, keys, n);
    pw_jsonw_close(w, '}');
}

/* ---- shapes written from values (views.h) ---- */

/* A NUL-terminated text, or null for NULL (as a NULL column is written). */
static void text_or_null(pw_jsonw *w, const char *s) {
    if (s)
        pw_jsonw_string(w, s, strlen(s));
    else
        pw_jsonw_null(w);
}

/* A stored JSON text spliced in as it is, or null for NULL. */
static void json_or_null(pw_jsonw *w, const char *json) {
    if (json)
        pw_jsonw_raw(w, json, strlen(json));
    else
        pw_jsonw_null(w);
}

static void int_member(pw_jsonw *w, const char *key, int64_t v) {
    pw_jsonw_key(w, key);
    pw_jsonw_int(w, v);
}

static void text_member(pw_jsonw *w, const char *key, const char *s) {
    pw_jsonw_key(w, key);
    text_or_null(w, s);
}

static void write_article_ref(pw_jsonw *w, const pw_article_ref *a) {
    pw_jsonw_key(w, "article");
    if (!a->id) {
        pw_jsonw_null(w);
        return;
    }
    pw_jsonw_open(w, '{');
    int_member(w, "id", a->id);
    text_member(w, "slug", a->slug);
    text_member(w, "title", a->title);
    pw_jsonw_close(w, '}');
}

void pw_view_write_message(pw_jsonw *w, const pw_message_view *m) {
    pw_jsonw_open(w, '{');
    int_member(w, "id", m->id);
    text_member(w, "author", m->author);
    pw_jsonw_key(w, "body");
    pw_jsonw_string(w, m->body, m->body_len);
    int_member(w, "created_at", m->created_at);
    pw_jsonw_key(w, "agent");
    if (m->agent_id) {
        pw_jsonw_open(w, '{');
        int_member(w, "id", m->agent_id);
        text_member(w, "name", m->agent_name);
        pw_jsonw_close(w, '}');
    } else {
        pw_jsonw_null(w);
    }
    write_article_ref(w, &m->article);
    pw_jsonw_close(w, '}');
}

static void write_decision_members(pw_jsonw *w, const pw_decision_view *d) {
    text_member(w, "lane", d->lane);
    text_member(w, "intent", d->intent);
    pw_jsonw_key(w, "confidence");
    pw_jsonw_double(w, d->confidence);
    pw_jsonw_key(w, "out_of_scope");
    pw_jsonw_bool(w, d->out_of_scope);
    int_member(w, "priority", d->priority);
    pw_jsonw_key(w, "reasons");
    json_or_null(w, d->reasons);
    pw_jsonw_key(w, "signals");
    json_or_null(w, d->signals);
}

void pw_view_write_decision(pw_jsonw *w, const pw_decision_view *d) {
    pw_jsonw_open(w, '{');
    write_decision_members(w, d);
    pw_jsonw_close(w, '}');
}

void pw_view_write_ticket_decision(pw_jsonw *w, const pw_ticket_decision_view *d) {
    pw_jsonw_open(w, '{');
    write_decision_members(w, &d->decision);
    int_member(w, "id", d->id);
    int_member(w, "message_id", d->message_id);
    int_member(w, "created_at", d->created_at);
    write_article_ref(w, &d->article);
    pw_jsonw_close(w, '}');
}

void pw_view_write_draft(pw_jsonw *w, const pw_draft_view *d) {
    pw_jsonw_open(w, '{');
    int_member(w, "id", d->id);
    text_member(w, "body", d->body);
    text_member(w, "status", d->status);
    write_article_ref(w, &d->article);
    pw_jsonw_close(w, '}');
}

/* ---- the same shapes from a row: each reads the columns its fragment selects, from `i` on ---- */

static const char *text_at(sqlite3_stmt *st, int i) {
    return (const char *)sqlite3_column_text(st, i);
}

/* {id, slug, title} of an article from three columns starting at `i`; id 0 without one (a LEFT
 * JOIN that found no row). */
#define ARTICLE_COLUMNS(r) r ".id, " r ".slug, " r ".title"

static pw_article_ref article_at(sqlite3_stmt *st, int i) {
    pw_article_ref a = {0, NULL, NULL};
    if (!is_null(st, i))
        a = (pw_article_ref){sqlite3_column_int64(st, i), text_at(st, i + 1), text_at(st, i + 2)};
    return a;
}

typedef void (*shape_writer)(pw_jsonw *w, sqlite3_stmt *st, int i);

/* Message. */
#define MESSAGE_COLUMNS "m.id, m.author, m.body, m.created_at, a.id, a.name, " ARTICLE_COLUMNS("r")
#define MESSAGE_FROM                                                                               \
    " FROM messages m LEFT JOIN agents a ON a.id = m.agent_id"                                     \
    " LEFT JOIN articles r ON r.id = m.article_id"

static void message(pw_jsonw *w, sqlite3_stmt *st, int i) {
    const char *body = text_at(st, i + 2); /* the text before its length, as SQLite asks */
    pw_message_view m = {sqlite3_column_int64(st, i),
                         text_at(st, i + 1),
                         body,
                         (size_t)sqlite3_column_bytes(st, i + 2),
                         sqlite3_column_int64(st, i + 3),
                         is_null(st, i + 4) ? 0 : sqlite3_column_int64(st, i + 4),
                         text_at(st, i + 5),
                         article_at(st, i + 6)};
    pw_view_write_message(w, &m);
}

/* Decision, as the widget gets it; a Ticket's decisions add their ids, time and article. */
#define DECISION_COLUMNS                                                                           \
    "d.lane, d.intent, d.confidence, d.out_of_scope, d.priority, d.reasons, d.signals"
#define TICKET_DECISION_COLUMNS                                                                    \
    DECISION_COLUMNS ", d.id, d.message_id, d.created_at, " ARTICLE_COLUMNS("r")

static pw_decision_view decision_at(sqlite3_stmt *st, int i) {
    return (pw_decision_view){text_at(st, i),
                              text_at(st, i + 1),
                              sqlite3_column_double(st, i + 2),
                              sqlite3_column_int(st, i + 3) != 0,
                              sqlite3_column_int(st, i + 4),
                              text_at(st, i + 5),
                              text_at(st, i + 6)};
}

static void decision(pw_jsonw *w, sqlite3_stmt *st, int i) {
    pw_decision_view d = decision_at(st, i);
    pw_view_write_decision(w, &d);
}

static void ticket_decision(pw_jsonw *w, sqlite3_stmt *st, int i) {
    pw_ticket_decision_view d = {decision_at(st, i), sqlite3_column_int64(st, i + 7),
                                 sqlite3_column_int64(st, i + 8), sqlite3_column_int64(st, i + 9),
                                 article_at(st, i + 10)};
    pw_view_write_ticket_decision(w, &d);
}

/* The article a decision d names, as r: for ARTICLE_COLUMNS("r"), in drafts and ticket
 * decisions alike. */
#define DECISION_ARTICLE " LEFT JOIN articles r ON r.id = d.article_id"

/* Draft. */
#define DRAFT_COLUMNS "d.id, d.draft, d.draft_status, " ARTICLE_COLUMNS("r")
#define DRAFT_FROM    " FROM decisions d" DECISION_ARTICLE

static void draft(pw_jsonw *w, sqlite3_stmt *st, int i) {
    pw_draft_view d = {sqlite3_column_int64(st, i), text_at(st, i + 1), text_at(st, i + 2),
                       article_at(st, i + 3)};
    pw_view_write_draft(w, &d);
}

/* Agent: alone, in the agents list, and as a Ticket's assignee (null when unassigned). */
#define AGENT_COLUMNS "a.id, a.name, a.email, a.role, a.created_at"
static const char *const agent_keys[] = {"id", "name", "email", "role", "created_at"};

static void agent(pw_jsonw *w, sqlite3_stmt *st, int i) {
    pw_jsonw_open(w, '{');
    members(w, st, i, agent_keys, COUNT(agent_keys));
    pw_jsonw_close(w, '}');
}

/* TicketSummary. Its preview, the latest message that is not a system notice cut to 160
 * characters (what an agent triages by), is kept on the conversation (migration 6). */
#define SUMMARY_COLUMNS                                                                            \
    "v.id, v.status, v.channel, v.subject, v.lane, v.intent, v.confidence, v.priority,"            \
    " v.sla_due_at, v.assignee_id, v.updated_at, v.created_at, u.id, u.email, u.name, u.plan,"     \
    " v.preview_author, v.preview_text"
#define SUMMARY_FROM " FROM conversations v JOIN customers u ON u.id = v.customer_id"

static void summary(pw_jsonw *w, sqlite3_stmt *st, int i) {
    static const char *const keys[] = {"id",         "status",      "channel",    "subject",
                                       "lane",       "intent",      "confidence", "priority",
                                       "sla_due_at", "assignee_id", "updated_at", "created_at"};
    static const char *const customer_keys[] = {"id", "email", "name", "plan"};
    static const char *const preview_keys[] = {"author", "text"};
    pw_jsonw_open(w, '{');
    members(w, st, i, keys, COUNT(keys));
    object_or_null(w, "customer", st, i + 12, customer_keys, COUNT(customer_keys));
    object_or_null(w, "preview", st, i + 16, preview_keys, COUNT(preview_keys));
    pw_jsonw_close(w, '}');
}

/* ---- running queries ---- */

static sqlite3_stmt *bound(pw_conn *c, const char *sql, int64_t a, int64_t b) {
    sqlite3_stmt *st = pw_conn_stmt(c, sql);
    if (st) {
        sqlite3_bind_int64(st, 1, a);
        if (sqlite3_bind_parameter_count(st) > 1) /* most views take one id */
            sqlite3_bind_int64(st, 2, b);
    }
    return st;
}

/* The first row of `sql` as one shape, or null when there is none. 1 row, 0 none, -1 error. */
static int write_one(pw_jsonw *w, pw_conn *c, const char *sql, int64_t a, int64_t b,
                     shape_writer shape) {
    sqlite3_stmt *st = bound(c, sql, a, b);
    if (!st)
        return -1;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        shape(w, st, 0);
    else
        pw_jsonw_null(w);
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

/* Every row of `sql` as an array of shapes (column 0 is the row's id, the shape starts at 1).
 * Returns the number of rows (the last one's id in *last), or -1 on error. */
static int write_list(pw_jsonw *w, sqlite3_stmt *st, shape_writer shape, int64_t *last) {
    if (!st)
        return -1;
    pw_jsonw_open(w, '[');
    int n = 0, rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        *last = sqlite3_column_int64(st, 0);
        shape(w, st, 1);
        n++;
    }
    pw_jsonw_close(w, ']');
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? n : -1;
}

/* The text of a view whose writing returned `rc` (as write_one), with *found set. */
static char *finish(pw_jsonw *w, int rc, int *found) {
    char *out = pw_jsonw_finish(w);
    *found = rc < 0 ? -1 : rc == 0 ? 0 : out ? 1 : -1;
    if (*found != 1) {
        free(out);
        out = NULL;
    }
    return out;
}

static char *one(pw_conn *c, const char *sql, int64_t a, int64_t b, shape_writer shape,
                 int *found) {
    pw_jsonw w = {0};
    return finish(&w, write_one(&w, c, sql, a, b, shape), found);
}

/* {"items": [...], "next_cursor": "..." | null}: a full page may have a next one, whose cursor
 * is the last id (`offset` < 0) or the offset after this page. */
static char *page(sqlite3_stmt *st, shape_writer shape, int limit, int64_t offset, int *found) {
    pw_jsonw w = {0};
    int64_t last = 0;
    pw_jsonw_open(&w, '{');
    pw_jsonw_key(&w, "items");
    int n = write_list(&w, st, shape, &last);
    pw_jsonw_key(&w, "next_cursor");
    if (n == limit) {
        char cursor[24];
        int len =
            snprintf(cursor, sizeof cursor, "%lld", (long long)(offset < 0 ? last : offset + n));
        pw_jsonw_string(&w, cursor, (size_t)len);
    } else {
        pw_jsonw_null(&w);
    }
    pw_jsonw_close(&w, '}');
    return finish(&w, n < 0 ? -1 : 1, found);
}

/* ---- the views ---- */

static const char messages_sql[] = "SELECT m.id, " MESSAGE_COLUMNS MESSAGE_FROM
                                   " WHERE m.conversation_id = ?1 AND m.id > ?2 ORDER BY m.id";

char *pw_view_messages(pw_conn *c, int64_t conversation_id, int64_t after, int *found) {
    pw_jsonw w = {0};
    int64_t last;
    int n = write_list(&w, bound(c, messages_sql, conversation_id, after), message, &last);
    return finish(&w, n < 0 ? -1 : 1, found);
}

static const char message_sql[] = "SELECT " MESSAGE_COLUMNS MESSAGE_FROM " WHERE m.id = ?1";

char *pw_view_message(pw_conn *c, int64_t id, int *found) {
    return one(c, message_sql, id, 0, message, found);
}

static const char reply_sql[] =
    "SELECT " MESSAGE_COLUMNS MESSAGE_FROM " WHERE m.conversation_id = ?1 AND m.id > ?2"
    " AND m.author IN ('ai', 'system') AND NOT EXISTS (SELECT 1 FROM messages x"
    " WHERE x.conversation_id = ?1 AND x.id > ?2 AND x.id < m.id AND x.author = 'customer')"
    " ORDER BY m.id LIMIT 1";

char *pw_view_reply(pw_conn *c, int64_t conversation_id, int64_t message_id, int *found) {
    return one(c, reply_sql, conversation_id, message_id, message, found);
}

static const char decision_sql[] =
    "SELECT " DECISION_COLUMNS " FROM decisions d WHERE d.message_id = ?1";

char *pw_view_decision(pw_conn *c, int64_t message_id, int *found) {
    return one(c, decision_sql, message_id, 0, decision, found);
}

static const char draft_sql[] = "SELECT " DRAFT_COLUMNS DRAFT_FROM " WHERE d.id = ?1";

char *pw_view_draft(pw_conn *c, int64_t decision_id, int *found) {
    return one(c, draft_sql, decision_id, 0, draft, found);
}

static const char summary_sql[] = "SELECT " SUMMARY_COLUMNS SUMMARY_FROM " WHERE v.id = ?1";

char *pw_view_summary(pw_conn *c, int64_t id, int *found) {
    return one(c, summary_sql, id, 0, summary, found);
}

static const char agent_sql[] = "SELECT " AGENT_COLUMNS " FROM agents a WHERE a.id = ?1";

char *pw_view_agent(pw_conn *c, int64_t id, int *found) {
    return one(c, agent_sql, id, 0, agent, found);
}

static const char agents_sql[] =
    "SELECT a.id, " AGENT_COLUMNS " FROM agents a WHERE a.id > ?1 ORDER BY a.id LIMIT ?2";

char *pw_view_agents(pw_conn *c, int64_t after, int limit, int *found) {
    return page(bound(c, agents_sql, after, limit), agent, limit, -1, found);
}

static const char tickets_sql[] =
    "SELECT v.id, " SUMMARY_COLUMNS SUMMARY_FROM
    " WHERE (?1 IS NULL OR v.status = ?1) AND (?2 IS NULL OR v.channel = ?2)"
    " AND (?3 IS NULL OR v.lane = ?3) AND (?4 IS NULL OR v.intent = ?4)"
    " AND (?5 = 0 OR v.customer_id = ?5) AND (?6 = 0 OR v.id < ?6)"
    " ORDER BY v.id DESC LIMIT ?7";

/* The inbox: what waits for a human, most urgent first; within a priority, conversations still
 * waiting for an answer by SLA due time, then those an agent answered. The partial index on
 * open conversations serves the order; offsets stay cheap at inbox sizes. */
static const char inbox_sql[] =
    "SELECT v.id, " SUMMARY_COLUMNS SUMMARY_FROM
    " WHERE v.status = 'open' AND (?1 IS NULL OR v.lane = ?1) AND (?2 IS NULL OR v.intent = ?2)"
    " AND (?3 IS NULL OR u.plan = ?3)"
    " AND (?4 = 0 OR (?4 = -1 AND v.assignee_id IS NULL) OR v.assignee_id = ?4)"
    " ORDER BY v.priority, v.sla_due_at IS NULL, v.sla_due_at, v.id LIMIT ?5 OFFSET ?6";

static sqlite3_stmt *bind_list(pw_conn *c, const pw_ticket_filter *f) {
    sqlite3_stmt *st = pw_conn_stmt(c, f->inbox ? inbox_sql : tickets_sql);
    if (!st)
        return NULL;
    if (f->inbox) {
        pw_bind_text_or_null(st, 1, f->lane);
        pw_bind_text_or_null(st, 2, f->intent);
        pw_bind_text_or_null(st, 3, f->tier);
        sqlite3_bind_int64(st, 4, f->assignee);
        sqlite3_bind_int(st, 5, f->limit);
        sqlite3_bind_int64(st, 6, f->cursor);
    } else {
        pw_bind_text_or_null(st, 1, f->status);
        pw_bind_text_or_null(st, 2, f->channel);
        pw_bind_text_or_null(st, 3, f->lane);
        pw_bind_text_or_null(st, 4, f->intent);
        sqlite3_bind_int64(st, 5, f->customer_id);
        sqlite3_bind_int64(st, 6, f->cursor);
        sqlite3_bind_int(st, 7, f->limit);
    }
    return st;
}

char *pw_view_ticket_list(pw_conn *c, const pw_ticket_filter *f, int *found) {
    return page(bind_list(c, f), summary, f->limit, f->inbox ? f->cursor : -1, found);
}

/* ---- the Ticket ---- */

/* The conversation `t` with its customer `k` and assignee `a`. */
static const char ticket_sql[] =
    "SELECT t.id, t.status, t.channel, t.subject, t.lane, t.intent, t.confidence, t.priority,"
    " t.sla_due_at, t.created_at, t.updated_at, t.page, " AGENT_COLUMNS ","
    " k.id, k.external_id, k.email, k.name, k.plan, k.verified, k.flags, k.attributes,"
    " k.created_at, t.resolved_by, t.resolution_category, t.resolution_article_id, t.customer_id"
    " FROM conversations t JOIN customers k ON k.id = t.customer_id"
    " LEFT JOIN agents a ON a.id = t.assignee_id WHERE t.id = ?1";
enum { T_PAGE = 11, T_AGENT = 12, T_CUSTOMER = 17, T_RESOLUTION = 26, T_CUSTOMER_ID = 29 };

static const char ticket_decisions_sql[] =
    "SELECT d.id, " TICKET_DECISION_COLUMNS PW_CONVERSATION_DECISIONS DECISION_ARTICLE
    " WHERE m.conversation_id = ?1 ORDER BY m.id";

static const char ticket_events_sql[] =
    "SELECT id, id, kind, at, route, detail FROM events WHERE conversation_id = ?1"
    " ORDER BY at, id LIMIT 200";

static const char ticket_draft_sql[] =
    "SELECT " DRAFT_COLUMNS PW_CONVERSATION_DECISIONS DECISION_ARTICLE
    " WHERE m.conversation_id = ?1 AND d.draft IS NOT NULL ORDER BY m.id DESC LIMIT 1";

static const char ticket_history_sql[] =
    "SELECT v.id, " SUMMARY_COLUMNS SUMMARY_FROM " WHERE v.customer_id = ?1 AND v.id != ?2"
    " ORDER BY v.id DESC LIMIT 20";

static const char ticket_csat_sql[] = "SELECT score, comment FROM csat WHERE conversation_id = ?1";

static void event(pw_jsonw *w, sqlite3_stmt *st, int i) {
    static const char *const keys[] = {"id", "kind", "at", "route"};
    pw_jsonw_open(w, '{');
    members(w, st, i, keys, COUNT(keys));
    member_json(w, "detail", st, i + 4);
    pw_jsonw_close(w, '}');
}

static void csat(pw_jsonw *w, sqlite3_stmt *st, int i) {
    static const char *const keys[] = {"score", "comment"};
    pw_jsonw_open(w, '{');
    members(w, st, i, keys, COUNT(keys));
    pw_jsonw_close(w, '}');
}

/* Account flag bits (pw_account_flag) as an array of their names, in bit order. */
static void flags(pw_jsonw *w, int64_t bits) {
    pw_jsonw_key(w, "flags");
    pw_jsonw_open(w, '[');
    const char *name;
    for (unsigned b = 0; (name = pw_config_account_flag_name(b)); b++)
        if (bits & ((int64_t)1 << b))
            pw_jsonw_string(w, name, strlen(name));
    pw_jsonw_close(w, ']');
}

static void customer(pw_jsonw *w, sqlite3_stmt *st, int i) {
    static const char *const keys[] = {"id", "external_id", "email", "name", "plan"};
    pw_jsonw_key(w, "customer");
    pw_jsonw_open(w, '{');
    members(w, st, i, keys, COUNT(keys));
    member_bool(w, "verified", st, i + 5);
    flags(w, sqlite3_column_int64(st, i + 6));
    member_json(w, "attributes", st, i + 7);
    member(w, "created_at", st, i + 8);
    pw_jsonw_close(w, '}');
}

/* The conversation's own columns, from the ticket query `t`. */
static void ticket_head(pw_jsonw *w, sqlite3_stmt *t) {
    static const char *const keys[] = {"id",         "status",     "channel",    "subject",
                                       "lane",       "intent",     "confidence", "priority",
                                       "sla_due_at", "created_at", "updated_at"};
    members(w, t, 0, keys, COUNT(keys));
    member_json(w, "page", t, T_PAGE);
    object_or_null(w, "assignee", t, T_AGENT, agent_keys, COUNT(agent_keys));
    customer(w, t, T_CUSTOMER);
}

/* Everything gathered about the conversation, from the rows around it or, for the lists its
 * creator has just written, from `fresh`; the customer's other conversations only `with_history`:
 * -1 on an error. */
static int ticket_lists(pw_jsonw *w, pw_conn *c, int64_t id, int64_t customer_id,
                        const pw_ticket_fresh *fresh, int with_history) {
    int64_t last;
    int bad = 0;
    pw_jsonw_key(w, "messages");
    if (fresh)
        pw_jsonw_raw(w, fresh->messages, strlen(fresh->messages));
    else
        bad |= write_list(w, bound(c, messages_sql, id, 0), message, &last) < 0;
    pw_jsonw_key(w, "decisions");
    if (fresh)
        pw_jsonw_raw(w, fresh->decisions, strlen(fresh->decisions));
    else
        bad |= write_list(w, bound(c, ticket_decisions_sql, id, 0), ticket_decision, &last) < 0;
    pw_jsonw_key(w, "events");
    if (fresh)
        pw_jsonw_raw(w, "[]", 2);
    else
        bad |= write_list(w, bound(c, ticket_events_sql, id, 0), event, &last) < 0;
    pw_jsonw_key(w, "draft");
    if (fresh)
        json_or_null(w, fresh->draft);
    else
        bad |= write_one(w, c, ticket_draft_sql, id, 0, draft) < 0;
    if (with_history) {
        pw_jsonw_key(w, "customer_history");
        bad |= write_list(w, bound(c, ticket_history_sql, customer_id, id), summary, &last) < 0;
    }
    pw_jsonw_key(w, "csat");
    if (fresh)
        pw_jsonw_null(w);
    else
        bad |= write_one(w, c, ticket_csat_sql, id, 0, csat) < 0;
    return bad ? -1 : 0;
}

/* A Ticket with its customer's history is 5-15 KB, a TicketRecord 2-4 KB: one allocation up
 * front, not four. */
#define TICKET_BYTES 16384
#define RECORD_BYTES 4096

char *pw_view_ticket(pw_conn *c, int64_t id, const pw_ticket_fresh *fresh, const char *suggested,
                     int *found) {
    pw_jsonw w = {0};
    sqlite3_stmt *t = bound(c, ticket_sql, id, 0);
    int rc = t ? sqlite3_step(t) : SQLITE_ERROR;
    if (rc == SQLITE_ROW) {
        pw_jsonw_reserve(&w, suggested ? TICKET_BYTES : RECORD_BYTES);
        pw_jsonw_open(&w, '{');
        ticket_head(&w, t);
        if (ticket_lists(&w, c, id, sqlite3_column_int64(t, T_CUSTOMER_ID), fresh,
                         suggested != NULL) < 0)
            rc = SQLITE_ERROR;
        static const char *const resolution_keys[] = {"by", "category", "article_id"};
        object_or_null(&w, "resolution", t, T_RESOLUTION, resolution_keys, COUNT(resolution_keys));
        if (suggested) {
            pw_jsonw_key(&w, "suggested_articles");
            pw_jsonw_raw(&w, suggested, strlen(suggested));
        }
        pw_jsonw_close(&w, '}');
    }
    if (t)
        sqlite3_reset(t);
    return finish(&w, rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1, found);
}

/* ---- plain values ---- */

static const char status_sql[] =
    "SELECT status, EXISTS (SELECT 1 FROM csat WHERE conversation_id = ?1)"
    " FROM conversations WHERE id = ?1";

int pw_view_status(pw_conn *c, int64_t conversation_id, char status[12], int *rated) {
    sqlite3_stmt *st = pw_conn_stmt(c, status_sql);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, conversation_id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        pw_column_copy(st, 0, status, 12);
        *rated = sqlite3_column_int(st, 1);
    }
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

static const char basis_sql[] =
    "SELECT (SELECT body FROM messages WHERE conversation_id = v.id AND author = 'customer'"
    " ORDER BY id DESC LIMIT 1), v.intent, json_extract(v.page, '$.route'),"
    " json_extract(v.page, '$.page_id') FROM conversations v WHERE v.id = ?1";

int pw_view_search_basis(pw_conn *c, int64_t id, char **text, char intent[128], char route[256],
                         char page_id[64]) {
    sqlite3_stmt *st = pw_conn_stmt(c, basis_sql);
    *text = NULL;
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        const unsigned char *body = sqlite3_column_text(st, 0);
        size_t len = (size_t)sqlite3_column_bytes(st, 0);
        if (body && (*text = malloc(len + 1)))
            memcpy(*text, body, len), (*text)[len] = '\0';
        pw_column_copy(st, 1, intent, 128);
        pw_column_copy(st, 2, route, 256);
        pw_column_copy(st, 3, page_id, 64);
    }
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}
