/* Agent and ticket intake: tickets from email or the API, replies, drafts, resolutions,
 * assignments, CSAT and new agents.
 * SPDX-License-Identifier: MIT */
#include "intake.h"

#include "../config/policy_config.h"
#include "pw/decide.h"

#include <stdio.h>
#include <string.h>

static const char *const plans[] = {"free", "starter", "pro", "enterprise", NULL};
static const char *const channels[] = {"email", "api", NULL};

static int valid_email(const char *s) {
    const char *at = strchr(s, '@');
    return at && at != s && at[1] && !strchr(at + 1, '@') && !strpbrk(s, " \t\r\n<>");
}

/* The pw_account_flag bit named `name`, or -1. */
static int account_flag_bit(const char *name) {
    const char *known;
    for (unsigned bit = 0; (known = pw_config_account_flag_name(bit)); bit++)
        if (strcmp(name, known) == 0)
            return (int)bit;
    return -1;
}

/* "past_due, churn_risk, vip and open_incident": the names, from the one list of them. */
static int unknown_flag(pw_problem *p) {
    char names[160] = "";
    const char *name;
    for (unsigned bit = 0; (name = pw_config_account_flag_name(bit)); bit++) {
        const char *sep = bit == 0 ? "" : pw_config_account_flag_name(bit + 1) ? ", " : " and ";
        size_t len = strlen(names);
        snprintf(names + len, sizeof names - len, "%s%s", sep, name);
    }
    return pw_problem_set(p, 400, "invalid", "customer.flags", "flags are %s", names);
}

static int customer_flags(const cJSON *arr, uint32_t *flags, pw_problem *p) {
    if (!arr)
        return 0;
    if (!cJSON_IsArray(arr))
        return pw_problem_set(p, 400, "invalid", "customer.flags", "must be an array of flags");
    const cJSON *f;
    cJSON_ArrayForEach(f, arr) {
        int bit = cJSON_IsString(f) ? account_flag_bit(f->valuestring) : -1;
        if (bit < 0)
            return unknown_flag(p);
        *flags |= 1u << bit;
    }
    return 0;
}

static int ticket_customer(const cJSON *c, pw_ticket_body *out, pw_problem *p) {
    static const char *const known[] = {"email", "id", "name", "plan", "flags", NULL};
    int plan;
    if (!cJSON_IsObject(c))
        return pw_problem_set(p, 400, "invalid", "customer", "is required: {email, ...}");
    if (pw_field_known(c, "customer", known, p) ||
        pw_field_string(c, "email", "customer.email", 1, 256, &out->email, p) ||
        pw_field_string(c, "id", "customer.id", 0, 128, &out->customer_id, p) ||
        pw_field_string(c, "name", "customer.name", 0, 128, &out->name, p) ||
        pw_field_enum(c, "plan", "customer.plan", 0, plans, &plan, p) ||
        customer_flags(cJSON_GetObjectItemCaseSensitive(c, "flags"), &out->flags, p))
        return -1;
    if (!valid_email(out->email))
        return pw_problem_set(p, 400, "invalid", "customer.email", "must be an email address");
    out->plan = plan >= 0 ? plans[plan] : NULL;
    return 0;
}

int pw_intake_ticket(const cJSON *body, size_t max_text, pw_ticket_body *out, pw_problem *p) {
    memset(out, 0, sizeof *out);
    static const char *const known[] = {"text",     "subject", "channel", "client_id",
                                        "customer", "page",    NULL};
    int channel;
    if (pw_field_known(body, NULL, known, p) ||
        pw_field_string(body, "text", "text", 1, max_text, &out->text, p) ||
        pw_field_string(body, "subject", "subject", 0, 300, &out->subject, p) ||
        pw_field_enum(body, "channel", "channel", 0, channels, &channel, p) ||
        pw_field_string(body, "client_id", "client_id", 0, 64, &out->client_id, p) ||
        ticket_customer(cJSON_GetObjectItemCaseSensitive(body, "customer"), out, p))
        return -1;
    out->channel = channel >= 0 ? channels[channel] : "api";
    const cJSON *page = cJSON_GetObjectItemCaseSensitive(body, "page");
    if (page && !cJSON_IsNull(page)) {
        if (pw_intake_page(page, "page", &out->page, p))
            return -1;
        out->has_page = 1;
    }
    return 0;
}

