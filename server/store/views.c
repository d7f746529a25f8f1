/* JSON read models. The SQL fragments below are shared by the views so a Message or a
 * TicketSummary has one shape wherever it appears.
 * SPDX-License-Identifier: MIT */
#include "views.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define JSON_BOOL(expr) "CASE WHEN " expr " THEN json('true') ELSE json('false') END"

/* A Message from `messages m`. */
#define MESSAGE_JSON                                                                               \
    "json_object('id', m.id, 'author', m.author, 'body', m.body, 'created_at', m.created_at,"      \
    " 'agent', (SELECT json_object('id', a.id, 'name', a.name) FROM agents a"                      \
    "   WHERE a.id = m.agent_id),"                                                                 \
    " 'article', (SELECT json_object('id', r.id, 'slug', r.slug, 'title', r.title)"                \
    "   FROM articles r WHERE r.id = m.article_id))"

/* A Decision (plus the stored extras) from `decisions d`. */
#define DECISION_JSON                                                                              \
    "json_object('lane', d.lane, 'intent', d.intent, 'confidence', d.confidence,"                  \
    " 'out_of_scope', " JSON_BOOL(                                                                 \
        "d.out_of_scope") ", 'priority', d.priority,"                                              \
                          " 'reasons', json(d.reasons), 'signals', json(d.signals)"

#define TICKET_DECISION_JSON                                                                       \
    DECISION_JSON ", 'id', d.id, 'message_id', d.message_id, 'created_at', d.created_at,"          \
                  " 'article', (SELECT json_object('id', r.id, 'slug', r.slug, 'title', r.title)"  \
                  "   FROM articles r WHERE r.id = d.article_id))"

/* A TicketSummary from `conversations v` joined with `customers u`. The preview is the latest
 * message that is not a system notice, cut to 160 characters: what an agent triages by, one
 * step back along messages_conversation. */
#define SUMMARY_JSON                                                                               \
    "json_object('id', v.id, 'status', v.status, 'channel', v.channel, 'subject', v.subject,"      \
    " 'lane', v.lane, 'intent', v.intent, 'confidence', v.confidence, 'priority', v.priority,"     \
    " 'sla_due_at', v.sla_due_at, 'assignee_id', v.assignee_id, 'updated_at', v.updated_at,"       \
    " 'created_at', v.created_at, 'customer', json_object('id', u.id, 'email', u.email,"           \
    " 'name', u.name, 'plan', u.plan), 'preview', (SELECT json_object('author', m.author,"         \
    " 'text', substr(m.body, 1, 160)) FROM messages m WHERE m.conversation_id = v.id"              \
    " AND m.author != 'system' ORDER BY m.id DESC LIMIT 1))"

/* Account flag bits in pw_account_flag order. */
#define FLAGS_JSON(col)                                                                            \
    "(SELECT json_group_array(name) FROM (SELECT 'past_due' AS name, 1 AS bit UNION ALL"           \
    " SELECT 'churn_risk', 2 UNION ALL SELECT 'vip', 4 UNION ALL SELECT 'open_incident', 8)"       \
    " WHERE (" col " & bit) != 0)"

static char *one_text(pw_conn *c, const char *sql, int64_t a, int64_t b, int *found) {
    sqlite3_stmt *st = pw_conn_stmt(c, sql);
    *found = -1;
    if (!st)
        return NULL;
    sqlite3_bind_int64(st, 1, a);
    sqlite3_bind_int64(st, 2, b);
    int rc = sqlite3_step(st);
    char *out = NULL;
    if (rc == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL) {
        size_t len = (size_t)sqlite3_column_bytes(st, 0);
        if ((out = malloc(len + 1))) {
            memcpy(out, sqlite3_column_text(st, 0), len);
            out[len] = '\0';
            *found = 1;
        }
    } else if (rc == SQLITE_ROW || rc == SQLITE_DONE) {
        *found = 0;
    }
    sqlite3_reset(st);
    return out;
}

static const char messages_sql[] = "SELECT coalesce(json_group_array(json(j)), '[]') FROM"
                                   " (SELECT " MESSAGE_JSON " AS j FROM messages m"
                                   " WHERE m.conversation_id = ?1 AND m.id > ?2 ORDER BY m.id)";

char *pw_view_messages(pw_conn *c, int64_t conversation_id, int64_t after, int *found) {
    return one_text(c, messages_sql, conversation_id, after, found);
}

static const char decision_sql[] =
    "SELECT " DECISION_JSON ") FROM decisions d WHERE d.message_id = ?1 AND ?2 = ?2";

char *pw_view_decision(pw_conn *c, int64_t message_id, int *found) {
    return one_text(c, decision_sql, message_id, 0, found);
}

