/* Customers and conversations.
 * SPDX-License-Identifier: MIT */
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The customer key: the external id when there is one, else the email among customers
 * without one (an email-only customer who later signs in keeps two rows: merging accounts is
 * an agent's decision, not a guess). */
static const char find_by_external_sql[] =
    "SELECT id, plan, flags FROM customers WHERE app_id = ?1 AND external_id = ?2";
static const char find_by_email_sql[] = "SELECT id, plan, flags FROM customers"
                                        " WHERE app_id = ?1 AND external_id IS NULL AND email = ?2";

int pw_store_customer_find(pw_conn *c, int64_t app_id, const char *external_id, const char *email,
                           pw_customer_row *out) {
    if (!external_id && !email)
        return 0;
    sqlite3_stmt *st = pw_conn_stmt(c, external_id ? find_by_external_sql : find_by_email_sql);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, app_id);
    sqlite3_bind_text(st, 2, external_id ? external_id : email, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        out->id = sqlite3_column_int64(st, 0);
        pw_column_copy(st, 1, out->plan, sizeof out->plan);
        out->flags = (uint32_t)sqlite3_column_int64(st, 2);
    }
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

static const char insert_customer_sql[] =
    "INSERT INTO customers(app_id, external_id, email, name, plan, flags, verified, created_at,"
    " updated_at) VALUES (?1, ?2, ?3, ?4, coalesce(?5, 'free'), ?6, ?7, ?8, ?8)";
/* Writes only when something changed: a returning customer usually brings nothing new, and an
 * UPDATE that matches no row dirties no page. */
static const char update_customer_sql[] =
    "UPDATE customers SET email = coalesce(?2, email), name = coalesce(?3, name),"
    " plan = coalesce(?4, plan), flags = flags | ?5, verified = max(verified, ?6),"
    " updated_at = ?7 WHERE id = ?1 AND (email IS NOT coalesce(?2, email)"
    " OR name IS NOT coalesce(?3, name) OR plan IS NOT coalesce(?4, plan)"
    " OR flags != (flags | ?5) OR verified < ?6)";

int pw_store_customer_upsert(pw_conn *c, const pw_customer_in *in, int64_t now, int64_t *id) {
    pw_customer_row row = {in->known_id, "", 0};
    int found =
        in->known_id ? 1 : pw_store_customer_find(c, in->app_id, in->external_id, in->email, &row);
    if (found < 0)
        return -1;
    sqlite3_stmt *st = pw_conn_stmt(c, found ? update_customer_sql : insert_customer_sql);
    if (!st)
        return -1;
    if (found) {
        sqlite3_bind_int64(st, 1, row.id);
        pw_bind_text_or_null(st, 2, in->email);
        pw_bind_text_or_null(st, 3, in->name);
        pw_bind_text_or_null(st, 4, in->plan);
        sqlite3_bind_int64(st, 5, in->add_flags);
        sqlite3_bind_int(st, 6, in->verified);
        sqlite3_bind_int64(st, 7, now);
        *id = row.id;
        return sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
    }
    sqlite3_bind_int64(st, 1, in->app_id);
    pw_bind_text_or_null(st, 2, in->external_id);
    pw_bind_text_or_null(st, 3, in->email);
    pw_bind_text_or_null(st, 4, in->name);
    pw_bind_text_or_null(st, 5, in->plan);
    sqlite3_bind_int64(st, 6, in->add_flags);
    sqlite3_bind_int(st, 7, in->verified);
    sqlite3_bind_int64(st, 8, now);
    return pw_step_insert(c, st, id);
}

/* A customer's latest messages are found through their conversations, latest activity first:
 * every write that adds a message to a conversation sets its updated_at, so no message of it is
 * newer, and once `cap` messages are kept and the next conversation's activity predates all of
 * them, no later one can hold a newer message. A customer with many conversations costs a read
 * of their index entries and the few conversations that hold the answer. (Schema 4 to 8 kept an
 * index of every customer message by customer for this, at a random-leaf write a message; it is
 * read only when the pipeline's memory misses a customer, pipeline/recent.h.) */
static const char customer_conversations_sql[] = "SELECT id, updated_at FROM conversations"
                                                 " WHERE customer_id = ?1"
                                                 " ORDER BY updated_at DESC, id DESC";
static const char conversation_texts_sql[] = "SELECT id, created_at, body FROM messages"
                                             " WHERE conversation_id = ?1 AND author = 'customer'"
                                             " ORDER BY id DESC LIMIT ?2";

/* Where a message with this id goes among the n kept (at most cap): its slot, or -1 when all
 * cap kept are newer. A slot < n holds the oldest kept, which the caller replaces. */
static int slot_for(const pw_customer_texts *t, int n, int cap, int64_t id) {
    if (n < cap)
        return n;
    int oldest = 0;
    for (int i = 1; i < n; i++)
        if (t->ids[i] < t->ids[oldest])
            oldest = i;
    return t->ids[oldest] < id ? oldest : -1;
}

/* Adds one conversation's latest customer messages to the *n kept (each kept one stays
 * counted, also on failure). 0, or -1. */
static int keep_texts(pw_conn *c, int64_t conversation_id, pw_customer_texts *t, int *n, int cap) {
    sqlite3_stmt *st = pw_conn_stmt(c, conversation_texts_sql);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, conversation_id);
    sqlite3_bind_int(st, 2, cap);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int i = slot_for(t, *n, cap, sqlite3_column_int64(st, 0));
        if (i < 0)
            break; /* the rest of this conversation is older still */
        size_t len = (size_t)sqlite3_column_bytes(st, 2);
        char *text = malloc(len + 1);
        if (!text) {
            rc = SQLITE_NOMEM;
            break;
        }
        memcpy(text, sqlite3_column_text(st, 2), len);
        text[len] = '\0';
        if (i < *n)
            free(t->texts[i]);
        else
            (*n)++;
        t->texts[i] = text, t->lens[i] = len;
        t->ids[i] = sqlite3_column_int64(st, 0), t->at[i] = sqlite3_column_int64(st, 1);
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : -1;
}

