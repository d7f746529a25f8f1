/* Support rows: customers, conversations, messages, decisions and struggle events. One
 * function per query. Write functions take the writer's connection and run inside a writer job;
 * read functions take a pooled read connection.
 * SPDX-License-Identifier: MIT */
#ifndef PW_STORE_SUPPORT_H
#define PW_STORE_SUPPORT_H

#include "conn.h"

#include <stddef.h>
#include <stdint.h>

/* ---- customers ---- */

typedef struct pw_customer_in {
    int64_t app_id;
    const char *external_id;  /* the host's user id, or "visitor:<id>" for an anonymous one */
    const char *email, *name; /* NULL when unknown (a stored value is kept) */
    const char *plan;         /* NULL keeps the stored plan */
    int verified;
    uint32_t add_flags; /* pw_account_flag bits to add */
    /* The id a read of this customer found, or 0. A customer is never deleted and keeps the
     * external id or email it was found by, so the id still holds inside the writer. */
    int64_t known_id;
} pw_customer_in;

/* Finds the customer by external id (or by email when there is none), unless its id is
 * known, and updates what is known, or inserts one. Sets *id. 0 or -1. */
int pw_store_customer_upsert(pw_conn *c, const pw_customer_in *in, int64_t now, int64_t *id);

typedef struct pw_customer_row {
    int64_t id;
    char plan[16];
    uint32_t flags;
} pw_customer_row;

/* 1 found, 0 not, -1 error. `external_id` wins over `email` as in pw_store_customer_upsert. */
int pw_store_customer_find(pw_conn *c, int64_t app_id, const char *external_id, const char *email,
                           pw_customer_row *out);

#define PW_CUSTOMER_TEXTS_MAX 16 /* PW_SIGNALS_MAX_HISTORY: the core reads no more */

/* A customer's latest messages, oldest first. */
typedef struct pw_customer_texts {
    int64_t ids[PW_CUSTOMER_TEXTS_MAX], at[PW_CUSTOMER_TEXTS_MAX]; /* message id, created_at */
    char *texts[PW_CUSTOMER_TEXTS_MAX];                            /* NUL-terminated */
    size_t lens[PW_CUSTOMER_TEXTS_MAX];
} pw_customer_texts;

/* The customer's own latest messages, however old: at most cap (past PW_CUSTOMER_TEXTS_MAX,
 * that many), oldest first, into t. Each t->texts[i] is malloc'd: the caller frees them.
 * Returns the count, or -1 (nothing to free). */
int pw_store_customer_texts(pw_conn *c, int64_t customer_id, pw_customer_texts *t, int cap);

/* ---- conversations ---- */

typedef struct pw_conversation_owner {
    int64_t id, app_id, customer_id;
    char channel[12], status[12], visitor[40];
} pw_conversation_owner;

/* 1 found, 0 not, -1 error. */
int pw_store_conversation_owner(pw_conn *c, int64_t id, pw_conversation_owner *out);

typedef struct pw_route {
    const char *status; /* "bot" or "open" */
    const char *lane, *intent;
    double confidence;
    int priority;
    int64_t sla_due_at; /* 0: none */
    const char *page;   /* JSON, NULL keeps the stored page */
    /* The conversation's latest message that is not a system notice, after this write: the
     * AI's answer, else the customer's message. Stored as PW_PREVIEW_TEXT cuts it. */
    const char *preview_author, *preview_text;
} pw_route;

/* The SQL that cuts a message body bound at `param` ("?4") to a TicketSummary's preview: its
 * first 160 characters. Every write that sets conversations.preview_text uses it (this file's
 * and actions.c's); migration 6's backfill keeps its own copy, as migrations stay as they ran. */
#define PW_PREVIEW_TEXT(param) "substr(" param ", 1, 160)"

/* A conversation's decisions as a FROM clause, its messages named m and their decisions d, for
 * a WHERE on m.conversation_id: a decision belongs to the customer message it answers and is
 * written just after it, so m.id orders them too. Schema 8 dropped the index of decisions by
 * conversation (a random-leaf write a message); this reads messages_conversation and the unique
 * decisions.message_id instead. Used by actions.c and views.c. */
#define PW_CONVERSATION_DECISIONS " FROM messages m JOIN decisions d ON d.message_id = m.id"

typedef struct pw_conversation_in {
    int64_t app_id, customer_id;
    const char *channel, *visitor, *subject;
} pw_conversation_in;

/* Inserts a conversation already routed by its first message's decision (one write instead of
 * an insert and an update of the same row and its indexes). Sets *id. 0 or -1. */
int pw_store_conversation_create(pw_conn *c, const pw_conversation_in *in, const pw_route *r,
                                 int64_t now, int64_t *id);

/* Records the latest decision on the conversation. A conversation already waiting for a human
 * stays "open" and keeps the earlier of the two SLA due times and the higher priority. Copies
 * the status it has now to `status`. 0 or -1 (also when there is no such conversation). */
int pw_store_conversation_route(pw_conn *c, int64_t id, const pw_route *r, int64_t now,
                                char status[12]);

/* 1 and the conversation's status, 0 when there is no such conversation, -1 on error. */
int pw_store_conversation_status(pw_conn *c, int64_t id, char status[12]);

/* ---- messages, decisions, events ---- */

typedef struct pw_message_in {
    int64_t conversation_id;
    const char *author;                  /* customer | ai | agent | system */
    int64_t agent_id, article_id;        /* 0: none */
    const char *body, *page, *client_id; /* page and client_id may be NULL */
    int64_t customer_id;                 /* a customer message's customer; else 0 */
} pw_message_in;

int pw_store_message_insert(pw_conn *c, const pw_message_in *in, int64_t now, int64_t *id);

/* The message that carried client_id, if any: 1 with *message_id and *conversation_id set
 * when its body is `body`, 2 when the key was used for a different body, 0 when none, -1 on
 * error. */
int pw_store_message_by_client_id(pw_conn *c, const char *client_id, const char *body,
                                  int64_t *message_id, int64_t *conversation_id);

typedef struct pw_decision_row {
    int64_t conversation_id, message_id;
    const char *lane, *intent;
    double confidence;
    int out_of_scope, priority;
    const char *reasons, *signals; /* JSON texts */
    int64_t article_id;            /* 0: none */
    const char *draft;             /* NULL: none */
} pw_decision_row;

int pw_store_decision_insert(pw_conn *c, const pw_decision_row *d, int64_t now, int64_t *id);

int pw_store_event_insert(pw_conn *c, int64_t conversation_id, const char *kind, const char *route,
                          const char *detail, int64_t at);

#endif