static const char reply_sql[] =
    "SELECT " MESSAGE_JSON " FROM messages m WHERE m.conversation_id = ?1 AND m.id > ?2"
    " AND m.author IN ('ai', 'system') AND NOT EXISTS (SELECT 1 FROM messages x"
    " WHERE x.conversation_id = ?1 AND x.id > ?2 AND x.id < m.id AND x.author = 'customer')"
    " ORDER BY m.id LIMIT 1";

char *pw_view_reply(pw_conn *c, int64_t conversation_id, int64_t message_id, int *found) {
    return one_text(c, reply_sql, conversation_id, message_id, found);
}

static const char summary_sql[] = "SELECT " SUMMARY_JSON " FROM conversations v"
                                  " JOIN customers u ON u.id = v.customer_id"
                                  " WHERE v.id = ?1 AND ?2 = ?2";

char *pw_view_summary(pw_conn *c, int64_t id, int *found) {
    return one_text(c, summary_sql, id, 0, found);
}

/* The conversation is `t` and its customer `k` here, so the shared fragments (which use v, u,
 * m, d, r) can run as subqueries. */
static const char ticket_sql[] =
    "SELECT json_object('id', t.id, 'status', t.status, 'channel', t.channel,"
    " 'subject', t.subject, 'lane', t.lane, 'intent', t.intent, 'confidence', t.confidence,"
    " 'priority', t.priority, 'sla_due_at', t.sla_due_at,"
    " 'created_at', t.created_at, 'updated_at', t.updated_at, 'page', json(t.page),"
    " 'assignee', (SELECT json_object('id', a.id, 'name', a.name, 'email', a.email,"
    "   'role', a.role, 'created_at', a.created_at) FROM agents a WHERE a.id = t.assignee_id),"
    " 'customer', json_object('id', k.id, 'external_id', k.external_id, 'email', k.email,"
    "   'name', k.name, 'plan', k.plan, 'verified', " JSON_BOOL(
        "k.verified") ","
                      "   'flags', json(" FLAGS_JSON(
                          "k.flags") "), 'attributes', json(k.attributes),"
                                     "   'created_at', k.created_at),"
                                     " 'messages', (SELECT coalesce(json_group_array(json(j)), "
                                     "'[]') FROM (SELECT " MESSAGE_JSON
                                     " AS j FROM messages m WHERE m.conversation_id = t.id ORDER "
                                     "BY m.id)),"
                                     " 'decisions', (SELECT coalesce(json_group_array(json(j)), "
                                     "'[]') FROM (SELECT " TICKET_DECISION_JSON
                                     " AS j FROM decisions d WHERE d.conversation_id = t.id ORDER "
                                     "BY d.id)),"
                                     " 'events', (SELECT "
                                     "coalesce(json_group_array(json_object('id', e.id, 'kind', "
                                     "e.kind,"
                                     "   'at', e.at, 'route', e.route, 'detail', json(e.detail))), "
                                     "'[]') FROM (SELECT * FROM"
                                     "   events WHERE conversation_id = t.id ORDER BY at, id LIMIT "
                                     "200) e),"
                                     " 'draft', (SELECT json_object('id', d.id, 'body', d.draft, "
                                     "'status', d.draft_status,"
                                     "   'article', (SELECT json_object('id', r.id, 'slug', "
                                     "r.slug, 'title', r.title)"
                                     "   FROM articles r WHERE r.id = d.article_id)) FROM "
                                     "decisions d"
                                     "   WHERE d.conversation_id = t.id AND d.draft IS NOT NULL "
                                     "ORDER BY d.id DESC LIMIT 1),"
                                     " 'customer_history', (SELECT "
                                     "coalesce(json_group_array(json(j)), '[]') FROM "
                                     "(SELECT " SUMMARY_JSON " AS j FROM conversations v JOIN "
                                     "customers u ON u.id = v.customer_id"
                                     "   WHERE v.customer_id = t.customer_id AND v.id != t.id "
                                     "ORDER BY v.id DESC LIMIT 20)),"
                                     " 'csat', (SELECT json_object('score', s.score, 'comment', "
                                     "s.comment) FROM csat s"
                                     "   WHERE s.conversation_id = t.id),"
                                     " 'resolution', CASE WHEN t.resolved_by IS NULL THEN NULL "
                                     "ELSE json_object('by',"
                                     "   t.resolved_by, 'category', t.resolution_category, "
                                     "'article_id',"
                                     "   t.resolution_article_id) END)"
                                     " FROM conversations t JOIN customers k ON k.id = "
                                     "t.customer_id WHERE t.id = ?1 AND ?2 = ?2";