/* Oldest first, by id. */
static void sort_by_id(pw_customer_texts *t, int n) {
    for (int i = 1; i < n; i++)
        for (int j = i; j > 0 && t->ids[j - 1] > t->ids[j]; j--) {
            int64_t id = t->ids[j], at = t->at[j];
            char *text = t->texts[j];
            size_t len = t->lens[j];
            t->ids[j] = t->ids[j - 1], t->at[j] = t->at[j - 1];
            t->texts[j] = t->texts[j - 1], t->lens[j] = t->lens[j - 1];
            t->ids[j - 1] = id, t->at[j - 1] = at, t->texts[j - 1] = text, t->lens[j - 1] = len;
        }
}

/* The earliest created_at among the kept. */
static int64_t earliest(const pw_customer_texts *t, int n) {
    int64_t at = t->at[0];
    for (int i = 1; i < n; i++)
        if (t->at[i] < at)
            at = t->at[i];
    return at;
}

int pw_store_customer_texts(pw_conn *c, int64_t customer_id, pw_customer_texts *t, int cap) {
    if (cap > PW_CUSTOMER_TEXTS_MAX)
        cap = PW_CUSTOMER_TEXTS_MAX;
    if (cap < 1)
        return 0;
    sqlite3_stmt *st = pw_conn_stmt(c, customer_conversations_sql);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, customer_id);
    int n = 0, rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (n == cap && sqlite3_column_int64(st, 1) < earliest(t, n)) {
            rc = SQLITE_DONE;
            break;
        }
        if (keep_texts(c, sqlite3_column_int64(st, 0), t, &n, cap) != 0)
            break;
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        for (int i = 0; i < n; i++)
            free(t->texts[i]);
        return -1;
    }
    sort_by_id(t, n);
    return n;
}

static const char owner_sql[] = "SELECT app_id, customer_id, channel, status, visitor"
                                " FROM conversations WHERE id = ?1";

int pw_store_conversation_owner(pw_conn *c, int64_t id, pw_conversation_owner *out) {
    sqlite3_stmt *st = pw_conn_stmt(c, owner_sql);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        out->id = id;
        out->app_id = sqlite3_column_int64(st, 0);
        out->customer_id = sqlite3_column_int64(st, 1);
        pw_column_copy(st, 2, out->channel, sizeof out->channel);
        pw_column_copy(st, 3, out->status, sizeof out->status);
        pw_column_copy(st, 4, out->visitor, sizeof out->visitor);
    }
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

static const char create_conversation_sql[] =
    "INSERT INTO conversations(app_id, customer_id, channel, visitor, subject, status, lane,"
    " intent, confidence, priority, sla_due_at, page, created_at, updated_at, preview_author,"
    " preview_text) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, nullif(?11, 0), ?12, ?13, ?13,"
    " ?14, " PW_PREVIEW_TEXT("?15") ")";