void pw_ticket_body_free(pw_ticket_body *t) {
    pw_page_info_free(&t->page);
}

int pw_intake_reply(const cJSON *body, size_t max_text, const char **text, pw_problem *p) {
    static const char *const known[] = {"body", NULL};
    return pw_field_known(body, NULL, known, p) ||
                   pw_field_string(body, "body", "body", 1, max_text, text, p)
               ? -1
               : 0;
}

int pw_intake_draft(const cJSON *body, size_t max_text, pw_draft_action *action, const char **text,
                    pw_problem *p) {
    static const char *const known[] = {"action", "body", NULL};
    static const char *const actions[] = {"approve", "edit", "discard", NULL};
    int a;
    if (pw_field_known(body, NULL, known, p) ||
        pw_field_enum(body, "action", "action", 1, actions, &a, p) ||
        pw_field_string(body, "body", "body", a == PW_DRAFT_EDIT, max_text, text, p))
        return -1;
    if (a != PW_DRAFT_EDIT && *text)
        return pw_problem_set(p, 400, "invalid", "body", "is only for action \"edit\"");
    *action = (pw_draft_action)a;
    return 0;
}

int pw_intake_resolve(const cJSON *body, const char **category, int64_t *article_id,
                      pw_problem *p) {
    static const char *const known[] = {"category", "article_id", NULL};
    *article_id = 0;
    return pw_field_known(body, NULL, known, p) ||
                   pw_field_string(body, "category", "category", 1, 64, category, p) ||
                   pw_field_int(body, "article_id", "article_id", 0, 1, INT64_MAX / 2, article_id,
                                p)
               ? -1
               : 0;
}

int pw_intake_assign(const cJSON *body, int64_t *agent_id, pw_problem *p) {
    static const char *const known[] = {"agent_id", NULL};
    *agent_id = 0;
    if (pw_field_known(body, NULL, known, p))
        return -1;
    if (!cJSON_GetObjectItemCaseSensitive(body, "agent_id"))
        return pw_problem_set(p, 400, "invalid", "agent_id", "is required (null unassigns)");
    return pw_field_int(body, "agent_id", "agent_id", 0, 1, INT64_MAX / 2, agent_id, p);
}

int pw_intake_csat(const cJSON *body, const char **token, int *score, const char **comment,
                   pw_problem *p) {
    static const char *const known[] = {"token", "score", "comment", NULL};
    int64_t s;
    if (pw_field_known(body, NULL, known, p) ||
        pw_field_string(body, "token", "token", 1, 256, token, p) ||
        pw_field_int(body, "score", "score", 1, 1, 5, &s, p) ||
        pw_field_string(body, "comment", "comment", 0, 2000, comment, p))
        return -1;
    *score = (int)s;
    return 0;
}

int pw_intake_agent(const cJSON *body, const char **name, const char **email, int *admin,
                    pw_problem *p) {
    static const char *const known[] = {"name", "email", "role", NULL};
    static const char *const roles[] = {"agent", "admin", NULL};
    int role;
    if (pw_field_known(body, NULL, known, p) ||
        pw_field_string(body, "name", "name", 1, 127, name, p) ||
        pw_field_string(body, "email", "email", 1, 256, email, p) ||
        pw_field_enum(body, "role", "role", 0, roles, &role, p))
        return -1;
    if (!valid_email(*email))
        return pw_problem_set(p, 400, "invalid", "email", "must be an email address");
    *admin = role == 1;
    return 0;
}
