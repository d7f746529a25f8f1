/* The pipeline's result for one message and how it is recorded: the decision as stored (lane,
 * reasons and signals as JSON text), the composed reply or draft, and the writer job that
 * stores everything in one transaction.
 * SPDX-License-Identifier: MIT */
#ifndef PW_PIPELINE_RECORD_H
#define PW_PIPELINE_RECORD_H

#include "pipeline.h"
#include "recent.h"
#include "small_talk.h"
#include "../kb/kb.h"

#include "pw/model.h"

typedef struct pw_record {
    pw_analysis analysis;
    char intent[PW_MODEL_MAX_LABEL + 1]; /* "" when out of scope */
    const char *plan;                    /* borrowed: intake or customer row */
    int64_t customer_id;                 /* the customer the read phase found, or 0 */
    int disabled_by_plan;                /* the answer's feature is not in the customer's plan */
    int article_on_topic;                /* the article is linked to the predicted intent */
    uint32_t *words;   /* the message's word set for its customer's recent entry; malloc'd */
    size_t word_count; /* (NULL and 0 for an anonymous visitor's message, or no content word) */
    /* filled by pw_record_compose */
    const char *lane;   /* what happens: resolve | assist | escalate (static) */
    const char *status; /* conversation status: bot | open (static) */
    int priority;
    int64_t sla_due_at;
    int64_t article_id;
    const pw_kb_article *article; /* the one answered from, borrowed from the pipeline's KB */
    char *reply; /* sent to the customer now (AI answer or hand-off notice); malloc'd */
    const char *reply_author;        /* "ai" or "system" */
    char *draft;                     /* suggested answer for the agent; malloc'd */
    char reasons[512], signals[512]; /* JSON texts */
} pw_record;

/* Sets r->intent from the prediction. */
void pw_record_intent(const pw_model *m, pw_record *r);

/* Turns the decision into what happens: the lane (an autonomous answer needs an article linked
 * to the predicted intent that is not human-only, and never overrides a human who owns the
 * conversation; a text match alone may be drafted, not sent), the reply or
 * draft composed from `article` for the user's page and plan, priority and SLA due time, and
 * the reasons and signals JSON. `human_owned`: the conversation is already with an agent. */
void pw_record_compose(const pw_server *srv, const pw_intake *in, const pw_kb_article *article,
                       int human_owned, pw_record *r);

/* A greeting, thanks or goodbye (small_talk.h): answered by the AI with a courtesy, never
 * escalated, with the server's reason SMALL_TALK; in a conversation an agent owns, recorded
 * without a reply. */
void pw_record_small_talk(pw_small_talk kind, int human_owned, pw_record *r);

/* The recent-contact cache's key for the intake's customer (external id, else email), in *key.
 * 0 when the intake names neither (an anonymous visitor): such a message has no entry. One
 * definition for the read phase that looks the entry up and the write that notes the message. */
int pw_record_customer_key(const pw_intake *in, pw_recent_key *key);

/* Stores the message and everything decided about it in one writer job. Returns 0 with *out
 * set (out->duplicate when the client key was already recorded; else the answer it keeps), or
 * -1 with *p set. */
int pw_record_write(pw_server *srv, const pw_intake *in, const pw_record *r, pw_outcome *out,
                    pw_problem *p);

void pw_record_free(pw_record *r);

#endif
