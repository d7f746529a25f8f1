/* Messages, decisions and struggle events.
 * SPDX-License-Identifier: MIT */
#include "support.h"

static const char insert_message_sql[] =
    "INSERT INTO messages(conversation_id, author, agent_id, article_id, body, page, client_id,"
    " created_at, customer_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";

int pw_store_message_insert(pw_conn *c, const pw_message_in *in, int64_t now, int64_t *id) {
    sqlite3_stmt *st = pw_conn_stmt(c, insert_message_sql);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, in->conversation_id);
    sqlite3_bind_text(st, 2, in->author, -1, SQLITE_STATIC);
    pw_bind_id_or_null(st, 3, in->agent_id);
    pw_bind_id_or_null(st, 4, in->article_id);
    sqlite3_bind_text(st, 5, in->body, -1, SQLITE_STATIC);
    pw_bind_text_or_null(st, 6, in->page);
    pw_bind_text_or_null(st, 7, in->client_id);
    sqlite3_bind_int64(st, 8, now);
    pw_bind_id_or_null(st, 9, in->customer_id);
    return pw_step_insert(c, st, id);
}

static const char by_client_id_sql[] =
    "SELECT id, conversation_id, body = ?2 FROM messages WHERE client_id = ?1";

int pw_store_message_by_client_id(pw_conn *c, const char *client_id, const char *body,
                                  int64_t *message_id, int64_t *conversation_id) {
    sqlite3_stmt *st = pw_conn_stmt(c, by_client_id_sql);
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, client_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, body, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st), same = 0;
    if (rc == SQLITE_ROW) {
        *message_id = sqlite3_column_int64(st, 0);
        *conversation_id = sqlite3_column_int64(st, 1);
        same = sqlite3_column_int(st, 2);
    }
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? (same ? 1 : 2) : rc == SQLITE_DONE ? 0 : -1;
}

static const char insert_decision_sql[] =
    "INSERT INTO decisions(conversation_id, message_id, lane, intent, confidence, out_of_scope,"
    " priority, reasons, signals, article_id, draft, draft_status, created_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11,"
    " CASE WHEN ?11 IS NULL THEN NULL ELSE 'pending' END, ?12)";

int pw_store_decision_insert(pw_conn *c, const pw_decision_row *d, int64_t now, int64_t *id) {
    sqlite3_stmt *st = pw_conn_stmt(c, insert_decision_sql);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, d->conversation_id);
    sqlite3_bind_int64(st, 2, d->message_id);
    sqlite3_bind_text(st, 3, d->lane, -1, SQLITE_STATIC);
    pw_bind_text_or_null(st, 4, d->intent);
    sqlite3_bind_double(st, 5, d->confidence);
    sqlite3_bind_int(st, 6, d->out_of_scope);
    sqlite3_bind_int(st, 7, d->priority);
    sqlite3_bind_text(st, 8, d->reasons, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 9, d->signals, -1, SQLITE_STATIC);
    pw_bind_id_or_null(st, 10, d->article_id);
    pw_bind_text_or_null(st, 11, d->draft);
    sqlite3_bind_int64(st, 12, now);
    return pw_step_insert(c, st, id);
}

static const char insert_event_sql[] =
    "INSERT INTO events(conversation_id, kind, route, detail, at) VALUES (?1, ?2, ?3, ?4, ?5)";

int pw_store_event_insert(pw_conn *c, int64_t conversation_id, const char *kind, const char *route,
                          const char *detail, int64_t at) {
    sqlite3_stmt *st = pw_conn_stmt(c, insert_event_sql);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, conversation_id);
    sqlite3_bind_text(st, 2, kind, -1, SQLITE_STATIC);
    pw_bind_text_or_null(st, 3, route);
    pw_bind_text_or_null(st, 4, detail);
    sqlite3_bind_int64(st, 5, at);
    return sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
}