int pw_store_conversation_create(pw_conn *c, const pw_conversation_in *in, const pw_route *r,
                                 int64_t now, int64_t *id) {
    sqlite3_stmt *st = pw_conn_stmt(c, create_conversation_sql);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, in->app_id);
    sqlite3_bind_int64(st, 2, in->customer_id);
    sqlite3_bind_text(st, 3, in->channel, -1, SQLITE_STATIC);
    pw_bind_text_or_null(st, 4, in->visitor);
    pw_bind_text_or_null(st, 5, in->subject);
    sqlite3_bind_text(st, 6, r->status, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 7, r->lane, -1, SQLITE_STATIC);
    pw_bind_text_or_null(st, 8, r->intent);
    sqlite3_bind_double(st, 9, r->confidence);
    sqlite3_bind_int(st, 10, r->priority);
    sqlite3_bind_int64(st, 11, r->sla_due_at);
    pw_bind_text_or_null(st, 12, r->page);
    sqlite3_bind_int64(st, 13, now);
    pw_bind_text_or_null(st, 14, r->preview_author);
    pw_bind_text_or_null(st, 15, r->preview_text);
    return pw_step_insert(c, st, id);
}

/* A conversation a human already owns ('open') stays with the human: a later message that the
 * AI could answer does not take it back. Priority only rises; the SLA only tightens.
 *
 * The new status, priority and due time are worked out here from the row as it is, and only
 * an UPDATE that changes one of them names them. SQLite rewrites the inbox index's entry for
 * every UPDATE whose SET names one of its columns, changed or not, and an open conversation's
 * follow-up mostly changes none: that entry's leaf was a page more in the WAL for each such
 * message (tests/bench/README.md). */
static const char route_state_sql[] =
    "SELECT status, priority, sla_due_at FROM conversations WHERE id = ?1";
#define ROUTE_REST                                                                                 \
    " lane = ?3, intent = ?4, confidence = ?5, page = coalesce(?8, page), updated_at = ?9,"        \
    " resolved_at = NULL, resolved_by = NULL, preview_author = ?10,"                               \
    " preview_text = " PW_PREVIEW_TEXT("?11") " WHERE id = ?1"
static const char route_sql[] =
    "UPDATE conversations SET status = ?2, priority = ?6, sla_due_at = nullif(?7, 0)," ROUTE_REST;
static const char route_in_place_sql[] = "UPDATE conversations SET" ROUTE_REST;

typedef struct routed {
    char status[12];
    int priority;
    int64_t sla_due_at; /* 0: none */
} routed;

/* The conversation's status, priority and due time now (1), 0 when there is none, -1. */
static int route_state(pw_conn *c, int64_t id, routed *now) {
    sqlite3_stmt *st = pw_conn_stmt(c, route_state_sql);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        pw_column_copy(st, 0, now->status, sizeof now->status);
        now->priority = sqlite3_column_int(st, 1);
        now->sla_due_at = sqlite3_column_int64(st, 2); /* NULL reads 0 */
    }
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

int pw_store_conversation_route(pw_conn *c, int64_t id, const pw_route *r, int64_t now,
                                char status[12]) {
    routed was, next;
    if (route_state(c, id, &was) != 1)
        return -1;
    int human = strcmp(was.status, "open") == 0;
    snprintf(next.status, sizeof next.status, "%s", human ? "open" : r->status);
    next.priority = human && was.priority < r->priority ? was.priority : r->priority;
    next.sla_due_at = r->sla_due_at == 0 || (was.sla_due_at && was.sla_due_at < r->sla_due_at)
                          ? was.sla_due_at
                          : r->sla_due_at;
    int moves = strcmp(next.status, was.status) != 0 || next.priority != was.priority ||
                next.sla_due_at != was.sla_due_at;
    sqlite3_stmt *st = pw_conn_stmt(c, moves ? route_sql : route_in_place_sql);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_text(st, 2, next.status, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, r->lane, -1, SQLITE_STATIC);
    pw_bind_text_or_null(st, 4, r->intent);
    sqlite3_bind_double(st, 5, r->confidence);
    sqlite3_bind_int(st, 6, next.priority);
    sqlite3_bind_int64(st, 7, next.sla_due_at);
    pw_bind_text_or_null(st, 8, r->page);
    sqlite3_bind_int64(st, 9, now);
    pw_bind_text_or_null(st, 10, r->preview_author);
    pw_bind_text_or_null(st, 11, r->preview_text);
    if (sqlite3_step(st) != SQLITE_DONE)
        return -1;
    memcpy(status, next.status, sizeof next.status);
    return 0;
}

static const char status_sql[] = "SELECT status FROM conversations WHERE id = ?1";

int pw_store_conversation_status(pw_conn *c, int64_t id, char status[12]) {
    sqlite3_stmt *st = pw_conn_stmt(c, status_sql);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        pw_column_copy(st, 0, status, 12);
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}
