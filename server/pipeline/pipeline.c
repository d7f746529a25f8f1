/* The message pipeline: a read phase (the customer and their history from memory, recent.h, or
 * on a miss from the store; a follow-up's conversation from a pooled connection), the core's
 * analysis, retrieval from the in-memory knowledge base and the decision with no lock held, then
 * one writer job that records customer, conversation, message, decision, reply and events
 * together — so a message is either fully recorded or not at all.
 * SPDX-License-Identifier: MIT */
#include "pipeline.h"
#include "recent.h"
#include "record.h"
#include "../kb/kb.h"
#include "../config/policy_config.h"
#include "../store/support.h"
#include "pw/status.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HISTORY_WINDOW_MS (7LL * 24 * 3600 * 1000) /* "again", "still" refer to recent contact */
#define KB_HITS           1 /* the pipeline answers from the best article only */

void pw_outcome_free(pw_outcome *o) {
    free(o->decision);
    free(o->reply);
    free(o->ticket);
    o->decision = o->reply = o->ticket = NULL;
}

void pw_page_info_free(pw_page_info *p) {
    if (p) {
        free(p->json);
        p->json = NULL;
    }
}

/* Everything the read phase gathers. */
typedef struct context {
    pw_conversation_owner owner; /* id 0 for a new conversation */
    pw_customer_row customer;    /* id 0 for a new customer */
    const pw_recent *recent;     /* the customer's recent contact; NULL for a new customer */
    pw_word_set history[PW_RECENT_TEXTS]; /* inside recent: the last week's messages */
    int history_count;
    const pw_kb_index *kb;        /* held from the read phase to the end */
    const pw_kb_article *article; /* borrowed from kb; NULL: no article */
    int on_topic;                 /* the article is one of the intent's own */
} context;

static void context_free(pw_server *srv, context *cx) {
    pw_recent_release(cx->recent);
    pw_kb_live_release(&srv->kb, cx->kb);
}

static int read_conversation(pw_conn *c, const pw_intake *in, context *cx, pw_problem *p) {
    int found = pw_store_conversation_owner(c, in->conversation_id, &cx->owner);
    if (found < 0)
        return pw_problem_set(p, 500, "internal", NULL, "the store could not be read");
    /* Someone else's conversation is answered exactly like a missing one. */
    if (!found || cx->owner.app_id != in->app_id ||
        (in->visitor && strcmp(cx->owner.visitor, in->visitor) != 0))
        return pw_problem_set(p, 404, "not_found", "conversation_id", "no such conversation");
    return 0;
}

/* The word sets of a miss's texts, for its entry: words[i] is malloc'd for sets[i]. */
static int word_sets_of(pw_server *srv, const pw_customer_texts *t, int n, uint32_t **words,
                        pw_word_set *sets) {
    pw_analyzer *a = pw_engine_acquire(&srv->engine);
    int rc = a ? 0 : -1;
    for (int i = 0; rc == 0 && i < n; i++) {
        size_t count = 0;
        rc = pw_analyzer_word_set(a, t->texts[i], t->lens[i], &words[i], &count);
        sets[i] = (pw_word_set){words[i], count};
    }
    pw_engine_release(&srv->engine, a);
    return rc;
}

/* A returning customer missing from the recent-contact cache: their row and latest messages
 * from the store, kept for the next message unless something changed meanwhile. */
static int read_customer(pw_server *srv, pw_conn *c, const pw_intake *in, const pw_recent_key *key,
                         uint64_t stamp, context *cx, pw_problem *p) {
    pw_customer_row row = {0};
    int found = pw_store_customer_find(c, in->app_id, in->external_id, in->email, &row);
    if (found <= 0)
        return found < 0 ? pw_problem_set(p, 500, "internal", NULL, "the store could not be read")
                         : 0;
    pw_customer_texts t;
    int n = pw_store_customer_texts(c, row.id, &t, PW_RECENT_TEXTS);
    if (n < 0)
        return pw_problem_set(p, 500, "internal", NULL, "the store could not be read");
    uint32_t *words[PW_RECENT_TEXTS] = {0};
    pw_word_set sets[PW_RECENT_TEXTS];
    if (word_sets_of(srv, &t, n, words, sets) == 0)
        cx->recent = pw_recent_new(key, &row, &t, sets, n);
    for (int i = 0; i < n; i++) {
        free(t.texts[i]);
        free(words[i]);
    }
    if (!cx->recent)
        return pw_problem_set(p, 500, "internal", NULL, "out of memory");
    pw_recent_keep(srv->recent, cx->recent, stamp);
    return 0;
}

/* The conversation's owner (a follow-up) and the customer with their recent messages: from
 * memory when the customer's entry is there, else from a pooled reader. */
