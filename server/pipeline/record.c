/* Composing and recording a decision.
 * SPDX-License-Identifier: MIT */
#include "record.h"
#include "../config/policy_config.h"
#include "../store/jsonw.h"
#include "../store/support.h"
#include "../store/views.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ANSWER_CAP 4096

void pw_record_intent(const pw_model *m, pw_record *r) {
    r->intent[0] = '\0';
    if (r->analysis.prediction.out_of_scope)
        return;
    int n = pw_model_label(m, r->analysis.prediction.intent, r->intent, sizeof r->intent - 1);
    r->intent[n > 0 ? n : 0] = '\0';
}

/* Appends `"name"` to a JSON array being written into buf, with a comma unless first. */
static void append_name(char *buf, size_t cap, size_t *at, int first, const char *name) {
    if (!first)
        pw_append_n(buf, cap, at, ",", 1);
    pw_append_n(buf, cap, at, "\"", 1);
    pw_append(buf, cap, at, name);
    pw_append_n(buf, cap, at, "\"", 1);
}

/* Reasons as stored and shown: the core's, then the server's own (NO_ARTICLE,
 * ARTICLE_HUMAN_ONLY, AGENT_ENGAGED) when the server held back an answer the policy allowed. */
static void reasons_json(const pw_decision *d, const char *extra, char *out, size_t cap) {
    size_t at = 0;
    pw_append_n(out, cap, &at, "[", 1);
    for (uint32_t i = 0; i < d->reason_count; i++)
        append_name(out, cap, &at, i == 0, pw_reason_name((int)d->reasons[i]));
    if (extra)
        append_name(out, cap, &at, d->reason_count == 0, extra);
    pw_append_n(out, cap, &at, "]", 1);
}

static void append_member(char *buf, size_t cap, size_t *at, const char *key, double v) {
    char digits[PW_FIXED4_MAX];
    pw_append(buf, cap, at, key);
    pw_append_n(buf, cap, at, digits, pw_fixed4(v, digits));
}

/* Every message's signals as stored: the scores as "%.4f" writes them. */
static void signals_json(const pw_signals *s, char *out, size_t cap) {
    size_t at = 0;
    append_member(out, cap, &at, "{\"sentiment\":", s->sentiment);
    append_member(out, cap, &at, ",\"frustration\":", s->frustration);
    append_member(out, cap, &at, ",\"urgency\":", s->urgency);
    pw_append(out, cap, &at,
              s->repeat_contact ? ",\"repeat_contact\":true" : ",\"repeat_contact\":false");
    pw_append(out, cap, &at,
              s->repeated_question ? ",\"repeated_question\":true"
                                   : ",\"repeated_question\":false");
    pw_append(out, cap, &at, ",\"high_stakes\":[");
    int first = 1;
    for (unsigned bit = 0; bit < 32; bit++)
        if ((s->high_stakes >> bit) & 1u && pw_config_stakes_name(bit)) {
            append_name(out, cap, &at, first, pw_config_stakes_name(bit));
            first = 0;
        }
    pw_append(out, cap, &at, "]}");
}

/* First-response target: the configured minutes for the priority, shorter for higher tiers. */
static int64_t sla_due(const pw_server *srv, int priority, const char *plan) {
    int64_t minutes = srv->cfg.sla_minutes[priority < 0 ? 0 : priority > 3 ? 3 : priority];
    if (strcmp(plan, "enterprise") == 0)
        minutes /= 2;
    else if (strcmp(plan, "pro") == 0)
        minutes = minutes * 3 / 4;
    return pw_now_ms() + (minutes < 1 ? 1 : minutes) * 60000;
}

static char *handoff_notice(int64_t due_in_ms) {
    char *s = malloc(256);
    if (!s)
        return NULL;
    int64_t minutes = due_in_ms / 60000;
    if (minutes < 90)
        snprintf(s, 256,
                 "I've passed this to our support team with everything you've told me and what "
                 "you were looking at, so you won't need to repeat it. A person will reply here "
                 "within about %lld minutes.",
                 (long long)(minutes < 1 ? 1 : minutes));
    else
        snprintf(s, 256,
                 "I've passed this to our support team with everything you've told me and what "
                 "you were looking at, so you won't need to repeat it. A person will reply here "
                 "within about %lld hours.",
                 (long long)((minutes + 59) / 60));
    return s;
}

