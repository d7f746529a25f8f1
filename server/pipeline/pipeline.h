/* The life of a message on the server: every customer message — widget, portal, email or API —
 * goes through pw_pipeline_handle: load the customer and their recent messages, classify and
 * scan signals with the shared core, retrieve knowledge-base articles (full text, the intent's
 * articles, the current page), decide with the policy, compose the answer for the user's page
 * and plan, and record it all durably in one writer job.
 * SPDX-License-Identifier: MIT */
#ifndef PW_PIPELINE_H
#define PW_PIPELINE_H

#include "../api/request.h"
#include "../server.h"

#include <stddef.h>
#include <stdint.h>

#define PW_PAGE_MAX_FEATURES 32

/* What the widget (or a ticket's sender) said about the page, already validated. */
typedef struct pw_page_info {
    char route[256];
    char page_id[64];
    char plan[16]; /* the plan the page shows, "" when not given */
    char disabled_by_plan[PW_PAGE_MAX_FEATURES][48]; /* features the UI shows disabled by plan */
    size_t disabled_count;
    uint32_t flags; /* pw_page_flag bits */
    char *json;     /* the page context as stored and shown to agents (malloc'd) */
} pw_page_info;

void pw_page_info_free(pw_page_info *p);

/* One struggle event the widget reported. */
typedef struct pw_struggle_event {
    char kind[24];
    char route[256];
    int64_t at;
    char *detail; /* JSON text or NULL (malloc'd) */
} pw_struggle_event;

typedef struct pw_intake {
    int64_t app_id;
    const char *channel;                    /* widget | portal | email | api */
    const char *visitor;                    /* widget/portal visitor id, else NULL */
    const char *subject;                    /* NULL: none */
    const char *external_id, *email, *name; /* who; at least one of external_id, email */
    const char *plan;                       /* NULL: the stored plan (default free) */
    int verified;
    uint32_t add_flags;      /* pw_account_flag bits the sender asserts */
    int64_t conversation_id; /* 0: start a conversation */
    const char *text;
    size_t len;
    const char *client_key;   /* idempotency key, already namespaced by the caller; or NULL */
    const pw_page_info *page; /* NULL: unknown */
    const pw_struggle_event *events;
    size_t event_count;
    int keep_ticket; /* a new ticket: keep its TicketRecord (pw_outcome), not the widget's answer */
} pw_intake;

typedef struct pw_outcome {
    int duplicate; /* 1: the client key was seen with this text, nothing new was written */
    int64_t conversation_id, message_id;
    /* Unless a duplicate: the answer as just recorded, written by the views' own shapes
     * (views.h), so a caller answers without reading it back. Without in->keep_ticket the
     * widget's answer; decision NULL: not kept (a duplicate, or out of memory): read it back
     * instead. Free with pw_outcome_free. */
    char status[12]; /* the conversation's status after the message */
    char *decision;  /* Decision JSON */
    char *reply;     /* Message JSON, or NULL when the message got no reply */
    /* With in->keep_ticket, instead: the new ticket's TicketRecord JSON, written in the writer's
     * job from its own connection; NULL when not kept. */
    char *ticket;
} pw_outcome;

void pw_outcome_free(pw_outcome *o);

/* Handles one message. Returns 0 with *out set, or -1 with *p set (404 for a conversation that
 * does not exist or is not the caller's, 409 for a client key reused with another text, 500 when
 * the store fails). Thread-safe. */
int pw_pipeline_handle(pw_server *srv, const pw_intake *in, pw_outcome *out, pw_problem *p);

#endif
