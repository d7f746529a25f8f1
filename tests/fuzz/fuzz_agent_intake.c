/* Fuzz target: the agent-side and public JSON intake (server/api/intake_agent.c). The first byte
 * picks the body: 0 POST /tickets, 1 /tickets/{id}/reply, 2 /draft, 3 /resolve, 4 /assign,
 * 5 POST /csat, 6 POST /agents; the rest is parsed with pw_parse_json_object. A refused body
 * must be a 400 naming its field; an accepted one must hold valid UTF-8 within the limits of
 * intake.h, and a ticket's page context is freed as tickets.c frees it (intake_check.c has the
 * checks).
 * SPDX-License-Identifier: MIT */
#include "intake_check.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MAX_TEXT 8000 /* the default limits.message_bytes */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_email(const char *s, size_t max_bytes) {
    fuzz_check_text(s, 3, max_bytes);
    const char *at = strchr(s, '@');
    if (!at || at == s || !at[1] || strchr(at + 1, '@') || strpbrk(s, " \t\r\n<>"))
        abort();
}

static int ticket(const cJSON *body, pw_problem *p) {
    static const char *const channels[] = {"email", "api", NULL};
    pw_ticket_body t;
    if (pw_intake_ticket(body, MAX_TEXT, &t, p))
        return -1; /* tickets.c frees nothing after a refusal: the intake must have */
    fuzz_check_text(t.text, 1, MAX_TEXT);
    fuzz_check_text(t.subject, 0, 300);
    fuzz_check_name(t.channel, channels, 0);
    fuzz_check_text(t.client_id, 0, 64);
    check_email(t.email, 256);
    fuzz_check_text(t.customer_id, 0, 128);
    fuzz_check_text(t.name, 0, 128);
    fuzz_check_name(t.plan, fuzz_plans, 1);
    if (t.flags & ~0xFu)
        abort();
    if (t.has_page)
        fuzz_check_page(&t.page);
    else if (t.page.json)
        abort();
    pw_ticket_body_free(&t);
    return 0;
}

static int reply(const cJSON *body, pw_problem *p) {
    const char *text;
    if (pw_intake_reply(body, MAX_TEXT, &text, p))
        return -1;
    if (!text)
        abort();
    fuzz_check_text(text, 1, MAX_TEXT);
    return 0;
}

static int draft(const cJSON *body, pw_problem *p) {
    pw_draft_action action = PW_DRAFT_DISCARD;
    const char *text;
    if (pw_intake_draft(body, MAX_TEXT, &action, &text, p))
        return -1;
    if (action != PW_DRAFT_APPROVE && action != PW_DRAFT_EDIT && action != PW_DRAFT_DISCARD)
        abort();
    if ((action == PW_DRAFT_EDIT) != (text != NULL)) /* a body with "edit", and only then */
        abort();
    fuzz_check_text(text, 1, MAX_TEXT);
    return 0;
}

static int resolve(const cJSON *body, pw_problem *p) {
    const char *category;
    int64_t article_id;
    if (pw_intake_resolve(body, &category, &article_id, p))
        return -1;
    if (!category || article_id < 0 || article_id > INT64_MAX / 2)
        abort();
    fuzz_check_text(category, 1, 64);
    return 0;
}

static int assign(const cJSON *body, pw_problem *p) {
    int64_t agent_id;
    if (pw_intake_assign(body, &agent_id, p))
        return -1;
    if (agent_id < 0 || agent_id > INT64_MAX / 2) /* 0: unassign */
        abort();
    return 0;
}

static int csat(const cJSON *body, pw_problem *p) {
    const char *token, *comment;
    int score;
    if (pw_intake_csat(body, &token, &score, &comment, p))
        return -1;
    if (!token || score < 1 || score > 5)
        abort();
    fuzz_check_text(token, 1, 256);
    fuzz_check_text(comment, 0, 2000);
    return 0;
}

static int agent(const cJSON *body, pw_problem *p) {
    const char *name, *email;
    int admin = -1;
    if (pw_intake_agent(body, &name, &email, &admin, p))
        return -1;
    if (!name || (admin != 0 && admin != 1))
        abort();
    fuzz_check_text(name, 1, 127);
    check_email(email, 256);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    typedef int (*intake_fn)(const cJSON *, pw_problem *);
    static const intake_fn intakes[] = {ticket, reply, draft, resolve, assign, csat, agent};
    if (size == 0)
        return 0;
    cJSON *body = fuzz_parse_body(data + 1, size - 1);
    if (!body)
        return 0;
    pw_problem p;
    memset(&p, 0, sizeof p);
    if (intakes[data[0] % (sizeof intakes / sizeof intakes[0])](body, &p))
        fuzz_check_problem(&p);
    cJSON_Delete(body);
    return 0;
}