static char *compose_answer(const pw_intake *in, const pw_kb_article *a, const pw_record *r) {
    char *text = malloc(ANSWER_CAP);
    pw_answer_kind kind;
    const char *route = in->page ? in->page->route : NULL;
    const char *page_id = in->page && in->page->page_id[0] ? in->page->page_id : NULL;
    if (text && pw_kb_compose(a, route, page_id, r->plan, r->disabled_by_plan, text, ANSWER_CAP,
                              &kind) != 0) {
        free(text);
        text = NULL;
    }
    return text;
}

void pw_record_compose(const pw_server *srv, const pw_intake *in, const pw_kb_article *article,
                       int human_owned, pw_record *r) {
    const pw_decision *d = &r->analysis.decision;
    const char *extra = NULL;
    r->lane = pw_lane_name((int)d->lane);
    if (d->lane == PW_LANE_RESOLVE && human_owned)
        r->lane = "assist", extra = "AGENT_ENGAGED";
    else if (d->lane == PW_LANE_RESOLVE && (!article || !r->article_on_topic))
        r->lane = "assist", extra = "NO_ARTICLE";
    else if (d->lane == PW_LANE_RESOLVE && article->human_only)
        r->lane = "assist", extra = "ARTICLE_HUMAN_ONLY";
    r->priority = (int)d->priority;
    r->article_id = article ? article->id : 0;
    r->article = article;
    char *answer = article ? compose_answer(in, article, r) : NULL;
    if (strcmp(r->lane, "resolve") == 0) {
        r->status = "bot";
        r->reply = answer, r->reply_author = "ai";
    } else {
        r->status = "open";
        r->draft = answer;
        r->sla_due_at = sla_due(srv, r->priority, r->plan);
        /* The customer hears that a person has it — once, when the conversation reaches the
         * inbox, not on every later message. */
        if (!human_owned)
            r->reply = handoff_notice(r->sla_due_at - pw_now_ms()), r->reply_author = "system";
    }
    reasons_json(d, extra, r->reasons, sizeof r->reasons);
    signals_json(&r->analysis.signals, r->signals, sizeof r->signals);
}

void pw_record_small_talk(pw_small_talk kind, int human_owned, pw_record *r) {
    r->intent[0] = '\0';
    r->lane = "resolve";
    r->status = human_owned ? "open" : "bot";
    r->priority = 3;
    r->article_id = 0;
    /* An agent who owns the conversation answers it; the AI does not chime in. */
    if (!human_owned) {
        const char *text = pw_small_talk_reply(kind);
        if ((r->reply = malloc(strlen(text) + 1)))
            strcpy(r->reply, text);
        r->reply_author = "ai";
    }
    snprintf(r->reasons, sizeof r->reasons, "[\"SMALL_TALK\"]");
    signals_json(&r->analysis.signals, r->signals, sizeof r->signals);
}

void pw_record_free(pw_record *r) {
    free(r->reply);
    free(r->draft);
    free(r->words);
    r->reply = r->draft = NULL;
    r->words = NULL;
}

/* The reply is the AI's answer (not a system notice); a record without a reply has none. */
static int ai_answers(const pw_record *r) {
    return r->reply && strcmp(r->reply_author, "ai") == 0;
}

typedef struct write_job {
    const pw_intake *in;
    const pw_record *r;
    pw_outcome *out;
    int64_t customer_id; /* set by write_customer_and_conversation */
    int64_t decision_id; /* set by write_message_and_decision */
    int64_t reply_id;    /* set by write_message_and_decision; 0: no reply */
    int64_t at;          /* when it was all recorded */
} write_job;

