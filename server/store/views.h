/* Read models as JSON text, written straight from plain queries' columns (views.c, jsonw.h): no
 * tree in between, and the store stays free of any JSON library. A view that needs several
 * queries (the Ticket) reads them in the caller's one read transaction (pw_pool_get). Each
 * returns a malloc'd NUL-terminated JSON text the caller frees with free(), or NULL when the row
 * does not exist (*found = 0) or the store failed (*found = -1).
 * SPDX-License-Identifier: MIT */
#ifndef PW_STORE_VIEWS_H
#define PW_STORE_VIEWS_H

#include "conn.h"
#include "jsonw.h"

#include <stddef.h>
#include <stdint.h>

/* ---- shapes written from values ----
 * A Message and a Decision are written from these, whether the values come from a stored row
 * (the views below) or from the pipeline that has just recorded them (pipeline.h), so an
 * answer needs no read-back and both are one shape. */

typedef struct pw_article_ref {
    int64_t id; /* 0: none (written as null) */
    const char *slug, *title;
} pw_article_ref;

typedef struct pw_message_view {
    int64_t id;
    const char *author;
    const char *body;
    size_t body_len;
    int64_t created_at;
    int64_t agent_id; /* 0: not an agent's (agent is null) */
    const char *agent_name;
    pw_article_ref article;
} pw_message_view;

typedef struct pw_decision_view {
    const char *lane;
    const char *intent; /* NULL: none */
    double confidence;
    int out_of_scope, priority;
    const char *reasons, *signals; /* JSON texts as stored */
} pw_decision_view;

/* A Ticket's decision: the Decision with its ids, time and article. */
typedef struct pw_ticket_decision_view {
    pw_decision_view decision;
    int64_t id, message_id, created_at;
    pw_article_ref article;
} pw_ticket_decision_view;

typedef struct pw_draft_view {
    int64_t id; /* the decision's */
    const char *body, *status;
    pw_article_ref article;
} pw_draft_view;

void pw_view_write_message(pw_jsonw *w, const pw_message_view *m);
void pw_view_write_decision(pw_jsonw *w, const pw_decision_view *d);
void pw_view_write_ticket_decision(pw_jsonw *w, const pw_ticket_decision_view *d);
void pw_view_write_draft(pw_jsonw *w, const pw_draft_view *d);

/* [Message] of a conversation with id > after, oldest first. */
char *pw_view_messages(pw_conn *c, int64_t conversation_id, int64_t after, int *found);

/* The Decision recorded for a customer message. */
char *pw_view_decision(pw_conn *c, int64_t message_id, int *found);

/* The first reply (AI or system) after a customer message, or found = 0 when none. */
char *pw_view_reply(pw_conn *c, int64_t conversation_id, int64_t message_id, int *found);

/* The lists of a Ticket that its creator has just recorded, as JSON texts written by the
 * shapes above: a new conversation's messages, its one decision and its draft (NULL: none). It
 * has no events and no CSAT yet. */
typedef struct pw_ticket_fresh {
    const char *messages, *decisions, *draft;
} pw_ticket_fresh;

/* The whole Ticket, its suggested_articles the caller's JSON array (they need the knowledge
 * base's search), or with `suggested` NULL the TicketRecord: the same members but the context an
 * agent works with, customer_history and suggested_articles (the 201 of a new ticket). With
 * `fresh` (else NULL) the lists are not read: a TicketRecord is then one row's read. */
char *pw_view_ticket(pw_conn *c, int64_t id, const pw_ticket_fresh *fresh, const char *suggested,
                     int *found);

/* One TicketSummary. */
char *pw_view_summary(pw_conn *c, int64_t id, int *found);

typedef struct pw_ticket_filter {
    const char *status, *channel, *lane, *intent, *tier; /* NULL: any */
    int64_t customer_id;                                 /* 0: any */
    int64_t assignee;                                    /* 0 any, > 0 that agent, -1 unassigned */
    int inbox;      /* 1: open conversations by priority, SLA due time (cursor = offset) */
    int64_t cursor; /* tickets: the last id seen (newest first); inbox: the offset */
    int limit;
} pw_ticket_filter;

/* {"items": [TicketSummary], "next_cursor": "..." | null}. */
char *pw_view_ticket_list(pw_conn *c, const pw_ticket_filter *f, int *found);

/* The conversation's status and, when resolved by a human and not yet rated, nothing else:
 * the API signs the CSAT token itself. Returns 1 and copies the status, 0 when not found. */
int pw_view_status(pw_conn *c, int64_t conversation_id, char status[12], int *rated);

/* One Message; the Draft of a decision. */
char *pw_view_message(pw_conn *c, int64_t id, int *found);
char *pw_view_draft(pw_conn *c, int64_t decision_id, int *found);

/* One Agent; the agents list {"items", "next_cursor"} after id `after`. */
char *pw_view_agent(pw_conn *c, int64_t id, int *found);
char *pw_view_agents(pw_conn *c, int64_t after, int limit, int *found);

/* What to search the knowledge base with for a conversation's suggested articles: its latest
 * customer message (*text malloc'd, caller frees), intent, route and page id ("" when none).
 * 1 found, 0 not, -1 error. */
int pw_view_search_basis(pw_conn *c, int64_t id, char **text, char intent[128], char route[256],
                         char page_id[64]);

#endif
