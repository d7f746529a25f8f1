/* Agent actions on conversations, and new agents.
 * SPDX-License-Identifier: MIT */
#include "actions.h"
#include "support.h"

#include <string.h>

static int step_done(sqlite3_stmt *st) {
    return sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
}

static const char agent_message_sql[] =
    "INSERT INTO messages(conversation_id, author, agent_id, body, created_at)"
    " VALUES (?1, 'agent', ?2, ?3, ?4)";
static const char human_owns_sql[] =
    "UPDATE conversations SET status = 'open', assignee_id = coalesce(assignee_id, ?2),"
    " sla_due_at = NULL, updated_at = ?3, resolved_at = NULL, resolved_by = NULL,"
    " preview_author = 'agent', preview_text = " PW_PREVIEW_TEXT("?4") " WHERE id = ?1";

static int insert_agent_message(pw_conn *c, int64_t conv, int64_t agent, const char *body,
                                int64_t now, int64_t *id) {
    sqlite3_stmt *st = pw_conn_stmt(c, agent_message_sql);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, conv);
    sqlite3_bind_int64(st, 2, agent);
    sqlite3_bind_text(st, 3, body, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, now);
    if (pw_step_insert(c, st, id) || !(st = pw_conn_stmt(c, human_owns_sql)))
        return -1;
    sqlite3_bind_int64(st, 1, conv);
    sqlite3_bind_int64(st, 2, agent);
    sqlite3_bind_int64(st, 3, now);
    sqlite3_bind_text(st, 4, body, -1, SQLITE_STATIC);
    return step_done(st);
}

int pw_store_agent_reply(pw_conn *c, int64_t conversation_id, int64_t agent_id, const char *body,
                         int64_t now, int64_t *message_id) {
    char status[12];
    int found = pw_store_conversation_status(c, conversation_id, status);
    if (found <= 0)
        return found < 0 ? -1 : PW_ACT_NO_CONVERSATION;
    return insert_agent_message(c, conversation_id, agent_id, body, now, message_id);
}

static const char pending_draft_sql[] =
    "SELECT d.id, d.draft" PW_CONVERSATION_DECISIONS
    " WHERE m.conversation_id = ?1 AND d.draft_status = 'pending' ORDER BY m.id DESC LIMIT 1";
static const char draft_status_sql[] = "UPDATE decisions SET draft_status = ?2 WHERE id = ?1";

int pw_store_draft_act(pw_conn *c, int64_t conversation_id, int64_t agent_id, int action,
                       const char *body, int64_t now, int64_t *decision_id, int64_t *message_id) {
    static const char *const statuses[] = {"approved", "edited", "discarded"};
    char status[12];
    int found = pw_store_conversation_status(c, conversation_id, status);
    if (found <= 0)
        return found < 0 ? -1 : PW_ACT_NO_CONVERSATION;
    sqlite3_stmt *st = pw_conn_stmt(c, pending_draft_sql);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, conversation_id);
    if (sqlite3_step(st) != SQLITE_ROW)
        return PW_ACT_NO_DRAFT;
    *decision_id = sqlite3_column_int64(st, 0);
    *message_id = 0;
    int rc = 0;
    if (action == 0) /* approve: the draft as written; it is read before the statement resets */
        rc = insert_agent_message(c, conversation_id, agent_id,
                                  (const char *)sqlite3_column_text(st, 1), now, message_id);
    sqlite3_reset(st);
    if (rc == 0 && action == 1)
        rc = insert_agent_message(c, conversation_id, agent_id, body, now, message_id);
    if (rc || !(st = pw_conn_stmt(c, draft_status_sql)))
        return -1;
    sqlite3_bind_int64(st, 1, *decision_id);
    sqlite3_bind_text(st, 2, statuses[action], -1, SQLITE_STATIC);
    return step_done(st);
}

static const char resolve_sql[] =
    "UPDATE conversations SET status = 'resolved', resolved_by = 'agent',"
    " resolution_category = ?2, resolution_article_id = ?3, resolved_at = ?4, updated_at = ?4,"
    " sla_due_at = NULL WHERE id = ?1";

int pw_store_resolve(pw_conn *c, int64_t conversation_id, const char *category, int64_t article_id,
                     int64_t now) {
    char status[12];
    int found = pw_store_conversation_status(c, conversation_id, status);
    if (found <= 0)
        return found < 0 ? -1 : PW_ACT_NO_CONVERSATION;
    if (strcmp(status, "resolved") == 0)
        return PW_ACT_ALREADY_RESOLVED;
    sqlite3_stmt *st = pw_conn_stmt(c, resolve_sql);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, conversation_id);
    sqlite3_bind_text(st, 2, category, -1, SQLITE_STATIC);
    pw_bind_id_or_null(st, 3, article_id);
    sqlite3_bind_int64(st, 4, now);
    return step_done(st);
}

static const char agent_exists_sql[] = "SELECT 1 FROM agents WHERE id = ?1";
static const char assign_sql[] =
    "UPDATE conversations SET assignee_id = ?2, updated_at = ?3 WHERE id = ?1";

int pw_store_assign(pw_conn *c, int64_t conversation_id, int64_t agent_id, int64_t now) {
    char status[12];
    int found = pw_store_conversation_status(c, conversation_id, status);
    if (found <= 0)
        return found < 0 ? -1 : PW_ACT_NO_CONVERSATION;
    sqlite3_stmt *st;
    if (agent_id > 0) {
        if (!(st = pw_conn_stmt(c, agent_exists_sql)))
            return -1;
        sqlite3_bind_int64(st, 1, agent_id);
        int rc = sqlite3_step(st);
        sqlite3_reset(st);
        if (rc != SQLITE_ROW)
            return rc == SQLITE_DONE ? PW_ACT_NO_AGENT : -1;
    }
    if (!(st = pw_conn_stmt(c, assign_sql)))
        return -1;
    sqlite3_bind_int64(st, 1, conversation_id);
    pw_bind_id_or_null(st, 2, agent_id);
    sqlite3_bind_int64(st, 3, now);
    return step_done(st);
}

static const char insert_agent_sql[] =
    "INSERT INTO agents(name, email, role, token_hash, created_at) VALUES (?1, ?2, ?3, ?4, ?5)"
    " ON CONFLICT(email) DO NOTHING RETURNING id";

int pw_store_agent_insert(pw_conn *c, const char *name, const char *email, int admin,
                          const char *token_hash, int64_t now, int64_t *id) {
    sqlite3_stmt *st = pw_conn_stmt(c, insert_agent_sql);
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, email, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, admin ? "admin" : "agent", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, token_hash, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 5, now);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *id = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? PW_ACT_DUPLICATE : -1;
}