static int read_context(pw_server *srv, const pw_intake *in, context *cx, pw_problem *p) {
    pw_recent_key key;
    int keyed = pw_record_customer_key(in, &key);
    uint64_t stamp = 0;
    if (keyed)
        cx->recent = pw_recent_get(srv->recent, &key, &stamp);
    int rc = 0;
    if (in->conversation_id || (keyed && !cx->recent)) {
        pw_conn *c = pw_pool_get(srv->readers);
        if (in->conversation_id)
            rc = read_conversation(c, in, cx, p);
        if (rc == 0 && keyed && !cx->recent)
            rc = read_customer(srv, c, in, &key, stamp, cx, p);
        pw_pool_put(srv->readers, c);
    }
    if (rc || !cx->recent)
        return rc;
    cx->customer = cx->recent->customer;
    int64_t since = pw_now_ms() - HISTORY_WINDOW_MS;
    for (int i = 0; i < cx->recent->count; i++)
        if (cx->recent->at[i] >= since)
            cx->history[cx->history_count++] = cx->recent->sets[i];
    return 0;
}

/* The best article for the message: full text, the intent's own articles, the page. */
static void retrieve(const pw_intake *in, const char *intent, context *cx) {
    pw_kb_hit best[KB_HITS];
    const char *route = in->page ? in->page->route : NULL;
    const char *page_id = in->page && in->page->page_id[0] ? in->page->page_id : NULL;
    int n = pw_kb_rank(cx->kb, in->text, in->len, intent, route, page_id, best, KB_HITS);
    if (n > 0 && (cx->article = pw_kb_index_article(cx->kb, best[0].id)))
        cx->on_topic = best[0].intent_match;
}

static int feature_disabled_on_page(const pw_page_info *page, const char *feature) {
    for (size_t i = 0; page && feature && i < page->disabled_count; i++)
        if (strcmp(page->disabled_by_plan[i], feature) == 0)
            return 1;
    return 0;
}

static const char *effective_plan(const pw_intake *in, const context *cx) {
    if (in->plan)
        return in->plan;
    return cx->customer.id && cx->customer.plan[0] ? cx->customer.plan : "free";
}

/* Analysis, retrieval and decision. The analyzer is borrowed only for the core calls. */
static int analyse(pw_server *srv, const pw_intake *in, context *cx, pw_record *r, pw_problem *p) {
    pw_analyzer *a = pw_engine_acquire(&srv->engine);
    if (!a)
        return pw_problem_set(p, 500, "internal", NULL, "out of memory");
    pw_recent_key key; /* a customer's message joins their entry's history with its word set */
    int keyed = pw_record_customer_key(in, &key);
    int rc = pw_analyze_sets(a, in->text, in->len, cx->history, (size_t)cx->history_count,
                             &r->analysis, keyed ? &r->words : NULL, &r->word_count);
    pw_engine_release(&srv->engine, a);
    if (rc == PW_ENOMEM)
        return pw_problem_set(p, 500, "internal", NULL, "out of memory");
    if (rc != 0)
        return pw_problem_set(p, 500, "internal", NULL, "the message could not be analysed");
    pw_record_intent(srv->engine.model, r);
    retrieve(in, r->analysis.prediction.out_of_scope ? NULL : r->intent, cx);
    r->article_on_topic = cx->on_topic;
    r->plan = effective_plan(in, cx);
    r->customer_id = cx->customer.id;
    uint32_t page_flags = in->page ? in->page->flags : 0;
    if (in->event_count)
        page_flags |= PW_PAGE_STRUGGLE;
    if (cx->article && (pw_kb_plan_blocks(cx->article->plan_required, r->plan) ||
                        feature_disabled_on_page(in->page, cx->article->feature)))
        page_flags |= PW_PAGE_FEATURE_DISABLED_BY_PLAN, r->disabled_by_plan = 1;
    int tier = pw_config_tier_index(r->plan);
    uint32_t account = in->add_flags | cx->customer.flags;
    if (pw_analysis_decide(&srv->engine.policy.policy, &r->analysis, (pw_tier)(tier < 0 ? 0 : tier),
                           account, page_flags) != 0)
        return pw_problem_set(p, 500, "internal", NULL, "the policy could not decide");
    return 0;
}

int pw_pipeline_handle(pw_server *srv, const pw_intake *in, pw_outcome *out, pw_problem *p) {
    memset(out, 0, sizeof *out);
    context cx;
    memset(&cx, 0, sizeof cx);
    pw_record r;
    memset(&r, 0, sizeof r);
    int rc = read_context(srv, in, &cx, p);
    cx.kb = pw_kb_live_acquire(&srv->kb);
    if (rc == 0)
        rc = analyse(srv, in, &cx, &r, p);
    if (rc == 0) {
        int human_owned = strcmp(cx.owner.status, "open") == 0;
        pw_small_talk courtesy = pw_small_talk_of(in->text, in->len);
        if (courtesy != PW_SMALL_TALK_NONE)
            pw_record_small_talk(courtesy, human_owned, &r);
        else
            pw_record_compose(srv, in, cx.article, human_owned, &r);
        rc = pw_record_write(srv, in, &r, out, p);
    }
    pw_record_free(&r);
    context_free(srv, &cx);
    return rc;
}