static int write_customer_and_conversation(pw_conn *c, write_job *j, int64_t now) {
    const pw_intake *in = j->in;
    pw_customer_in cust = {in->app_id, in->external_id, in->email,     in->name,
                           in->plan,   in->verified,    in->add_flags, j->r->customer_id};
    if (pw_store_customer_upsert(c, &cust, now, &j->customer_id))
        return -1;
    int64_t customer_id = j->customer_id;
    const pw_record *r = j->r;
    pw_route route = {r->status,
                      r->lane,
                      r->intent[0] ? r->intent : NULL,
                      r->analysis.prediction.confidence,
                      r->priority,
                      r->sla_due_at,
                      in->page ? in->page->json : NULL,
                      NULL,
                      NULL};
    /* What the summary previews: the AI's answer when it gives one (a system notice is never
     * the preview), else the customer's message. */
    route.preview_author = ai_answers(r) ? "ai" : "customer";
    route.preview_text = ai_answers(r) ? r->reply : in->text;
    j->out->conversation_id = in->conversation_id;
    if (in->conversation_id)
        return pw_store_conversation_route(c, in->conversation_id, &route, now, j->out->status);
    snprintf(j->out->status, sizeof j->out->status, "%s", r->status);
    pw_conversation_in conv = {in->app_id, customer_id, in->channel, in->visitor, in->subject};
    return pw_store_conversation_create(c, &conv, &route, now, &j->out->conversation_id);
}

static int write_message_and_decision(pw_conn *c, write_job *j, int64_t now) {
    const pw_intake *in = j->in;
    const pw_record *r = j->r;
    int64_t conv = j->out->conversation_id;
    pw_message_in msg = {
        conv,           "customer",    0, 0, in->text, in->page ? in->page->json : NULL,
        in->client_key, j->customer_id};
    if (pw_store_message_insert(c, &msg, now, &j->out->message_id))
        return -1;
    pw_decision_row d = {conv,
                         j->out->message_id,
                         r->lane,
                         r->intent[0] ? r->intent : NULL,
                         r->analysis.prediction.confidence,
                         r->analysis.prediction.out_of_scope,
                         r->priority,
                         r->reasons,
                         r->signals,
                         r->article_id,
                         r->draft};
    if (pw_store_decision_insert(c, &d, now, &j->decision_id))
        return -1;
    if (r->reply) {
        pw_message_in reply = {
            conv, r->reply_author, 0, ai_answers(r) ? r->article_id : 0, r->reply, NULL, NULL, 0};
        if (pw_store_message_insert(c, &reply, now, &j->reply_id))
            return -1;
    }
    for (size_t i = 0; i < in->event_count; i++) {
        const pw_struggle_event *e = &in->events[i];
        if (pw_store_event_insert(c, conv, e->kind, e->route[0] ? e->route : NULL, e->detail,
                                  e->at))
            return -1;
    }
    return 0;
}

/* The article a decision names, as the knowledge base had it when the answer was composed. */
static pw_article_ref article_of(const pw_record *r) {
    pw_article_ref a = {0, NULL, NULL};
    if (r->article_id && r->article)
        a = (pw_article_ref){r->article->id, r->article->slug, r->article->title};
    return a;
}

/* The values the job bound, as a read of what it wrote would find them. */
static pw_decision_view decision_of(const pw_record *r) {
    return (pw_decision_view){r->lane,
                              r->intent[0] ? r->intent : NULL,
                              r->analysis.prediction.confidence,
                              r->analysis.prediction.out_of_scope,
                              r->priority,
                              r->reasons,
                              r->signals};
}

static pw_message_view reply_of(const write_job *j) {
    const pw_record *r = j->r;
    pw_article_ref none = {0, NULL, NULL};
    return (pw_message_view){j->reply_id, r->reply_author,
                             r->reply,    strlen(r->reply),
                             j->at,       0,
                             NULL,        ai_answers(r) ? article_of(r) : none};
}

/* A new ticket's lists (pw_ticket_fresh) from the values the job bound: its message and the
 * reply, its decision, its draft. 0, or -1 out of memory. */
