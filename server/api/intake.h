/* Every JSON body the API accepts, validated into plain structs before anything else happens.
 * Each parser is a pure function of the parsed tree (no connection, no store) — which is what
 * lets tests/fuzz run each one on arbitrary bytes. Strings in the results are borrowed from the
 * tree unless a field says malloc'd. Each returns 0, or -1 with *p naming the field.
 * SPDX-License-Identifier: MIT */
#ifndef PW_API_INTAKE_H
#define PW_API_INTAKE_H

#include "request.h"
#include "../pipeline/pipeline.h"

#include <stddef.h>
#include <stdint.h>

#define PW_EVENTS_MAX 100 /* per batch, and with one message */

/* PageContext: {url?, route, page_id?, title?, plan?, features?, errors?, failed_requests?}.
 * Fills route, page_id, plan, the features disabled by plan, the page flags, and a normalised
 * JSON copy (out->json, malloc'd: free with pw_page_info_free). */
int pw_intake_page(const cJSON *page, const char *field, pw_page_info *out, pw_problem *p);

/* [{kind, at, route, page_id?, target?, detail?}] into out[0..cap); *count set. Each detail is
 * malloc'd: free with pw_intake_events_free. */
int pw_intake_events(const cJSON *arr, const char *field, pw_struggle_event *out, size_t cap,
                     size_t *count, pw_problem *p);
void pw_intake_events_free(pw_struggle_event *events, size_t count);

typedef struct pw_boot_in {
    const char *app_key;
    const char *user_id, *email, *name, *plan, *hash; /* NULL when absent */
} pw_boot_in;
int pw_intake_boot(const cJSON *body, pw_boot_in *out, pw_problem *p);

/* POST /widget/messages and the portal's chat. Owns page and events: pw_message_body_free. */
typedef struct pw_message_body {
    const char *text, *client_id;
    const char *channel; /* "widget" (default) or "portal"; static */
    int64_t conversation_id;
    int has_page;
    pw_page_info page;
    pw_struggle_event events[PW_EVENTS_MAX];
    size_t event_count;
} pw_message_body;
int pw_intake_message(const cJSON *body, size_t max_text, pw_message_body *out, pw_problem *p);
void pw_message_body_free(pw_message_body *m);

/* POST /tickets. Owns page: pw_ticket_body_free. */
typedef struct pw_ticket_body {
    const char *text, *subject, *channel, *client_id;
    const char *email, *customer_id, *name, *plan;
    uint32_t flags;
    int has_page;
    pw_page_info page;
} pw_ticket_body;
int pw_intake_ticket(const cJSON *body, size_t max_text, pw_ticket_body *out, pw_problem *p);
void pw_ticket_body_free(pw_ticket_body *t);

/* {body} of a reply, {action, body?} of a draft decision, {category, article_id?} of a
 * resolution, {agent_id|null} of an assignment, {token, score, comment?} of CSAT, {name,
 * email, role} of a new agent. */
int pw_intake_reply(const cJSON *body, size_t max_text, const char **text, pw_problem *p);
typedef enum pw_draft_action { PW_DRAFT_APPROVE, PW_DRAFT_EDIT, PW_DRAFT_DISCARD } pw_draft_action;
int pw_intake_draft(const cJSON *body, size_t max_text, pw_draft_action *action, const char **text,
                    pw_problem *p);
int pw_intake_resolve(const cJSON *body, const char **category, int64_t *article_id, pw_problem *p);
int pw_intake_assign(const cJSON *body, int64_t *agent_id, pw_problem *p);
int pw_intake_csat(const cJSON *body, const char **token, int *score, const char **comment,
                   pw_problem *p);
int pw_intake_agent(const cJSON *body, const char **name, const char **email, int *admin,
                    pw_problem *p);

#endif