char *pw_view_ticket(pw_conn *c, int64_t id, int *found) {
    return one_text(c, ticket_sql, id, 0, found);
}

/* A growing text buffer for list responses. */
typedef struct textbuf {
    char *s;
    size_t len, cap;
    int failed;
} textbuf;

static void put(textbuf *t, const char *s, size_t n) {
    if (t->failed)
        return;
    if (t->len + n + 1 > t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 4096;
        while (cap < t->len + n + 1)
            cap *= 2;
        char *grown = realloc(t->s, cap);
        if (!grown) {
            t->failed = 1;
            return;
        }
        t->s = grown, t->cap = cap;
    }
    memcpy(t->s + t->len, s, n);
    t->len += n;
    t->s[t->len] = '\0';
}

static const char tickets_sql[] =
    "SELECT v.id, " SUMMARY_JSON " FROM conversations v JOIN customers u ON u.id = v.customer_id"
    " WHERE (?1 IS NULL OR v.status = ?1) AND (?2 IS NULL OR v.channel = ?2)"
    " AND (?3 IS NULL OR v.lane = ?3) AND (?4 IS NULL OR v.intent = ?4)"
    " AND (?5 = 0 OR v.customer_id = ?5) AND (?6 = 0 OR v.id < ?6)"
    " ORDER BY v.id DESC LIMIT ?7";

/* The inbox: what waits for a human, most urgent first; within a priority, conversations still
 * waiting for an answer by SLA due time, then those an agent answered. The partial index on
 * open conversations serves the order; offsets stay cheap at inbox sizes. */
static const char inbox_sql[] =
    "SELECT v.id, " SUMMARY_JSON " FROM conversations v JOIN customers u ON u.id = v.customer_id"
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
    *found = -1;
    sqlite3_stmt *st = bind_list(c, f);
    if (!st)
        return NULL;
    textbuf t = {0};
    put(&t, "{\"items\":[", 10);
    int n = 0, rc;
    int64_t last = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (n++)
            put(&t, ",", 1);
        last = sqlite3_column_int64(st, 0);
        put(&t, (const char *)sqlite3_column_text(st, 1), (size_t)sqlite3_column_bytes(st, 1));
    }
    sqlite3_reset(st);
    /* A full page may have a next one: its cursor is the last id (tickets) or the offset. */
    char tail[64];
    if (n == f->limit)
        snprintf(tail, sizeof tail, "],\"next_cursor\":\"%lld\"}",
                 (long long)(f->inbox ? f->cursor + n : last));
    else
        snprintf(tail, sizeof tail, "],\"next_cursor\":null}");
    put(&t, tail, strlen(tail));
    if (rc != SQLITE_DONE || t.failed) {
        free(t.s);
        return NULL;
    }
    *found = 1;
    return t.s;
}

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

#define AGENT_JSON                                                                                 \
    "json_object('id', a.id, 'name', a.name, 'email', a.email, 'role', a.role,"                    \
    " 'created_at', a.created_at)"

static const char agent_sql[] = "SELECT " AGENT_JSON " FROM agents a WHERE a.id = ?1 AND ?2 = ?2";

char *pw_view_agent(pw_conn *c, int64_t id, int *found) {
    return one_text(c, agent_sql, id, 0, found);
}

static const char agents_sql[] =
    "SELECT json_object('items', (SELECT coalesce(json_group_array(json(j)), '[]') FROM"
    " (SELECT " AGENT_JSON " AS j FROM agents a WHERE a.id > ?1 ORDER BY a.id LIMIT ?2)),"
    " 'next_cursor', (SELECT CASE WHEN count(*) = ?2 THEN CAST(max(id) AS TEXT) END FROM"
    " (SELECT id FROM agents WHERE id > ?1 ORDER BY id LIMIT ?2)))";

char *pw_view_agents(pw_conn *c, int64_t after, int limit, int *found) {
    return one_text(c, agents_sql, after, limit, found);
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

static const char message_sql[] =
    "SELECT " MESSAGE_JSON " FROM messages m WHERE m.id = ?1 AND ?2 = ?2";

char *pw_view_message(pw_conn *c, int64_t id, int *found) {
    return one_text(c, message_sql, id, 0, found);
}

static const char draft_sql[] =
    "SELECT json_object('id', d.id, 'body', d.draft, 'status', d.draft_status,"
    " 'article', (SELECT json_object('id', r.id, 'slug', r.slug, 'title', r.title)"
    " FROM articles r WHERE r.id = d.article_id)) FROM decisions d WHERE d.id = ?1 AND ?2 = ?2";

char *pw_view_draft(pw_conn *c, int64_t decision_id, int *found) {
    return one_text(c, draft_sql, decision_id, 0, found);
}