static int fresh_lists(const write_job *j, char **messages, char **decisions, char **draft) {
    const pw_record *r = j->r;
    pw_jsonw scratch = {0}, *w = &scratch; /* finished once per list, then empty again */
    pw_message_view asked = {
        j->out->message_id, "customer", j->in->text, strlen(j->in->text), j->at, 0, NULL,
        {0, NULL, NULL}};
    pw_jsonw_open(w, '[');
    pw_view_write_message(w, &asked);
    if (r->reply) {
        pw_message_view reply = reply_of(j);
        pw_view_write_message(w, &reply);
    }
    pw_jsonw_close(w, ']');
    *messages = pw_jsonw_finish(w);
    pw_ticket_decision_view d = {decision_of(r), j->decision_id, j->out->message_id, j->at,
                                 article_of(r)};
    pw_jsonw_open(w, '[');
    pw_view_write_ticket_decision(w, &d);
    pw_jsonw_close(w, ']');
    *decisions = pw_jsonw_finish(w);
    if (r->draft) {
        pw_draft_view dv = {j->decision_id, r->draft, "pending", article_of(r)};
        pw_view_write_draft(w, &dv);
        *draft = pw_jsonw_finish(w);
    }
    return *messages && *decisions && (!r->draft || *draft) ? 0 : -1;
}

/* A new ticket's TicketRecord (pw_outcome.ticket), written inside the job: its lists from the
 * values just bound, its own row read on the writer's connection. That connection's cache holds
 * the pages the job has just written, while a reader starts cold after every commit: under load,
 * a reader's one-row read cost as much as writing the lists. The record is only sent after the
 * batch commits. NULL (out of memory, a failed read): the caller reads it back. */
static void keep_ticket(pw_conn *c, const write_job *j) {
    char *messages = NULL, *decisions = NULL, *draft = NULL;
    if (fresh_lists(j, &messages, &decisions, &draft) == 0) {
        pw_ticket_fresh fresh = {messages, decisions, draft};
        int found;
        j->out->ticket = pw_view_ticket(c, j->out->conversation_id, &fresh, NULL, &found);
    }
    free(messages);
    free(decisions);
    free(draft);
}

static int write_all(pw_conn *c, void *arg) {
    write_job *j = arg;
    /* Inside the writer, check-then-insert cannot race: jobs run one at a time. */
    if (j->in->client_key) {
        int seen = pw_store_message_by_client_id(c, j->in->client_key, j->in->text,
                                                 &j->out->message_id, &j->out->conversation_id);
        if (seen != 0)
            return seen < 0 ? -1 : (j->out->duplicate = seen, 0);
    }
    int64_t now = pw_now_ms();
    j->at = now;
    if (write_customer_and_conversation(c, j, now) || write_message_and_decision(c, j, now))
        return -1;
    if (j->in->keep_ticket)
        keep_ticket(c, j);
    return 0;
}

/* The widget's answer, as just recorded: the Decision, and the reply's Message. Half an answer
 * is none: out of memory, the caller reads it all back. */
static void keep_widget_answer(const write_job *j, pw_outcome *out) {
    const pw_record *r = j->r;
    pw_decision_view d = decision_of(r);
    pw_jsonw w = {0};
    pw_view_write_decision(&w, &d);
    out->decision = pw_jsonw_finish(&w);
    if (r->reply) {
        pw_message_view m = reply_of(j);
        pw_view_write_message(&w, &m);
        out->reply = pw_jsonw_finish(&w);
    }
    if (!out->decision || (r->reply && !out->reply))
        pw_outcome_free(out);
}

int pw_record_customer_key(const pw_intake *in, pw_recent_key *key) {
    *key = (pw_recent_key){in->app_id, in->external_id, in->email};
    return in->external_id || in->email;
}

int pw_record_write(pw_server *srv, const pw_intake *in, const pw_record *r, pw_outcome *out,
                    pw_problem *p) {
    write_job j = {in, r, out, 0, 0, 0, 0};
    int rc = pw_writer_run(srv->writer, write_all, &j);
    if (rc < 0) {
        pw_outcome_free(out); /* a record of a batch that did not commit is no answer */
        return pw_problem_set(p, 500, "internal", NULL, "the message could not be stored");
    }
    pw_recent_key key;
    if (!out->duplicate && pw_record_customer_key(in, &key)) {
        /* Before the answer: whoever hears of this message finds it in the customer's entry. */
        pw_recent_change ch = {in->plan, in->add_flags, out->message_id,
                               j.at,     in->text,      {r->words, r->word_count}};
        pw_recent_note(srv->recent, &key, &ch);
    }
    if (!out->duplicate && !in->keep_ticket)
        keep_widget_answer(&j, out);
    if (out->duplicate == 2)
        return pw_problem_set(p, 409, "conflict", "client_id",
                              "this client_id was already used for a different message");
    return 0;
}
